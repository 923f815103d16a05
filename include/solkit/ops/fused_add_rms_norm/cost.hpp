#pragma once
// Cost of the fused_add_rms_norm definitions, T = token_count rows of H = hidden_size bf16
// values. Bytes: read x and residual (2 T H each) and the weight once (2 H); write out and
// residual_out (2 T H each).
// FLOPs on CUDA cores, 5 per element: the add (1), then the norm's 4 (x^2 accumulated as an FMA
// 2, * inv_rms 1, * weight 1); per-row scalar work (mean scale, + eps) is not counted, as for
// flashinfer-bench's rmsnorm. One rsqrt per row on the SFU.

#include <cstdint>

#include "solkit/ops/fused_add_rms_norm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct fused_add_rms_norm_workload {
  std::int64_t token_count = 0;  // rows
};

constexpr roofline::cost cost_of(const fused_add_rms_norm_axes& a, const fused_add_rms_norm_workload& w) {
  using roofline::execution_unit;
  const double hidden = static_cast<double>(a.hidden_size);
  const double rows = static_cast<double>(w.token_count);
  const double elements = rows * hidden;
  roofline::cost c;
  c.read(elements * 2 * 2 + hidden * 2);
  c.write(elements * 2 * 2);
  c.compute(execution_unit::cuda_fp32, elements * 5);
  c.compute(execution_unit::sfu, rows);
  return c;
}

}  // namespace solkit
