#pragma once
// Sum of each token's top-k expert outputs (op_type "moe_sum_reduce"):
// `moe_sum_reduce_topk{k}_h{H}`, atrex-bench's moe_sum_reduce (SGLang's moe_sum_reduce_triton,
// the last step of a Triton fused MoE: the routing weights were applied before).
//   expert_outputs [T, k, H] bf16, routed_scaling_factor f32 scalar
//   -> out [T, H] bf16 = bf16( routed_scaling_factor * sum over k of fp32(expert_outputs) )
// routed_scaling_factor is a float of atrex's constructor (1.0 in every atrex shape). Axes are
// integers, so solkit makes it a scalar input, as flashinfer-bench's MoE definitions do: the
// kernel reads it at run time, and one definition serves every factor.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/moe_sum_reduce/torch_reference.hpp"

namespace solkit {

namespace ops::moe_sum_reduce::axis_errors {
inline constexpr char top_k_not_positive[] = "top_k must be positive";
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::moe_sum_reduce::axis_errors

/// Axes of `moe_sum_reduce_topk{top_k}_h{hidden_size}`: expert_outputs [T, k, H] -> out [T, H].
struct moe_sum_reduce_axes {
  std::int64_t top_k = 0;        // k
  std::int64_t hidden_size = 0;  // H
};

constexpr const char* check_axes(const moe_sum_reduce_axes& a) {
  namespace e = ops::moe_sum_reduce::axis_errors;
  if (a.top_k <= 0) return e::top_k_not_positive;
  if (a.hidden_size <= 0 || a.hidden_size % 8 != 0) return e::hidden_size_not_a_positive_multiple_of_8;
  return nullptr;
}

constexpr definition_spec describe(const moe_sum_reduce_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"moe_sum_reduce_topk"} + a.top_k + "_h" + a.hidden_size;
  spec.op_type = "moe_sum_reduce";
  spec.description =
      "Sum of each token's top_k expert outputs, atrex-bench's moe_sum_reduce (SGLang "
      "moe_sum_reduce_triton): out = bf16(routed_scaling_factor * sum_j fp32(expert_outputs[:, "
      "j, :])), accumulated in fp32 and rounded once. The outputs are already weighted; the "
      "factor is a run-time scalar (1.0 in atrex-bench's shapes).";
  spec.tags = {"source:atrex-bench", "atrex:moe_sum_reduce"};
  spec.axes = {
      var_axis("token_count", "Tokens."),
      const_axis("top_k", a.top_k, "Expert outputs per token."),
      const_axis("hidden_size", a.hidden_size, "Channels of a row."),
  };
  spec.inputs = {
      tensor("expert_outputs", {"token_count", "top_k", "hidden_size"}, dtype::bfloat16,
             "Weighted output of each of a token's experts."),
      scalar("routed_scaling_factor", dtype::float32, "Factor applied to the sum (1.0 in atrex)."),
  };
  spec.outputs = {
      tensor("out", {"token_count", "hidden_size"}, dtype::bfloat16, "Scaled sum over the experts."),
  };
  spec.reference = {ops::moe_sum_reduce::torch_reference::sum_reduce};
  return spec;
}

template <moe_sum_reduce_axes Axes>
struct moe_sum_reduce : definition_of<Axes> {};

}  // namespace solkit
