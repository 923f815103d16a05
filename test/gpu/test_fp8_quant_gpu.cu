// GPU test of the three fp8 (float8_e4m3fn) quantisation kernels against CPU references:
// fp8_dynamic_per_token_quant, per_token_group_quant_fp8 and fused_rmsnorm_quant, every shape of
// their definitions/<op_type>/*.json, token counts 1, 7 and 1031. Inputs are random bf16 with a
// spread of magnitudes (each row, and each 128-channel run, scaled by its own power of two, and
// outliers), never all zero, plus a zero row (the scale floors) and a tiny row (amax below the
// floors). Outputs are poisoned with NaN (0xFF: NaN in fp8 e4m3fn, bf16 and fp32) before each
// run, so an unwritten element fails. Then bad input (null and misaligned pointers, a negative
// count, wrong tensor and var-axis counts) must be refused with the definition and argument
// named and the outputs untouched, and 0 tokens must write nothing. Exit 77 without sm_90.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/fp8_dynamic_per_token_quant/kernel.cuh"
#include "solkit/ops/fused_rmsnorm_quant/kernel.cuh"
#include "solkit/ops/per_token_group_quant_fp8/kernel.cuh"
#include "gpu_test_support.hpp"

namespace {

using solkit_gpu_test::expect;
using solkit_gpu_test::failures;


float to_float(__nv_bfloat16 value) { return __bfloat162float(value); }
float round_bf16(float value) { return to_float(__float2bfloat16(value)); }

/// float8_e4m3fn code of `value`, rounded to nearest even, saturated to +-448 (the references'
/// clamp, then torch's round-to-nearest-even cast). Written here, independently of cuda_fp8.h.
std::uint8_t encode_e4m3(float value) {
  const std::uint8_t sign = std::signbit(value) ? 0x80 : 0x00;
  const double a = std::fabs(static_cast<double>(value));
  if (std::isnan(value)) return 0x7F;
  if (a >= 448.0) return sign | 0x7E;
  if (a == 0.0) return sign;
  int e = 0;
  std::frexp(a, &e);                          // a = m * 2^e, m in [0.5, 1)
  const int exponent = std::max(e - 1, -6);   // subnormals share the spacing of 2^-6's binade
  const double n = std::nearbyint(a / std::ldexp(1.0, exponent - 3));  // ties to even; exact division
  if (exponent == -6 && n < 8) return sign | static_cast<std::uint8_t>(n);  // subnormal (or 0)
  const int biased = (n == 16 ? exponent + 1 : exponent) + 7;
  const int mantissa = n == 16 ? 0 : static_cast<int>(n) - 8;
  return sign | static_cast<std::uint8_t>(biased << 3 | mantissa);
}

/// Distance in fp8 codes (ulps) between two finite e4m3fn codes; 1000 when either is NaN.
int code_distance(std::uint8_t a, std::uint8_t b) {
  if ((a & 0x7F) == 0x7F || (b & 0x7F) == 0x7F) return 1000;
  const int ordered_a = (a & 0x80) ? -(a & 0x7F) : (a & 0x7F);
  const int ordered_b = (b & 0x80) ? -(b & 0x7F) : (b & 0x7F);
  return std::abs(ordered_a - ordered_b);
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

/// Device memory freed at scope exit.
struct device_buffer {
  void* pointer = nullptr;
  std::size_t bytes = 0;
  explicit device_buffer(std::size_t size) : bytes(size) { cudaMalloc(&pointer, size + 16); }
  ~device_buffer() { cudaFree(pointer); }
  device_buffer(const device_buffer&) = delete;
  template <class T>
  T* as() const { return static_cast<T*>(pointer); }
  template <class T>
  void upload(const std::vector<T>& host) const { cudaMemcpy(pointer, host.data(), bytes, cudaMemcpyHostToDevice); }
  template <class T>
  void download(std::vector<T>& host) const { cudaMemcpy(host.data(), pointer, bytes, cudaMemcpyDeviceToHost); }
};

/// Random rows [tokens, hidden]: normal values, each row and each 128-channel run scaled by a
/// power of two (rows 2^-20..2^6, runs 2^-6..2^2: a spread of scales, subnormal fp8 outputs
/// where a run is small next to its row's amax), one element in 97 an outlier (x 16), never a
/// zero element; row 3 all zero and row 5 scaled by 2^-52 (amax < 2^-44, below both floors).
std::vector<__nv_bfloat16> random_rows(std::int64_t tokens, std::int64_t hidden, std::mt19937& rng) {
  std::normal_distribution<float> normal{0.0f, 1.0f};
  std::uniform_int_distribution<int> row_exponent{-20, 6}, run_exponent{-6, 2}, outlier{0, 96};
  std::vector<__nv_bfloat16> rows(tokens * hidden);
  for (std::int64_t t = 0; t < tokens; ++t) {
    const int row_power = t == 5 ? -52 : row_exponent(rng);
    float run_scale = 1.0f;
    for (std::int64_t i = 0; i < hidden; ++i) {
      if (i % 128 == 0) run_scale = std::ldexp(1.0f, row_power + run_exponent(rng));
      float v = normal(rng) * (outlier(rng) == 0 ? 16.0f : 1.0f);
      if (std::fabs(v) < 1e-2f) v = std::copysign(1e-2f, v);  // never zero
      rows[t * hidden + i] = __float2bfloat16(t == 3 ? 0.0f : v * run_scale);
    }
  }
  return rows;
}

/// Compares fp8 codes: `exact` requires the same code, otherwise one code apart is allowed.
struct code_tally {
  std::int64_t off_by_one = 0, bad = 0;
  void add(std::uint8_t actual, std::uint8_t expected, bool exact, const std::string& name, std::int64_t row,
           std::int64_t column) {
    const int distance = code_distance(actual, expected);
    if (distance == 0) return;
    if (distance == 1) ++off_by_one;
    if (distance == 1 && !exact) return;
    if (bad++ < 3) {
      std::printf("  %s [%lld, %lld]: code %02x, expected %02x\n", name.c_str(), (long long)row, (long long)column,
                  actual, expected);
    }
  }
};

// fp8_dynamic_per_token_quant and per_token_group_quant_fp8 are computed op for op as their
// references do (amax exact; one IEEE division or reciprocal and one multiply or division in
// fp32; round to nearest even), so scales and codes must be bit-exact: no tolerance.

template <class Definition>
void check_per_token(std::int64_t tokens, std::mt19937& rng) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::string name{Definition::name.view()};
  solkit_gpu_test::checked(name);
  const std::vector<__nv_bfloat16> x = random_rows(tokens, hidden, rng);
  std::vector<std::uint8_t> q(tokens * hidden);
  std::vector<float> scale(tokens);
  device_buffer d_x(x.size() * 2), d_q(q.size()), d_scale(scale.size() * 4);
  d_x.upload(x);
  cudaMemset(d_q.pointer, 0xFF, d_q.bytes);  // NaN: unwritten fails
  cudaMemset(d_scale.pointer, 0xFF, d_scale.bytes);
  const solkit::launch_status status = solkit::launch_fp8_dynamic_per_token_quant<Definition>(
      d_x.as<__nv_bfloat16>(), d_q.as<__nv_fp8_e4m3>(), d_scale.as<float>(), tokens);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  d_q.download(q);
  d_scale.download(scale);
  code_tally tally;
  std::int64_t bad_scales = 0;
  for (std::int64_t t = 0; t < tokens; ++t) {
    float amax = 0.0f;
    for (std::int64_t i = 0; i < hidden; ++i) amax = std::max(amax, std::fabs(to_float(x[t * hidden + i])));
    const float expected_scale = std::max(amax, 1e-12f) / 448.0f;
    const float reciprocal = 1.0f / expected_scale;
    if (!same_bits(scale[t], expected_scale) && bad_scales++ < 3) {
      std::printf("  %s row %lld: scale %a, expected %a\n", name.c_str(), (long long)t, scale[t], expected_scale);
    }
    for (std::int64_t i = 0; i < hidden; ++i) {
      const float scaled = std::clamp(to_float(x[t * hidden + i]) * reciprocal, -448.0f, 448.0f);
      tally.add(q[t * hidden + i], encode_e4m3(scaled), true, name, t, i);
    }
  }
  expect(bad_scales == 0 && tally.bad == 0,
         name + " tokens " + std::to_string(tokens) + " matches the CPU reference bit for bit (" +
             std::to_string(bad_scales) + " scales, " + std::to_string(tally.bad) + " codes differ)");
}

template <class Definition>
void check_groups(std::int64_t tokens, std::mt19937& rng) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size, group = Definition::axes.group_size;
  constexpr std::int64_t groups = hidden / group;
  const std::string name{Definition::name.view()};
  solkit_gpu_test::checked(name);
  const std::vector<__nv_bfloat16> x = random_rows(tokens, hidden, rng);
  std::vector<std::uint8_t> q(tokens * hidden);
  std::vector<float> scales(tokens * groups);
  device_buffer d_x(x.size() * 2), d_q(q.size()), d_scales(scales.size() * 4);
  d_x.upload(x);
  cudaMemset(d_q.pointer, 0xFF, d_q.bytes);
  cudaMemset(d_scales.pointer, 0xFF, d_scales.bytes);
  const solkit::launch_status status = solkit::launch_per_token_group_quant_fp8<Definition>(
      d_x.as<__nv_bfloat16>(), d_q.as<__nv_fp8_e4m3>(), d_scales.as<float>(), tokens);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  d_q.download(q);
  d_scales.download(scales);
  code_tally tally;
  std::int64_t bad_scales = 0;
  for (std::int64_t g = 0; g < tokens * groups; ++g) {  // token-major: group g is elements g * G ...
    float amax = 0.0f;
    for (std::int64_t i = 0; i < group; ++i) amax = std::max(amax, std::fabs(to_float(x[g * group + i])));
    const float expected_scale = std::max(amax / 448.0f, 1e-10f);
    if (!same_bits(scales[g], expected_scale) && bad_scales++ < 3) {
      std::printf("  %s group %lld: scale %a, expected %a\n", name.c_str(), (long long)g, scales[g], expected_scale);
    }
    for (std::int64_t i = 0; i < group; ++i) {
      const float scaled = std::clamp(to_float(x[g * group + i]) / expected_scale, -448.0f, 448.0f);
      tally.add(q[g * group + i], encode_e4m3(scaled), true, name + " group, element", g, i);
    }
  }
  expect(bad_scales == 0 && tally.bad == 0,
         name + " tokens " + std::to_string(tokens) + " matches the CPU reference bit for bit (" +
             std::to_string(bad_scales) + " scales, " + std::to_string(tally.bad) + " codes differ)");
}

// fused_rmsnorm_quant: residual_out is bit-exact (one fp32 add of bf16 values, one rounding).
// The norm's sum of squares is reduced in another order than here (double), so inv_rms differs
// by a few fp32 ulps and a normed value next to a bf16 rounding midpoint may round the other way:
// one bf16 ulp, at most 2^-7 relative. Hence the scale (amax / 448) is checked to 2^-7 relative
// (plus 2^-15 for the fp32 rounding of the division by 448 on both sides),
// and the codes are checked against normed_reference / (the kernel's scale), allowing one fp8
// ulp: a 2^-7 relative change moves a value by less than the half ulp of e4m3 (2^-5 relative
// at least for normals, 2^-10 absolute for subnormals), so it crosses at most one midpoint.
template <class Definition>
void check_fused(std::int64_t tokens, std::mt19937& rng) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::string name{Definition::name.view()};
  solkit_gpu_test::checked(name);
  std::vector<__nv_bfloat16> x = random_rows(tokens, hidden, rng), residual = random_rows(tokens, hidden, rng);
  std::vector<__nv_bfloat16> weight(hidden), residual_out(tokens * hidden);
  std::normal_distribution<float> normal{0.0f, 1.0f};
  for (auto& w : weight) w = __float2bfloat16(1.0f + 0.2f * normal(rng));
  if (tokens > 3) {  // row 3: x = -residual, a zero sum (scale 1, inv_rms = 1 / sqrt(eps))
    for (std::int64_t i = 0; i < hidden; ++i) {
      residual[3 * hidden + i] = __float2bfloat16(1.0f + normal(rng));
      x[3 * hidden + i] = __float2bfloat16(-to_float(residual[3 * hidden + i]));
    }
  }
  std::vector<std::uint8_t> q(tokens * hidden);
  std::vector<float> scale(tokens);
  device_buffer d_x(x.size() * 2), d_residual(residual.size() * 2), d_weight(weight.size() * 2);
  device_buffer d_q(q.size()), d_scale(scale.size() * 4), d_residual_out(residual_out.size() * 2);
  d_x.upload(x);
  d_residual.upload(residual);
  d_weight.upload(weight);
  for (const device_buffer* out : {&d_q, &d_scale, &d_residual_out}) cudaMemset(out->pointer, 0xFF, out->bytes);
  const solkit::launch_status status = solkit::launch_fused_rmsnorm_quant<Definition>(
      d_x.as<__nv_bfloat16>(), d_residual.as<__nv_bfloat16>(), d_weight.as<__nv_bfloat16>(),
      d_q.as<__nv_fp8_e4m3>(), d_scale.as<float>(), d_residual_out.as<__nv_bfloat16>(), tokens);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  d_q.download(q);
  d_scale.download(scale);
  d_residual_out.download(residual_out);
  code_tally tally;
  std::int64_t bad_sums = 0, bad_scales = 0;
  std::vector<float> normed(hidden);
  for (std::int64_t t = 0; t < tokens; ++t) {
    double sum_of_squares = 0;
    for (std::int64_t i = 0; i < hidden; ++i) {
      const float sum = round_bf16(to_float(x[t * hidden + i]) + to_float(residual[t * hidden + i]));
      if (!same_bits(to_float(residual_out[t * hidden + i]), sum) && bad_sums++ < 3) {
        std::printf("  %s [%lld, %lld]: residual_out %g, expected %g\n", name.c_str(), (long long)t, (long long)i,
                    to_float(residual_out[t * hidden + i]), sum);
      }
      normed[i] = sum;
      sum_of_squares += double(sum) * sum;
    }
    const double inv_rms = 1.0 / std::sqrt(sum_of_squares / hidden + 1e-5);
    float amax = 0.0f;
    for (std::int64_t i = 0; i < hidden; ++i) {
      normed[i] = round_bf16(static_cast<float>(normed[i] * inv_rms * to_float(weight[i])));
      amax = std::max(amax, std::fabs(normed[i]));
    }
    const float expected_scale = amax == 0.0f ? 1.0f : amax / 448.0f;
    const bool scale_ok = amax == 0.0f ? scale[t] == 1.0f
                                       : std::fabs(scale[t] - expected_scale) <= 0x1.01p-7f * expected_scale;
    if (!scale_ok && bad_scales++ < 3) {  // NaN fails too
      std::printf("  %s row %lld: scale %g, expected %g\n", name.c_str(), (long long)t, scale[t], expected_scale);
    }
    for (std::int64_t i = 0; i < hidden; ++i) {
      const float scaled = std::clamp(normed[i] / scale[t], -448.0f, 448.0f);
      tally.add(q[t * hidden + i], encode_e4m3(scaled), false, name, t, i);
    }
  }
  expect(bad_sums == 0 && bad_scales == 0 && tally.bad == 0,
         name + " tokens " + std::to_string(tokens) + " matches the CPU reference (" + std::to_string(bad_sums) +
             " residual_out, " + std::to_string(bad_scales) + " scales, " + std::to_string(tally.bad) +
             " codes beyond one ulp; " + std::to_string(tally.off_by_one) + " codes one ulp off)");
}

/// Bad input through the type-erased entry point: each tensor null, then misaligned; a negative
/// token_count; wrong tensor and var-axis counts; all refused naming the definition and the
/// argument, with the outputs untouched; then 0 tokens launches nothing. `bytes`: each tensor's
/// size for 4 tokens, in spec order.
template <class Definition>
void check_bad_input(const std::vector<std::size_t>& bytes) {
  constexpr const solkit::definition_spec& spec = Definition::spec;
  const std::string name{Definition::name.view()};
    const std::size_t inputs = spec.inputs.size();
  std::vector<device_buffer*> buffers;
  std::vector<void*> tensors;
  for (std::size_t t = 0; t < bytes.size(); ++t) {
    buffers.push_back(new device_buffer(bytes[t]));
    cudaMemset(buffers[t]->pointer, t < inputs ? 0x3F : 0x11, bytes[t] + 16);
    tensors.push_back(buffers[t]->pointer);
  }
  const auto launch = [&](const std::vector<void*>& pointers, std::size_t tensor_count, std::int64_t tokens,
                          std::size_t axis_count) {
    const std::int64_t values[] = {tokens, tokens};
    return solkit::launch<Definition>({std::span<void* const>{pointers.data(), tensor_count},
                                       std::span<const std::int64_t>{values, axis_count}});
  };
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code,
                           std::string_view argument) {
    expect(status.code == code && status.message.find(name + ": " + std::string{argument} + " ") == 0,
           name + " refused naming " + std::string{argument} + " (got: " + status.message + ")");
  };
  using code = solkit::launch_error_code;
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    const std::string_view argument = t < inputs ? spec.inputs[t].name : spec.outputs[t - inputs].name;
    std::vector<void*> pointers = tensors;
    pointers[t] = nullptr;
    refused(launch(pointers, tensors.size(), 4, 1), code::null_pointer, argument);
    pointers[t] = static_cast<char*>(tensors[t]) + 8;
    refused(launch(pointers, tensors.size(), 4, 1), code::misaligned_pointer, argument);
  }
  refused(launch(tensors, tensors.size(), -1, 1), code::bad_size, "token_count");
  refused(launch(tensors, tensors.size() - 1, 4, 1), code::bad_size, "tensors");
  refused(launch(tensors, tensors.size(), 4, 2), code::bad_size, "var_axes");
  expect(launch(tensors, tensors.size(), 0, 1).ok(), name + ": 0 tokens is a no-op, not an error");
  cudaDeviceSynchronize();
  for (std::size_t t = inputs; t < tensors.size(); ++t) {
    std::vector<unsigned char> after(bytes[t]);
    cudaMemcpy(after.data(), tensors[t], after.size(), cudaMemcpyDeviceToHost);
    const bool untouched = std::all_of(after.begin(), after.end(), [](unsigned char b) { return b == 0x11; });
    expect(untouched, name + ": refused launches and 0 tokens leave output " + std::to_string(t - inputs) +
                          " untouched");
  }
  for (device_buffer* buffer : buffers) delete buffer;
}

/// Informational, not a check: the average time of `launch(stream)` over 20 back-to-back runs,
/// and of the same 20 replayed as a CUDA graph (the host's launch path removed, as the bench
/// harness's T_graph_us), and the bandwidth of `bytes` moved per run (the targets: >= 85% of
/// HBM for >= 64 MB, <= 3 us for tiny workloads).
template <class Launch>
void report_speed(const std::string& what, double bytes, Launch&& launch) {
  cudaStream_t stream = nullptr;
  cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  constexpr int iterations = 20;
  const auto timed = [&](auto&& body) {
    body();  // warm-up
    cudaEventRecord(start, stream);
    body();
    cudaEventRecord(stop, stream);
    cudaEventSynchronize(stop);
    float ms = 0;
    cudaEventElapsedTime(&ms, start, stop);
    return ms / 1e3 / iterations;
  };
  const double seconds = timed([&] { for (int i = 0; i < iterations; ++i) launch(stream); });
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t graph_exec = nullptr;
  cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal);
  for (int i = 0; i < iterations; ++i) launch(stream);
  cudaStreamEndCapture(stream, &graph);
  double graph_seconds = 0;
  if (graph != nullptr && cudaGraphInstantiate(&graph_exec, graph, 0) == cudaSuccess) {
    graph_seconds = timed([&] { cudaGraphLaunch(graph_exec, stream); });
    cudaGraphExecDestroy(graph_exec);
  }
  if (graph != nullptr) cudaGraphDestroy(graph);
  std::printf("  speed %s: %.2f us (graph %.2f us), %.0f GB/s (%.1f MB)\n", what.c_str(), seconds * 1e6,
              graph_seconds * 1e6, bytes / seconds / 1e9, bytes / 1e6);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  cudaStreamDestroy(stream);
}

void check_speed() {
  using per_token = solkit::fp8_dynamic_per_token_quant<solkit::fp8_dynamic_per_token_quant_axes{7168}>;
  using per_group = solkit::per_token_group_quant_fp8<solkit::per_token_group_quant_fp8_axes{7168, 128}>;
  using fused = solkit::fused_rmsnorm_quant<solkit::fused_rmsnorm_quant_axes{4096}>;
  for (std::int64_t t : {1, 16384}) {
    constexpr std::int64_t h = 7168, h_fused = 4096;
    const std::string tokens = " tokens " + std::to_string(t);
    device_buffer x(t * h * 2), residual(t * h * 2), weight(h * 2), q(t * h), scale(t * h / 128 * 4),
        residual_out(t * h * 2);
    for (const device_buffer* in : {&x, &residual, &weight}) cudaMemset(in->pointer, 0x3F, in->bytes);
    const double per_token_bytes = 3.0 * t * h + 4.0 * t, group_bytes = 3.0 * t * h + 4.0 * t * h / 128;
    const double fused_bytes = 7.0 * t * h_fused + 2.0 * h_fused + 4.0 * t;
    auto* in = x.as<__nv_bfloat16>();
    auto* out = q.as<__nv_fp8_e4m3>();
    report_speed("fp8_dynamic_per_token_quant_h7168" + tokens, per_token_bytes, [&](cudaStream_t stream) {
      solkit::launch_fp8_dynamic_per_token_quant<per_token>(in, out, scale.as<float>(), t, stream);
    });
    report_speed("per_token_group_quant_fp8_h7168_g128" + tokens, group_bytes, [&](cudaStream_t stream) {
      solkit::launch_per_token_group_quant_fp8<per_group>(in, out, scale.as<float>(), t, stream);
    });
    report_speed("fused_rmsnorm_quant_h4096" + tokens, fused_bytes, [&](cudaStream_t stream) {
      solkit::launch_fused_rmsnorm_quant<fused>(in, residual.as<__nv_bfloat16>(), weight.as<__nv_bfloat16>(), out,
                                                scale.as<float>(), residual_out.as<__nv_bfloat16>(), t, stream);
    });
  }
}

template <std::int64_t... hidden_sizes>
void check_per_token_all(std::int64_t tokens, std::mt19937& rng) {
  (check_per_token<solkit::fp8_dynamic_per_token_quant<solkit::fp8_dynamic_per_token_quant_axes{hidden_sizes}>>(
       tokens, rng),
   ...);
}

template <std::int64_t... hidden_sizes>
void check_fused_all(std::int64_t tokens, std::mt19937& rng) {
  (check_fused<solkit::fused_rmsnorm_quant<solkit::fused_rmsnorm_quant_axes{hidden_sizes}>>(tokens, rng), ...);
}

}  // namespace

int main(int argc, char** argv) {
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  std::mt19937 rng{2026};
  using solkit::per_token_group_quant_fp8_axes;
  // --quick: fewer tokens, for runs under compute-sanitizer.
  const bool quick = argc > 1 && std::string{argv[1]} == "--quick";
  for (std::int64_t tokens : {std::int64_t{1}, std::int64_t{7}, std::int64_t{quick ? 33 : 1031}}) {
    // Every shape of definitions/{fp8_dynamic_per_token_quant,per_token_group_quant_fp8,fused_rmsnorm_quant}.
    check_per_token_all<2048, 4096, 5120, 7168>(tokens, rng);
    check_groups<solkit::per_token_group_quant_fp8<per_token_group_quant_fp8_axes{2048, 128}>>(tokens, rng);
    check_groups<solkit::per_token_group_quant_fp8<per_token_group_quant_fp8_axes{7168, 128}>>(tokens, rng);
    check_fused_all<2048, 4096>(tokens, rng);
  }
  if (!quick) check_speed();
  constexpr std::size_t t = 4, h = 2048;  // 4 tokens of 2048 channels
  check_bad_input<solkit::fp8_dynamic_per_token_quant<solkit::fp8_dynamic_per_token_quant_axes{h}>>(
      {t * h * 2, t * h, t * 4});
  check_bad_input<solkit::per_token_group_quant_fp8<per_token_group_quant_fp8_axes{h, 128}>>(
      {t * h * 2, t * h, t * h / 128 * 4});
  check_bad_input<solkit::fused_rmsnorm_quant<solkit::fused_rmsnorm_quant_axes{h}>>(
      {t * h * 2, t * h * 2, h * 2, t * h, t * 4, t * h * 2});
  return solkit_gpu_test::finish(properties);
}
