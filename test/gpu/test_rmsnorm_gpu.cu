// GPU test of the RMSNorm family's kernels (rmsnorm, fused_add_rmsnorm, the Gemma forms, the
// in-place fused add, atrex's rms_norm and fused_add_rms_norm) against a CPU reference: random bf16 rows (never zero), outputs
// poisoned with NaN before each run, every hidden size of the catalog's rmsnorm definitions
// that this file instantiates, batch sizes 1 to 4099; then bad input (null and misaligned
// pointers, negative batch) must be refused with the definition and argument named and the
// output untouched, and batch 0 must write nothing. Exit 77 (skipped) without a Hopper GPU.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/rmsnorm/kernel.cuh"
#include "gpu_test_support.hpp"

namespace {

using solkit_gpu_test::expect;
using solkit_gpu_test::failures;


float to_float(__nv_bfloat16 value) { return __bfloat162float(value); }

/// How a family member computes, for the CPU reference.
struct reference_variant {
  bool fused_add = false, one_plus_weight = false, write_sum = false, round_sum = false;
  double eps = 1e-5;
};

/// Random bf16 values, never zero.
std::vector<__nv_bfloat16> random_rows(std::size_t count, float scale, float offset, std::mt19937& rng) {
  std::normal_distribution<float> normal{0.0f, 1.0f};
  std::vector<__nv_bfloat16> values(count);
  for (auto& value : values) {
    float v = offset + normal(rng) * scale;
    if (std::fabs(v) < 1e-3f) v = 1e-3f;
    value = __float2bfloat16(v);
  }
  return values;
}

__nv_bfloat16* to_device(const std::vector<__nv_bfloat16>& host) {
  __nv_bfloat16* device = nullptr;
  cudaMalloc(&device, host.size() * 2);
  cudaMemcpy(device, host.data(), host.size() * 2, cudaMemcpyHostToDevice);
  return device;
}

std::vector<__nv_bfloat16> to_host(const __nv_bfloat16* device, std::size_t count) {
  std::vector<__nv_bfloat16> host(count);
  cudaMemcpy(host.data(), device, count * 2, cudaMemcpyDeviceToHost);
  return host;
}

/// Worst error of `actual` against the reference, in units of one bf16 rounding (2^-8 relative)
/// plus fp32 accumulation slack; NaN (an unwritten, poisoned element) counts as infinite.
double check_against_reference(const std::string& what, std::int64_t batch, std::int64_t hidden,
                               const std::vector<__nv_bfloat16>& x, const std::vector<__nv_bfloat16>& residual,
                               const std::vector<__nv_bfloat16>& weight, const reference_variant& v,
                               const std::vector<__nv_bfloat16>& out, const std::vector<__nv_bfloat16>* sum_out) {
  double worst = 0;
  std::vector<double> row(hidden);
  for (std::int64_t r = 0; r < batch; ++r) {
    double sum = 0;
    for (std::int64_t i = 0; i < hidden; ++i) {
      double value = to_float(x[r * hidden + i]);
      if (v.fused_add) {
        value += to_float(residual[r * hidden + i]);
        const float rounded = to_float(__float2bfloat16(static_cast<float>(value)));
        if (sum_out != nullptr) {
          const double got = to_float((*sum_out)[r * hidden + i]);
          // The stored sum is the fp32 sum rounded once to bf16: exact match expected.
          if (!(got == rounded)) worst = std::max(worst, std::isnan(got) ? INFINITY : 1e9);
        }
        if (v.round_sum) value = rounded;
      }
      row[i] = value;
      sum += value * value;
    }
    const double inv_rms = 1.0 / std::sqrt(sum / hidden + v.eps);
    for (std::int64_t i = 0; i < hidden; ++i) {
      const double w = to_float(weight[i]);
      const double expected = row[i] * inv_rms * (v.one_plus_weight ? 1.0 + w : w);
      const double actual = to_float(out[r * hidden + i]);
      const double error = std::fabs(actual - expected) / (std::fabs(expected) * 0x1p-8 + 1e-6);
      if (!(error <= 1.01) && worst <= 1.01) {
        std::printf("  %s batch %lld row %lld col %lld: %g vs %g\n", what.c_str(), (long long)batch, (long long)r,
                    (long long)i, actual, expected);
      }
      worst = std::isnan(error) ? INFINITY : std::max(worst, error);
    }
  }
  return worst;
}

/// One definition of the family through its kernel<> entry point (tensors in definition order),
/// outputs poisoned with NaN first; `in_place` runs the engine-facing in-place fused add instead.
template <class Definition>
void check_family_member(const reference_variant& v, std::int64_t batch, std::mt19937& rng, bool in_place = false) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::string name = std::string{Definition::name.view()} + (in_place ? " (in place)" : "");
  const std::size_t count = static_cast<std::size_t>(batch * hidden);
  const auto x = random_rows(count, 3.0f, 0.0f, rng);
  const auto residual = random_rows(count, 2.0f, 0.5f, rng);
  const auto weight = random_rows(static_cast<std::size_t>(hidden), 0.1f, v.one_plus_weight ? 0.0f : 1.0f, rng);
  __nv_bfloat16* d_x = to_device(x);
  __nv_bfloat16* d_residual = to_device(residual);
  __nv_bfloat16* d_weight = to_device(weight);
  __nv_bfloat16 *d_out = nullptr, *d_sum = nullptr;
  cudaMalloc(&d_out, count * 2);
  cudaMalloc(&d_sum, count * 2);
  cudaMemset(d_out, 0xFF, count * 2);  // NaN in bf16: a row left unwritten fails
  cudaMemset(d_sum, 0xFF, count * 2);
  solkit::launch_status status;
  if (in_place) {
    if constexpr (requires { solkit::launch_fused_add_rmsnorm_inplace<Definition>(d_x, d_residual, d_weight, batch); }) {
      status = solkit::launch_fused_add_rmsnorm_inplace<Definition>(d_x, d_residual, d_weight, batch);
    }
  } else {
    std::vector<void*> tensors{d_x};
    if (v.fused_add) tensors.push_back(d_residual);
    tensors.push_back(d_weight);
    tensors.push_back(d_out);
    if (v.write_sum) tensors.push_back(d_sum);
    const std::int64_t var_axes[] = {batch};
    status = solkit::launch<Definition>({tensors, var_axes});
  }
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  const auto out = to_host(in_place ? d_x : d_out, count);
  const auto sum = to_host(in_place ? d_residual : d_sum, count);
  const double worst = check_against_reference(name, batch, hidden, x, residual, weight, v, out,
                                               v.write_sum || in_place ? &sum : nullptr);
  expect(worst <= 1.01, name + " batch " + std::to_string(batch) + " matches the CPU reference");
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  for (void* p : {(void*)d_x, (void*)d_residual, (void*)d_weight, (void*)d_out, (void*)d_sum}) cudaFree(p);
}

template <class Definition>
void check_rows(std::int64_t batch, std::mt19937& rng) {
  check_family_member<Definition>({}, batch, rng);
}

void check_bad_input() {
  using norm = solkit::rmsnorm<solkit::rmsnorm_axes{4096}>;
  __nv_bfloat16 *x = nullptr, *weight = nullptr, *out = nullptr;
  cudaMalloc(&x, 4 * 4096 * 2 + 16);
  cudaMalloc(&weight, 4096 * 2);
  cudaMalloc(&out, 4 * 4096 * 2);
  cudaMemset(x, 0x3F, 4 * 4096 * 2 + 16);
  cudaMemset(out, 0x11, 4 * 4096 * 2);
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code,
                           const char* argument) {
    expect(status.code == code && status.message.find("rmsnorm_h4096") != std::string::npos &&
               status.message.find(argument) != std::string::npos,
           std::string{"refused naming "} + argument + " (got: " + status.message + ")");
  };
  refused(solkit::launch_rmsnorm<norm>(nullptr, weight, out, 4), solkit::launch_error_code::null_pointer, "hidden_states");
  refused(solkit::launch_rmsnorm<norm>(x, nullptr, out, 4), solkit::launch_error_code::null_pointer, "weight");
  refused(solkit::launch_rmsnorm<norm>(x, weight, nullptr, 4), solkit::launch_error_code::null_pointer, "output");
  refused(solkit::launch_rmsnorm<norm>(x + 1, weight, out, 4), solkit::launch_error_code::misaligned_pointer,
          "hidden_states");
  refused(solkit::launch_rmsnorm<norm>(x, weight, out, -1), solkit::launch_error_code::bad_size, "batch_size");
  expect(solkit::launch_rmsnorm<norm>(x, weight, out, 0).ok(), "batch 0 is a no-op, not an error");
  cudaDeviceSynchronize();
  std::vector<unsigned char> after(4 * 4096 * 2);
  cudaMemcpy(after.data(), out, after.size(), cudaMemcpyDeviceToHost);
  bool untouched = true;
  for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  expect(untouched, "refused launches and batch 0 leave the output untouched");
  cudaFree(x);
  cudaFree(weight);
  cudaFree(out);
}

template <std::int64_t... hidden>
void check_fused_add(std::int64_t batch, std::mt19937& rng) {
  (check_family_member<solkit::fused_add_rmsnorm<solkit::fused_add_rmsnorm_axes{hidden}>>({true}, batch, rng), ...);
}
template <std::int64_t... hidden>
void check_gemma(std::int64_t batch, std::mt19937& rng) {
  (check_family_member<solkit::gemma_rmsnorm<solkit::gemma_rmsnorm_axes{hidden}>>({false, true, false, false, 1e-6},
                                                                                  batch, rng), ...);
  (check_family_member<solkit::gemma_fused_add_rmsnorm<solkit::gemma_fused_add_rmsnorm_axes{hidden}>>(
       {true, true, false, false, 1e-6}, batch, rng), ...);
}
template <std::int64_t... hidden>
void check_atrex(std::int64_t batch, std::mt19937& rng) {
  (check_family_member<solkit::rms_norm<solkit::rms_norm_axes{hidden}>>({false, false, false, false, 1e-6}, batch,
                                                                        rng), ...);
}
template <std::int64_t... hidden>
void check_atrex_fused_add(std::int64_t batch, std::mt19937& rng) {
  (check_family_member<solkit::fused_add_rms_norm<solkit::fused_add_rms_norm_axes{hidden}>>(
       {true, false, true, true, 1e-6}, batch, rng), ...);
}

template <std::int64_t... hidden_sizes>
void check_all(std::mt19937& rng, bool quick) {
  for (std::int64_t batch : {std::int64_t{1}, std::int64_t{7}, std::int64_t{quick ? 33 : 4099}}) {
    (check_rows<solkit::rmsnorm<solkit::rmsnorm_axes{hidden_sizes}>>(batch, rng), ...);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // --quick: small batches only, for compute-sanitizer (which slows kernels a hundredfold).
  const bool quick = argc > 1 && std::string{argv[1]} == "--quick";
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  std::mt19937 rng{2026};
  // Hidden sizes of the catalog's rmsnorm definitions (per-head q/k norms 128 and 256 included)
  // and a row longer than one CTA pass (16384).
  check_all<128, 256, 512, 1024, 1536, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 16384>(rng, quick);
  // The rest of the family: every hidden size of definitions/rmsnorm, rms_norm and
  // fused_add_rms_norm (the catalog's plans and atrex's shapes), plus FIB's public 2880.
  for (std::int64_t batch : {std::int64_t{1}, std::int64_t{7}, std::int64_t{quick ? 33 : 1031}}) {
    check_fused_add<2048, 2880, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 16384>(batch, rng);
    check_gemma<128, 256, 2048, 5376>(batch, rng);
    check_atrex<128, 256, 512, 1024, 1152, 1280, 1536, 2048, 2560, 3584, 5120, 7168, 8192>(batch, rng);
    check_atrex_fused_add<1280, 2048, 5120, 7168>(batch, rng);
    // The engine-facing in-place fused add (plain loads: outputs alias inputs).
    check_family_member<solkit::fused_add_rmsnorm<solkit::fused_add_rmsnorm_axes{4096}>>({true}, batch, rng, true);
    check_family_member<solkit::gemma_fused_add_rmsnorm<solkit::gemma_fused_add_rmsnorm_axes{2048}>>(
        {true, true, false, false, 1e-6}, batch, rng, true);
  }
  check_bad_input();
  return solkit_gpu_test::finish(properties);
}
