#pragma once
// Cost of mrope. Per token: read and write every q and k head whole (the outputs are full
// tensors, HQ + KV heads of D bf16 channels); read the cos and sin of each of the RD/2
// frequencies from the one stream it uses (2 tables x RD/2 x 4 bytes = 4 RD; the other two
// streams' entries are never needed, atrex counts all three: 12 RD). FLOPs: per rotated pair of
// a head 4 multiplies and 2 adds on CUDA cores; no transcendentals (cos and sin are inputs).
//   bytes read = 2 T (HQ + KV) D + 4 T RD, written = 2 T (HQ + KV) D;
//   cuda_fp32 = 3 T (HQ + KV) RD; sfu = 0.

#include <cstdint>

#include "solkit/ops/mrope/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct mrope_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const mrope_axes& a, const mrope_workload& w) {
  const double t = static_cast<double>(w.token_count);
  const double heads = static_cast<double>(a.num_query_heads + a.num_kv_heads);
  const double d = static_cast<double>(a.head_size), rd = static_cast<double>(a.rotary_dim);
  roofline::cost c;
  c.read(t * heads * d * 2 + 2 * t * (rd / 2) * 4);
  c.write(t * heads * d * 2);
  c.compute(roofline::execution_unit::cuda_fp32, t * heads * (rd / 2) * 6);
  return c;
}

}  // namespace solkit
