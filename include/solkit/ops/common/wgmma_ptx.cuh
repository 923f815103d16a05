#pragma once
// Hopper warpgroup matrix multiply (wgmma, sm_90a only) for the attention kernels: bf16 x bf16
// -> fp32, m64nNk16, issued by the 128 threads of one warpgroup (4 consecutive warps starting at
// a warp index divisible by 4). Operands in shared memory are described by 64-bit matrix
// descriptors over the 128-byte-swizzled layout, which every tile of the
// wgmma prefill kernel uses (wgmma_layout.hpp).
//
// The accumulator d[N / 8][4] of a thread holds, for 8-column block n of its warp's 16 rows
// (warp w of the warpgroup owns rows 16 w .. 16 w + 15; g = lane / 4, t = lane % 4):
//   d[n][0, 1] = (row g,     columns 8 n + 2 t, + 1)
//   d[n][2, 3] = (row g + 8, columns 8 n + 2 t, + 1)
// the mma.sync m16n8k16 accumulator layout, so softmax code and the P-as-A-operand repacking are
// the same as the mma.sync kernel's. The register A operand (4 registers, 16 rows x 16 columns
// a warp) has the mma.sync A layout.
//
// The asm operand lists are written out by Boost.Preprocessor (a header-only part of the Boost
// the library already depends on): up to 132 operands an instruction.

#include <cstdint>

#include <boost/preprocessor/arithmetic/add.hpp>
#include <boost/preprocessor/arithmetic/inc.hpp>
#include <boost/preprocessor/repetition/enum.hpp>
#include <boost/preprocessor/repetition/repeat_from_to.hpp>
#include <boost/preprocessor/stringize.hpp>
#include <cuda_runtime.h>

#include "solkit/ops/common/wgmma_layout.hpp"

namespace solkit::ops::wgmma {

/// Orders this thread's earlier register writes before the warpgroup's next wgmma reads them.
__device__ __forceinline__ void fence() { asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory"); }
__device__ __forceinline__ void commit() { asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory"); }
/// Waits until at most `pending` committed wgmma groups are in flight.
template <int pending>
__device__ __forceinline__ void wait() {
  asm volatile("wgmma.wait_group.sync.aligned %0;\n" ::"n"(pending) : "memory");
}
/// Pins accumulator registers at this point: the compiler sees each written by the wgmma asm
/// itself, so without this it could read them before `wait` returns.
template <int blocks>
__device__ __forceinline__ void fence_registers(float (&d)[blocks][4]) {
#pragma unroll
  for (int n = 0; n < blocks; ++n) {
#pragma unroll
    for (int e = 0; e < 4; ++e) asm volatile("" : "+f"(d[n][e])::"memory");
  }
}
/// Makes this thread's generic-proxy shared-memory writes (st.shared, cp.async) visible to the
/// async proxy that wgmma reads through; then a barrier.
__device__ __forceinline__ void fence_proxy_async() { asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory"); }

/// m64nNk16 for N in {64, 128, 192, 256}.
template <int N>
struct warpgroup_mma;

// One specialisation per N; its asm names the N / 2 accumulators %0 .. %(N/2 - 1) (d[i / 4][i % 4],
// "+f"), then the operands: SS a-desc, b-desc, scale-d; RS the four A registers, then b-desc.
#define SOLKIT_WGMMA_ACCUMULATOR(z, i, d) "+f"(d[(i) / 4][(i) % 4])
#define SOLKIT_WGMMA_NEXT_REGISTER(z, i, _) ", %" BOOST_PP_STRINGIZE(i)
#define SOLKIT_WGMMA_REGISTERS(first, count) \
  "{%" BOOST_PP_STRINGIZE(first) BOOST_PP_REPEAT_FROM_TO(BOOST_PP_INC(first), BOOST_PP_ADD(first, count), \
                                                         SOLKIT_WGMMA_NEXT_REGISTER, ~) "}"
#define SOLKIT_WGMMA_OPERAND(count, offset) "%" BOOST_PP_STRINGIZE(BOOST_PP_ADD(count, offset))
#define SOLKIT_WGMMA_M64(N, count)                                                                          \
  template <>                                                                                               \
  struct warpgroup_mma<N> {                                                                                 \
    /* d[64 x N] (+)= A[64 x 16] (shared, K-major) B[16 x N] (shared, K-major); accumulate false: =. */    \
    static __device__ __forceinline__ void shared_shared(float (&d)[count / 4][4], std::uint64_t a,        \
                                                         std::uint64_t b, bool accumulate) {                \
      asm volatile("{\n.reg .pred p;\nsetp.ne.b32 p, " SOLKIT_WGMMA_OPERAND(count, 2) ", 0;\n"              \
                   "wgmma.mma_async.sync.aligned.m64n" #N "k16.f32.bf16.bf16 " SOLKIT_WGMMA_REGISTERS(0, count) \
                   ", " SOLKIT_WGMMA_OPERAND(count, 0) ", " SOLKIT_WGMMA_OPERAND(count, 1) ", p, 1, 1, 0, 0;\n}\n" \
                   : BOOST_PP_ENUM(count, SOLKIT_WGMMA_ACCUMULATOR, d)                                      \
                   : "l"(a), "l"(b), "r"(static_cast<int>(accumulate)));                                    \
    }                                                                                                       \
    /* d[64 x N] += A[64 x 16] (registers) B[16 x N] (shared, MN-major: transposed). */                      \
    static __device__ __forceinline__ void registers_shared_transposed(float (&d)[count / 4][4],            \
                                                                       const unsigned (&a)[4], std::uint64_t b) { \
      asm volatile("wgmma.mma_async.sync.aligned.m64n" #N "k16.f32.bf16.bf16 " SOLKIT_WGMMA_REGISTERS(0, count) \
                   ", " SOLKIT_WGMMA_REGISTERS(count, 4) ", " SOLKIT_WGMMA_OPERAND(count, 4) ", 1, 1, 1, 1;\n" \
                   : BOOST_PP_ENUM(count, SOLKIT_WGMMA_ACCUMULATOR, d)                                      \
                   : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));                                   \
    }                                                                                                       \
  };

SOLKIT_WGMMA_M64(64, 32)
SOLKIT_WGMMA_M64(128, 64)
SOLKIT_WGMMA_M64(192, 96)
SOLKIT_WGMMA_M64(256, 128)

#undef SOLKIT_WGMMA_M64
#undef SOLKIT_WGMMA_OPERAND
#undef SOLKIT_WGMMA_REGISTERS
#undef SOLKIT_WGMMA_NEXT_REGISTER
#undef SOLKIT_WGMMA_ACCUMULATOR

}  // namespace solkit::ops::wgmma
