#pragma once
// Costs of the DeepSeek sparse attention definitions.
// Indexer: the fp8 queries, each sequence's cached index keys with their fp32 scales (132 bytes
// a token), weights, seq_lens and block table; top-k ids out. q.k on the fp8 tensor cores;
// relu, the weighted sum over heads on CUDA cores (the top-k selection is not counted).
// Sparse attention: each query token reads its topk selected latent rows (decode: distinct per
// token; prefill queries of one sequence may share rows, so this is an upper bound there).

#include <cstdint>

#include "solkit/ops/dsa_paged/definition.hpp"
#include "solkit/roofline/attention_pairs.hpp"

namespace solkit {

struct dsa_topk_indexer_workload {
  std::int64_t batch_size = 0;
  std::int64_t seq_len = 0;  // cached tokens of each sequence
};

struct dsa_sparse_attention_workload {
  std::int64_t num_tokens = 0;
};

constexpr roofline::cost cost_of(const dsa_topk_indexer_fp8_axes& a, const dsa_topk_indexer_workload& w) {
  using roofline::execution_unit;
  const double b = static_cast<double>(w.batch_size), l = static_cast<double>(w.seq_len);
  const double h = static_cast<double>(a.num_index_heads), d = static_cast<double>(a.index_head_dim);
  const double pages = roofline::pages_of(l, static_cast<double>(a.page_size));
  roofline::cost c;
  c.read(b * h * d + b * l * (d + 4) + b * h * 4 + b * 4 + b * pages * 4);
  c.write(b * static_cast<double>(a.topk) * 4);
  c.compute(execution_unit::tensor_fp8, 2 * b * h * l * d);
  c.compute(execution_unit::cuda_fp32, 3 * b * h * l);
  return c;
}

constexpr roofline::cost cost_of(const dsa_sparse_attention_axes& a,
                                 const dsa_sparse_attention_workload& w) {
  const double t = static_cast<double>(w.num_tokens), h = static_cast<double>(a.num_qo_heads);
  const double ckv = static_cast<double>(a.head_dim_ckv), kpe = static_cast<double>(a.head_dim_kpe);
  const double topk = static_cast<double>(a.topk);
  roofline::cost c;
  c.read(t * h * (ckv + kpe) * 2 + t * topk * (ckv + kpe) * 2 + t * topk * 4);
  c.write(t * h * ckv * 2 + t * h * 4);
  roofline::add_attention_compute(c, h, t * topk, ckv + kpe, ckv);
  return c;
}

}  // namespace solkit
