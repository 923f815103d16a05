#pragma once
// Cost of the gated_rms_norm definitions, R = rows of H = hidden_size bf16 values.
// Bytes: read x and z (2 R H each) and the weight once (2 H); write out (2 R H).
// FLOPs on CUDA cores, 6 per element: the norm's 4 (x^2 accumulated as an FMA 2, * inv_rms 1,
// * weight 1), silu's z * sigmoid(z) (1) and the gate multiply (1); per-row scalar work (mean
// scale, + eps) is not counted, as for flashinfer-bench's rmsnorm. On the SFU: one sigmoid per
// element (counted as one transcendental, as the MoE activation is) and one rsqrt per row.

#include <cstdint>

#include "solkit/ops/gated_rms_norm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct gated_rms_norm_workload {
  std::int64_t rows = 0;
};

constexpr roofline::cost cost_of(const gated_rms_norm_axes& a, const gated_rms_norm_workload& w) {
  using roofline::execution_unit;
  const double hidden = static_cast<double>(a.hidden_size);
  const double rows = static_cast<double>(w.rows);
  const double elements = rows * hidden;
  roofline::cost c;
  c.read(elements * 2 * 2 + hidden * 2);
  c.write(elements * 2);
  c.compute(execution_unit::cuda_fp32, elements * 6);
  c.compute(execution_unit::sfu, elements + rows);
  return c;
}

}  // namespace solkit
