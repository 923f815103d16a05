#pragma once
// Cost of moe_topk_gating_softmax. Per token: read its E fp32 logits (4E bytes), write k fp32
// weights and k int32 ids (8k bytes). FLOPs per logit on CUDA cores: the running max, the
// subtraction of the max and the sum of the exponentials (3); one exp per logit on the SFU. Per
// token one reciprocal of the sum (SFU) and k products that scale the chosen exponentials to
// probabilities (CUDA cores): only the k chosen are ever divided, since the top k of the
// logits are the top k of the probabilities. The top-k selection itself (comparisons) is not
// charged, as for the other top-k definitions.
//   bytes read = 4 T E, written = 8 T k; cuda_fp32 = 3 T E + T k; sfu = T E + T.
// atrex: the same bytes; W = T (4E - 1) fp32 FLOPs, all at the fp32 peak, no exp.

#include <cstdint>

#include "solkit/ops/moe_topk_gating_softmax/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct moe_topk_gating_softmax_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const moe_topk_gating_softmax_axes& a,
                                 const moe_topk_gating_softmax_workload& w) {
  const double t = static_cast<double>(w.token_count);
  const double logits = t * static_cast<double>(a.num_experts);
  const double chosen = t * static_cast<double>(a.top_k);
  roofline::cost c;
  c.read(logits * 4);
  c.write(chosen * (4 + 4));  // fp32 weight and int32 id
  c.compute(roofline::execution_unit::cuda_fp32, logits * 3 + chosen);
  c.compute(roofline::execution_unit::sfu, logits + t);
  return c;
}

}  // namespace solkit
