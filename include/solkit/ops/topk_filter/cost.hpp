#pragma once
// Cost of topk_filter: read the fp32 logits once, write the fp32 masked logits once
// (bytes read = 4 B V, written = 4 B V). FLOPs on CUDA cores, 2 per logit: one comparison
// while finding the row's k-th largest value (a radix or threshold search that keeps the row
// on chip needs at least one) and one for the mask, as the sampling definitions charge 2 per
// probability; the selection has no fixed FLOP count and this never binds (8 bytes a logit).
// atrex counts the same bytes and no FLOPs.

#include <cstdint>

#include "solkit/ops/topk_filter/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct topk_filter_workload {
  std::int64_t batch_size = 0;  // rows (atrex's seq_len)
};

constexpr roofline::cost cost_of(const topk_filter_axes& a, const topk_filter_workload& w) {
  const double logits = static_cast<double>(w.batch_size) * static_cast<double>(a.vocab_size);
  roofline::cost c;
  c.read(logits * 4);
  c.write(logits * 4);
  c.compute(roofline::execution_unit::cuda_fp32, logits * 2);
  return c;
}

}  // namespace solkit
