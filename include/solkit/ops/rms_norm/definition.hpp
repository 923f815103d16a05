#pragma once
// atrex-bench's `rms_norm` (atrex_027, vLLM's rms_norm kernel) as definitions of op_type
// "rms_norm": `rms_norm_h{H}`, H = hidden_size. out = x * rsqrt(mean(x^2) + 1e-6) * weight in
// fp32, rounded once to bf16. The math is flashinfer-bench's `rmsnorm_h{H}`, but that op type
// fixes eps at 1e-5 and every atrex shape uses 1e-6, so this is its own op type; eps is fixed
// by the definition (one value across atrex's shapes, so it is not in the name). Tensor names
// are atrex's (`x`, `weight`, `out`); the var axis is atrex's `token_count`.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/rms_norm/torch_reference.hpp"

namespace solkit {

namespace ops::rms_norm::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::rms_norm::axis_errors

/// Axes of `rms_norm_h{hidden_size}`.
struct rms_norm_axes {
  std::int64_t hidden_size = 0;
};

constexpr const char* check_axes(const rms_norm_axes& axes) {
  if (axes.hidden_size <= 0 || axes.hidden_size % 8 != 0) {
    return ops::rms_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

constexpr definition_spec describe(const rms_norm_axes& axes) {
  definition_spec spec{};
  spec.name = definition_name{"rms_norm_h"} + axes.hidden_size;
  spec.op_type = "rms_norm";
  spec.description =
      "atrex-bench rms_norm: out = x / sqrt(mean(x^2) + eps) * weight over each row, computed in "
      "fp32 and rounded once to bf16. Epsilon is fixed at 1e-6 (flashinfer-bench's rmsnorm uses "
      "1e-5).";
  spec.tags = {"source:atrex-bench", "atrex:rms_norm"};
  spec.axes = {
      var_axis("token_count", "Number of rows (tokens, or tokens x heads for per-head norms)."),
      const_axis("hidden_size", axes.hidden_size, "Length of each normalised row."),
  };
  spec.inputs = {
      tensor("x", {"token_count", "hidden_size"}, dtype::bfloat16, "Rows to normalise."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale."),
  };
  spec.outputs = {
      tensor("out", {"token_count", "hidden_size"}, dtype::bfloat16, "Normalised rows."),
  };
  spec.reference = {ops::rms_norm::torch_reference::run};
  return spec;
}

template <rms_norm_axes Axes>
struct rms_norm : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<rms_norm_axes> = true;  // kernel: solkit/ops/rmsnorm/kernel.cuh

}  // namespace solkit
