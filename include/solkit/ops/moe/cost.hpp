#pragma once
// Costs of the fp8 block-scale MoE definitions. Under uniform routing, token t picks top_k of
// num_experts experts, so a local expert receives at least one of seq_len tokens with
// probability 1 - (1 - top_k / num_experts)^seq_len: only those experts' weights (and scales)
// are read. Bytes also: router logits (and bias), fp8 hidden states with their scales, the bf16
// output. FLOPs: each routed (token, local expert) pair runs gemm1 (2 H 2I) and gemm2 (2 I H) on
// the fp8 tensor cores; the activation, the weighted sum and the routing on CUDA cores and SFU.

#include <cstdint>

#include "solkit/ops/moe/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct moe_workload {
  std::int64_t seq_len = 0;  // tokens
};

namespace ops::moe {
/// base^exponent by squaring, usable in constant expressions.
constexpr double power(double base, std::int64_t exponent) {
  double result = 1;
  for (; exponent > 0; exponent /= 2, base *= base) {
    if (exponent % 2 == 1) result *= base;
  }
  return result;
}

/// Expected local experts that receive a token, under uniform routing.
constexpr double expected_active_experts(std::int64_t tokens, double top_k, double experts,
                                         double local) {
  return local * (1 - power(1 - top_k / experts, tokens));
}

constexpr roofline::cost experts_cost(std::int64_t token_count, double top_k, double experts, double local,
                                   double hidden, double width, double logit_bytes) {
  using roofline::execution_unit;
  const double block = static_cast<double>(moe_fp8_block_size);
  const double tokens = static_cast<double>(token_count);
  const double active = expected_active_experts(token_count, top_k, experts, local);
  const double routed = tokens * top_k * local / experts;  // (token, local expert) pairs
  const double weights = 3 * hidden * width;               // gemm1 (2I x H) + gemm2 (H x I), fp8
  const double scales = 3 * (hidden / block) * (width / block) * 4;
  roofline::cost c;
  c.read(tokens * experts * logit_bytes + tokens * hidden + (hidden / block) * tokens * 4 +
         active * (weights + scales));
  c.write(tokens * hidden * 2);
  c.compute(execution_unit::tensor_fp8, routed * 6 * hidden * width);
  c.compute(execution_unit::cuda_fp32, routed * (3 * width + 2 * hidden));
  c.compute(execution_unit::sfu, routed * width + tokens * experts);
  return c;
}
}  // namespace ops::moe

constexpr roofline::cost cost_of(const moe_fp8_block_scale_ds_routing_axes& a, const moe_workload& w) {
  roofline::cost c = ops::moe::experts_cost(
      w.seq_len, static_cast<double>(a.top_k), static_cast<double>(a.num_experts),
      static_cast<double>(a.num_local_experts), static_cast<double>(a.hidden_size),
      static_cast<double>(a.intermediate_size), 4);
  c.read(static_cast<double>(a.num_experts) * 2);  // routing bias
  return c;
}

constexpr roofline::cost cost_of(const moe_fp8_block_scale_renorm_axes& a, const moe_workload& w) {
  return ops::moe::experts_cost(w.seq_len, static_cast<double>(a.top_k),
                                static_cast<double>(a.num_experts),
                                static_cast<double>(a.num_local_experts),
                                static_cast<double>(a.hidden_size),
                                static_cast<double>(a.intermediate_size), 2);
}

}  // namespace solkit
