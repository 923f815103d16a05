#pragma once
// CUDA kernel of multimodal rotary embedding (atrex-bench's mrope: Qwen2-VL / Qwen2.5-VL /
// Qwen3-VL): the rope op type's head rotation (solkit/ops/rope/kernel.cuh: 16-byte vectors, a
// thread's cos/sin loaded once per token and reused for every head, fp32 math in the
// reference's order, one rounding to bf16), with each frequency's cos and sin read from the
// position stream (temporal, height, width) its section assigns it. Contiguous sections keep a
// group of 4 frequencies in one stream when the section borders are multiples of 4 (atrex's
// 16/24/24), so they load as 16-byte vectors; otherwise, and for interleaved sections, they
// load one float at a time (still once per token, not per head).

#include <concepts>
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/mrope/definition.hpp"
#include "solkit/ops/rope/kernel.cuh"

namespace solkit::ops::mrope::kernels {

/// Angles of one token: frequency f's cos and sin from stream stream_of(f) of cos and sin.
template <mrope_axes A>
struct section_angles {
  static constexpr int half = static_cast<int>(A.rotary_dim / 2);
  const float* cos;            // [3, tokens, half], at [0, token, 0]
  const float* sin;            // [3, tokens, half], at [0, token, 0]
  std::int64_t stream_stride;  // tokens * half: from one stream to the next

  /// Position stream (0 temporal, 1 height, 2 width) of frequency f, as the reference's _stream_of.
  __host__ __device__ static constexpr int stream_of(int f) {
    if constexpr (A.interleaved) {
      if (f % 3 == 1 && f < 3 * A.section_h) return 1;
      if (f % 3 == 2 && f < 3 * A.section_w) return 2;
      return 0;
    } else {
      return f < A.section_t ? 0 : f < A.section_t + A.section_h ? 1 : 2;
    }
  }

  /// Every group of 4 frequencies lies in one stream, 16-byte aligned: contiguous sections
  /// whose borders are multiples of 4 (atrex's 16/24/24).
  static constexpr bool aligned_groups =
      !A.interleaved && half % 4 == 0 && A.section_t % 4 == 0 && A.section_h % 4 == 0;

  /// Frequencies first .. first + 3 (those below half; the rest read as angle 0). first is a
  /// multiple of 4 below half.
  __device__ void load4(int first, float (&c)[4], float (&s)[4]) const {
    if constexpr (aligned_groups) {
      const std::int64_t offset = stream_of(first) * stream_stride + first;
      const float4 c4 = __ldg(reinterpret_cast<const float4*>(cos + offset));
      const float4 s4 = __ldg(reinterpret_cast<const float4*>(sin + offset));
      c[0] = c4.x, c[1] = c4.y, c[2] = c4.z, c[3] = c4.w;
      s[0] = s4.x, s[1] = s4.y, s[2] = s4.z, s[3] = s4.w;
    } else {
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const float2 cs = first + e < half ? at(first + e) : float2{1.0f, 0.0f};
        c[e] = cs.x;
        s[e] = cs.y;
      }
    }
  }
  __device__ float2 at(int f) const {
    const std::int64_t offset = stream_of(f) * stream_stride + f;
    return {__ldg(cos + offset), __ldg(sin + offset)};
  }
};

/// mrope's layout: the q heads then the k heads of each token, rows [tokens, heads * head_size].
template <class Plan, mrope_axes A>
struct mrope_op {
  static constexpr std::int64_t q_heads = A.num_query_heads, kv_heads = A.num_kv_heads;
  const uint4* q;      // [tokens, q_heads, vectors]
  const uint4* k;      // [tokens, kv_heads, vectors]
  const float* cos;    // [3, tokens, half]
  const float* sin;    // [3, tokens, half]
  uint4* q_out;        // [tokens, q_heads, vectors]
  uint4* k_out;        // [tokens, kv_heads, vectors]
  std::int64_t tokens;

  __device__ static constexpr std::int64_t heads() { return q_heads + kv_heads; }
  __device__ static constexpr bool rotates(std::int64_t) { return true; }
  __device__ static std::int64_t offset(std::int64_t token, std::int64_t head) {
    return (head < q_heads ? token * q_heads + head : token * kv_heads + head - q_heads) * Plan::vectors;
  }
  __device__ const uint4* in(std::int64_t token, std::int64_t head) const {
    return (head < q_heads ? q : k) + offset(token, head);
  }
  __device__ uint4* out(std::int64_t token, std::int64_t head) const {
    return (head < q_heads ? q_out : k_out) + offset(token, head);
  }
  __device__ section_angles<A> angles(std::int64_t token) const {
    constexpr int half = section_angles<A>::half;
    return {cos + token * half, sin + token * half, tokens * half};
  }
};

}  // namespace solkit::ops::mrope::kernels

namespace solkit {

/// mrope[_interleaved]_{style}_h{HQ}_kv{KV}_d{D}_rd{RD}_sec{t}_{h}_{w}: tensors q, k, cos, sin,
/// q_out, k_out; one var axis, token_count. Pointers 16-byte aligned; 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, mrope_axes>
struct kernel<Definition> {
  static constexpr mrope_axes axes = Definition::axes;
  using plan = ops::rope::kernels::head_plan<axes.style, axes.head_size, axes.rotary_dim>;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t tokens = arguments.var_axes[0];
    if (tokens == 0) return {};
    void* const* t = arguments.tensors.data();
    const ops::mrope::kernels::mrope_op<plan, axes> op{
        static_cast<const uint4*>(t[0]), static_cast<const uint4*>(t[1]), static_cast<const float*>(t[2]),
        static_cast<const float*>(t[3]), static_cast<uint4*>(t[4]),       static_cast<uint4*>(t[5]),
        tokens};
    ops::rope::kernels::launch_rotation<plan, __nv_bfloat16>(op, op.q_heads + op.kv_heads, stream);
    return detail::launched(Definition::name.view());
  }
};

/// Rotates q and k of `token_count` tokens by their per-stream cos and sin (atrex's mrope; in
/// place when q_out == q and k_out == k). Returns why nothing was launched, naming the
/// definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, mrope_axes>
launch_status launch_mrope(const __nv_bfloat16* q,  // [token_count, num_query_heads * head_size]
                           const __nv_bfloat16* k,  // [token_count, num_kv_heads * head_size]
                           const float* cos,        // [3, token_count, rotary_dim / 2]
                           const float* sin,        // [3, token_count, rotary_dim / 2]
                           __nv_bfloat16* q_out,    // [token_count, num_query_heads * head_size]
                           __nv_bfloat16* k_out,    // [token_count, num_kv_heads * head_size]
                           std::int64_t token_count, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(q), const_cast<__nv_bfloat16*>(k), const_cast<float*>(cos),
                           const_cast<float*>(sin), q_out, k_out};
  const std::int64_t var_axes[] = {token_count};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
