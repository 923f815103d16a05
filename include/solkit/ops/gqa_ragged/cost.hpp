#pragma once
// Cost of the ragged GQA prefill: the queries, the contiguous K and V, qo_indptr and kv_indptr,
// the output and lse; the unmasked causal (bottom-right) pairs.

#include "solkit/ops/gqa_paged/cost.hpp"
#include "solkit/ops/gqa_ragged/definition.hpp"

namespace solkit {

constexpr roofline::cost cost_of(const gqa_ragged_prefill_causal_axes& a,
                                 const attention_prefill_workload& w) {
  const double b = static_cast<double>(w.batch_size), q = static_cast<double>(w.q_len);
  const double kv = static_cast<double>(w.kv_len);
  const double hq = static_cast<double>(a.num_qo_heads), hkv = static_cast<double>(a.num_kv_heads);
  const double d = static_cast<double>(a.head_dim);
  roofline::cost c;
  c.read(b * q * hq * d * 2 + b * kv * hkv * d * 2 * 2 + 2 * (b + 1) * 4);
  c.write(b * q * hq * d * 2 + b * q * hq * 4);
  roofline::add_attention_compute(c, hq, b * roofline::causal_pairs(q, kv), d, d);
  return c;
}

}  // namespace solkit
