#pragma once
// CUDA kernels of `gqa_ragged_prefill_causal_h{q}_kv{kv}_d{d}` (causal, mask aligned
// bottom-right) and the bidirectional `gqa_ragged_prefill_h{q}_kv{kv}_d{d}` (no mask), run by the
// shared tensor-core prefill kernel (common/attention_prefill.cuh) with K/V rows kv_indptr[b] + j.
// Tensors in spec order: q, k, v, qo_indptr, kv_indptr, sm_scale, output, lse; var axes:
// len_indptr, total_q, total_kv.
//
// The fast path reads no index contents on the host. What it does not catch (each reads out of
// bounds or computes garbage): qo_indptr not starting at 0, decreasing, or not ending at
// total_q; kv_indptr not starting at 0, decreasing, or not ending at total_kv. With
// attention::debug_checks() on, all of them are refused before launch.

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/attention_batch.hpp"
#include "solkit/ops/common/attention_benchmark.hpp"
#include "solkit/ops/common/attention_indices.cuh"
#include "solkit/ops/common/attention_prefill_launch.cuh"
#include "solkit/ops/gqa_ragged/definition.hpp"

namespace solkit::ops::gqa_ragged::kernels {

template <class Definition>
concept ragged_prefill = std::same_as<axes_of<Definition>, gqa_ragged_prefill_causal_axes> ||
                         std::same_as<axes_of<Definition>, gqa_ragged_prefill_axes>;

}  // namespace solkit::ops::gqa_ragged::kernels

namespace solkit {

template <class Definition>
  requires ops::gqa_ragged::kernels::ragged_prefill<Definition>
struct kernel<Definition> {
  static constexpr auto axes = Definition::axes;
  static constexpr bool causal = std::same_as<axes_of<Definition>, gqa_ragged_prefill_causal_axes>;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    // Index arrays, sm_scale and lse are read as scalars: 4-byte alignment; q, K/V and output
    // move in 16-byte vectors.
    if (launch_status status = detail::check_arguments<Definition>(arguments, 4); !status.ok()) return status;
    const std::string_view name = Definition::name.view();
    for (const int tensor : {0, 1, 2, 6}) {
      const bool input = tensor < 3;
      const auto& spec = input ? Definition::spec.inputs[tensor] : Definition::spec.outputs[0];
      if (launch_status status = detail::check_pointer(name, spec.name, arguments.tensors[tensor], 16); !status.ok()) {
        return status;
      }
    }
    const std::int64_t len_indptr = arguments.var_axes[0], total_q = arguments.var_axes[1];
    const std::int64_t total_kv = arguments.var_axes[2];
    if (total_q > 0 && len_indptr < 2) {
      return launch_status::failure(launch_error_code::bad_size, name, "len_indptr",
                                    "is " + std::to_string(len_indptr) + "; total_q = " + std::to_string(total_q) +
                                        " queries need at least one sequence (len_indptr >= 2)");
    }
    if (total_q == 0) return {};
    void* const* t = arguments.tensors.data();
    if (attention::debug_checks().load(std::memory_order_relaxed)) {
      std::vector<std::int32_t> qo, kv;
      launch_status read = attention::read_indices(name, "qo_indptr", t[3], len_indptr, stream, qo);
      if (read.ok()) read = attention::read_indices(name, "kv_indptr", t[4], len_indptr, stream, kv);
      if (!read.ok()) return read;
      std::string fault = attention::check_indptr("qo_indptr", qo, total_q, "total_q");
      if (fault.empty()) fault = attention::check_indptr("kv_indptr", kv, total_kv, "total_kv");
      if (!fault.empty()) return {launch_error_code::bad_size, std::string{name} + ": " + fault};
    }
    const ops::attention_prefill::ragged_source source{static_cast<const std::int32_t*>(t[4])};
    const auto p = ops::attention_prefill::make_params(t, 5, source, len_indptr - 1, total_q, axes.num_qo_heads,
                                                       axes.num_kv_heads);
    return ops::attention_prefill::launch<static_cast<int>(axes.head_dim), causal>(name, p, stream);
  }

  /// Exclusive bound of each integer input's values, for the benchmark's random fill.
  static std::int64_t index_bound(std::string_view input, std::span<const std::int64_t> var_axes) {
    if (input == "qo_indptr") return var_axes[1] + 1;
    if (input == "kv_indptr") return var_axes[2] + 1;
    return 0;
  }

  static std::vector<std::int32_t> benchmark_indices(std::string_view input, std::span<const std::int64_t> var_axes,
                                                     std::uint64_t seed) {
    return attention::benchmark_indices<Definition>(input, var_axes, seed);
  }
};

namespace ops::gqa_ragged::kernels {
template <class Definition>
launch_status launch_ragged(const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v,
                            const std::int32_t* qo_indptr, const std::int32_t* kv_indptr, const float* sm_scale,
                            __nv_bfloat16* output, float* lse, std::int64_t batch_size, std::int64_t total_q,
                            std::int64_t total_kv, cudaStream_t stream) {
  void* const tensors[] = {const_cast<__nv_bfloat16*>(q),         const_cast<__nv_bfloat16*>(k),
                           const_cast<__nv_bfloat16*>(v),         const_cast<std::int32_t*>(qo_indptr),
                           const_cast<std::int32_t*>(kv_indptr), const_cast<float*>(sm_scale),
                           output,                                lse};
  const std::int64_t var_axes[] = {batch_size + 1, total_q, total_kv};
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}
}  // namespace ops::gqa_ragged::kernels

/// Causal GQA prefill over ragged K/V for `batch_size` sequences (query i of a sequence sees
/// keys j <= i + kv_len - q_len). Every pointer device memory, 16-byte aligned.
template <class Definition>
  requires std::same_as<axes_of<Definition>, gqa_ragged_prefill_causal_axes>
launch_status launch_gqa_ragged_prefill_causal(const __nv_bfloat16* q,         // [total_q, Hq, D]
                                               const __nv_bfloat16* k,         // [total_kv, Hkv, D]
                                               const __nv_bfloat16* v,         // [total_kv, Hkv, D]
                                               const std::int32_t* qo_indptr,  // [batch_size + 1]
                                               const std::int32_t* kv_indptr,  // [batch_size + 1]
                                               const float* sm_scale,          // [] on the device
                                               __nv_bfloat16* output,          // [total_q, Hq, D]
                                               float* lse,                     // [total_q, Hq]
                                               std::int64_t batch_size, std::int64_t total_q, std::int64_t total_kv,
                                               cudaStream_t stream = nullptr) {
  return ops::gqa_ragged::kernels::launch_ragged<Definition>(q, k, v, qo_indptr, kv_indptr, sm_scale, output, lse,
                                                             batch_size, total_q, total_kv, stream);
}

/// Bidirectional GQA attention over ragged K/V (every query sees every key of its sequence).
template <class Definition>
  requires std::same_as<axes_of<Definition>, gqa_ragged_prefill_axes>
launch_status launch_gqa_ragged_prefill(const __nv_bfloat16* q,         // [total_q, Hq, D]
                                        const __nv_bfloat16* k,         // [total_kv, Hkv, D]
                                        const __nv_bfloat16* v,         // [total_kv, Hkv, D]
                                        const std::int32_t* qo_indptr,  // [batch_size + 1]
                                        const std::int32_t* kv_indptr,  // [batch_size + 1]
                                        const float* sm_scale,          // [] on the device
                                        __nv_bfloat16* output,          // [total_q, Hq, D]
                                        float* lse,                     // [total_q, Hq]
                                        std::int64_t batch_size, std::int64_t total_q, std::int64_t total_kv,
                                        cudaStream_t stream = nullptr) {
  return ops::gqa_ragged::kernels::launch_ragged<Definition>(q, k, v, qo_indptr, kv_indptr, sm_scale, output, lse,
                                                             batch_size, total_q, total_kv, stream);
}

}  // namespace solkit
