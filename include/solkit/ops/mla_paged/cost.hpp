#pragma once
// Costs of the paged MLA definitions: the queries (nope and rope parts), the latent cache and
// rope keys of the tokens used (shared by all heads: read once), the index arrays, the output
// (latent width) and lse; per pair, q.[ckv, kpe] and p.ckv.

#include "solkit/ops/gqa_paged/cost.hpp"
#include "solkit/ops/mla_paged/definition.hpp"

namespace solkit {

namespace ops::mla_paged {
constexpr roofline::cost latent_attention(double heads, double ckv, double kpe, double batch,
                                          double q_len, double kv_len, double pairs,
                                          double index_bytes) {
  roofline::cost c;
  c.read(batch * q_len * heads * (ckv + kpe) * 2 + batch * kv_len * (ckv + kpe) * 2 + index_bytes);
  c.write(batch * q_len * heads * ckv * 2 + batch * q_len * heads * 4);
  roofline::add_attention_compute(c, heads, pairs, ckv + kpe, ckv);
  return c;
}
}  // namespace ops::mla_paged

constexpr roofline::cost cost_of(const mla_paged_decode_axes& a, const gqa_paged_decode_workload& w) {
  const double b = static_cast<double>(w.batch_size), kv = static_cast<double>(w.kv_len);
  return ops::mla_paged::latent_attention(
      static_cast<double>(a.num_qo_heads), static_cast<double>(a.head_dim_ckv),
      static_cast<double>(a.head_dim_kpe), b, 1, kv, b * kv,
      ops::gqa_paged::index_bytes(b, kv, a.page_size, false));
}

constexpr roofline::cost cost_of(const mla_paged_prefill_causal_axes& a,
                                 const attention_prefill_workload& w) {
  const double b = static_cast<double>(w.batch_size), q = static_cast<double>(w.q_len);
  const double kv = static_cast<double>(w.kv_len);
  return ops::mla_paged::latent_attention(
      static_cast<double>(a.num_qo_heads), static_cast<double>(a.head_dim_ckv),
      static_cast<double>(a.head_dim_kpe), b, q, kv, b * roofline::causal_pairs(q, kv),
      ops::gqa_paged::index_bytes(b, kv, a.page_size, true));
}

}  // namespace solkit
