#pragma once
// Costs of the DeepSeek sparse attention definitions.
// Indexer: the fp8 queries, the sequences' cached index keys with their fp32 scales (132 bytes a
// token) read once per sequence, weights, seq_lens and block table; top-k ids out. q.k on the fp8
// tensor cores; relu and the weighted sum over heads on CUDA cores (the top-k selection is not
// counted). In decode each query scores its sequence's seq_len keys; in prefill token t of a
// sequence scores the t + 1 keys up to itself.
// Sparse attention: each query attends to min(topk, visible tokens) latent rows. In decode the
// rows of different queries are different sequences' (read per query); in prefill the queries of
// one sequence share its latent cache, which is read once.

#include <algorithm>
#include <cstdint>

#include "solkit/ops/dsa_paged/definition.hpp"
#include "solkit/roofline/attention_pairs.hpp"

namespace solkit {

/// Decode: `batch_size` queries, one per sequence of `seq_len` cached tokens.
struct dsa_topk_indexer_workload {
  std::int64_t batch_size = 0;
  std::int64_t seq_len = 0;  // cached tokens of each sequence
};

/// Prefill: `num_seqs` sequences of `seq_len` new tokens, every token a query.
struct dsa_prefill_workload {
  std::int64_t num_seqs = 0;
  std::int64_t seq_len = 0;
};

/// Decode: `num_tokens` queries, each of a sequence with `kv_len` cached tokens.
struct dsa_sparse_attention_workload {
  std::int64_t num_tokens = 0;
  std::int64_t kv_len = 0;
};

namespace ops::dsa_paged {
/// sum over t = 1..n of min(topk, t): the rows the n tokens of one sequence attend to.
constexpr double causal_selected_rows(double n, double topk) {
  if (n <= topk) return n * (n + 1) / 2;
  return topk * (topk + 1) / 2 + (n - topk) * topk;
}
}  // namespace ops::dsa_paged

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

constexpr roofline::cost cost_of(const dsa_topk_indexer_fp8_axes& a, const dsa_prefill_workload& w) {
  using roofline::execution_unit;
  const double n = static_cast<double>(w.num_seqs), l = static_cast<double>(w.seq_len);
  const double h = static_cast<double>(a.num_index_heads), d = static_cast<double>(a.index_head_dim);
  const double pages = roofline::pages_of(l, static_cast<double>(a.page_size));
  const double pairs = n * l * (l + 1) / 2;
  roofline::cost c;
  c.read(n * l * h * d + n * l * (d + 4) + n * l * h * 4 + n * l * 4 + n * l * pages * 4);
  c.write(n * l * static_cast<double>(a.topk) * 4);
  c.compute(execution_unit::tensor_fp8, 2 * h * pairs * d);
  c.compute(execution_unit::cuda_fp32, 3 * h * pairs);
  return c;
}

namespace ops::dsa_paged {
constexpr roofline::cost sparse_attention(const dsa_sparse_attention_axes& a, double queries,
                                          double latent_rows, double pairs) {
  const double h = static_cast<double>(a.num_qo_heads);
  const double ckv = static_cast<double>(a.head_dim_ckv), kpe = static_cast<double>(a.head_dim_kpe);
  roofline::cost c;
  c.read(queries * h * (ckv + kpe) * 2 + latent_rows * (ckv + kpe) * 2 +
         queries * static_cast<double>(a.topk) * 4);
  c.write(queries * h * ckv * 2 + queries * h * 4);
  roofline::add_attention_compute(c, h, pairs, ckv + kpe, ckv);
  return c;
}
}  // namespace ops::dsa_paged

constexpr roofline::cost cost_of(const dsa_sparse_attention_axes& a,
                                 const dsa_sparse_attention_workload& w) {
  const double t = static_cast<double>(w.num_tokens);
  const double rows = t * std::min(static_cast<double>(a.topk), static_cast<double>(w.kv_len));
  return ops::dsa_paged::sparse_attention(a, t, rows, rows);
}

constexpr roofline::cost cost_of(const dsa_sparse_attention_axes& a, const dsa_prefill_workload& w) {
  const double n = static_cast<double>(w.num_seqs), l = static_cast<double>(w.seq_len);
  return ops::dsa_paged::sparse_attention(
      a, n * l, n * l, n * ops::dsa_paged::causal_selected_rows(l, static_cast<double>(a.topk)));
}

}  // namespace solkit
