#pragma once
// atrex-bench's `l2_norm` (atrex_015, vLLM fla's l2norm_fwd, the q/k normalisation of gated
// delta nets) as definitions of op_type "l2_norm": `l2_norm_h{H}`, H = hidden_size.
// out = x * rsqrt(sum(x^2) + 1e-6) over each row, fp32 math, one bf16 rounding: eps is added to
// the SUM of squares (not a mean) and there is no weight. atrex's reference normalises whole
// rows of H (2048 in every shape), not per 128-wide head as GDN models do; the definition
// follows the reference. eps is atrex's default (no shape sets it), fixed by the definition;
// the var axis is atrex's `num_tokens`. flashinfer-bench has no L2 norm op type.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/l2_norm/torch_reference.hpp"

namespace solkit {

namespace ops::l2_norm::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::l2_norm::axis_errors

/// Axes of `l2_norm_h{hidden_size}`.
struct l2_norm_axes {
  std::int64_t hidden_size = 0;
};

constexpr const char* check_axes(const l2_norm_axes& axes) {
  if (axes.hidden_size <= 0 || axes.hidden_size % 8 != 0) {
    return ops::l2_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

constexpr definition_spec describe(const l2_norm_axes& axes) {
  definition_spec spec{};
  spec.name = definition_name{"l2_norm_h"} + axes.hidden_size;
  spec.op_type = "l2_norm";
  spec.description =
      "atrex-bench l2_norm: out = x / sqrt(sum(x^2) + eps) over each row (eps added to the sum "
      "of squares; no weight), computed in fp32 and rounded once to bf16. Epsilon is fixed at "
      "1e-6.";
  spec.tags = {"source:atrex-bench", "atrex:l2_norm"};
  spec.axes = {
      var_axis("num_tokens", "Number of token rows."),
      const_axis("hidden_size", axes.hidden_size, "Length of each normalised row."),
  };
  spec.inputs = {
      tensor("x", {"num_tokens", "hidden_size"}, dtype::bfloat16, "Rows to normalise."),
  };
  spec.outputs = {
      tensor("out", {"num_tokens", "hidden_size"}, dtype::bfloat16, "Rows of unit L2 norm."),
  };
  spec.reference = {ops::l2_norm::torch_reference::run};
  return spec;
}

template <l2_norm_axes Axes>
struct l2_norm : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<l2_norm_axes> = true;  // kernel: solkit/ops/l2_norm/kernel.cuh

}  // namespace solkit
