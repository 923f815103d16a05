#pragma once
// Costs of the gated delta net definitions. Per token and value head the recurrence does
// 7 head_size^2 FLOPs (decay of S, k.S, the rank-one update, q.S) and 4 transcendentals
// (exp, softplus, sigmoid, exp of A_log). Decode runs it on CUDA cores; prefill is charged to
// the bf16 tensor cores, where chunked algorithms run it. Bytes: q, k, v, a, b, A_log, dt_bias,
// the states read and written (fp32), the outputs. MTP reads each sequence's pooled state,
// writes every per-token state to the intermediate buffer and leaves the pool unchanged
// (final_state is the pool, nothing to write).

#include <cstdint>

#include "solkit/ops/gdn/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct gdn_decode_workload {
  std::int64_t batch_size = 0;
};

struct gdn_prefill_workload {
  std::int64_t num_seqs = 0;
  std::int64_t seq_len = 0;  // tokens of each sequence
};

struct gdn_mtp_workload {
  std::int64_t batch_size = 0;
  std::int64_t seq_len = 0;  // draft tokens of each sequence
};

namespace ops::gdn {
/// The per-token inputs and outputs of `tokens` tokens and the per-head parameters.
constexpr roofline::cost token_traffic(double tokens, double hq, double hv, double d) {
  roofline::cost c;
  c.read(tokens * (2 * hq + hv) * d * 2 + tokens * hv * 2 * 2 + hv * 4 * 2);
  c.write(tokens * hv * d * 2);
  return c;
}
}  // namespace ops::gdn

constexpr roofline::cost cost_of(const gdn_decode_axes& a, const gdn_decode_workload& w) {
  using roofline::execution_unit;
  const double b = static_cast<double>(w.batch_size), hv = static_cast<double>(a.num_v_heads);
  const double d = static_cast<double>(a.head_size);
  roofline::cost c = ops::gdn::token_traffic(b, static_cast<double>(a.num_q_heads), hv, d);
  c.read(b * hv * d * d * 4).write(b * hv * d * d * 4);
  c.compute(execution_unit::cuda_fp32, 7 * b * hv * d * d);
  c.compute(execution_unit::sfu, 4 * b * hv);
  return c;
}

constexpr roofline::cost cost_of(const gdn_prefill_axes& a, const gdn_prefill_workload& w) {
  using roofline::execution_unit;
  const double n = static_cast<double>(w.num_seqs), t = n * static_cast<double>(w.seq_len);
  const double hv = static_cast<double>(a.num_v_heads), d = static_cast<double>(a.head_size);
  roofline::cost c = ops::gdn::token_traffic(t, static_cast<double>(a.num_q_heads), hv, d);
  c.read(n * hv * d * d * 4 + (n + 1) * 8).write(n * hv * d * d * 4);
  c.compute(execution_unit::tensor_bf16, 7 * t * hv * d * d);
  c.compute(execution_unit::sfu, 4 * t * hv);
  return c;
}

constexpr roofline::cost cost_of(const gdn_mtp_axes& a, const gdn_mtp_workload& w) {
  using roofline::execution_unit;
  const double b = static_cast<double>(w.batch_size), t = b * static_cast<double>(w.seq_len);
  const double hv = static_cast<double>(a.num_v_heads), d = static_cast<double>(a.head_size);
  roofline::cost c = ops::gdn::token_traffic(t, static_cast<double>(a.num_q_heads), hv, d);
  c.read(b * hv * d * d * 4 + b * 4).write(t * hv * d * d * 4);
  c.compute(execution_unit::cuda_fp32, 7 * t * hv * d * d);
  c.compute(execution_unit::sfu, 4 * t * hv);
  return c;
}

}  // namespace solkit
