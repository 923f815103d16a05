#pragma once
// atrex-bench's attention operators mapped onto flashinfer-bench op types: each is the same
// computation as a solkit attention definition; only atrex's calling convention differs (block
// tables and sequence lengths instead of page indptr/indices, a vLLM-ROCm cache layout, packed
// MLA tensors), which docs/atrex.md lists per operator.
//   paged_attention_decode -> gqa_paged_decode_h{Hq}_kv{Hkv}_d{D}_ps{bs}
//   unified_attention      -> gqa_paged_prefill_causal_h{Hq}_kv{Hkv}_d{D}_ps{bs}
//   attention_forward      -> gqa_ragged_prefill_h{H}_kv{H}_d{D}      (bidirectional)
//   mla_decode_attention   -> mla_paged_decode_h{H}_ckv{r}_kpe{dr}_ps1 (sm_scale = 1/sqrt(r+dr))

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/attention_cases.hpp"
#include "solkit/ops/gqa_paged/cost.hpp"
#include "solkit/ops/gqa_ragged/cost.hpp"
#include "solkit/ops/mla_paged/cost.hpp"

namespace solkit::codegen {

namespace detail::atrex_attention {
/// input_kwargs' `seq_lens` as {length: number of sequences}; its size must equal `num_seqs`
/// where atrex gives that too.
inline std::map<std::int64_t, std::int64_t> sequence_groups(std::string_view op, const nlohmann::json& input,
                                                            bool has_num_seqs) {
  const auto bad = [&](const std::string& why) {
    return input_error("atrex " + std::string{op} + ": input_kwargs key 'seq_lens' " + why);
  };
  if (!input.contains("seq_lens") || !input["seq_lens"].is_array() || input["seq_lens"].empty()) {
    throw bad("is missing or not a non-empty list");
  }
  std::map<std::int64_t, std::int64_t> groups;
  for (const nlohmann::json& length : input["seq_lens"]) {
    if (!length.is_number_integer() || length.get<std::int64_t>() <= 0) throw bad("holds a non-positive length");
    ++groups[length.get<std::int64_t>()];
  }
  if (has_num_seqs) {
    const std::int64_t num_seqs = detail::atrex_kwargs::positive_int(op, "input_kwargs", input, "num_seqs");
    detail::atrex_kwargs::require_equal(op, "num_seqs", num_seqs,
                                       static_cast<std::int64_t>(input["seq_lens"].size()));
  }
  return groups;
}

/// The cost of a batch of sequences of unequal lengths: the sum over groups of equal lengths,
/// less the indptr entries each group's cost adds beyond one array per batch (`indptr_arrays`
/// arrays of 4-byte offsets: (batch + 1) entries each).
template <class Axes>
roofline::cost grouped_prefill_cost(const Axes& axes, const std::map<std::int64_t, std::int64_t>& groups,
                                    double indptr_arrays) {
  roofline::cost total;
  for (const auto& [length, count] : groups) total += cost_of(axes, attention_prefill_workload{count, length, length});
  total.bytes_read -= static_cast<double>(groups.size() - 1) * indptr_arrays * 4;
  return total;
}
/// The shape of an attention operator with its benchmark case where the definition has a kernel
/// and the sequences are of one length (`lengths` holds one group; every atrex shape has that),
/// each with `q_len` queries (1: decode; 0: all its tokens) over `kv_len` tokens.
template <class Axes>
atrex_shape attention_shape(std::string_view op, const Axes& axes, const roofline::cost& cost,
                            const std::map<std::int64_t, std::int64_t>& lengths, std::int64_t q_len) {
  atrex_shape shape{detail::atrex_kwargs::spec_of(op, axes), cost, std::nullopt};
  if constexpr (kernel_exists<Axes>) {
    if (lengths.size() == 1) {
      const auto& [kv_len, sequences] = *lengths.begin();
      shape.kernel = atrex_kernel_case{detail::axes_expression{}(axes),
                                       attention_var_axes(shape.spec, sequences, q_len == 0 ? kv_len : q_len, kv_len)};
    }
  }
  return shape;
}
}  // namespace detail::atrex_attention

/// paged_attention_decode: no init; input {num_seqs, ctx_len, num_query_heads, num_kv_heads,
/// head_size, block_size, dtype}. dtype fp16 maps onto the bf16 definition: same bytes and the
/// same tensor-core peak, so the same cost (docs/atrex.md).
inline atrex_shape paged_attention_decode_from_atrex(const nlohmann::json& init_kwargs,
                                                     const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "paged_attention_decode";
  n::kwargs_object(op, "init_kwargs", init_kwargs);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  if (!input.contains("dtype") || !input["dtype"].is_string() ||
      (input["dtype"] != "bf16" && input["dtype"] != "fp16")) {
    throw input_error("atrex paged_attention_decode: input_kwargs key 'dtype' is missing or not "
                      "\"bf16\" or \"fp16\"");
  }
  const gqa_paged_decode_axes axes{n::positive_int(op, "input_kwargs", input, "num_query_heads"),
                                   n::positive_int(op, "input_kwargs", input, "num_kv_heads"),
                                   n::positive_int(op, "input_kwargs", input, "head_size"),
                                   n::positive_int(op, "input_kwargs", input, "block_size")};
  const gqa_paged_decode_workload workload{n::positive_int(op, "input_kwargs", input, "num_seqs"),
                                           n::positive_int(op, "input_kwargs", input, "ctx_len")};
  return detail::atrex_attention::attention_shape(op, axes, cost_of(axes, workload),
                                                  {{workload.kv_len, workload.batch_size}}, 1);
}

/// unified_attention: no init; input {num_seqs, seq_lens, num_query_heads, num_kv_heads,
/// head_size, block_size}. Every sequence's queries are all its tokens (q_len = kv_len), so
/// atrex's reference applies the causal mask, which is gqa_paged's bottom-right rule.
inline atrex_shape unified_attention_from_atrex(const nlohmann::json& init_kwargs,
                                                const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "unified_attention";
  n::kwargs_object(op, "init_kwargs", init_kwargs);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  const gqa_paged_prefill_causal_axes axes{n::positive_int(op, "input_kwargs", input, "num_query_heads"),
                                           n::positive_int(op, "input_kwargs", input, "num_kv_heads"),
                                           n::positive_int(op, "input_kwargs", input, "head_size"),
                                           n::positive_int(op, "input_kwargs", input, "block_size")};
  const auto groups = detail::atrex_attention::sequence_groups(op, input, true);
  return detail::atrex_attention::attention_shape(  // qo_ and kv_indptr
      op, axes, detail::atrex_attention::grouped_prefill_cost(axes, groups, 2), groups, 0);
}

/// attention_forward: no init; input {num_heads, head_dim, seq_lens}: multi-head attention
/// without a mask over each sequence (q, k, v share cu_seqlens).
inline atrex_shape attention_forward_from_atrex(const nlohmann::json& init_kwargs,
                                                const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "attention_forward";
  n::kwargs_object(op, "init_kwargs", init_kwargs);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  const std::int64_t heads = n::positive_int(op, "input_kwargs", input, "num_heads");
  const gqa_ragged_prefill_axes axes{heads, heads, n::positive_int(op, "input_kwargs", input, "head_dim")};
  const auto groups = detail::atrex_attention::sequence_groups(op, input, false);
  return detail::atrex_attention::attention_shape(op, axes, detail::atrex_attention::grouped_prefill_cost(axes, groups, 2),
                                                  groups, 0);
}

/// mla_decode_attention: init and input {nhead, kv_lora_rank, qk_rope_head_dim} (must agree),
/// input {batch_size, ctx_len}. atrex's contiguous per-sequence cache is a page-size-1 cache
/// whose page ids are consecutive; its packed q and cache rows split at kv_lora_rank into the
/// definition's nope/ckv and pe/kpe parts; its scale 1/sqrt(576) is the sm_scale input.
inline atrex_shape mla_decode_attention_from_atrex(const nlohmann::json& init_kwargs,
                                                   const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "mla_decode_attention";
  const auto both = [&](const char* key) { return n::positive_int_in_both(op, init_kwargs, input_kwargs, key); };
  const mla_paged_decode_axes axes{both("nhead"), both("kv_lora_rank"), both("qk_rope_head_dim"), 1};
  const gqa_paged_decode_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "batch_size"),
                                           n::positive_int(op, "input_kwargs", input_kwargs, "ctx_len")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
