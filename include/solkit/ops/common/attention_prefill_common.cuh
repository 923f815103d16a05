#pragma once
// What the two engines of the prefill attention kernel share (the mma.sync engine in
// attention_prefill.cuh, the wgmma engine in attention_prefill_wgmma.cuh): the launch
// parameters and K/V sources, the work split (a CTA takes block_m consecutive rows of the batch's
// flat q and one query head, and runs each sequence piece of them), the tile loads, the masked
// online-softmax step and the output store. Both engines hold logits and output in the mma.sync
// / wgmma accumulator layout: for 8-column block n of a warp's 16 rows, a thread (g = lane / 4,
// t = lane % 4) holds x[n][0, 1] = (row g, columns 8 n + 2 t, + 1) and x[n][2, 3] = (row g + 8,
// the same columns).

#include <cmath>
#include <cstdint>
#include <string_view>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/cuda_checks.cuh"
#include "solkit/core/launch_status.hpp"
#include "solkit/ops/common/mma_ptx.cuh"

namespace solkit::ops::attention_prefill {

/// K/V rows of a ragged batch: sequence b owns tokens kv_indptr[b] .. kv_indptr[b + 1].
struct ragged_source {
  const std::int32_t* kv_indptr;  // [batch + 1]
  struct sequence { std::int64_t first; int length; };
  __device__ sequence open(int b) const { return {kv_indptr[b], kv_indptr[b + 1] - kv_indptr[b]}; }
  /// Token row (of the [rows, num_kv_heads, head_dim] K/V view) of key j of the sequence.
  __device__ std::int64_t row(const sequence& s, int j) const { return s.first + j; }
};

/// K/V rows of a paged cache: key j of sequence b is slot j % P of page
/// kv_indices[kv_indptr[b] + j / P]; the last page holds kv_last_page_len[b] keys (P when absent).
struct paged_source {
  const std::int32_t* kv_indptr;         // [batch + 1]
  const std::int32_t* kv_indices;        // [num_kv_indices]
  const std::int32_t* kv_last_page_len;  // [batch], or null when page_size == 1
  int page_shift;                        // log2(page_size): page sizes are powers of two
  struct sequence { std::int64_t first; int length; };
  __device__ sequence open(int b) const {
    const int first = kv_indptr[b], pages = kv_indptr[b + 1] - first;
    if (pages <= 0) return {first, 0};
    // Clamped into [1, page_size] as the decode kernel does: a bad value gives meaningless output
    // but never reads past the sequence's pages.
    const int page_size = 1 << page_shift;
    const int last = kv_last_page_len != nullptr ? min(max(kv_last_page_len[b], 1), page_size) : page_size;
    return {first, ((pages - 1) << page_shift) + last};
  }
  __device__ std::int64_t row(const sequence& s, int j) const {
    const std::int64_t page = kv_indices[s.first + (j >> page_shift)];
    return (page << page_shift) + (j & ((1 << page_shift) - 1));
  }
};

template <class Source>
struct params {
  const __nv_bfloat16* q;          // [total_q, num_qo_heads, head_dim]
  const __nv_bfloat16* k;          // [kv rows, num_kv_heads, head_dim] (paged: pages * page_size rows)
  const __nv_bfloat16* v;          // [kv rows, num_kv_heads, head_dim]
  const std::int32_t* qo_indptr;   // [batch + 1]
  Source source;
  const float* sm_scale;           // [] device scalar
  __nv_bfloat16* output;           // [total_q, num_qo_heads, head_dim]
  float* lse;                      // [total_q, num_qo_heads], base 2
  int batch, total_q, num_qo_heads, num_kv_heads, group;
};


/// The launch parameters from a definition's tensors in spec order: q, k, v, qo_indptr first,
/// then sm_scale, output, lse from `scale_tensor` on (the K/V source's own arrays between them
/// are the caller's to set in `source`).
template <class Source>
params<Source> make_params(void* const* tensors, int scale_tensor, Source source, std::int64_t batch,
                           std::int64_t total_q, std::int64_t num_qo_heads, std::int64_t num_kv_heads) {
  params<Source> p{};
  p.q = static_cast<const __nv_bfloat16*>(tensors[0]);
  p.k = static_cast<const __nv_bfloat16*>(tensors[1]);
  p.v = static_cast<const __nv_bfloat16*>(tensors[2]);
  p.qo_indptr = static_cast<const std::int32_t*>(tensors[3]);
  p.source = source;
  p.sm_scale = static_cast<const float*>(tensors[scale_tensor]);
  p.output = static_cast<__nv_bfloat16*>(tensors[scale_tensor + 1]);
  p.lse = static_cast<float*>(tensors[scale_tensor + 2]);
  p.batch = static_cast<int>(batch);
  p.total_q = static_cast<int>(total_q);
  p.num_qo_heads = static_cast<int>(num_qo_heads);
  p.num_kv_heads = static_cast<int>(num_kv_heads);
  p.group = static_cast<int>(num_qo_heads / num_kv_heads);
  return p;
}

/// Rows [qs, qe) of sequence b, as a CTA runs them.
template <class Source>
struct piece {
  typename Source::sequence seq;
  int kv_len;  // keys of the sequence
  int i0;      // local index (within the sequence) of row qs
  int rows;    // qe - qs
  int offset;  // kv_len - q_len: under the causal mask local row i sees keys j <= i + offset
  int n_end;   // keys any of the rows sees
};

template <bool causal, class Source>
__device__ __forceinline__ piece<Source> open_piece(const params<Source>& p, int b, int qs, int qe) {
  piece<Source> x;
  x.seq = p.source.open(b);
  x.kv_len = x.seq.length;
  x.i0 = qs - p.qo_indptr[b];
  x.rows = qe - qs;
  x.offset = x.kv_len - (p.qo_indptr[b + 1] - p.qo_indptr[b]);
  x.n_end = causal ? max(0, min(x.kv_len, x.i0 + x.rows + x.offset)) : x.kv_len;
  return x;
}

/// cp.async of q rows qs .. qs + block_m - 1 of `head` into the Q tile at shared address `sq`
/// (rows at or past `rows` zero-filled, never read); `at(row, chunk)`: the byte offset of 16-byte
/// chunk `chunk` of a row in the engine's tile layout.
template <int head_dim, int block_m, int threads, class Source, class Offset>
__device__ __forceinline__ void load_q(const params<Source>& p, int qs, int rows, int head, unsigned sq, Offset at) {
  constexpr int chunks = head_dim / 8;
  for (int c = threadIdx.x; c < block_m * chunks; c += threads) {
    const int m = c / chunks, chunk = c % chunks;
    const bool valid = m < rows;
    const std::int64_t row = valid ? qs + m : qs;
    ptx::cp_async16(sq + at(m, chunk), p.q + ((row * p.num_qo_heads + head) * head_dim + chunk * 8), valid);
  }
}

/// cp.async of keys tile * block_n .. + block_n - 1 of the piece, `kv_head`, into the K and V
/// stages at shared addresses sk, sv (keys at or past kv_len zero-filled, never read).
template <int head_dim, int block_n, int threads, class Source, class Offset>
__device__ __forceinline__ void load_kv(const params<Source>& p, const piece<Source>& x, int kv_head, int tile,
                                        unsigned sk, unsigned sv, Offset at) {
  constexpr int chunks = head_dim / 8;
  for (int c = threadIdx.x; c < block_n * chunks; c += threads) {
    const int n = c / chunks, chunk = c % chunks, j = tile * block_n + n;
    const bool valid = j < x.kv_len;
    const std::int64_t from = valid ? (p.source.row(x.seq, j) * p.num_kv_heads + kv_head) * head_dim + chunk * 8 : 0;
    const unsigned to = at(n, chunk);
    ptx::cp_async16(sk + to, p.k + from, valid);
    ptx::cp_async16(sv + to, p.v + from, valid);
  }
}

/// The double-buffered K/V pipeline at key tile `tile`: starts the copy of tile + 1 (when there
/// is one) into the other stage with load_tile(tile + 1, stage), then waits until this tile's
/// copies (and the Q tile's, committed with tile 0) have landed. A barrier must follow.
template <class Load>
__device__ __forceinline__ void next_tile(int tile, int n_tiles, Load&& load_tile) {
  if (tile + 1 < n_tiles) {
    load_tile(tile + 1, (tile + 1) & 1);
    ptx::cp_async_commit();
    ptx::cp_async_wait<1>();
  } else {
    ptx::cp_async_wait<0>();
  }
}

/// One online-softmax step over a [16 rows x 8 key_blocks] logits block s of this warp, keys
/// n0 .. : scale to base 2, mask (when `mask`: keys past kv_len, and under `causal` keys past
/// row_limit + row, where row_limit = the thread's first row's last visible key), update the
/// running max and sums, rescale the output accumulator o, and leave p = 2^(x - max) in s.
template <bool causal, int key_blocks, int out_blocks>
__device__ __forceinline__ void softmax_step(float (&s)[key_blocks][4], float (&o)[out_blocks][4], float (&row_max)[2],
                                             float (&row_sum)[2], float scale_log2, bool mask, int n0, int kv_len,
                                             int row_limit) {
  const int t4 = threadIdx.x % 4;
#pragma unroll
  for (int n = 0; n < key_blocks; ++n) {
#pragma unroll
    for (int e = 0; e < 4; ++e) {
      float value = s[n][e] * scale_log2;
      if (mask) {
        const int j = n0 + n * 8 + 2 * t4 + (e & 1);
        const int limit = causal ? min(kv_len - 1, row_limit + (e >> 1) * 8) : kv_len - 1;
        if (j > limit) value = -INFINITY;
      }
      s[n][e] = value;
    }
  }
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float m = row_max[r];
#pragma unroll
    for (int n = 0; n < key_blocks; ++n) m = fmaxf(m, fmaxf(s[n][2 * r], s[n][2 * r + 1]));
    m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, 1));
    m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, 2));
    const float base = m == -INFINITY ? 0.0f : m;  // a row that has seen no key yet stays at 0
    const float alpha = ptx::exp2_approx(row_max[r] - base);
    row_max[r] = m;
    float sum = 0.0f;
#pragma unroll
    for (int n = 0; n < key_blocks; ++n) {
      s[n][2 * r] = ptx::exp2_approx(s[n][2 * r] - base);
      s[n][2 * r + 1] = ptx::exp2_approx(s[n][2 * r + 1] - base);
      sum += s[n][2 * r] + s[n][2 * r + 1];
    }
    row_sum[r] = row_sum[r] * alpha + sum;
#pragma unroll
    for (int n = 0; n < out_blocks; ++n) {
      o[n][2 * r] *= alpha;
      o[n][2 * r + 1] *= alpha;
    }
  }
}

/// P of a [16 x 16 keys] slice (key blocks 2 kk, 2 kk + 1 of s) as the 4 registers of an A
/// operand (mma.sync m16n8k16 or wgmma): bf16 pairs, the accumulator layout is the A layout.
template <int key_blocks>
__device__ __forceinline__ void pack_p(const float (&s)[key_blocks][4], int kk, unsigned (&a)[4]) {
  a[0] = ptx::pack_bf16(s[2 * kk][0], s[2 * kk][1]);
  a[1] = ptx::pack_bf16(s[2 * kk][2], s[2 * kk][3]);
  a[2] = ptx::pack_bf16(s[2 * kk + 1][0], s[2 * kk + 1][1]);
  a[3] = ptx::pack_bf16(s[2 * kk + 1][2], s[2 * kk + 1][3]);
}

/// Normalises and stores this warp's rows first_row + g and + 8 (of the CTA's rows qs ..; rows
/// at or past `rows` are not written): output in bf16 (columns past head_dim, an engine's
/// padding, dropped) and base-2 lse; 0 and -inf for a row that saw no key.
template <int head_dim, int out_blocks, class Source>
__device__ __forceinline__ void store_rows(const params<Source>& p, int qs, int rows, int head, int first_row,
                                           const float (&o)[out_blocks][4], const float (&row_max)[2],
                                           const float (&row_sum)[2]) {
  const int lane = threadIdx.x % 32, g = lane / 4, t4 = lane % 4;
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float l = row_sum[r];
    l += __shfl_xor_sync(0xffffffffu, l, 1);
    l += __shfl_xor_sync(0xffffffffu, l, 2);
    const int m = first_row + g + r * 8;
    if (m >= rows) continue;
    const std::int64_t row = qs + m;
    const float inverse = l > 0.0f ? 1.0f / l : 0.0f;
    __nv_bfloat16* out = p.output + (row * p.num_qo_heads + head) * head_dim;
#pragma unroll
    for (int n = 0; n < out_blocks; ++n) {
      if (n * 8 < head_dim) {
        *reinterpret_cast<__nv_bfloat162*>(out + n * 8 + 2 * t4) =
            __floats2bfloat162_rn(o[n][2 * r] * inverse, o[n][2 * r + 1] * inverse);
      }
    }
    if (t4 == 0) p.lse[row * p.num_qo_heads + head] = l > 0.0f ? row_max[r] + __log2f(l) : -INFINITY;
  }
}

/// This CTA's block_m rows and query head (the heaviest tiles, the latest rows, first: under a
/// causal mask they see the most keys), then attend(b, qs, qe, head, scale_log2) for each
/// sequence piece of those rows, in order. The host reads no index contents: the CTA
/// binary-searches qo_indptr, and a tile straddling sequences runs once per piece.
template <int block_m, class Source, class Attend>
__device__ __forceinline__ void for_each_piece(const params<Source>& p, Attend&& attend) {
  const int tiles = (p.total_q + block_m - 1) / block_m;
  const int head = blockIdx.x % p.num_qo_heads;
  const int tile = tiles - 1 - static_cast<int>(blockIdx.x / p.num_qo_heads);
  const int r0 = tile * block_m, r1 = min(r0 + block_m, p.total_q);
  const float scale_log2 = *p.sm_scale * 1.4426950408889634f;  // x * log2(e): softmax in base 2
  int lo = 0, hi = p.batch - 1;  // the last sequence starting at or before r0
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (p.qo_indptr[mid] <= r0) lo = mid; else hi = mid - 1;
  }
  for (int b = lo; b < p.batch; ++b) {  // later empty sequences are skipped by qs < qe
    const int start = p.qo_indptr[b], end = p.qo_indptr[b + 1];
    if (start >= r1) break;
    const int qs = max(start, r0), qe = min(end, r1);
    if (qs < qe) attend(b, qs, qe, head, scale_log2);
  }
}

/// Launches an engine's `kernel` (block_m rows x threads, shared_bytes of dynamic shared memory,
/// raised past 48 KB) with one CTA per (block_m rows of q, query head) over `p.total_q` rows (> 0).
/// A failure to configure or launch is a cuda_error of `definition`.
template <auto kernel, int block_m, int threads, int shared_bytes, class Source>
launch_status launch_tiles(std::string_view definition, const params<Source>& p, cudaStream_t stream) {
  int limit = shared_bytes;
  if (launch_status raised = solkit::detail::raise_dynamic_shared_memory<kernel>(definition, limit); !raised.ok()) {
    return raised;
  }
  const std::int64_t tiles = (static_cast<std::int64_t>(p.total_q) + block_m - 1) / block_m;
  kernel<<<static_cast<unsigned>(tiles * p.num_qo_heads), threads, shared_bytes, stream>>>(p);
  return solkit::detail::launched(definition);
}

}  // namespace solkit::ops::attention_prefill
