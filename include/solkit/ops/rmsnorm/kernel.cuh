#pragma once
// CUDA kernel of `rmsnorm_h{H}` (flashinfer-bench semantics): output = x * rsqrt(mean(x^2) +
// 1e-5) * weight per row, fp32 math, bf16 in and out. Memory bound (about 1 FLOP per byte), so
// the design is about bytes: a thread group per row (several rows per CTA when rows are short), each thread holds its share of the row in registers
// (16-byte vectors of 8 bf16; the hidden size is a compile-time constant, so the register array
// and the loops are sized exactly), one reduction per row, then the row is scaled from registers:
// every element is read once and written once. output may alias hidden_states (in place).

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/cuda_checks.cuh"
#include "solkit/ops/rmsnorm/definition.hpp"

namespace solkit::ops::rmsnorm::kernels {

/// How a CTA covers rows of `hidden_size` bf16 values: a power-of-two group of threads per row
/// (at most 256), and as many rows per 256-thread CTA as fit, so that short rows (per-head q/k
/// norms of 128) do not leave most of a CTA idle.
template <std::int64_t hidden_size>
struct row_layout {
  static_assert(hidden_size % 8 == 0, "rows are 16-byte vectors of bf16");
  static constexpr int vectors = static_cast<int>(hidden_size / 8);  // 16-byte vectors per row
  static constexpr int threads_per_row = [] {
    int threads = 1;
    while (threads < vectors && threads < 256) threads *= 2;
    return threads;
  }();
  // 256 threads keep 8 CTAs (2048 threads) resident per SM.
  static constexpr int threads = 256;
  static constexpr int rows_per_cta = threads / threads_per_row;
  static constexpr int vectors_per_thread = (vectors + threads_per_row - 1) / threads_per_row;
  static constexpr int warps_per_row = threads_per_row >= 32 ? threads_per_row / 32 : 1;
};

/// Sum of `value` over the `group` consecutive threads of a row (a power of two), returned to
/// each of them. `scratch`: [rows_per_cta][warps_per_row] floats. Every thread of the CTA calls it.
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

/// Eight bf16 of a 16-byte vector as floats.
__device__ __forceinline__ void unpack(const uint4& raw, float (&out)[8]) {
  const auto* pairs = reinterpret_cast<const __nv_bfloat162*>(&raw);
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 f = __bfloat1622float2(pairs[i]);
    out[2 * i] = f.x;
    out[2 * i + 1] = f.y;
  }
}

/// out[row] = x[row] * rsqrt(mean(x[row]^2) + eps) * weight, rows_per_cta rows per CTA.
template <class Definition>
__global__ void __launch_bounds__(row_layout<Definition::axes.hidden_size>::threads)
rmsnorm_rows(const uint4* hidden_states,  // [batch_size, hidden_size / 8] (8 bf16 each)
             const uint4* weight,         // [hidden_size / 8]
             uint4* output,               // [batch_size, hidden_size / 8]; may be hidden_states
             std::int64_t batch_size, float eps) {
  using layout = row_layout<Definition::axes.hidden_size>;
  __shared__ float scratch[layout::threads / 32];
  const int lane_in_row = threadIdx.x % layout::threads_per_row;
  const std::int64_t row =
      static_cast<std::int64_t>(blockIdx.x) * layout::rows_per_cta + threadIdx.x / layout::threads_per_row;
  const bool row_exists = row < batch_size;  // the last CTA may hold fewer rows
  const std::int64_t row_offset = row * layout::vectors;

  float values[layout::vectors_per_thread][8];  // this thread's share of the row, fp32
  float sum_of_squares = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (row_exists && (layout::vectors % layout::threads_per_row == 0 || index < layout::vectors)) {
      unpack(hidden_states[row_offset + index], values[v]);
#pragma unroll
      for (int i = 0; i < 8; ++i) sum_of_squares += values[v][i] * values[v][i];
    }
  }
  const float total = row_sum<layout::threads_per_row, layout::warps_per_row>(sum_of_squares, scratch);
  if (!row_exists) return;
  const float inv_rms = rsqrtf(total / static_cast<float>(Definition::axes.hidden_size) + eps);

#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (layout::vectors % layout::threads_per_row == 0 || index < layout::vectors) {
      float scale[8];
      unpack(weight[index], scale);
      uint4 packed;
      auto* pairs = reinterpret_cast<__nv_bfloat162*>(&packed);
#pragma unroll
      for (int i = 0; i < 4; ++i) {
        // (x * inv_rms) * weight in fp32, rounded once: the reference's order.
        pairs[i] = __floats2bfloat162_rn(values[v][2 * i] * inv_rms * scale[2 * i],
                                         values[v][2 * i + 1] * inv_rms * scale[2 * i + 1]);
      }
      output[row_offset + index] = packed;
    }
  }
}

}  // namespace solkit::ops::rmsnorm::kernels

namespace solkit {

/// Runs `Definition` (an `rmsnorm<rmsnorm_axes{H}>`) on `batch_size` rows. Every pointer must be
/// device memory aligned to 16 bytes; batch_size 0 launches nothing. Returns why nothing was
/// launched, naming the definition and the argument, when an argument is wrong.
template <class Definition>
  requires std::same_as<std::remove_cvref_t<decltype(Definition::axes)>, rmsnorm_axes>
launch_status launch_rmsnorm(const __nv_bfloat16* hidden_states,  // [batch_size, H]
                             const __nv_bfloat16* weight,         // [H]
                             __nv_bfloat16* output,               // [batch_size, H]
                             std::int64_t batch_size, cudaStream_t stream = nullptr) {
  using layout = ops::rmsnorm::kernels::row_layout<Definition::axes.hidden_size>;
  const std::string_view name = Definition::name.view();
  if (batch_size < 0 || batch_size > 2147483647) {
    return launch_status::failure(launch_error_code::bad_size, name, "batch_size",
                                  "is " + std::to_string(batch_size) + "; it must be in [0, 2^31)");
  }
  for (const auto& [argument, pointer] : {std::pair<std::string_view, const void*>{"hidden_states", hidden_states},
                                          {"weight", weight}, {"output", output}}) {
    if (launch_status status = detail::check_pointer(name, argument, pointer, 16); !status.ok()) return status;
  }
  if (launch_status status = detail::check_hopper(name); !status.ok()) return status;
  if (batch_size == 0) return {};
  const auto blocks = static_cast<unsigned>((batch_size + layout::rows_per_cta - 1) / layout::rows_per_cta);
  ops::rmsnorm::kernels::rmsnorm_rows<Definition><<<blocks, layout::threads, 0, stream>>>(
      reinterpret_cast<const uint4*>(hidden_states), reinterpret_cast<const uint4*>(weight),
      reinterpret_cast<uint4*>(output), batch_size, 1e-5f);
  return detail::launched(name);
}

}  // namespace solkit
