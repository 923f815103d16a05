#pragma once
// Cost of causal_conv1d: one sequence of T tokens, dim channels, width taps. Read x, the taps,
// the bias and the width - 1 state samples (all bf16); write out (bf16). Per output element:
// width FMAs (2 width, the bias as the accumulator's start) and silu's 1 + exp(-y) and
// y * sigmoid(y) (2) on CUDA cores; one sigmoid on the SFU (as silu_and_mul counts it).
//   bytes read    = 2 dim T + 2 dim width + 2 dim + 2 dim (width - 1)
//   bytes written = 2 dim T
//   cuda_fp32 = (2 width + 2) dim T;  sfu = dim T
// atrex (roofline.json): the same bytes; W = 12 dim T (width 4) at the bf16 tensor-core peak.

#include <cstdint>

#include "solkit/ops/causal_conv1d/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct causal_conv1d_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const causal_conv1d_axes& a, const causal_conv1d_workload& w) {
  using roofline::execution_unit;
  const double d = static_cast<double>(a.dim), width = static_cast<double>(a.width);
  const double outputs = d * static_cast<double>(w.token_count);
  roofline::cost c;
  c.read(2 * outputs + 2 * d * width + 2 * d + 2 * d * (width - 1));
  c.write(2 * outputs);
  c.compute(execution_unit::cuda_fp32, (2 * width + 2) * outputs);
  c.compute(execution_unit::sfu, outputs);
  return c;
}

}  // namespace solkit
