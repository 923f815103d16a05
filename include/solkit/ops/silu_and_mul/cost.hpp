#pragma once
// Cost of silu_and_mul. Per token: read the 2d bf16 input row (4d bytes), write the d bf16
// outputs (2d bytes). Per output element: one sigmoid on the SFU; on CUDA cores the 1 + exp(-g)
// add, g * sigmoid(g) and the product with up (3), as the MoE cost counts the same activation.
//   bytes read = 4 T d, written = 2 T d; cuda_fp32 = 3 T d; sfu = T d.

#include <cstdint>

#include "solkit/ops/silu_and_mul/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct silu_and_mul_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const silu_and_mul_axes& a, const silu_and_mul_workload& w) {
  const double elements = static_cast<double>(w.token_count) * static_cast<double>(a.intermediate_size);
  roofline::cost c;
  c.read(elements * 2 * 2);  // gate and up, bf16
  c.write(elements * 2);
  c.compute(roofline::execution_unit::cuda_fp32, elements * 3);
  c.compute(roofline::execution_unit::sfu, elements);
  return c;
}

}  // namespace solkit
