#pragma once
// Costs of the paged GQA definitions, for batches of equal sequences. Bytes: the queries, the
// K and V of the tokens the sequences use (not the whole pool, not padding of the last page),
// the index arrays (indptr, page ids, last-page lengths), the output and lse. FLOPs: the
// unmasked (query, key) pairs, causal bottom-right for prefill (roofline/attention_pairs.hpp).

#include <cstdint>

#include "solkit/ops/gqa_paged/definition.hpp"
#include "solkit/roofline/attention_pairs.hpp"

namespace solkit {

/// `batch_size` sequences of `kv_len` cached tokens each, one new query token per sequence.
struct gqa_paged_decode_workload {
  std::int64_t batch_size = 0;
  std::int64_t kv_len = 0;
};

/// `batch_size` sequences, each with `q_len` new tokens attending to `kv_len` tokens (the new
/// ones included).
struct attention_prefill_workload {
  std::int64_t batch_size = 0;
  std::int64_t q_len = 0;
  std::int64_t kv_len = 0;
};

namespace ops::gqa_paged {
/// Index arrays of a paged batch: indptr, page ids and, with pages > 1 token, last-page lengths.
constexpr double index_bytes(double batch, double kv_len, std::int64_t page_size, bool qo_indptr) {
  double bytes = (batch + 1) * 4 + batch * roofline::pages_of(kv_len, static_cast<double>(page_size)) * 4;
  if (page_size > 1) bytes += batch * 4;
  if (qo_indptr) bytes += (batch + 1) * 4;
  return bytes;
}
}  // namespace ops::gqa_paged

constexpr roofline::cost cost_of(const gqa_paged_decode_axes& a, const gqa_paged_decode_workload& w) {
  const double b = static_cast<double>(w.batch_size), kv = static_cast<double>(w.kv_len);
  const double hq = static_cast<double>(a.num_qo_heads), hkv = static_cast<double>(a.num_kv_heads);
  const double d = static_cast<double>(a.head_dim);
  roofline::cost c;
  c.read(b * hq * d * 2 + b * kv * hkv * d * 2 * 2 +
         ops::gqa_paged::index_bytes(b, kv, a.page_size, false));
  c.write(b * hq * d * 2 + b * hq * 4);
  roofline::add_attention_compute(c, hq, b * kv, d, d);
  return c;
}

constexpr roofline::cost cost_of(const gqa_paged_prefill_causal_axes& a,
                                 const attention_prefill_workload& w) {
  const double b = static_cast<double>(w.batch_size), q = static_cast<double>(w.q_len);
  const double kv = static_cast<double>(w.kv_len);
  const double hq = static_cast<double>(a.num_qo_heads), hkv = static_cast<double>(a.num_kv_heads);
  const double d = static_cast<double>(a.head_dim);
  roofline::cost c;
  c.read(b * q * hq * d * 2 + b * kv * hkv * d * 2 * 2 +
         ops::gqa_paged::index_bytes(b, kv, a.page_size, true));
  c.write(b * q * hq * d * 2 + b * q * hq * 4);
  roofline::add_attention_compute(c, hq, b * roofline::causal_pairs(q, kv), d, d);
  return c;
}

}  // namespace solkit
