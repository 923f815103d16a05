#pragma once
// Cost of gated_delta_rule_update for B sequences of T tokens (Hq q/k heads, Hv value heads,
// state [K, V] per value head).
// Bytes read: q and k (bf16) 4 B T Hq K, v 2 B T Hv V, a and b 4 B T Hv, A_log 4 Hv, dt_bias
//   2 Hv, the B used pool rows 4 B Hv K V (fp32, each read once), the indices 4 B.
// Bytes written: out 2 B T Hv V, the B used pool rows 4 B Hv K V.
//   Only the used rows count: the production kernel updates the pool in place, so its other
//   rows are neither read nor written (as for gdn's MTP pool and mamba_ssu's cache). atrex
//   counts the whole pool, state_count rows, read and written.
// FLOPs, per token and value head: the recurrence 7 K V (decay of S 1, S^T k 2, the rank-one
//   update 2, S^T q 2); the delta v - S^T k and its beta product 2 V; the gate a + dt_bias and
//   its product with exp(A_log) 2. Per token and q/k head: the L2 norms of q and k, 3 K each
//   (sum of squares 2, scaling 1), normalised once per q/k head and shared by its value heads.
//   The recurrence runs on CUDA cores when T == 1 (recurrent decode) and is charged to the bf16
//   tensor cores when T > 1, where a chunked algorithm (FLA's chunk_gated_delta_rule) runs it
//   as matmuls: gdn's convention for decode and prefill. atrex's own kernel is the recurrent one
//   at every T; it charges the 7 B T Hv K V FLOPs at the bf16 tensor peak for every shape.
//   cuda_fp32 = B T Hv (2 V + 2) + 6 B T Hq K   (+ 7 B T Hv K V when T == 1)
//   tensor_bf16 = 7 B T Hv K V when T > 1
// SFU: per token and value head softplus (exp and log1p: 2), sigmoid 1, exp of the decay 1;
//   exp(A_log) once per head; one reciprocal square root per q and k vector and q/k head.
//   sfu = 4 B T Hv + Hv + 2 B T Hq.

#include <cstdint>

#include "solkit/ops/gated_delta_rule_update/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct gated_delta_rule_update_workload {
  std::int64_t batch_size = 0;   // sequences, one pool row each
  std::int64_t token_count = 0;  // tokens of each sequence
};

constexpr roofline::cost cost_of(const gated_delta_rule_update_axes& a,
                                 const gated_delta_rule_update_workload& w) {
  using roofline::execution_unit;
  const double b = static_cast<double>(w.batch_size);
  const double tokens = b * static_cast<double>(w.token_count);  // B T
  const double hq = static_cast<double>(a.num_q_heads), hv = static_cast<double>(a.num_v_heads);
  const double k = static_cast<double>(a.key_dim), v = static_cast<double>(a.value_dim);
  const double state_rows = b * hv * k * v * 4;  // fp32
  roofline::cost c;
  c.read(tokens * hq * k * 2 * 2 + tokens * hv * v * 2 + tokens * hv * 2 * 2 + hv * (4 + 2) +
         state_rows + b * 4);
  c.write(tokens * hv * v * 2 + state_rows);
  const double recurrence = 7 * tokens * hv * k * v;
  c.compute(w.token_count == 1 ? execution_unit::cuda_fp32 : execution_unit::tensor_bf16, recurrence);
  c.compute(execution_unit::cuda_fp32, tokens * hv * (2 * v + 2) + 6 * tokens * hq * k);
  c.compute(execution_unit::sfu, 4 * tokens * hv + hv + 2 * tokens * hq);
  return c;
}

}  // namespace solkit
