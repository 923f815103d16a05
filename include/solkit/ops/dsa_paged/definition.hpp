#pragma once
// DeepSeek sparse attention (op_type "dsa_paged"), DeepSeek V3.2:
// - `dsa_topk_indexer_fp8_h{h}_d{d}_topk{k}_ps{P}` scores every cached token of a sequence with
//   sum_h relu(q_h . k) * weights_h over an fp8 index cache and returns the top-k token ids;
// - `dsa_sparse_attention_h{q}_ckv{c}_kpe{k}_topk{t}_ps{P}` runs MLA attention over only those
//   tokens (ids page * page_size + offset, -1 = padding). The same op serves prefill and decode.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/attention_axes.hpp"
#include "solkit/ops/dsa_paged/torch_reference.hpp"
#include "solkit/ops/mla_paged/definition.hpp"

namespace solkit {

/// Axes of `dsa_topk_indexer_fp8_h{num_index_heads}_d{index_head_dim}_topk{topk}_ps{page_size}`.
struct dsa_topk_indexer_fp8_axes {
  std::int64_t num_index_heads = 0;
  std::int64_t index_head_dim = 0;
  std::int64_t topk = 0;
  std::int64_t page_size = 0;
};

/// Axes of `dsa_sparse_attention_h{num_qo_heads}_ckv{head_dim_ckv}_kpe{head_dim_kpe}_topk{topk}_ps{page_size}`.
struct dsa_sparse_attention_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t head_dim_ckv = 0;
  std::int64_t head_dim_kpe = 0;
  std::int64_t topk = 0;
  std::int64_t page_size = 0;
};

namespace ops::dsa_paged::axis_errors {
inline constexpr char num_index_heads_not_positive[] = "num_index_heads must be positive";
inline constexpr char index_head_dim_not_128[] =
    "index_head_dim must be 128: the fp8 index cache layout (128 fp8 bytes + a 4-byte scale per "
    "token) is built for it";
inline constexpr char topk_not_positive[] = "topk must be positive";
inline constexpr char topk_not_a_multiple_of_64[] =
    "topk must be a multiple of 64: the sparse kernels gather the selected tokens in tiles of 64";
}  // namespace ops::dsa_paged::axis_errors

constexpr const char* check_axes(const dsa_topk_indexer_fp8_axes& a) {
  namespace e = ops::dsa_paged::axis_errors;
  if (a.num_index_heads <= 0) return e::num_index_heads_not_positive;
  if (a.index_head_dim != 128) return e::index_head_dim_not_128;
  if (a.topk <= 0) return e::topk_not_positive;
  return ops::attention::check_page_size(a.page_size);
}

constexpr definition_spec describe(const dsa_topk_indexer_fp8_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"dsa_topk_indexer_fp8_h"} + a.num_index_heads + "_d" +
              a.index_head_dim + "_topk" + a.topk + "_ps" + a.page_size;
  spec.op_type = "dsa_paged";
  spec.description =
      "DeepSeek sparse attention top-k indexer over an fp8 index cache: for each sequence, score "
      "every cached token t with sum_h relu(q_h . k_t * scale_t) * weights_h and return the ids "
      "(page * page_size + offset) of the topk best, -1 where the sequence is shorter.";
  spec.tags = {"stage:indexer", "sparse:topk", "quant:fp8"};
  spec.axes = {
      var_axis("batch_size", "Number of query tokens (one per sequence)."),
      const_axis("num_index_heads", a.num_index_heads, "Number of indexer heads."),
      const_axis("index_head_dim", a.index_head_dim, "Indexer head dimension."),
      const_axis("page_size", a.page_size, "Tokens per page of the index cache."),
      const_axis("topk", a.topk, "Number of token ids selected per query."),
      var_axis("max_num_pages", "Columns of block_table (pages of the longest sequence)."),
      var_axis("num_pages", "Pages allocated in the index cache."),
      const_axis("kv_cache_num_heads", 1, "Heads of the index cache (one, shared: MQA)."),
      const_axis("head_dim_with_scale", a.index_head_dim + 4,
                 "Bytes per token of the index cache: index_head_dim fp8 values and one fp32 "
                 "scale."),
  };
  spec.constraints = {"topk <= max_num_pages * page_size"};
  spec.inputs = {
      tensor("q_index_fp8", {"batch_size", "num_index_heads", "index_head_dim"},
             dtype::float8_e4m3fn, "Indexer queries in fp8."),
      tensor("k_index_cache_fp8", {"num_pages", "page_size", "kv_cache_num_heads", "head_dim_with_scale"},
             dtype::int8,
             "Index cache bytes (read as uint8): per page, page_size * index_head_dim fp8 keys, "
             "then page_size fp32 scales."),
      tensor("weights", {"batch_size", "num_index_heads"}, dtype::float32,
             "Per-head weights of the score sum."),
      tensor("seq_lens", {"batch_size"}, dtype::int32, "Cached tokens of each sequence."),
      tensor("block_table", {"batch_size", "max_num_pages"}, dtype::int32,
             "Page ids of each sequence, in order."),
  };
  spec.outputs = {
      tensor("topk_indices", {"batch_size", "topk"}, dtype::int32,
             "Selected token ids (page * page_size + offset); -1 pads short sequences."),
  };
  spec.reference = {ops::dsa_paged::torch_reference::topk_indexer_fp8};
  return spec;
}

constexpr const char* check_axes(const dsa_sparse_attention_axes& a) {
  if (a.num_qo_heads <= 0) return ops::attention::axis_errors::num_qo_heads_not_positive;
  if (a.topk <= 0) return ops::dsa_paged::axis_errors::topk_not_positive;
  if (a.topk % 64 != 0) return ops::dsa_paged::axis_errors::topk_not_a_multiple_of_64;
  return first_error(ops::mla_paged::check_latent_dims(a.head_dim_ckv, a.head_dim_kpe),
                     ops::attention::check_page_size(a.page_size));
}

constexpr definition_spec describe(const dsa_sparse_attention_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"dsa_sparse_attention_h"} + a.num_qo_heads + "_ckv" +
              a.head_dim_ckv + "_kpe" + a.head_dim_kpe + "_topk" + a.topk + "_ps" + a.page_size;
  spec.op_type = "dsa_paged";
  spec.description =
      "DeepSeek sparse attention: MLA attention (absorbed weights) of each query token over only "
      "the topk cached tokens its indexer selected (ids page * page_size + offset, -1 ignored). "
      "No causal mask: the ids already select visible tokens. lse in base 2.";
  spec.tags = {"sparse:topk", "fi_api:flashinfer.decode.trtllm_batch_decode_with_kv_cache_mla"};
  spec.axes = {
      var_axis("num_tokens", "Query tokens (batch size for decode, all tokens for prefill)."),
      const_axis("num_qo_heads", a.num_qo_heads, "Number of query heads on this device."),
      const_axis("head_dim_ckv", a.head_dim_ckv, "Compressed key/value (latent) dimension."),
      const_axis("head_dim_kpe", a.head_dim_kpe, "Rotary key dimension."),
      const_axis("page_size", a.page_size, "Tokens per page of the cache."),
      const_axis("topk", a.topk, "Cached tokens each query attends to."),
      var_axis("num_pages", "Pages allocated in the cache pool."),
  };
  spec.constraints = {"sparse_indices.shape[0] == num_tokens",
                      "sparse_indices.shape[-1] == topk", "ckv_cache.shape[1] == page_size"};
  spec.inputs = {
      tensor("q_nope", {"num_tokens", "num_qo_heads", "head_dim_ckv"}, dtype::bfloat16,
             "Query without positional encoding, absorbed into the latent space."),
      tensor("q_pe", {"num_tokens", "num_qo_heads", "head_dim_kpe"}, dtype::bfloat16,
             "Rotary query part."),
      tensor("ckv_cache", {"num_pages", "page_size", "head_dim_ckv"}, dtype::bfloat16,
             "Paged compressed key/value (latent) cache."),
      tensor("kpe_cache", {"num_pages", "page_size", "head_dim_kpe"}, dtype::bfloat16,
             "Paged rotary key cache."),
      tensor("sparse_indices", {"num_tokens", "topk"}, dtype::int32,
             "Token ids each query attends to (page * page_size + offset); -1 is padding."),
      scalar("sm_scale", dtype::float32,
             "Softmax scale; for DeepSeek 1/sqrt(192), the pre-absorption head size."),
  };
  spec.outputs = {
      tensor("output", {"num_tokens", "num_qo_heads", "head_dim_ckv"}, dtype::bfloat16,
             "Attention output in the latent space."),
      tensor("lse", {"num_tokens", "num_qo_heads"}, dtype::float32,
             "Base-2 log-sum-exp of the scaled logits (-inf when every id is padding)."),
  };
  spec.reference = {ops::dsa_paged::torch_reference::sparse_attention};
  return spec;
}

template <dsa_topk_indexer_fp8_axes Axes>
struct dsa_topk_indexer_fp8 : definition_of<Axes> {};

template <dsa_sparse_attention_axes Axes>
struct dsa_sparse_attention : definition_of<Axes> {};

}  // namespace solkit
