#pragma once
// Datasheet dense peaks (sparsity off) per execution unit and the memory bandwidth of the GPUs
// solkit bounds kernels on. Sources per entry; the research behind them, with the sparse/dense
// traps of several pages, is docs/research/hardware_peaks.md. Measured ceilings (a copy's
// bandwidth, cuBLAS's rate) may be reported beside these but never replace them in T_SOL.
//
// The SFU row is derived, not published: 16 transcendental results per SM per clock (the rate
// the FlashAttention-4 write-ups give for Hopper and Blackwell) x SMs x boost clock.

#include <array>
#include <cstddef>
#include <string_view>

#include "solkit/roofline/cost.hpp"

namespace solkit::roofline {

struct hardware {
  std::string_view name;
  double hbm_bytes_per_second = 0;
  // Per execution_unit: 0 means the GPU has no such unit (its work cannot run: infinite time);
  // a negative value means the rate is not modelled for this GPU (that unit's work is ignored).
  std::array<double, execution_unit_count> peak_flops{};
  std::string_view source;

  constexpr double peak(execution_unit unit) const { return peak_flops[static_cast<std::size_t>(unit)]; }
};

namespace detail {
inline constexpr double tera = 1e12;
constexpr std::array<double, execution_unit_count> peaks(double bf16, double fp8, double tf32,
                                                         double fp32, double sfu) {
  return {bf16 * tera, fp8 * tera, tf32 * tera, fp32 * tera, sfu < 0 ? -1.0 : sfu * tera};
}
}  // namespace detail

inline constexpr hardware h100_sxm{
    "H100_SXM", 3.35e12, detail::peaks(989.4, 1978.9, 494.7, 66.9, 4.2),
    "NVIDIA H100 datasheet (SXM5 80GB), sparse figures halved; copies: hpctech.co.jp, "
    "glennklockwood.com/garden/processors/h100"};
inline constexpr hardware h200_sxm{
    "H200_SXM", 4.8e12, detail::peaks(989.4, 1978.9, 494.7, 66.9, 4.2),
    "NVIDIA H200 datasheet (SXM 141GB): H100's compute (TF32 taken from H100: same silicon and "
    "clocks), 4.8 TB/s HBM3e; copies: itkb.uw.cz, hmc-tech.com"};
inline constexpr hardware h20{
    "H20", 4.0e12, detail::peaks(148, 296, 74, 44, 2.5),
    "atrex-bench's H20.yaml (vendor figures) and HGX H20 partner sheets (1cnz.cn, "
    "zangshuxian.com); the fp32 44 TFLOP/s is the published figure"};
inline constexpr hardware b200{
    "B200", 7.7e12, detail::peaks(2250, 4500, 1100, 75, 4.7),
    "NVIDIA HGX B200 table, per GPU, dense (launch figures were 8.0 TB/s and 80 fp32); copies: "
    "glennklockwood.com/garden/processors/B200, hmc-tech.com"};
inline constexpr hardware a100_sxm_80gb{
    "A100_SXM_80GB", 2.039e12, detail::peaks(312, 0, 156, 19.5, 2.4),
    "NVIDIA A100 datasheet (SXM4 80GB), sparse figures halved, no fp8 tensor cores; copies: "
    "glennklockwood.com/garden/processors/A100, thundercompute.com"};
inline constexpr hardware l40s{
    "L40S", 0.864e12, detail::peaks(362, 733, 183, 91.6, 5.7),
    "NVIDIA L40S datasheet, sparse figures halved (bf16 printed 362.05 dense); copies: "
    "mullet.se, hmc-tech.com"};

/// atrex-bench's reference accelerator, on which its production kernels' times were measured:
/// a CDNA3 (gfx942) part. No tf32 path; its transcendental rate is not modelled.
inline constexpr hardware xpu_a{
    "XPU-A", 5.3e12, detail::peaks(232.65, 465.3, 0, 29.1, -1),
    "atrex-bench's XPU-A.yaml (bench/suites/atrex/XPU-A.yaml): vendor-published dense peaks"};

inline constexpr std::array<const hardware*, 7> all_hardware{
    &h100_sxm, &h200_sxm, &h20, &b200, &a100_sxm_80gb, &l40s, &xpu_a};

/// The GPU named `name` (H100_SXM, H200_SXM, H20, B200, A100_SXM_80GB, L40S, XPU-A), or nullptr.
constexpr const hardware* find_hardware(std::string_view name) {
  for (const hardware* gpu : all_hardware) {
    if (gpu->name == name) return gpu;
  }
  return nullptr;
}

}  // namespace solkit::roofline
