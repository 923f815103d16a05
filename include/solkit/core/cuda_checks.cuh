#pragma once
// Argument checks every CUDA launcher runs before it launches anything: pointers present and
// aligned for the kernel's vector loads, and a device the kernels were built for (sm_90).

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include <cuda_runtime.h>

#include "solkit/core/launch_status.hpp"

namespace solkit::detail {

/// `pointer` is non-null and `alignment`-byte aligned, or the failure naming `argument`.
inline launch_status check_pointer(std::string_view definition, std::string_view argument,
                                   const void* pointer, std::size_t alignment) {
  if (pointer == nullptr) {
    return launch_status::failure(launch_error_code::null_pointer, definition, argument, "is null");
  }
  if (reinterpret_cast<std::uintptr_t>(pointer) % alignment != 0) {
    return launch_status::failure(launch_error_code::misaligned_pointer, definition, argument,
                                  "is not " + std::to_string(alignment) +
                                      "-byte aligned (the kernel loads 16-byte vectors)");
  }
  return {};
}

/// The current device is a Hopper (compute capability 9.x), which solkit's kernels target. The
/// answer is cached per device: launchers call this on every launch, and a small kernel's whole
/// budget is a few microseconds.
inline launch_status check_hopper(std::string_view definition) {
  constexpr int max_devices = 64;
  static std::atomic<int> major_of[max_devices] = {};  // 0: not asked yet
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess) {
    cudaGetLastError();  // clear the error of a missing device
    return launch_status::failure(launch_error_code::unsupported_device, definition, "device",
                                  "is not available (no CUDA device)");
  }
  int major = device < max_devices ? major_of[device].load(std::memory_order_relaxed) : 0;
  if (major == 0) {
    if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess) {
      cudaGetLastError();
      return launch_status::failure(launch_error_code::unsupported_device, definition, "device",
                                    "is not available (no CUDA device)");
    }
    if (device < max_devices) major_of[device].store(major, std::memory_order_relaxed);
  }
  if (major != 9) {
    return launch_status::failure(launch_error_code::unsupported_device, definition, "device",
                                  "has compute capability " + std::to_string(major) +
                                      ".x; solkit's kernels are built for sm_90");
  }
  return {};
}

/// A failed CUDA call as a cuda_error of `definition` ("could not <doing>: <CUDA's message>"). The
/// error is cleared: the status reports it.
inline launch_status cuda_failure(std::string_view definition, std::string_view doing, cudaError_t status) {
  cudaGetLastError();
  return launch_status::failure(launch_error_code::cuda_error, definition, "launch",
                                "could not " + std::string{doing} + ": " + cudaGetErrorString(status));
}

/// A positive int of the current device, worked out by `compute(device, value)` (a
/// launch_status) on the device's first call and cached for later ones; devices past the first
/// 64 compute it on every call (correct, only slower). The cache belongs to the Compute type, so
/// each call site (a lambda, unique to its enclosing template's instantiation) has its own.
template <class Compute>
launch_status once_per_device(std::string_view definition, int& value, Compute compute) {
  constexpr int max_devices = 64;
  static std::atomic<int> value_of[max_devices] = {};  // 0: not worked out yet on that device
  int device = 0;
  if (const cudaError_t status = cudaGetDevice(&device); status != cudaSuccess) {
    return cuda_failure(definition, "find the current device", status);
  }
  if (device < max_devices && (value = value_of[device].load(std::memory_order_acquire)) != 0) return {};
  if (launch_status computed = compute(device, value); !computed.ok()) return computed;
  if (device < max_devices) value_of[device].store(value, std::memory_order_release);
  return {};
}

/// Raises `kernel`'s dynamic shared-memory limit on the current device, once per device (it is an
/// attribute of each device: a limit set on one GPU does not hold on another). `bytes` in: the
/// limit the kernel needs, the same on every call, or 0 for the most the device allows beyond the
/// kernel's static shared memory; out: the limit in force. A failure names `definition`, and
/// nothing is launched.
template <auto kernel>
launch_status raise_dynamic_shared_memory(std::string_view definition, int& bytes) {
  const int wanted = bytes;
  return once_per_device(definition, bytes, [&](int device, int& limit) -> launch_status {
    limit = wanted;
    if (limit == 0) {
      int optin = 0;
      cudaFuncAttributes attributes{};
      if (const cudaError_t status = cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device);
          status != cudaSuccess) {
        return cuda_failure(definition, "read the shared-memory limit", status);
      }
      if (const cudaError_t status = cudaFuncGetAttributes(&attributes, kernel); status != cudaSuccess) {
        return cuda_failure(definition, "read the kernel's attributes", status);
      }
      limit = optin - static_cast<int>(attributes.sharedSizeBytes);
    }
    if (const cudaError_t status = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, limit);
        status != cudaSuccess) {
      return cuda_failure(definition, "raise the shared-memory limit", status);
    }
    return {};
  });
}

inline launch_status launched(std::string_view definition) {
  const cudaError_t status = cudaGetLastError();
  if (status == cudaSuccess) return {};
  return launch_status::failure(launch_error_code::cuda_error, definition, "launch",
                                std::string{"failed: "} + cudaGetErrorString(status));
}

}  // namespace solkit::detail
