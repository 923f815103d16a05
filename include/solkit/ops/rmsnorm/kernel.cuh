#pragma once
// CUDA kernels of the RMSNorm family: flashinfer-bench's rmsnorm, fused_add_rmsnorm and their
// Gemma forms (1 + weight, eps 1e-6), the engine-facing in-place fused add (flashinfer's
// fused_add_rmsnorm: hidden_states <- norm, residual <- sum), and atrex's rms_norm and
// fused_add_rms_norm (eps 1e-6; the sum rounded to bf16 before the norm). fp32 math, bf16 in
// and out. Memory bound (about 1 FLOP per byte), so the design is about bytes: a thread group
// per row (several rows per CTA when rows are short), each thread holds its share of the row in
// registers as 16-byte vectors (the hidden size is a compile-time constant, so the register
// array and the loops are sized exactly), one reduction per row, then the row is scaled from
// registers: every element is read once and written once.

#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/fused_add_rms_norm/definition.hpp"
#include "solkit/ops/rms_norm/definition.hpp"
#include "solkit/ops/rmsnorm/definition.hpp"

namespace solkit::ops::rmsnorm::kernels {

/// What a variant does beyond x * rsqrt(mean(x^2) + eps) * weight.
enum variant_flags : int {
  plain = 0,
  fused_add = 1,        // x += residual first
  one_plus_weight = 2,  // scale by (1 + weight) (Gemma)
  write_sum = 4,        // store x + residual (to residual_out, or over residual in place)
  round_sum = 8,        // round x + residual to bf16 before the norm (vLLM / atrex)
};

template <std::int64_t hidden_size>
using layout_of = rows::row_layout<hidden_size / 8>;

/// out[row] = norm(x[row] (+ residual[row])) * weight, rows_per_cta rows per CTA. Each thread
/// reads its elements before it writes them, so out may be x and sum_out may be residual, but
/// then `streaming` must be false: streaming loads take the read-only path (ld.global.nc, no L1
/// allocation) and stores are marked evict-first (st.global.cs), worth about 2% of bandwidth on
/// an H100 (bench/results), and the read-only path is only valid for memory no thread writes.
template <std::int64_t hidden_size, int flags, bool streaming>
__global__ void __launch_bounds__(layout_of<hidden_size>::threads)
rmsnorm_rows(const uint4* x,         // [rows, hidden_size / 8] (8 bf16 each)
             const uint4* residual,  // [rows, hidden_size / 8]; read when fused_add
             const uint4* weight,    // [hidden_size / 8]
             uint4* out,             // [rows, hidden_size / 8]
             uint4* sum_out,         // [rows, hidden_size / 8]; written when write_sum
             std::int64_t rows, float eps) {
  using layout = layout_of<hidden_size>;
  __shared__ float scratch[layout::threads / 32];
  const int lane_in_row = threadIdx.x % layout::threads_per_row;
  const std::int64_t row =
      static_cast<std::int64_t>(blockIdx.x) * layout::rows_per_cta + threadIdx.x / layout::threads_per_row;
  const bool row_exists = row < rows;  // the last CTA may hold fewer rows
  const std::int64_t row_offset = row * layout::vectors;

  float values[layout::vectors_per_thread][8];  // this thread's share of the row, fp32
  // All loads first, so every 16-byte load of the thread is in flight before the first use.
  uint4 raw[layout::vectors_per_thread];
  uint4 raw_residual[(flags & fused_add) ? layout::vectors_per_thread : 1];
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      raw[v] = streaming ? rows::load_streaming(x + row_offset + index) : x[row_offset + index];
      if constexpr ((flags & fused_add) != 0) {
        raw_residual[v] = streaming ? rows::load_streaming(residual + row_offset + index) : residual[row_offset + index];
      }
    }
  }
  float sum_of_squares = 0.0f;
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (row_exists && layout::has_vector(lane_in_row, v)) {
      rows::unpack(raw[v], values[v]);
      if constexpr ((flags & fused_add) != 0) {
        float added[8];
        rows::unpack(raw_residual[v], added);
#pragma unroll
        for (int i = 0; i < 8; ++i) values[v][i] += added[i];
        if constexpr ((flags & (write_sum | round_sum)) != 0) {
          const uint4 sum = rows::pack(values[v]);
          if constexpr ((flags & round_sum) != 0) rows::unpack(sum, values[v]);
          if constexpr ((flags & write_sum) != 0) {
            rows::store<streaming>(sum_out + row_offset + lane_in_row + v * layout::threads_per_row, sum);
          }
        }
      }
#pragma unroll
      for (int i = 0; i < 8; ++i) sum_of_squares += values[v][i] * values[v][i];
    }
  }
  const float total = rows::row_sum<layout::threads_per_row, layout::warps_per_row>(sum_of_squares, scratch);
  if (!row_exists) return;
  const float inv_rms = rsqrtf(total / static_cast<float>(hidden_size) + eps);

#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (layout::has_vector(lane_in_row, v)) {
      float scale[8];
      rows::unpack(weight[index], scale);
      float result[8];
#pragma unroll
      for (int i = 0; i < 8; ++i) {
        // (x * inv_rms) * weight in fp32, rounded once: the references' order.
        const float w = (flags & one_plus_weight) != 0 ? 1.0f + scale[i] : scale[i];
        result[i] = values[v][i] * inv_rms * w;
      }
      rows::store<streaming>(out + row_offset + index, rows::pack(result));
    }
  }
}

/// The row kernel with `flags` over `rows` rows; pointers already checked. Outputs that alias
/// inputs (in place) take the plain-load kernel.
template <std::int64_t hidden_size, int flags>
void launch_rows(const void* x, const void* residual, const void* weight, void* out, void* sum_out,
                 std::int64_t rows, float eps, cudaStream_t stream) {
  using layout = layout_of<hidden_size>;
  const auto blocks = static_cast<unsigned>((rows + layout::rows_per_cta - 1) / layout::rows_per_cta);
  const bool in_place = out == x || (sum_out != nullptr && (sum_out == residual || sum_out == x)) ||
                        (residual != nullptr && out == residual);
  auto* kernel = in_place ? rmsnorm_rows<hidden_size, flags, false> : rmsnorm_rows<hidden_size, flags, true>;
  kernel<<<blocks, layout::threads, 0, stream>>>(static_cast<const uint4*>(x), static_cast<const uint4*>(residual),
                                                 static_cast<const uint4*>(weight), static_cast<uint4*>(out),
                                                 static_cast<uint4*>(sum_out), rows, eps);
}

/// Variant, eps and argument order of each definition of the family. Tensors are in the
/// definition's order: x, [residual,] weight, out[, residual_out].
template <class Axes>
struct family;
template <>
struct family<rmsnorm_axes> { static constexpr int flags = plain; static constexpr float eps = 1e-5f; };
template <>
struct family<gemma_rmsnorm_axes> { static constexpr int flags = one_plus_weight; static constexpr float eps = 1e-6f; };
template <>
struct family<fused_add_rmsnorm_axes> { static constexpr int flags = fused_add; static constexpr float eps = 1e-5f; };
template <>
struct family<gemma_fused_add_rmsnorm_axes> {
  static constexpr int flags = fused_add | one_plus_weight;
  static constexpr float eps = 1e-6f;
};
template <>
struct family<rms_norm_axes> { static constexpr int flags = plain; static constexpr float eps = 1e-6f; };
template <>
struct family<fused_add_rms_norm_axes> {
  static constexpr int flags = fused_add | write_sum | round_sum;
  static constexpr float eps = 1e-6f;
};

template <class Definition>
concept family_member = requires { family<axes_of<Definition>>::flags; };

}  // namespace solkit::ops::rmsnorm::kernels

namespace solkit {

/// Every RMSNorm-family definition: tensors x, [residual,] weight, out[, residual_out]; one var
/// axis, the row count. Pointers 16-byte aligned; 0 rows launches nothing.
template <class Definition>
  requires ops::rmsnorm::kernels::family_member<Definition>
struct kernel<Definition> {
  using family = ops::rmsnorm::kernels::family<axes_of<Definition>>;
  static constexpr bool adds = (family::flags & ops::rmsnorm::kernels::fused_add) != 0;
  static constexpr bool sums = (family::flags & ops::rmsnorm::kernels::write_sum) != 0;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t rows = arguments.var_axes[0];
    if (rows == 0) return {};
    void* const* t = arguments.tensors.data();
    if constexpr (adds) {
      ops::rmsnorm::kernels::launch_rows<Definition::axes.hidden_size, family::flags>(
          t[0], t[1], t[2], t[3], sums ? t[4] : nullptr, rows, family::eps, stream);
    } else {
      ops::rmsnorm::kernels::launch_rows<Definition::axes.hidden_size, family::flags>(
          t[0], nullptr, t[1], t[2], nullptr, rows, family::eps, stream);
    }
    return detail::launched(Definition::name.view());
  }
};

/// Runs an rmsnorm or gemma_rmsnorm definition on `batch_size` rows. Every pointer must be
/// device memory aligned to 16 bytes; output may be hidden_states (in place); batch_size 0
/// launches nothing. Returns why nothing was launched, naming the definition and the argument.
template <class Definition>
  requires(std::same_as<axes_of<Definition>, rmsnorm_axes> ||
           std::same_as<axes_of<Definition>, gemma_rmsnorm_axes>)
launch_status launch_rmsnorm(const __nv_bfloat16* hidden_states,  // [batch_size, H]
                             const __nv_bfloat16* weight,         // [H]
                             __nv_bfloat16* output,               // [batch_size, H]
                             std::int64_t batch_size, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(hidden_states), const_cast<__nv_bfloat16*>(weight), output};
  const std::int64_t var_axes[] = {batch_size};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

/// flashinfer-bench's fused_add_rmsnorm (or its Gemma form): output = norm(hidden_states +
/// residual) * weight; residual is read only.
template <class Definition>
  requires(std::same_as<axes_of<Definition>, fused_add_rmsnorm_axes> ||
           std::same_as<axes_of<Definition>, gemma_fused_add_rmsnorm_axes>)
launch_status launch_fused_add_rmsnorm(const __nv_bfloat16* hidden_states,  // [batch_size, H]
                                       const __nv_bfloat16* residual,       // [batch_size, H]
                                       const __nv_bfloat16* weight,         // [H]
                                       __nv_bfloat16* output,               // [batch_size, H]
                                       std::int64_t batch_size, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(hidden_states), const_cast<__nv_bfloat16*>(residual),
                           const_cast<__nv_bfloat16*>(weight), output};
  const std::int64_t var_axes[] = {batch_size};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

/// The engine-facing fused add of the same definitions, in place as flashinfer's
/// fused_add_rmsnorm: residual <- bf16(hidden_states + residual); hidden_states <- the norm of
/// the fp32 sum times weight. One pass: each row is read once and both results written once.
template <class Definition>
  requires(std::same_as<axes_of<Definition>, fused_add_rmsnorm_axes> ||
           std::same_as<axes_of<Definition>, gemma_fused_add_rmsnorm_axes>)
launch_status launch_fused_add_rmsnorm_inplace(__nv_bfloat16* hidden_states,  // [batch_size, H] in: x, out: norm
                                               __nv_bfloat16* residual,       // [batch_size, H] in: r, out: x + r
                                               const __nv_bfloat16* weight,   // [H]
                                               std::int64_t batch_size, cudaStream_t stream = nullptr) {
  void* const tensors[] = {hidden_states, residual, const_cast<__nv_bfloat16*>(weight), hidden_states};
  const std::int64_t var_axes[] = {batch_size};
  if (launch_status status = detail::check_arguments<Definition>({tensors, var_axes}, 16); !status.ok()) return status;
  if (batch_size == 0) return {};
  using family = ops::rmsnorm::kernels::family<axes_of<Definition>>;
  ops::rmsnorm::kernels::launch_rows<Definition::axes.hidden_size, family::flags | ops::rmsnorm::kernels::write_sum>(
      hidden_states, residual, weight, hidden_states, residual, batch_size, family::eps, stream);
  return detail::launched(Definition::name.view());
}

/// atrex's rms_norm: out = x / sqrt(mean(x^2) + 1e-6) * weight.
template <class Definition>
  requires std::same_as<axes_of<Definition>, rms_norm_axes>
launch_status launch_rms_norm(const __nv_bfloat16* x,       // [token_count, H]
                              const __nv_bfloat16* weight,  // [H]
                              __nv_bfloat16* out,           // [token_count, H]
                              std::int64_t token_count, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), const_cast<__nv_bfloat16*>(weight), out};
  const std::int64_t var_axes[] = {token_count};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

/// atrex's (vLLM's) fused_add_rms_norm: residual_out = bf16(x + residual); out = the norm of
/// that rounded sum. residual_out may be residual and out may be x (vLLM's in-place form).
template <class Definition>
  requires std::same_as<axes_of<Definition>, fused_add_rms_norm_axes>
launch_status launch_fused_add_rms_norm(const __nv_bfloat16* x,         // [token_count, H]
                                        const __nv_bfloat16* residual,  // [token_count, H]
                                        const __nv_bfloat16* weight,    // [H]
                                        __nv_bfloat16* out,             // [token_count, H]
                                        __nv_bfloat16* residual_out,    // [token_count, H]
                                        std::int64_t token_count, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), const_cast<__nv_bfloat16*>(residual),
                           const_cast<__nv_bfloat16*>(weight), out, residual_out};
  const std::int64_t var_axes[] = {token_count};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
