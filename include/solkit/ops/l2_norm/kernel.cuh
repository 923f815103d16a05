#pragma once
// CUDA kernel of atrex's l2_norm: out = x * rsqrt(sum(x^2) + 1e-6) per row (eps added to the sum
// of squares, no weight), fp32 math, bf16 in and out, one rounding. Memory bound (3 FLOPs per
// 4 bytes), so the design is about bytes: a thread group per row (one warp up to 1024 values,
// wider beyond, so a thread holds at most 4 vectors), each thread issues all of its 16-byte
// loads first and keeps them in registers as raw bf16 (half the registers of fp32, unpacking is
// a shift), one reduction per row, then the row is scaled from registers: every element is read
// once and written once.

#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/l2_norm/definition.hpp"

namespace solkit::ops::l2_norm::kernels {

/// Rows in 256-thread CTAs with at most 4 vectors per thread (rows::four_vector_layout).
template <std::int64_t hidden_size>
using layout_of = rows::four_vector_layout<hidden_size>;

/// out[row] = x[row] * rsqrt(sum(x[row]^2) + eps), rows_per_cta rows per CTA. Each thread reads
/// its elements before it writes them, so out may be x.
template <std::int64_t hidden_size>
__global__ void __launch_bounds__(layout_of<hidden_size>::threads)
l2_norm_rows(const uint4* x,  // [rows, hidden_size / 8] (8 bf16 each)
             uint4* out,      // [rows, hidden_size / 8]
             std::int64_t rows, float eps) {
  using layout = layout_of<hidden_size>;
  __shared__ float scratch[layout::threads / 32];  // [warps]: the cross-warp partial sums
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
  float sum_of_squares = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      float values[8];
      rows::unpack(raw[v], values);
#pragma unroll
      for (int i = 0; i < 8; ++i) sum_of_squares += values[i] * values[i];
    }
  }
  // Every thread of the CTA takes part (the sum may synchronise the CTA), then absent rows leave.
  const float total = rows::row_sum<layout::threads_per_row, layout::warps_per_row>(sum_of_squares, scratch);
  if (!row_exists) return;
  const float inv_norm = rsqrtf(total + eps);
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (layout::has_vector(lane_in_row, v)) {
      float values[8];
      rows::unpack(raw[v], values);
#pragma unroll
      for (int i = 0; i < 8; ++i) values[i] *= inv_norm;
      out[row_offset + lane_in_row + v * layout::threads_per_row] = rows::pack(values);
    }
  }
}

}  // namespace solkit::ops::l2_norm::kernels

namespace solkit {

/// Every l2_norm definition: tensors x, out; one var axis, num_tokens. Pointers 16-byte
/// aligned; 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, l2_norm_axes>
struct kernel<Definition> {
  static constexpr std::int64_t hidden_size = Definition::axes.hidden_size;
  using layout = ops::l2_norm::kernels::layout_of<hidden_size>;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t rows = arguments.var_axes[0];
    if (rows == 0) return {};
    const auto blocks = static_cast<unsigned>((rows + layout::rows_per_cta - 1) / layout::rows_per_cta);
    ops::l2_norm::kernels::l2_norm_rows<hidden_size><<<blocks, layout::threads, 0, stream>>>(
        static_cast<const uint4*>(arguments.tensors[0]), static_cast<uint4*>(arguments.tensors[1]), rows, 1e-6f);
    return detail::launched(Definition::name.view());
  }
};

/// atrex's l2_norm: out = x / sqrt(sum(x^2) + 1e-6) per row. Every pointer must be device memory
/// aligned to 16 bytes; out may be x (in place); num_tokens 0 launches nothing. Returns why
/// nothing was launched, naming the definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, l2_norm_axes>
launch_status launch_l2_norm(const __nv_bfloat16* x,  // [num_tokens, H]
                             __nv_bfloat16* out,      // [num_tokens, H]
                             std::int64_t num_tokens, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), out};
  const std::int64_t var_axes[] = {num_tokens};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
