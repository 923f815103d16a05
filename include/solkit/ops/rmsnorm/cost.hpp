#pragma once
// Costs of the rmsnorm definitions. Per row of H: read x (and residual), read the weight once,
// write the output. FLOPs on CUDA cores: x^2 accumulated (1 FMA = 2), x * inv_rms * weight (2),
// the residual add (1); one rsqrt per row on the SFU.

#include <cstdint>

#include "solkit/core/dtype.hpp"
#include "solkit/ops/rmsnorm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct rmsnorm_workload {
  std::int64_t batch_size = 0;  // rows
};

namespace ops::rmsnorm {
constexpr roofline::cost norm_cost(std::int64_t hidden, std::int64_t rows, bool fused_add) {
  using roofline::execution_unit;
  const double elements = static_cast<double>(hidden) * static_cast<double>(rows);
  roofline::cost c;
  c.read(elements * 2 * (fused_add ? 2 : 1) + static_cast<double>(hidden) * 2);
  c.write(elements * 2);
  c.compute(execution_unit::cuda_fp32, elements * (fused_add ? 5 : 4));
  c.compute(execution_unit::sfu, static_cast<double>(rows));
  return c;
}
}  // namespace ops::rmsnorm

constexpr roofline::cost cost_of(const rmsnorm_axes& a, const rmsnorm_workload& w) {
  return ops::rmsnorm::norm_cost(a.hidden_size, w.batch_size, false);
}
constexpr roofline::cost cost_of(const fused_add_rmsnorm_axes& a, const rmsnorm_workload& w) {
  return ops::rmsnorm::norm_cost(a.hidden_size, w.batch_size, true);
}
constexpr roofline::cost cost_of(const gemma_rmsnorm_axes& a, const rmsnorm_workload& w) {
  return ops::rmsnorm::norm_cost(a.hidden_size, w.batch_size, false);
}
constexpr roofline::cost cost_of(const gemma_fused_add_rmsnorm_axes& a, const rmsnorm_workload& w) {
  return ops::rmsnorm::norm_cost(a.hidden_size, w.batch_size, true);
}

}  // namespace solkit
