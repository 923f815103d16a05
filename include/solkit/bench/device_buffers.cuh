#pragma once
// Device memory for benchmarking one definition on one workload: every tensor of the spec sized
// from its const axes and the workload's var axes, several whole argument sets (rotated by the
// harness so the working set exceeds the L2), inputs filled on the GPU with random values.

#include <algorithm>
#include <array>
#include <optional>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "solkit/core/dtype.hpp"
#include "solkit/core/kernel.cuh"

namespace solkit::bench {

namespace detail {

/// A 32-bit hash of (seed, index): inputs differ per tensor and per set, reproducibly.
__device__ __forceinline__ std::uint32_t mix(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + index * 0xD1B54A32D192ED03ull;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 32;
  return static_cast<std::uint32_t>(x);
}

/// Fills `bytes` of a tensor of `type`: floats uniform in +-[1/16, 2) (never zero, any sign),
/// integers uniform in [0, bound), fp8 and other narrow types as random bytes of small values.
__global__ void fill_random(unsigned char* data, std::uint64_t bytes, dtype type, std::int64_t bound,
                            std::uint64_t seed) {
  const std::uint64_t stride = static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x;; i += stride) {
    const std::uint64_t element_bytes = size_bytes(type, 1) == 0 ? 1 : size_bytes(type, 1);
    if (i * element_bytes >= bytes) return;
    const std::uint32_t h = mix(seed, i);
    const float magnitude = 0.0625f + (h >> 8) * (1.9375f / 16777216.0f);
    const float value = (h & 1u) != 0 ? -magnitude : magnitude;
    switch (type) {
      case dtype::float32: reinterpret_cast<float*>(data)[i] = value; break;
      case dtype::float16: reinterpret_cast<__half*>(data)[i] = __float2half_rn(value); break;
      case dtype::bfloat16: reinterpret_cast<__nv_bfloat16*>(data)[i] = __float2bfloat16_rn(value); break;
      case dtype::int64: reinterpret_cast<std::int64_t*>(data)[i] = static_cast<std::int64_t>(h % bound); break;
      case dtype::int32: reinterpret_cast<std::int32_t*>(data)[i] = static_cast<std::int32_t>(h % bound); break;
      case dtype::int16: reinterpret_cast<std::int16_t*>(data)[i] = static_cast<std::int16_t>(h % bound); break;
      case dtype::int8: reinterpret_cast<std::int8_t*>(data)[i] = static_cast<std::int8_t>(h % bound); break;
      case dtype::boolean: data[i] = static_cast<unsigned char>(h & 1u); break;
      default: data[i] = static_cast<unsigned char>(0x30 + (h & 0x0F) + ((h & 0x10) << 3)); break;  // fp8/fp4: +-small
    }
  }
}

inline bool is_integer(dtype type) {
  return type == dtype::int64 || type == dtype::int32 || type == dtype::int16 || type == dtype::int8;
}

template <class Definition>
concept has_index_bound = requires(std::string_view input, std::span<const std::int64_t> axes) {
  { kernel<Definition>::index_bound(input, axes) } -> std::convertible_to<std::int64_t>;
};

/// Definitions whose integer inputs are structured (attention's indptr and page arrays) build
/// them on the host from the var axes: non-empty means "use these values".
template <class Definition>
concept has_benchmark_indices = requires(std::string_view input, std::span<const std::int64_t> axes, std::uint64_t seed) {
  { kernel<Definition>::benchmark_indices(input, axes, seed) } -> std::same_as<std::vector<std::int32_t>>;
};

/// Definitions whose float inputs must have a structure random values lack (sampling's rows are
/// probability distributions) fill them on the device themselves: true means "filled".
template <class Definition>
concept has_benchmark_fill =
    requires(std::string_view input, void* device, std::size_t bytes, std::span<const std::int64_t> axes, std::uint64_t seed) {
      { kernel<Definition>::benchmark_fill(input, device, bytes, axes, seed) } -> std::same_as<bool>;
    };

}  // namespace detail

/// `count()` whole argument sets of `Definition` for one workload, in one allocation.
template <class Definition>
class argument_sets {
 public:
  static constexpr std::size_t tensor_count = Definition::spec.inputs.size() + Definition::spec.outputs.size();

  explicit argument_sets(const std::vector<std::int64_t>& var_axes) {
    if (var_axes.size() != solkit::detail::var_axis_count(Definition::spec)) {
      error_ = std::string{Definition::name.view()} + ": the workload gives " + std::to_string(var_axes.size()) +
               " var axes; the definition has " + std::to_string(solkit::detail::var_axis_count(Definition::spec));
      return;
    }
    std::uint64_t set_bytes = 0;
    for (std::size_t t = 0; t < tensor_count; ++t) {
      const tensor_spec& tensor = tensor_at(t);
      std::uint64_t elements = 1;
      for (std::string_view axis : tensor.shape) elements *= static_cast<std::uint64_t>(axis_value(axis, var_axes));
      tensor_bytes_[t] = size_bytes(tensor.type, elements);
      offsets_[t] = set_bytes;
      set_bytes += (tensor_bytes_[t] + 255) / 256 * 256;  // 256-byte aligned tensors
    }
    set_bytes_ = std::max<std::uint64_t>(set_bytes, 256);
    int device = 0, l2_bytes = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&l2_bytes, cudaDevAttrL2CacheSize, device);
    constexpr std::uint64_t max_pool = std::uint64_t{1} << 30;
    const std::uint64_t wanted = (4 * static_cast<std::uint64_t>(l2_bytes) + set_bytes_ - 1) / set_bytes_;
    count_ = static_cast<std::size_t>(std::clamp<std::uint64_t>(wanted, 1, std::max<std::uint64_t>(1, max_pool / set_bytes_)));
    if (cudaMalloc(&pool_, set_bytes_ * count_) != cudaSuccess) {
      cudaGetLastError();
      pool_ = nullptr;
      error_ = std::string{Definition::name.view()} + ": cannot allocate " + std::to_string(set_bytes_ * count_) +
               " bytes of argument sets";
      return;
    }
    for (std::size_t set = 0; set < count_; ++set) {
      for (std::size_t t = 0; t < Definition::spec.inputs.size(); ++t) {
        const tensor_spec& tensor = Definition::spec.inputs[t];
        std::int64_t bound = 1;
        if (detail::is_integer(tensor.type)) {
          if constexpr (detail::has_index_bound<Definition>) {
            bound = kernel<Definition>::index_bound(tensor.name, var_axes);
          } else {
            error_ = std::string{Definition::name.view()} + ": integer input '" + std::string{tensor.name} +
                     "' needs kernel<>::index_bound for its benchmark values";
            return;
          }
        }
        if (tensor_bytes_[t] == 0) continue;
        if constexpr (detail::has_benchmark_indices<Definition>) {
          const std::vector<std::int32_t> values = kernel<Definition>::benchmark_indices(tensor.name, var_axes, set * 131 + t);
          if (!values.empty()) {
            if (tensor.type != dtype::int32 || values.size() * sizeof(std::int32_t) != tensor_bytes_[t]) {
              error_ = std::string{Definition::name.view()} + ": benchmark_indices gives " + std::to_string(values.size()) +
                       " values for '" + std::string{tensor.name} + "', which holds " + std::to_string(tensor_bytes_[t]) + " bytes";
              return;
            }
            cudaMemcpy(pool_ + set * set_bytes_ + offsets_[t], values.data(), tensor_bytes_[t], cudaMemcpyHostToDevice);
            continue;
          }
        }
        if constexpr (detail::has_benchmark_fill<Definition>) {
          if (kernel<Definition>::benchmark_fill(tensor.name, pool_ + set * set_bytes_ + offsets_[t], tensor_bytes_[t],
                                                 var_axes, set * 131 + t)) {
            continue;
          }
        }
        detail::fill_random<<<1024, 256>>>(pool_ + set * set_bytes_ + offsets_[t], tensor_bytes_[t], tensor.type,
                                           std::max<std::int64_t>(bound, 1), set * 131 + t);
      }
      for (std::size_t t = 0; t < tensor_count; ++t) pointers_.push_back(pool_ + set * set_bytes_ + offsets_[t]);
    }
    if (cudaDeviceSynchronize() != cudaSuccess) error_ = "filling the argument sets failed";
  }
  argument_sets(const argument_sets&) = delete;
  argument_sets& operator=(const argument_sets&) = delete;
  ~argument_sets() { cudaFree(pool_); }

  const std::string& error() const { return error_; }
  std::size_t count() const { return count_; }
  std::uint64_t bytes_per_set() const { return set_bytes_; }
  /// The device pointers of set `set`, in the definition's argument order.
  std::span<void* const> tensors(std::size_t set) const { return {pointers_.data() + set * tensor_count, tensor_count}; }

 private:
  static constexpr const tensor_spec& tensor_at(std::size_t t) {
    return t < Definition::spec.inputs.size() ? Definition::spec.inputs[t] : Definition::spec.outputs[t - Definition::spec.inputs.size()];
  }
  static std::int64_t axis_value(std::string_view name, const std::vector<std::int64_t>& var_axes) {
    if (const std::optional<std::int64_t> constant = Definition::spec.const_value(name)) return *constant;
    const int index = solkit::detail::var_axis_index(Definition::spec, name);
    return index < 0 ? 0 : var_axes[static_cast<std::size_t>(index)];
  }

  unsigned char* pool_ = nullptr;
  std::uint64_t set_bytes_ = 0;
  std::size_t count_ = 0;
  std::array<std::uint64_t, tensor_count> tensor_bytes_{};
  std::array<std::uint64_t, tensor_count> offsets_{};
  std::vector<void*> pointers_;
  std::string error_;
};

}  // namespace solkit::bench
