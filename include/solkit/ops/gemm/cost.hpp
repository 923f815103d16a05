#pragma once
// Cost of gemm_n{N}_k{K}: read A [M, K] and B [N, K], write C [M, N], all fp16; 2 M N K FLOPs on
// the fp16 tensor cores.

#include <cstdint>

#include "solkit/ops/gemm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct gemm_workload {
  std::int64_t m = 0;  // tokens
};

constexpr roofline::cost cost_of(const gemm_axes& a, const gemm_workload& w) {
  const double m = static_cast<double>(w.m), n = static_cast<double>(a.n), k = static_cast<double>(a.k);
  roofline::cost c;
  c.read((m * k + n * k) * 2).write(m * n * 2);
  c.compute(roofline::execution_unit::tensor_bf16, 2 * m * n * k);
  return c;
}

}  // namespace solkit
