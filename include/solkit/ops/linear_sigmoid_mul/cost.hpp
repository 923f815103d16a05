#pragma once
// Cost of linear_sigmoid_mul, all tensors bf16:
//   read = 2 T H (hidden_states) + 2 N H (weight) + 2 N (bias) + 2 T N (post_mul_mat);
//   written = 2 T N.
//   tensor_bf16 = 2 T H N (the GEMM);
//   cuda_fp32   = 3 T N: per output, the bias add, 1 + exp(-g) and the product with post_mul_mat;
//   sfu         = T N sigmoids (as silu_and_mul counts them).
// atrex counts the same bytes and W = 2 T H N + T N, all at the bf16 tensor peak.

#include <cstdint>

#include "solkit/ops/linear_sigmoid_mul/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct linear_sigmoid_mul_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const linear_sigmoid_mul_axes& a, const linear_sigmoid_mul_workload& w) {
  using roofline::execution_unit;
  const double t = static_cast<double>(w.token_count);
  const double h = static_cast<double>(a.hidden_size), n = static_cast<double>(a.out_features);
  roofline::cost c;
  c.read(2 * t * h + 2 * n * h + 2 * n + 2 * t * n);
  c.write(2 * t * n);
  c.compute(execution_unit::tensor_bf16, 2 * t * h * n);
  c.compute(execution_unit::cuda_fp32, 3 * t * n);
  c.compute(execution_unit::sfu, t * n);
  return c;
}

}  // namespace solkit
