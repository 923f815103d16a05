#pragma once
// atrex-bench's `fused_add_rms_norm` (atrex_008, vLLM's fused_add_rms_norm kernel) as
// definitions of op_type "fused_add_rms_norm": `fused_add_rms_norm_h{H}`, H = hidden_size.
// residual_out = bf16(x + residual), rounded BEFORE the norm; out = the rms_norm (eps 1e-6,
// fp32 math, one bf16 rounding) of that rounded sum. vLLM updates x and residual in place;
// here, as in atrex's reference, both results are outputs (`out`, and `residual_out` because an
// output may not share an input's name). flashinfer-bench's `fused_add_rmsnorm_h{H}` differs in
// eps (1e-5) and writes no residual, so this is its own op type. eps has one value across
// atrex's shapes, so it is fixed here and not in the name; the var axis is atrex's `token_count`.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/fused_add_rms_norm/torch_reference.hpp"

namespace solkit {

namespace ops::fused_add_rms_norm::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::fused_add_rms_norm::axis_errors

/// Axes of `fused_add_rms_norm_h{hidden_size}`.
struct fused_add_rms_norm_axes {
  std::int64_t hidden_size = 0;
};

constexpr const char* check_axes(const fused_add_rms_norm_axes& axes) {
  if (axes.hidden_size <= 0 || axes.hidden_size % 8 != 0) {
    return ops::fused_add_rms_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

constexpr definition_spec describe(const fused_add_rms_norm_axes& axes) {
  definition_spec spec{};
  spec.name = definition_name{"fused_add_rms_norm_h"} + axes.hidden_size;
  spec.op_type = "fused_add_rms_norm";
  spec.description =
      "atrex-bench fused_add_rms_norm: residual_out = bf16(x + residual); out = residual_out / "
      "sqrt(mean(residual_out^2) + eps) * weight, the norm computed in fp32 from the rounded sum "
      "and rounded once to bf16. Epsilon is fixed at 1e-6. vLLM updates x and residual in "
      "place; here both are outputs.";
  spec.tags = {"source:atrex-bench", "atrex:fused_add_rms_norm"};
  spec.axes = {
      var_axis("token_count", "Number of token rows."),
      const_axis("hidden_size", axes.hidden_size, "Length of each normalised row."),
  };
  spec.inputs = {
      tensor("x", {"token_count", "hidden_size"}, dtype::bfloat16, "Output of the previous sub-layer."),
      tensor("residual", {"token_count", "hidden_size"}, dtype::bfloat16, "Residual stream."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale."),
  };
  spec.outputs = {
      tensor("out", {"token_count", "hidden_size"}, dtype::bfloat16,
             "Normalised rows of the new residual stream."),
      tensor("residual_out", {"token_count", "hidden_size"}, dtype::bfloat16,
             "New residual stream: x + residual rounded to bf16 (vLLM writes it over residual)."),
  };
  spec.reference = {ops::fused_add_rms_norm::torch_reference::run};
  return spec;
}

template <fused_add_rms_norm_axes Axes>
struct fused_add_rms_norm : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<fused_add_rms_norm_axes> = true;  // kernel: solkit/ops/rmsnorm/kernel.cuh

}  // namespace solkit
