#pragma once
// Per-token-group fp8 quantisation (op_type "per_token_group_quant_fp8"):
// `per_token_group_quant_fp8_h{H}_g{G}`, atrex-bench's per_token_group_quant_fp8 (vLLM
// fp8_utils; the activation side of 128-block fp8 GEMMs and MoE). Each run of G channels of a
// row gets its own fp32 scale. atrex-bench's reference picks float8_e4m3fn (max 448) on CUDA but
// float8_e4m3fnuz (max 224) on ROCm, where its timings were taken; solkit targets NVIDIA and
// fixes flashinfer-bench's float8_e4m3fn: a deliberate deviation from atrex's measured path.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/per_token_group_quant_fp8/torch_reference.hpp"

namespace solkit {

namespace ops::per_token_group_quant_fp8::axis_errors {
inline constexpr char group_size_not_a_positive_multiple_of_16[] =
    "group_size must be a positive multiple of 16: a group is stored as 16-byte vectors of fp8";
inline constexpr char hidden_size_not_a_multiple_of_group_size[] =
    "hidden_size must be a positive multiple of group_size: every group is whole";
}  // namespace ops::per_token_group_quant_fp8::axis_errors

/// Axes of `per_token_group_quant_fp8_h{hidden_size}_g{group_size}`:
/// x [T, H] -> quantized [T, H], scales [T, H / G].
struct per_token_group_quant_fp8_axes {
  std::int64_t hidden_size = 0;
  std::int64_t group_size = 0;
};

constexpr const char* check_axes(const per_token_group_quant_fp8_axes& a) {
  namespace e = ops::per_token_group_quant_fp8::axis_errors;
  if (a.group_size <= 0 || a.group_size % 16 != 0) return e::group_size_not_a_positive_multiple_of_16;
  if (a.hidden_size <= 0 || a.hidden_size % a.group_size != 0) {
    return e::hidden_size_not_a_multiple_of_group_size;
  }
  return nullptr;
}

constexpr definition_spec describe(const per_token_group_quant_fp8_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"per_token_group_quant_fp8_h"} + a.hidden_size + "_g" + a.group_size;
  spec.op_type = "per_token_group_quant_fp8";
  spec.description =
      "Per-token-group fp8 quantisation, atrex-bench's per_token_group_quant_fp8: per group of "
      "group_size channels of a row, scale = max(amax(|x|) / 448, 1e-10) and quantized = "
      "clamp(x / scale, -448, 448) as float8_e4m3fn, in fp32; scales are token-major. "
      "Deliberate deviation: atrex-bench ran on AMD with float8_e4m3fnuz (max 224 there); solkit "
      "targets NVIDIA and uses float8_e4m3fn (max 448), as atrex's reference does on CUDA.";
  spec.tags = {"source:atrex-bench", "atrex:per_token_group_quant_fp8"};
  spec.axes = {
      var_axis("token_count", "Token rows (for MoE, token-expert pairs)."),
      const_axis("hidden_size", a.hidden_size, "Channels of a row."),
      const_axis("group_size", a.group_size, "Channels that share one scale."),
      const_axis("num_groups", a.hidden_size / a.group_size, "Groups per row: hidden_size / group_size."),
  };
  spec.inputs = {
      tensor("x", {"token_count", "hidden_size"}, dtype::bfloat16, "Activations to quantise."),
  };
  spec.outputs = {
      tensor("quantized", {"token_count", "hidden_size"}, dtype::float8_e4m3fn,
             "x divided by its group's scale, in fp8 (e4m3fn, max 448)."),
      tensor("scales", {"token_count", "num_groups"}, dtype::float32,
             "Dequantisation scale of each group, token-major: x ~ quantized * scale."),
  };
  spec.reference = {ops::per_token_group_quant_fp8::torch_reference::quant};
  return spec;
}

template <per_token_group_quant_fp8_axes Axes>
struct per_token_group_quant_fp8 : definition_of<Axes> {};

// kernel: solkit/ops/per_token_group_quant_fp8/kernel.cuh
template <>
inline constexpr bool kernel_exists<per_token_group_quant_fp8_axes> = true;

}  // namespace solkit
