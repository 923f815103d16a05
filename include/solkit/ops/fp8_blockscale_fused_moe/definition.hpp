#pragma once
// FP8 block-scale MoE FFN on pre-routed tokens (op_type "fp8_blockscale_fused_moe"):
// `fp8_blockscale_fused_moe_e{E}_topk{k}_h{H}_i{I}_bn{BN}_bk{BK}`, atrex-bench's
// fp8_blockscale_fused_moe (aiter fmoe_fp8_blockscale_g1u1). Activations come quantized per token
// per BK channels; weights per BN x BK block (BN along the intermediate dimension, BK along the
// hidden one, in both GEMMs). Expert e computes w2[e] (silu(gate) * up) with [gate, up] =
// w1[e] x (gate rows first), all from dequantized values in fp32; out[t] = sum over the token's
// k slots of topk_weights * that.
//   hidden_states [T, H] fp8, a_scale [T, H/BK] fp32, w1 [E, 2I, H] fp8, fc1_scale
//   [E, 2I/BN, H/BK] fp32, w2 [E, H, I] fp8, fc2_scale [E, H/BK, I/BN] fp32, topk_weights [T, k]
//   fp32, topk_ids [T, k] int32 -> out [T, H] bf16. Inputs in atrex's argument order.
// Deliberate deviations from atrex: fp8 is float8_e4m3fn (max 448), not the float8_e4m3fnuz of
// atrex's AMD runs (solkit targets NVIDIA Hopper); the output is bf16, not the fp8 hidden dtype
// atrex's reference returns (its metadata says bf16; a serving engine consumes bf16, and
// flashinfer-bench's moe writes bf16). The activation is not re-quantized between the GEMMs.
// Unlike flashinfer-bench's moe (same expert math): routing is an input, activation scales are
// token-major [T, H/BK] (moe's are [H/128, T]), gate rows come first, no routed scaling factor.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/fp8_blockscale_fused_moe/torch_reference.hpp"

namespace solkit {

namespace ops::fp8_blockscale_fused_moe::axis_errors {
inline constexpr char num_experts_not_positive[] = "num_experts must be positive";
inline constexpr char top_k_not_in_1_to_num_experts[] =
    "top_k must be in [1, num_experts]: a token picks distinct experts";
inline constexpr char scale_block_not_a_positive_multiple_of_16[] =
    "scale_block_n and scale_block_k must be positive multiples of 16: a block row is whole "
    "16-byte vectors of fp8";
inline constexpr char hidden_size_not_a_multiple_of_scale_block_k[] =
    "hidden_size must be a positive multiple of scale_block_k: every block is whole";
inline constexpr char intermediate_size_not_a_multiple_of_scale_block_n[] =
    "intermediate_size must be a positive multiple of scale_block_n: every block is whole and "
    "none straddles gate and up";
}  // namespace ops::fp8_blockscale_fused_moe::axis_errors

/// Axes of `fp8_blockscale_fused_moe_e{E}_topk{k}_h{H}_i{I}_bn{scale_block_n}_bk{scale_block_k}`.
struct fp8_blockscale_fused_moe_axes {
  std::int64_t num_experts = 0;        // E: experts held by this device
  std::int64_t top_k = 0;              // k
  std::int64_t hidden_size = 0;        // H
  std::int64_t intermediate_size = 0;  // I (per device)
  std::int64_t scale_block_n = 128;    // BN: block extent along the intermediate dimension
  std::int64_t scale_block_k = 128;    // BK: block extent along the hidden dimension
};

constexpr const char* check_axes(const fp8_blockscale_fused_moe_axes& a) {
  namespace e = ops::fp8_blockscale_fused_moe::axis_errors;
  if (a.num_experts <= 0) return e::num_experts_not_positive;
  if (a.top_k < 1 || a.top_k > a.num_experts) return e::top_k_not_in_1_to_num_experts;
  if (a.scale_block_n <= 0 || a.scale_block_n % 16 != 0 || a.scale_block_k <= 0 || a.scale_block_k % 16 != 0) {
    return e::scale_block_not_a_positive_multiple_of_16;
  }
  if (a.hidden_size <= 0 || a.hidden_size % a.scale_block_k != 0) {
    return e::hidden_size_not_a_multiple_of_scale_block_k;
  }
  if (a.intermediate_size <= 0 || a.intermediate_size % a.scale_block_n != 0) {
    return e::intermediate_size_not_a_multiple_of_scale_block_n;
  }
  return nullptr;
}

constexpr definition_spec describe(const fp8_blockscale_fused_moe_axes& a) {
  const std::int64_t hidden_blocks = a.hidden_size / a.scale_block_k;
  const std::int64_t intermediate_blocks = a.intermediate_size / a.scale_block_n;
  definition_spec spec{};
  spec.name = definition_name{"fp8_blockscale_fused_moe_e"} + a.num_experts + "_topk" + a.top_k + "_h" +
              a.hidden_size + "_i" + a.intermediate_size + "_bn" + a.scale_block_n + "_bk" + a.scale_block_k;
  spec.op_type = "fp8_blockscale_fused_moe";
  spec.description =
      "FP8 block-scale MoE expert FFN on pre-routed tokens, atrex-bench's fp8_blockscale_fused_moe "
      "(aiter fmoe_fp8_blockscale_g1u1): x = hidden_states * a_scale per token per scale_block_k "
      "channels, w1 and w2 dequantized per scale_block_n x scale_block_k block; for each token t "
      "and slot j, expert e = topk_ids[t, j] computes [gate, up] = w1[e] x_t (gate rows first) and "
      "w2[e] (silu(gate) * up); out[t] = bf16(sum_j topk_weights[t, j] * that), fp32 math. "
      "Deviations: float8_e4m3fn (max 448) instead of atrex's e4m3fnuz, and a bf16 output instead "
      "of the fp8 one atrex's reference returns.";
  spec.tags = {"source:atrex-bench", "atrex:fp8_blockscale_fused_moe", "quantization:float8_e4m3fn"};
  spec.axes = {
      var_axis("token_count", "Tokens."),
      const_axis("num_experts", a.num_experts, "Experts held by this device."),
      const_axis("top_k", a.top_k, "Experts each token is routed to."),
      const_axis("hidden_size", a.hidden_size, "Hidden dimension H."),
      const_axis("intermediate_size", a.intermediate_size, "Expert intermediate size I (per device)."),
      const_axis("gate_up_size", 2 * a.intermediate_size, "Rows of w1 per expert: gate then up, 2 I."),
      const_axis("scale_block_n", a.scale_block_n, "Block extent along the intermediate dimension."),
      const_axis("scale_block_k", a.scale_block_k, "Block extent along the hidden dimension."),
      const_axis("num_hidden_blocks", hidden_blocks, "Blocks along hidden_size: H / scale_block_k."),
      const_axis("num_intermediate_blocks", intermediate_blocks,
                 "Blocks along intermediate_size: I / scale_block_n."),
      const_axis("num_gate_up_blocks", 2 * intermediate_blocks, "Blocks along gate_up_size: 2 I / scale_block_n."),
  };
  spec.constraints = {"gate_up_size == 2 * intermediate_size",
                      "num_hidden_blocks * scale_block_k == hidden_size",
                      "num_intermediate_blocks * scale_block_n == intermediate_size",
                      "num_gate_up_blocks == 2 * num_intermediate_blocks"};
  spec.inputs = {
      tensor("hidden_states", {"token_count", "hidden_size"}, dtype::float8_e4m3fn,
             "Token activations, quantized per token per scale_block_k channels."),
      tensor("w1", {"num_experts", "gate_up_size", "hidden_size"}, dtype::float8_e4m3fn,
             "Gate (rows 0..I-1) and up (rows I..2I-1) projections of each expert."),
      tensor("w2", {"num_experts", "hidden_size", "intermediate_size"}, dtype::float8_e4m3fn,
             "Down projection of each expert."),
      tensor("topk_weights", {"token_count", "top_k"}, dtype::float32, "Routing weight of each selected expert."),
      tensor("topk_ids", {"token_count", "top_k"}, dtype::int32,
             "Selected experts of each token, in [0, num_experts), distinct within a token."),
      tensor("a_scale", {"token_count", "num_hidden_blocks"}, dtype::float32,
             "Dequantization scale of each token's block of scale_block_k channels (token-major)."),
      tensor("fc1_scale", {"num_experts", "num_gate_up_blocks", "num_hidden_blocks"}, dtype::float32,
             "Block scales of w1."),
      tensor("fc2_scale", {"num_experts", "num_hidden_blocks", "num_intermediate_blocks"}, dtype::float32,
             "Block scales of w2."),
  };
  spec.outputs = {
      tensor("out", {"token_count", "hidden_size"}, dtype::bfloat16,
             "Weighted sum of the selected experts' outputs."),
  };
  spec.reference = {ops::fp8_blockscale_fused_moe::torch_reference::fp8_blockscale_fused_moe};
  return spec;
}

template <fp8_blockscale_fused_moe_axes Axes>
struct fp8_blockscale_fused_moe : definition_of<Axes> {};

}  // namespace solkit
