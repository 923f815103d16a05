#pragma once
// Cost of the layer_norm definitions, R = num_rows rows of H = hidden_size bf16 values.
// Bytes: read x (2 R H), weight and bias once (2 H each); write out (2 R H).
// FLOPs on CUDA cores, 7 per element: the sum for the mean (1), x^2 accumulated as an FMA for
// the variance (2), x - mean (1), * inv_std (1), * weight + bias as an FMA (2); per-row scalar
// work (mean and variance scales, + eps) is not counted. One rsqrt per row on the SFU.

#include <cstdint>

#include "solkit/ops/layer_norm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct layer_norm_workload {
  std::int64_t num_rows = 0;
};

constexpr roofline::cost cost_of(const layer_norm_axes& a, const layer_norm_workload& w) {
  using roofline::execution_unit;
  const double hidden = static_cast<double>(a.hidden_size);
  const double rows = static_cast<double>(w.num_rows);
  const double elements = rows * hidden;
  roofline::cost c;
  c.read(elements * 2 + hidden * 2 * 2);
  c.write(elements * 2);
  c.compute(execution_unit::cuda_fp32, elements * 7);
  c.compute(execution_unit::sfu, rows);
  return c;
}

}  // namespace solkit
