#pragma once
// Multi-head latent attention over a paged cache, weights absorbed (op_type "mla_paged"):
// `mla_paged_decode_h{q}_ckv{c}_kpe{k}_ps{P}` and `mla_paged_prefill_causal_h{q}_ckv{c}_kpe{k}_ps{P}`.
// Every query head attends to one shared latent cache: logits = (q_nope . ckv + q_pe . kpe) *
// sm_scale, output = softmax(logits) @ ckv (dimension head_dim_ckv). Paging, lse (base 2) and the
// causal rule (bottom-right) are those of gqa_paged.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/attention_axes.hpp"
#include "solkit/ops/mla_paged/torch_reference.hpp"

namespace solkit {

/// Axes of `mla_paged_decode_h{num_qo_heads}_ckv{head_dim_ckv}_kpe{head_dim_kpe}_ps{page_size}`.
struct mla_paged_decode_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t head_dim_ckv = 0;
  std::int64_t head_dim_kpe = 0;
  std::int64_t page_size = 0;
};

/// Axes of `mla_paged_prefill_causal_h{num_qo_heads}_ckv{head_dim_ckv}_kpe{head_dim_kpe}_ps{page_size}`.
struct mla_paged_prefill_causal_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t head_dim_ckv = 0;
  std::int64_t head_dim_kpe = 0;
  std::int64_t page_size = 0;
};

namespace ops::mla_paged {
namespace axis_errors {
inline constexpr char head_dim_ckv_not_512[] =
    "head_dim_ckv must be 512 (DeepSeek's kv_lora_rank): the MLA kernels are built for it";
inline constexpr char head_dim_kpe_not_64[] =
    "head_dim_kpe must be 64 (DeepSeek's qk_rope_head_dim): the MLA kernels are built for it";
}  // namespace axis_errors

/// MLA head sizes the kernels support; shared with dsa_paged, which reads the same caches.
constexpr const char* check_latent_dims(std::int64_t head_dim_ckv, std::int64_t head_dim_kpe) {
  if (head_dim_ckv != 512) return axis_errors::head_dim_ckv_not_512;
  if (head_dim_kpe != 64) return axis_errors::head_dim_kpe_not_64;
  return nullptr;
}

constexpr const char* check(std::int64_t num_qo_heads, std::int64_t head_dim_ckv,
                            std::int64_t head_dim_kpe, std::int64_t page_size) {
  if (num_qo_heads <= 0) return attention::axis_errors::num_qo_heads_not_positive;
  return first_error(check_latent_dims(head_dim_ckv, head_dim_kpe),
                     attention::check_page_size(page_size));
}

constexpr tensor_spec ckv_cache() {
  return tensor("ckv_cache", {"num_pages", "page_size", "head_dim_ckv"}, dtype::bfloat16,
                "Paged compressed key/value (latent) cache, shared by all heads.");
}
constexpr tensor_spec kpe_cache() {
  return tensor("kpe_cache", {"num_pages", "page_size", "head_dim_kpe"}, dtype::bfloat16,
                "Paged rotary key part, shared by all heads.");
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
  return scalar("sm_scale", dtype::float32,
                "Softmax scale; for DeepSeek 1/sqrt(qk_nope_head_dim + qk_rope_head_dim) = "
                "1/sqrt(192), the pre-absorption head size.");
}
constexpr tensor_spec lse(std::string_view rows) {
  return tensor("lse", {rows, "num_qo_heads"}, dtype::float32,
                "Base-2 log-sum-exp of the scaled attention logits (-inf for an empty sequence).");
}
constexpr tensor_spec output(std::string_view rows) {
  return tensor("output", {rows, "num_qo_heads", "head_dim_ckv"}, dtype::bfloat16,
                "Attention output in the latent space.");
}
constexpr void add_const_axes(definition_spec& spec, std::int64_t num_qo_heads,
                              std::int64_t head_dim_ckv, std::int64_t head_dim_kpe,
                              std::int64_t page_size) {
  spec.axes.push_back(const_axis("num_qo_heads", num_qo_heads, "Number of query heads on this device."));
  spec.axes.push_back(const_axis("head_dim_ckv", head_dim_ckv, "Compressed key/value (latent) dimension."));
  spec.axes.push_back(const_axis("head_dim_kpe", head_dim_kpe, "Rotary key dimension."));
  spec.axes.push_back(const_axis("page_size", page_size, "Tokens per page of the cache."));
}
}  // namespace ops::mla_paged

constexpr const char* check_axes(const mla_paged_decode_axes& a) {
  return ops::mla_paged::check(a.num_qo_heads, a.head_dim_ckv, a.head_dim_kpe, a.page_size);
}

constexpr definition_spec describe(const mla_paged_decode_axes& a) {
  namespace m = ops::mla_paged;
  definition_spec spec{};
  spec.name = definition_name{"mla_paged_decode_h"} + a.num_qo_heads + "_ckv" + a.head_dim_ckv +
              "_kpe" + a.head_dim_kpe + "_ps" + a.page_size;
  spec.op_type = "mla_paged";
  spec.description =
      "Batched multi-head latent attention decode (DeepSeek MLA with absorbed weights) over a "
      "paged latent cache: one query token per sequence. bf16 in and out, fp32 softmax.";
  spec.tags = {"stage:decode", "fi_api:flashinfer.mla.BatchMLAPagedAttentionWrapper"};
  spec.axes.push_back(var_axis("batch_size", "Number of sequences, one query token each."));
  m::add_const_axes(spec, a.num_qo_heads, a.head_dim_ckv, a.head_dim_kpe, a.page_size);
  spec.axes.push_back(var_axis("num_pages", "Pages allocated in the cache pool."));
  spec.axes.push_back(var_axis("len_indptr", "Length of kv_indptr (batch_size + 1)."));
  spec.axes.push_back(var_axis("num_kv_indices", "Total pages used by the batch (kv_indptr[-1])."));
  spec.constraints = {"len_indptr == batch_size + 1", "num_kv_indices == kv_indptr[-1].item()"};
  spec.inputs = {
      tensor("q_nope", {"batch_size", "num_qo_heads", "head_dim_ckv"}, dtype::bfloat16,
             "Query without positional encoding, absorbed into the latent space."),
      tensor("q_pe", {"batch_size", "num_qo_heads", "head_dim_kpe"}, dtype::bfloat16,
             "Rotary query part."),
      m::ckv_cache(),
      m::kpe_cache(),
      m::kv_indptr(),
      m::kv_indices(),
  };
  if (a.page_size > 1) spec.inputs.push_back(m::kv_last_page_len());
  spec.inputs.push_back(m::sm_scale());
  spec.outputs = {m::output("batch_size"), m::lse("batch_size")};
  spec.reference = {m::torch_reference::paged_common, m::torch_reference::decode_common,
                    a.page_size > 1 ? m::torch_reference::decode : m::torch_reference::decode_ps1};
  return spec;
}

constexpr const char* check_axes(const mla_paged_prefill_causal_axes& a) {
  return ops::mla_paged::check(a.num_qo_heads, a.head_dim_ckv, a.head_dim_kpe, a.page_size);
}

constexpr definition_spec describe(const mla_paged_prefill_causal_axes& a) {
  namespace m = ops::mla_paged;
  definition_spec spec{};
  spec.name = definition_name{"mla_paged_prefill_causal_h"} + a.num_qo_heads + "_ckv" +
              a.head_dim_ckv + "_kpe" + a.head_dim_kpe + "_ps" + a.page_size;
  spec.op_type = "mla_paged";
  spec.description =
      "Batched causal multi-head latent attention prefill (absorbed weights) over a paged latent "
      "cache, queries ragged by qo_indptr; query i sees key j iff j <= i + kv_len - q_len.";
  spec.tags = {"stage:prefill", "fi_api:flashinfer.mla.BatchMLAPagedAttentionWrapper"};
  m::add_const_axes(spec, a.num_qo_heads, a.head_dim_ckv, a.head_dim_kpe, a.page_size);
  spec.axes.push_back(var_axis("total_q", "Query tokens of the whole batch (qo_indptr[-1])."));
  spec.axes.push_back(var_axis("num_pages", "Pages allocated in the cache pool."));
  spec.axes.push_back(
      var_axis("len_indptr", "Length of qo_indptr and kv_indptr (number of sequences + 1)."));
  spec.axes.push_back(var_axis("num_kv_indices", "Total pages used by the batch (kv_indptr[-1])."));
  if (a.page_size > 1) {
    spec.axes.push_back(var_axis("batch_size", "Number of sequences (len_indptr - 1)."));
  }
  spec.constraints = {"total_q == qo_indptr[-1].item()", "num_kv_indices == kv_indptr[-1].item()"};
  spec.inputs = {
      tensor("q_nope", {"total_q", "num_qo_heads", "head_dim_ckv"}, dtype::bfloat16,
             "Query without positional encoding, absorbed into the latent space."),
      tensor("q_pe", {"total_q", "num_qo_heads", "head_dim_kpe"}, dtype::bfloat16,
             "Rotary query part."),
      m::ckv_cache(),
      m::kpe_cache(),
      tensor("qo_indptr", {"len_indptr"}, dtype::int32,
             "Offsets into the queries: sequence b owns rows qo_indptr[b]:qo_indptr[b+1]."),
      m::kv_indptr(),
      m::kv_indices(),
  };
  if (a.page_size > 1) spec.inputs.push_back(m::kv_last_page_len());
  spec.inputs.push_back(m::sm_scale());
  spec.outputs = {m::output("total_q"), m::lse("total_q")};
  spec.reference = {m::torch_reference::paged_common, m::torch_reference::prefill_causal_common,
                    a.page_size > 1 ? m::torch_reference::prefill_causal
                                    : m::torch_reference::prefill_causal_ps1};
  return spec;
}

template <mla_paged_decode_axes Axes>
struct mla_paged_decode : definition_of<Axes> {};

template <mla_paged_prefill_causal_axes Axes>
struct mla_paged_prefill_causal : definition_of<Axes> {};

}  // namespace solkit
