#pragma once
// Cost of moe_sum_reduce. Per token: read its k bf16 rows of H (2 k H bytes), write one bf16 row
// (2 H bytes). FLOPs on CUDA cores per output element: k - 1 additions and the product with
// routed_scaling_factor (charged whatever its value: the definition takes it at run time).
//   bytes read = 2 T k H, written = 2 T H; cuda_fp32 = T H k.
// atrex: the same bytes; W = T k H, charged at the bf16 tensor-core peak.

#include <cstdint>

#include "solkit/ops/moe_sum_reduce/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct moe_sum_reduce_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const moe_sum_reduce_axes& a, const moe_sum_reduce_workload& w) {
  const double outputs = static_cast<double>(w.token_count) * static_cast<double>(a.hidden_size);
  const double k = static_cast<double>(a.top_k);
  roofline::cost c;
  c.read(outputs * k * 2);
  c.write(outputs * 2);
  c.compute(roofline::execution_unit::cuda_fp32, outputs * ((k - 1) + 1));  // adds, then the scale
  return c;
}

}  // namespace solkit
