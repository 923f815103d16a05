#pragma once
// Cost of moe_align_block_size. Read the T k int32 ids once; write every element of the three
// outputs once: the definition fixes all of them (the used rows and the sentinel tail alike),
// so a kernel must store the whole max-size buffers, as vLLM's kernel does (it fills
// sorted_token_ids with the sentinel, then scatters the pairs). Integer work only (histogram,
// scan, scatter): no FLOPs are charged.
//   N = T k + E (B - 1) (max_num_tokens_padded), M = ceil(N / B) (max_num_blocks)
//   bytes read = 4 T k, written = 4 (N + M + 1); no FLOPs.
// This is the worst case of the used prefix (P <= N): the rows a kernel could skip if the tail
// were left undefined are charged. atrex charges only the used prefix, 4 (P + P / B + 1), with P
// taken from a routing sample; under its uniform random ids, E [P] = E B E[ceil(c / B)], c ~
// Binomial(T k, 1 / E). For E = B = 128, k = 8: T = 1: E[P] ~ 996 (atrex 1024), written ~4.0 kB
// vs 65572 B here; T = 520: 16384 (66052 B, as atrex) vs 82308 B; T = 8192: E[P] ~ 73536
// (atrex 73344: 295672 B) vs 329728 B. Every such time is far below a kernel launch.

#include <cstdint>

#include "solkit/ops/moe_align_block_size/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct moe_align_block_size_workload {
  std::int64_t token_count = 0;
};

/// max_num_tokens_padded: the rows of sorted_token_ids (vLLM's buffer size).
constexpr std::int64_t max_num_tokens_padded(const moe_align_block_size_axes& a, std::int64_t token_count) {
  return token_count * a.top_k + a.num_experts * (a.block_size - 1);
}

/// max_num_blocks: the entries of expert_ids.
constexpr std::int64_t max_num_blocks(const moe_align_block_size_axes& a, std::int64_t token_count) {
  return (max_num_tokens_padded(a, token_count) + a.block_size - 1) / a.block_size;
}

constexpr roofline::cost cost_of(const moe_align_block_size_axes& a, const moe_align_block_size_workload& w) {
  const double pairs = static_cast<double>(w.token_count) * static_cast<double>(a.top_k);
  const double rows = static_cast<double>(max_num_tokens_padded(a, w.token_count));
  const double blocks = static_cast<double>(max_num_blocks(a, w.token_count));
  roofline::cost c;
  c.read(pairs * 4);
  c.write((rows + blocks + 1) * 4);  // sorted_token_ids, expert_ids, num_tokens_post_pad
  return c;
}

}  // namespace solkit
