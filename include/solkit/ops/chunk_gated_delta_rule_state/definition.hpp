#pragma once
// Inter-chunk state pass of chunked gated-delta-net prefill (op_type
// "chunk_gated_delta_rule_state"): `chunk_gated_delta_rule_state_hk{Hk}_hv{Hv}_dk{K}_dv{V}_c{C}`,
// atrex-bench's chunk_gated_delta_rule_state (FLA's chunk_gated_delta_rule_fwd_h, as sglang and
// vLLM run it for Qwen3-Next). Each of B sequences of T tokens is cut into NT = ceil(T / C)
// chunks (the last may be partial); per value head a state S [K, V] (k-first, fp32) walks the
// chunks. With w, u the WY-form inputs an earlier kernel derived, and g the log-gate summed
// within each chunk, per chunk c:
//   h[c] = bf16(S)                               (the state before the chunk, for the output pass)
//   v'   = u - w . bf16(S)                       (fp32 accumulation) -> v_new = bf16(v')
//   v~   = bf16(v' * exp(g_last - g_t)), the factor 0 where g_last - g_t > 0
//   S    = S * exp(g_last) + k^T . v~            (fp32)
// g_last is the gate of the chunk's last token. Value head h uses key head h / (Hv / Hk).
//   k [B, T, Hk, K] bf16, w [B, T, Hv, K] bf16, u [B, T, Hv, V] bf16, g [B, T, Hv] fp32,
//   initial_state [state_count, Hv, K, V] fp32 (a state pool), initial_state_indices [B] int32
//   -> h [B, NT, Hv, K, V] bf16, v_new [B, T, Hv, V] bf16, final_state [state_count, Hv, K, V].
// Sequence b starts from pool row initial_state_indices[b] and its final state goes back there.
// atrex's reference (and solkit's) returns a copy of the whole pool with those rows replaced; a
// kernel reads and writes only those rows, in place, so the cost counts only them. The rows
// must be distinct. Same dtypes as atrex (no fp8 involved).

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/chunk_gated_delta_rule_state/torch_reference.hpp"

namespace solkit {

namespace ops::chunk_gated_delta_rule_state::axis_errors {
inline constexpr char num_k_heads_not_positive[] = "num_k_heads must be positive";
inline constexpr char num_v_heads_not_a_multiple_of_num_k_heads[] =
    "num_v_heads must be a positive multiple of num_k_heads (each key head serves a whole group "
    "of value heads)";
inline constexpr char key_dim_not_a_multiple_of_16_up_to_256[] =
    "key_dim must be a positive multiple of 16, at most 256: w.S and k^T.v run on bf16 tensor "
    "cores (16-deep steps) and the state's K rows stay on chip, as in FLA's kernel";
inline constexpr char value_dim_not_a_positive_multiple_of_16[] =
    "value_dim must be a positive multiple of 16: the state's V columns are bf16 tensor-core tiles";
inline constexpr char chunk_size_not_a_positive_multiple_of_16[] =
    "chunk_size must be a positive multiple of 16: a chunk's tokens are the rows of bf16 "
    "tensor-core tiles";
}  // namespace ops::chunk_gated_delta_rule_state::axis_errors

/// Axes of `chunk_gated_delta_rule_state_hk{Hk}_hv{Hv}_dk{K}_dv{V}_c{C}`.
struct chunk_gated_delta_rule_state_axes {
  std::int64_t num_k_heads = 0;
  std::int64_t num_v_heads = 0;
  std::int64_t key_dim = 0;
  std::int64_t value_dim = 0;
  std::int64_t chunk_size = 64;
};

constexpr const char* check_axes(const chunk_gated_delta_rule_state_axes& a) {
  namespace e = ops::chunk_gated_delta_rule_state::axis_errors;
  if (a.num_k_heads <= 0) return e::num_k_heads_not_positive;
  if (a.num_v_heads <= 0 || a.num_v_heads % a.num_k_heads != 0) {
    return e::num_v_heads_not_a_multiple_of_num_k_heads;
  }
  if (a.key_dim <= 0 || a.key_dim % 16 != 0 || a.key_dim > 256) {
    return e::key_dim_not_a_multiple_of_16_up_to_256;
  }
  if (a.value_dim <= 0 || a.value_dim % 16 != 0) return e::value_dim_not_a_positive_multiple_of_16;
  if (a.chunk_size <= 0 || a.chunk_size % 16 != 0) return e::chunk_size_not_a_positive_multiple_of_16;
  return nullptr;
}

constexpr definition_spec describe(const chunk_gated_delta_rule_state_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"chunk_gated_delta_rule_state_hk"} + a.num_k_heads + "_hv" +
              a.num_v_heads + "_dk" + a.key_dim + "_dv" + a.value_dim + "_c" + a.chunk_size;
  spec.op_type = "chunk_gated_delta_rule_state";
  spec.description =
      "State pass of chunked gated delta net prefill, atrex-bench's chunk_gated_delta_rule_state "
      "(FLA chunk_gated_delta_rule_fwd_h). Per sequence and value head, the k-first fp32 state S "
      "[K, V] starts at initial_state[initial_state_indices[b]] and walks chunks of chunk_size "
      "tokens (the last may be partial): h[c] = bf16(S); v' = u - w.bf16(S) -> v_new = bf16(v'); "
      "v~ = bf16(v' * exp(g_last - g_t)) with the factor 0 where g_last - g_t > 0; S = S * "
      "exp(g_last) + k^T.v~ (fp32 math; value head h uses key head h // (num_v_heads / "
      "num_k_heads)). final_state is the pool with the used rows replaced (kernels update those "
      "rows in place; rows must be distinct).";
  spec.tags = {"source:atrex-bench", "atrex:chunk_gated_delta_rule_state"};
  spec.axes = {
      var_axis("batch_size", "Sequences, each of token_count tokens."),
      var_axis("token_count", "Tokens per sequence."),
      var_axis("num_chunks", "Chunks per sequence: ceil(token_count / chunk_size)."),
      var_axis("state_count", "Rows of the state pool."),
      const_axis("num_k_heads", a.num_k_heads, "Key heads on this device."),
      const_axis("num_v_heads", a.num_v_heads, "Value heads on this device, a multiple of num_k_heads."),
      const_axis("key_dim", a.key_dim, "Key dimension K: rows of the state."),
      const_axis("value_dim", a.value_dim, "Value dimension V: columns of the state."),
      const_axis("chunk_size", a.chunk_size, "Tokens per chunk."),
  };
  spec.constraints = {"num_chunks == (token_count + chunk_size - 1) // chunk_size",
                      "num_v_heads % num_k_heads == 0", "batch_size <= state_count"};
  spec.inputs = {
      tensor("k", {"batch_size", "token_count", "num_k_heads", "key_dim"}, dtype::bfloat16, "Keys."),
      tensor("w", {"batch_size", "token_count", "num_v_heads", "key_dim"}, dtype::bfloat16,
             "WY-form key side: what the chunk's start state is read through."),
      tensor("u", {"batch_size", "token_count", "num_v_heads", "value_dim"}, dtype::bfloat16,
             "WY-form values (the chunk's values with the intra-chunk corrections)."),
      tensor("g", {"batch_size", "token_count", "num_v_heads"}, dtype::float32,
             "Log gates, summed from the start of each chunk (so decreasing within a chunk in FLA)."),
      tensor("initial_state", {"state_count", "num_v_heads", "key_dim", "value_dim"}, dtype::float32,
             "State pool, k-first [state_count, Hv, K, V]."),
      tensor("initial_state_indices", {"batch_size"}, dtype::int32,
             "Pool row of each sequence's state (distinct rows)."),
  };
  spec.outputs = {
      tensor("h", {"batch_size", "num_chunks", "num_v_heads", "key_dim", "value_dim"}, dtype::bfloat16,
             "State before each chunk, rounded to bf16 (k-first)."),
      tensor("v_new", {"batch_size", "token_count", "num_v_heads", "value_dim"}, dtype::bfloat16,
             "u - w.bf16(S): the values corrected by the chunk's start state."),
      tensor("final_state", {"state_count", "num_v_heads", "key_dim", "value_dim"}, dtype::float32,
             "The pool with each sequence's row replaced by its state after the last chunk."),
  };
  spec.reference = {ops::chunk_gated_delta_rule_state::torch_reference::chunk_state};
  return spec;
}

template <chunk_gated_delta_rule_state_axes Axes>
struct chunk_gated_delta_rule_state : definition_of<Axes> {};

}  // namespace solkit
