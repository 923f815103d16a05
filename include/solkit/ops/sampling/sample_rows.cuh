#pragma once
// Device code of the sampling kernels (top_k / top_p / top_k_top_p sampling from probabilities):
// one thread-block cluster per row, the row read once from HBM into the cluster's shared memory
// (common/cluster_row.cuh), the filter found by radix select instead of a sort, and one inverse-CDF
// draw in token order over the kept tokens.
//
// Per row, with M the row's mass (entries that are NaN, negative or infinite count as 0):
// 1. M == 0: token 0. top_p <= 0 (sampling with top-p): the argmax, lowest id among ties.
// 2. top-k (0 < k < V): T_k = the k-th largest key by count. Kept: keys > T_k, and of the keys
//    equal to T_k the first (k - #keys > T_k) in token order, which is where a stable descending
//    sort puts them. M_k = their mass.
// 3. top-p (p < 1; NaN disables it): among the survivors, sorted order keeps a token while the
//    mass before it is <= p M_k (flashinfer-bench's reference: the token whose cumulative mass
//    first exceeds p is kept, and every token before it). That is a prefix of the sorted order:
//    all keys > T_p, and tie i (0-based, token order) of value v = T_p while i v <= p M_k - G(T_p)
//    (G: survivor mass above T_p), where T_p is the smallest key whose larger survivors hold at
//    most p M_k: a radix select by mass (in 64-bit fixed point of 2^-40 the row's mass, so the
//    selection does not depend on the order of atomic adds).
// 4. The kept mass K is summed in token order (warps own contiguous segments, a warp scan per 32
//    tokens; CTAs in rank order) and u = r K, r uniform in [0, 1) from Philox (seed, subsequence
//    = row, offset): the token where the running kept mass first exceeds u is the sample. Should
//    float rounding leave u past the last sum, the last kept token is taken.

#include <climits>
#include <cstdint>

#include <cooperative_groups.h>
#include <cuda_runtime.h>
#include <curand_kernel.h>

#include "solkit/ops/common/cluster_row.cuh"

namespace solkit::ops::sampling_kernels {

namespace cg = cooperative_groups;
namespace cr = cluster_row;

enum filter_flags : int { top_k_filter = 1, top_p_filter = 2 };

struct params {
  const float* probs;          // [batch, vocab]
  const std::int32_t* top_k;   // [batch]; read with top_k_filter
  const float* top_p;          // [batch]; read with top_p_filter
  std::int64_t* samples;       // [batch]
  std::int64_t vocab;
  int slice_columns;           // columns per CTA (cluster_row::slice_columns)
  unsigned long long seed, offset;
};

/// A probability as the kernels see it: NaN, negative and infinite entries are 0.
__device__ __forceinline__ float sanitized(float x) { return x > 0.0f && x < INFINITY ? x : 0.0f; }
/// Order-preserving key of a sanitized (non-negative) probability: its bits.
struct probability_key {
  __device__ unsigned operator()(float x) const { return __float_as_uint(x); }
};

/// Loads this CTA's slice of the row into shared memory (sanitized) and returns its mass; the
/// slice's argmax (largest value, lowest column) goes to s.mine.
__device__ inline float load_slice(cr::shared_state& s, const cr::slice& mine, const float* row_probs, bool vectors) {
  float sum = 0.0f, best = -1.0f;
  int best_column = INT_MAX;
  const auto take = [&](int i, float x) {
    x = sanitized(x);
    mine.values[i] = x;
    sum += x;
    if (x > best) best = x, best_column = mine.first + i;  // i rises: a tie keeps the lower column
  };
  const float* in = row_probs + mine.first;
  int done = 0;
  if (vectors) {  // 16-byte loads, four in flight per thread (32 KB per CTA) before any is used
    constexpr int batch = 4;
    const float4* in4 = reinterpret_cast<const float4*>(in);
    const int quads = mine.count / 4;
    for (int q0 = threadIdx.x; q0 < quads; q0 += batch * cr::threads) {
      float4 v[batch];
#pragma unroll
      for (int j = 0; j < batch; ++j) {
        const int q = q0 + j * cr::threads;
        v[j] = q < quads ? __ldg(in4 + q) : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
      }
#pragma unroll
      for (int j = 0; j < batch; ++j) {
        const int q = q0 + j * cr::threads;
        if (q < quads) take(4 * q, v[j].x), take(4 * q + 1, v[j].y), take(4 * q + 2, v[j].z), take(4 * q + 3, v[j].w);
      }
    }
    done = quads * 4;
  }
  for (int i = done + threadIdx.x; i < mine.count; i += cr::threads) take(i, __ldg(in + i));
  // Argmax over the CTA: warp shuffles, then the warps' winners in order.
  for (int offset = 16; offset > 0; offset /= 2) {
    const float other = __shfl_down_sync(0xffffffffu, best, offset);
    const int other_column = __shfl_down_sync(0xffffffffu, best_column, offset);
    if (other > best || (other == best && other_column < best_column)) best = other, best_column = other_column;
  }
  const int warp = threadIdx.x / 32;
  if (threadIdx.x % 32 == 0) s.warp_float[warp] = best, s.warp_int[warp] = best_column;
  const float total = cr::block_sum(s, sum);  // synchronises: the warps' winners are visible
  if (threadIdx.x == 0) {
    float b = -1.0f;
    int c = INT_MAX;
    for (int w = 0; w < cr::warps; ++w) {
      if (s.warp_float[w] > b || (s.warp_float[w] == b && s.warp_int[w] < c)) b = s.warp_float[w], c = s.warp_int[w];
    }
    s.mine.sum = total;
    s.mine.max_value = b;
    s.mine.max_index = c;
  }
  return total;
}

/// The final filter: keys > threshold, and of the keys equal to it the first `kept_ties` in
/// token order (all of them when rank_ties is false).
struct kept_filter {
  unsigned threshold;
  int kept_ties;
  bool rank_ties;
};

/// One pass of warp `warp` over its segment in token order. Returns the kept mass; with
/// `locate`, the column (in the slice) where base + running kept mass first exceeds u, else the
/// last kept column (-1: none kept). tie_base: ties at the threshold before this segment.
struct walk_result {
  float mass;
  int located;
  int last_kept;
  int ties;
};
__device__ inline walk_result walk_segment(const cr::slice& mine, int warp, const kept_filter& f, int tie_base,
                                           bool locate, float base, float u) {
  const int lane = threadIdx.x % 32;
  const cr::warp_segment seg = cr::segment_of(mine, warp);
  walk_result r{0.0f, -1, -1, 0};
  for (int start = seg.begin; start < seg.end; start += 32) {
    const int i = start + lane;
    const float x = i < seg.end ? mine.values[i] : 0.0f;
    const unsigned key = __float_as_uint(x);
    const bool tie = i < seg.end && key == f.threshold;
    const unsigned tie_ballot = __ballot_sync(0xffffffffu, tie);
    const int tie_rank = tie_base + r.ties + __popc(tie_ballot & ((1u << lane) - 1));
    r.ties += __popc(tie_ballot);
    const bool kept = i < seg.end && (key > f.threshold || (tie && (!f.rank_ties || tie_rank < f.kept_ties)));
    const float running = r.mass + cr::warp_inclusive_sum(kept ? x : 0.0f);
    const unsigned kept_ballot = __ballot_sync(0xffffffffu, kept);
    if (kept_ballot != 0) r.last_kept = start + 31 - __clz(kept_ballot);
    if (locate && r.located < 0) {
      const unsigned crossed = __ballot_sync(0xffffffffu, kept && base + running > u);
      if (crossed != 0) r.located = start + __ffs(crossed) - 1;
    }
    r.mass = __shfl_sync(0xffffffffu, running, 31);
  }
  if (locate && r.located < 0) r.located = r.last_kept;
  return r;
}

template <int filters>
__global__ void __launch_bounds__(cr::threads) sample_rows(const __grid_constant__ params p) {
  extern __shared__ float4 dynamic_shared[];
  __shared__ cr::shared_state s;
  cg::cluster_group cluster = cg::this_cluster();
  const int rank = static_cast<int>(cluster.block_rank()), ranks = static_cast<int>(cluster.num_blocks());
  const cr::row_slice here = cr::this_row_slice(reinterpret_cast<float*>(dynamic_shared), p.vocab, p.slice_columns);
  const std::int64_t row = here.row;
  const cr::slice& mine = here.mine;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;

  load_slice(s, mine, p.probs + row * p.vocab, p.vocab % 4 == 0);
  cluster.sync();
  const float row_mass = cr::cluster_sum(s, [](const cr::published& x) { return x.sum; });
  float best = -1.0f;
  int argmax = 0;
  for (int r = 0; r < ranks; ++r) {  // rank order: a tie keeps the lower column
    const cr::published* other = cluster.map_shared_rank(&s.mine, r);
    if (other->max_value > best) best = other->max_value, argmax = other->max_index;
  }
  const std::int32_t k = (filters & top_k_filter) ? p.top_k[row] : 0;
  const float top_p = (filters & top_p_filter) ? p.top_p[row] : 1.0f;
  // No positive entry: token 0. A mass that overflows float (only unnormalised rows of huge
  // values) cannot be sampled in fp32: the argmax, as for top_p <= 0.
  const bool done_early = !(row_mass > 0.0f) || !(row_mass < INFINITY) || ((filters & top_p_filter) && top_p <= 0.0f);
  if (done_early) {
    if (rank == 0 && threadIdx.x == 0) p.samples[row] = row_mass > 0.0f ? argmax : 0;
    cluster.sync();  // no CTA leaves while another may still read its shared memory
    return;
  }

  kept_filter f{1u, INT_MAX, false};  // no filter: every positive entry
  int buffer = 0;
  const cr::fixed_point fixed = cr::fixed_point_for(row_mass);
  unsigned top_k_key = 0;
  int top_k_ties = 0;
  float survivor_mass = row_mass;
  const bool use_k = (filters & top_k_filter) && k > 0 && k < p.vocab;
  const bool use_p = (filters & top_p_filter) && top_p < 1.0f;
  if (use_k) {
    const cr::selection r =
        cr::radix_select<false>(s, mine, probability_key{}, 0u, static_cast<unsigned>(k), 0ull, fixed, buffer);
    if (r.key > 0) {  // else fewer than k positive entries: every positive one survives
      top_k_key = r.key;
      top_k_ties = static_cast<int>(r.left_count);
      f = {r.key, top_k_ties, top_k_ties < static_cast<int>(r.key_count)};
      if (use_p) {
        float above = 0.0f;
        for (int i = threadIdx.x; i < mine.count; i += cr::threads) {
          if (__float_as_uint(mine.values[i]) > r.key) above += mine.values[i];
        }
        above = cr::block_sum(s, above);
        if (threadIdx.x == 0) s.mine.survivor_mass = above;
        cluster.sync();
        survivor_mass = cr::cluster_sum(s, [](const cr::published& x) { return x.survivor_mass; }) +
                        static_cast<float>(top_k_ties) * __uint_as_float(r.key);
      }
    }
  }
  if (use_p) {
    // Target p M_k in fixed point; 0 (a p so small it underflows) selects the largest survivor.
    const unsigned long long target = fixed.of(top_p * survivor_mass);
    const cr::selection r = cr::radix_select<true>(s, mine, probability_key{}, f.threshold, 0u, target, fixed, buffer);
    const int candidates = r.key == top_k_key ? top_k_ties : static_cast<int>(r.key_count);
    // Tie i (0-based) is kept while i * value <= what is left of the target: floor(room) + 1 of
    // them, room = left / value (both in fixed point: no underflow for rows of tiny mass).
    const float room = static_cast<float>(r.left_mass) / fixed.scaled(__uint_as_float(r.key));
    const int kept = room >= static_cast<float>(candidates - 1) ? candidates : static_cast<int>(floorf(room)) + 1;
    f = {r.key, kept, kept < static_cast<int>(r.key_count)};
  }

  // Ties before each warp's segment, in token order (only when some ties are dropped).
  int tie_base = 0;
  if (f.rank_ties) {
    const walk_result counted = walk_segment(mine, warp, kept_filter{f.threshold, 0, false}, 0, false, 0.0f, 0.0f);
    if (lane == 0) s.warp_int[warp] = counted.ties;
    __syncthreads();
    int cta_ties = 0;
    for (int w = 0; w < cr::warps; ++w) {
      if (w == warp) tie_base = cta_ties;
      cta_ties += s.warp_int[w];
    }
    if (threadIdx.x == 0) s.mine.ties = cta_ties;
    cluster.sync();
    for (int r = 0; r < rank; ++r) tie_base += cluster.map_shared_rank(&s.mine, r)->ties;
  }
  const walk_result mass = walk_segment(mine, warp, f, tie_base, false, 0.0f, 0.0f);
  if (lane == 0) s.warp_float[warp] = mass.mass;
  __syncthreads();
  if (threadIdx.x == 0) {
    float total = 0.0f;
    for (int w = 0; w < cr::warps; ++w) total += s.warp_float[w];
    s.mine.kept_mass = total;
    curandStatePhilox4_32_10_t state;
    curand_init(p.seed, static_cast<unsigned long long>(row), p.offset, &state);
    s.broadcast_float = static_cast<float>(curand(&state) >> 8) * 0x1p-24f;  // uniform in [0, 1), 24 bits
  }
  cluster.sync();
  const float r_uniform = s.broadcast_float;
  float kept_total = 0.0f;
  for (int r = 0; r < ranks; ++r) kept_total += cluster.map_shared_rank(&s.mine, r)->kept_mass;
  const float u = r_uniform * kept_total;
  // The rank whose running kept mass first exceeds u (else the last with kept mass).
  int chosen_rank = -1, last_rank = -1;
  float before = 0.0f, chosen_before = 0.0f;
  for (int r = 0; r < ranks; ++r) {
    const float m = cluster.map_shared_rank(&s.mine, r)->kept_mass;
    if (m > 0.0f) last_rank = r;
    if (chosen_rank < 0 && m > 0.0f && before + m > u) chosen_rank = r, chosen_before = before;
    before += m;
  }
  if (chosen_rank < 0) {
    chosen_rank = last_rank;
    chosen_before = 0.0f;
    for (int r = 0; r < last_rank; ++r) chosen_before += cluster.map_shared_rank(&s.mine, r)->kept_mass;
  }
  if (rank == chosen_rank) {
    // The warp whose running kept mass first exceeds u (else the last with kept mass).
    int chosen_warp = -1, last_warp = -1;
    float warp_before = chosen_before, chosen_warp_before = 0.0f;
    for (int w = 0; w < cr::warps; ++w) {
      const float m = s.warp_float[w];
      if (m > 0.0f) last_warp = w;
      if (chosen_warp < 0 && m > 0.0f && warp_before + m > u) chosen_warp = w, chosen_warp_before = warp_before;
      warp_before += m;
    }
    if (chosen_warp < 0) {
      chosen_warp = last_warp;
      chosen_warp_before = chosen_before;
      for (int w = 0; w < last_warp; ++w) chosen_warp_before += s.warp_float[w];
    }
    if (warp == chosen_warp) {
      const walk_result found = walk_segment(mine, warp, f, tie_base, true, chosen_warp_before, u);
      if (lane == 0) p.samples[row] = mine.first + found.located;
    }
  }
  cluster.sync();  // no CTA leaves while another may still read its shared memory
}

}  // namespace solkit::ops::sampling_kernels
