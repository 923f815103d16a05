#pragma once
// Grouped-query attention over ragged (contiguous) K/V (op_type "gqa_ragged"):
// `gqa_ragged_prefill_causal_h{q}_kv{kv}_d{d}` and the bidirectional
// `gqa_ragged_prefill_h{q}_kv{kv}_d{d}` (vision encoders: every query sees every key of its
// sequence; flashinfer-bench has no sample of it, atrex-bench's attention_forward is one).
// Sequence b owns q[qo_indptr[b]:qo_indptr[b+1]] and k, v[kv_indptr[b]:kv_indptr[b+1]]; the
// causal mask is aligned bottom-right; lse in base 2.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/attention_axes.hpp"
#include "solkit/ops/gqa_ragged/torch_reference.hpp"

namespace solkit {

/// Axes of `gqa_ragged_prefill_causal_h{num_qo_heads}_kv{num_kv_heads}_d{head_dim}`.
struct gqa_ragged_prefill_causal_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;
};

/// Axes of `gqa_ragged_prefill_h{num_qo_heads}_kv{num_kv_heads}_d{head_dim}` (no mask).
struct gqa_ragged_prefill_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;
};

namespace ops::gqa_ragged {
constexpr const char* check(std::int64_t num_qo_heads, std::int64_t num_kv_heads, std::int64_t head_dim) {
  return first_error(attention::check_gqa_heads(num_qo_heads, num_kv_heads),
                     attention::check_head_dim(head_dim));
}

/// The spec both variants share; `causal` picks the name, the description and the reference.
constexpr definition_spec describe(std::int64_t num_qo_heads, std::int64_t num_kv_heads,
                                   std::int64_t head_dim, bool causal) {
  definition_spec spec{};
  spec.name = definition_name{causal ? "gqa_ragged_prefill_causal_h" : "gqa_ragged_prefill_h"} +
              num_qo_heads + "_kv" + num_kv_heads + "_d" + head_dim;
  spec.op_type = "gqa_ragged";
  spec.description =
      causal ? "Batched causal grouped-query attention prefill with ragged K/V (no paging). Query i of a "
               "sequence with q_len queries and kv_len keys sees key j iff j <= i + kv_len - q_len. bf16 "
               "in and out, fp32 softmax and accumulation."
             : "Batched bidirectional grouped-query attention with ragged K/V (no paging, no mask): "
               "every query of a sequence sees every key of it, as vision encoders attend. bf16 in "
               "and out, fp32 softmax and accumulation.";
  spec.tags = {"stage:prefill", "fi_api:flashinfer.prefill.BatchPrefillWithRaggedKVCacheWrapper"};
  spec.axes = {
      const_axis("num_qo_heads", num_qo_heads, "Number of query heads on this device."),
      const_axis("num_kv_heads", num_kv_heads, "Number of key/value heads on this device."),
      const_axis("head_dim", head_dim, "Dimension of each head."),
      var_axis("len_indptr", "Length of qo_indptr and kv_indptr (number of sequences + 1)."),
      var_axis("total_q", "Query tokens of the whole batch (qo_indptr[-1])."),
      var_axis("total_kv", "Key/value tokens of the whole batch (kv_indptr[-1])."),
  };
  spec.constraints = {"total_q == qo_indptr[-1].item()", "total_kv == kv_indptr[-1].item()"};
  spec.inputs = {
      tensor("q", {"total_q", "num_qo_heads", "head_dim"}, dtype::bfloat16,
             "Queries of every sequence, concatenated."),
      tensor("k", {"total_kv", "num_kv_heads", "head_dim"}, dtype::bfloat16,
             "Keys of every sequence, concatenated."),
      tensor("v", {"total_kv", "num_kv_heads", "head_dim"}, dtype::bfloat16,
             "Values of every sequence, concatenated."),
      tensor("qo_indptr", {"len_indptr"}, dtype::int32, "Offsets of each sequence's queries."),
      tensor("kv_indptr", {"len_indptr"}, dtype::int32, "Offsets of each sequence's keys/values."),
      scalar("sm_scale", dtype::float32, "Softmax scale, usually 1/sqrt(head_dim)."),
  };
  spec.outputs = {
      tensor("output", {"total_q", "num_qo_heads", "head_dim"}, dtype::bfloat16,
             "Attention output."),
      tensor("lse", {"total_q", "num_qo_heads"}, dtype::float32,
             "Base-2 log-sum-exp of the scaled attention logits."),
  };
  spec.reference = {torch_reference::ragged_common,
                    causal ? torch_reference::prefill_causal : torch_reference::prefill};
  return spec;
}
}  // namespace ops::gqa_ragged

constexpr const char* check_axes(const gqa_ragged_prefill_causal_axes& a) {
  return ops::gqa_ragged::check(a.num_qo_heads, a.num_kv_heads, a.head_dim);
}
constexpr definition_spec describe(const gqa_ragged_prefill_causal_axes& a) {
  return ops::gqa_ragged::describe(a.num_qo_heads, a.num_kv_heads, a.head_dim, true);
}

constexpr const char* check_axes(const gqa_ragged_prefill_axes& a) {
  return ops::gqa_ragged::check(a.num_qo_heads, a.num_kv_heads, a.head_dim);
}
constexpr definition_spec describe(const gqa_ragged_prefill_axes& a) {
  return ops::gqa_ragged::describe(a.num_qo_heads, a.num_kv_heads, a.head_dim, false);
}

template <gqa_ragged_prefill_causal_axes Axes>
struct gqa_ragged_prefill_causal : definition_of<Axes> {};

template <gqa_ragged_prefill_axes Axes>
struct gqa_ragged_prefill : definition_of<Axes> {};

// Both run by the shared tensor-core prefill kernel: solkit/ops/gqa_ragged/kernel.cuh.
template <>
inline constexpr bool kernel_exists<gqa_ragged_prefill_causal_axes> = true;
template <>
inline constexpr bool kernel_exists<gqa_ragged_prefill_axes> = true;

}  // namespace solkit
