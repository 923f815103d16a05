#pragma once
// Output pass of chunked gated-delta-net prefill (op_type "chunk_delta_rule_output"):
// `chunk_delta_rule_output_hq{Hq}_hv{Hv}_dk{K}_dv{V}_c{C}`, atrex-bench's chunk_delta_rule_output
// (FLA's chunk_fwd_o, as sglang and vLLM run it for Qwen3-Next). Each of B sequences of T tokens
// is cut into NT = ceil(T / C) chunks (the last may be partial); token i of chunk c, value head h:
//   o_i = scale * ( exp(g_i) q_i . h[c]  +  sum_{j <= i in chunk c} bf16(A_ij) v_j )
//   A_ij = (q_i . k_j) * exp(g_i - g_j), the factor 0 where g_i - g_j > 0 (diagonal included)
// with h[c] the k-first state before the chunk (from chunk_gated_delta_rule_state), v its v_new,
// g the log gates summed within each chunk; fp32 math, o rounded to bf16. Value head h reads
// query/key head h / (Hv / Hq).
//   q, k [B, T, Hq, K] bf16; v [B, T, Hv, V] bf16; h [B, NT, Hv, K, V] bf16; g [B, T, Hv] fp32
//   -> o [B, T, Hv, V] bf16.
// scale is fixed at 1 / sqrt(key_dim), atrex's default (no atrex shape passes another; a
// float cannot be a const axis). Same dtypes as atrex.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/chunk_delta_rule_output/torch_reference.hpp"

namespace solkit {

namespace ops::chunk_delta_rule_output::axis_errors {
inline constexpr char num_q_heads_not_positive[] = "num_q_heads must be positive";
inline constexpr char num_v_heads_not_a_multiple_of_num_q_heads[] =
    "num_v_heads must be a positive multiple of num_q_heads (each query/key head serves a whole "
    "group of value heads)";
inline constexpr char key_dim_not_a_multiple_of_16_up_to_256[] =
    "key_dim must be a positive multiple of 16, at most 256: q.h and q.k^T run on bf16 tensor "
    "cores (16-deep steps) with a chunk's K columns on chip, as in FLA's kernel";
inline constexpr char value_dim_not_a_positive_multiple_of_16[] =
    "value_dim must be a positive multiple of 16: the output's V columns are bf16 tensor-core tiles";
inline constexpr char chunk_size_not_a_positive_multiple_of_16[] =
    "chunk_size must be a positive multiple of 16: a chunk's tokens are the rows of bf16 "
    "tensor-core tiles";
}  // namespace ops::chunk_delta_rule_output::axis_errors

/// Axes of `chunk_delta_rule_output_hq{Hq}_hv{Hv}_dk{K}_dv{V}_c{C}`.
struct chunk_delta_rule_output_axes {
  std::int64_t num_q_heads = 0;
  std::int64_t num_v_heads = 0;
  std::int64_t key_dim = 0;
  std::int64_t value_dim = 0;
  std::int64_t chunk_size = 64;
};

constexpr const char* check_axes(const chunk_delta_rule_output_axes& a) {
  namespace e = ops::chunk_delta_rule_output::axis_errors;
  if (a.num_q_heads <= 0) return e::num_q_heads_not_positive;
  if (a.num_v_heads <= 0 || a.num_v_heads % a.num_q_heads != 0) {
    return e::num_v_heads_not_a_multiple_of_num_q_heads;
  }
  if (a.key_dim <= 0 || a.key_dim % 16 != 0 || a.key_dim > 256) {
    return e::key_dim_not_a_multiple_of_16_up_to_256;
  }
  if (a.value_dim <= 0 || a.value_dim % 16 != 0) return e::value_dim_not_a_positive_multiple_of_16;
  if (a.chunk_size <= 0 || a.chunk_size % 16 != 0) return e::chunk_size_not_a_positive_multiple_of_16;
  return nullptr;
}

constexpr definition_spec describe(const chunk_delta_rule_output_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"chunk_delta_rule_output_hq"} + a.num_q_heads + "_hv" +
              a.num_v_heads + "_dk" + a.key_dim + "_dv" + a.value_dim + "_c" + a.chunk_size;
  spec.op_type = "chunk_delta_rule_output";
  spec.description =
      "Output pass of chunked gated delta net prefill, atrex-bench's chunk_delta_rule_output (FLA "
      "chunk_fwd_o). For token i of chunk c and value head h: o_i = scale * (exp(g_i) q_i.h[c] + "
      "sum over j <= i in the chunk of bf16(A_ij) v_j), A_ij = (q_i.k_j) * exp(g_i - g_j) with the "
      "factor 0 where g_i - g_j > 0, diagonal included. h[c] is the k-first state before the "
      "chunk; the last chunk may be partial; scale = 1 / sqrt(key_dim), fixed; fp32 math, o "
      "rounded to bf16. Value head h reads q/k head h // (num_v_heads / num_q_heads).";
  spec.tags = {"source:atrex-bench", "atrex:chunk_delta_rule_output"};
  spec.axes = {
      var_axis("batch_size", "Sequences, each of token_count tokens."),
      var_axis("token_count", "Tokens per sequence."),
      var_axis("num_chunks", "Chunks per sequence: ceil(token_count / chunk_size)."),
      const_axis("num_q_heads", a.num_q_heads, "Query heads on this device (keys have as many)."),
      const_axis("num_v_heads", a.num_v_heads, "Value heads on this device, a multiple of num_q_heads."),
      const_axis("key_dim", a.key_dim, "Query/key dimension K: rows of the state."),
      const_axis("value_dim", a.value_dim, "Value dimension V: columns of the state."),
      const_axis("chunk_size", a.chunk_size, "Tokens per chunk."),
  };
  spec.constraints = {"num_chunks == (token_count + chunk_size - 1) // chunk_size",
                      "num_v_heads % num_q_heads == 0"};
  spec.inputs = {
      tensor("q", {"batch_size", "token_count", "num_q_heads", "key_dim"}, dtype::bfloat16, "Queries."),
      tensor("k", {"batch_size", "token_count", "num_q_heads", "key_dim"}, dtype::bfloat16,
             "Keys (one per query head)."),
      tensor("v", {"batch_size", "token_count", "num_v_heads", "value_dim"}, dtype::bfloat16,
             "Values after the state correction (v_new of the state pass)."),
      tensor("h", {"batch_size", "num_chunks", "num_v_heads", "key_dim", "value_dim"}, dtype::bfloat16,
             "State before each chunk, k-first (h of the state pass)."),
      tensor("g", {"batch_size", "token_count", "num_v_heads"}, dtype::float32,
             "Log gates, summed from the start of each chunk."),
  };
  spec.outputs = {
      tensor("o", {"batch_size", "token_count", "num_v_heads", "value_dim"}, dtype::bfloat16,
             "Output per value head."),
  };
  spec.reference = {ops::chunk_delta_rule_output::torch_reference::chunk_output};
  return spec;
}

template <chunk_delta_rule_output_axes Axes>
struct chunk_delta_rule_output : definition_of<Axes> {};

}  // namespace solkit
