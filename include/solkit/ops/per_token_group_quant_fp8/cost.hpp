#pragma once
// Cost of per_token_group_quant_fp8. Per token of H channels in groups of G: read the bf16 row
// (2H bytes), write H fp8 bytes and H / G fp32 scales. FLOPs on CUDA cores, per element: the
// running max of |x| (1) and the scaling (1: a multiply by the group's reciprocal scale; the
// clamp is the conversion's saturation); per group one reciprocal on the SFU.
//   bytes read = 2 T H, written = T H + 4 T H / G; cuda_fp32 = 2 T H; sfu = T H / G.

#include <cstdint>

#include "solkit/ops/per_token_group_quant_fp8/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct per_token_group_quant_fp8_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const per_token_group_quant_fp8_axes& a,
                                 const per_token_group_quant_fp8_workload& w) {
  const double t = static_cast<double>(w.token_count);
  const double elements = t * static_cast<double>(a.hidden_size);
  const double groups = t * static_cast<double>(a.hidden_size / a.group_size);
  roofline::cost c;
  c.read(elements * 2);
  c.write(elements * 1 + groups * 4);
  c.compute(roofline::execution_unit::cuda_fp32, elements * 2);
  c.compute(roofline::execution_unit::sfu, groups);
  return c;
}

}  // namespace solkit
