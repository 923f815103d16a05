#pragma once
// Cost of block_scaled_mm. With KG = K / GK and NG = N / GN blocks:
//   read = m K (fp8 a) + N K (fp8 b) + 4 m KG (a_scales) + 4 NG KG (b_scales); written = 4 m N
//   (fp32 c).
//   tensor_fp8 = 2 m N K;
//   cuda_fp32  = 3 m N KG: per output element and K block, a_scale * b_scale (1) and an FMA of the
//                block's partial sum into the accumulator (2).
// atrex counts the same bytes and W = 2 m N K + m N (3 KG - 1), all at the fp8 tensor peak.

#include <cstdint>

#include "solkit/ops/block_scaled_mm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct block_scaled_mm_workload {
  std::int64_t m = 0;  // tokens
};

constexpr roofline::cost cost_of(const block_scaled_mm_axes& a, const block_scaled_mm_workload& w) {
  using roofline::execution_unit;
  const double m = static_cast<double>(w.m), n = static_cast<double>(a.n), k = static_cast<double>(a.k);
  const double k_groups = static_cast<double>(a.k / a.group_k);
  const double n_groups = static_cast<double>(a.n / a.group_n);
  roofline::cost c;
  c.read(m * k + n * k + 4 * m * k_groups + 4 * n_groups * k_groups);
  c.write(4 * m * n);
  c.compute(execution_unit::tensor_fp8, 2 * m * n * k);
  c.compute(execution_unit::cuda_fp32, 3 * m * n * k_groups);
  return c;
}

}  // namespace solkit
