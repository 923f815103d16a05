#pragma once
// The mma.sync engine of the prefill attention kernel shared by gqa_paged_prefill_causal,
// gqa_ragged_prefill_causal and the bidirectional gqa_ragged_prefill (the wgmma engine beside it,
// attention_prefill_wgmma.cuh, shares its params, K/V sources, work split and softmax through
// attention_prefill_common.cuh; the launcher in attention_prefill_launch.cuh picks one):
// FlashAttention-2 on mma.sync tensor cores (bf16 x bf16 -> fp32, m16n8k16, operands through
// ldmatrix), online softmax in base 2 (log2(e) folded into the scale, so lse comes out in base 2
// as the definitions want it).
//
// Work (attention_prefill_common.cuh): one CTA per (block_m consecutive rows of the batch's flat
// q, query head), each sequence piece of its rows run in turn, the heaviest tiles first. Here each
// of the 8 warps owns 16 query rows; K and V tiles of block_n keys are double-buffered in shared
// memory by cp.async (the next tile loads while this one computes). Causal: key tiles past a
// tile's last visible key are never loaded, and only tiles that cross the diagonal (or the end of
// the keys) are masked, per warp.
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
#include "solkit/ops/common/attention_prefill_common.cuh"
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

/// Rows [qs, qe) of q (all in sequence b), query head `head`: attention over the sequence's
/// keys, written to output and lse. Every thread of the CTA calls it with the same arguments.
template <int head_dim, bool causal, class Source>
__device__ __forceinline__ void attend_rows(const params<Source>& p, int b, int qs, int qe, int head,
                                            float scale_log2, __nv_bfloat16* sq, __nv_bfloat16* sk,
                                            __nv_bfloat16* sv) {
  using cfg = tile_config<head_dim>;
  constexpr int BM = cfg::block_m, BN = cfg::block_n, S = cfg::stride, KT = cfg::padded / 16;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32, g = lane / 4;
  const int kv_head = head / p.group;
  const piece<Source> x = open_piece<causal>(p, b, qs, qe);
  const int n_tiles = (x.n_end + BN - 1) / BN;
  const auto at = [](int row, int chunk) { return static_cast<unsigned>((row * S + chunk * 8) * 2); };
  const unsigned sq_address = ptx::shared_address(sq), sk_address = ptx::shared_address(sk);
  const unsigned sv_address = ptx::shared_address(sv);
  const auto load_tile = [&](int tile, int stage) {
    load_kv<head_dim, BN, cfg::threads>(p, x, kv_head, tile, sk_address + stage * cfg::kv_elements * 2,
                                        sv_address + stage * cfg::kv_elements * 2, at);
  };

  __syncthreads();  // the previous piece is done with shared memory
  load_q<head_dim, BM, cfg::threads>(p, qs, x.rows, head, sq_address, at);
  if (n_tiles > 0) load_tile(0, 0);
  ptx::cp_async_commit();

  // This warp's rows: local rows warp_row + g and + 8 (the two rows a thread's accumulator
  // fragments hold).
  const int warp_row = x.i0 + warp * 16;
  const bool warp_live = warp * 16 < x.rows;
  unsigned q_frag[cfg::q_in_registers ? KT : 1][4];
  float o[cfg::padded / 8][4];  // [16 rows x padded] of this warp, fp32
#pragma unroll
  for (int n = 0; n < cfg::padded / 8; ++n) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.0f;
  float row_max[2] = {-INFINITY, -INFINITY}, row_sum[2] = {0.0f, 0.0f};  // base-2 running max, partial sums

  for (int tile = 0; tile < n_tiles; ++tile) {
    next_tile(tile, n_tiles, load_tile);
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
    const bool skip = !warp_live || (causal && n0 > warp_row + 15 + x.offset);
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
      const bool mask = n0 + BN > x.kv_len || (causal && n0 + BN - 1 > warp_row + x.offset);
      softmax_step<causal>(s, o, row_max, row_sum, scale_log2, mask, n0, x.kv_len, warp_row + g + x.offset);
      // O += P V: the logits' accumulator layout is the A-operand layout of the next mma.
#pragma unroll
      for (int kk = 0; kk < BN / 16; ++kk) {
        unsigned a[4];
        pack_p(s, kk, a);
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
  store_rows<head_dim>(p, qs, x.rows, head, warp * 16, o, row_max, row_sum);
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
  for_each_piece<cfg::block_m>(p, [&](int b, int qs, int qe, int head, float scale_log2) {
    attend_rows<head_dim, causal>(p, b, qs, qe, head, scale_log2, sq, sk, sv);
  });
}

/// Launches the mma.sync engine over `p.total_q` rows (> 0) and every query head; arguments
/// checked. A failure to configure or launch is reported as a cuda_error of `definition`.
/// Launchers call attention_prefill::launch (attention_prefill_launch.cuh), which picks the engine.
template <int head_dim, bool causal, class Source>
launch_status launch_mma_sync(std::string_view definition, const params<Source>& p, cudaStream_t stream) {
  using cfg = tile_config<head_dim>;
  return launch_tiles<prefill_kernel<head_dim, causal, Source>, cfg::block_m, cfg::threads, cfg::shared_bytes>(
      definition, p, stream);
}

}  // namespace solkit::ops::attention_prefill
