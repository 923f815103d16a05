#pragma once
// Linear layer with a sigmoid gate on another tensor (op_type "linear_sigmoid_mul"):
// `linear_sigmoid_mul_h{H}_n{N}`, atrex-bench's linear_sigmoid_mul (sgl_kernel
// fused_linear_sigmoid_mul, the shared-expert gate of Qwen2-MoE models):
//   g = bf16(hidden_states weight^T + bias), out = bf16(sigmoid(g) * post_mul_mat);
//   hidden_states [T, H] bf16, weight [N, H] bf16 (nn.Linear layout), bias [N] bf16,
//   post_mul_mat [T, N] bf16 -> out [T, N] bf16.
// The GEMM accumulates in fp32 and its result (bias included) is rounded to bf16 before the
// sigmoid, as atrex's reference (a bf16 F.linear) does; the sigmoid and the product are fp32.
// flashinfer-bench's gemm has the same orientation but fp16, no bias and no epilogue.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/linear_sigmoid_mul/torch_reference.hpp"

namespace solkit {

namespace ops::linear_sigmoid_mul::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
inline constexpr char out_features_not_a_positive_multiple_of_8[] =
    "out_features must be a positive multiple of 8: rows are stored as 16-byte vectors of bf16";
}  // namespace ops::linear_sigmoid_mul::axis_errors

/// Axes of `linear_sigmoid_mul_h{hidden_size}_n{out_features}`; tokens vary.
struct linear_sigmoid_mul_axes {
  std::int64_t hidden_size = 0;   // H: input features
  std::int64_t out_features = 0;  // N
};

constexpr const char* check_axes(const linear_sigmoid_mul_axes& a) {
  namespace e = ops::linear_sigmoid_mul::axis_errors;
  if (a.hidden_size <= 0 || a.hidden_size % 8 != 0) return e::hidden_size_not_a_positive_multiple_of_8;
  if (a.out_features <= 0 || a.out_features % 8 != 0) return e::out_features_not_a_positive_multiple_of_8;
  return nullptr;
}

constexpr definition_spec describe(const linear_sigmoid_mul_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"linear_sigmoid_mul_h"} + a.hidden_size + "_n" + a.out_features;
  spec.op_type = "linear_sigmoid_mul";
  spec.description =
      "Linear layer whose sigmoid gates another tensor, atrex-bench's linear_sigmoid_mul (sgl_kernel "
      "fused_linear_sigmoid_mul): g = hidden_states @ weight^T + bias with fp32 accumulation, "
      "rounded to bf16; out = bf16(sigmoid(g) * post_mul_mat) in fp32.";
  spec.tags = {"source:atrex-bench", "atrex:linear_sigmoid_mul"};
  spec.axes = {
      var_axis("token_count", "Tokens."),
      const_axis("hidden_size", a.hidden_size, "Input features H."),
      const_axis("out_features", a.out_features, "Output features N."),
  };
  spec.inputs = {
      tensor("hidden_states", {"token_count", "hidden_size"}, dtype::bfloat16, "Token activations."),
      tensor("weight", {"out_features", "hidden_size"}, dtype::bfloat16, "Gate weight, one row per output."),
      tensor("bias", {"out_features"}, dtype::bfloat16, "Gate bias."),
      tensor("post_mul_mat", {"token_count", "out_features"}, dtype::bfloat16, "Tensor the gate multiplies."),
  };
  spec.outputs = {
      tensor("out", {"token_count", "out_features"}, dtype::bfloat16, "sigmoid(gate) * post_mul_mat."),
  };
  spec.reference = {ops::linear_sigmoid_mul::torch_reference::linear_sigmoid_mul};
  return spec;
}

template <linear_sigmoid_mul_axes Axes>
struct linear_sigmoid_mul : definition_of<Axes> {};

}  // namespace solkit
