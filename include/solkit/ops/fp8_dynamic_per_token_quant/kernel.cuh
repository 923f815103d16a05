#pragma once
// CUDA kernel of fp8_dynamic_per_token_quant (atrex-bench's, with NVIDIA's float8_e4m3fn):
// per bf16 row of H channels, scale = max(amax(|x|), 1e-12) / 448 and q = fp8(x * (1 / scale)).
// Memory bound (2 bytes read, 1 written per element), so the design is the row kernels' (see
// solkit/ops/common/row_kernel.cuh): a thread group per row holding its share of the row in
// registers as 16-byte vectors, one max-reduction, then the row is scaled from registers and
// stored as 8-byte vectors of 8 fp8 (coalesced: a warp stores 256 contiguous bytes).
//
// Arithmetic and rounding are the reference's, op for op, so the outputs are bit-exact: amax is
// exact (bf16 values in fp32), the scale is one IEEE fp32 division, the reciprocal is the IEEE
// 1 / scale (torch.reciprocal), x * reciprocal is one fp32 multiply, and the fp8 conversion is
// cvt.rn.satfinite (round to nearest even, saturating at +-448, which is the reference's clamp).

#include <concepts>
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/fp8_dynamic_per_token_quant/definition.hpp"

namespace solkit::ops::fp8_dynamic_per_token_quant::kernels {

inline constexpr float fp8_max = 448.0f;    // torch.finfo(torch.float8_e4m3fn).max
inline constexpr float amax_floor = 1e-12f;  // torch.clamp(amax, min=1e-12) in fp32

/// Threads per row at most (fewer: more 16-byte vectors in flight per thread). 256 measured
/// best or within 1% of it on an H100 for every catalog H (128 and 64 swept too).
inline constexpr int max_threads_per_row = 256;

template <std::int64_t hidden_size, int max_threads = max_threads_per_row>
using layout_of = rows::row_layout<hidden_size / 8, 256, max_threads>;

/// q[row] = fp8(x[row] / scale[row]), rows_per_cta rows per CTA.
template <std::int64_t hidden_size, int max_threads = max_threads_per_row>
__global__ void __launch_bounds__(layout_of<hidden_size, max_threads>::threads)
quant_rows(const uint4* x,  // [rows, hidden_size / 8] (8 bf16 each)
           uint2* q,        // [rows, hidden_size / 8] (8 fp8 each)
           float* scale,    // [rows]
           std::int64_t rows) {
  using layout = layout_of<hidden_size, max_threads>;
  __shared__ float scratch[layout::threads / 32];  // row_max's per-warp partials
  const int lane_in_row = threadIdx.x % layout::threads_per_row;
  const std::int64_t row =
      static_cast<std::int64_t>(blockIdx.x) * layout::rows_per_cta + threadIdx.x / layout::threads_per_row;
  const bool row_exists = row < rows;  // the last CTA may hold fewer rows
  const std::int64_t row_offset = row * layout::vectors;

  uint4 raw[layout::vectors_per_thread];  // this thread's share of the row; all loads first
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      raw[v] = rows::load_streaming(x + row_offset + lane_in_row + v * layout::threads_per_row);
    }
  }
  float values[layout::vectors_per_thread][8];  // the same share in fp32
  float amax = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      rows::unpack(raw[v], values[v]);
#pragma unroll
      for (int i = 0; i < 8; ++i) amax = fmaxf(amax, fabsf(values[v][i]));
    }
  }
  // Every thread of the CTA takes part in the reduction (it may synchronise the CTA).
  const float row_amax = rows::row_max<layout::threads_per_row, layout::warps_per_row>(amax, scratch);
  if (!row_exists) return;
  const float row_scale = fmaxf(row_amax, amax_floor) / fp8_max;
  const float reciprocal = 1.0f / row_scale;  // IEEE (not rcp.approx): torch.reciprocal's value
  if (lane_in_row == 0) scale[row] = row_scale;

#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (layout::has_vector(lane_in_row, v)) {
      float scaled[8];
#pragma unroll
      for (int i = 0; i < 8; ++i) scaled[i] = values[v][i] * reciprocal;
      q[row_offset + lane_in_row + v * layout::threads_per_row] = rows::pack_fp8_e4m3(scaled);
    }
  }
}

}  // namespace solkit::ops::fp8_dynamic_per_token_quant::kernels

namespace solkit {

/// fp8_dynamic_per_token_quant_h{H}: tensors x [token_count, H], q [token_count, H] (fp8),
/// scale [token_count] (fp32); one var axis, token_count. Every pointer 16-byte aligned (one
/// alignment for all tensors: detail::check_arguments); 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fp8_dynamic_per_token_quant_axes>
struct kernel<Definition> {
  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    namespace k = ops::fp8_dynamic_per_token_quant::kernels;
    using layout = k::layout_of<Definition::axes.hidden_size>;
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t rows = arguments.var_axes[0];
    if (rows == 0) return {};
    const auto blocks = static_cast<unsigned>((rows + layout::rows_per_cta - 1) / layout::rows_per_cta);
    k::quant_rows<Definition::axes.hidden_size><<<blocks, layout::threads, 0, stream>>>(
        static_cast<const uint4*>(arguments.tensors[0]), static_cast<uint2*>(arguments.tensors[1]),
        static_cast<float*>(arguments.tensors[2]), rows);
    return detail::launched(Definition::name.view());
  }
};

/// Runs an fp8_dynamic_per_token_quant definition on `token_count` rows: scale = max(amax,
/// 1e-12) / 448 per row, q = fp8_e4m3fn(x * (1 / scale)). Every pointer must be device memory
/// aligned to 16 bytes; token_count 0 launches nothing. Returns why nothing was launched,
/// naming the definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fp8_dynamic_per_token_quant_axes>
launch_status launch_fp8_dynamic_per_token_quant(const __nv_bfloat16* x,  // [token_count, H]
                                                 __nv_fp8_e4m3* q,        // [token_count, H]
                                                 float* scale,            // [token_count]
                                                 std::int64_t token_count, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), q, scale};
  const std::int64_t var_axes[] = {token_count};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
