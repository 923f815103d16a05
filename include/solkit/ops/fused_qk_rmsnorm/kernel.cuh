#pragma once
// CUDA kernel of atrex's fused_qk_rmsnorm (rtp-llm's fusedQkRmsNorm): each token's fp16 row is
// [q heads | k heads | v heads] of head_dim; every q head becomes fp16(q_weight * fp16(x *
// rsqrt(mean(x^2) + 1e-6))), every k head the same with k_weight, v heads are copied. fp32 math
// with the two fp16 roundings of the reference. Memory bound, so the design is about bytes: a
// head is the unit of work, a thread group per head (16 threads of one 16-byte vector each for
// head_dim 128, 16 heads per CTA), all loads issued before the reduction, one reduction per
// head, then the head is written from registers: every element is read once and written once.
// The definition's form writes a new tensor (v copied); the in-place launcher skips v entirely.

#include <concepts>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/fused_qk_rmsnorm/definition.hpp"

namespace solkit::ops::fused_qk_rmsnorm::kernels {

/// Threads per head: at most a warp while a thread holds at most 4 vectors, then doubling
/// (head_dim 128: 16 threads of one vector, 16 heads per CTA).
constexpr int max_threads_per_row(std::int64_t vectors) {
  int threads = 32;
  while (threads < 256 && vectors > 4 * threads) threads *= 2;
  return threads;
}

template <std::int64_t head_dim>
using layout_of = rows::row_layout<head_dim / 8, 256, max_threads_per_row(head_dim / 8)>;

/// Normalises the q and k heads of `tokens` rows, rows_per_cta heads per CTA; with copy_v the
/// v heads are copied to out, without it they are not visited (out is hidden_states). Each
/// thread reads its elements before it writes them, so out may be hidden_states.
template <std::int64_t q_heads, std::int64_t kv_heads, std::int64_t head_dim, bool copy_v>
__global__ void __launch_bounds__(layout_of<head_dim>::threads)
qk_rms_norm_heads(const uint4* hidden_states,  // [tokens, (q_heads + 2 kv_heads) * head_dim / 8] (8 fp16 each)
                  const uint4* q_weight,       // [head_dim / 8]
                  const uint4* k_weight,       // [head_dim / 8]
                  uint4* out,                  // [tokens, (q_heads + 2 kv_heads) * head_dim / 8]
                  std::int64_t heads, float eps) {  // heads: tokens * heads_per_token
  using layout = layout_of<head_dim>;
  constexpr std::int64_t heads_per_token = q_heads + kv_heads + (copy_v ? kv_heads : 0);
  constexpr std::int64_t row_vectors = (q_heads + 2 * kv_heads) * layout::vectors;
  __shared__ float scratch[layout::threads / 32];  // [warps]: the cross-warp partial sums
  const int lane_in_row = threadIdx.x % layout::threads_per_row;
  const std::int64_t head =
      static_cast<std::int64_t>(blockIdx.x) * layout::rows_per_cta + threadIdx.x / layout::threads_per_row;
  const bool head_exists = head < heads;  // the last CTA may hold fewer heads
  const std::int64_t head_in_token = head % heads_per_token;  // q heads, then k heads, then v heads
  const std::int64_t head_offset = head / heads_per_token * row_vectors + head_in_token * layout::vectors;

  uint4 raw[layout::vectors_per_thread];  // [vectors_per_thread]: this thread's share of the head
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (head_exists && layout::has_vector(lane_in_row, v)) {
      raw[v] = hidden_states[head_offset + lane_in_row + v * layout::threads_per_row];
    }
  }
  float sum_of_squares = 0.0f;  // a v head's is computed and ignored: the sum is CTA-wide work
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    if (head_exists && layout::has_vector(lane_in_row, v)) {
      float values[8];
      rows::unpack<__half>(raw[v], values);
#pragma unroll
      for (int i = 0; i < 8; ++i) sum_of_squares += values[i] * values[i];
    }
  }
  // Every thread of the CTA takes part (the sum may synchronise the CTA), then absent heads leave.
  const float total = rows::row_sum<layout::threads_per_row, layout::warps_per_row>(sum_of_squares, scratch);
  if (!head_exists) return;
  if (copy_v && head_in_token >= q_heads + kv_heads) {
#pragma unroll
    for (int v = 0; v < layout::vectors_per_thread; ++v) {
      if (layout::has_vector(lane_in_row, v)) out[head_offset + lane_in_row + v * layout::threads_per_row] = raw[v];
    }
    return;
  }
  const uint4* weight = head_in_token < q_heads ? q_weight : k_weight;  // [head_dim / 8]
  const float inv_rms = rsqrtf(total / static_cast<float>(head_dim) + eps);
#pragma unroll
  for (int v = 0; v < layout::vectors_per_thread; ++v) {
    const int index = lane_in_row + v * layout::threads_per_row;
    if (layout::has_vector(lane_in_row, v)) {
      float values[8], scale[8];
      rows::unpack<__half>(raw[v], values);
      rows::unpack<__half>(weight[index], scale);
#pragma unroll
      for (int i = 0; i < 8; ++i) {
        // The reference's two roundings: the normalised value to fp16, then weight * it to fp16.
        const float normed = __half2float(__float2half_rn(values[i] * inv_rms));
        values[i] = scale[i] * normed;
      }
      out[head_offset + index] = rows::pack<__half>(values);
    }
  }
}

/// The head kernel over `tokens` tokens; pointers already checked, tokens > 0. Refuses a token
/// count whose grid would not fit in one launch (far beyond any device's memory).
template <class Definition, bool copy_v>
launch_status launch_heads(const void* hidden_states, const void* q_weight, const void* k_weight, void* out,
                           std::int64_t tokens, cudaStream_t stream) {
  constexpr fused_qk_rmsnorm_axes axes = Definition::axes;
  using layout = layout_of<axes.head_dim>;
  const std::int64_t heads = tokens * (axes.num_qo_heads + axes.num_kv_heads + (copy_v ? axes.num_kv_heads : 0));
  const std::int64_t blocks = (heads + layout::rows_per_cta - 1) / layout::rows_per_cta;
  if (blocks > std::numeric_limits<std::int32_t>::max()) {
    return launch_status::failure(launch_error_code::bad_size, Definition::name.view(), "num_tokens",
                                  "is " + std::to_string(tokens) + "; its heads do not fit in one grid");
  }
  qk_rms_norm_heads<axes.num_qo_heads, axes.num_kv_heads, axes.head_dim, copy_v>
      <<<static_cast<unsigned>(blocks), layout::threads, 0, stream>>>(
          static_cast<const uint4*>(hidden_states), static_cast<const uint4*>(q_weight),
          static_cast<const uint4*>(k_weight), static_cast<uint4*>(out), heads, 1e-6f);
  return detail::launched(Definition::name.view());
}

}  // namespace solkit::ops::fused_qk_rmsnorm::kernels

namespace solkit {

/// Every fused_qk_rmsnorm definition: tensors hidden_states, q_weight, k_weight, out; one var
/// axis, num_tokens. Pointers 16-byte aligned; 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fused_qk_rmsnorm_axes>
struct kernel<Definition> {
  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t tokens = arguments.var_axes[0];
    if (tokens == 0) return {};
    void* const* t = arguments.tensors.data();
    return ops::fused_qk_rmsnorm::kernels::launch_heads<Definition, true>(t[0], t[1], t[2], t[3], tokens, stream);
  }
};

/// atrex's fused_qk_rmsnorm into a new tensor: out = [norm(q heads) | norm(k heads) | v heads].
/// Every pointer must be device memory aligned to 16 bytes; out may be hidden_states;
/// num_tokens 0 launches nothing. Returns why nothing was launched, naming the definition and
/// the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fused_qk_rmsnorm_axes>
launch_status launch_fused_qk_rmsnorm(const __half* hidden_states,  // [num_tokens, (Hq + 2 Hkv) D]
                                      const __half* q_weight,       // [D]
                                      const __half* k_weight,       // [D]
                                      __half* out,                  // [num_tokens, (Hq + 2 Hkv) D]
                                      std::int64_t num_tokens, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__half*>(hidden_states), const_cast<__half*>(q_weight),
                           const_cast<__half*>(k_weight), out};
  const std::int64_t var_axes[] = {num_tokens};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

/// The engine-facing in-place form (rtp-llm's): the q and k heads of hidden_states are
/// normalised where they lie and the v heads are neither read nor written: Hkv of every
/// Hq + 2 Hkv heads' bytes saved each way against the copying form.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fused_qk_rmsnorm_axes>
launch_status launch_fused_qk_rmsnorm_inplace(__half* hidden_states,    // [num_tokens, (Hq + 2 Hkv) D] in: qkv, out: normed q, k
                                              const __half* q_weight,  // [D]
                                              const __half* k_weight,  // [D]
                                              std::int64_t num_tokens, cudaStream_t stream = nullptr) {
  void* const tensors[] = {hidden_states, const_cast<__half*>(q_weight), const_cast<__half*>(k_weight),
                           hidden_states};
  const std::int64_t var_axes[] = {num_tokens};
  if (launch_status status = detail::check_arguments<Definition>({tensors, var_axes}, 16); !status.ok()) return status;
  if (num_tokens == 0) return {};
  return ops::fused_qk_rmsnorm::kernels::launch_heads<Definition, false>(hidden_states, q_weight, k_weight,
                                                                         hidden_states, num_tokens, stream);
}

}  // namespace solkit
