#pragma once
// Cost of the rms_norm definitions, T = token_count rows of H = hidden_size bf16 values.
// Bytes: read x (2 T H) and the weight once (2 H), write out (2 T H).
// FLOPs on CUDA cores, 4 per element: x^2 accumulated as an FMA (2), x * inv_rms (1), * weight
// (1); the per-row mean scale and + eps (2 per row, under 2/H of the total) are not counted, as
// for flashinfer-bench's rmsnorm. One rsqrt per row on the SFU.

#include <cstdint>

#include "solkit/ops/rms_norm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct rms_norm_workload {
  std::int64_t token_count = 0;  // rows
};

constexpr roofline::cost cost_of(const rms_norm_axes& a, const rms_norm_workload& w) {
  using roofline::execution_unit;
  const double hidden = static_cast<double>(a.hidden_size);
  const double rows = static_cast<double>(w.token_count);
  const double elements = rows * hidden;
  roofline::cost c;
  c.read(elements * 2 + hidden * 2);
  c.write(elements * 2);
  c.compute(execution_unit::cuda_fp32, elements * 4);
  c.compute(execution_unit::sfu, rows);
  return c;
}

}  // namespace solkit
