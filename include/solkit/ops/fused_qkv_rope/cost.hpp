#pragma once
// Cost of fused_qkv_rope. Per token: read the packed row ((H + 2 KV) D 16-bit values) and one
// int32 position; write q, k and v whole (the outputs are separate tensors). FLOPs: per token
// and frequency (RD/2 of them) the angle position * inv_freq (1, CUDA cores) and its cos and sin
// (2, SFU); per rotated pair of a q or k head 4 multiplies and 2 adds (6, CUDA cores). inv_freq
// depends only on RD and the fixed base 10000, so a kernel holds it as a constant table: free.
//   bytes read = 2 T (H + 2 KV) D + 4 T, written = 2 T (H + 2 KV) D;
//   cuda_fp32 = 3 T (H + KV) RD + T RD / 2; sfu = T RD.

#include <cstdint>

#include "solkit/ops/fused_qkv_rope/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct fused_qkv_rope_workload {
  std::int64_t total_tokens = 0;
};

constexpr roofline::cost cost_of(const fused_qkv_rope_axes& a, const fused_qkv_rope_workload& w) {
  const double t = static_cast<double>(w.total_tokens);
  const double row = static_cast<double>((a.num_heads + 2 * a.num_kv_heads) * a.head_dim);
  const double elem = static_cast<double>(size_bytes(a.element_type, 1));
  const double rotated_heads = static_cast<double>(a.num_heads + a.num_kv_heads);
  const double pairs = static_cast<double>(a.rope_dim / 2);
  roofline::cost c;
  c.read(t * row * elem + t * 4);
  c.write(t * row * elem);
  c.compute(roofline::execution_unit::cuda_fp32, t * rotated_heads * pairs * 6 + t * pairs);
  c.compute(roofline::execution_unit::sfu, t * pairs * 2);
  return c;
}

}  // namespace solkit
