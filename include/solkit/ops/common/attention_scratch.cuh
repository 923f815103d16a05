#pragma once
// A grow-only scratch buffer per device for the split-KV partial results of the attention
// decode kernels (per split: the normalised fp32 output rows and their base-2 lse), used when the
// caller passes no workspace of its own.
//
// Contract:
// - The first call that needs more bytes than the device's buffer holds allocates (cudaFree of
//   the old buffer, which waits for the device, then cudaMalloc). Allocation is not allowed while
//   `stream` is being captured: such a call fails with cuda_error and nothing is launched. So a
//   CUDA graph capture must follow a warm-up call of at least the same size outside the capture
//   (the size depends only on the definition and the device, not on the batch: see
//   `gqa_paged_decode_workspace_bytes`).
// - Thread-safe: a lease holds the buffer's lock until it is destroyed, so a launcher keeps it
//   across its kernel launches and no other thread can free the buffer in between.
// - One buffer per device, shared by every launch on that device: launches on different streams
//   that run concurrently would overwrite each other's partials. Such callers pass their own
//   workspace (the launchers' workspace overloads) instead.

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include <cuda_runtime.h>

#include "solkit/core/launch_status.hpp"

namespace solkit::attention {

class scratch_lease {
 public:
  void* pointer = nullptr;  // at least the requested bytes when status.ok()
  launch_status status;

  scratch_lease(std::string_view definition, std::size_t bytes, cudaStream_t stream) : lock_{mutex()} {
    int device = 0;
    if (cudaGetDevice(&device) != cudaSuccess || device < 0 || device >= max_devices) {
      cudaGetLastError();
      status = launch_status::failure(launch_error_code::cuda_error, definition, "workspace", "has no device");
      return;
    }
    buffer& b = buffers()[device];
    if (b.bytes < bytes) {
      cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
      if (cudaStreamIsCapturing(stream, &capture) != cudaSuccess || capture != cudaStreamCaptureStatusNone) {
        cudaGetLastError();
        status = launch_status::failure(
            launch_error_code::cuda_error, definition, "workspace",
            "needs " + std::to_string(bytes) +
                " bytes of scratch and cannot allocate during stream capture: make one warm-up call outside "
                "the capture first, or pass a workspace");
        return;
      }
      // Grow geometrically in whole MiB so that a slowly growing workload allocates rarely.
      std::size_t grown = std::max(bytes, 2 * b.bytes);
      grown = (grown + (std::size_t{1} << 20) - 1) & ~((std::size_t{1} << 20) - 1);
      if (b.pointer != nullptr) cudaFree(b.pointer);  // waits for kernels still using it
      b = {};
      if (cudaMalloc(&b.pointer, grown) != cudaSuccess) {
        cudaGetLastError();
        b.pointer = nullptr;
        status = launch_status::failure(launch_error_code::cuda_error, definition, "workspace",
                                        "could not allocate " + std::to_string(grown) + " bytes of scratch");
        return;
      }
      b.bytes = grown;
    }
    pointer = b.pointer;
  }

 private:
  static constexpr int max_devices = 64;
  struct buffer {
    void* pointer = nullptr;
    std::size_t bytes = 0;
  };
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static buffer* buffers() {
    static buffer b[max_devices];
    return b;
  }
  std::unique_lock<std::mutex> lock_;
};

}  // namespace solkit::attention
