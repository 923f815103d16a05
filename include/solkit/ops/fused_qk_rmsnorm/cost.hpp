#pragma once
// Cost of the fused_qk_rmsnorm definitions, T = num_tokens rows of (Hq + 2 Hkv) D fp16 values.
// Bytes: read hidden_states (2 T (Hq + 2 Hkv) D) and both weights once (2 x 2 D); write out, a
// full new tensor as the definition has it (2 T (Hq + 2 Hkv) D; an in-place kernel would write
// only the q and k heads, 2 T (Hq + Hkv) D).
// FLOPs on CUDA cores, 4 per normalised element, T (Hq + Hkv) D of them: x^2 accumulated as an
// FMA (2), * inv_rms (1), * weight (1); per-head scalar work (mean scale, + eps) and the v copy
// are not counted. One rsqrt per q and k head on the SFU: T (Hq + Hkv).

#include <cstdint>

#include "solkit/ops/fused_qk_rmsnorm/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct fused_qk_rmsnorm_workload {
  std::int64_t num_tokens = 0;
};

constexpr roofline::cost cost_of(const fused_qk_rmsnorm_axes& a, const fused_qk_rmsnorm_workload& w) {
  using roofline::execution_unit;
  const double tokens = static_cast<double>(w.num_tokens);
  const double head_dim = static_cast<double>(a.head_dim);
  const double row = static_cast<double>(a.hidden_size());
  const double normed_heads = tokens * static_cast<double>(a.num_qo_heads + a.num_kv_heads);
  roofline::cost c;
  c.read(tokens * row * 2 + 2 * head_dim * 2);
  c.write(tokens * row * 2);
  c.compute(execution_unit::cuda_fp32, normed_heads * head_dim * 4);
  c.compute(execution_unit::sfu, normed_heads);
  return c;
}

}  // namespace solkit
