#pragma once
// Cost of fused_moe. Only the experts that receive a token have their weights read. Under uniform
// routing each token picks top_k DISTINCT experts of E, so a given expert is among a token's picks
// with probability k / E, and misses all T (independent) tokens with probability (1 - k / E)^T:
//   E_act = E (1 - (1 - k / E)^T)   expected experts hit (exactly k at T = 1; ~E for large T).
// Bytes, each tensor once at its dtype size:
//   read  = 2 T H (hidden_states) + 4 T k (topk_weights) + 4 T k (topk_ids)
//         + E_act (2 * 2I * H + 2 * H * I)   (the active experts' w1 and w2, bf16) = ... + 6 H I E_act
//   written = 4 T H (fp32 out).
// FLOPs per routed (token, expert) pair, T k of them (ids distinct within a token):
//   tensor_bf16: 2 * 2I * H (w1) + 2 * I * H (w2) = 6 H I;
//   cuda_fp32:   3 I for the activation (1 + exp(-g), g * sigmoid, * up; as silu_and_mul and the
//                moe op type count it) + 2 H for the weighted accumulation (an FMA);
//   sfu:         I sigmoids.
// atrex counts the weights of the experts a sampled routing hits (all E at its T >= 135) and
// 6 H I per distinct pair plus elementwise work, all at the bf16 tensor peak.

#include <cstdint>

#include "solkit/ops/fused_moe/definition.hpp"
#include "solkit/ops/moe/cost.hpp"  // ops::moe::expected_active_experts
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct fused_moe_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const fused_moe_axes& a, const fused_moe_workload& w) {
  using roofline::execution_unit;
  const double t = static_cast<double>(w.token_count);
  const double k = static_cast<double>(a.top_k), e = static_cast<double>(a.num_experts);
  const double h = static_cast<double>(a.hidden_size), i = static_cast<double>(a.intermediate_size);
  const double active = ops::moe::expected_active_experts(w.token_count, k, e, e);
  const double pairs = t * k;
  roofline::cost c;
  c.read(2 * t * h + 4 * pairs + 4 * pairs + active * (2 * (2 * i * h) + 2 * (h * i)));
  c.write(4 * t * h);
  c.compute(execution_unit::tensor_bf16, pairs * 6 * h * i);
  c.compute(execution_unit::cuda_fp32, pairs * (3 * i + 2 * h));
  c.compute(execution_unit::sfu, pairs * i);
  return c;
}

}  // namespace solkit
