#pragma once
// CUDA kernel of atrex's layer_norm: out = (x - mean) * rsqrt(var + 1e-5) * weight + bias per
// row, var the biased variance of the centred values (two passes over registers, not the
// one-pass E[x^2] - mean^2 that loses precision when the mean is large), fp32 math, bf16 in and
// out, one rounding. Memory bound, so the design is about bytes: a thread group per row (one
// warp up to 1024 values, wider beyond, so a thread holds at most 4 vectors), each thread issues
// all of its 16-byte loads first and keeps them in registers as raw bf16, two reductions per row
// (mean, then centred squares), then the row is written from registers: every element is read
// once and written once.

#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/layer_norm/definition.hpp"

namespace solkit::ops::layer_norm::kernels {

/// Rows in 256-thread CTAs with at most 4 vectors per thread (rows::four_vector_layout).
template <std::int64_t hidden_size>
using layout_of = rows::four_vector_layout<hidden_size>;

/// out[row] = (x[row] - mean) * rsqrt(var + eps) * weight + bias, rows_per_cta rows per CTA.
/// Each thread reads its elements before it writes them, so out may be x.
template <std::int64_t hidden_size>
__global__ void __launch_bounds__(layout_of<hidden_size>::threads)
layer_norm_rows(const uint4* x,       // [rows, hidden_size / 8] (8 bf16 each)
                const uint4* weight,  // [hidden_size / 8]
                const uint4* bias,    // [hidden_size / 8]
                uint4* out,           // [rows, hidden_size / 8]
                std::int64_t rows, float eps) {
  using layout = layout_of<hidden_size>;
  // [2][warps]: one array per reduction, so the second needs no barrier before it reuses one.
  __shared__ float scratch[2][layout::threads / 32];
  const int lane_in_row = threadIdx.x % layout::threads_per_row;
  const std::int64_t row =
      static_cast<std::int64_t>(blockIdx.x) * layout::rows_per_cta + threadIdx.x / layout::threads_per_row;
  const bool row_exists = row < rows;  // the last CTA may hold fewer rows
  const std::int64_t row_offset = row * layout::vectors;

  uint4 raw[layout::vectors_per_thread];  // [vectors_per_thread]: this thread's share of the row
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) raw[v] = x[row_offset + lane_in_row + v * layout::threads_per_row];
  }
  float sum = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      float values[8];
      rows::unpack(raw[v], values);
#pragma unroll
      for (int i = 0; i < 8; ++i) sum += values[i];
    }
  }
  // Every thread of the CTA takes part in both sums (they may synchronise the CTA).
  const float mean = rows::row_sum<layout::threads_per_row, layout::warps_per_row>(sum, scratch[0]) /
                     static_cast<float>(hidden_size);
  float centred_squares = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      float values[8];
      rows::unpack(raw[v], values);
#pragma unroll
      for (int i = 0; i < 8; ++i) centred_squares += (values[i] - mean) * (values[i] - mean);
    }
  }
  const float variance =
      rows::row_sum<layout::threads_per_row, layout::warps_per_row>(centred_squares, scratch[1]) /
      static_cast<float>(hidden_size);
  if (!row_exists) return;
  const float inv_std = rsqrtf(variance + eps);
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (layout::has_vector(lane_in_row, v)) {
      float values[8], scale[8], shift[8];
      rows::unpack(raw[v], values);
      rows::unpack(weight[index], scale);
      rows::unpack(bias[index], shift);
#pragma unroll
      for (int i = 0; i < 8; ++i) values[i] = fmaf((values[i] - mean) * inv_std, scale[i], shift[i]);
      out[row_offset + index] = rows::pack(values);
    }
  }
}

}  // namespace solkit::ops::layer_norm::kernels

namespace solkit {

/// Every layer_norm definition: tensors x, weight, bias, out; one var axis, num_rows. Pointers
/// 16-byte aligned; 0 rows launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, layer_norm_axes>
struct kernel<Definition> {
  static constexpr std::int64_t hidden_size = Definition::axes.hidden_size;
  using layout = ops::layer_norm::kernels::layout_of<hidden_size>;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t rows = arguments.var_axes[0];
    if (rows == 0) return {};
    void* const* t = arguments.tensors.data();
    const auto blocks = static_cast<unsigned>((rows + layout::rows_per_cta - 1) / layout::rows_per_cta);
    ops::layer_norm::kernels::layer_norm_rows<hidden_size><<<blocks, layout::threads, 0, stream>>>(
        static_cast<const uint4*>(t[0]), static_cast<const uint4*>(t[1]), static_cast<const uint4*>(t[2]),
        static_cast<uint4*>(t[3]), rows, 1e-5f);
    return detail::launched(Definition::name.view());
  }
};

/// atrex's layer_norm: out = (x - mean) / sqrt(var + 1e-5) * weight + bias per row (x's leading
/// dims flattened into num_rows). Every pointer must be device memory aligned to 16 bytes; out
/// may be x (in place); num_rows 0 launches nothing. Returns why nothing was launched, naming
/// the definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, layer_norm_axes>
launch_status launch_layer_norm(const __nv_bfloat16* x,       // [num_rows, H]
                                const __nv_bfloat16* weight,  // [H]
                                const __nv_bfloat16* bias,    // [H]
                                __nv_bfloat16* out,           // [num_rows, H]
                                std::int64_t num_rows, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), const_cast<__nv_bfloat16*>(weight),
                           const_cast<__nv_bfloat16*>(bias), out};
  const std::int64_t var_axes[] = {num_rows};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
