#pragma once
// CUDA kernel of fused_rmsnorm_quant (atrex-bench's, aiter's rmsnorm2d_fwd_with_add_dynamicquant,
// with NVIDIA's float8_e4m3fn): per token row of H channels,
//   residual_out = bf16(x + residual)
//   normed       = bf16(residual_out * rsqrt(mean(residual_out^2) + 1e-5) * weight)
//   scale        = amax(|normed|) / 448 (1 for a zero row);  quantized = fp8(normed / scale).
// Memory bound (4 bytes read, 3 written per element), so the design is the row kernels' (see
// solkit/ops/common/row_kernel.cuh and the rmsnorm kernel): a thread group per row holding its
// share of the row in registers as 16-byte vectors, a sum reduction, then the norm and a max
// reduction in registers, then the scaled row: each element read once and written once.
//
// Rounding follows the reference: the sum is rounded to bf16 (it is an output) and the norm
// reads that rounded value; the norm is (r * inv_rms) * weight in fp32 rounded once to bf16
// (nearest even) before its amax; inv_rms = 1 / sqrtf(mean + eps), both IEEE, as torch.rsqrt on
// the CPU (only the sum of squares' order differs from torch's); normed / scale is a true IEEE
// division; fp8 is cvt.rn.satfinite (nearest even, saturating at +-448: the reference's clamp).

#include <concepts>
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/fused_rmsnorm_quant/definition.hpp"

namespace solkit::ops::fused_rmsnorm_quant::kernels {

inline constexpr float fp8_max = 448.0f;  // torch.finfo(torch.float8_e4m3fn).max
inline constexpr float eps = 1e-5f;

/// Threads per row at most (fewer: more 16-byte vectors in flight per thread). 256 measured
/// best on an H100 for H = 2048 and 4096 (128 and 64 were slower: longer serial chains).
inline constexpr int max_threads_per_row = 256;

template <std::int64_t hidden_size, int max_threads = max_threads_per_row>
using layout_of = rows::row_layout<hidden_size / 8, 256, max_threads>;

/// One row per thread group, rows_per_cta rows per CTA. Each thread reads its elements before it
/// writes them, so residual_out may be residual (the production kernels' in-place update).
template <std::int64_t hidden_size, int max_threads = max_threads_per_row>
__global__ void __launch_bounds__(layout_of<hidden_size, max_threads>::threads)
rmsnorm_quant_rows(const uint4* x,         // [rows, hidden_size / 8] (8 bf16 each)
                   const uint4* residual,  // [rows, hidden_size / 8]
                   const uint4* weight,    // [hidden_size / 8]
                   uint2* quantized,       // [rows, hidden_size / 8] (8 fp8 each)
                   float* scale,           // [rows]
                   uint4* residual_out,    // [rows, hidden_size / 8]
                   std::int64_t rows) {
  using layout = layout_of<hidden_size, max_threads>;
  // Separate scratch for the two reductions, so the second needs no barrier before it.
  __shared__ float sum_scratch[layout::threads / 32];
  __shared__ float max_scratch[layout::threads / 32];
  const int lane_in_row = threadIdx.x % layout::threads_per_row;
  const std::int64_t row =
      static_cast<std::int64_t>(blockIdx.x) * layout::rows_per_cta + threadIdx.x / layout::threads_per_row;
  const bool row_exists = row < rows;  // the last CTA may hold fewer rows
  const std::int64_t row_offset = row * layout::vectors;

  // All loads first (weight too: it is L2-resident, but its latency then overlaps the rows').
  uint4 raw_x[layout::vectors_per_thread], raw_residual[layout::vectors_per_thread];
  uint4 raw_weight[layout::vectors_per_thread];
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      raw_x[v] = rows::load_streaming(x + row_offset + index);
      raw_residual[v] = residual[row_offset + index];  // not .nc: residual_out may alias it
      raw_weight[v] = weight[index];
    }
  }
  float values[layout::vectors_per_thread][8];  // this thread's share of the rounded sum, fp32
  float sum_of_squares = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      float added[8];
      rows::unpack(raw_x[v], values[v]);
      rows::unpack(raw_residual[v], added);
#pragma unroll
      for (int i = 0; i < 8; ++i) values[v][i] += added[i];
      const uint4 sum = rows::pack(values[v]);  // bf16(x + residual): the output and the norm's input
      residual_out[row_offset + lane_in_row + v * layout::threads_per_row] = sum;
      rows::unpack(sum, values[v]);
#pragma unroll
      for (int i = 0; i < 8; ++i) sum_of_squares += values[v][i] * values[v][i];
    }
  }
  const float total = rows::row_sum<layout::threads_per_row, layout::warps_per_row>(sum_of_squares, sum_scratch);
  const float inv_rms = 1.0f / sqrtf(total / static_cast<float>(hidden_size) + eps);

  float amax = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      float w[8];
      rows::unpack(raw_weight[v], w);
#pragma unroll
      for (int i = 0; i < 8; ++i) {
        // (r * inv_rms) * weight in fp32, rounded to bf16 before the amax, as the reference.
        values[v][i] = __bfloat162float(__float2bfloat16_rn(values[v][i] * inv_rms * w[i]));
        amax = fmaxf(amax, fabsf(values[v][i]));
      }
    }
  }
  // Every thread of the CTA takes part in both reductions (they may synchronise the CTA).
  const float row_amax = rows::row_max<layout::threads_per_row, layout::warps_per_row>(amax, max_scratch);
  if (!row_exists) return;
  const float row_scale = row_amax == 0.0f ? 1.0f : row_amax / fp8_max;
  if (lane_in_row == 0) scale[row] = row_scale;

#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (layout::has_vector(lane_in_row, v)) {
      float scaled[8];
#pragma unroll
      for (int i = 0; i < 8; ++i) scaled[i] = __fdiv_rn(values[v][i], row_scale);  // a true division
      quantized[row_offset + lane_in_row + v * layout::threads_per_row] = rows::pack_fp8_e4m3(scaled);
    }
  }
}

}  // namespace solkit::ops::fused_rmsnorm_quant::kernels

namespace solkit {

/// fused_rmsnorm_quant_h{H}: tensors x, residual [token_count, H], weight [H], quantized
/// [token_count, H] (fp8), scale [token_count] (fp32), residual_out [token_count, H]; one var
/// axis, token_count. Every pointer 16-byte aligned; 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fused_rmsnorm_quant_axes>
struct kernel<Definition> {
  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    namespace k = ops::fused_rmsnorm_quant::kernels;
    using layout = k::layout_of<Definition::axes.hidden_size>;
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t rows = arguments.var_axes[0];
    if (rows == 0) return {};
    void* const* t = arguments.tensors.data();
    const auto blocks = static_cast<unsigned>((rows + layout::rows_per_cta - 1) / layout::rows_per_cta);
    k::rmsnorm_quant_rows<Definition::axes.hidden_size><<<blocks, layout::threads, 0, stream>>>(
        static_cast<const uint4*>(t[0]), static_cast<const uint4*>(t[1]), static_cast<const uint4*>(t[2]),
        static_cast<uint2*>(t[3]), static_cast<float*>(t[4]), static_cast<uint4*>(t[5]), rows);
    return detail::launched(Definition::name.view());
  }
};

/// Runs a fused_rmsnorm_quant definition on `token_count` rows. residual_out may be residual
/// (in place); quantized and scale must not overlap the inputs. Every pointer must be device
/// memory aligned to 16 bytes; token_count 0 launches nothing. Returns why nothing was
/// launched, naming the definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fused_rmsnorm_quant_axes>
launch_status launch_fused_rmsnorm_quant(const __nv_bfloat16* x,         // [token_count, H]
                                         const __nv_bfloat16* residual,  // [token_count, H]
                                         const __nv_bfloat16* weight,    // [H]
                                         __nv_fp8_e4m3* quantized,       // [token_count, H]
                                         float* scale,                   // [token_count]
                                         __nv_bfloat16* residual_out,    // [token_count, H]
                                         std::int64_t token_count, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), const_cast<__nv_bfloat16*>(residual),
                           const_cast<__nv_bfloat16*>(weight), quantized, scale, residual_out};
  const std::int64_t var_axes[] = {token_count};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
