#pragma once
// CUDA kernel of rotary position embedding from a cos/sin cache (flashinfer-bench's
// rope_with_cos_sin_cache, NeoX and GPT-J styles, partial rotary_dim), and the head rotation
// that fused_qkv_rope and mrope reuse with their own angle sources and head layouts.
//
// Memory bound (6 FLOPs per 4 bytes moved): every q/k byte is read once and written once as
// 16-byte vectors. A head splits into "units" of up to two vectors that rotate only with each
// other: NeoX pairs vector u of the first half of the rotary part with vector u of the second
// half (rotary_dim % 16 == 0, so both halves are whole runs of vectors); GPT-J pairs adjacent
// channels, which a vector always holds together, so unit u is vectors u and u + units; NeoX
// pass-through vectors go two per unit the same way. So each load instruction of a warp covers
// contiguous 16-byte vectors, and threads move equal bytes. A power-of-two group of `lanes`
// threads covers a head's units; a token's threads are `head_groups` such groups, each walking
// heads group, group + head_groups, ...: a thread gets its units' cos/sin once per token (after
// its first heads' loads are issued, so they overlap) and reuses them for every head. NeoX with
// rotary_dim % 16 != 0 (no model uses it) falls back to a thread per whole head. fp32 math in
// the reference's order (products rounded, then the sum: no FMA), one rounding to the output
// type, so results equal the PyTorch reference bit for bit.

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/rope/definition.hpp"

namespace solkit::ops::rope::kernels {

inline constexpr int cta_threads = 256;

/// How threads cover one head of `head_size` channels whose first `rotary_dim` rotate in `style`.
template <rope_style style, std::int64_t head_size, std::int64_t rotary_dim>
struct head_plan {
  static constexpr bool neox = style == rope_style::neox;
  static constexpr int vectors = static_cast<int>(head_size / 8);  // 16-byte vectors of a head
  static constexpr int rotary = static_cast<int>(rotary_dim);
  static constexpr int half = rotary / 2;  // rotation frequencies
  static constexpr bool whole_head = neox && rotary % 16 != 0;
  static constexpr int pass_vectors = vectors - rotary / 8;         // NeoX: after the rotary part
  static constexpr int pass_units = (pass_vectors + 1) / 2;         // NeoX
  static constexpr int gptj_units = (vectors + 1) / 2;
  // Units that rotate (the first ones) and all units.
  static constexpr int rotating_units =
      whole_head ? 1 : neox ? rotary / 16 : std::min(gptj_units, (rotary + 7) / 8);
  static constexpr int units = whole_head ? 1 : neox ? rotating_units + pass_units : gptj_units;
  static constexpr int vectors_per_unit = whole_head ? vectors : 2;
  static constexpr int lanes = [] {
    int n = 1;
    while (n < units && n < 32) n *= 2;
    return n;
  }();
  static constexpr int units_per_lane = (units + lanes - 1) / lanes;
  // Heads a thread loads before its first use: 4 units of 32 bytes in flight per thread.
  static constexpr int heads_per_step = whole_head ? 1 : std::max(1, 4 / units_per_lane);

  /// Index within the head of vector j of `unit`, or -1 where the unit has no such vector.
  __host__ __device__ static constexpr int vector(int unit, int j) {
    if (whole_head) return j;
    if (!neox) return unit + j * gptj_units < vectors ? unit + j * gptj_units : -1;
    if (unit < rotating_units) return unit + j * (rotary / 16);
    const int pass = unit - rotating_units + j * pass_units;
    return pass < pass_vectors ? rotary / 8 + pass : -1;
  }
  /// First of the 4 frequencies whose angles vector j of rotating `unit` needs (NeoX: the two
  /// vectors share 8 frequencies, 4 per element half; GPT-J: vector v holds frequencies 4v..4v+3).
  __host__ __device__ static constexpr int first_frequency(int unit, int j) {
    return neox ? 8 * unit + 4 * j : 4 * vector(unit, j);
  }
};

/// One rotation in the reference's fp32 order: x1 cos - x2 sin, x2 cos + x1 sin.
__device__ __forceinline__ void turn(float& x1, float& x2, float c, float s) {
  const float y1 = __fsub_rn(__fmul_rn(x1, c), __fmul_rn(x2, s));
  const float y2 = __fadd_rn(__fmul_rn(x2, c), __fmul_rn(x1, s));
  x1 = y1;
  x2 = y2;
}

/// Rotates a rotating unit; c[j], s[j]: the angles of its group j of 4 frequencies.
template <class Plan, class T>
__device__ __forceinline__ void rotate_unit(uint4 (&raw)[2], int unit, const float (&c)[2][4],
                                            const float (&s)[2][4]) {
  if constexpr (Plan::neox) {
    float a[8], b[8];  // channels 8 unit + e and 8 unit + e + rotary / 2: frequency 8 unit + e
    rows::unpack<T>(raw[0], a);
    rows::unpack<T>(raw[1], b);
#pragma unroll
    for (int e = 0; e < 8; ++e) turn(a[e], b[e], c[e / 4][e % 4], s[e / 4][e % 4]);
    raw[0] = rows::pack<T>(a);
    raw[1] = rows::pack<T>(b);
  } else {
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      const int v = Plan::vector(unit, j);
      if (v < 0 || 8 * v >= Plan::rotary) continue;  // absent or past the rotary part
      float x[8];
      rows::unpack<T>(raw[j], x);
#pragma unroll
      for (int p = 0; p < 4; ++p) {
        if (8 * v + 2 * p < Plan::rotary) turn(x[2 * p], x[2 * p + 1], c[j][p], s[j][p]);
      }
      raw[j] = rows::pack<T>(x);
    }
  }
}

/// The NeoX fallback for rotary % 16 != 0: the whole head in registers, cos/sin per frequency.
template <class Plan, class T, class Angles>
__device__ __forceinline__ void rotate_head(uint4 (&raw)[Plan::vectors], const Angles& angles) {
  float x[Plan::vectors * 8];  // the head, fp32
#pragma unroll
  for (int v = 0; v < Plan::vectors; ++v) {
    float part[8];
    rows::unpack<T>(raw[v], part);
#pragma unroll
    for (int e = 0; e < 8; ++e) x[8 * v + e] = part[e];
  }
#pragma unroll
  for (int f = 0; f < Plan::half; ++f) {
    const float2 cs = angles.at(f);
    turn(x[f], x[f + Plan::half], cs.x, cs.y);
  }
#pragma unroll
  for (int v = 0; v < Plan::vectors; ++v) {
    float part[8];
#pragma unroll
    for (int e = 0; e < 8; ++e) part[e] = x[8 * v + e];
    raw[v] = rows::pack<T>(part);
  }
}

/// Angles from a cos/sin cache row: `half` cosines, then `half` sines.
template <int half>
struct cache_angles {
  const float* row;  // [2 * half]

  /// Frequencies first .. first + 3 (those below half; the rest read as angle 0). first is a
  /// multiple of 4 below half.
  __device__ void load4(int first, float (&c)[4], float (&s)[4]) const {
    if constexpr (half % 4 == 0) {  // rows and their sine halves 16-byte aligned; first + 4 <= half
      const float4 c4 = __ldg(reinterpret_cast<const float4*>(row + first));
      const float4 s4 = __ldg(reinterpret_cast<const float4*>(row + half + first));
      c[0] = c4.x, c[1] = c4.y, c[2] = c4.z, c[3] = c4.w;
      s[0] = s4.x, s[1] = s4.y, s[2] = s4.z, s[3] = s4.w;
    } else {
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const bool valid = first + e < half;
        c[e] = valid ? __ldg(row + first + e) : 1.0f;
        s[e] = valid ? __ldg(row + half + first + e) : 0.0f;
      }
    }
  }
  __device__ float2 at(int f) const { return {__ldg(row + f), __ldg(row + half + f)}; }
};

/// Rotates every head of every token of `op` (an op's layout: tokens, heads(), rotates(head),
/// in/out(token, head) -> the head's vectors, angles(token) -> load4/at). Each thread: one token,
/// its `lane`'s units, heads group, group + head_groups, ... Reads each head before writing it,
/// so out may be in (in place).
template <class Plan, class T, class Op>
__global__ void __launch_bounds__(cta_threads) rotate_heads(const Op op, int head_groups, int tokens_per_cta) {
  constexpr int lanes = Plan::lanes, per_lane = Plan::units_per_lane, step = Plan::heads_per_step;
  const int lane = threadIdx.x % lanes;
  const int slot = threadIdx.x / lanes;
  const int group = slot % head_groups;
  const std::int64_t token = static_cast<std::int64_t>(blockIdx.x) * tokens_per_cta + slot / head_groups;
  if (token >= op.tokens) return;  // no barrier below: idle threads leave
  const auto angles = op.angles(token);
  float cosines[per_lane][2][4], sines[per_lane][2][4];  // of this thread's units, for every head
  const std::int64_t heads = op.heads();
  for (std::int64_t first = group; first < heads; first += static_cast<std::int64_t>(head_groups) * step) {
    uint4 raw[step][per_lane][Plan::vectors_per_unit];  // [head of step][unit][vector]
#pragma unroll
    for (int i = 0; i < step; ++i) {
      const std::int64_t head = first + static_cast<std::int64_t>(i) * head_groups;
#pragma unroll
      for (int s = 0; s < per_lane; ++s) {
        const int unit = lane + s * lanes;
        if (head >= heads || unit >= Plan::units) continue;
        const uint4* in = op.in(token, head);  // [vectors]
#pragma unroll
        for (int j = 0; j < Plan::vectors_per_unit; ++j) {
          const int v = Plan::vector(unit, j);
          if (v >= 0) raw[i][s][j] = rows::load_streaming(in + v);
        }
      }
    }
    if (first == group && !Plan::whole_head) {  // angles once, while the first loads are in flight
#pragma unroll
      for (int s = 0; s < per_lane; ++s) {
        const int unit = lane + s * lanes;
#pragma unroll
        for (int j = 0; j < 2; ++j) {
          if (unit < Plan::rotating_units && Plan::vector(unit, j) >= 0) {
            angles.load4(Plan::first_frequency(unit, j), cosines[s][j], sines[s][j]);
          }
        }
      }
    }
#pragma unroll
    for (int i = 0; i < step; ++i) {
      const std::int64_t head = first + static_cast<std::int64_t>(i) * head_groups;
#pragma unroll
      for (int s = 0; s < per_lane; ++s) {
        const int unit = lane + s * lanes;
        if (head >= heads || unit >= Plan::units) continue;
        if (op.rotates(head) && unit < Plan::rotating_units) {
          if constexpr (Plan::whole_head) {
            rotate_head<Plan, T>(raw[i][s], angles);
          } else {
            rotate_unit<Plan, T>(raw[i][s], unit, cosines[s], sines[s]);
          }
        }
        uint4* out = op.out(token, head);  // [vectors]
#pragma unroll
        for (int j = 0; j < Plan::vectors_per_unit; ++j) {
          const int v = Plan::vector(unit, j);
          if (v >= 0) out[v] = raw[i][s][j];
        }
      }
    }
  }
}

/// Launches rotate_heads over op.tokens tokens of `heads` heads (both > 0; pointers checked).
/// Few tokens: a thread per step of heads, so all of a token's heads are in flight at once. Many
/// (over about two waves of threads): a thread walks up to 4 steps, sharing its cos/sin among
/// more heads.
template <class Plan, class T, class Op>
void launch_rotation(const Op& op, std::int64_t heads, cudaStream_t stream) {
  constexpr int lanes = Plan::lanes;
  const std::int64_t steps = (heads + Plan::heads_per_step - 1) / Plan::heads_per_step;
  const std::int64_t steps_per_thread = double(op.tokens) * double(steps) * lanes >= 524288.0 ? 4 : 1;  // no overflow
  const int head_groups =
      static_cast<int>(std::min<std::int64_t>((steps + steps_per_thread - 1) / steps_per_thread, cta_threads / lanes));
  const int tokens_per_cta = std::max(1, cta_threads / (lanes * head_groups));
  const auto blocks = static_cast<unsigned>((op.tokens + tokens_per_cta - 1) / tokens_per_cta);
  rotate_heads<Plan, T><<<blocks, lanes * head_groups * tokens_per_cta, 0, stream>>>(op, head_groups, tokens_per_cta);
}

/// Every floating-point tensor of `Definition` is moved as 16-byte vectors; integer ones
/// (positions) are read an element at a time, so check_arguments ran with their alignment.
template <class Definition>
launch_status check_vector_alignment(const kernel_arguments& arguments) {
  constexpr const definition_spec& spec = Definition::spec;
  for (std::size_t t = 0; t < arguments.tensors.size(); ++t) {
    const tensor_spec& tensor = t < spec.inputs.size() ? spec.inputs[t] : spec.outputs[t - spec.inputs.size()];
    if (tensor.type == dtype::int64 || tensor.type == dtype::int32) continue;
    if (launch_status status = detail::check_pointer(Definition::name.view(), tensor.name, arguments.tensors[t], 16);
        !status.ok()) {
      return status;
    }
  }
  return {};
}

/// rope_with_cos_sin_cache's layout: q heads then k heads of each token, angles from the cache
/// row of the token's position.
template <class Plan>
struct cache_rope_op {
  const uint4* q;           // [tokens, qo_heads, vectors]
  const uint4* k;           // [tokens, kv_heads, vectors]
  const float* cache;       // [max_seq_len, rotary]
  const std::int64_t* positions;  // [tokens]
  uint4* q_out;             // [tokens, qo_heads, vectors]
  uint4* k_out;             // [tokens, kv_heads, vectors]
  std::int64_t tokens, max_seq_len, qo_heads, kv_heads;

  __device__ std::int64_t heads() const { return qo_heads + kv_heads; }
  __device__ bool rotates(std::int64_t) const { return true; }
  __device__ std::int64_t offset(std::int64_t token, std::int64_t head) const {
    return (head < qo_heads ? token * qo_heads + head : token * kv_heads + head - qo_heads) * Plan::vectors;
  }
  __device__ const uint4* in(std::int64_t token, std::int64_t head) const {
    return (head < qo_heads ? q : k) + offset(token, head);
  }
  __device__ uint4* out(std::int64_t token, std::int64_t head) const {
    return (head < qo_heads ? q_out : k_out) + offset(token, head);
  }
  __device__ cache_angles<Plan::half> angles(std::int64_t token) const {
    // A position outside [0, max_seq_len) breaks the contract (index_bound); clamping keeps
    // the read inside the cache rather than faulting.
    const std::int64_t position = positions[token];
    const std::int64_t p = position < 0 ? 0 : position >= max_seq_len ? max_seq_len - 1 : position;
    return {cache + p * Plan::rotary};
  }
};

}  // namespace solkit::ops::rope::kernels

namespace solkit {

/// rope_with_cos_sin_cache_{style}_d{head_size}_rd{rotary_dim}: tensors q, k, cos_sin_cache,
/// positions, q_out, k_out; var axes num_tokens, num_qo_heads, num_kv_heads, max_seq_len.
/// q, k, the cache and the outputs 16-byte aligned, positions 8; 0 tokens (or heads) launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, rope_with_cos_sin_cache_axes>
struct kernel<Definition> {
  using plan = ops::rope::kernels::head_plan<Definition::axes.style, Definition::axes.head_size,
                                             Definition::axes.rotary_dim>;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    if (launch_status status = detail::check_arguments<Definition>(arguments, 8); !status.ok()) return status;
    if (launch_status status = ops::rope::kernels::check_vector_alignment<Definition>(arguments); !status.ok()) {
      return status;
    }
    const std::string_view name = Definition::name.view();
    const std::int64_t tokens = arguments.var_axes[0], qo_heads = arguments.var_axes[1];
    const std::int64_t kv_heads = arguments.var_axes[2], max_seq_len = arguments.var_axes[3];
    if (qo_heads + kv_heads > 2147483647) {
      return launch_status::failure(launch_error_code::bad_size, name, "num_kv_heads",
                                    "plus num_qo_heads must be below 2^31");
    }
    if (tokens > 0 && max_seq_len == 0) {
      return launch_status::failure(launch_error_code::bad_size, name, "max_seq_len",
                                    "is 0 while num_tokens is not: no cache row for any position");
    }
    if (tokens == 0 || qo_heads + kv_heads == 0) return {};
    void* const* t = arguments.tensors.data();
    const ops::rope::kernels::cache_rope_op<plan> op{
        static_cast<const uint4*>(t[0]), static_cast<const uint4*>(t[1]), static_cast<const float*>(t[2]),
        static_cast<const std::int64_t*>(t[3]), static_cast<uint4*>(t[4]), static_cast<uint4*>(t[5]),
        tokens, max_seq_len, qo_heads, kv_heads};
    ops::rope::kernels::launch_rotation<plan, __nv_bfloat16>(op, qo_heads + kv_heads, stream);
    return detail::launched(name);
  }

  /// positions index the cache: [0, max_seq_len).
  static std::int64_t index_bound(std::string_view input, std::span<const std::int64_t> var_axes) {
    return input == "positions" ? var_axes[3] : 0;
  }
};

/// Rotates q and k by the cache rows of their tokens' positions (flashinfer's
/// apply_rope_with_cos_sin_cache; in place when q_out == q and k_out == k). Every position must
/// be in [0, max_seq_len). Returns why nothing was launched, naming the definition and argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, rope_with_cos_sin_cache_axes>
launch_status launch_rope_with_cos_sin_cache(const __nv_bfloat16* q,         // [num_tokens, num_qo_heads, head_size]
                                             const __nv_bfloat16* k,         // [num_tokens, num_kv_heads, head_size]
                                             const float* cos_sin_cache,     // [max_seq_len, rotary_dim]
                                             const std::int64_t* positions,  // [num_tokens]
                                             __nv_bfloat16* q_out,           // [num_tokens, num_qo_heads, head_size]
                                             __nv_bfloat16* k_out,           // [num_tokens, num_kv_heads, head_size]
                                             std::int64_t num_tokens, std::int64_t num_qo_heads,
                                             std::int64_t num_kv_heads, std::int64_t max_seq_len,
                                             cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(q), const_cast<__nv_bfloat16*>(k),
                           const_cast<float*>(cos_sin_cache), const_cast<std::int64_t*>(positions), q_out, k_out};
  const std::int64_t var_axes[] = {num_tokens, num_qo_heads, num_kv_heads, max_seq_len};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
