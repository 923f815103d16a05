#pragma once
// CUDA kernels of `top_k_sampling_from_probs_v{V}`, `top_p_sampling_from_probs_v{V}` and
// `top_k_top_p_sampling_from_probs_v{V}` (the algorithm: sample_rows.cuh). Tensors in spec order:
// probs, [top_k], [top_p], samples; one var axis, batch_size.
//
// Randomness: row r of a launch draws one uniform from Philox4x32-10 at (seed, subsequence r,
// offset), so a (seed, offset) pair replays a launch exactly; nothing synchronises with the host.
// The typed launchers take the pair; the type-erased kernel<D>::launch (generated tables,
// benchmarks) takes the next offset of a process-wide generator (sampling::next_seed), as
// PyTorch's default generator does.
//
// Documented behaviour for bad rows (never a crash, never an index outside [0, V)): entries that
// are NaN, negative or infinite count as probability 0; a row with no positive entry samples token
// 0; a NaN top_p disables the top-p filter (as p >= 1); a row whose mass overflows fp32 samples
// its argmax. top-p compares with p times the row's
// mass (for a normalised row, p itself, as the reference). Wrong sizes are refused.

#include <atomic>
#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cuda_runtime.h>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/cluster_row.cuh"
#include "solkit/ops/sampling/definition.hpp"
#include "solkit/ops/sampling/sample_rows.cuh"

namespace solkit::sampling {

/// The Philox key and counter offset of one launch.
struct philox_seed {
  std::uint64_t seed = 0;
  std::uint64_t offset = 0;
};

/// The process-wide generator of type-erased launches: a seed (settable) and an offset that each
/// launch advances by one (each row draws one number per launch).
inline std::atomic<std::uint64_t>& default_seed() {
  static std::atomic<std::uint64_t> seed{0x5eed5eedull};
  return seed;
}
inline philox_seed next_seed() {
  static std::atomic<std::uint64_t> offset{0};
  return {default_seed().load(std::memory_order_relaxed), offset.fetch_add(1, std::memory_order_relaxed)};
}

}  // namespace solkit::sampling

namespace solkit::ops::sampling_kernels {

template <class Definition>
concept sampling_definition = std::same_as<axes_of<Definition>, top_k_sampling_from_probs_axes> ||
                              std::same_as<axes_of<Definition>, top_p_sampling_from_probs_axes> ||
                              std::same_as<axes_of<Definition>, top_k_top_p_sampling_from_probs_axes>;

template <class Definition>
constexpr int filters_of = std::same_as<axes_of<Definition>, top_k_sampling_from_probs_axes>   ? top_k_filter
                           : std::same_as<axes_of<Definition>, top_p_sampling_from_probs_axes> ? top_p_filter
                                                                                               : top_k_filter | top_p_filter;

/// Rows of a benchmark's probs: softmax of N(0, 2^2) logits (as tools/peers' sampling inputs),
/// one CTA per row; the logits come from Philox at (seed, row * V + column). (Templates: a header's
/// kernels must be inline for the ODR.)
template <int = 0>
__global__ void benchmark_probs(float* probs, std::int64_t vocab, std::uint64_t seed) {
  __shared__ float partial[32];
  float* row = probs + blockIdx.x * vocab;
  float sum = 0.0f;
  for (std::int64_t i = threadIdx.x; i < vocab; i += blockDim.x) {
    curandStatePhilox4_32_10_t state;
    curand_init(seed, blockIdx.x * vocab + i, 0, &state);
    const float x = __expf(2.0f * curand_normal(&state));
    row[i] = x;
    sum += x;
  }
  for (int offset = 16; offset > 0; offset /= 2) sum += __shfl_xor_sync(0xffffffffu, sum, offset);
  if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = sum;
  __syncthreads();
  float total = 0.0f;
  for (int w = 0; w < static_cast<int>(blockDim.x / 32); ++w) total += partial[w];
  for (std::int64_t i = threadIdx.x; i < vocab; i += blockDim.x) row[i] /= total;
}

template <int = 0>
__global__ void fill_value(float* data, std::int64_t count, float value) {
  for (std::int64_t i = blockIdx.x * blockDim.x + threadIdx.x; i < count; i += gridDim.x * blockDim.x) data[i] = value;
}

}  // namespace solkit::ops::sampling_kernels

namespace solkit {

template <class Definition>
  requires ops::sampling_kernels::sampling_definition<Definition>
struct kernel<Definition> {
  static constexpr std::int64_t vocab = Definition::axes.vocab_size;
  static constexpr int filters = ops::sampling_kernels::filters_of<Definition>;
  static constexpr bool has_k = (filters & ops::sampling_kernels::top_k_filter) != 0;
  static constexpr bool has_p = (filters & ops::sampling_kernels::top_p_filter) != 0;
  static constexpr int samples_tensor = 1 + (has_k ? 1 : 0) + (has_p ? 1 : 0);

  /// Launch with an explicit Philox (seed, offset).
  static launch_status launch(const kernel_arguments& arguments, sampling::philox_seed seed, cudaStream_t stream) {
    // probs moves in 16-byte vectors when V % 4 == 0; top_k, top_p and samples are scalars.
    if (launch_status status = detail::check_arguments<Definition>(arguments, 4); !status.ok()) return status;
    const std::string_view name = Definition::name.view();
    if (vocab % 4 == 0) {
      if (launch_status status = detail::check_pointer(name, "probs", arguments.tensors[0], 16); !status.ok()) return status;
    }
    if (launch_status status = detail::check_pointer(name, "samples", arguments.tensors[samples_tensor], 8);
        !status.ok()) {
      return status;
    }
    const std::int64_t batch = arguments.var_axes[0];
    if (batch * ops::cluster_row::cluster_size(vocab) > 2147483647) {
      return launch_status::failure(launch_error_code::bad_size, name, "batch_size",
                                    "is " + std::to_string(batch) + ": more rows than one launch's grid holds");
    }
    if (batch == 0) return {};
    ops::sampling_kernels::params p{};
    p.probs = static_cast<const float*>(arguments.tensors[0]);
    p.top_k = has_k ? static_cast<const std::int32_t*>(arguments.tensors[1]) : nullptr;
    p.top_p = has_p ? static_cast<const float*>(arguments.tensors[has_k ? 2 : 1]) : nullptr;
    p.samples = static_cast<std::int64_t*>(arguments.tensors[samples_tensor]);
    p.vocab = vocab;
    p.slice_columns = ops::cluster_row::slice_columns(vocab, ops::cluster_row::cluster_size(vocab));
    p.seed = seed.seed;
    p.offset = seed.offset;
    return ops::cluster_row::launch_row_clusters<ops::sampling_kernels::sample_rows<filters>>(name, batch, vocab,
                                                                                             p.slice_columns, p, stream);
  }

  /// The type-erased entry point: the process-wide generator's next (seed, offset).
  static launch_status launch(const kernel_arguments& arguments, cudaStream_t stream) {
    return launch(arguments, sampling::next_seed(), stream);
  }

  /// Benchmark inputs: probs rows are distributions, top_p 0.9 per row (top_k: benchmark_indices).
  static bool benchmark_fill(std::string_view input, void* device, std::size_t bytes, std::span<const std::int64_t>,
                             std::uint64_t seed) {
    if (input == "probs") {
      ops::sampling_kernels::benchmark_probs<><<<static_cast<unsigned>(bytes / 4 / vocab), 256>>>(
          static_cast<float*>(device), vocab, seed);
      return true;
    }
    if (input == "top_p") {
      ops::sampling_kernels::fill_value<><<<64, 256>>>(static_cast<float*>(device), static_cast<std::int64_t>(bytes / 4), 0.9f);
      return true;
    }
    return false;
  }
  static std::vector<std::int32_t> benchmark_indices(std::string_view input, std::span<const std::int64_t> var_axes,
                                                     std::uint64_t) {
    if (input == "top_k") return std::vector<std::int32_t>(static_cast<std::size_t>(var_axes[0]), 50);
    return {};
  }
  static std::int64_t index_bound(std::string_view input, std::span<const std::int64_t>) {
    return input == "top_k" ? vocab : 0;
  }
};

namespace sampling::detail {
/// Sizes of the span launchers: probs holds samples.size() rows, each filter one value a row.
template <class Definition>
launch_status check_spans(std::size_t probs, std::size_t samples, std::size_t top_k, std::size_t top_p, bool has_k,
                          bool has_p) {
  const std::string_view name = Definition::name.view();
  constexpr auto vocab = static_cast<std::size_t>(Definition::axes.vocab_size);
  if (probs != samples * vocab) {
    return launch_status::failure(launch_error_code::bad_size, name, "probs",
                                  "holds " + std::to_string(probs) + " values; samples.size() = " +
                                      std::to_string(samples) + " rows of " + std::to_string(vocab) + " need " +
                                      std::to_string(samples * vocab));
  }
  if (has_k && top_k != samples) {
    return launch_status::failure(launch_error_code::bad_size, name, "top_k",
                                  "holds " + std::to_string(top_k) + " values; it needs one per row (" +
                                      std::to_string(samples) + ")");
  }
  if (has_p && top_p != samples) {
    return launch_status::failure(launch_error_code::bad_size, name, "top_p",
                                  "holds " + std::to_string(top_p) + " values; it needs one per row (" +
                                      std::to_string(samples) + ")");
  }
  return {};
}
}  // namespace sampling::detail

/// Top-k sampling of samples.size() rows; every span device memory (probs 16-byte aligned).
template <class Definition>
  requires std::same_as<axes_of<Definition>, top_k_sampling_from_probs_axes>
launch_status launch_top_k_sampling_from_probs(std::span<const float> probs,          // [batch, V]
                                               std::span<const std::int32_t> top_k,   // [batch]
                                               std::span<std::int64_t> samples,       // [batch]
                                               sampling::philox_seed seed, cudaStream_t stream = nullptr) {
  if (auto s = sampling::detail::check_spans<Definition>(probs.size(), samples.size(), top_k.size(), 0, true, false);
      !s.ok()) {
    return s;
  }
  if (samples.empty()) return {};  // nothing to sample: empty spans may hold null pointers
  void* tensors[] = {const_cast<float*>(probs.data()), const_cast<std::int32_t*>(top_k.data()), samples.data()};
  const std::int64_t var_axes[] = {static_cast<std::int64_t>(samples.size())};
  return kernel<Definition>::launch({tensors, var_axes}, seed, stream);
}

/// Top-p sampling of samples.size() rows; every span device memory (probs 16-byte aligned).
template <class Definition>
  requires std::same_as<axes_of<Definition>, top_p_sampling_from_probs_axes>
launch_status launch_top_p_sampling_from_probs(std::span<const float> probs,   // [batch, V]
                                               std::span<const float> top_p,   // [batch]
                                               std::span<std::int64_t> samples,  // [batch]
                                               sampling::philox_seed seed, cudaStream_t stream = nullptr) {
  if (auto s = sampling::detail::check_spans<Definition>(probs.size(), samples.size(), 0, top_p.size(), false, true);
      !s.ok()) {
    return s;
  }
  if (samples.empty()) return {};  // nothing to sample: empty spans may hold null pointers
  void* tensors[] = {const_cast<float*>(probs.data()), const_cast<float*>(top_p.data()), samples.data()};
  const std::int64_t var_axes[] = {static_cast<std::int64_t>(samples.size())};
  return kernel<Definition>::launch({tensors, var_axes}, seed, stream);
}

/// Top-k then top-p sampling of samples.size() rows; every span device memory.
template <class Definition>
  requires std::same_as<axes_of<Definition>, top_k_top_p_sampling_from_probs_axes>
launch_status launch_top_k_top_p_sampling_from_probs(std::span<const float> probs,         // [batch, V]
                                                     std::span<const std::int32_t> top_k,  // [batch]
                                                     std::span<const float> top_p,         // [batch]
                                                     std::span<std::int64_t> samples,      // [batch]
                                                     sampling::philox_seed seed, cudaStream_t stream = nullptr) {
  if (auto s = sampling::detail::check_spans<Definition>(probs.size(), samples.size(), top_k.size(), top_p.size(),
                                                         true, true);
      !s.ok()) {
    return s;
  }
  if (samples.empty()) return {};  // nothing to sample: empty spans may hold null pointers
  void* tensors[] = {const_cast<float*>(probs.data()), const_cast<std::int32_t*>(top_k.data()),
                     const_cast<float*>(top_p.data()), samples.data()};
  const std::int64_t var_axes[] = {static_cast<std::int64_t>(samples.size())};
  return kernel<Definition>::launch({tensors, var_axes}, seed, stream);
}

}  // namespace solkit
