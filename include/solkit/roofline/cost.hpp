#pragma once
// What a definition must move and compute for one workload: the minimal traffic (each input
// read once and each output written once, in real dtype sizes; only the KV pages and experts
// the workload touches; index arrays included; intermediates not counted) and the FLOPs of each
// execution unit. ../shared/docs/SOL.md defines it; docs/sol.md says how each op type counts.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "solkit/core/config.hpp"

namespace solkit::roofline {

/// The units a FLOP can be charged to. Tensor-core work by input dtype; the rest on CUDA cores
/// in fp32 (an FMA counts 2); transcendentals (exp, rsqrt, sigmoid, softplus) on the SFU.
enum class execution_unit : std::uint8_t {
  tensor_bf16,  // bf16 and fp16 inputs
  tensor_fp8,
  tensor_tf32,
  cuda_fp32,
  sfu,
};

inline constexpr std::size_t execution_unit_count = 5;

inline constexpr std::array all_execution_units{
    execution_unit::tensor_bf16, execution_unit::tensor_fp8, execution_unit::tensor_tf32,
    execution_unit::cuda_fp32, execution_unit::sfu};

constexpr std::string_view name_of(execution_unit unit) {
  switch (unit) {
    case execution_unit::tensor_bf16: return "tensor_bf16";
    case execution_unit::tensor_fp8: return "tensor_fp8";
    case execution_unit::tensor_tf32: return "tensor_tf32";
    case execution_unit::cuda_fp32: return "cuda_fp32";
    case execution_unit::sfu: return "sfu";
  }
  return "";
}

struct cost {
  double bytes_read = 0;
  double bytes_written = 0;
  std::array<double, execution_unit_count> flops{};  // indexed by execution_unit

  SOLKIT_HOST_DEVICE constexpr double bytes() const { return bytes_read + bytes_written; }
  constexpr double flops_of(execution_unit unit) const { return flops[static_cast<std::size_t>(unit)]; }
  constexpr double total_flops() const {
    double total = 0;
    for (double f : flops) total += f;
    return total;
  }

  constexpr cost& read(double bytes) {
    bytes_read += bytes;
    return *this;
  }
  constexpr cost& write(double bytes) {
    bytes_written += bytes;
    return *this;
  }
  constexpr cost& compute(execution_unit unit, double count) {
    flops[static_cast<std::size_t>(unit)] += count;
    return *this;
  }

  /// `count` runs of this cost (a definition run by `count` layers).
  constexpr cost times(double count) const {
    cost scaled = *this;
    scaled.bytes_read *= count;
    scaled.bytes_written *= count;
    for (double& f : scaled.flops) f *= count;
    return scaled;
  }

  constexpr cost& operator+=(const cost& other) {
    bytes_read += other.bytes_read;
    bytes_written += other.bytes_written;
    for (std::size_t i = 0; i < flops.size(); ++i) flops[i] += other.flops[i];
    return *this;
  }
};

}  // namespace solkit::roofline
