#pragma once
// Device code of the split-KV GQA decode (the design: decode_kernel.cuh's opening comment):
// decode_chunks, one CTA per (chunk of the batch's pages, kv head), and merge_partials, one CTA per
// (cut sequence, query head). The host side (split plan, checks, launches) is decode_kernel.cuh.

#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/common/mma_ptx.cuh"
#include "solkit/ops/common/row_kernel.cuh"

namespace solkit::ops::gqa_paged::decode {

constexpr int warps = 4, threads = warps * 32;
constexpr int tile = 16;                  // tokens per warp tile (the k of one PV mma)
constexpr int min_chunk_tokens = 128;     // below this a CTA's fixed costs dominate
constexpr int merge_threads = 256;
template <int D> constexpr int stages = D <= 64 ? 6 : 3;  // cp.async tiles per warp
// Q [16][D] bf16, then per warp `stages` x (K, V) tiles [tile][D] bf16. 100 KB for d128: two CTAs
// (8 warps, 16 tiles = 128 KB in flight) per SM; d256 gets one CTA with the same bytes in flight.
template <int D> constexpr int smem_bytes = 16 * D * 2 + warps * stages<D> * 2 * tile * D * 2;

struct params {
  const __nv_bfloat16* q;        // [batch, hq, D]
  const __nv_bfloat16* k;        // [num_pages, page_size, hkv, D]
  const __nv_bfloat16* v;        // [num_pages, page_size, hkv, D]
  const int* indptr;             // [batch + 1]
  const int* indices;            // [total_pages]
  const int* last_len;           // [batch]; null when page_size == 1
  const float* sm_scale;         // [] on the device
  __nv_bfloat16* out;            // [batch, hq, D]
  float* lse;                    // [batch, hq]
  float* part_o;                 // [chunks, 2, hq, D]: normalised partial rows of cut sequences
  float* part_lse;               // [chunks, 2, hq]
  int batch, page_size, hkv, chunk_pages, chunks, total_pages;
};

using ptx::cp_async16;
using ptx::cp_async_commit;
using ptx::cp_async_wait;
using ptx::exp2_approx;
using ptx::ldmatrix_x4;
using ptx::ldmatrix_x4_trans;
using ptx::mma;
using ptx::pack_bf16;
__device__ __forceinline__ unsigned smem_address(const void* p) { return ptx::shared_address(p); }
// Byte offset of 16-byte vector `c` of row `row` of a [rows][D] bf16 tile, XOR-swizzled so that
// the 8 rows one ldmatrix reads at a time fall into different banks.
template <int D> __device__ __forceinline__ unsigned swizzled(int row, int c) {
  return static_cast<unsigned>(row * D + ((c ^ (row & 7)) * 8)) * 2;
}
/// First sequence b in [0, batch] with b == batch or indptr[b + 1] >= page, found by all threads
/// of the CTA probing 128 entries per round (one or two rounds up to 16k sequences).
__device__ int first_sequence(const int* indptr, int batch, int page) {
  int lo = 0, hi = batch;
  while (lo < hi) {
    const int step = (hi - lo + threads - 1) / threads;
    const int probe = lo + static_cast<int>(threadIdx.x) * step;
    const int below = __syncthreads_count(probe < hi && __ldg(indptr + probe + 1) < page);
    if (below == 0) break;
    const int old = lo;
    lo = old + (below - 1) * step + 1;
    hi = ::min(hi, old + below * step);
  }
  return lo;
}

/// Attention of the group's query heads of sequence b (pages indices[first_page ...], `tokens`
/// tokens) to kv head kh. Writes output and lse when `whole`, else partial row block `block`.
template <int D, int G>
__device__ void attend(const params& p, unsigned char* smem, int b, int kh, int first_page, int tokens,
                       bool whole, int block) {
  constexpr int vectors = D / 8;  // 16-byte vectors per row
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int hq = p.hkv * G;
  __syncthreads();  // the previous sequence's merge is done with shared memory
  // This warp's tiles: warp, warp + warps, ... of the sequence's ceil(tokens / 16).
  const int tiles = (tokens + tile - 1) / tile;
  const int my_tiles = tiles > warp ? (tiles - warp + warps - 1) / warps : 0;
  unsigned char* stage = smem + 16 * D * 2 + warp * stages<D> * 2 * tile * D * 2;
  const int* page_ids = p.indices + first_page;
  // Lane t < 16 holds the cache row (page * page_size + offset) of token t of the next tile to
  // issue; its page id is loaded one tile ahead so the load overlaps a tile's compute.
  int next_page = 0, next_offset = 0;
  auto fetch = [&](int i) {
    const int token = (warp + i * warps) * tile + lane;
    next_offset = token % p.page_size;
    next_page = lane < tile && i < my_tiles && token < tokens ? __ldg(page_ids + token / p.page_size) : 0;
  };
  auto issue = [&](int i) {  // tile i of this warp into stage i % stages
    const long long row_of_lane = static_cast<long long>(next_page) * p.page_size + next_offset;
    const int valid = tokens - (warp + i * warps) * tile;
    fetch(i + 1);
    const unsigned k_dst = smem_address(stage + (i % stages<D>) * 2 * tile * D * 2), v_dst = k_dst + tile * D * 2;
#pragma unroll
    for (int it = 0; it < tile * vectors / 32; ++it) {
      const int row = (it * 32 + lane) / vectors, c = (it * 32 + lane) % vectors;
      const long long cache_row = __shfl_sync(0xffffffffu, row_of_lane, row);
      const bool ok = row < valid;
      const size_t offset = ok ? (static_cast<size_t>(cache_row) * p.hkv + kh) * D + c * 8 : 0;
      cp_async16(k_dst + swizzled<D>(row, c), p.k + offset, ok);
      cp_async16(v_dst + swizzled<D>(row, c), p.v + offset, ok);
    }
  };
  fetch(0);
#pragma unroll
  for (int i = 0; i < stages<D> - 1; ++i) {
    if (i < my_tiles) issue(i);
    cp_async_commit();
  }
  // The group's query rows into q_tile [16][D] (rows >= G zero), while the first tiles load.
  for (int i = threadIdx.x; i < 16 * vectors; i += threads) {
    const int row = i / vectors, c = i % vectors;
    uint4 value = make_uint4(0, 0, 0, 0);
    if (row < G) value = *reinterpret_cast<const uint4*>(p.q + (static_cast<size_t>(b) * hq + kh * G + row) * D + c * 8);
    *reinterpret_cast<uint4*>(smem + swizzled<D>(row, c)) = value;
  }
  __syncthreads();  // q_tile written

  const float scale = __ldg(p.sm_scale) * 1.4426950408889634f;  // base 2
  float o[D / 8][4] = {};  // o[n][0..1]: row lane/4, dims 8n + 2(lane%4) + {0,1}; [2..3]: row + 8
  float m[2] = {-INFINITY, -INFINITY}, l[2] = {0.0f, 0.0f};  // rows lane/4 and lane/4 + 8
  const unsigned q_base = smem_address(smem);
  for (int i = 0; i < my_tiles; ++i) {
    cp_async_wait<stages<D> - 2>();
    __syncwarp();  // every lane's copies of tile i landed; stage (i - 1) % stages is free
    if (i + stages<D> - 1 < my_tiles) issue(i + stages<D> - 1);
    cp_async_commit();
    const unsigned k_base = smem_address(stage + (i % stages<D>) * 2 * tile * D * 2), v_base = k_base + tile * D * 2;
    float s[2][4] = {};  // scores: s[n][e] row lane/4 (+8 for e >= 2), token 8n + 2(lane%4) + (e & 1)
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk) {
      unsigned a[4], kb[4];
      ldmatrix_x4(a, q_base + swizzled<D>((lane & 7) + ((lane >> 3) & 1) * 8, 2 * kk + (lane >> 4)));
      ldmatrix_x4(kb, k_base + swizzled<D>((lane & 7) + (lane >> 4) * 8, 2 * kk + ((lane >> 3) & 1)));
      mma(s[0], a, kb[0], kb[1]);
      mma(s[1], a, kb[2], kb[3]);
    }
    const int valid = tokens - (warp + i * warps) * tile;
#pragma unroll
    for (int n = 0; n < 2; ++n)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        s[n][e] *= scale;
        if (valid < tile && n * 8 + 2 * (lane % 4) + (e & 1) >= valid) s[n][e] = -INFINITY;
      }
    float alpha[2];
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      float mx = fmaxf(fmaxf(s[0][2 * r], s[0][2 * r + 1]), fmaxf(s[1][2 * r], s[1][2 * r + 1]));
      mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
      mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
      const float m_new = fmaxf(m[r], mx);  // finite: every tile has a valid token
      alpha[r] = exp2_approx(m[r] - m_new);
      m[r] = m_new;
      float sum = 0.0f;
#pragma unroll
      for (int n = 0; n < 2; ++n) {
        s[n][2 * r] = exp2_approx(s[n][2 * r] - m_new);
        s[n][2 * r + 1] = exp2_approx(s[n][2 * r + 1] - m_new);
        sum += s[n][2 * r] + s[n][2 * r + 1];
      }
      l[r] = l[r] * alpha[r] + sum;  // this lane's columns only; the quad is summed at the end
    }
    // The score accumulators are laid out as the A operand of the PV mma (k = the 16 tokens).
    const unsigned pa[4] = {pack_bf16(s[0][0], s[0][1]), pack_bf16(s[0][2], s[0][3]), pack_bf16(s[1][0], s[1][1]),
                            pack_bf16(s[1][2], s[1][3])};
#pragma unroll
    for (int nn = 0; nn < D / 16; ++nn) {
      unsigned vb[4];
      ldmatrix_x4_trans(vb, v_base + swizzled<D>((lane & 7) + ((lane >> 3) & 1) * 8, 2 * nn + (lane >> 4)));
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        float (&acc)[4] = o[2 * nn + h];
        acc[0] *= alpha[0], acc[1] *= alpha[0], acc[2] *= alpha[1], acc[3] *= alpha[1];
        mma(acc, pa, vb[2 * h], vb[2 * h + 1]);
      }
    }
  }
  cp_async_wait<0>();

  // Merge the warps: (m, l, o) of each into shared memory over the staging tiles, then combine.
  __shared__ float merge_m[warps][16], merge_l[warps][16];
  float* merge_o = reinterpret_cast<float*>(smem + 16 * D * 2);  // [warps][G][D]
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    l[r] += __shfl_xor_sync(0xffffffffu, l[r], 1);
    l[r] += __shfl_xor_sync(0xffffffffu, l[r], 2);
  }
  __syncthreads();  // every warp is done with its staging tiles
  if (lane % 4 == 0) {
    merge_m[warp][lane / 4] = m[0], merge_l[warp][lane / 4] = l[0];
    merge_m[warp][lane / 4 + 8] = m[1], merge_l[warp][lane / 4 + 8] = l[1];
  }
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    const int row = lane / 4 + 8 * r;
    if (row < G) {
#pragma unroll
      for (int n = 0; n < D / 8; ++n) {
        *reinterpret_cast<float2*>(merge_o + (warp * G + row) * D + 8 * n + 2 * (lane % 4)) =
            make_float2(o[n][2 * r], o[n][2 * r + 1]);
      }
    }
  }
  __syncthreads();
  for (int item = threadIdx.x; item < G * vectors; item += threads) {
    const int row = item / vectors, c = item % vectors;
    float mx = merge_m[0][row];
#pragma unroll
    for (int w = 1; w < warps; ++w) mx = fmaxf(mx, merge_m[w][row]);
    float sum = 0.0f, acc[8] = {};
#pragma unroll
    for (int w = 0; w < warps; ++w) {
      const float weight = exp2_approx(merge_m[w][row] - mx);  // 0 for a warp without tiles
      sum += weight * merge_l[w][row];
      const float4* x = reinterpret_cast<const float4*>(merge_o + (w * G + row) * D + c * 8);
      const float4 x0 = x[0], x1 = x[1];
      acc[0] += weight * x0.x, acc[1] += weight * x0.y, acc[2] += weight * x0.z, acc[3] += weight * x0.w;
      acc[4] += weight * x1.x, acc[5] += weight * x1.y, acc[6] += weight * x1.z, acc[7] += weight * x1.w;
    }
    const float inv = 1.0f / sum;
#pragma unroll
    for (int e = 0; e < 8; ++e) acc[e] *= inv;
    const float row_lse = mx + __log2f(sum);
    if (whole) {
      const size_t head = static_cast<size_t>(b) * hq + kh * G + row;
      *reinterpret_cast<uint4*>(p.out + head * D + c * 8) = rows::pack(acc);
      if (c == 0) p.lse[head] = row_lse;
    } else {
      const size_t head = static_cast<size_t>(block) * hq + kh * G + row;
      float4* dst = reinterpret_cast<float4*>(p.part_o + head * D + c * 8);
      dst[0] = make_float4(acc[0], acc[1], acc[2], acc[3]);
      dst[1] = make_float4(acc[4], acc[5], acc[6], acc[7]);
      if (c == 0) p.part_lse[head] = row_lse;
    }
  }
}

/// CTA (chunk, kv head): every sequence overlapping the chunk's pages; an empty sequence is
/// written (0, -inf) by the chunk its position falls in.
template <int D, int G>
__global__ void __launch_bounds__(threads) decode_chunks(params p) {
  extern __shared__ __align__(128) unsigned char smem[];
  asm volatile("griddepcontrol.launch_dependents;");  // the merge may start launching
  const int chunk = blockIdx.x, kh = blockIdx.y;
  const int begin = chunk * p.chunk_pages, end = ::min(begin + p.chunk_pages, p.total_pages);
  const bool last_chunk = chunk == p.chunks - 1;
  for (int b = first_sequence(p.indptr, p.batch, begin); b < p.batch; ++b) {
    const int start = __ldg(p.indptr + b), stop = __ldg(p.indptr + b + 1);
    if (start >= end && !last_chunk) break;
    if (stop <= start) {
      if (stop == start && ::min(start / p.chunk_pages, p.chunks - 1) == chunk) {
        const int hq = p.hkv * G;
        for (int i = threadIdx.x; i < G * D / 8; i += threads) {
          const size_t head = static_cast<size_t>(b) * hq + kh * G + i / (D / 8);
          *reinterpret_cast<uint4*>(p.out + head * D + (i % (D / 8)) * 8) = make_uint4(0, 0, 0, 0);
          if (i % (D / 8) == 0) p.lse[head] = -INFINITY;
        }
      }
      continue;
    }
    if (stop <= begin || start >= end) continue;
    const int first = ::max(start, begin), last = ::min(stop, end);
    const int tail = last == stop && p.last_len != nullptr ? ::min(::max(__ldg(p.last_len + b), 1), p.page_size)
                                                           : p.page_size;
    const int tokens = (last - first - 1) * p.page_size + tail;
    const bool whole = first == start && last == stop;
    attend<D, G>(p, smem, b, kh, first, tokens, whole, 2 * chunk + (first == begin ? 0 : 1));
  }
}

/// Sum over the CTA (merge_threads threads) of `value` (`max` when `take_max`), to every thread.
template <bool take_max>
__device__ float cta_reduce(float value, float* scratch) {
  for (int offset = 16; offset > 0; offset /= 2) {
    const float other = __shfl_xor_sync(0xffffffffu, value, offset);
    value = take_max ? fmaxf(value, other) : value + other;
  }
  __syncthreads();  // scratch free from an earlier call
  if (threadIdx.x % 32 == 0) scratch[threadIdx.x / 32] = value;
  __syncthreads();
  value = scratch[0];
  for (int w = 1; w < merge_threads / 32; ++w) value = take_max ? fmaxf(value, scratch[w]) : value + scratch[w];
  return value;
}

/// CTA (sequence, query head): merges the partials of a sequence cut into several chunks. The
/// lse of all partials first (one load each, spread over the CTA), then each output vector of 8
/// dims is summed by merge_threads / (D / 8) threads, each over a strided share of the
/// partials, so that the loads of a long merge are in flight together rather than one by one.
/// Launched as a programmatic dependent of decode_chunks: it starts while that kernel runs and
/// waits (griddepcontrol.wait) for its partials only when its sequence was cut.
template <int D>
__global__ void __launch_bounds__(merge_threads) merge_partials(params p, int group) {
  constexpr int items = D / 8, parts = merge_threads / items;
  extern __shared__ float weight[];  // [chunks]
  __shared__ float scratch[merge_threads / 32];
  __shared__ float4 partial[merge_threads][2];
  const int b = blockIdx.x, h = blockIdx.y, hq = p.hkv * group;
  const int start = __ldg(p.indptr + b), stop = __ldg(p.indptr + b + 1);
  if (stop <= start) return;
  const int first = start / p.chunk_pages, last = (stop - 1) / p.chunk_pages, n = last - first + 1;
  if (n == 1) return;  // written directly by its chunk
  asm volatile("griddepcontrol.wait;" ::: "memory");
  // Partial i is chunk first + i, slot 1 for the first chunk when the sequence starts inside it.
  auto head_of = [&](int i) {
    const int block = 2 * (first + i) + (i == 0 && start != first * p.chunk_pages ? 1 : 0);
    return static_cast<size_t>(block) * hq + h;
  };
  float mx = -INFINITY;
  for (int i = threadIdx.x; i < n; i += merge_threads) {
    weight[i] = p.part_lse[head_of(i)];
    mx = fmaxf(mx, weight[i]);
  }
  mx = cta_reduce<true>(mx, scratch);
  float sum = 0.0f;
  for (int i = threadIdx.x; i < n; i += merge_threads) {
    weight[i] = exp2_approx(weight[i] - mx);
    sum += weight[i];
  }
  sum = cta_reduce<false>(sum, scratch);  // its barriers also publish `weight`
  const int c = threadIdx.x % items, part = threadIdx.x / items;
  float acc[8] = {};
#pragma unroll 8
  for (int i = part; i < n; i += parts) {
    const float4* x = reinterpret_cast<const float4*>(p.part_o + head_of(i) * D + c * 8);
    const float4 x0 = x[0], x1 = x[1];
    const float w = weight[i];
    acc[0] += w * x0.x, acc[1] += w * x0.y, acc[2] += w * x0.z, acc[3] += w * x0.w;
    acc[4] += w * x1.x, acc[5] += w * x1.y, acc[6] += w * x1.z, acc[7] += w * x1.w;
  }
  partial[threadIdx.x][0] = make_float4(acc[0], acc[1], acc[2], acc[3]);
  partial[threadIdx.x][1] = make_float4(acc[4], acc[5], acc[6], acc[7]);
  __syncthreads();
  if (part == 0) {
    for (int q = 1; q < parts; ++q) {
      const float4 x0 = partial[q * items + c][0], x1 = partial[q * items + c][1];
      acc[0] += x0.x, acc[1] += x0.y, acc[2] += x0.z, acc[3] += x0.w;
      acc[4] += x1.x, acc[5] += x1.y, acc[6] += x1.z, acc[7] += x1.w;
    }
    const float inv = 1.0f / sum;
#pragma unroll
    for (int e = 0; e < 8; ++e) acc[e] *= inv;
    const size_t head = static_cast<size_t>(b) * hq + h;
    *reinterpret_cast<uint4*>(p.out + head * D + c * 8) = rows::pack(acc);
    if (c == 0) p.lse[head] = mx + __log2f(sum);
  }
}

}  // namespace solkit::ops::gqa_paged::decode
