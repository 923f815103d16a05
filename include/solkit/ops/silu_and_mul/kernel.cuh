#pragma once
// CUDA kernel of silu_and_mul (atrex-bench's, vLLM's activation of gated MLPs): x [T, 2d] holds
// the gate (first d channels) and the up projection (next d) of each token; out [T, d] =
// bf16(bf16(silu(gate)) * up), fp32 math. An element-wise op with no reduction, so rows play no
// part in the schedule: the grid walks the T * d / 8 output vectors (16 bytes, 8 bf16) as one
// flat range, each thread taking `vectors_per_thread` of them a CTA width apart (coalesced), and
// issuing all its gate and up loads before the first use. d is a compile-time constant, so the
// split of a flat index into (token, column) is a multiply by a constant, not a division.
//
// Rounding: silu(g) = g / (1 + exp(-g)) in fp32 (__expf, a few fp32 ulps; the bf16 rounding
// that follows absorbs that except next to a rounding midpoint, where the result is the other
// neighbour of the exact value), rounded to bf16 (nearest even) as the reference does; the
// product of two bf16 values is exact in fp32, so the final bf16 rounding equals the reference's.

#include <concepts>
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/row_kernel.cuh"
#include "solkit/ops/silu_and_mul/definition.hpp"

namespace solkit::ops::silu_and_mul::kernels {

inline constexpr int threads = 256;
// 4 x 16-byte loads in flight per thread. On an H100, 1 and 2 are within 0.5% of each other at
// >= 64 MB (4 is 1-2% slower); 2 is the form the GPU test ran.
inline constexpr int vectors_per_thread = 2;
inline constexpr std::int64_t vectors_per_cta = threads * vectors_per_thread;

/// out = silu(gate) * up over `vectors` output vectors (token_count * d / 8); a CTA covers
/// threads * per_thread of them.
template <std::int64_t d, int per_thread = vectors_per_thread>
__global__ void __launch_bounds__(threads)
silu_and_mul_vectors(const uint4* x,  // [token_count, 2 * d / 8] (8 bf16 each): gate vectors, then up vectors
                     uint4* out,      // [token_count, d / 8] (8 bf16 each)
                     std::int64_t vectors) {
  constexpr std::int64_t row_vectors = d / 8;  // output vectors per token
  const std::int64_t first = static_cast<std::int64_t>(blockIdx.x) * threads * per_thread + threadIdx.x;
  uint4 gate[per_thread], up[per_thread];  // this thread's vectors, raw bf16
#pragma unroll
  for (int v = 0; v < per_thread; ++v) {
    const std::int64_t index = first + v * threads;
    if (index < vectors) {
      const std::int64_t token = index / row_vectors;
      const std::int64_t gate_index = index + token * row_vectors;  // token * 2 * row_vectors + column
      gate[v] = rows::load_streaming(x + gate_index);
      up[v] = rows::load_streaming(x + gate_index + row_vectors);
    }
  }
#pragma unroll
  for (int v = 0; v < per_thread; ++v) {
    const std::int64_t index = first + v * threads;
    if (index >= vectors) continue;
    float g[8], u[8], result[8];
    rows::unpack(gate[v], g);
    rows::unpack(up[v], u);
#pragma unroll
    for (int i = 0; i < 8; ++i) {
      // silu rounded to bf16 before the product, as the reference (and vLLM) round it.
      const float activation = __bfloat162float(__float2bfloat16_rn(g[i] / (1.0f + __expf(-g[i]))));
      result[i] = activation * u[i];
    }
    out[index] = rows::pack(result);
  }
}

}  // namespace solkit::ops::silu_and_mul::kernels

namespace solkit {

/// silu_and_mul_d{d}: tensors x [token_count, 2d], out [token_count, d]; one var axis,
/// token_count. Pointers 16-byte aligned; 0 tokens launches nothing.
template <class Definition>
  requires std::same_as<axes_of<Definition>, silu_and_mul_axes>
struct kernel<Definition> {
  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    namespace k = ops::silu_and_mul::kernels;
    if (launch_status status = detail::check_arguments<Definition>(arguments, 16); !status.ok()) return status;
    const std::int64_t tokens = arguments.var_axes[0];
    if (tokens == 0) return {};
    constexpr std::int64_t d = Definition::axes.intermediate_size;
    const std::int64_t vectors = tokens * (d / 8);  // tokens < 2^31: no overflow
    const std::int64_t blocks = (vectors + k::vectors_per_cta - 1) / k::vectors_per_cta;
    if (blocks > 2147483647) {
      return launch_status::failure(launch_error_code::bad_size, Definition::name.view(), "token_count",
                                    "is " + std::to_string(tokens) + ": more vectors than one grid covers");
    }
    k::silu_and_mul_vectors<d><<<static_cast<unsigned>(blocks), k::threads, 0, stream>>>(
        static_cast<const uint4*>(arguments.tensors[0]), static_cast<uint4*>(arguments.tensors[1]), vectors);
    return detail::launched(Definition::name.view());
  }
};

/// Runs a silu_and_mul definition on `token_count` rows: out = bf16(silu(gate)) * up. Every
/// pointer must be device memory aligned to 16 bytes; out must not overlap x; token_count 0
/// launches nothing. Returns why nothing was launched, naming the definition and the argument.
template <class Definition>
  requires std::same_as<axes_of<Definition>, silu_and_mul_axes>
launch_status launch_silu_and_mul(const __nv_bfloat16* x,  // [token_count, 2 * d]: gate, then up
                                  __nv_bfloat16* out,      // [token_count, d]
                                  std::int64_t token_count, cudaStream_t stream = nullptr) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(x), out};
  const std::int64_t var_axes[] = {token_count};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
