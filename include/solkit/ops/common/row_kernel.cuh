#pragma once
// Building blocks of solkit's row-wise, memory-bound kernels (norms, activations, quantisation):
// a row of a compile-time length held in registers as 16-byte vectors, a power-of-two group of
// threads per row, several rows per CTA when rows are short, and a sum over the row's threads.
// Every element is read once and written once: the design is about bytes in flight.

#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

namespace solkit::ops::rows {

/// How a CTA covers rows of `vectors` 16-byte vectors: a power-of-two group of threads per row
/// (at most `max_threads_per_row`), and as many rows per `cta_threads`-thread CTA as fit, so that
/// short rows (per-head q/k norms of 128) do not leave most of a CTA idle.
template <std::int64_t vectors_per_row, int cta_threads = 256, int max_threads_per_row = cta_threads>
struct row_layout {
  static_assert(vectors_per_row > 0, "a row holds at least one 16-byte vector");
  static constexpr int vectors = static_cast<int>(vectors_per_row);
  static constexpr int threads_per_row = [] {
    int threads = 1;
    while (threads < vectors && threads < max_threads_per_row) threads *= 2;
    return threads;
  }();
  static constexpr int threads = cta_threads;
  static_assert(threads % threads_per_row == 0, "a CTA holds whole rows");
  static constexpr int rows_per_cta = threads / threads_per_row;
  static constexpr int vectors_per_thread = (vectors + threads_per_row - 1) / threads_per_row;
  static constexpr int warps_per_row = threads_per_row >= 32 ? threads_per_row / 32 : 1;
  /// Whether vector `v` of this thread exists (the last pass may be partial).
  __device__ static constexpr bool has_vector(int lane_in_row, int v) {
    return vectors % threads_per_row == 0 || lane_in_row + v * threads_per_row < vectors;
  }
};

/// Threads per row for the norms that keep at most 4 vectors per thread: up to a warp per row,
/// which needs no shared-memory reduction and no barrier, then doubling up to 256. 4 rather than
/// 8 vectors per thread measured faster on an H100 (layer_norm 83-85% -> 85-86% of HBM
/// bandwidth: more resident threads, and a single row finishes sooner).
constexpr int threads_per_row_for_4_vectors(std::int64_t vectors) {
  int threads = 32;
  while (threads < 256 && vectors > 4 * threads) threads *= 2;
  return threads;
}

/// The row layout of those norms: 256-thread CTAs, threads_per_row_for_4_vectors per row.
template <std::int64_t hidden_size>
using four_vector_layout = row_layout<hidden_size / 8, 256, threads_per_row_for_4_vectors(hidden_size / 8)>;

/// Sum of `value` over the `group` consecutive threads of a row (a power of two), returned to
/// each of them. `scratch`: [cta threads / 32] floats. Every thread of the CTA must call it; with
/// more than one warp per row it synchronises the CTA, so calling it twice needs a barrier
/// between (`reuse_barrier`).
template <int group, int warps_per_row>
__device__ __forceinline__ float row_sum(float value, float* scratch) {
  constexpr int lanes = group < 32 ? group : 32;
  for (int offset = lanes / 2; offset > 0; offset /= 2) value += __shfl_xor_sync(0xffffffffu, value, offset);
  if constexpr (warps_per_row == 1) {
    return value;
  } else {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int first_warp = warp / warps_per_row * warps_per_row;  // of this row
    if (lane == 0) scratch[warp] = value;
    __syncthreads();
    float total = 0.0f;
#pragma unroll
    for (int w = 0; w < warps_per_row; ++w) total += scratch[first_warp + w];
    return total;
  }
}

/// Maximum of `value` over the row's threads; the same contract as row_sum.
template <int group, int warps_per_row>
__device__ __forceinline__ float row_max(float value, float* scratch) {
  constexpr int lanes = group < 32 ? group : 32;
  for (int offset = lanes / 2; offset > 0; offset /= 2) value = fmaxf(value, __shfl_xor_sync(0xffffffffu, value, offset));
  if constexpr (warps_per_row == 1) {
    return value;
  } else {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int first_warp = warp / warps_per_row * warps_per_row;
    if (lane == 0) scratch[warp] = value;
    __syncthreads();
    float result = scratch[first_warp];
#pragma unroll
    for (int w = 1; w < warps_per_row; ++w) result = fmaxf(result, scratch[first_warp + w]);
    return result;
  }
}

/// Element types a 16-byte vector holds 8 of.
template <class T>
struct half8;
template <>
struct half8<__nv_bfloat16> {
  using pair = __nv_bfloat162;
  __device__ static float2 to_float2(pair p) { return __bfloat1622float2(p); }
  __device__ static pair from_floats(float a, float b) { return __floats2bfloat162_rn(a, b); }
};
template <>
struct half8<__half> {
  using pair = __half2;
  __device__ static float2 to_float2(pair p) { return __half22float2(p); }
  __device__ static pair from_floats(float a, float b) { return __floats2half2_rn(a, b); }
};

/// Eight 16-bit floats of a 16-byte vector as floats.
template <class T = __nv_bfloat16>
__device__ __forceinline__ void unpack(const uint4& raw, float (&out)[8]) {
  const auto* pairs = reinterpret_cast<const typename half8<T>::pair*>(&raw);
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 f = half8<T>::to_float2(pairs[i]);
    out[2 * i] = f.x;
    out[2 * i + 1] = f.y;
  }
}

/// Eight floats rounded once (to nearest even) into a 16-byte vector of T.
template <class T = __nv_bfloat16>
__device__ __forceinline__ uint4 pack(const float (&in)[8]) {
  uint4 raw;
  auto* pairs = reinterpret_cast<typename half8<T>::pair*>(&raw);
#pragma unroll
  for (int i = 0; i < 4; ++i) pairs[i] = half8<T>::from_floats(in[2 * i], in[2 * i + 1]);
  return raw;
}

/// Eight floats as eight float8_e4m3fn bytes (an 8-byte vector, element 0 in the low byte):
/// cvt.rn.satfinite, i.e. rounded to nearest even and saturated to +-448 (NaN stays NaN), so
/// the references' clamp(-448, 448) followed by a round-to-nearest-even cast is this one step.
__device__ __forceinline__ uint2 pack_fp8_e4m3(const float (&in)[8]) {
  unsigned int pairs[4];
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    pairs[i] = __nv_cvt_float2_to_fp8x2(make_float2(in[2 * i], in[2 * i + 1]), __NV_SATFINITE, __NV_E4M3);
  }
  return make_uint2(pairs[0] | (pairs[1] << 16), pairs[2] | (pairs[3] << 16));
}

/// A 16-byte load through the read-only path that skips L1 allocation: each row is read once,
/// so caching it only evicts. Only for memory that no thread of the kernel writes.
__device__ __forceinline__ uint4 load_streaming(const uint4* address) {
  uint4 value;
  asm("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];"
               : "=r"(value.x), "=r"(value.y), "=r"(value.z), "=r"(value.w)
               : "l"(address));
  return value;
}

/// A 16-byte store; `streaming` marks it evict-first (st.global.cs): the row is not read again
/// by this kernel, so it should not displace what is.
template <bool streaming>
__device__ __forceinline__ void store(uint4* address, const uint4& value) {
  if constexpr (streaming) {
    asm volatile("st.global.cs.v4.u32 [%0], {%1, %2, %3, %4};" ::"l"(address), "r"(value.x), "r"(value.y),
                 "r"(value.z), "r"(value.w)
                 : "memory");
  } else {
    *address = value;
  }
}

}  // namespace solkit::ops::rows
