#pragma once
// Query-key pairs that attention must compute, shared by the attention families' costs.

#include <cstdint>

#include "solkit/roofline/cost.hpp"

namespace solkit::roofline {

/// Unmasked (query, key) pairs of one sequence under the bottom-right causal mask: query i of
/// q_len sees key j of kv_len iff j <= i + kv_len - q_len.
constexpr double causal_pairs(double q_len, double kv_len) {
  const double offset = kv_len - q_len;
  if (offset >= 0) return q_len * offset + q_len * (q_len + 1) / 2;
  return kv_len * (kv_len + 1) / 2;  // the first q_len - kv_len queries see nothing
}

/// Pages a sequence of `tokens` occupies.
constexpr double pages_of(double tokens, double page_size) {
  return tokens <= 0 ? 0 : static_cast<double>(static_cast<std::int64_t>((tokens + page_size - 1) / page_size));
}

/// The compute of softmax attention over `pairs` (query, key) pairs per head: q.k and p.v on
/// the bf16 tensor cores (2 FLOPs per multiply-add), one exp per score on the SFU, and the
/// score's scale, running max and sum on CUDA cores.
constexpr void add_attention_compute(cost& c, double heads, double pairs, double qk_dim,
                                     double vo_dim) {
  c.compute(execution_unit::tensor_bf16, 2 * heads * pairs * (qk_dim + vo_dim));
  c.compute(execution_unit::sfu, heads * pairs);
  c.compute(execution_unit::cuda_fp32, 3 * heads * pairs);
}

}  // namespace solkit::roofline
