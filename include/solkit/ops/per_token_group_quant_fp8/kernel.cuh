#pragma once
// CUDA kernel of per_token_group_quant_fp8 (atrex-bench's, vLLM's activation quantisation for
// 128-block fp8 GEMMs, with NVIDIA's float8_e4m3fn): per run of G channels of a bf16 row,
// scale = max(amax(|x|) / 448, 1e-10) and quantized = fp8(x / scale). Groups are contiguous in
// memory and the scales are token-major, so group g of the whole tensor is elements
// [g * G, (g + 1) * G) and scale g: the kernel sees a flat array of T * H / G groups and needs
// no row structure. Each group is a "row" of the row kernels' layout (row_kernel.cuh) with at
// most 32 threads, so its max is a few warp shuffles and no barrier; G = 128 is 16 threads of one
// 16-byte vector each, 16 groups per 256-thread CTA pass, and each CTA makes `passes` passes over
// consecutive chunks with all their loads issued first (a group is only 256 bytes: one pass
// alone keeps too few bytes in flight per thread to reach the HBM bandwidth).
//
// Arithmetic and rounding are the reference's, op for op, so the outputs are bit-exact: amax is
// exact, the scale is one IEEE fp32 division then the floor, x / scale is a true IEEE division
// (the reference divides; multiplying by a reciprocal would differ in the last bit now and
// then), and the fp8 conversion is cvt.rn.satfinite (round to nearest even, saturating at
// +-448, which is the reference's clamp). Stores are 8-byte vectors of 8 fp8 (coalesced).

#include <concepts>
#include <cstdint>
#include <string>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/per_token_group_quant_fp8/definition.hpp"

namespace solkit::ops::per_token_group_quant_fp8::kernels {

inline constexpr float fp8_max = 448.0f;     // torch.finfo(torch.float8_e4m3fn).max
inline constexpr float scale_floor = 1e-10f;  // torch.clamp(scale, min=1e-10) in fp32
inline constexpr int passes = 2;               // chunks of rows_per_cta groups per CTA: 2 measured
                                               // best on an H100 (1, 4, 8 swept; 8 is 9% slower)

/// A group is a row of G / 8 vectors, at most one warp's worth of threads per group.
template <std::int64_t group_size>
using layout_of = rows::row_layout<group_size / 8, 256, 32>;

/// quantized[g] = fp8(x[g] / scales[g]) for each of `groups` groups, pass_count * rows_per_cta per CTA.
template <std::int64_t group_size, int pass_count = passes>
__global__ void __launch_bounds__(layout_of<group_size>::threads)
quant_groups(const uint4* x,     // [groups, group_size / 8] (8 bf16 each); groups = token_count * num_groups
             uint2* quantized,   // [groups, group_size / 8] (8 fp8 each)
             float* scales,      // [groups], i.e. [token_count, num_groups] token-major
             std::int64_t groups) {
  using layout = layout_of<group_size>;
  static_assert(layout::warps_per_row == 1, "a group's max needs no shared memory");
  const int lane_in_group = threadIdx.x % layout::threads_per_row;
  std::int64_t group[pass_count];  // this thread's group in each pass
  bool group_exists[pass_count];   // the last CTA may hold fewer groups
  uint4 raw[pass_count][layout::vectors_per_thread];  // this thread's share of its groups; all loads first
#pragma unroll
  for (int p = 0; p < pass_count; ++p) {
    group[p] = (static_cast<std::int64_t>(blockIdx.x) * pass_count + p) * layout::rows_per_cta +
               threadIdx.x / layout::threads_per_row;
    group_exists[p] = group[p] < groups;
#pragma unroll
    for (int v = 0; v < layout::vectors_per_thread; ++v) {
      if (group_exists[p] && layout::has_vector(lane_in_group, v)) {
        raw[p][v] = rows::load_streaming(x + group[p] * layout::vectors + lane_in_group + v * layout::threads_per_row);
      }
    }
  }
#pragma unroll
  for (int p = 0; p < pass_count; ++p) {
    float values[layout::vectors_per_thread][8];  // this pass's share in fp32
    float amax = 0.0f;
#pragma unroll
    for (int v = 0; v < layout::vectors_per_thread; ++v) {
      if (group_exists[p] && layout::has_vector(lane_in_group, v)) {
        rows::unpack(raw[p][v], values[v]);
#pragma unroll
        for (int i = 0; i < 8; ++i) amax = fmaxf(amax, fabsf(values[v][i]));
      }
    }
    // Whole warps shuffle (full mask), so threads of a missing group skip only after this.
    const float group_amax = rows::row_max<layout::threads_per_row, 1>(amax, nullptr);
    if (!group_exists[p]) continue;
    const float scale = fmaxf(group_amax / fp8_max, scale_floor);
    if (lane_in_group == 0) scales[group[p]] = scale;
#pragma unroll
    for (int v = 0; v < layout::vectors_per_thread; ++v) {
      if (layout::has_vector(lane_in_group, v)) {
        float scaled[8];
#pragma unroll
        for (int i = 0; i < 8; ++i) scaled[i] = __fdiv_rn(values[v][i], scale);  // a true division
        quantized[group[p] * layout::vectors + lane_in_group + v * layout::threads_per_row] =
            rows::pack_fp8_e4m3(scaled);
      }
    }
  }
}

}  // namespace solkit::ops::per_token_group_quant_fp8::kernels

namespace solkit {

/// per_token_group_quant_fp8_h{H}_g{G}: tensors x [token_count, H], quantized [token_count, H]
/// (fp8), scales [token_count, H / G] (fp32, token-major); one var axis, token_count. Every
/// pointer 16-byte aligned (one alignment for all tensors); 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, per_token_group_quant_fp8_axes>
struct kernel<Definition> {
  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    namespace k = ops::per_token_group_quant_fp8::kernels;
    constexpr std::int64_t group_size = Definition::axes.group_size;
    using layout = k::layout_of<group_size>;
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t tokens = arguments.var_axes[0];
    if (tokens == 0) return {};
    const std::int64_t groups = tokens * (Definition::axes.hidden_size / group_size);
    constexpr std::int64_t groups_per_cta = layout::rows_per_cta * k::passes;
    const std::int64_t blocks = (groups + groups_per_cta - 1) / groups_per_cta;
    if (blocks > 2147483647) {  // beyond any real tensor, but a grid cannot cover it
      return launch_status::failure(launch_error_code::bad_size, Definition::name.view(), "token_count",
                                    "is " + std::to_string(tokens) + ": more groups than one grid covers");
    }
    k::quant_groups<group_size><<<static_cast<unsigned>(blocks), layout::threads, 0, stream>>>(
        static_cast<const uint4*>(arguments.tensors[0]), static_cast<uint2*>(arguments.tensors[1]),
        static_cast<float*>(arguments.tensors[2]), groups);
    return detail::launched(Definition::name.view());
  }
};

/// Runs a per_token_group_quant_fp8 definition on `token_count` rows: per group of G channels,
/// scale = max(amax / 448, 1e-10), quantized = fp8_e4m3fn(x / scale). Every pointer must be
/// device memory aligned to 16 bytes; token_count 0 launches nothing. Returns why nothing was
/// launched, naming the definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, per_token_group_quant_fp8_axes>
launch_status launch_per_token_group_quant_fp8(const __nv_bfloat16* x,    // [token_count, H]
                                               __nv_fp8_e4m3* quantized,  // [token_count, H]
                                               float* scales,             // [token_count, H / G]
                                               std::int64_t token_count, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), quantized, scales};
  const std::int64_t var_axes[] = {token_count};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
