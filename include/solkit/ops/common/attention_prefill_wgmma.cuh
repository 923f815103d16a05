#pragma once
// The Hopper (sm_90a) engine of the prefill attention kernel: the same work split, K/V sources,
// masks and online softmax as the mma.sync engine (attention_prefill.cuh), with the two matrix
// products on wgmma. Each warpgroup (4 warps, 64 query rows) issues S = Q K^T with both operands
// from shared memory, then O += P V with P from registers (the logits' accumulator layout is the
// register A-operand layout) and V from shared memory read transposed (MN-major descriptor).
//
// Tiles live in shared memory in the 128-byte-swizzle layout the descriptors describe
// (wgmma_layout.hpp), written by cp.async, double-buffered as in the mma.sync engine; a
// proxy fence before each barrier hands the cp.async writes to the tensor cores' async proxy.
// Two warpgroups a CTA (128 query rows): while one runs softmax the other's wgmma can run.
//
// Head dims: multiples of 64 up to 256 (whole 64-column swizzle blocks); other head dims run on
// the mma.sync engine. Key tiles: 128 keys up to head_dim 128, 64 above (register budget of the
// fp32 output accumulator: head_dim / 2 floats a thread).

#include <cmath>
#include <cstdint>
#include <string_view>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/cuda_checks.cuh"
#include "solkit/core/launch_status.hpp"
#include "solkit/ops/common/attention_prefill_common.cuh"
#include "solkit/ops/common/mma_ptx.cuh"
#include "solkit/ops/common/wgmma_ptx.cuh"

namespace solkit::ops::attention_prefill_wgmma {

using attention_prefill::params;

template <int head_dim>
struct tile_config {
  static constexpr bool supported = head_dim % 64 == 0 && head_dim <= 256;
  static constexpr int warpgroups = 2;
  static constexpr int block_m = 64 * warpgroups;           // query rows per CTA (64 a warpgroup)
  static constexpr int block_n = head_dim <= 128 ? 128 : 64;  // keys per K/V tile
  static constexpr int threads = 128 * warpgroups;
  static constexpr int chunks = head_dim / 8;                 // 16-byte chunks of a head row
  static constexpr int q_bytes = block_m * head_dim * 2;      // [head_dim / 64][block_m][128 B]
  static constexpr int kv_bytes = block_n * head_dim * 2;     // [head_dim / 64][block_n][128 B]
  static constexpr int shared_bytes = 1024 + q_bytes + 4 * kv_bytes;  // + slack to align to 1024
  static_assert(!supported || shared_bytes <= 227 * 1024, "tiles fit an H100's shared memory");
};

/// Rows [qs, qe) of q (all in sequence b), query head `head`, as attention_prefill::attend_rows.
/// sq, sk, sv: 1024-byte-aligned shared addresses of the Q tile and the two K and V stages.
template <int head_dim, bool causal, class Source>
__device__ __forceinline__ void attend_rows(const params<Source>& p, int b, int qs, int qe, int head,
                                            float scale_log2, unsigned sq, unsigned sk, unsigned sv) {
  using cfg = tile_config<head_dim>;
  using s_mma = wgmma::warpgroup_mma<cfg::block_n>;
  using o_mma = wgmma::warpgroup_mma<head_dim>;
  constexpr int BM = cfg::block_m, BN = cfg::block_n;
  const int warp = threadIdx.x / 32, g = threadIdx.x % 32 / 4;
  // Broadcast from lane 0 so the compiler knows it is warp-uniform: branches on it around wgmma
  // are then not divergent paths, which would make ptxas serialize every wgmma (C7520).
  const int warpgroup = __shfl_sync(0xffffffffu, warp / 4, 0);
  const int kv_head = head / p.group;
  const attention_prefill::piece<Source> x = attention_prefill::open_piece<causal>(p, b, qs, qe);
  const int n_tiles = (x.n_end + BN - 1) / BN;
  const auto q_at = [](int row, int chunk) { return static_cast<unsigned>(wgmma::swizzled_offset(row, chunk, BM)); };
  const auto kv_at = [](int row, int chunk) { return static_cast<unsigned>(wgmma::swizzled_offset(row, chunk, BN)); };
  const auto load_tile = [&](int tile, int stage) {
    attention_prefill::load_kv<head_dim, BN, cfg::threads>(p, x, kv_head, tile, sk + stage * cfg::kv_bytes,
                                                           sv + stage * cfg::kv_bytes, kv_at);
  };

  __syncthreads();  // the previous piece is done with shared memory
  attention_prefill::load_q<head_dim, BM, cfg::threads>(p, qs, x.rows, head, sq, q_at);
  if (n_tiles > 0) load_tile(0, 0);
  ptx::cp_async_commit();

  // This thread's rows: local rows warp_row + g and + 8 (warp w of the CTA owns 16 rows, the
  // warpgroup 64); the warpgroup issues its products only while one of its rows sees a key.
  const int warp_row = x.i0 + warp * 16, group_row = x.i0 + warpgroup * 64;
  const bool group_live = warpgroup * 64 < x.rows;
  float o[head_dim / 8][4];  // [16 rows x head_dim] of this warp, fp32
#pragma unroll
  for (int n = 0; n < head_dim / 8; ++n) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.0f;
  float row_max[2] = {-INFINITY, -INFINITY}, row_sum[2] = {0.0f, 0.0f};  // base-2 running max, partial sums

  for (int tile = 0; tile < n_tiles; ++tile) {
    attention_prefill::next_tile(tile, n_tiles, load_tile);
    wgmma::fence_proxy_async();
    __syncthreads();
    const int n0 = tile * BN;
    const unsigned k_tile = sk + (tile & 1) * cfg::kv_bytes;  // [head_dim / 64][BN][128 B]
    const unsigned v_tile = sv + (tile & 1) * cfg::kv_bytes;  // [head_dim / 64][BN][128 B]
    // Warpgroup-uniform (wgmma needs all 128 threads): a causal warpgroup whose last row sees no
    // key of this tile skips it.
    const bool skip = !group_live || (causal && n0 > group_row + 63 + x.offset);
    if (!skip) {
      // [16 rows x BN keys] logits of this warp. Not zeroed: the first wgmma's scale-d = 0 ignores
      // its input, and a zeroing the compiler moved past wgmma.fence would be a register write
      // the fence no longer orders (undefined behaviour by the PTX ISA).
      float s[BN / 8][4];
      wgmma::fence_registers(s);
      wgmma::fence();
#pragma unroll
      for (int kk = 0; kk < head_dim / 16; ++kk) {  // head-dim columns 16 kk .. + 15
        const std::uint64_t a = wgmma::descriptor(wgmma::k_major_start(sq, kk, BM, warpgroup * 64), 16, 1024);
        const std::uint64_t bk = wgmma::descriptor(wgmma::k_major_start(k_tile, kk, BN, 0), 16, 1024);
        s_mma::shared_shared(s, a, bk, kk > 0);
      }
      wgmma::commit();
      wgmma::wait<0>();
      wgmma::fence_registers(s);
      // Mask only where the tile crosses a row's last visible key (or the end of the keys).
      const bool mask = n0 + BN > x.kv_len || (causal && n0 + BN - 1 > warp_row + x.offset);
      attention_prefill::softmax_step<causal>(s, o, row_max, row_sum, scale_log2, mask, n0, x.kv_len,
                                              warp_row + g + x.offset);
      // O += P V, 16 keys a step, V read MN-major (its 64-column blocks BN x 128 bytes apart). All
      // of P is packed before the fence: a register written between two wgmmas makes ptxas
      // insert a warpgroup arrive there (C7519) and stall the pipeline.
      unsigned pa[BN / 16][4];  // P [16 rows x BN keys] of this warp, bf16 pairs
#pragma unroll
      for (int kk = 0; kk < BN / 16; ++kk) attention_prefill::pack_p(s, kk, pa[kk]);
      wgmma::fence_registers(o);  // the alpha rescale of o stays before the fence
      wgmma::fence();
#pragma unroll
      for (int kk = 0; kk < BN / 16; ++kk) {
        const std::uint64_t bv = wgmma::descriptor(wgmma::mn_major_start(v_tile, kk), BN * 128, 1024);
        o_mma::registers_shared_transposed(o, pa[kk], bv);
      }
      wgmma::commit();
      wgmma::wait<0>();
      wgmma::fence_registers(o);
    }
    __syncthreads();  // this stage is free for the load two tiles on
  }
  if (n_tiles == 0) ptx::cp_async_wait<0>();
  attention_prefill::store_rows<head_dim>(p, qs, x.rows, head, warp * 16, o, row_max, row_sum);
}

template <int head_dim, bool causal, class Source>
__global__ void __launch_bounds__(tile_config<head_dim>::threads, 1)
prefill_kernel(const __grid_constant__ params<Source> p) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  using cfg = tile_config<head_dim>;
  extern __shared__ __align__(1024) unsigned char shared_raw[];
  // The swizzle reads address bits 7-9 as the row: every tile starts on a 1024-byte boundary.
  const unsigned base = (ptx::shared_address(shared_raw) + 1023u) & ~1023u;
  const unsigned sq = base;                    // [head_dim / 64][block_m][128 B]
  const unsigned sk = sq + cfg::q_bytes;       // [2][head_dim / 64][block_n][128 B]
  const unsigned sv = sk + 2 * cfg::kv_bytes;  // [2][head_dim / 64][block_n][128 B]
  attention_prefill::for_each_piece<cfg::block_m>(p, [&](int b, int qs, int qe, int head, float scale_log2) {
    attend_rows<head_dim, causal>(p, b, qs, qe, head, scale_log2, sq, sk, sv);
  });
#endif
  // Built without sm_90a: empty, and never launched (engine_built answers false).
}

/// Writes whether the device code it runs was compiled for sm_90a (the wgmma engine's kernels
/// are empty otherwise). One answer for the program: a program whose translation units are built
/// for different targets must build all of them for sm_90a to use this engine.
template <int = 0>
__global__ void engine_built_probe(int* built) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  *built = 1;
#else
  *built = 0;
#endif
}

/// Whether the wgmma engine's kernels hold code on the current device: probed once per device
/// (a one-int allocation, a launch and a synchronous copy, so a CUDA graph capture must follow a
/// first, uncaptured call), cached. A CUDA failure names `definition`.
inline launch_status engine_built(std::string_view definition, bool& built) {
  int answer = 0;  // 1: no, 2: yes
  const launch_status probed = solkit::detail::once_per_device(definition, answer, [&](int, int& value) {
    int* flag = nullptr;  // [1] on the device
    if (const cudaError_t status = cudaMalloc(&flag, sizeof(int)); status != cudaSuccess) {
      return solkit::detail::cuda_failure(definition, "probe for the wgmma engine", status);
    }
    int found = 0;
    engine_built_probe<<<1, 1>>>(flag);
    cudaError_t status = cudaGetLastError();
    if (status == cudaSuccess) status = cudaMemcpy(&found, flag, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(flag);
    if (status != cudaSuccess) return solkit::detail::cuda_failure(definition, "probe for the wgmma engine", status);
    value = found == 1 ? 2 : 1;
    return launch_status{};
  });
  built = answer == 2;
  return probed;
}

/// Launches the wgmma engine over `p.total_q` rows (> 0) and every query head; refused
/// (unsupported_device) when the program's device code was built without sm_90a.
template <int head_dim, bool causal, class Source>
launch_status launch(std::string_view definition, const params<Source>& p, cudaStream_t stream) {
  using cfg = tile_config<head_dim>;
  static_assert(cfg::supported, "head_dim: the wgmma engine takes multiples of 64 up to 256");
  bool built = false;
  if (launch_status s = engine_built(definition, built); !s.ok()) return s;
  if (!built) {
    return launch_status::failure(launch_error_code::unsupported_device, definition, "device",
                                  "runs code built without sm_90a; the wgmma prefill engine needs "
                                  "-gencode=arch=compute_90a,code=sm_90a");
  }
  return attention_prefill::launch_tiles<prefill_kernel<head_dim, causal, Source>, cfg::block_m, cfg::threads,
                                         cfg::shared_bytes>(definition, p, stream);
}

}  // namespace solkit::ops::attention_prefill_wgmma
