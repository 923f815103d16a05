#pragma once
// Costs of the sampling definitions: one pass over the probabilities (fp32), the per-row
// parameters, the int64 samples. About two CUDA-core operations per probability (compare and
// accumulate); the selection itself has no fixed FLOP count.

#include <cstdint>

#include "solkit/ops/sampling/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct sampling_workload {
  std::int64_t batch_size = 0;
};

namespace ops::sampling {
constexpr roofline::cost sampling_cost(std::int64_t vocab, std::int64_t batch, int parameters) {
  const double b = static_cast<double>(batch), v = static_cast<double>(vocab);
  roofline::cost c;
  c.read(b * v * 4 + b * 4 * parameters).write(b * 8);
  c.compute(roofline::execution_unit::cuda_fp32, 2 * b * v);
  return c;
}
}  // namespace ops::sampling

constexpr roofline::cost cost_of(const top_k_sampling_from_probs_axes& a, const sampling_workload& w) {
  return ops::sampling::sampling_cost(a.vocab_size, w.batch_size, 1);
}
constexpr roofline::cost cost_of(const top_p_sampling_from_probs_axes& a, const sampling_workload& w) {
  return ops::sampling::sampling_cost(a.vocab_size, w.batch_size, 1);
}
constexpr roofline::cost cost_of(const top_k_top_p_sampling_from_probs_axes& a,
                                 const sampling_workload& w) {
  return ops::sampling::sampling_cost(a.vocab_size, w.batch_size, 2);
}

}  // namespace solkit
