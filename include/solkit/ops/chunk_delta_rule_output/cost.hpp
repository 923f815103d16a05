#pragma once
// Cost of chunk_delta_rule_output for B sequences of T tokens, NT = ceil(T / C) chunks.
// Bytes: q, k (bf16, Hq heads), v (bf16), one bf16 [K, V] state per chunk and value head, g
// (fp32) read; o (bf16) written.
//   bytes read    = 4 B T Hq K + 2 B T Hv V + 2 B NT Hv K V + 4 B T Hv
//   bytes written = 2 B T Hv V
// FLOPs, minimal: P = causal (i, j) pairs within the chunks, j <= i, only real tokens:
// P = (T / C) C (C + 1) / 2 + r (r + 1) / 2 with r = T mod C (integer division). On bf16
// tensor cores: q.h[c] (2 K V per token and value head), q.k^T once per query/key head, since
// it does not depend on the value head (2 K per pair), A.v (2 V per pair and value head):
//   tensor_bf16 = B (2 T Hv K V + 2 P Hq K + 2 P Hv V)
// CUDA cores: per pair and value head g_i - g_j and the gate multiply (2); per output element
// the exp(g_i) factor on q.h and the scale (2; A.v accumulates onto q.h in the tensor core):
//   cuda_fp32 = B (2 P Hv + 2 T Hv V)
// SFU: exp(g_i - g_j) per pair and value head (exp(g_i) exp(-g_j) would overflow), exp(g_i)
// per token and value head:
//   sfu = B (P Hv + T Hv)
// atrex (roofline.json): the same bytes; W = 2 T Hv (K V + C K + C V) + small, i.e. full C x C
// blocks (padded to NT C tokens) and q.k^T per value head, all at the bf16 tensor-core peak.

#include <cstdint>

#include "solkit/ops/chunk_delta_rule_output/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct chunk_delta_rule_output_workload {
  std::int64_t batch_size = 0;
  std::int64_t token_count = 0;
};

namespace ops::chunk_delta_rule_output {
/// Pairs (i, j) with j <= i inside the same chunk, over token_count tokens in chunks of
/// chunk_size (the last one partial).
constexpr double causal_pairs(std::int64_t token_count, std::int64_t chunk_size) {
  const double full = static_cast<double>(token_count / chunk_size);
  const double c = static_cast<double>(chunk_size), r = static_cast<double>(token_count % chunk_size);
  return full * c * (c + 1) / 2 + r * (r + 1) / 2;
}
}  // namespace ops::chunk_delta_rule_output

constexpr roofline::cost cost_of(const chunk_delta_rule_output_axes& a,
                                 const chunk_delta_rule_output_workload& w) {
  using roofline::execution_unit;
  const double b = static_cast<double>(w.batch_size), t = static_cast<double>(w.token_count);
  const double chunks = static_cast<double>((w.token_count + a.chunk_size - 1) / a.chunk_size);
  const double pairs = ops::chunk_delta_rule_output::causal_pairs(w.token_count, a.chunk_size);
  const double hq = static_cast<double>(a.num_q_heads), hv = static_cast<double>(a.num_v_heads);
  const double k = static_cast<double>(a.key_dim), v = static_cast<double>(a.value_dim);
  roofline::cost c;
  c.read(4 * b * t * hq * k + 2 * b * t * hv * v + 2 * b * chunks * hv * k * v + 4 * b * t * hv);
  c.write(2 * b * t * hv * v);
  c.compute(execution_unit::tensor_bf16, b * (2 * t * hv * k * v + 2 * pairs * hq * k + 2 * pairs * hv * v));
  c.compute(execution_unit::cuda_fp32, b * (2 * pairs * hv + 2 * t * hv * v));
  c.compute(execution_unit::sfu, b * (pairs * hv + t * hv));
  return c;
}

}  // namespace solkit
