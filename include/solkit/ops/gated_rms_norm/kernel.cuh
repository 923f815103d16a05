#pragma once
// CUDA kernel of atrex's gated_rms_norm (the output norm of a gated delta net, norm before the
// gate): out = x * rsqrt(mean(x^2) + 1e-6) * weight * silu(z) per row, silu(z) = z * sigmoid(z),
// fp32 math, bf16 in and out, one rounding. Memory bound, so the design is about bytes: a thread
// group per row (a half-warp for the head dim 128 of every catalog shape, 16 rows per CTA; at
// most 4 vectors per thread for long rows), each thread issues all of its x and z loads first
// and keeps them in registers as raw bf16, one reduction per row, then the row is scaled and
// gated from registers: every element is read once and written once.

#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/gated_rms_norm/definition.hpp"

namespace solkit::ops::gated_rms_norm::kernels {

/// Rows in 256-thread CTAs with at most 4 vectors per thread (rows::four_vector_layout).
template <std::int64_t hidden_size>
using layout_of = rows::four_vector_layout<hidden_size>;

/// out[row] = x[row] * rsqrt(mean(x[row]^2) + eps) * weight * silu(z[row]), rows_per_cta rows
/// per CTA. Each thread reads its elements before it writes them, so out may be x or z.
template <std::int64_t hidden_size>
__global__ void __launch_bounds__(layout_of<hidden_size>::threads)
gated_rms_norm_rows(const uint4* x,       // [rows, hidden_size / 8] (8 bf16 each)
                    const uint4* weight,  // [hidden_size / 8]
                    const uint4* z,       // [rows, hidden_size / 8]
                    uint4* out,           // [rows, hidden_size / 8]
                    std::int64_t rows, float eps) {
  using layout = layout_of<hidden_size>;
  __shared__ float scratch[layout::threads / 32];  // [warps]: the cross-warp partial sums
  const int lane_in_row = threadIdx.x % layout::threads_per_row;
  const std::int64_t row =
      static_cast<std::int64_t>(blockIdx.x) * layout::rows_per_cta + threadIdx.x / layout::threads_per_row;
  const bool row_exists = row < rows;  // the last CTA may hold fewer rows
  const std::int64_t row_offset = row * layout::vectors;

  uint4 raw_x[layout::vectors_per_thread];  // [vectors_per_thread]: this thread's share of x
  uint4 raw_z[layout::vectors_per_thread];  // [vectors_per_thread]: and of z
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      raw_x[v] = x[row_offset + lane_in_row + v * layout::threads_per_row];
      raw_z[v] = z[row_offset + lane_in_row + v * layout::threads_per_row];
    }
  }
  float sum_of_squares = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      float values[8];
      rows::unpack(raw_x[v], values);
#pragma unroll
      for (int i = 0; i < 8; ++i) sum_of_squares += values[i] * values[i];
    }
  }
  // Every thread of the CTA takes part (the sum may synchronise the CTA), then absent rows leave.
  const float total = rows::row_sum<layout::threads_per_row, layout::warps_per_row>(sum_of_squares, scratch);
  if (!row_exists) return;
  const float inv_rms = rsqrtf(total / static_cast<float>(hidden_size) + eps);
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (layout::has_vector(lane_in_row, v)) {
      float values[8], gate[8], scale[8];
      rows::unpack(raw_x[v], values);
      rows::unpack(raw_z[v], gate);
      rows::unpack(weight[index], scale);
#pragma unroll
      for (int i = 0; i < 8; ++i) {
        // silu(z) = z / (1 + e^-z): for z below about -88 e^-z is inf and the gate is -0, its limit.
        const float silu = gate[i] / (1.0f + __expf(-gate[i]));
        values[i] = values[i] * inv_rms * scale[i] * silu;  // the reference's order, rounded once
      }
      out[row_offset + index] = rows::pack(values);
    }
  }
}

}  // namespace solkit::ops::gated_rms_norm::kernels

namespace solkit {

/// Every gated_rms_norm definition: tensors x, weight, z, out; one var axis, rows. Pointers
/// 16-byte aligned; 0 rows launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, gated_rms_norm_axes>
struct kernel<Definition> {
  static constexpr std::int64_t hidden_size = Definition::axes.hidden_size;
  using layout = ops::gated_rms_norm::kernels::layout_of<hidden_size>;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t rows = arguments.var_axes[0];
    if (rows == 0) return {};
    void* const* t = arguments.tensors.data();
    const auto blocks = static_cast<unsigned>((rows + layout::rows_per_cta - 1) / layout::rows_per_cta);
    ops::gated_rms_norm::kernels::gated_rms_norm_rows<hidden_size><<<blocks, layout::threads, 0, stream>>>(
        static_cast<const uint4*>(t[0]), static_cast<const uint4*>(t[1]), static_cast<const uint4*>(t[2]),
        static_cast<uint4*>(t[3]), rows, 1e-6f);
    return detail::launched(Definition::name.view());
  }
};

/// atrex's gated_rms_norm: out = x / sqrt(mean(x^2) + 1e-6) * weight * silu(z) per row. Every
/// pointer must be device memory aligned to 16 bytes; out may be x or z (in place); rows 0
/// launches nothing. Returns why nothing was launched, naming the definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, gated_rms_norm_axes>
launch_status launch_gated_rms_norm(const __nv_bfloat16* x,       // [rows, H]
                                    const __nv_bfloat16* weight,  // [H]
                                    const __nv_bfloat16* z,       // [rows, H]
                                    __nv_bfloat16* out,           // [rows, H]
                                    std::int64_t rows, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), const_cast<__nv_bfloat16*>(weight),
                           const_cast<__nv_bfloat16*>(z), out};
  const std::int64_t var_axes[] = {rows};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
