#pragma once
// Cost of reshape_and_cache, a copy: no FLOPs. Minimal traffic (in place): read slot_mapping
// (8 bytes a token) and the key and value rows of the tokens with a slot (2 x 2 Hkv D bytes
// each, bf16); write those rows into their cache slots (2 x 2 Hkv D bytes each). The rest of
// the caches is neither read nor written. With W = num_tokens - padding tokens written:
//   bytes read = 8 N + 4 W Hkv D, written = 4 W Hkv D; FLOPs 0.
// atrex counts both whole caches, read and written (its reference clones them):
//   read = 4 N Hkv D + 4 num_blocks block_size Hkv D + 8 N, written = 4 num_blocks block_size Hkv D;
// with its num_blocks = ceil(N / block_size) the caches are about as large as key + value for
// large N, so atrex's read is about twice the minimal one (17 times at N = 1: a whole block)
// and its write equal up to the last block's padding.

#include <cstdint>

#include "solkit/ops/reshape_and_cache/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct reshape_and_cache_workload {
  std::int64_t num_tokens = 0;
  std::int64_t padding_tokens = 0;  // tokens with a negative slot: read their slot only
};

constexpr roofline::cost cost_of(const reshape_and_cache_axes& a, const reshape_and_cache_workload& w) {
  const double written_tokens = static_cast<double>(w.num_tokens - w.padding_tokens);
  const double row = static_cast<double>(a.num_kv_heads) * static_cast<double>(a.head_size);
  const double kv_bytes = written_tokens * row * 2 * 2;  // key and value, bf16
  roofline::cost c;
  c.read(static_cast<double>(w.num_tokens) * 8 + kv_bytes);
  c.write(kv_bytes);
  return c;
}

}  // namespace solkit
