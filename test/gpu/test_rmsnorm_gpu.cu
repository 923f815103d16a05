// GPU test of the rmsnorm kernel against a CPU reference: random bf16 rows (never zero), outputs
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

namespace {

int failures = 0;

void expect(bool condition, const std::string& what) {
  if (!condition) {
    ++failures;
    std::printf("FAIL: %s\n", what.c_str());
  }
}

float to_float(__nv_bfloat16 value) { return __bfloat162float(value); }

template <class Definition>
void check_rows(std::int64_t batch, std::mt19937& rng) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::string name{Definition::name.view()};
  std::normal_distribution<float> normal{0.0f, 1.0f};
  std::vector<__nv_bfloat16> x(batch * hidden), weight(hidden), out(batch * hidden);
  for (auto& value : x) {
    float v = normal(rng) * 3.0f;
    if (std::fabs(v) < 1e-3f) v = 1e-3f;  // never zero
    value = __float2bfloat16(v);
  }
  for (auto& value : weight) value = __float2bfloat16(1.0f + 0.1f * normal(rng));

  __nv_bfloat16 *d_x = nullptr, *d_weight = nullptr, *d_out = nullptr;
  cudaMalloc(&d_x, x.size() * 2);
  cudaMalloc(&d_weight, weight.size() * 2);
  cudaMalloc(&d_out, out.size() * 2);
  cudaMemcpy(d_x, x.data(), x.size() * 2, cudaMemcpyHostToDevice);
  cudaMemcpy(d_weight, weight.data(), weight.size() * 2, cudaMemcpyHostToDevice);
  cudaMemset(d_out, 0xFF, out.size() * 2);  // NaN in bf16: a row left unwritten fails
  const solkit::launch_status status = solkit::launch_rmsnorm<Definition>(d_x, d_weight, d_out, batch);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  cudaMemcpy(out.data(), d_out, out.size() * 2, cudaMemcpyDeviceToHost);

  double worst = 0;
  for (std::int64_t row = 0; row < batch; ++row) {
    double sum = 0;
    for (std::int64_t i = 0; i < hidden; ++i) sum += double(to_float(x[row * hidden + i])) * to_float(x[row * hidden + i]);
    const double inv_rms = 1.0 / std::sqrt(sum / hidden + 1e-5);
    for (std::int64_t i = 0; i < hidden; ++i) {
      const double expected = to_float(x[row * hidden + i]) * inv_rms * to_float(weight[i]);
      const double actual = to_float(out[row * hidden + i]);
      // One bf16 rounding of the result (2^-8 relative) plus fp32 accumulation slack.
      const double error = std::fabs(actual - expected) / (std::fabs(expected) * 0x1p-8 + 1e-6);
      if (!(error <= 1.01)) {  // NaN fails too
        if (worst <= 1.01) {
          std::printf("  %s batch %lld row %lld col %lld: %g vs %g\n", name.c_str(), (long long)batch,
                      (long long)row, (long long)i, actual, expected);
        }
        worst = std::isnan(error) ? INFINITY : std::max(worst, error);
      }
    }
  }
  expect(worst <= 1.01, name + " batch " + std::to_string(batch) + " matches the CPU reference");
  cudaFree(d_x);
  cudaFree(d_weight);
  cudaFree(d_out);
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

template <std::int64_t... hidden_sizes>
void check_all(std::mt19937& rng) {
  for (std::int64_t batch : {1, 7, 4099}) {
    (check_rows<solkit::rmsnorm<solkit::rmsnorm_axes{hidden_sizes}>>(batch, rng), ...);
  }
}

}  // namespace

int main() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("SKIPPED: no CUDA device\n");
    return 77;
  }
  cudaDeviceProp properties{};
  cudaGetDeviceProperties(&properties, 0);
  if (properties.major != 9) {
    std::printf("SKIPPED: %s is sm_%d%d; the kernels are built for sm_90\n", properties.name,
                properties.major, properties.minor);
    return 77;
  }
  std::mt19937 rng{2026};
  // Hidden sizes of the catalog's rmsnorm definitions (per-head q/k norms 128 and 256 included)
  // and a row longer than one CTA pass (16384).
  check_all<128, 256, 1024, 1536, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 16384>(rng);
  check_bad_input();
  std::printf("%s: %d failure(s)\n", properties.name, failures);
  return failures == 0 ? 0 : 1;
}
