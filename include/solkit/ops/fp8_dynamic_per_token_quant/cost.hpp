#pragma once
// Cost of fp8_dynamic_per_token_quant. Per token of H channels: read the bf16 row (2H bytes),
// write H fp8 bytes and one fp32 scale (4 bytes). FLOPs on CUDA cores, per element: the running
// max of |x| (1; the abs is a free operand modifier) and the multiply by the row's reciprocal
// scale (1; the clamp is the conversion's saturation); per row one reciprocal on the SFU.
//   bytes read = 2 T H, written = T H + 4 T; cuda_fp32 = 2 T H; sfu = T.

#include <cstdint>

#include "solkit/ops/fp8_dynamic_per_token_quant/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct fp8_dynamic_per_token_quant_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const fp8_dynamic_per_token_quant_axes& a,
                                 const fp8_dynamic_per_token_quant_workload& w) {
  const double t = static_cast<double>(w.token_count);
  const double elements = t * static_cast<double>(a.hidden_size);
  roofline::cost c;
  c.read(elements * 2);
  c.write(elements * 1 + t * 4);
  c.compute(roofline::execution_unit::cuda_fp32, elements * 2);
  c.compute(roofline::execution_unit::sfu, t);
  return c;
}

}  // namespace solkit
