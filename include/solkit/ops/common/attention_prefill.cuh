#pragma once
// The prefill attention kernel shared by gqa_paged_prefill_causal, gqa_ragged_prefill_causal and
// the bidirectional gqa_ragged_prefill: FlashAttention-2 on mma.sync tensor cores (bf16 x bf16
// -> fp32, m16n8k16, operands through ldmatrix), online softmax in base 2 (log2(e) folded into
// the scale, so lse comes out in base 2 as the definitions want it).
//
// Work: one CTA per (block_m consecutive rows of q, query head); the rows are a slice of the
// flat q of the whole batch, so the host needs no index contents: each CTA binary-searches
// qo_indptr for the sequences its rows belong to and runs each piece as its own tile (a tile
// straddling two sequences runs twice, once per piece). Heaviest tiles (latest rows: a causal
// row sees more keys) are launched first. Each of the 8 warps owns 16 query rows; K and V tiles
// of block_n keys are double-buffered in shared memory by cp.async (the next tile loads while
// this one computes). Causal: key tiles past a tile's last visible key are never loaded, and
// only tiles that cross the diagonal (or the end of the keys) are masked, per warp.
//
// Head dims that are not a multiple of 16 (72) pad the contraction of Q K^T to the next
// multiple of 16 with zeros in shared memory; global memory is read and written only for the
// head_dim real columns. Rows of shared tiles are padded by 16 bytes: a stride of an odd number
// of 16-byte chunks puts the 8 rows of each ldmatrix 8x8 matrix in distinct banks.

#include <cmath>
#include <cstdint>
#include <string_view>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/cuda_checks.cuh"
#include "solkit/core/launch_status.hpp"
#include "solkit/ops/common/mma_ptx.cuh"

namespace solkit::ops::attention_prefill {

/// Tile shapes of one head dim. Q stays in registers up to 128 columns; at 192 and 256 the
/// output accumulator (96 or 128 registers a thread) leaves no room, so Q fragments are re-read
/// from shared memory each key tile.
template <int head_dim>
struct tile_config {
  static constexpr int padded = (head_dim + 15) / 16 * 16;  // contraction of Q K^T (zeros past head_dim)
  static constexpr int block_m = 128;                       // query rows per CTA (16 a warp)
  static constexpr int block_n = 64;                        // keys per K/V tile
  static constexpr int warps = 8;
  static constexpr int threads = warps * 32;
  static constexpr bool q_in_registers = padded <= 128;
  static constexpr int min_blocks = padded <= 64 ? 2 : 1;   // small heads: two CTAs an SM (72, 80 spill at 128 registers)
  static constexpr int stride = padded + 8;                 // elements per shared row (odd 16-byte chunks)
  static constexpr int chunks = head_dim / 8;               // 16-byte chunks of a global head row
  static constexpr int q_elements = block_m * stride;
  static constexpr int kv_elements = block_n * stride;
  static constexpr int shared_bytes = (q_elements + 4 * kv_elements) * 2;  // Q, K x2, V x2
  static_assert(head_dim % 8 == 0 && head_dim <= 256, "head_dim: a multiple of 8 up to 256");
  static_assert(shared_bytes <= 227 * 1024, "tiles fit an H100's shared memory");
};

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

/// Rows [qs, qe) of q (all in sequence b), query head `head`: attention over the sequence's
/// keys, written to output and lse. Every thread of the CTA calls it with the same arguments.
template <int head_dim, bool causal, class Source>
__device__ __forceinline__ void attend_rows(const params<Source>& p, int b, int qs, int qe, int head,
                                            float scale_log2, __nv_bfloat16* sq, __nv_bfloat16* sk,
                                            __nv_bfloat16* sv) {
  using cfg = tile_config<head_dim>;
  constexpr int BM = cfg::block_m, BN = cfg::block_n, S = cfg::stride, KT = cfg::padded / 16;
  const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32, g = lane / 4, t4 = lane % 4;
  const int kv_head = head / p.group;
  const typename Source::sequence seq = p.source.open(b);
  const int kv_len = seq.length, q_len = p.qo_indptr[b + 1] - p.qo_indptr[b];
  const int i0 = qs - p.qo_indptr[b], rows = qe - qs;  // first local query row, rows of this piece
  const int offset = kv_len - q_len;                    // causal: local row i sees keys j <= i + offset
  int n_end = kv_len;
  if (causal) n_end = max(0, min(kv_len, i0 + rows + offset));
  const int n_tiles = (n_end + BN - 1) / BN;

  __syncthreads();  // the previous piece is done with shared memory
  for (int c = tid; c < BM * cfg::chunks; c += cfg::threads) {
    const int m = c / cfg::chunks, chunk = c % cfg::chunks;
    const bool valid = m < rows;
    const __nv_bfloat16* src = p.q + ((static_cast<std::int64_t>(valid ? qs + m : qs) * p.num_qo_heads + head) * head_dim + chunk * 8);
    ptx::cp_async16(sq + m * S + chunk * 8, src, valid);
  }
  const auto load_kv = [&](int tile, int stage) {
    for (int c = tid; c < BN * cfg::chunks; c += cfg::threads) {
      const int n = c / cfg::chunks, chunk = c % cfg::chunks, j = tile * BN + n;
      const bool valid = j < kv_len;
      const std::int64_t at = valid ? (p.source.row(seq, j) * p.num_kv_heads + kv_head) * head_dim + chunk * 8 : 0;
      ptx::cp_async16(sk + stage * cfg::kv_elements + n * S + chunk * 8, p.k + at, valid);
      ptx::cp_async16(sv + stage * cfg::kv_elements + n * S + chunk * 8, p.v + at, valid);
    }
  };
  if (n_tiles > 0) load_kv(0, 0);
  ptx::cp_async_commit();

  // This warp's rows: local rows r_lo = i0 + 16 warp + g and r_lo + 8 (the two rows a thread's
  // accumulator fragments hold).
  const int warp_row = i0 + warp * 16;
  const bool warp_live = warp * 16 < rows;
  unsigned q_frag[cfg::q_in_registers ? KT : 1][4];
  float o[cfg::padded / 8][4];  // [16 rows x padded] of this warp, fp32
#pragma unroll
  for (int n = 0; n < cfg::padded / 8; ++n) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.0f;
  float row_max[2] = {-INFINITY, -INFINITY}, row_sum[2] = {0.0f, 0.0f};  // base-2 running max, partial sums

  for (int tile = 0; tile < n_tiles; ++tile) {
    if (tile + 1 < n_tiles) {
      load_kv(tile + 1, (tile + 1) & 1);
      ptx::cp_async_commit();
      ptx::cp_async_wait<1>();
    } else {
      ptx::cp_async_wait<0>();
    }
    __syncthreads();
    const int n0 = tile * BN;
    const __nv_bfloat16* k_tile = sk + (tile & 1) * cfg::kv_elements;  // [BN x stride]
    const __nv_bfloat16* v_tile = sv + (tile & 1) * cfg::kv_elements;  // [BN x stride]
    if constexpr (cfg::q_in_registers) {
      if (tile == 0) {
#pragma unroll
        for (int kk = 0; kk < KT; ++kk) ptx::ldmatrix_x4(q_frag[kk], sq + (warp * 16 + lane % 16) * S + kk * 16 + (lane / 16) * 8);
      }
    }
    // A causal warp whose last row sees no key of this tile skips it (the diagonal's top warps).
    const bool skip = !warp_live || (causal && n0 > warp_row + 15 + offset);
    if (!skip) {
      float s[BN / 8][4];  // [16 rows x BN keys] logits
#pragma unroll
      for (int n = 0; n < BN / 8; ++n) s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.0f;
#pragma unroll
      for (int kk = 0; kk < KT; ++kk) {
        unsigned a[4];
        if constexpr (cfg::q_in_registers) {
#pragma unroll
          for (int r = 0; r < 4; ++r) a[r] = q_frag[kk][r];
        } else {
          ptx::ldmatrix_x4(a, sq + (warp * 16 + lane % 16) * S + kk * 16 + (lane / 16) * 8);
        }
#pragma unroll
        for (int nn = 0; nn < BN / 16; ++nn) {
          unsigned bk[4];  // keys nn*16 .. +15, columns kk*16 .. +15
          ptx::ldmatrix_x4(bk, k_tile + (nn * 16 + (lane / 16) * 8 + lane % 8) * S + kk * 16 + ((lane / 8) % 2) * 8);
          ptx::mma(s[2 * nn], a, bk[0], bk[1]);
          ptx::mma(s[2 * nn + 1], a, bk[2], bk[3]);
        }
      }
      // Mask only where the tile crosses a row's last visible key (or the end of the keys).
      const bool mask = n0 + BN > kv_len || (causal && n0 + BN - 1 > warp_row + offset);
#pragma unroll
      for (int n = 0; n < BN / 8; ++n) {
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          float x = s[n][e] * scale_log2;
          if (mask) {
            const int j = n0 + n * 8 + 2 * t4 + (e & 1);
            const int limit = causal ? min(kv_len - 1, warp_row + g + (e >> 1) * 8 + offset) : kv_len - 1;
            if (j > limit) x = -INFINITY;
          }
          s[n][e] = x;
        }
      }
      // Online softmax: new running max, rescale the old sum and accumulator, p = 2^(x - max).
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        float m = row_max[r];
#pragma unroll
        for (int n = 0; n < BN / 8; ++n) m = fmaxf(m, fmaxf(s[n][2 * r], s[n][2 * r + 1]));
        m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, 1));
        m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, 2));
        const float base = m == -INFINITY ? 0.0f : m;  // a row that has seen no key yet stays at 0
        const float alpha = ptx::exp2_approx(row_max[r] - base);
        row_max[r] = m;
        float sum = 0.0f;
#pragma unroll
        for (int n = 0; n < BN / 8; ++n) {
          s[n][2 * r] = ptx::exp2_approx(s[n][2 * r] - base);
          s[n][2 * r + 1] = ptx::exp2_approx(s[n][2 * r + 1] - base);
          sum += s[n][2 * r] + s[n][2 * r + 1];
        }
        row_sum[r] = row_sum[r] * alpha + sum;
#pragma unroll
        for (int n = 0; n < cfg::padded / 8; ++n) {
          o[n][2 * r] *= alpha;
          o[n][2 * r + 1] *= alpha;
        }
      }
      // O += P V: the logits' accumulator layout is the A-operand layout of the next mma.
#pragma unroll
      for (int kk = 0; kk < BN / 16; ++kk) {
        const unsigned a[4] = {ptx::pack_bf16(s[2 * kk][0], s[2 * kk][1]), ptx::pack_bf16(s[2 * kk][2], s[2 * kk][3]),
                               ptx::pack_bf16(s[2 * kk + 1][0], s[2 * kk + 1][1]),
                               ptx::pack_bf16(s[2 * kk + 1][2], s[2 * kk + 1][3])};
#pragma unroll
        for (int dn = 0; dn < cfg::padded / 16; ++dn) {
          unsigned bv[4];  // keys kk*16 .. +15, columns dn*16 .. +15, transposed
          ptx::ldmatrix_x4_trans(bv, v_tile + (kk * 16 + ((lane / 8) % 2) * 8 + lane % 8) * S + dn * 16 + (lane / 16) * 8);
          ptx::mma(o[2 * dn], a, bv[0], bv[1]);
          ptx::mma(o[2 * dn + 1], a, bv[2], bv[3]);
        }
      }
    }
    __syncthreads();  // this stage is free for the load two tiles on
  }
  if (n_tiles == 0) ptx::cp_async_wait<0>();

  // Normalise and store: 0 and -inf for a row that saw no key.
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float l = row_sum[r];
    l += __shfl_xor_sync(0xffffffffu, l, 1);
    l += __shfl_xor_sync(0xffffffffu, l, 2);
    const int m = warp * 16 + g + r * 8;
    if (m >= rows) continue;
    const std::int64_t row = qs + m;
    const float inverse = l > 0.0f ? 1.0f / l : 0.0f;
    __nv_bfloat16* out = p.output + (row * p.num_qo_heads + head) * head_dim;
#pragma unroll
    for (int n = 0; n < cfg::padded / 8; ++n) {
      if (n * 8 < head_dim) {
        *reinterpret_cast<__nv_bfloat162*>(out + n * 8 + 2 * t4) =
            __floats2bfloat162_rn(o[n][2 * r] * inverse, o[n][2 * r + 1] * inverse);
      }
    }
    if (t4 == 0) p.lse[row * p.num_qo_heads + head] = l > 0.0f ? row_max[r] + __log2f(l) : -INFINITY;
  }
}

template <int head_dim, bool causal, class Source>
__global__ void __launch_bounds__(tile_config<head_dim>::threads, tile_config<head_dim>::min_blocks)
prefill_kernel(const __grid_constant__ params<Source> p) {
  using cfg = tile_config<head_dim>;
  extern __shared__ __align__(16) unsigned char shared_raw[];
  __nv_bfloat16* sq = reinterpret_cast<__nv_bfloat16*>(shared_raw);  // [block_m x stride]
  __nv_bfloat16* sk = sq + cfg::q_elements;                          // [2][block_n x stride]
  __nv_bfloat16* sv = sk + 2 * cfg::kv_elements;                     // [2][block_n x stride]
  if constexpr (cfg::padded != head_dim) {
    // Zero the contraction padding once; cp.async never writes it.
    constexpr int pad = cfg::padded - head_dim, rows = cfg::block_m + 4 * cfg::block_n;
    for (int c = threadIdx.x; c < rows * pad; c += cfg::threads) sq[(c / pad) * cfg::stride + head_dim + c % pad] = __float2bfloat16(0.0f);
  }
  const int tiles = (p.total_q + cfg::block_m - 1) / cfg::block_m;
  const int head = blockIdx.x % p.num_qo_heads;
  const int tile = tiles - 1 - static_cast<int>(blockIdx.x / p.num_qo_heads);  // latest rows first
  const int r0 = tile * cfg::block_m, r1 = min(r0 + cfg::block_m, p.total_q);
  const float scale_log2 = *p.sm_scale * 1.4426950408889634f;  // x * log2(e): softmax in base 2
  // The last sequence starting at or before r0 (later empty ones are skipped by the loop).
  int lo = 0, hi = p.batch - 1;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (p.qo_indptr[mid] <= r0) lo = mid; else hi = mid - 1;
  }
  for (int b = lo; b < p.batch; ++b) {
    const int start = p.qo_indptr[b], end = p.qo_indptr[b + 1];
    if (start >= r1) break;
    const int qs = max(start, r0), qe = min(end, r1);
    if (qs < qe) attend_rows<head_dim, causal>(p, b, qs, qe, head, scale_log2, sq, sk, sv);
  }
}

/// Launches the kernel over `p.total_q` rows (> 0) and every query head; arguments checked.
/// A failure to configure or launch is reported as a cuda_error of `definition`.
template <int head_dim, bool causal, class Source>
launch_status launch(std::string_view definition, const params<Source>& p, cudaStream_t stream) {
  using cfg = tile_config<head_dim>;
  constexpr auto kernel = prefill_kernel<head_dim, causal, Source>;
  int shared_bytes = cfg::shared_bytes;  // > 48 KB: the limit must be raised
  const launch_status raised = solkit::detail::raise_dynamic_shared_memory<kernel>(definition, shared_bytes);
  if (!raised.ok()) return raised;
  const std::int64_t tiles = (static_cast<std::int64_t>(p.total_q) + cfg::block_m - 1) / cfg::block_m;
  kernel<<<static_cast<unsigned>(tiles * p.num_qo_heads), cfg::threads, cfg::shared_bytes, stream>>>(p);
  return solkit::detail::launched(definition);
}

}  // namespace solkit::ops::attention_prefill
