#pragma once
// CUDA kernel of `topk_filter_v{V}_k{k}` (atrex's top-k logit filter): per row, the k-th largest
// logit by radix select over order-preserving keys (common/cluster_row.cuh: the row read once
// into the shared memory of a cluster of up to 8 CTAs), then every logit >= it written back and
// -inf elsewhere. One read and one write of the row: memory bound. Tensors: logits,
// masked_logits; var axis batch_size.
//
// Documented behaviour for NaN logits: a NaN ranks below every number (-inf included) and is
// written as -inf. The output must not alias the input (rows are staged in shared memory, so an
// in-place call would be correct too, but the read-only load path assumes no aliasing).

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <cooperative_groups.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/cluster_row.cuh"
#include "solkit/ops/topk_filter/definition.hpp"

namespace solkit::ops::topk_filter_kernels {

namespace cg = cooperative_groups;
namespace cr = cluster_row;

/// Order-preserving key of a logit: negative floats flipped, positive ones offset above them,
/// -0 and +0 one key; NaN -> 0, below -inf (whose key is 0x007fffff).
struct logit_key {
  __device__ unsigned operator()(float x) const {
    const unsigned bits = __float_as_uint(x);
    if (x != x) return 0u;
    if (x == 0.0f) return 0x80000000u;  // -0 and +0 are equal values: one key
    return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
  }
};

struct params {
  const float* logits;  // [batch, vocab]
  float* masked;        // [batch, vocab]
  std::int64_t vocab;
  int top_k;
  int slice_columns;
};

template <int = 0>
__global__ void __launch_bounds__(cr::threads) filter_rows(const __grid_constant__ params p) {
  extern __shared__ float4 dynamic_shared[];
  __shared__ cr::shared_state s;
  cg::cluster_group cluster = cg::this_cluster();
  const cr::row_slice here = cr::this_row_slice(reinterpret_cast<float*>(dynamic_shared), p.vocab, p.slice_columns);
  const std::int64_t row = here.row;
  const cr::slice& mine = here.mine;
  const float* in = p.logits + row * p.vocab + mine.first;
  float* out = p.masked + row * p.vocab + mine.first;
  const bool vectors = p.vocab % 4 == 0;
  const int quads = vectors ? mine.count / 4 : 0;
#pragma unroll 4
  for (int q = threadIdx.x; q < quads; q += cr::threads) {  // loads only: the compiler keeps 4 in flight
    reinterpret_cast<float4*>(mine.values)[q] = __ldg(reinterpret_cast<const float4*>(in) + q);
  }
  for (int i = quads * 4 + threadIdx.x; i < mine.count; i += cr::threads) mine.values[i] = __ldg(in + i);
  __syncthreads();

  int buffer = 0;
  const logit_key key_of{};
  const cr::selection kth =
      cr::radix_select<false>(s, mine, key_of, 0u, static_cast<unsigned>(p.top_k), 0ull, cr::fixed_point{}, buffer);
  const auto masked = [&](float x) { return key_of(x) >= kth.key && x == x ? x : -INFINITY; };
  for (int q = threadIdx.x; q < quads; q += cr::threads) {
    const float4 v = reinterpret_cast<const float4*>(mine.values)[q];
    __stcs(reinterpret_cast<float4*>(out) + q, make_float4(masked(v.x), masked(v.y), masked(v.z), masked(v.w)));
  }
  for (int i = quads * 4 + threadIdx.x; i < mine.count; i += cr::threads) out[i] = masked(mine.values[i]);
  cluster.sync();  // no CTA leaves while another may still read its shared memory
}

}  // namespace solkit::ops::topk_filter_kernels

namespace solkit {

template <class Definition>
  requires std::same_as<axes_of<Definition>, topk_filter_axes>
struct kernel<Definition> {
  static constexpr std::int64_t vocab = Definition::axes.vocab_size;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    namespace k = ops::topk_filter_kernels;
    const std::size_t alignment = vocab % 4 == 0 ? 16 : 4;
    if (launch_status status = detail::check_arguments<Definition>(arguments, alignment); !status.ok()) return status;
    const std::string_view name = Definition::name.view();
    const std::int64_t batch = arguments.var_axes[0];
    const int cluster = ops::cluster_row::cluster_size(vocab);
    if (batch * cluster > 2147483647) {
      return launch_status::failure(launch_error_code::bad_size, name, "batch_size",
                                    "is " + std::to_string(batch) + ": more rows than one launch's grid holds");
    }
    if (batch == 0) return {};
    k::params p{static_cast<const float*>(arguments.tensors[0]), static_cast<float*>(arguments.tensors[1]), vocab,
                static_cast<int>(Definition::axes.top_k), ops::cluster_row::slice_columns(vocab, cluster)};
    return ops::cluster_row::launch_row_clusters<k::filter_rows<>>(name, batch, vocab, p.slice_columns, p, stream);
  }
};

/// Top-k mask of logits.size() / V rows; both spans device memory of the same size (16-byte
/// aligned when V % 4 == 0).
template <class Definition>
  requires std::same_as<axes_of<Definition>, topk_filter_axes>
launch_status launch_topk_filter(std::span<const float> logits,   // [batch, V]
                                 std::span<float> masked_logits,  // [batch, V]
                                 cudaStream_t stream = nullptr) {
  constexpr auto vocab = static_cast<std::size_t>(Definition::axes.vocab_size);
  const std::string_view name = Definition::name.view();
  if (logits.size() % vocab != 0) {
    return launch_status::failure(launch_error_code::bad_size, name, "logits",
                                  "holds " + std::to_string(logits.size()) + " values, not whole rows of " +
                                      std::to_string(vocab));
  }
  if (masked_logits.size() != logits.size()) {
    return launch_status::failure(launch_error_code::bad_size, name, "masked_logits",
                                  "holds " + std::to_string(masked_logits.size()) + " values; logits holds " +
                                      std::to_string(logits.size()));
  }
  if (logits.empty()) return {};
  void* tensors[] = {const_cast<float*>(logits.data()), masked_logits.data()};
  const std::int64_t var_axes[] = {static_cast<std::int64_t>(logits.size() / vocab)};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
