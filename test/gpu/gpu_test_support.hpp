#pragma once
// What every GPU test program shares: the failure count and `expect`, the skip (exit 77) when
// there is no sm_90 GPU, and the end of `main`: `passed <definition>` for each definition the
// test checked when the whole test passed (bench/results/ keeps the log, and the coverage
// document's GPU column reads those lines), then the summary line, then the exit status.

#include <cstdio>
#include <set>
#include <string>

#include <cuda_runtime.h>

namespace solkit_gpu_test {

inline int failures = 0;

/// Counts and prints a failure when `condition` is false.
inline void expect(bool condition, const std::string& what) {
  if (!condition) {
    ++failures;
    std::printf("FAIL: %s\n", what.c_str());
  }
}

inline std::set<std::string>& checked_definitions() {
  static std::set<std::string> names;
  return names;
}

/// Records that `definition` was run against the CPU reference by this test.
inline void checked(const std::string& definition) { checked_definitions().insert(definition); }

/// Device 0 is an sm_90 GPU (its properties in `properties`); otherwise prints why the test is
/// skipped and returns false: `main` then returns 77, which ctest reports as skipped.
inline bool hopper_available(cudaDeviceProp& properties) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("SKIPPED: no CUDA device\n");
    return false;
  }
  cudaGetDeviceProperties(&properties, 0);
  if (properties.major != 9) {
    std::printf("SKIPPED: %s is sm_%d%d; the kernels are built for sm_90\n", properties.name, properties.major,
                properties.minor);
    return false;
  }
  return true;
}

/// The end of a test's `main`: the passed definitions (only when nothing failed), the summary,
/// and the exit status.
inline int finish(const cudaDeviceProp& properties) {
  if (failures == 0) {
    for (const std::string& name : checked_definitions()) std::printf("passed %s\n", name.c_str());
  }
  std::printf("%s: %d failure(s)\n", properties.name, failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace solkit_gpu_test
