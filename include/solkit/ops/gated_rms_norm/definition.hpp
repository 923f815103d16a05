#pragma once
// atrex-bench's `gated_rms_norm` (atrex_014, SGLang fla's rms_norm_gated: the output norm of
// Qwen3-Next's gated delta net) as definitions of op_type "gated_rms_norm":
// `gated_rms_norm_h{H}`, H = hidden_size (the value head dim). out = x * rsqrt(mean(x^2) + 1e-6)
// * weight * silu(z), fp32 math, one bf16 rounding. Every atrex shape normalises before the
// gate with SiLU and eps 1e-6, so those are fixed by the definition and not in the name (the
// kernel's other modes, gate-before-norm and sigmoid, would be other definitions). Tensor
// names are atrex's (`x`, `weight`, `z`, `out`); the var axis is atrex's `rows` (tokens x value
// heads). flashinfer-bench has no gated norm.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/gated_rms_norm/torch_reference.hpp"

namespace solkit {

namespace ops::gated_rms_norm::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::gated_rms_norm::axis_errors

/// Axes of `gated_rms_norm_h{hidden_size}`.
struct gated_rms_norm_axes {
  std::int64_t hidden_size = 0;
};

constexpr const char* check_axes(const gated_rms_norm_axes& axes) {
  if (axes.hidden_size <= 0 || axes.hidden_size % 8 != 0) {
    return ops::gated_rms_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

constexpr definition_spec describe(const gated_rms_norm_axes& axes) {
  definition_spec spec{};
  spec.name = definition_name{"gated_rms_norm_h"} + axes.hidden_size;
  spec.op_type = "gated_rms_norm";
  spec.description =
      "atrex-bench gated_rms_norm (norm before gate, SiLU): out = x / sqrt(mean(x^2) + eps) * "
      "weight * silu(z) over each row, silu(z) = z * sigmoid(z), computed in fp32 and rounded "
      "once to bf16. Epsilon is fixed at 1e-6.";
  spec.tags = {"source:atrex-bench", "atrex:gated_rms_norm"};
  spec.axes = {
      var_axis("rows", "Number of normalised rows: tokens x value heads."),
      const_axis("hidden_size", axes.hidden_size, "Length of each row (the value head dim)."),
  };
  spec.inputs = {
      tensor("x", {"rows", "hidden_size"}, dtype::bfloat16, "Rows to normalise (the GDN core output)."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale."),
      tensor("z", {"rows", "hidden_size"}, dtype::bfloat16, "Gate input; the output is scaled by silu(z)."),
  };
  spec.outputs = {
      tensor("out", {"rows", "hidden_size"}, dtype::bfloat16, "Normalised, gated rows."),
  };
  spec.reference = {ops::gated_rms_norm::torch_reference::run};
  return spec;
}

template <gated_rms_norm_axes Axes>
struct gated_rms_norm : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<gated_rms_norm_axes> = true;  // kernel: solkit/ops/gated_rms_norm/kernel.cuh

}  // namespace solkit
