#pragma once
// Costs of the ragged GQA prefills: the queries, the contiguous K and V, qo_indptr and kv_indptr,
// the output and lse; the unmasked pairs: causal (bottom-right) or, bidirectional, every
// (query, key) pair of a sequence, q_len * kv_len.

#include "solkit/ops/gqa_paged/cost.hpp"
#include "solkit/ops/gqa_ragged/definition.hpp"

namespace solkit {

namespace ops::gqa_ragged {
constexpr roofline::cost ragged_attention(std::int64_t num_qo_heads, std::int64_t num_kv_heads,
                                          std::int64_t head_dim, const attention_prefill_workload& w,
                                          double pairs_per_sequence) {
  const double b = static_cast<double>(w.batch_size), q = static_cast<double>(w.q_len);
  const double kv = static_cast<double>(w.kv_len);
  const double hq = static_cast<double>(num_qo_heads), hkv = static_cast<double>(num_kv_heads);
  const double d = static_cast<double>(head_dim);
  roofline::cost c;
  c.read(b * q * hq * d * 2 + b * kv * hkv * d * 2 * 2 + 2 * (b + 1) * 4);
  c.write(b * q * hq * d * 2 + b * q * hq * 4);
  roofline::add_attention_compute(c, hq, b * pairs_per_sequence, d, d);
  return c;
}
}  // namespace ops::gqa_ragged

constexpr roofline::cost cost_of(const gqa_ragged_prefill_causal_axes& a,
                                 const attention_prefill_workload& w) {
  return ops::gqa_ragged::ragged_attention(
      a.num_qo_heads, a.num_kv_heads, a.head_dim, w,
      roofline::causal_pairs(static_cast<double>(w.q_len), static_cast<double>(w.kv_len)));
}

constexpr roofline::cost cost_of(const gqa_ragged_prefill_axes& a, const attention_prefill_workload& w) {
  return ops::gqa_ragged::ragged_attention(a.num_qo_heads, a.num_kv_heads, a.head_dim, w,
                                           static_cast<double>(w.q_len) * static_cast<double>(w.kv_len));
}

}  // namespace solkit
