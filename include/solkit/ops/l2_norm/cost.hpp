#pragma once
// Cost of the l2_norm definitions, T = num_tokens rows of H = hidden_size bf16 values.
// Bytes: read x (2 T H), write out (2 T H); there is no weight.
// FLOPs on CUDA cores, 3 per element: x^2 accumulated as an FMA (2), * inv_norm (1); the
// per-row + eps is not counted. One rsqrt per row on the SFU.

#include <cstdint>

#include "solkit/ops/l2_norm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct l2_norm_workload {
  std::int64_t num_tokens = 0;  // rows
};

constexpr roofline::cost cost_of(const l2_norm_axes& a, const l2_norm_workload& w) {
  using roofline::execution_unit;
  const double rows = static_cast<double>(w.num_tokens);
  const double elements = rows * static_cast<double>(a.hidden_size);
  roofline::cost c;
  c.read(elements * 2);
  c.write(elements * 2);
  c.compute(execution_unit::cuda_fp32, elements * 3);
  c.compute(execution_unit::sfu, rows);
  return c;
}

}  // namespace solkit
