#pragma once
// Gated delta rule update over a state pool (op_type "gated_delta_rule_update"):
// `gated_delta_rule_update_qk{Hq}_v{Hv}_dk{K}_dv{V}`, atrex-bench's gated_delta_rule_update
// (sglang/vLLM's fused_sigmoid_gating_delta_rule_update, the recurrent form of Qwen3-Next's
// gated delta net). Each of the batch_size sequences runs one recurrence over its token_count
// tokens, starting from pool row initial_state_indices[b]:
//   g = exp(-exp(A_log) * softplus(a + dt_bias)), beta = sigmoid(b)   (softplus beta 1, linear above 20)
//   q^, k^ = q / max(|q|, 1e-6), k / max(|k|, 1e-6)                   (L2 normalisation)
//   S <- g S;  u = beta (v - S^T k^);  S <- S + k^ u^T;  out = scale S^T q^   (the UPDATED S)
// with S [K, V] per value head (k-first) and q/k head h // (Hv / Hq) serving value head h.
// Tensors: A_log [Hv] f32, a [B, T, Hv] bf16, dt_bias [Hv] bf16, q, k [B, T, Hq, K] bf16,
// v [B, T, Hv, V] bf16, b [B, T, Hv] bf16, initial_state [state_count, Hv, K, V] f32,
// initial_state_indices [B] i32, scale (scalar, 0 or None = K^-1/2) -> out [B, T, Hv, V] bf16,
// final_state [state_count, Hv, K, V] f32 (the pool with the used rows replaced).
// The production kernel updates the pool in place; as in gdn's MTP definition the in-place pool
// is an input (initial_state) and an output (final_state). Differences from flashinfer-bench's
// `gdn`: q and k are L2-normalised here, the state is k-first [K, V] (gdn: k-last [V, K]) in a
// pool addressed by indices, dt_bias is bf16 (gdn: f32), and K and V may differ.
// Fixed by the definition (atrex's init kwargs; every atrex shape uses these values): softplus
// beta 1.0 and threshold 20.0, use_qk_l2norm true, L2 eps 1e-6 (atrex's F.normalize eps).

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/gated_delta_rule_update/torch_reference.hpp"

namespace solkit {

/// Axes of `gated_delta_rule_update_qk{num_q_heads}_v{num_v_heads}_dk{key_dim}_dv{value_dim}`.
/// num_k_heads equals num_q_heads (the name's `qk`).
struct gated_delta_rule_update_axes {
  std::int64_t num_q_heads = 0;
  std::int64_t num_v_heads = 0;
  std::int64_t key_dim = 0;
  std::int64_t value_dim = 0;
};

namespace ops::gated_delta_rule_update::axis_errors {
inline constexpr char num_q_heads_not_positive[] = "num_q_heads must be positive";
inline constexpr char num_v_heads_not_a_multiple_of_num_q_heads[] =
    "num_v_heads must be a positive multiple of num_q_heads (each q/k head serves a whole group "
    "of value heads)";
inline constexpr char key_dim_not_64_or_128[] =
    "key_dim must be 64 or 128: the fp32 state tile [key_dim, value_dim] of a head must fit on chip";
inline constexpr char value_dim_not_64_or_128[] =
    "value_dim must be 64 or 128: the fp32 state tile [key_dim, value_dim] of a head must fit on chip";
}  // namespace ops::gated_delta_rule_update::axis_errors

constexpr const char* check_axes(const gated_delta_rule_update_axes& a) {
  namespace e = ops::gated_delta_rule_update::axis_errors;
  if (a.num_q_heads <= 0) return e::num_q_heads_not_positive;
  if (a.num_v_heads <= 0 || a.num_v_heads % a.num_q_heads != 0) {
    return e::num_v_heads_not_a_multiple_of_num_q_heads;
  }
  if (a.key_dim != 64 && a.key_dim != 128) return e::key_dim_not_64_or_128;
  if (a.value_dim != 64 && a.value_dim != 128) return e::value_dim_not_64_or_128;
  return nullptr;
}

constexpr definition_spec describe(const gated_delta_rule_update_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"gated_delta_rule_update_qk"} + a.num_q_heads + "_v" + a.num_v_heads +
              "_dk" + a.key_dim + "_dv" + a.value_dim;
  spec.op_type = "gated_delta_rule_update";
  spec.description =
      "Gated delta rule update, atrex-bench's gated_delta_rule_update (sglang/vLLM "
      "fused_sigmoid_gating_delta_rule_update): each sequence runs the recurrence over its "
      "token_count tokens from pool row initial_state_indices[b] of a k-first fp32 state pool "
      "[state_count, Hv, K, V]. g = exp(-exp(A_log) * softplus(a + dt_bias)) (softplus beta 1, "
      "linear above 20), beta = sigmoid(b), q and k L2-normalised (x / max(|x|, 1e-6)); "
      "S <- g S, S <- S + k (beta (v - S^T k))^T, out = scale S^T q with the updated S. fp32 "
      "math; the pool's other rows are returned unchanged. Indices must be distinct.";
  spec.tags = {"source:atrex-bench", "atrex:gated_delta_rule_update"};
  spec.axes = {
      var_axis("batch_size", "Sequences updated together."),
      var_axis("token_count", "Tokens of each sequence, run in order (1 for decode)."),
      const_axis("num_q_heads", a.num_q_heads, "Query heads on this device."),
      const_axis("num_k_heads", a.num_q_heads, "Key heads on this device (equal to num_q_heads)."),
      const_axis("num_v_heads", a.num_v_heads, "Value heads on this device, a multiple of num_q_heads."),
      const_axis("key_dim", a.key_dim, "Dimension K of q, k and of the state's rows."),
      const_axis("value_dim", a.value_dim, "Dimension V of v, out and of the state's columns."),
      var_axis("state_count", "Rows (slots) of the state pool."),
  };
  spec.constraints = {"num_v_heads % num_q_heads == 0", "num_k_heads == num_q_heads",
                      "state_count >= batch_size",
                      "initial_state_indices.unique().numel() == batch_size"};
  spec.inputs = {
      tensor("A_log", {"num_v_heads"}, dtype::float32, "Log decay rate per value head."),
      tensor("a", {"batch_size", "token_count", "num_v_heads"}, dtype::bfloat16,
             "Input-dependent decay, before softplus."),
      tensor("dt_bias", {"num_v_heads"}, dtype::bfloat16, "Decay bias added to a before softplus."),
      tensor("q", {"batch_size", "token_count", "num_q_heads", "key_dim"}, dtype::bfloat16,
             "Queries (L2-normalised inside)."),
      tensor("k", {"batch_size", "token_count", "num_k_heads", "key_dim"}, dtype::bfloat16,
             "Keys (L2-normalised inside)."),
      tensor("v", {"batch_size", "token_count", "num_v_heads", "value_dim"}, dtype::bfloat16, "Values."),
      tensor("b", {"batch_size", "token_count", "num_v_heads"}, dtype::bfloat16,
             "Update gate input: beta = sigmoid(b)."),
      tensor("initial_state", {"state_count", "num_v_heads", "key_dim", "value_dim"}, dtype::float32,
             "State pool, k-first [state_count, Hv, K, V]; updated in place by production kernels."),
      tensor("initial_state_indices", {"batch_size"}, dtype::int32,
             "Pool row of each sequence's state (distinct)."),
      scalar("scale", dtype::float32, "Output scale; None or 0 means 1/sqrt(key_dim)."),
  };
  spec.outputs = {
      tensor("out", {"batch_size", "token_count", "num_v_heads", "value_dim"}, dtype::bfloat16,
             "Output of every token and value head."),
      tensor("final_state", {"state_count", "num_v_heads", "key_dim", "value_dim"}, dtype::float32,
             "The pool after the call: rows initial_state_indices hold each sequence's state after "
             "its last token, the other rows are initial_state's."),
  };
  spec.reference = {ops::gated_delta_rule_update::torch_reference::update};
  return spec;
}

template <gated_delta_rule_update_axes Axes>
struct gated_delta_rule_update : definition_of<Axes> {};

}  // namespace solkit
