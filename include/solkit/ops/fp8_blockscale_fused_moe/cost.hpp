#pragma once
// Cost of fp8_blockscale_fused_moe. Only the experts that receive a token have their weights and
// scales read; with T tokens each picking k DISTINCT experts of E uniformly, an expert misses
// every token with probability (1 - k / E)^T, so
//   E_act = E (1 - (1 - k / E)^T)   (exactly k at T = 1; ~163.3 at T = 32, E = 256, k = 8).
// With HB = H / BK, IB = I / BN blocks:
//   read  = T H (fp8 x) + 4 T HB (a_scale) + 8 T k (topk_weights, topk_ids)
//         + E_act (3 H I (fp8 w1 and w2) + 4 * 2 IB * HB (fc1_scale) + 4 * HB * IB (fc2_scale));
//   written = 2 T H (bf16 out; atrex's reference writes fp8, T H).
// FLOPs per routed (token, expert) pair, T k of them:
//   tensor_fp8: 2 * 2I * H + 2 * H * I = 6 H I;
//   cuda_fp32:  3 I (activation: 1 + exp(-g), g * sigmoid, * up) + 2 H (weighted accumulation)
//               + 3 per output element and K block for the block scales (a_scale * w_scale, then
//               an FMA into the accumulator): 3 (2I * HB + H * IB);
//   sfu:        I sigmoids.
// atrex also charges the weights' dequantization (3 H I E_act) as fp8 tensor FLOPs; solkit does
// not: a block-scale kernel applies scales per block in the epilogue, never per weight.

#include <cstdint>

#include "solkit/ops/fp8_blockscale_fused_moe/definition.hpp"
#include "solkit/ops/moe/cost.hpp"  // ops::moe::expected_active_experts
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct fp8_blockscale_fused_moe_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const fp8_blockscale_fused_moe_axes& a,
                                 const fp8_blockscale_fused_moe_workload& w) {
  using roofline::execution_unit;
  const double t = static_cast<double>(w.token_count);
  const double k = static_cast<double>(a.top_k), e = static_cast<double>(a.num_experts);
  const double h = static_cast<double>(a.hidden_size), i = static_cast<double>(a.intermediate_size);
  const double hb = static_cast<double>(a.hidden_size / a.scale_block_k);
  const double ib = static_cast<double>(a.intermediate_size / a.scale_block_n);
  const double active = ops::moe::expected_active_experts(w.token_count, k, e, e);
  const double pairs = t * k;
  roofline::cost c;
  c.read(t * h + 4 * t * hb + 8 * pairs + active * (3 * h * i + 4 * (2 * ib) * hb + 4 * hb * ib));
  c.write(2 * t * h);
  c.compute(execution_unit::tensor_fp8, pairs * 6 * h * i);
  c.compute(execution_unit::cuda_fp32, pairs * (3 * i + 2 * h + 3 * (2 * i * hb + h * ib)));
  c.compute(execution_unit::sfu, pairs * i);
  return c;
}

}  // namespace solkit
