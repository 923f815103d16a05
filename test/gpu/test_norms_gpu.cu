// GPU test of the layer_norm, l2_norm, gated_rms_norm and fused_qk_rmsnorm kernels against CPU
// references written from their torch references (double math, the references' rounding
// points): random inputs (never zero), outputs poisoned with NaN (0xFF bytes) before each run,
// every shape of definitions/{layer_norm,l2_norm,gated_rms_norm,fused_qk_rmsnorm}/*.json, row
// counts 1, 7 and 4099; the in-place forms must match the out-of-place results bit for bit.
// Then bad input (null and misaligned pointers, a negative count, a wrong number of var axes)
// must be refused with the right code, the definition and the argument named, and the output
// untouched, and a count of 0 must write nothing. `--quick` uses row counts 1, 7 and 33 (for
// compute-sanitizer). Exit 77 (skipped) without a Hopper GPU.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "solkit/ops/fused_qk_rmsnorm/kernel.cuh"
#include "solkit/ops/gated_rms_norm/kernel.cuh"
#include "solkit/ops/l2_norm/kernel.cuh"
#include "solkit/ops/layer_norm/kernel.cuh"
#include "gpu_test_support.hpp"

namespace {

using bf16 = __nv_bfloat16;
using solkit_gpu_test::expect;
using solkit_gpu_test::failures;


/// Device memory for `count` elements plus 16 bytes, so `data + 1` is a misaligned pointer
/// that stays in bounds.
template <class T>
struct device_buffer {
  T* data = nullptr;
  std::size_t count = 0;
  explicit device_buffer(std::size_t n) : count(n) { cudaMalloc(&data, n * sizeof(T) + 16); }
  device_buffer(const device_buffer&) = delete;
  ~device_buffer() { cudaFree(data); }
  void upload(const std::vector<T>& host) { cudaMemcpy(data, host.data(), count * sizeof(T), cudaMemcpyHostToDevice); }
  void fill(unsigned char byte) { cudaMemset(data, byte, count * sizeof(T)); }  // 0xFF: NaN in bf16 and fp16
  std::vector<T> download() const {
    std::vector<T> host(count);
    cudaMemcpy(host.data(), data, count * sizeof(T), cudaMemcpyDeviceToHost);
    return host;
  }
  bool all_bytes(unsigned char byte) const {
    std::vector<unsigned char> host(count * sizeof(T));
    cudaMemcpy(host.data(), data, host.size(), cudaMemcpyDeviceToHost);
    for (unsigned char b : host) if (b != byte) return false;
    return true;
  }
};

template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

/// Random bf16 or fp16 values mean + spread * N(0, 1), never zero.
template <class T>
std::vector<T> random_values(std::size_t n, float mean, float spread, std::mt19937& rng) {
  std::normal_distribution<float> normal{0.0f, 1.0f};
  std::vector<T> values(n);
  for (auto& value : values) {
    float v = mean + spread * normal(rng);
    if (std::fabs(v) < 1e-3f) v = 1e-3f;
    if constexpr (std::is_same_v<T, bf16>) value = __float2bfloat16(v); else value = __float2half(v);
  }
  return values;
}

double f(bf16 v) { return __bfloat162float(v); }
double f(__half v) { return __half2float(v); }

/// Worst |actual - expected| / allowed over a run; above 1 (or NaN) fails. Prints the first few.
struct comparison {
  std::string what;
  double worst = 0;
  int shown = 0;
  void add(double actual, double expected, double allowed, std::int64_t row, std::int64_t col) {
    const double ratio = std::fabs(actual - expected) / allowed;
    if (!(ratio <= 1.0)) {  // NaN fails too
      if (shown++ < 3) std::printf("  %s row %lld col %lld: %.9g vs %.9g\n", what.c_str(), (long long)row, (long long)col, actual, expected);
      worst = std::isnan(ratio) ? INFINITY : std::max(worst, ratio);
    }
  }
  void report() { expect(worst <= 1.0, what + " matches the CPU reference"); }
};

// bf16 outputs are rounded once: within half an ulp, at most 2^-8 of the value, of the exact
// result. The 1.01 lets the GPU's fp32 value (its own rounding order, rsqrtf, __expf: ~1e-6
// relative) land on the other side of a rounding boundary.
double bf16_allowed(double expected, double absolute) { return 1.01 * 0x1p-8 * std::fabs(expected) + absolute; }

// ---------------------------------------------------------------- layer_norm
template <class Definition>
void check_layer_norm(std::int64_t rows, std::mt19937& rng) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::size_t n = rows * hidden;
  // An offset of 4 against a spread of 2 checks that the variance is of the centred values.
  const auto x = random_values<bf16>(n, 4.0f, 2.0f, rng);
  const auto weight = random_values<bf16>(hidden, 1.0f, 0.1f, rng);
  const auto bias = random_values<bf16>(hidden, 0.0f, 0.5f, rng);
  device_buffer<bf16> d_x(n), d_weight(hidden), d_bias(hidden), d_out(n);
  d_x.upload(x), d_weight.upload(weight), d_bias.upload(bias), d_out.fill(0xFF);
  const std::string name = std::string{Definition::name.view()} + " rows " + std::to_string(rows);
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  const auto status = solkit::launch_layer_norm<Definition>(d_x.data, d_weight.data, d_bias.data, d_out.data, rows);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  const auto out = d_out.download();
  comparison compare{name};
  for (std::int64_t r = 0; r < rows; ++r) {
    double sum = 0, squares = 0;
    for (std::int64_t i = 0; i < hidden; ++i) sum += f(x[r * hidden + i]);
    const double mean = sum / hidden;
    for (std::int64_t i = 0; i < hidden; ++i) squares += (f(x[r * hidden + i]) - mean) * (f(x[r * hidden + i]) - mean);
    const double inv_std = 1.0 / std::sqrt(squares / hidden + 1e-5);
    for (std::int64_t i = 0; i < hidden; ++i) {
      const double scaled = (f(x[r * hidden + i]) - mean) * inv_std * f(weight[i]);
      const double expected = scaled + f(bias[i]);
      // Near zero (x near the mean, or + bias cancelling) the fp32 errors are absolute, not
      // relative: the fp32 mean is off by up to a few ulps of |mean| (its rounding, 2^-24
      // |mean|, and the sum's), x - mean inherits that, and the terms add ~1e-6 of themselves.
      const double absolute = 16 * 0x1p-24 * (std::fabs(f(x[r * hidden + i])) + std::fabs(mean)) * inv_std *
                                  std::fabs(f(weight[i])) + 1e-6 * (std::fabs(scaled) + std::fabs(f(bias[i])));
      compare.add(f(out[r * hidden + i]), expected, bf16_allowed(expected, absolute), r, i);
    }
  }
  compare.report();
  d_out.upload(x);  // in place: out is x
  solkit::launch_layer_norm<Definition>(d_out.data, d_weight.data, d_bias.data, d_out.data, rows);
  expect(same_bytes(d_out.download(), out), name + " in place matches out of place");
}

// ---------------------------------------------------------------- l2_norm
template <class Definition>
void check_l2_norm(std::int64_t rows, std::mt19937& rng) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::size_t n = rows * hidden;
  const auto x = random_values<bf16>(n, 0.0f, 3.0f, rng);
  device_buffer<bf16> d_x(n), d_out(n);
  d_x.upload(x), d_out.fill(0xFF);
  const std::string name = std::string{Definition::name.view()} + " rows " + std::to_string(rows);
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  const auto status = solkit::launch_l2_norm<Definition>(d_x.data, d_out.data, rows);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  const auto out = d_out.download();
  comparison compare{name};
  for (std::int64_t r = 0; r < rows; ++r) {
    double squares = 0;
    for (std::int64_t i = 0; i < hidden; ++i) squares += f(x[r * hidden + i]) * f(x[r * hidden + i]);
    const double inv_norm = 1.0 / std::sqrt(squares + 1e-6);
    for (std::int64_t i = 0; i < hidden; ++i) {
      const double expected = f(x[r * hidden + i]) * inv_norm;
      compare.add(f(out[r * hidden + i]), expected, bf16_allowed(expected, 1e-12), r, i);
    }
  }
  compare.report();
  d_out.upload(x);
  solkit::launch_l2_norm<Definition>(d_out.data, d_out.data, rows);
  expect(same_bytes(d_out.download(), out), name + " in place matches out of place");
}

// ---------------------------------------------------------------- gated_rms_norm
template <class Definition>
void check_gated_rms_norm(std::int64_t rows, std::mt19937& rng) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::size_t n = rows * hidden;
  const auto x = random_values<bf16>(n, 0.0f, 3.0f, rng);
  const auto weight = random_values<bf16>(hidden, 1.0f, 0.1f, rng);
  auto z = random_values<bf16>(n, 0.0f, 4.0f, rng);
  z[0] = __float2bfloat16(-100.0f);  // sigmoid's tails: e^100 overflows fp32
  z[n - 1] = __float2bfloat16(100.0f);
  device_buffer<bf16> d_x(n), d_weight(hidden), d_z(n), d_out(n);
  d_x.upload(x), d_weight.upload(weight), d_z.upload(z), d_out.fill(0xFF);
  const std::string name = std::string{Definition::name.view()} + " rows " + std::to_string(rows);
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  const auto status = solkit::launch_gated_rms_norm<Definition>(d_x.data, d_weight.data, d_z.data, d_out.data, rows);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  const auto out = d_out.download();
  comparison compare{name};
  for (std::int64_t r = 0; r < rows; ++r) {
    double squares = 0;
    for (std::int64_t i = 0; i < hidden; ++i) squares += f(x[r * hidden + i]) * f(x[r * hidden + i]);
    const double inv_rms = 1.0 / std::sqrt(squares / hidden + 1e-6);
    for (std::int64_t i = 0; i < hidden; ++i) {
      const double gate = f(z[r * hidden + i]) / (1.0 + std::exp(-f(z[r * hidden + i])));
      const double expected = f(x[r * hidden + i]) * inv_rms * f(weight[i]) * gate;
      // The absolute 1e-30 covers silu(-100) ~ -4e-42, which fp32 may flush to -0.
      compare.add(f(out[r * hidden + i]), expected, bf16_allowed(expected, 1e-30), r, i);
    }
  }
  compare.report();
  d_out.upload(x);
  solkit::launch_gated_rms_norm<Definition>(d_out.data, d_weight.data, d_z.data, d_out.data, rows);
  expect(same_bytes(d_out.download(), out), name + " in place matches out of place");
}

// ---------------------------------------------------------------- fused_qk_rmsnorm
double fp16_ulp(double value) {  // of |value|'s binade; subnormals 2^-24
  int exponent = 0;
  std::frexp(std::fabs(value), &exponent);  // |value| = m 2^exponent, m in [0.5, 1)
  return std::ldexp(1.0, std::max(exponent - 1, -14) - 10);
}

template <class Definition>
void check_fused_qk_rmsnorm(std::int64_t tokens, std::mt19937& rng) {
  constexpr auto axes = Definition::axes;
  constexpr std::int64_t d = axes.head_dim, row = axes.hidden_size(), normed_heads = axes.num_qo_heads + axes.num_kv_heads;
  const std::size_t n = tokens * row;
  const auto x = random_values<__half>(n, 0.0f, 2.0f, rng);
  const auto q_weight = random_values<__half>(d, 1.0f, 0.1f, rng);
  const auto k_weight = random_values<__half>(d, 1.0f, 0.1f, rng);
  device_buffer<__half> d_x(n), d_q(d), d_k(d), d_out(n);
  d_x.upload(x), d_q.upload(q_weight), d_k.upload(k_weight), d_out.fill(0xFF);
  const std::string name = std::string{Definition::name.view()} + " tokens " + std::to_string(tokens);
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  const auto status = solkit::launch_fused_qk_rmsnorm<Definition>(d_x.data, d_q.data, d_k.data, d_out.data, tokens);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  const auto out = d_out.download();
  comparison compare{name};
  bool v_copied = true;
  std::int64_t inexact = 0;
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (std::int64_t h = 0; h < normed_heads; ++h) {
      const std::int64_t base = t * row + h * d;
      const auto& weight = h < axes.num_qo_heads ? q_weight : k_weight;
      double squares = 0;
      for (std::int64_t i = 0; i < d; ++i) squares += f(x[base + i]) * f(x[base + i]);
      const double inv_rms = 1.0 / std::sqrt(squares / d + 1e-6);
      for (std::int64_t i = 0; i < d; ++i) {
        // The reference's two roundings. w * normed is exact in fp32 (11 x 11 bits), so the
        // result matches exactly unless the GPU's fp32 normed value rounds to the neighbouring
        // fp16: then it may differ by |w| ulp(normed) before, and one ulp after, the last rounding.
        const double normed = f(__float2half(static_cast<float>(f(x[base + i]) * inv_rms)));
        const double expected = f(__float2half(static_cast<float>(f(weight[i]) * normed)));
        const double actual = f(out[base + i]);
        inexact += actual != expected;
        compare.add(actual, expected, std::fabs(f(weight[i])) * fp16_ulp(normed) + fp16_ulp(expected), t, h * d + i);
      }
    }
    v_copied = v_copied && std::memcmp(&out[t * row + normed_heads * d], &x[t * row + normed_heads * d],
                                       axes.num_kv_heads * d * sizeof(__half)) == 0;
  }
  compare.report();
  if (inexact > 0) std::printf("  %s: %lld of the normalised values differ by a rounding flip\n", name.c_str(), (long long)inexact);
  expect(v_copied, name + " copies the v heads bit for bit");
  d_out.upload(x);  // the in-place form: q and k as above, v never touched
  const auto inplace = solkit::launch_fused_qk_rmsnorm_inplace<Definition>(d_out.data, d_q.data, d_k.data, tokens);
  expect(inplace.ok(), name + " in-place launch: " + inplace.message);
  expect(same_bytes(d_out.download(), out), name + " in place matches out of place");
}

// ---------------------------------------------------------------- bad input
/// Refused with `code`, the message naming the definition and `argument`.
void refused(const solkit::launch_status& status, solkit::launch_error_code code, std::string_view definition,
             const char* argument) {
  expect(status.code == code && status.message.find(definition) != std::string::npos &&
             status.message.find(argument) != std::string::npos,
         std::string{definition} + " refused naming " + argument + " (got: " + status.message + ")");
}

/// `launch(inputs..., out, count)` refuses null and misaligned pointers and bad counts, leaves
/// the output (filled with 0x11) untouched, and launches nothing for count 0. `names` are the
/// definition's tensor names in argument order, the output last.
template <class Definition, class T, std::size_t tensors, class Launch>
void check_refusals(Launch launch, const char* const (&names)[tensors], const char* count_name) {
  constexpr std::int64_t rows = 4, elements = rows * 16384;  // enough for 4 rows of every definition used
  std::vector<device_buffer<T>*> buffers;
  for (std::size_t i = 0; i < tensors; ++i) buffers.push_back(new device_buffer<T>(elements));
  for (std::size_t i = 0; i + 1 < tensors; ++i) buffers[i]->fill(0x3C);  // ~1.0 in fp16, ~0.01 in bf16
  buffers[tensors - 1]->fill(0x11);
  T* p[tensors];
  const auto reset = [&] { for (std::size_t i = 0; i < tensors; ++i) p[i] = buffers[i]->data; };
  const std::string_view name = Definition::name.view();
  for (std::size_t i = 0; i < tensors; ++i) {
    reset(), p[i] = nullptr;
    refused(launch(p, rows), solkit::launch_error_code::null_pointer, name, names[i]);
    reset(), p[i] = buffers[i]->data + 1;
    refused(launch(p, rows), solkit::launch_error_code::misaligned_pointer, name, names[i]);
  }
  reset();
  refused(launch(p, -1), solkit::launch_error_code::bad_size, name, count_name);
  refused(launch(p, std::int64_t{1} << 31), solkit::launch_error_code::bad_size, name, count_name);
  if constexpr (tensors == Definition::spec.inputs.size() + Definition::spec.outputs.size()) {  // not the in-place form
    void* erased[tensors];
    for (std::size_t i = 0; i < tensors; ++i) erased[i] = p[i];
    const std::int64_t two_axes[] = {rows, rows};  // every one of these definitions has one var axis
    refused(solkit::kernel<Definition>::launch({erased, two_axes}, nullptr), solkit::launch_error_code::bad_size,
            name, "var_axes");
  }
  expect(launch(p, 0).ok(), std::string{name} + ": a count of 0 is a no-op, not an error");
  expect(cudaDeviceSynchronize() == cudaSuccess, std::string{name} + " synchronize");
  expect(buffers[tensors - 1]->all_bytes(0x11), std::string{name} + ": refused launches and count 0 leave the output untouched");
  for (auto* buffer : buffers) delete buffer;
}

void check_bad_input() {
  using layer_norm = solkit::layer_norm<solkit::layer_norm_axes{2048}>;
  check_refusals<layer_norm, bf16>(
      [](bf16* const* p, std::int64_t count) { return solkit::launch_layer_norm<layer_norm>(p[0], p[1], p[2], p[3], count); },
      {"x", "weight", "bias", "out"}, "num_rows");
  using l2_norm = solkit::l2_norm<solkit::l2_norm_axes{2048}>;
  check_refusals<l2_norm, bf16>(
      [](bf16* const* p, std::int64_t count) { return solkit::launch_l2_norm<l2_norm>(p[0], p[1], count); },
      {"x", "out"}, "num_tokens");
  using gated = solkit::gated_rms_norm<solkit::gated_rms_norm_axes{128}>;
  check_refusals<gated, bf16>(
      [](bf16* const* p, std::int64_t count) { return solkit::launch_gated_rms_norm<gated>(p[0], p[1], p[2], p[3], count); },
      {"x", "weight", "z", "out"}, "rows");
  using qk = solkit::fused_qk_rmsnorm<solkit::fused_qk_rmsnorm_axes{32, 4, 128}>;
  check_refusals<qk, __half>(
      [](__half* const* p, std::int64_t count) { return solkit::launch_fused_qk_rmsnorm<qk>(p[0], p[1], p[2], p[3], count); },
      {"hidden_states", "q_weight", "k_weight", "out"}, "num_tokens");
  // The in-place form: hidden_states is also the output, so it must be left as it was.
  check_refusals<qk, __half>(
      [](__half* const* p, std::int64_t count) { return solkit::launch_fused_qk_rmsnorm_inplace<qk>(p[2], p[0], p[1], count); },
      {"q_weight", "k_weight", "hidden_states"}, "num_tokens");
}

}  // namespace

int main(int argc, char** argv) {
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  const bool quick = argc > 1 && std::string_view{argv[1]} == "--quick";
  std::mt19937 rng{2026};
  for (std::int64_t rows : {std::int64_t{1}, std::int64_t{7}, quick ? std::int64_t{33} : std::int64_t{4099}}) {
    // Every shape of definitions/<op_type>/*.json.
    check_layer_norm<solkit::layer_norm<solkit::layer_norm_axes{1152}>>(rows, rng);
    check_layer_norm<solkit::layer_norm<solkit::layer_norm_axes{2048}>>(rows, rng);
    check_layer_norm<solkit::layer_norm<solkit::layer_norm_axes{4096}>>(rows, rng);
    check_layer_norm<solkit::layer_norm<solkit::layer_norm_axes{5120}>>(rows, rng);
    check_l2_norm<solkit::l2_norm<solkit::l2_norm_axes{2048}>>(rows, rng);
    check_gated_rms_norm<solkit::gated_rms_norm<solkit::gated_rms_norm_axes{128}>>(rows, rng);
    check_fused_qk_rmsnorm<solkit::fused_qk_rmsnorm<solkit::fused_qk_rmsnorm_axes{32, 4, 128}>>(rows, rng);
    check_fused_qk_rmsnorm<solkit::fused_qk_rmsnorm<solkit::fused_qk_rmsnorm_axes{32, 8, 128}>>(rows, rng);
    check_fused_qk_rmsnorm<solkit::fused_qk_rmsnorm<solkit::fused_qk_rmsnorm_axes{40, 8, 128}>>(rows, rng);
    check_fused_qk_rmsnorm<solkit::fused_qk_rmsnorm<solkit::fused_qk_rmsnorm_axes{64, 8, 128}>>(rows, rng);
  }
  for (std::int64_t rows : {1, 7, 33}) {
    // Rows wider than one warp's 4 vectors per thread (multi-warp reductions, 8 vectors per
    // thread at 16384, a partial last pass at 4104), few rows: the CPU reference of wide rows is slow.
    check_layer_norm<solkit::layer_norm<solkit::layer_norm_axes{16384}>>(rows, rng);
    check_l2_norm<solkit::l2_norm<solkit::l2_norm_axes{8192}>>(rows, rng);
    check_gated_rms_norm<solkit::gated_rms_norm<solkit::gated_rms_norm_axes{4104}>>(rows, rng);
    check_fused_qk_rmsnorm<solkit::fused_qk_rmsnorm<solkit::fused_qk_rmsnorm_axes{4, 2, 4096}>>(rows, rng);
  }
  check_bad_input();
  return solkit_gpu_test::finish(properties);
}
