#pragma once
// Gated delta net, the linear-attention layers of Qwen3-Next (op_type "gdn"):
// `gdn_prefill_qk{q}_v{v}_d{d}_k_last`, `gdn_decode_...` and `gdn_mtp_...`.
// Per value head a recurrent state S [head_size(V), head_size(K)] (k-last layout) evolves as
//   g = exp(-exp(A_log) * softplus(a + dt_bias)), beta = sigmoid(b),
//   S <- g S + beta (v - g S k) k^T, out = scale * S q,
// with q/k heads shared by num_v_heads / num_q_heads value heads (grouped value attention).

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/gdn/torch_reference.hpp"

namespace solkit {

/// Axes common to the three GDN definitions: num_k_heads equals num_q_heads (the name's `qk`).
struct gdn_prefill_axes {
  std::int64_t num_q_heads = 0;
  std::int64_t num_v_heads = 0;
  std::int64_t head_size = 0;
};
struct gdn_decode_axes {
  std::int64_t num_q_heads = 0;
  std::int64_t num_v_heads = 0;
  std::int64_t head_size = 0;
};
struct gdn_mtp_axes {
  std::int64_t num_q_heads = 0;
  std::int64_t num_v_heads = 0;
  std::int64_t head_size = 0;
};

namespace ops::gdn {
namespace axis_errors {
inline constexpr char num_q_heads_not_positive[] = "num_q_heads must be positive";
inline constexpr char num_v_heads_not_a_multiple_of_num_q_heads[] =
    "num_v_heads must be a positive multiple of num_q_heads (each q/k head serves a whole group "
    "of value heads)";
inline constexpr char head_size_not_64_or_128[] =
    "head_size must be 64 or 128: the state tile [head_size, head_size] of fp32 must fit on chip";
}  // namespace axis_errors

constexpr const char* check(std::int64_t num_q_heads, std::int64_t num_v_heads,
                            std::int64_t head_size) {
  if (num_q_heads <= 0) return axis_errors::num_q_heads_not_positive;
  if (num_v_heads <= 0 || num_v_heads % num_q_heads != 0) {
    return axis_errors::num_v_heads_not_a_multiple_of_num_q_heads;
  }
  if (head_size != 64 && head_size != 128) return axis_errors::head_size_not_64_or_128;
  return nullptr;
}

constexpr definition_name name(std::string_view stage, std::int64_t num_q_heads,
                               std::int64_t num_v_heads, std::int64_t head_size) {
  return definition_name{"gdn_"} + stage + "_qk" + num_q_heads + "_v" + num_v_heads + "_d" +
         head_size + "_k_last";
}

constexpr void add_head_axes(definition_spec& spec, std::int64_t num_q_heads,
                             std::int64_t num_v_heads, std::int64_t head_size) {
  spec.axes.push_back(const_axis("num_q_heads", num_q_heads, "Query heads on this device."));
  spec.axes.push_back(const_axis("num_k_heads", num_q_heads,
                                 "Key heads on this device (equal to num_q_heads)."));
  spec.axes.push_back(const_axis("num_v_heads", num_v_heads,
                                 "Value heads on this device, a multiple of num_q_heads."));
  spec.axes.push_back(const_axis("head_size", head_size, "Dimension of each head (K and V)."));
}

inline constexpr std::string_view head_constraints[] = {
    "num_v_heads >= num_q_heads", "num_v_heads % num_q_heads == 0", "num_k_heads == num_q_heads"};

constexpr tensor_spec A_log() {
  return tensor("A_log", {"num_v_heads"}, dtype::float32,
                "Log decay rate: g = exp(-exp(A_log) * softplus(a + dt_bias)).");
}
constexpr tensor_spec dt_bias() {
  return tensor("dt_bias", {"num_v_heads"}, dtype::float32, "Decay bias added to a before softplus.");
}
constexpr tensor_spec scale() {
  return scalar("scale", dtype::float32, "Output scale, 1/sqrt(head_size) by default.");
}
constexpr tensor_spec state_of(std::string_view name, std::string_view rows, std::string_view what) {
  return tensor(name, {rows, "num_v_heads", "head_size", "head_size"}, dtype::float32, what);
}
}  // namespace ops::gdn

constexpr const char* check_axes(const gdn_prefill_axes& a) {
  return ops::gdn::check(a.num_q_heads, a.num_v_heads, a.head_size);
}
constexpr const char* check_axes(const gdn_decode_axes& a) {
  return ops::gdn::check(a.num_q_heads, a.num_v_heads, a.head_size);
}
constexpr const char* check_axes(const gdn_mtp_axes& a) {
  return ops::gdn::check(a.num_q_heads, a.num_v_heads, a.head_size);
}

constexpr definition_spec describe(const gdn_prefill_axes& a) {
  namespace g = ops::gdn;
  definition_spec spec{};
  spec.name = g::name("prefill", a.num_q_heads, a.num_v_heads, a.head_size);
  spec.op_type = "gdn";
  spec.description =
      "Gated delta net prefill over variable-length sequences (cu_seqlens), state in k-last "
      "layout [num_seqs, num_v_heads, V, K]; the recurrence runs token by token from `state` "
      "(zeros when None) and the final state of each sequence is returned.";
  spec.tags = {"stage:prefill", "layout:k-last", "fi_api:flashinfer.gdn.chunk_gated_delta_rule"};
  spec.axes.push_back(var_axis("total_seq_len", "Tokens of all sequences (cu_seqlens[-1])."));
  spec.axes.push_back(var_axis("num_seqs", "Number of sequences."));
  g::add_head_axes(spec, a.num_q_heads, a.num_v_heads, a.head_size);
  spec.axes.push_back(var_axis("len_cu_seqlens", "Length of cu_seqlens (num_seqs + 1)."));
  spec.constraints = {"len_cu_seqlens == num_seqs + 1", "total_seq_len == cu_seqlens[-1].item()"};
  spec.inputs = {
      tensor("q", {"total_seq_len", "num_q_heads", "head_size"}, dtype::bfloat16, "Queries."),
      tensor("k", {"total_seq_len", "num_k_heads", "head_size"}, dtype::bfloat16, "Keys."),
      tensor("v", {"total_seq_len", "num_v_heads", "head_size"}, dtype::bfloat16, "Values."),
      optional_tensor("state", {"num_seqs", "num_v_heads", "head_size", "head_size"},
                      dtype::float32, "Initial state per sequence, k-last [N, H, V, K]; None = zeros."),
      g::A_log(),
      tensor("a", {"total_seq_len", "num_v_heads"}, dtype::bfloat16, "Input-dependent decay."),
      g::dt_bias(),
      tensor("b", {"total_seq_len", "num_v_heads"}, dtype::bfloat16,
             "Update gate input: beta = sigmoid(b)."),
      tensor("cu_seqlens", {"len_cu_seqlens"}, dtype::int64,
             "Sequence offsets: sequence s owns tokens cu_seqlens[s]:cu_seqlens[s+1]."),
      g::scale(),
  };
  spec.outputs = {
      tensor("output", {"total_seq_len", "num_v_heads", "head_size"}, dtype::bfloat16,
             "Output per value head."),
      g::state_of("new_state", "num_seqs", "Final state per sequence, k-last [N, H, V, K]."),
  };
  spec.reference = {g::torch_reference::recurrence_common, g::torch_reference::prefill};
  return spec;
}

constexpr definition_spec describe(const gdn_decode_axes& a) {
  namespace g = ops::gdn;
  definition_spec spec{};
  spec.name = g::name("decode", a.num_q_heads, a.num_v_heads, a.head_size);
  spec.op_type = "gdn";
  spec.description =
      "Gated delta net decode: one token per sequence updates its recurrent state (k-last "
      "[B, H, V, K], zeros when None) and produces the output.";
  spec.tags = {"stage:decode", "layout:k-last", "fi_api:flashinfer.gdn.gated_delta_rule_decode"};
  spec.axes.push_back(var_axis("batch_size", "Number of sequences decoded together."));
  spec.axes.push_back(const_axis("seq_len", 1, "Tokens per sequence (1 for decode)."));
  g::add_head_axes(spec, a.num_q_heads, a.num_v_heads, a.head_size);
  for (std::string_view c : g::head_constraints) spec.constraints.push_back(c);
  spec.inputs = {
      tensor("q", {"batch_size", "seq_len", "num_q_heads", "head_size"}, dtype::bfloat16, "Queries."),
      tensor("k", {"batch_size", "seq_len", "num_k_heads", "head_size"}, dtype::bfloat16, "Keys."),
      tensor("v", {"batch_size", "seq_len", "num_v_heads", "head_size"}, dtype::bfloat16, "Values."),
      optional_tensor("state", {"batch_size", "num_v_heads", "head_size", "head_size"},
                      dtype::float32, "State per sequence, k-last [B, H, V, K]; None = zeros."),
      g::A_log(),
      tensor("a", {"batch_size", "seq_len", "num_v_heads"}, dtype::bfloat16, "Input-dependent decay."),
      g::dt_bias(),
      tensor("b", {"batch_size", "seq_len", "num_v_heads"}, dtype::bfloat16,
             "Update gate input: beta = sigmoid(b)."),
      g::scale(),
  };
  spec.outputs = {
      tensor("output", {"batch_size", "seq_len", "num_v_heads", "head_size"}, dtype::bfloat16,
             "Output per value head."),
      g::state_of("new_state", "batch_size", "Updated state, k-last [B, H, V, K]."),
  };
  spec.reference = {g::torch_reference::recurrence_common, g::torch_reference::decode};
  return spec;
}

constexpr definition_spec describe(const gdn_mtp_axes& a) {
  namespace g = ops::gdn;
  definition_spec spec{};
  spec.name = g::name("mtp", a.num_q_heads, a.num_v_heads, a.head_size);
  spec.op_type = "gdn";
  spec.description =
      "Gated delta net for multi-token prediction (speculative verification): seq_len > 1 draft "
      "tokens per sequence run from the pooled state initial_state[initial_state_indices[b]] "
      "(k-last). As in the dataset, the pool is returned unchanged as final_state (the caller "
      "commits accepted tokens later); per-token states go to intermediate_states_buffer when "
      "given.";
  spec.tags = {"stage:mtp", "layout:k-last"};
  spec.axes.push_back(var_axis("batch_size", "Number of sequences verified together."));
  spec.axes.push_back(var_axis("seq_len", "Draft tokens per sequence (more than one)."));
  g::add_head_axes(spec, a.num_q_heads, a.num_v_heads, a.head_size);
  spec.axes.push_back(var_axis("pool_size", "Slots of the state pool."));
  for (std::string_view c : g::head_constraints) spec.constraints.push_back(c);
  spec.constraints.push_back("seq_len > 1");
  spec.inputs = {
      tensor("q", {"batch_size", "seq_len", "num_q_heads", "head_size"}, dtype::bfloat16, "Queries."),
      tensor("k", {"batch_size", "seq_len", "num_k_heads", "head_size"}, dtype::bfloat16, "Keys."),
      tensor("v", {"batch_size", "seq_len", "num_v_heads", "head_size"}, dtype::bfloat16, "Values."),
      g::state_of("initial_state", "pool_size", "State pool, k-last [pool_size, H, V, K]."),
      tensor("initial_state_indices", {"batch_size"}, dtype::int32,
             "Pool slot of each sequence's state."),
      g::A_log(),
      tensor("a", {"batch_size", "seq_len", "num_v_heads"}, dtype::bfloat16, "Input-dependent decay."),
      g::dt_bias(),
      tensor("b", {"batch_size", "seq_len", "num_v_heads"}, dtype::bfloat16,
             "Update gate input: beta = sigmoid(b)."),
      g::scale(),
      optional_tensor("intermediate_states_buffer",
                      {"pool_size", "seq_len", "num_v_heads", "head_size", "head_size"},
                      dtype::float32,
                      "Optional buffer receiving the state after each draft token, by pool slot."),
  };
  spec.outputs = {
      tensor("output", {"batch_size", "seq_len", "num_v_heads", "head_size"}, dtype::bfloat16,
             "Output per value head and draft token."),
      g::state_of("final_state", "pool_size", "State pool after the call, k-last."),
  };
  spec.reference = {g::torch_reference::recurrence_common, g::torch_reference::mtp};
  return spec;
}

template <gdn_prefill_axes Axes>
struct gdn_prefill : definition_of<Axes> {};
template <gdn_decode_axes Axes>
struct gdn_decode : definition_of<Axes> {};
template <gdn_mtp_axes Axes>
struct gdn_mtp : definition_of<Axes> {};

}  // namespace solkit
