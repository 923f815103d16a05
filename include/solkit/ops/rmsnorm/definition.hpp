#pragma once
// RMSNorm definitions (op_type "rmsnorm"): `rmsnorm_h{H}` and `fused_add_rmsnorm_h{H}`, and the
// Gemma-style `gemma_rmsnorm_h{H}` and `gemma_fused_add_rmsnorm_h{H}` of flashinfer-bench's
// dataset (scale 1 + weight, eps 1e-6: Gemma 3, Qwen3-Next). One row of hidden_size bf16 values
// per token; eps is fixed by the definition, so it is not an argument.

#include <cstdint>
#include <string_view>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/rmsnorm/torch_reference.hpp"

namespace solkit {

namespace ops::rmsnorm::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::rmsnorm::axis_errors

/// Axes of `rmsnorm_h{hidden_size}`: output = hidden_states * rsqrt(mean(x^2) + eps) * weight.
struct rmsnorm_axes {
  std::int64_t hidden_size = 0;
};

/// Axes of `fused_add_rmsnorm_h{hidden_size}`: the same norm applied to hidden_states + residual.
struct fused_add_rmsnorm_axes {
  std::int64_t hidden_size = 0;
};

/// Axes of `gemma_rmsnorm_h{hidden_size}`: output = x * rsqrt(mean(x^2) + 1e-6) * (1 + weight).
struct gemma_rmsnorm_axes {
  std::int64_t hidden_size = 0;
};

/// Axes of `gemma_fused_add_rmsnorm_h{hidden_size}`: the Gemma norm of hidden_states + residual.
struct gemma_fused_add_rmsnorm_axes {
  std::int64_t hidden_size = 0;
};

namespace ops::rmsnorm {
constexpr const char* check_hidden_size(std::int64_t hidden_size) {
  if (hidden_size <= 0 || hidden_size % 8 != 0) {
    return axis_errors::hidden_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

/// What distinguishes the four variants; everything else is shared.
struct variant {
  std::string_view prefix;       // name before `_h{H}`
  bool fused_add = false;        // adds `residual` before the norm
  bool one_plus_weight = false;  // Gemma-style scale 1 + weight (and eps 1e-6)
  std::string_view description;
  std::string_view fi_api;
  std::string_view reference;
};

constexpr definition_spec describe_variant(std::int64_t hidden_size, const variant& v) {
  definition_spec spec{};
  spec.name = definition_name{v.prefix} + "_h" + hidden_size;
  spec.op_type = "rmsnorm";
  spec.description = v.description;
  if (v.fused_add) spec.tags.push_back("fused");
  spec.tags.push_back(v.fi_api);
  spec.axes = {
      var_axis("batch_size", "Number of token rows normalised in one call."),
      const_axis("hidden_size", hidden_size, "Length of each normalised row."),
  };
  const std::string_view weight = v.one_plus_weight ? "Per-channel scale minus one." : "Per-channel scale.";
  if (v.fused_add) {
    spec.inputs = {
        tensor("hidden_states", {"batch_size", "hidden_size"}, dtype::bfloat16,
               "Output of the previous sub-layer."),
        tensor("residual", {"batch_size", "hidden_size"}, dtype::bfloat16, "Residual stream."),
        tensor("weight", {"hidden_size"}, dtype::bfloat16, weight),
    };
  } else {
    spec.inputs = {
        tensor("hidden_states", {"batch_size", "hidden_size"}, dtype::bfloat16, "Rows to normalise."),
        tensor("weight", {"hidden_size"}, dtype::bfloat16, weight),
    };
  }
  spec.outputs = {
      tensor("output", {"batch_size", "hidden_size"}, dtype::bfloat16,
             v.fused_add ? "Normalised sum of hidden_states and residual." : "Normalised rows."),
  };
  spec.reference = {torch_reference::common, v.reference};
  return spec;
}
}  // namespace ops::rmsnorm

constexpr const char* check_axes(const rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}
constexpr const char* check_axes(const fused_add_rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}
constexpr const char* check_axes(const gemma_rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}
constexpr const char* check_axes(const gemma_fused_add_rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}

constexpr definition_spec describe(const rmsnorm_axes& axes) {
  return ops::rmsnorm::describe_variant(
      axes.hidden_size,
      {"rmsnorm", false, false,
       "Root mean square normalisation of each row: output = x / sqrt(mean(x^2) + 1e-5) * "
       "weight, computed in fp32. Epsilon is fixed at 1e-5.",
       "fi_api:flashinfer.norm.rmsnorm", ops::rmsnorm::torch_reference::rmsnorm});
}

constexpr definition_spec describe(const fused_add_rmsnorm_axes& axes) {
  return ops::rmsnorm::describe_variant(
      axes.hidden_size,
      {"fused_add_rmsnorm", true, false,
       "Residual add fused with RMSNorm: output = rmsnorm(hidden_states + residual) * weight, "
       "the sum and the norm computed in fp32. Epsilon is fixed at 1e-5.",
       "fi_api:flashinfer.norm.fused_add_rmsnorm", ops::rmsnorm::torch_reference::fused_add_rmsnorm});
}

constexpr definition_spec describe(const gemma_rmsnorm_axes& axes) {
  return ops::rmsnorm::describe_variant(
      axes.hidden_size,
      {"gemma_rmsnorm", false, true,
       "Gemma-style RMSNorm of each row: output = x / sqrt(mean(x^2) + 1e-6) * (1 + weight), "
       "computed in fp32. Epsilon is fixed at 1e-6.",
       "fi_api:flashinfer.norm.gemma_rmsnorm", ops::rmsnorm::torch_reference::gemma_rmsnorm});
}

constexpr definition_spec describe(const gemma_fused_add_rmsnorm_axes& axes) {
  return ops::rmsnorm::describe_variant(
      axes.hidden_size,
      {"gemma_fused_add_rmsnorm", true, true,
       "Residual add fused with the Gemma-style RMSNorm: output = (x + residual) / "
       "sqrt(mean((x + residual)^2) + 1e-6) * (1 + weight), in fp32. Epsilon is fixed at 1e-6.",
       "fi_api:flashinfer.norm.gemma_fused_add_rmsnorm",
       ops::rmsnorm::torch_reference::gemma_fused_add_rmsnorm});
}

template <rmsnorm_axes Axes>
struct rmsnorm : definition_of<Axes> {};

template <fused_add_rmsnorm_axes Axes>
struct fused_add_rmsnorm : definition_of<Axes> {};

template <gemma_rmsnorm_axes Axes>
struct gemma_rmsnorm : definition_of<Axes> {};

template <gemma_fused_add_rmsnorm_axes Axes>
struct gemma_fused_add_rmsnorm : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<rmsnorm_axes> = true;  // kernel: solkit/ops/rmsnorm/kernel.cuh
template <>
inline constexpr bool kernel_exists<fused_add_rmsnorm_axes> = true;  // kernel: solkit/ops/rmsnorm/kernel.cuh
template <>
inline constexpr bool kernel_exists<gemma_rmsnorm_axes> = true;  // kernel: solkit/ops/rmsnorm/kernel.cuh
template <>
inline constexpr bool kernel_exists<gemma_fused_add_rmsnorm_axes> = true;  // kernel: solkit/ops/rmsnorm/kernel.cuh

}  // namespace solkit
