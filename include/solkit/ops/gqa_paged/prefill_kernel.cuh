#pragma once
// CUDA kernel of `gqa_paged_prefill_causal_h{q}_kv{kv}_d{d}_ps{P}`: causal GQA prefill over a
// paged KV cache, run by the shared tensor-core prefill kernel (common/attention_prefill.cuh)
// with K/V rows gathered through the page table. Tensors in spec order: q, k_cache, v_cache,
// qo_indptr, kv_indptr, kv_indices, [kv_last_page_len when P > 1], sm_scale, output, lse; var
// axes: len_indptr, total_q, num_kv_indices, num_pages, [batch_size when P > 1].
//
// The fast path reads no index contents on the host. What it does not catch (each reads out of
// bounds or computes garbage): qo_indptr not starting at 0, decreasing, or not ending at
// total_q; kv_indptr not starting at 0, decreasing, or past num_kv_indices; kv_indices outside
// [0, num_pages). kv_last_page_len outside [1, page_size] is clamped into it (memory safe, output
// meaningless). With attention::debug_checks() on, all of them are refused before launch (one
// synchronous copy of the index arrays).

#include <bit>
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
#include "solkit/ops/gqa_paged/definition.hpp"

namespace solkit {

template <class Definition>
  requires std::same_as<axes_of<Definition>, gqa_paged_prefill_causal_axes>
struct kernel<Definition> {
  static constexpr auto axes = Definition::axes;
  static constexpr bool has_last_page = axes.page_size > 1;

  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    // Index arrays, sm_scale and lse are read as scalars: 4-byte alignment; q, K/V and output
    // move in 16-byte vectors.
    if (launch_status status = detail::check_arguments<Definition>(arguments, 4); !status.ok()) return status;
    const std::string_view name = Definition::name.view();
    for (const int tensor : {0, 1, 2, has_last_page ? 8 : 7}) {
      const bool input = tensor < 3;
      const auto& spec = input ? Definition::spec.inputs[tensor] : Definition::spec.outputs[0];
      if (launch_status status = detail::check_pointer(name, spec.name, arguments.tensors[tensor], 16); !status.ok()) {
        return status;
      }
    }
    const std::int64_t len_indptr = arguments.var_axes[0], total_q = arguments.var_axes[1];
    const std::int64_t num_kv_indices = arguments.var_axes[2], num_pages = arguments.var_axes[3];
    const auto bad = [&](std::string_view axis, const std::string& why) {
      return launch_status::failure(launch_error_code::bad_size, name, axis, why);
    };
    if (has_last_page && arguments.var_axes[4] != len_indptr - 1) {
      return bad("batch_size", "is " + std::to_string(arguments.var_axes[4]) + "; it must be len_indptr - 1 = " +
                                   std::to_string(len_indptr - 1));
    }
    if (total_q > 0 && len_indptr < 2) {
      return bad("len_indptr", "is " + std::to_string(len_indptr) + "; total_q = " + std::to_string(total_q) +
                                   " queries need at least one sequence (len_indptr >= 2)");
    }
    if (num_kv_indices > 0 && num_pages == 0) {
      return bad("num_pages", "is 0; num_kv_indices = " + std::to_string(num_kv_indices) + " pages cannot index it");
    }
    if (total_q == 0) return {};
    void* const* t = arguments.tensors.data();
    const int last = has_last_page ? 6 : -1;  // tensor index of kv_last_page_len
    const int scale = has_last_page ? 7 : 6;
    if (attention::debug_checks().load(std::memory_order_relaxed)) {
      std::vector<std::int32_t> qo, kv, pages, last_len;
      launch_status read = attention::read_indices(name, "qo_indptr", t[3], len_indptr, stream, qo);
      if (read.ok()) read = attention::read_indices(name, "kv_indptr", t[4], len_indptr, stream, kv);
      if (read.ok()) read = attention::read_indices(name, "kv_indices", t[5], num_kv_indices, stream, pages);
      if (read.ok() && has_last_page) {
        read = attention::read_indices(name, "kv_last_page_len", t[last], len_indptr - 1, stream, last_len);
      }
      if (!read.ok()) return read;
      std::string fault = attention::check_indptr("qo_indptr", qo, total_q, "total_q");
      if (fault.empty()) fault = attention::check_indptr("kv_indptr", kv, num_kv_indices, "num_kv_indices");
      if (fault.empty()) fault = attention::check_pages(kv, pages, last_len, num_pages, axes.page_size);
      if (!fault.empty()) return {launch_error_code::bad_size, std::string{name} + ": " + fault};
    }
    ops::attention_prefill::paged_source source{};
    source.kv_indptr = static_cast<const std::int32_t*>(t[4]);
    source.kv_indices = static_cast<const std::int32_t*>(t[5]);
    source.kv_last_page_len = has_last_page ? static_cast<const std::int32_t*>(t[last]) : nullptr;
    source.page_shift = std::countr_zero(static_cast<unsigned>(axes.page_size));
    const auto p = ops::attention_prefill::make_params(t, scale, source, len_indptr - 1, total_q, axes.num_qo_heads,
                                                       axes.num_kv_heads);
    return ops::attention_prefill::launch<static_cast<int>(axes.head_dim), true>(name, p, stream);
  }

  /// Exclusive bound of each integer input's values, for the benchmark's random fill.
  static std::int64_t index_bound(std::string_view input, std::span<const std::int64_t> var_axes) {
    if (input == "kv_indices") return var_axes[3];
    if (input == "kv_last_page_len") return axes.page_size + 1;
    if (input == "qo_indptr") return var_axes[1] + 1;
    if (input == "kv_indptr") return var_axes[2] + 1;
    return 0;
  }

  static std::vector<std::int32_t> benchmark_indices(std::string_view input, std::span<const std::int64_t> var_axes,
                                                     std::uint64_t seed) {
    return attention::benchmark_indices<Definition>(input, var_axes, seed);
  }
};

/// Causal GQA prefill over a paged KV cache for `batch_size` sequences; kv_last_page_len is
/// ignored (may be null) when the page size is 1. Every pointer device memory, 16-byte aligned.
template <class Definition>
  requires std::same_as<axes_of<Definition>, gqa_paged_prefill_causal_axes>
launch_status launch_gqa_paged_prefill_causal(const __nv_bfloat16* q,                // [total_q, Hq, D]
                                              const __nv_bfloat16* k_cache,          // [num_pages, P, Hkv, D]
                                              const __nv_bfloat16* v_cache,          // [num_pages, P, Hkv, D]
                                              const std::int32_t* qo_indptr,         // [batch_size + 1]
                                              const std::int32_t* kv_indptr,         // [batch_size + 1]
                                              const std::int32_t* kv_indices,        // [num_kv_indices]
                                              const std::int32_t* kv_last_page_len,  // [batch_size] (P > 1)
                                              const float* sm_scale,                 // [] on the device
                                              __nv_bfloat16* output,                 // [total_q, Hq, D]
                                              float* lse,                            // [total_q, Hq]
                                              std::int64_t batch_size, std::int64_t total_q,
                                              std::int64_t num_kv_indices, std::int64_t num_pages,
                                              cudaStream_t stream = nullptr) {
  constexpr bool has_last_page = Definition::axes.page_size > 1;
  std::vector<void*> tensors{const_cast<__nv_bfloat16*>(q), const_cast<__nv_bfloat16*>(k_cache),
                             const_cast<__nv_bfloat16*>(v_cache), const_cast<std::int32_t*>(qo_indptr),
                             const_cast<std::int32_t*>(kv_indptr), const_cast<std::int32_t*>(kv_indices)};
  if (has_last_page) tensors.push_back(const_cast<std::int32_t*>(kv_last_page_len));
  tensors.insert(tensors.end(), {const_cast<float*>(sm_scale), output, lse});
  std::vector<std::int64_t> var_axes{batch_size + 1, total_q, num_kv_indices, num_pages};
  if (has_last_page) var_axes.push_back(batch_size);
  return kernel<Definition>::launch({tensors, var_axes}, stream);
}

}  // namespace solkit
