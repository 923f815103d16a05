#pragma once
// Index arrays of an attention launch read back to the host, for the debug checks only (the fast
// path never reads index contents on the host): one synchronous copy per array on `stream`.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <cuda_runtime.h>

#include "solkit/core/launch_status.hpp"

namespace solkit::attention {

/// Copies `count` int32 values of device memory into `host`; a failed copy is reported as a
/// cuda_error naming the definition and the array.
inline launch_status read_indices(std::string_view definition, std::string_view array, const void* device,
                                  std::int64_t count, cudaStream_t stream, std::vector<std::int32_t>& host) {
  host.assign(static_cast<std::size_t>(count > 0 ? count : 0), 0);
  if (host.empty()) return {};
  const cudaError_t copied =
      cudaMemcpyAsync(host.data(), device, host.size() * sizeof(std::int32_t), cudaMemcpyDeviceToHost, stream);
  const cudaError_t synced = copied == cudaSuccess ? cudaStreamSynchronize(stream) : copied;
  if (synced == cudaSuccess) return {};
  return launch_status::failure(launch_error_code::cuda_error, definition, array,
                                std::string{"could not be read back for the debug checks: "} + cudaGetErrorString(synced));
}

}  // namespace solkit::attention
