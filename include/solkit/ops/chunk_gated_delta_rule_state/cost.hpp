#pragma once
// Cost of chunk_gated_delta_rule_state for B sequences of T tokens, NT = ceil(T / C) chunks.
// Bytes: k, w, u (bf16), g (fp32), the B used pool rows of the fp32 state and their int32
// indices read; h (bf16, one [K, V] state per chunk), v_new (bf16) and the B used pool rows
// written. The rest of the pool (state_count - B rows) is untouched: a kernel updates in
// place, so state_count does not enter the cost (atrex counts the same way).
//   bytes read    = 2 B T Hk K + 2 B T Hv K + 2 B T Hv V + 4 B T Hv + 4 B Hv K V + 4 B
//   bytes written = 2 B NT Hv K V + 2 B T Hv V + 4 B Hv K V
// FLOPs: both products on bf16 tensor cores, each 2 K V per token and value head (w.S with S
// [K, V]; k^T.v~ accumulating into S), only real tokens (a partial chunk is not padded):
//   tensor_bf16 = 4 B T Hv K V
// CUDA cores: the state's decay S * exp(g_last) once per chunk (1 per state element), and per
// token and value channel the subtraction u - w.S and the gate factor (2); per token and head
// g_last - g_t (1):
//   cuda_fp32 = B NT Hv K V + 2 B T Hv V + B T Hv
// SFU: exp(g_last - g_t) per token and head, exp(g_last) per chunk and head:
//   sfu = B T Hv + B NT Hv
// atrex (roofline.json): the same bytes; W = 4 T Hv K V plus about NT Hv K V + 4 T Hv V + T Hv
// of elementwise work, all charged at the bf16 tensor-core peak.

#include <cstdint>

#include "solkit/ops/chunk_gated_delta_rule_state/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

/// One call: batch_size sequences of token_count tokens (state_count, the pool's size, does
/// not change the cost).
struct chunk_gated_delta_rule_state_workload {
  std::int64_t batch_size = 0;
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const chunk_gated_delta_rule_state_axes& a,
                                 const chunk_gated_delta_rule_state_workload& w) {
  using roofline::execution_unit;
  const double b = static_cast<double>(w.batch_size), t = static_cast<double>(w.token_count);
  const double chunks = static_cast<double>((w.token_count + a.chunk_size - 1) / a.chunk_size);
  const double hk = static_cast<double>(a.num_k_heads), hv = static_cast<double>(a.num_v_heads);
  const double k = static_cast<double>(a.key_dim), v = static_cast<double>(a.value_dim);
  const double state_rows = b * hv * k * v;  // elements of the B used [Hv, K, V] states
  roofline::cost c;
  c.read(2 * b * t * hk * k + 2 * b * t * hv * k + 2 * b * t * hv * v + 4 * b * t * hv +
         4 * state_rows + 4 * b);
  c.write(2 * chunks * state_rows + 2 * b * t * hv * v + 4 * state_rows);
  c.compute(execution_unit::tensor_bf16, 4 * b * t * hv * k * v);
  c.compute(execution_unit::cuda_fp32, chunks * state_rows + 2 * b * t * hv * v + b * t * hv);
  c.compute(execution_unit::sfu, b * t * hv + b * chunks * hv);
  return c;
}

}  // namespace solkit
