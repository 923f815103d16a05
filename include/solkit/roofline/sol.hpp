#pragma once
// The speed-of-light time of a cost on a GPU: the larger of moving its bytes at the HBM
// bandwidth and computing each unit's FLOPs at that unit's datasheet peak (units work
// concurrently), and the score S = T_SOL / T_measured of a measurement.

#include <cstddef>
#include <string_view>

#include "solkit/roofline/cost.hpp"
#include "solkit/roofline/hardware.hpp"

namespace solkit::roofline {

struct sol_result {
  double seconds = 0;                                  // T_SOL
  double memory_seconds = 0;                           // bytes / bandwidth
  std::array<double, execution_unit_count> unit_seconds{};  // flops / peak, per unit
  bool memory_bound = true;
  execution_unit binding_unit = execution_unit::cuda_fp32;  // when compute bound

  /// "memory", or the name of the unit whose FLOPs take longest.
  constexpr std::string_view bound() const { return memory_bound ? "memory" : name_of(binding_unit); }

  /// S = T_SOL / T_measured (1.0 is at the limit).
  constexpr double score(double measured_seconds) const { return seconds / measured_seconds; }
};

/// Bytes per second a measurement achieved.
constexpr double achieved_bandwidth(const cost& c, double measured_seconds) {
  return c.bytes() / measured_seconds;
}

/// FLOP/s a measurement achieved on one unit.
constexpr double achieved_flops(const cost& c, execution_unit unit, double measured_seconds) {
  return c.flops_of(unit) / measured_seconds;
}

/// T_SOL = max(bytes / B_hbm, max over units of flops / P_unit). A unit with FLOPs that the GPU
/// lacks (fp8 on A100: peak 0) makes the time infinite; one whose rate is not modelled (peak < 0)
/// is left out.
constexpr sol_result sol(const cost& c, const hardware& gpu) {
  sol_result result;
  result.memory_seconds = c.bytes() / gpu.hbm_bytes_per_second;
  result.seconds = result.memory_seconds;
  for (execution_unit unit : all_execution_units) {
    const double flops = c.flops_of(unit);
    if (flops <= 0) continue;
    const double peak = gpu.peak(unit);
    if (peak < 0) continue;
    const double seconds = peak > 0 ? flops / peak : 1e300;
    result.unit_seconds[static_cast<std::size_t>(unit)] = seconds;
    if (seconds > result.seconds) {
      result.seconds = seconds;
      result.memory_bound = false;
      result.binding_unit = unit;
    }
  }
  return result;
}

}  // namespace solkit::roofline
