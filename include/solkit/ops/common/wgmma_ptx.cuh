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
// The asm operand lists below are mechanical: accumulators %0 .. %(N/2 - 1) (d[i / 4][i % 4]),
// then the operands.

#include <cstdint>

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

#define SOLKIT_WGMMA_ACCUMULATOR(d, i) "+f"(d[(i) / 4][(i) % 4])
#define SOLKIT_WGMMA_ACCUMULATORS_8(d, i)                                                                  \
  SOLKIT_WGMMA_ACCUMULATOR(d, i), SOLKIT_WGMMA_ACCUMULATOR(d, i + 1), SOLKIT_WGMMA_ACCUMULATOR(d, i + 2),     \
      SOLKIT_WGMMA_ACCUMULATOR(d, i + 3), SOLKIT_WGMMA_ACCUMULATOR(d, i + 4), SOLKIT_WGMMA_ACCUMULATOR(d, i + 5), \
      SOLKIT_WGMMA_ACCUMULATOR(d, i + 6), SOLKIT_WGMMA_ACCUMULATOR(d, i + 7)
#define SOLKIT_WGMMA_ACCUMULATORS_32_AT(d, i)                                                 \
  SOLKIT_WGMMA_ACCUMULATORS_8(d, i), SOLKIT_WGMMA_ACCUMULATORS_8(d, i + 8), SOLKIT_WGMMA_ACCUMULATORS_8(d, i + 16), \
      SOLKIT_WGMMA_ACCUMULATORS_8(d, i + 24)
#define SOLKIT_WGMMA_ACCUMULATORS_32(d) SOLKIT_WGMMA_ACCUMULATORS_32_AT(d, 0)
#define SOLKIT_WGMMA_ACCUMULATORS_64(d) SOLKIT_WGMMA_ACCUMULATORS_32_AT(d, 0), SOLKIT_WGMMA_ACCUMULATORS_32_AT(d, 32)
#define SOLKIT_WGMMA_ACCUMULATORS_96(d) SOLKIT_WGMMA_ACCUMULATORS_64(d), SOLKIT_WGMMA_ACCUMULATORS_32_AT(d, 64)
#define SOLKIT_WGMMA_ACCUMULATORS_64_AT(d, i) SOLKIT_WGMMA_ACCUMULATORS_32_AT(d, i), SOLKIT_WGMMA_ACCUMULATORS_32_AT(d, i + 32)
#define SOLKIT_WGMMA_ACCUMULATORS_128(d) SOLKIT_WGMMA_ACCUMULATORS_64(d), SOLKIT_WGMMA_ACCUMULATORS_64_AT(d, 64)

/// m64nNk16 for N in {64, 128, 192, 256}.
template <int N>
struct warpgroup_mma;

template <>
struct warpgroup_mma<64> {
  /// d[64 x 64] (+)= A[64 x 16] (shared, K-major) B[16 x 64] (shared, K-major).
  static __device__ __forceinline__ void shared_shared(float (&d)[8][4], std::uint64_t a, std::uint64_t b,
                                                      bool accumulate) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %34, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}, "
        "%32, %33, p, 1, 1, 0, 0;\n}\n"
        : SOLKIT_WGMMA_ACCUMULATORS_32(d)
        : "l"(a), "l"(b), "r"(static_cast<int>(accumulate)));
  }
  /// d[64 x 64] += A[64 x 16] (registers) B[16 x 64] (shared, MN-major: transposed).
  static __device__ __forceinline__ void registers_shared_transposed(float (&d)[8][4], const unsigned (&a)[4],
                                                                    std::uint64_t b) {
    asm volatile(
        "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}, "
        "{%32, %33, %34, %35}, %36, 1, 1, 1, 1;\n"
        : SOLKIT_WGMMA_ACCUMULATORS_32(d)
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));
  }
};

template <>
struct warpgroup_mma<128> {
  /// d[64 x 128] (+)= A[64 x 16] (shared, K-major) B[16 x 128] (shared, K-major).
  static __device__ __forceinline__ void shared_shared(float (&d)[16][4], std::uint64_t a, std::uint64_t b,
                                                      bool accumulate) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %66, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,"
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,"
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63}, "
        "%64, %65, p, 1, 1, 0, 0;\n}\n"
        : SOLKIT_WGMMA_ACCUMULATORS_64(d)
        : "l"(a), "l"(b), "r"(static_cast<int>(accumulate)));
  }
  /// d[64 x 128] += A[64 x 16] (registers) B[16 x 128] (shared, MN-major: transposed).
  static __device__ __forceinline__ void registers_shared_transposed(float (&d)[16][4], const unsigned (&a)[4],
                                                                    std::uint64_t b) {
    asm volatile(
        "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,"
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,"
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63}, "
        "{%64, %65, %66, %67}, %68, 1, 1, 1, 1;\n"
        : SOLKIT_WGMMA_ACCUMULATORS_64(d)
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));
  }
};

template <>
struct warpgroup_mma<192> {
  /// d[64 x 192] (+)= A[64 x 16] (shared, K-major) B[16 x 192] (shared, K-major).
  static __device__ __forceinline__ void shared_shared(float (&d)[24][4], std::uint64_t a, std::uint64_t b,
                                                      bool accumulate) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %98, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n192k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,"
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,"
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63,"
        "%64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79,"
        "%80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95}, "
        "%96, %97, p, 1, 1, 0, 0;\n}\n"
        : SOLKIT_WGMMA_ACCUMULATORS_96(d)
        : "l"(a), "l"(b), "r"(static_cast<int>(accumulate)));
  }
  /// d[64 x 192] += A[64 x 16] (registers) B[16 x 192] (shared, MN-major: transposed).
  static __device__ __forceinline__ void registers_shared_transposed(float (&d)[24][4], const unsigned (&a)[4],
                                                                    std::uint64_t b) {
    asm volatile(
        "wgmma.mma_async.sync.aligned.m64n192k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,"
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,"
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63,"
        "%64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79,"
        "%80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95}, "
        "{%96, %97, %98, %99}, %100, 1, 1, 1, 1;\n"
        : SOLKIT_WGMMA_ACCUMULATORS_96(d)
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));
  }
};

template <>
struct warpgroup_mma<256> {
  /// d[64 x 256] (+)= A[64 x 16] (shared, K-major) B[16 x 256] (shared, K-major).
  static __device__ __forceinline__ void shared_shared(float (&d)[32][4], std::uint64_t a, std::uint64_t b,
                                                      bool accumulate) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %130, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,"
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,"
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63,"
        "%64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79,"
        "%80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95,"
        "%96, %97, %98, %99, %100, %101, %102, %103, %104, %105, %106, %107, %108, %109, %110, %111,"
        "%112, %113, %114, %115, %116, %117, %118, %119, %120, %121, %122, %123, %124, %125, %126, %127}, "
        "%128, %129, p, 1, 1, 0, 0;\n}\n"
        : SOLKIT_WGMMA_ACCUMULATORS_128(d)
        : "l"(a), "l"(b), "r"(static_cast<int>(accumulate)));
  }
  /// d[64 x 256] += A[64 x 16] (registers) B[16 x 256] (shared, MN-major: transposed).
  static __device__ __forceinline__ void registers_shared_transposed(float (&d)[32][4], const unsigned (&a)[4],
                                                                    std::uint64_t b) {
    asm volatile(
        "wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,"
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,"
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,"
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63,"
        "%64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79,"
        "%80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95,"
        "%96, %97, %98, %99, %100, %101, %102, %103, %104, %105, %106, %107, %108, %109, %110, %111,"
        "%112, %113, %114, %115, %116, %117, %118, %119, %120, %121, %122, %123, %124, %125, %126, %127}, "
        "{%128, %129, %130, %131}, %132, 1, 1, 1, 1;\n"
        : SOLKIT_WGMMA_ACCUMULATORS_128(d)
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b));
  }
};


#undef SOLKIT_WGMMA_ACCUMULATOR
#undef SOLKIT_WGMMA_ACCUMULATORS_8
#undef SOLKIT_WGMMA_ACCUMULATORS_32_AT
#undef SOLKIT_WGMMA_ACCUMULATORS_64_AT
#undef SOLKIT_WGMMA_ACCUMULATORS_32
#undef SOLKIT_WGMMA_ACCUMULATORS_64
#undef SOLKIT_WGMMA_ACCUMULATORS_96
#undef SOLKIT_WGMMA_ACCUMULATORS_128

}  // namespace solkit::ops::wgmma
