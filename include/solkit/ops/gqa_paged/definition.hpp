#pragma once
// Grouped-query attention over a paged KV cache (op_type "gqa_paged"):
// `gqa_paged_decode_h{q}_kv{kv}_d{d}_ps{P}` and `gqa_paged_prefill_causal_h{q}_kv{kv}_d{d}_ps{P}`.
// The cache is [num_pages, page_size, num_kv_heads, head_dim]; sequence b owns the pages
// kv_indices[kv_indptr[b] : kv_indptr[b + 1]], the last of them holding kv_last_page_len[b]
// tokens. With page_size 1 every page holds one token and the dataset omits kv_last_page_len.
// lse is the base-2 log-sum-exp of the scaled logits; an empty sequence gives a zero output and
// lse = -inf. Prefill is causal with the mask aligned bottom-right.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/attention_axes.hpp"
#include "solkit/ops/gqa_paged/torch_reference.hpp"

namespace solkit {

/// Axes of `gqa_paged_decode_h{num_qo_heads}_kv{num_kv_heads}_d{head_dim}_ps{page_size}`.
struct gqa_paged_decode_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t page_size = 0;
};

/// Axes of `gqa_paged_prefill_causal_h{num_qo_heads}_kv{num_kv_heads}_d{head_dim}_ps{page_size}`.
struct gqa_paged_prefill_causal_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t page_size = 0;
};

namespace ops::gqa_paged {
constexpr const char* check(std::int64_t num_qo_heads, std::int64_t num_kv_heads,
                            std::int64_t head_dim, std::int64_t page_size) {
  return first_error(attention::check_gqa_heads(num_qo_heads, num_kv_heads),
                     attention::check_head_dim(head_dim), attention::check_page_size(page_size));
}

constexpr axis_spec num_qo_heads_axis(std::int64_t value) {
  return const_axis("num_qo_heads", value, "Number of query heads on this device.");
}
constexpr axis_spec num_kv_heads_axis(std::int64_t value) {
  return const_axis("num_kv_heads", value,
                    "Number of key/value heads on this device (replicated when tensor "
                    "parallelism exceeds the model's kv heads).");
}
constexpr axis_spec head_dim_axis(std::int64_t value) {
  return const_axis("head_dim", value, "Dimension of each head.");
}
constexpr axis_spec page_size_axis(std::int64_t value) {
  return const_axis("page_size", value, "Tokens per page of the KV cache.");
}

constexpr tensor_spec k_cache() {
  return tensor("k_cache", {"num_pages", "page_size", "num_kv_heads", "head_dim"},
                dtype::bfloat16, "Paged key cache.");
}
constexpr tensor_spec v_cache() {
  return tensor("v_cache", {"num_pages", "page_size", "num_kv_heads", "head_dim"},
                dtype::bfloat16, "Paged value cache.");
}
constexpr tensor_spec kv_indptr() {
  return tensor("kv_indptr", {"len_indptr"}, dtype::int32,
                "Offsets into kv_indices: sequence b owns kv_indices[kv_indptr[b]:kv_indptr[b+1]].");
}
constexpr tensor_spec kv_indices() {
  return tensor("kv_indices", {"num_kv_indices"}, dtype::int32,
                "Page ids of every sequence, concatenated.");
}
constexpr tensor_spec kv_last_page_len() {
  return tensor("kv_last_page_len", {"batch_size"}, dtype::int32,
                "Tokens held by each sequence's last page, in [1, page_size].");
}
constexpr tensor_spec sm_scale() {
  return scalar("sm_scale", dtype::float32, "Softmax scale, usually 1/sqrt(head_dim).");
}
constexpr tensor_spec lse(std::string_view rows) {
  return tensor("lse", {rows, "num_qo_heads"}, dtype::float32,
                "Base-2 log-sum-exp of the scaled attention logits (-inf for an empty sequence).");
}
}  // namespace ops::gqa_paged

constexpr const char* check_axes(const gqa_paged_decode_axes& a) {
  return ops::gqa_paged::check(a.num_qo_heads, a.num_kv_heads, a.head_dim, a.page_size);
}

constexpr definition_spec describe(const gqa_paged_decode_axes& a) {
  namespace g = ops::gqa_paged;
  definition_spec spec{};
  spec.name = definition_name{"gqa_paged_decode_h"} + a.num_qo_heads + "_kv" + a.num_kv_heads +
              "_d" + a.head_dim + "_ps" + a.page_size;
  spec.op_type = "gqa_paged";
  spec.description =
      "Batched grouped-query attention decode (one query token per sequence) over a paged KV "
      "cache. Query head h reads kv head h / (num_qo_heads / num_kv_heads). bf16 in and out, "
      "fp32 softmax and accumulation.";
  spec.tags = {"stage:decode", "fi_api:flashinfer.decode.BatchDecodeWithPagedKVCacheWrapper"};
  spec.axes = {
      var_axis("batch_size", "Number of sequences, one query token each."),
      g::num_qo_heads_axis(a.num_qo_heads),
      g::num_kv_heads_axis(a.num_kv_heads),
      g::head_dim_axis(a.head_dim),
      var_axis("num_pages", "Pages allocated in the KV cache pool."),
      g::page_size_axis(a.page_size),
      var_axis("len_indptr", "Length of kv_indptr (batch_size + 1)."),
      var_axis("num_kv_indices", "Total pages used by the batch (kv_indptr[-1])."),
  };
  spec.constraints = {"len_indptr == batch_size + 1", "num_kv_indices == kv_indptr[-1].item()"};
  spec.inputs = {
      tensor("q", {"batch_size", "num_qo_heads", "head_dim"}, dtype::bfloat16,
             "Query of each sequence's new token."),
      g::k_cache(),
      g::v_cache(),
      g::kv_indptr(),
      g::kv_indices(),
  };
  if (a.page_size > 1) spec.inputs.push_back(g::kv_last_page_len());
  spec.inputs.push_back(g::sm_scale());
  spec.outputs = {
      tensor("output", {"batch_size", "num_qo_heads", "head_dim"}, dtype::bfloat16,
             "Attention output."),
      g::lse("batch_size"),
  };
  spec.reference = {g::torch_reference::paged_common, g::torch_reference::decode_common,
                    a.page_size > 1 ? g::torch_reference::decode : g::torch_reference::decode_ps1};
  return spec;
}

constexpr const char* check_axes(const gqa_paged_prefill_causal_axes& a) {
  return ops::gqa_paged::check(a.num_qo_heads, a.num_kv_heads, a.head_dim, a.page_size);
}

constexpr definition_spec describe(const gqa_paged_prefill_causal_axes& a) {
  namespace g = ops::gqa_paged;
  definition_spec spec{};
  spec.name = definition_name{"gqa_paged_prefill_causal_h"} + a.num_qo_heads + "_kv" +
              a.num_kv_heads + "_d" + a.head_dim + "_ps" + a.page_size;
  spec.op_type = "gqa_paged";
  spec.description =
      "Batched causal grouped-query attention prefill over a paged KV cache, queries ragged by "
      "qo_indptr. Query i of a sequence with q_len queries and kv_len keys sees key j iff "
      "j <= i + kv_len - q_len (mask aligned bottom-right). bf16 in and out, fp32 softmax.";
  spec.tags = {"stage:prefill", "fi_api:flashinfer.prefill.BatchPrefillWithPagedKVCacheWrapper"};
  spec.axes = {
      g::num_qo_heads_axis(a.num_qo_heads),
      g::num_kv_heads_axis(a.num_kv_heads),
      g::head_dim_axis(a.head_dim),
      g::page_size_axis(a.page_size),
      var_axis("len_indptr", "Length of qo_indptr and kv_indptr (number of sequences + 1)."),
      var_axis("total_q", "Query tokens of the whole batch (qo_indptr[-1])."),
      var_axis("num_kv_indices", "Total pages used by the batch (kv_indptr[-1])."),
      var_axis("num_pages", "Pages allocated in the KV cache pool."),
  };
  if (a.page_size > 1) {
    spec.axes.push_back(var_axis("batch_size", "Number of sequences (len_indptr - 1)."));
  }
  spec.constraints = {"total_q == qo_indptr[-1].item()", "num_kv_indices == kv_indptr[-1].item()"};
  spec.inputs = {
      tensor("q", {"total_q", "num_qo_heads", "head_dim"}, dtype::bfloat16,
             "Queries of every sequence, concatenated."),
      g::k_cache(),
      g::v_cache(),
      tensor("qo_indptr", {"len_indptr"}, dtype::int32,
             "Offsets into q: sequence b owns q[qo_indptr[b]:qo_indptr[b+1]]."),
      g::kv_indptr(),
      g::kv_indices(),
  };
  if (a.page_size > 1) spec.inputs.push_back(g::kv_last_page_len());
  spec.inputs.push_back(g::sm_scale());
  spec.outputs = {
      tensor("output", {"total_q", "num_qo_heads", "head_dim"}, dtype::bfloat16,
             "Attention output."),
      g::lse("total_q"),
  };
  spec.reference = {g::torch_reference::paged_common, g::torch_reference::prefill_causal_common,
                    a.page_size > 1 ? g::torch_reference::prefill_causal
                                    : g::torch_reference::prefill_causal_ps1};
  return spec;
}

template <gqa_paged_decode_axes Axes>
struct gqa_paged_decode : definition_of<Axes> {};

template <gqa_paged_prefill_causal_axes Axes>
struct gqa_paged_prefill_causal : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<gqa_paged_decode_axes> = true;  // kernel: solkit/ops/gqa_paged/decode_kernel.cuh
template <>
inline constexpr bool kernel_exists<gqa_paged_prefill_causal_axes> = true;  // kernel: solkit/ops/gqa_paged/prefill_kernel.cuh

}  // namespace solkit
