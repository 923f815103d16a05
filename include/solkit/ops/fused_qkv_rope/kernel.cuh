#pragma once
// CUDA kernel of atrex-bench's fused_qkv_rope: split a packed qkv row into q, k and v heads and
// rotate q and k NeoX style over their first rope_dim channels, with angles computed from the
// position (base 10000, no cache). The rope op type's head rotation (solkit/ops/rope/kernel.cuh)
// over the row's H + 2 KV heads, where only the first H + KV rotate and each head goes to its
// own output tensor: 16-byte vectors, every byte read once and written once, fp32 math in the
// reference's order, one rounding to bf16 or fp16.
//
// Angles follow the reference op for op: inv_freq = 1 / powf(10000, fl(2i / rope_dim)), angle =
// fl(float(position) * inv_freq), then precise sincosf (positions reach tens of thousands of
// radians, where the fast __sinf is useless). A thread computes its 8 frequencies once per
// token, while its first heads load, and reuses them for all the heads it rotates.

#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/fused_qkv_rope/definition.hpp"
#include "solkit/ops/rope/kernel.cuh"

namespace solkit::ops::fused_qkv_rope::kernels {

/// Angles of one token computed from its position.
template <int rope_dim>
struct computed_angles {
  static constexpr int half = rope_dim / 2;
  float position;

  /// cos and sin of frequency f: as the reference, 1 / 10000^(2f / rope_dim) in fp32 steps.
  __device__ static float2 of(float position, int f) {
    const float exponent = __fdiv_rn(static_cast<float>(2 * f), static_cast<float>(rope_dim));
    const float inv_freq = __fdiv_rn(1.0f, powf(10000.0f, exponent));
    float s, c;
    sincosf(__fmul_rn(position, inv_freq), &s, &c);
    return {c, s};
  }
  /// Frequencies first .. first + 3 (those below half; the rest read as angle 0).
  __device__ void load4(int first, float (&c)[4], float (&s)[4]) const {
#pragma unroll
    for (int e = 0; e < 4; ++e) {
      const float2 cs = first + e < half ? of(position, first + e) : float2{1.0f, 0.0f};
      c[e] = cs.x;
      s[e] = cs.y;
    }
  }
  __device__ float2 at(int f) const { return of(position, f); }
};

/// The packed row's heads: H q heads, KV k heads, KV v heads; the first H + KV rotate.
template <class Plan, fused_qkv_rope_axes A>
struct packed_qkv_op {
  static constexpr std::int64_t q_heads = A.num_heads, kv_heads = A.num_kv_heads;
  const uint4* qkv;          // [tokens, q_heads + 2 kv_heads, vectors]
  const std::int32_t* positions;  // [tokens]
  uint4* q;                  // [tokens, q_heads, vectors]
  uint4* k;                  // [tokens, kv_heads, vectors]
  uint4* v;                  // [tokens, kv_heads, vectors]
  std::int64_t tokens;

  __device__ static constexpr std::int64_t heads() { return q_heads + 2 * kv_heads; }
  __device__ static constexpr bool rotates(std::int64_t head) { return head < q_heads + kv_heads; }
  __device__ const uint4* in(std::int64_t token, std::int64_t head) const {
    return qkv + (token * heads() + head) * Plan::vectors;
  }
  __device__ uint4* out(std::int64_t token, std::int64_t head) const {
    if (head < q_heads) return q + (token * q_heads + head) * Plan::vectors;
    if (head < q_heads + kv_heads) return k + (token * kv_heads + head - q_heads) * Plan::vectors;
    return v + (token * kv_heads + head - q_heads - kv_heads) * Plan::vectors;
  }
  __device__ computed_angles<Plan::rotary> angles(std::int64_t token) const {
    return {static_cast<float>(positions[token])};
  }
};

/// Positions the benchmark draws: [0, 32768), a 32k context. Any int32 works (angles are
/// computed, not looked up); sincosf takes a slower exact path past about 1e5 radians.
inline constexpr std::int64_t position_bound = 32768;

}  // namespace solkit::ops::fused_qkv_rope::kernels

namespace solkit {

/// fused_qkv_rope_h{H}_kv{KV}_d{D}_rd{RD}_{bf16,fp16}: tensors qkv, positions, q, k, v; one var
/// axis, total_tokens. qkv, q, k, v 16-byte aligned, positions 4; 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, fused_qkv_rope_axes>
struct kernel<Definition> {
  static constexpr fused_qkv_rope_axes axes = Definition::axes;
  using plan = ops::rope::kernels::head_plan<rope_style::neox, axes.head_dim, axes.rope_dim>;
  using element = std::conditional_t<axes.element_type == dtype::bfloat16, __nv_bfloat16, __half>;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 4); !status.ok()) return status;
    if (launch_status status = ops::rope::kernels::check_vector_alignment<Definition>(arguments); !status.ok()) {
      return status;
    }
    const std::int64_t tokens = arguments.var_axes[0];
    if (tokens == 0) return {};
    void* const* t = arguments.tensors.data();
    const ops::fused_qkv_rope::kernels::packed_qkv_op<plan, axes> op{
        static_cast<const uint4*>(t[0]), static_cast<const std::int32_t*>(t[1]), static_cast<uint4*>(t[2]),
        static_cast<uint4*>(t[3]), static_cast<uint4*>(t[4]), tokens};
    ops::rope::kernels::launch_rotation<plan, element>(op, op.heads(), stream);
    return detail::launched(Definition::name.view());
  }

  /// positions: [0, 32768) (any int32 is valid; this is what the benchmark draws).
  static std::int64_t index_bound(std::string_view input, std::span<const std::int64_t>) {
    return input == "positions" ? ops::fused_qkv_rope::kernels::position_bound : 0;
  }
};

/// Splits each packed row into q, k and v and rotates q and k by the token's position (atrex's
/// fused_qkv_rope). `Element`, deduced from qkv, is the definition's element type
/// (__nv_bfloat16 or __half).
/// Returns why nothing was launched, naming the definition and the argument.
template <class Definition, class Element>
  requires std::same_as<axes_of<Definition>, fused_qkv_rope_axes> &&
           std::same_as<Element, typename kernel<Definition>::element>
launch_status launch_fused_qkv_rope(const Element* qkv,            // [total_tokens, (H + 2 KV) * D]
                                    const std::int32_t* positions,  // [total_tokens]
                                    std::type_identity_t<Element>* q,  // [total_tokens, H, D]
                                    std::type_identity_t<Element>* k,  // [total_tokens, KV, D]
                                    std::type_identity_t<Element>* v,  // [total_tokens, KV, D]
                                    std::int64_t total_tokens, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<Element*>(qkv), const_cast<std::int32_t*>(positions), q, k, v};
  const std::int64_t var_axes[] = {total_tokens};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
