#pragma once
// Cost of fused_rmsnorm_quant. Per token of H channels: read x and residual (4H bytes), the
// weight once (2H bytes in all); write the fp8 row (H), its fp32 scale (4) and the bf16 new
// residual (2H). FLOPs on CUDA cores, per element: the add (1), x^2 accumulated (FMA, 2),
// x * inv_rms * weight (2), the running max of |normed| (1) and the scaling (1: a multiply by
// the reciprocal scale); per row one rsqrt and one reciprocal on the SFU.
//   bytes read = 4 T H + 2 H, written = 3 T H + 4 T; cuda_fp32 = 7 T H; sfu = 2 T.

#include <cstdint>

#include "solkit/ops/fused_rmsnorm_quant/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct fused_rmsnorm_quant_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const fused_rmsnorm_quant_axes& a, const fused_rmsnorm_quant_workload& w) {
  const double t = static_cast<double>(w.token_count);
  const double h = static_cast<double>(a.hidden_size);
  const double elements = t * h;
  roofline::cost c;
  c.read(elements * 2 * 2 + h * 2);
  c.write(elements * 1 + t * 4 + elements * 2);
  c.compute(roofline::execution_unit::cuda_fp32, elements * 7);
  c.compute(roofline::execution_unit::sfu, t * 2);
  return c;
}

}  // namespace solkit
