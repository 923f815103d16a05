#pragma once
// SiLU-and-multiply (op_type "silu_and_mul"): `silu_and_mul_d{d}`, atrex-bench's silu_and_mul
// (vLLM's activation kernel of gated MLPs). Each row of x holds the gate (first d channels) and
// the up projection (next d channels); out = silu(gate) * up. d is the output width (the MLP's
// intermediate size per device); tokens vary. No flashinfer-bench op type computes this.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/silu_and_mul/torch_reference.hpp"

namespace solkit {

namespace ops::silu_and_mul::axis_errors {
inline constexpr char intermediate_size_not_a_positive_multiple_of_8[] =
    "intermediate_size must be a positive multiple of 8: both halves of a row are loaded as "
    "16-byte vectors of bf16";
}  // namespace ops::silu_and_mul::axis_errors

/// Axes of `silu_and_mul_d{intermediate_size}`: x [T, 2d] -> out [T, d].
struct silu_and_mul_axes {
  std::int64_t intermediate_size = 0;  // d
};

constexpr const char* check_axes(const silu_and_mul_axes& a) {
  if (a.intermediate_size <= 0 || a.intermediate_size % 8 != 0) {
    return ops::silu_and_mul::axis_errors::intermediate_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

constexpr definition_spec describe(const silu_and_mul_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"silu_and_mul_d"} + a.intermediate_size;
  spec.op_type = "silu_and_mul";
  spec.description =
      "SiLU-gated product of the two halves of each row, atrex-bench's silu_and_mul (vLLM "
      "silu_and_mul): out = silu(x[:, :d]) * x[:, d:2d] with silu(z) = z * sigmoid(z). fp32 "
      "math; the activation is rounded to bf16 before the product, as atrex-bench and vLLM do.";
  spec.tags = {"source:atrex-bench", "atrex:silu_and_mul"};
  spec.axes = {
      var_axis("token_count", "Token rows."),
      const_axis("intermediate_size", a.intermediate_size,
                 "Output width d: channels of the gate half and of the up half."),
      const_axis("gate_up_size", 2 * a.intermediate_size,
                 "Width of an input row: gate then up, 2 * intermediate_size."),
  };
  spec.inputs = {
      tensor("x", {"token_count", "gate_up_size"}, dtype::bfloat16,
             "Gate and up projections of each token, gate first."),
  };
  spec.outputs = {
      tensor("out", {"token_count", "intermediate_size"}, dtype::bfloat16, "silu(gate) * up."),
  };
  spec.reference = {ops::silu_and_mul::torch_reference::silu_and_mul};
  return spec;
}

template <silu_and_mul_axes Axes>
struct silu_and_mul : definition_of<Axes> {};

// kernel: solkit/ops/silu_and_mul/kernel.cuh
template <>
inline constexpr bool kernel_exists<silu_and_mul_axes> = true;

}  // namespace solkit
