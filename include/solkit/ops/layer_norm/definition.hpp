#pragma once
// atrex-bench's `layer_norm` (atrex_016, vLLM's layer_norm; ViT and text encoders) as
// definitions of op_type "layer_norm": `layer_norm_h{H}`, H = hidden_size, the last dim.
// out = (x - mean) * rsqrt(var + 1e-5) * weight + bias over each row, biased variance, fp32
// math, one bf16 rounding. eps is PyTorch's F.layer_norm default that atrex's reference uses
// (1e-5, not the 1e-6 of the atrex RMS norms), fixed by the definition. atrex gives x as any
// shape [..., H] ([N, 1, 1152] and [N, 2048]); the norm reads only the last dim, so the
// definition takes x as [num_rows, H], num_rows = the product of the leading dims (a contiguous
// reshape, no copy). flashinfer-bench has no layer norm op type.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/layer_norm/torch_reference.hpp"

namespace solkit {

namespace ops::layer_norm::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::layer_norm::axis_errors

/// Axes of `layer_norm_h{hidden_size}`.
struct layer_norm_axes {
  std::int64_t hidden_size = 0;
};

constexpr const char* check_axes(const layer_norm_axes& axes) {
  if (axes.hidden_size <= 0 || axes.hidden_size % 8 != 0) {
    return ops::layer_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

constexpr definition_spec describe(const layer_norm_axes& axes) {
  definition_spec spec{};
  spec.name = definition_name{"layer_norm_h"} + axes.hidden_size;
  spec.op_type = "layer_norm";
  spec.description =
      "atrex-bench layer_norm: out = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias over "
      "each row, biased variance, computed in fp32 and rounded once to bf16. Epsilon is fixed at "
      "1e-5 (PyTorch's default). atrex's leading dims are flattened into num_rows.";
  spec.tags = {"source:atrex-bench", "atrex:layer_norm"};
  spec.axes = {
      var_axis("num_rows", "Number of rows: the product of all but the last dim of atrex's shape."),
      const_axis("hidden_size", axes.hidden_size, "Length of each normalised row (the last dim)."),
  };
  spec.inputs = {
      tensor("x", {"num_rows", "hidden_size"}, dtype::bfloat16, "Rows to normalise."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale."),
      tensor("bias", {"hidden_size"}, dtype::bfloat16, "Per-channel shift."),
  };
  spec.outputs = {
      tensor("out", {"num_rows", "hidden_size"}, dtype::bfloat16, "Normalised rows."),
  };
  spec.reference = {ops::layer_norm::torch_reference::run};
  return spec;
}

template <layer_norm_axes Axes>
struct layer_norm : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<layer_norm_axes> = true;  // kernel: solkit/ops/layer_norm/kernel.cuh

}  // namespace solkit
