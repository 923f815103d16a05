#pragma once
// RMSNorm definitions (op_type "rmsnorm"): `rmsnorm_h{H}` and `fused_add_rmsnorm_h{H}`, and the
// Gemma-style `gemma_rmsnorm_h{H}` and `gemma_fused_add_rmsnorm_h{H}` of flashinfer-bench's
// dataset (scale 1 + weight, eps 1e-6: Gemma 3, Qwen3-Next). One row of hidden_size bf16 values
// per token; eps is fixed by the definition, so it is not an argument.

#include <cstdint>

#include "solkit/core/definition.hpp"
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

constexpr definition_spec describe_common(std::int64_t hidden_size) {
  definition_spec spec{};
  spec.op_type = "rmsnorm";
  spec.axes = {
      var_axis("batch_size", "Number of token rows normalised in one call."),
      const_axis("hidden_size", hidden_size, "Length of each normalised row."),
  };
  return spec;
}
}  // namespace ops::rmsnorm

constexpr const char* check_axes(const rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}

constexpr definition_spec describe(const rmsnorm_axes& axes) {
  definition_spec spec = ops::rmsnorm::describe_common(axes.hidden_size);
  spec.name = definition_name{"rmsnorm_h"} + axes.hidden_size;
  spec.description =
      "Root mean square normalisation of each row: output = x / sqrt(mean(x^2) + 1e-5) * weight, "
      "computed in fp32. Epsilon is fixed at 1e-5.";
  spec.tags = {"fi_api:flashinfer.norm.rmsnorm"};
  spec.inputs = {
      tensor("hidden_states", {"batch_size", "hidden_size"}, dtype::bfloat16, "Rows to normalise."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale."),
  };
  spec.outputs = {
      tensor("output", {"batch_size", "hidden_size"}, dtype::bfloat16, "Normalised rows."),
  };
  spec.reference = {ops::rmsnorm::torch_reference::common, ops::rmsnorm::torch_reference::rmsnorm};
  return spec;
}

constexpr const char* check_axes(const fused_add_rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}

constexpr definition_spec describe(const fused_add_rmsnorm_axes& axes) {
  definition_spec spec = ops::rmsnorm::describe_common(axes.hidden_size);
  spec.name = definition_name{"fused_add_rmsnorm_h"} + axes.hidden_size;
  spec.description =
      "Residual add fused with RMSNorm: output = rmsnorm(hidden_states + residual) * weight, the "
      "sum and the norm computed in fp32. Epsilon is fixed at 1e-5.";
  spec.tags = {"fused", "fi_api:flashinfer.norm.fused_add_rmsnorm"};
  spec.inputs = {
      tensor("hidden_states", {"batch_size", "hidden_size"}, dtype::bfloat16,
             "Output of the previous sub-layer."),
      tensor("residual", {"batch_size", "hidden_size"}, dtype::bfloat16, "Residual stream."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale."),
  };
  spec.outputs = {
      tensor("output", {"batch_size", "hidden_size"}, dtype::bfloat16,
             "Normalised sum of hidden_states and residual."),
  };
  spec.reference = {ops::rmsnorm::torch_reference::common,
                    ops::rmsnorm::torch_reference::fused_add_rmsnorm};
  return spec;
}

constexpr const char* check_axes(const gemma_rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}

constexpr definition_spec describe(const gemma_rmsnorm_axes& axes) {
  definition_spec spec = ops::rmsnorm::describe_common(axes.hidden_size);
  spec.name = definition_name{"gemma_rmsnorm_h"} + axes.hidden_size;
  spec.description =
      "Gemma-style RMSNorm of each row: output = x / sqrt(mean(x^2) + 1e-6) * (1 + weight), "
      "computed in fp32. Epsilon is fixed at 1e-6.";
  spec.tags = {"fi_api:flashinfer.norm.gemma_rmsnorm"};
  spec.inputs = {
      tensor("hidden_states", {"batch_size", "hidden_size"}, dtype::bfloat16, "Rows to normalise."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale minus one."),
  };
  spec.outputs = {
      tensor("output", {"batch_size", "hidden_size"}, dtype::bfloat16, "Normalised rows."),
  };
  spec.reference = {ops::rmsnorm::torch_reference::common,
                    ops::rmsnorm::torch_reference::gemma_rmsnorm};
  return spec;
}

constexpr const char* check_axes(const gemma_fused_add_rmsnorm_axes& axes) {
  return ops::rmsnorm::check_hidden_size(axes.hidden_size);
}

constexpr definition_spec describe(const gemma_fused_add_rmsnorm_axes& axes) {
  definition_spec spec = ops::rmsnorm::describe_common(axes.hidden_size);
  spec.name = definition_name{"gemma_fused_add_rmsnorm_h"} + axes.hidden_size;
  spec.description =
      "Residual add fused with the Gemma-style RMSNorm: output = (x + residual) / "
      "sqrt(mean((x + residual)^2) + 1e-6) * (1 + weight), in fp32. Epsilon is fixed at 1e-6.";
  spec.tags = {"fused", "fi_api:flashinfer.norm.gemma_fused_add_rmsnorm"};
  spec.inputs = {
      tensor("hidden_states", {"batch_size", "hidden_size"}, dtype::bfloat16,
             "Output of the previous sub-layer."),
      tensor("residual", {"batch_size", "hidden_size"}, dtype::bfloat16, "Residual stream."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale minus one."),
  };
  spec.outputs = {
      tensor("output", {"batch_size", "hidden_size"}, dtype::bfloat16,
             "Normalised sum of hidden_states and residual."),
  };
  spec.reference = {ops::rmsnorm::torch_reference::common,
                    ops::rmsnorm::torch_reference::gemma_fused_add_rmsnorm};
  return spec;
}

template <rmsnorm_axes Axes>
struct rmsnorm : definition_of<Axes> {};

template <fused_add_rmsnorm_axes Axes>
struct fused_add_rmsnorm : definition_of<Axes> {};

template <gemma_rmsnorm_axes Axes>
struct gemma_rmsnorm : definition_of<Axes> {};

template <gemma_fused_add_rmsnorm_axes Axes>
struct gemma_fused_add_rmsnorm : definition_of<Axes> {};

}  // namespace solkit
