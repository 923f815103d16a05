// A kernel parameterised by a definition type: its const axes are compile-time constants in
// device code, so loops over them unroll and registers are sized exactly. Kernels take the
// definition type (a class), not the axes aggregate itself: nvcc 13.0's host stub cannot name a
// namespaced class-type template argument of a __global__ function (docs/nvcc-notes.md).

#include <cstdio>

#include <cuda_runtime.h>

#include "solkit/ops/rmsnorm/definition.hpp"

/// Sum of squares of one row, one warp per row: the register footprint is hidden_size / 32 values.
template <class Definition>
__global__ void row_sum_of_squares(const float* rows,  // [batch_size, hidden_size]
                                   float* sums,        // [batch_size]
                                   int batch_size) {
  constexpr auto hidden_size = Definition::axes.hidden_size;
  static_assert(hidden_size % 32 == 0, "one warp covers a row in whole strides");
  const int row = blockIdx.x;
  if (row >= batch_size) return;
  float partial = 0.0f;
#pragma unroll
  for (int i = threadIdx.x; i < hidden_size; i += 32) {
    const float x = rows[row * hidden_size + i];
    partial += x * x;
  }
  for (int offset = 16; offset > 0; offset /= 2) {
    partial += __shfl_down_sync(0xffffffffu, partial, offset);
  }
  if (threadIdx.x == 0) sums[row] = partial;
}

int main() {
  using norm = solkit::rmsnorm<solkit::rmsnorm_axes{.hidden_size = 4096}>;
  constexpr int batch_size = 4;
  float* rows = nullptr;
  float* sums = nullptr;
  if (cudaMalloc(&rows, sizeof(float) * batch_size * norm::axes.hidden_size) != cudaSuccess ||
      cudaMalloc(&sums, sizeof(float) * batch_size) != cudaSuccess) {
    std::printf("%s: no GPU memory (is there a GPU?)\n", norm::name.c_str());
    return 1;
  }
  cudaMemset(rows, 0, sizeof(float) * batch_size * norm::axes.hidden_size);
  row_sum_of_squares<norm><<<batch_size, 32>>>(rows, sums, batch_size);
  const cudaError_t status = cudaDeviceSynchronize();
  std::printf("%s: %s\n", norm::name.c_str(), cudaGetErrorString(status));
  cudaFree(rows);
  cudaFree(sums);
  return status == cudaSuccess ? 0 : 1;
}
