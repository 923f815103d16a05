#pragma once
// Cost of the ragged MLA prefill (weights not absorbed): per-head q and k of qk_dim, v of
// vo_dim, the indptrs, the output and lse; per pair, q.k over qk_dim and p.v over vo_dim.

#include "solkit/ops/gqa_paged/cost.hpp"
#include "solkit/ops/mla_ragged/definition.hpp"

namespace solkit {

constexpr roofline::cost cost_of(const mla_ragged_prefill_causal_axes& a,
                                 const attention_prefill_workload& w) {
  const double b = static_cast<double>(w.batch_size), q = static_cast<double>(w.q_len);
  const double kv = static_cast<double>(w.kv_len), h = static_cast<double>(a.num_qo_heads);
  const double qk = static_cast<double>(a.qk_dim), vo = static_cast<double>(a.vo_dim);
  roofline::cost c;
  c.read(b * q * h * qk * 2 + b * kv * h * (qk + vo) * 2 + 2 * (b + 1) * 4);
  c.write(b * q * h * vo * 2 + b * q * h * 4);
  roofline::add_attention_compute(c, h, b * roofline::causal_pairs(q, kv), qk, vo);
  return c;
}

}  // namespace solkit
