#pragma once
// Cost of RoPE from a cos/sin cache: q and k read and written whole (the outputs are full
// tensors), one cache row (rotary_dim fp32) and one int64 position per token. Per rotated pair:
// 4 multiplies and 2 adds on CUDA cores.

#include <cstdint>

#include "solkit/ops/rope/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct rope_workload {
  std::int64_t num_tokens = 0;
  std::int64_t num_qo_heads = 0;
  std::int64_t num_kv_heads = 0;
};

constexpr roofline::cost cost_of(const rope_with_cos_sin_cache_axes& a, const rope_workload& w) {
  const double t = static_cast<double>(w.num_tokens);
  const double heads = static_cast<double>(w.num_qo_heads + w.num_kv_heads);
  const double hs = static_cast<double>(a.head_size), rd = static_cast<double>(a.rotary_dim);
  roofline::cost c;
  c.read(t * heads * hs * 2 + t * rd * 4 + t * 8);
  c.write(t * heads * hs * 2);
  c.compute(roofline::execution_unit::cuda_fp32, t * heads * (rd / 2) * 6);
  return c;
}

}  // namespace solkit
