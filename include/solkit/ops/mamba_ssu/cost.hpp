#pragma once
// Cost of the Mamba2 selective state update: the batch's state slots read and written (bf16;
// the rest of the cache is untouched), x, dt, B, C, the parameters A (fp32), D and dt_bias, the
// slot indices, the output. Per state element: dt*A, exp (SFU), state*dA + dt*x*B, C.state
// (6 CUDA-core FLOPs); one softplus per channel.

#include <cstdint>

#include "solkit/ops/mamba_ssu/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct mamba_ssu_decode_workload {
  std::int64_t batch_size = 0;
};

constexpr roofline::cost cost_of(const mamba_ssu_decode_axes& a, const mamba_ssu_decode_workload& w) {
  using roofline::execution_unit;
  const double b = static_cast<double>(w.batch_size), h = static_cast<double>(a.nheads);
  const double p = static_cast<double>(a.head_dim), s = static_cast<double>(a.dstate);
  const double g = static_cast<double>(a.ngroups);
  const double state = b * h * p * s;
  roofline::cost c;
  c.read(state * 2 + b * h * p * 2 * 2 + h * p * s * 4 + b * g * s * 2 * 2 + h * p * 2 * 2 + b * 4);
  c.write(state * 2 + b * h * p * 2);
  c.compute(execution_unit::cuda_fp32, 6 * state);
  c.compute(execution_unit::sfu, state + b * h * p);
  return c;
}

}  // namespace solkit
