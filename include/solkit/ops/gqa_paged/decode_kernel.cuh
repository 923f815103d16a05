#pragma once
// CUDA kernels of `gqa_paged_decode_h{q}_kv{kv}_d{d}_ps{P}`: split-KV (flash-decoding) GQA
// decode over a paged KV cache. Memory bound: every K/V byte a sequence uses is read once per kv
// head, so the design is about bytes in flight and about filling the GPU when the batch is small.
//
// Work split. The pages of the batch, concatenated in kv_indices order, are cut into `chunks` of
// chunk_pages pages each (chosen at run time so that chunks x num_kv_heads CTAs fill the GPU in
// one wave: batch 1 with a 32k context gets as many CTAs as batch 64). CTA (chunk, kv head) walks
// the sequences overlapping its chunk: a sequence wholly inside writes output and lse directly; a
// sequence cut by chunk boundaries writes one partial (normalised fp32 rows and lse) per chunk,
// and a second kernel merges them. Every CTA moves the same number of pages whatever the lengths.
// Each chunk holds at most two cut sequences (the one running in from before, slot 0, and the
// one running out past its end, slot 1), so the partials need 2 x chunks x num_qo_heads rows.
//
// Inside a CTA, 4 warps take the 16-token tiles of a sequence round-robin, each with its own
// cp.async pipeline (gathering page rows into swizzled shared memory, page ids fetched a tile
// ahead) and its own online softmax; the warps merge through shared memory at the end of the
// sequence. The scores use tensor cores: mma.sync m16n8k16 with the group's query heads as the 16
// rows (padded with zeros), so group sizes 1 to 16 cost the same and nothing is compute bound.
// Softmax in fp32, base 2 (log2(e) folded into the scale), P rounded to bf16 for the PV product.
//
// Fast-path faults not checked (they read out of bounds or give garbage; turn on
// solkit::attention::debug_checks() to have them refused before launch): kv_indices outside
// [0, num_pages), kv_indptr not starting at 0 / decreasing / not ending at num_kv_indices.
// kv_last_page_len outside [1, page_size] is clamped into it (memory safe, output meaningless).

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstdint>
#include <optional>
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
#include "solkit/ops/common/attention_scratch.cuh"
#include "solkit/ops/gqa_paged/decode_device.cuh"
#include "solkit/ops/gqa_paged/definition.hpp"

namespace solkit::ops::gqa_paged::decode {

/// CTAs of decode_chunks<D, G> resident on the current device at once (SMs x CTAs per SM), with
/// its shared-memory limit raised; worked out once per device (core's once_per_device). A CUDA
/// failure names `definition` and nothing is launched.
template <int D, int G>
launch_status resident_ctas(std::string_view definition, int& resident) {
  return solkit::detail::once_per_device(definition, resident, [&](int device, int& count) -> launch_status {
    int shared_bytes = smem_bytes<D>;
    if (launch_status s = solkit::detail::raise_dynamic_shared_memory<decode_chunks<D, G>>(definition, shared_bytes);
        !s.ok()) {
      return s;
    }
    int sms = 0, per_sm = 0;
    if (const cudaError_t status = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
        status != cudaSuccess) {
      return solkit::detail::cuda_failure(definition, "count the device's SMs", status);
    }
    if (const cudaError_t status =
            cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, decode_chunks<D, G>, threads, smem_bytes<D>);
        status != cudaSuccess) {
      return solkit::detail::cuda_failure(definition, "count resident CTAs", status);
    }
    count = std::max(1, sms * std::max(per_sm, 1));
    return {};
  });
}

/// Waves of CTAs the split aims for (a tuning knob, read at each launch): 1 is the fewest CTAs
/// and partials; more waves let SMs that get more than their share of HBM bandwidth take more
/// chunks, so the last CTAs do not run alone. Changing it changes the workspace bound.
inline std::atomic<int>& waves() {
  static std::atomic<int> value{1};
  return value;
}

/// Pages per chunk and number of chunks for `total_pages` pages: one wave of CTAs over the
/// num_kv_heads x chunks grid, but never fewer than min_chunk_tokens tokens per chunk.
struct split_plan {
  int chunk_pages = 1, chunks = 1;
};
inline split_plan plan(std::int64_t total_pages, std::int64_t page_size, std::int64_t hkv, int resident) {
  if (total_pages <= 0) return {};
  const std::int64_t target = std::max<std::int64_t>(1, resident / hkv);
  std::int64_t pages = std::max((total_pages + target - 1) / target, (min_chunk_tokens + page_size - 1) / page_size);
  pages = std::min(pages, total_pages);
  return {static_cast<int>(pages), static_cast<int>((total_pages + pages - 1) / pages)};
}

template <class Definition>
struct traits {
  static constexpr auto axes = Definition::axes;
  static constexpr int D = static_cast<int>(axes.head_dim), G = static_cast<int>(axes.num_qo_heads / axes.num_kv_heads);
  static_assert(D % 64 == 0 && D <= 256, "the decode kernel's swizzle needs head_dim a multiple of 64");
  static_assert(G >= 1 && G <= 16, "the decode kernel holds a group of at most 16 query heads in one mma tile");
  static constexpr bool has_last_len = axes.page_size > 1;
  // Tensor positions (inputs, then outputs) and var-axis positions in the spec.
  static constexpr int sm_scale = has_last_len ? 6 : 5, output = sm_scale + 1, lse = sm_scale + 2;
  static constexpr int batch_axis = solkit::detail::var_axis_index(Definition::spec, "batch_size");
  static constexpr int pages_axis = solkit::detail::var_axis_index(Definition::spec, "num_pages");
  static constexpr int indptr_axis = solkit::detail::var_axis_index(Definition::spec, "len_indptr");
  static constexpr int indices_axis = solkit::detail::var_axis_index(Definition::spec, "num_kv_indices");
  /// Partial rows of one chunk: 2 blocks of num_qo_heads rows of D floats plus their lse.
  static constexpr std::size_t chunk_bytes = 2 * static_cast<std::size_t>(axes.num_qo_heads) * (D + 1) * 4;
};

/// Index arrays copied back and validated (debug checks only); empty when valid.
template <class Definition>
launch_status validate_indices(const kernel_arguments& a, std::int64_t batch, std::int64_t num_pages,
                               std::int64_t num_kv_indices, cudaStream_t stream) {
  using t = traits<Definition>;
  const std::string_view name = Definition::name.view();
  std::vector<std::int32_t> indptr, indices, last;
  launch_status read = solkit::attention::read_indices(name, "kv_indptr", a.tensors[3], batch + 1, stream, indptr);
  if (read.ok()) read = solkit::attention::read_indices(name, "kv_indices", a.tensors[4], num_kv_indices, stream, indices);
  if (read.ok() && t::has_last_len) {
    read = solkit::attention::read_indices(name, "kv_last_page_len", a.tensors[5], batch, stream, last);
  }
  if (!read.ok()) return read;
  std::string fault = solkit::attention::check_indptr("kv_indptr", indptr, num_kv_indices, "num_kv_indices");
  if (fault.empty()) fault = solkit::attention::check_pages(indptr, indices, last, num_pages, t::axes.page_size);
  if (fault.empty()) return {};
  return {launch_error_code::bad_size, std::string{name} + ": " + fault};
}

/// Checks everything, then launches; split partials go to `workspace` or, with `use_scratch`,
/// to the per-device scratch.
template <class Definition>
launch_status run(const kernel_arguments& a, bool use_scratch, void* workspace, std::size_t workspace_bytes,
                  cudaStream_t stream) {
  using t = traits<Definition>;
  const std::string_view name = Definition::name.view();
  // Index arrays, sm_scale and lse are read as scalars: 4-byte alignment; q, K/V, output: 16.
  if (launch_status s = solkit::detail::check_arguments<Definition>(a, 4); !s.ok()) return s;
  for (int i : {0, 1, 2, t::output}) {
    const auto& spec = i < 3 ? Definition::spec.inputs[i] : Definition::spec.outputs[0];
    if (launch_status s = solkit::detail::check_pointer(name, spec.name, a.tensors[i], 16); !s.ok()) return s;
  }
  const std::int64_t batch = a.var_axes[t::batch_axis], num_pages = a.var_axes[t::pages_axis];
  const std::int64_t num_kv_indices = a.var_axes[t::indices_axis];
  if (a.var_axes[t::indptr_axis] != batch + 1) {
    return launch_status::failure(launch_error_code::bad_size, name, "len_indptr",
                                  "is " + std::to_string(a.var_axes[t::indptr_axis]) + "; it must be batch_size + 1 = " +
                                      std::to_string(batch + 1));
  }
  if (num_pages == 0 && num_kv_indices > 0) {
    return launch_status::failure(launch_error_code::bad_size, name, "num_pages",
                                  "is 0 but num_kv_indices is " + std::to_string(num_kv_indices));
  }
  if (batch == 0) return {};
  if (solkit::attention::debug_checks().load(std::memory_order_relaxed)) {
    if (launch_status s = validate_indices<Definition>(a, batch, num_pages, num_kv_indices, stream); !s.ok()) return s;
  }
  int resident = 0;
  if (launch_status s = resident_ctas<t::D, t::G>(name, resident); !s.ok()) return s;
  const split_plan split = plan(num_kv_indices, t::axes.page_size, t::axes.num_kv_heads,
                                resident * std::max(1, waves().load(std::memory_order_relaxed)));
  const std::size_t needed = split.chunks > 1 ? split.chunks * t::chunk_bytes : 0;
  std::optional<solkit::attention::scratch_lease> lease;
  if (needed > 0 && use_scratch) {
    lease.emplace(name, needed, stream);
    if (!lease->status.ok()) return lease->status;
    workspace = lease->pointer;
  } else if (needed > 0) {
    if (launch_status s = solkit::detail::check_pointer(name, "workspace", workspace, 16); !s.ok()) return s;
    if (needed > workspace_bytes) {
      return launch_status::failure(launch_error_code::bad_size, name, "workspace",
                                    "has " + std::to_string(workspace_bytes) + " bytes; this launch needs " +
                                        std::to_string(needed));
    }
  }
  params p{};
  p.q = static_cast<const __nv_bfloat16*>(a.tensors[0]);
  p.k = static_cast<const __nv_bfloat16*>(a.tensors[1]);
  p.v = static_cast<const __nv_bfloat16*>(a.tensors[2]);
  p.indptr = static_cast<const int*>(a.tensors[3]);
  p.indices = static_cast<const int*>(a.tensors[4]);
  p.last_len = t::has_last_len ? static_cast<const int*>(a.tensors[5]) : nullptr;
  p.sm_scale = static_cast<const float*>(a.tensors[t::sm_scale]);
  p.out = static_cast<__nv_bfloat16*>(a.tensors[t::output]);
  p.lse = static_cast<float*>(a.tensors[t::lse]);
  p.part_o = static_cast<float*>(workspace);
  p.part_lse = p.part_o == nullptr ? nullptr : p.part_o + 2 * split.chunks * t::axes.num_qo_heads * t::D;
  p.batch = static_cast<int>(batch);
  p.page_size = static_cast<int>(t::axes.page_size);
  p.hkv = static_cast<int>(t::axes.num_kv_heads);
  p.chunk_pages = split.chunk_pages;
  p.chunks = split.chunks;
  p.total_pages = static_cast<int>(num_kv_indices);
  const dim3 grid(static_cast<unsigned>(split.chunks), static_cast<unsigned>(p.hkv));
  decode_chunks<t::D, t::G><<<grid, threads, smem_bytes<t::D>, stream>>>(p);
  if (split.chunks > 1) {
    // A programmatic dependent launch: merge CTAs start as decode_chunks CTAs finish launching
    // (they wait for its memory in griddepcontrol.wait), hiding the second launch's latency.
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(static_cast<unsigned>(batch), static_cast<unsigned>(t::axes.num_qo_heads));
    config.blockDim = dim3(merge_threads);
    config.dynamicSmemBytes = static_cast<std::size_t>(split.chunks) * 4;
    config.stream = stream;
    cudaLaunchAttribute attribute{};
    attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attribute.val.programmaticStreamSerializationAllowed = 1;
    config.attrs = &attribute;
    config.numAttrs = 1;
    cudaLaunchKernelEx(&config, merge_partials<t::D>, p, t::G);
  }
  return solkit::detail::launched(name);
}

}  // namespace solkit::ops::gqa_paged::decode

namespace solkit {

template <class Definition>
  requires std::same_as<solkit::axes_of<Definition>, solkit::gqa_paged_decode_axes>
struct kernel<Definition> {
  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    return ops::gqa_paged::decode::run<Definition>(arguments, true, nullptr, 0, stream);
  }
  static std::int64_t index_bound(std::string_view input, std::span<const std::int64_t> var_axes) {
    using t = ops::gqa_paged::decode::traits<Definition>;
    if (input == "kv_indices") return var_axes[t::pages_axis];
    if (input == "kv_last_page_len") return Definition::axes.page_size + 1;
    if (input == "kv_indptr") return var_axes[t::indices_axis] + 1;
    return 0;
  }
  static std::vector<std::int32_t> benchmark_indices(std::string_view input, std::span<const std::int64_t> var_axes,
                                                     std::uint64_t seed) {
    return attention::benchmark_indices<Definition>(input, var_axes, seed);
  }
};

/// Bytes of workspace a `launch_gqa_paged_decode` on the current device may need, whatever the
/// batch (the number of splits is bounded by the device's resident CTAs). Where the device
/// cannot be queried it answers one chunk's bytes; the launch then reports the CUDA error itself.
template <class Definition>
  requires std::same_as<solkit::axes_of<Definition>, solkit::gqa_paged_decode_axes>
std::size_t gqa_paged_decode_workspace_bytes() {
  using t = ops::gqa_paged::decode::traits<Definition>;
  int resident = 0;
  if (!ops::gqa_paged::decode::resident_ctas<t::D, t::G>(Definition::name.view(), resident).ok()) return t::chunk_bytes;
  resident *= std::max(1, ops::gqa_paged::decode::waves().load(std::memory_order_relaxed));
  return static_cast<std::size_t>(std::max<std::int64_t>(1, resident / Definition::axes.num_kv_heads)) * t::chunk_bytes;
}

namespace detail {
template <class Definition>
launch_status gqa_paged_decode_launch(const __nv_bfloat16* q, const __nv_bfloat16* k_cache, const __nv_bfloat16* v_cache,
                                      const std::int32_t* kv_indptr, const std::int32_t* kv_indices,
                                      const std::int32_t* kv_last_page_len, const float* sm_scale,
                                      __nv_bfloat16* output, float* lse, std::int64_t batch_size,
                                      std::int64_t num_pages, std::int64_t num_kv_indices, bool use_scratch,
                                      void* workspace, std::size_t workspace_bytes, cudaStream_t stream) {
  using t = ops::gqa_paged::decode::traits<Definition>;
  static_assert(t::batch_axis == 0 && t::pages_axis == 1 && t::indptr_axis == 2 && t::indices_axis == 3);
  void* tensors[9] = {const_cast<__nv_bfloat16*>(q), const_cast<__nv_bfloat16*>(k_cache),
                      const_cast<__nv_bfloat16*>(v_cache), const_cast<std::int32_t*>(kv_indptr),
                      const_cast<std::int32_t*>(kv_indices), const_cast<std::int32_t*>(kv_last_page_len)};
  tensors[t::sm_scale] = const_cast<float*>(sm_scale);
  tensors[t::output] = output;
  tensors[t::lse] = lse;
  const std::int64_t var_axes[] = {batch_size, num_pages, batch_size + 1, num_kv_indices};
  const kernel_arguments arguments{std::span<void* const>{tensors, static_cast<std::size_t>(t::lse + 1)}, var_axes};
  return ops::gqa_paged::decode::run<Definition>(arguments, use_scratch, workspace, workspace_bytes, stream);
}
}  // namespace detail

/// Paged GQA decode with the per-device scratch for split partials (attention_scratch.cuh: the
/// first call of a size allocates, so a CUDA graph capture must follow a warm-up call).
template <class Definition>
  requires std::same_as<solkit::axes_of<Definition>, solkit::gqa_paged_decode_axes>
launch_status launch_gqa_paged_decode(const __nv_bfloat16* q,            // [batch_size, num_qo_heads, head_dim]
                                      const __nv_bfloat16* k_cache,      // [num_pages, page_size, num_kv_heads, head_dim]
                                      const __nv_bfloat16* v_cache,      // [num_pages, page_size, num_kv_heads, head_dim]
                                      const std::int32_t* kv_indptr,     // [batch_size + 1]
                                      const std::int32_t* kv_indices,    // [num_kv_indices]
                                      const std::int32_t* kv_last_page_len,  // [batch_size]; unused when page_size == 1
                                      const float* sm_scale,             // [] (device scalar)
                                      __nv_bfloat16* output,             // [batch_size, num_qo_heads, head_dim]
                                      float* lse,                        // [batch_size, num_qo_heads]
                                      std::int64_t batch_size, std::int64_t num_pages, std::int64_t num_kv_indices,
                                      cudaStream_t stream = nullptr) {
  return detail::gqa_paged_decode_launch<Definition>(q, k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len,
                                                     sm_scale, output, lse, batch_size, num_pages, num_kv_indices,
                                                     true, nullptr, 0, stream);
}

/// The same with a caller-provided workspace (device memory, 16-byte aligned, at least
/// gqa_paged_decode_workspace_bytes<Definition>() bytes): for concurrent streams and graphs.
template <class Definition>
  requires std::same_as<solkit::axes_of<Definition>, solkit::gqa_paged_decode_axes>
launch_status launch_gqa_paged_decode(const __nv_bfloat16* q,            // [batch_size, num_qo_heads, head_dim]
                                      const __nv_bfloat16* k_cache,      // [num_pages, page_size, num_kv_heads, head_dim]
                                      const __nv_bfloat16* v_cache,      // [num_pages, page_size, num_kv_heads, head_dim]
                                      const std::int32_t* kv_indptr,     // [batch_size + 1]
                                      const std::int32_t* kv_indices,    // [num_kv_indices]
                                      const std::int32_t* kv_last_page_len,  // [batch_size]; unused when page_size == 1
                                      const float* sm_scale,             // [] (device scalar)
                                      __nv_bfloat16* output,             // [batch_size, num_qo_heads, head_dim]
                                      float* lse,                        // [batch_size, num_qo_heads]
                                      std::int64_t batch_size, std::int64_t num_pages, std::int64_t num_kv_indices,
                                      void* workspace,                   // [workspace_bytes] device memory
                                      std::size_t workspace_bytes, cudaStream_t stream = nullptr) {
  return detail::gqa_paged_decode_launch<Definition>(q, k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len,
                                                     sm_scale, output, lse, batch_size, num_pages, num_kv_indices,
                                                     false, workspace, workspace_bytes, stream);
}

}  // namespace solkit
