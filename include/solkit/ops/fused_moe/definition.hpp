#pragma once
// Mixture-of-experts FFN on pre-routed tokens (op_type "fused_moe"):
// `fused_moe_e{E}_topk{k}_h{H}_i{I}`, atrex-bench's fused_moe (vLLM fused_experts, Triton). The
// router already ran: topk_ids [T, k] int32 names the k experts of each token and topk_weights
// [T, k] fp32 their weights. Expert e holds w1[e] [2I, H] (gate rows 0..I-1, then up rows
// I..2I-1) and w2[e] [H, I], both bf16; out[t] = sum_j topk_weights[t, j] *
// w2[e_j] (silu(gate) * up) with [gate, up] = w1[e_j] x[t], e_j = topk_ids[t, j].
//   hidden_states [T, H] bf16, w1 [E, 2I, H] bf16, w2 [E, H, I] bf16, topk_weights [T, k] fp32,
//   topk_ids [T, k] int32 -> out [T, H] fp32.
// As atrex's reference: fp32 math from the bf16 operands, no bf16 rounding of the activation
// between the GEMMs (vLLM's kernel rounds it), and an fp32 output (vLLM's is bf16). An id that
// repeats within a token adds its expert once per occurrence, which equals atrex's summing of
// the two weights; real routers (and atrex's current input maker) pick distinct ids, and the
// cost assumes so. Unlike flashinfer-bench's moe op type there is no routing inside and no fp8.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/fused_moe/torch_reference.hpp"

namespace solkit {

namespace ops::fused_moe::axis_errors {
inline constexpr char num_experts_not_positive[] = "num_experts must be positive";
inline constexpr char top_k_not_in_1_to_num_experts[] =
    "top_k must be in [1, num_experts]: a token picks distinct experts";
inline constexpr char hidden_size_not_a_positive_multiple_of_8[] =
    "hidden_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
inline constexpr char intermediate_size_not_a_positive_multiple_of_8[] =
    "intermediate_size must be a positive multiple of 8: rows are loaded as 16-byte vectors of bf16";
}  // namespace ops::fused_moe::axis_errors

/// Axes of `fused_moe_e{num_experts}_topk{top_k}_h{hidden_size}_i{intermediate_size}`.
struct fused_moe_axes {
  std::int64_t num_experts = 0;        // E: experts whose weights this device holds
  std::int64_t top_k = 0;              // k: experts per token
  std::int64_t hidden_size = 0;        // H
  std::int64_t intermediate_size = 0;  // I: per expert, per device
};

constexpr const char* check_axes(const fused_moe_axes& a) {
  namespace e = ops::fused_moe::axis_errors;
  if (a.num_experts <= 0) return e::num_experts_not_positive;
  if (a.top_k < 1 || a.top_k > a.num_experts) return e::top_k_not_in_1_to_num_experts;
  if (a.hidden_size <= 0 || a.hidden_size % 8 != 0) return e::hidden_size_not_a_positive_multiple_of_8;
  if (a.intermediate_size <= 0 || a.intermediate_size % 8 != 0) {
    return e::intermediate_size_not_a_positive_multiple_of_8;
  }
  return nullptr;
}

constexpr definition_spec describe(const fused_moe_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"fused_moe_e"} + a.num_experts + "_topk" + a.top_k + "_h" + a.hidden_size +
              "_i" + a.intermediate_size;
  spec.op_type = "fused_moe";
  spec.description =
      "MoE expert FFN on pre-routed tokens, atrex-bench's fused_moe (vLLM fused_experts): for "
      "each token t and slot j, expert e = topk_ids[t, j] computes [gate, up] = w1[e] x_t (gate "
      "rows first), y = w2[e] (silu(gate) * up), and out[t] accumulates topk_weights[t, j] * y. "
      "bf16 weights and activations, fp32 math without intermediate rounding, fp32 output (as "
      "atrex's reference; vLLM rounds the activation and writes bf16). No routing inside.";
  spec.tags = {"source:atrex-bench", "atrex:fused_moe"};
  spec.axes = {
      var_axis("token_count", "Tokens."),
      const_axis("num_experts", a.num_experts, "Experts held by this device."),
      const_axis("top_k", a.top_k, "Experts each token is routed to."),
      const_axis("hidden_size", a.hidden_size, "Hidden dimension H."),
      const_axis("intermediate_size", a.intermediate_size, "Expert intermediate size I (per device)."),
      const_axis("gate_up_size", 2 * a.intermediate_size,
                 "Rows of w1 per expert: gate then up, 2 * intermediate_size."),
  };
  spec.constraints = {"gate_up_size == 2 * intermediate_size"};
  spec.inputs = {
      tensor("hidden_states", {"token_count", "hidden_size"}, dtype::bfloat16, "Token activations."),
      tensor("w1", {"num_experts", "gate_up_size", "hidden_size"}, dtype::bfloat16,
             "Gate (rows 0..I-1) and up (rows I..2I-1) projections of each expert."),
      tensor("w2", {"num_experts", "hidden_size", "intermediate_size"}, dtype::bfloat16,
             "Down projection of each expert."),
      tensor("topk_weights", {"token_count", "top_k"}, dtype::float32,
             "Routing weight of each selected expert."),
      tensor("topk_ids", {"token_count", "top_k"}, dtype::int32,
             "Selected experts of each token, in [0, num_experts), distinct within a token."),
  };
  spec.outputs = {
      tensor("out", {"token_count", "hidden_size"}, dtype::float32,
             "Weighted sum of the selected experts' outputs."),
  };
  spec.reference = {ops::fused_moe::torch_reference::fused_moe};
  return spec;
}

template <fused_moe_axes Axes>
struct fused_moe : definition_of<Axes> {};

}  // namespace solkit
