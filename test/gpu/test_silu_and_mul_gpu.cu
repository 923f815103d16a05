// GPU test of the silu_and_mul kernel against a CPU reference: random bf16 gate/up rows (never
// zero), the output poisoned with NaN before each run, every d of definitions/silu_and_mul/*.json,
// token counts 1, 7 and 1031; then bad input (null and misaligned pointers, a negative count,
// wrong tensor and var-axis counts) must be refused with the definition and argument named and
// the output untouched, and 0 tokens must write nothing. Exit 77 (skipped) without a Hopper GPU.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/silu_and_mul/kernel.cuh"
#include "gpu_test_support.hpp"

namespace {

using solkit_gpu_test::expect;
using solkit_gpu_test::failures;


float to_float(__nv_bfloat16 value) { return __bfloat162float(value); }

/// The two bf16 values next to `exact` (equal when it is one): the kernel's fp32 silu is a few
/// fp32 ulps (about 2^-20 relative) from the exact value, so after its rounding to bf16 it is
/// one of these two: the reference's own rounding, or the other neighbour when the exact value
/// is within those few ulps of a rounding midpoint.
void bf16_neighbours(double exact, float& low, float& high) {
  const __nv_bfloat16 nearest = __float2bfloat16(static_cast<float>(exact));
  const double value = to_float(nearest);
  const std::uint16_t bits = __bfloat16_as_ushort(nearest);
  // The neighbour on the other side of exact (bits +- 1 moves away from / towards zero).
  const bool away = (exact > value) == (value >= 0);
  const __nv_bfloat16 other = __ushort_as_bfloat16(static_cast<std::uint16_t>(away ? bits + 1 : bits - 1));
  low = static_cast<float>(value);
  high = exact == value ? low : to_float(other);
}

template <class Definition>
void check_tokens(std::int64_t tokens, std::mt19937& rng) {
  constexpr std::int64_t d = Definition::axes.intermediate_size;
  const std::string name{Definition::name.view()};
  solkit_gpu_test::checked(name);
  std::normal_distribution<float> normal{0.0f, 1.0f};
  std::vector<__nv_bfloat16> x(tokens * 2 * d), out(tokens * d);
  for (auto& value : x) {
    float v = normal(rng) * 3.0f;  // gates over silu's whole interesting range (about -10..10)
    if (std::fabs(v) < 1e-3f) v = 1e-3f;  // never zero
    value = __float2bfloat16(v);
  }
  __nv_bfloat16 *d_x = nullptr, *d_out = nullptr;
  cudaMalloc(&d_x, x.size() * 2);
  cudaMalloc(&d_out, out.size() * 2);
  cudaMemcpy(d_x, x.data(), x.size() * 2, cudaMemcpyHostToDevice);
  cudaMemset(d_out, 0xFF, out.size() * 2);  // NaN in bf16: an element left unwritten fails
  const solkit::launch_status status = solkit::launch_silu_and_mul<Definition>(d_x, d_out, tokens);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  cudaMemcpy(out.data(), d_out, out.size() * 2, cudaMemcpyDeviceToHost);

  // Tolerance: none beyond the activation's rounding. The product of two bf16 values is exact
  // in fp32, so with the same bf16 activation the output is bit-identical to the reference's;
  // the output must be bf16(a * up) for a one of the two bf16 neighbours of the exact silu.
  std::int64_t bad = 0, other_neighbour = 0;
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (std::int64_t i = 0; i < d; ++i) {
      const double gate = to_float(x[t * 2 * d + i]);
      const float up = to_float(x[t * 2 * d + d + i]);
      float low = 0, high = 0;
      bf16_neighbours(gate / (1.0 + std::exp(-gate)), low, high);
      const float expected = to_float(__float2bfloat16(low * up));
      const float alternative = to_float(__float2bfloat16(high * up));
      const float actual = to_float(out[t * d + i]);
      if (actual == expected) continue;  // NaN fails below
      if (actual == alternative) {
        ++other_neighbour;
        continue;
      }
      if (bad++ < 3) {
        std::printf("  %s tokens %lld [%lld, %lld]: %g vs %g (gate %g, up %g)\n", name.c_str(), (long long)tokens,
                    (long long)t, (long long)i, actual, expected, gate, up);
      }
    }
  }
  expect(bad == 0, name + " tokens " + std::to_string(tokens) + " matches the CPU reference (" +
                       std::to_string(bad) + " mismatches; " + std::to_string(other_neighbour) +
                       " took the other bf16 neighbour of silu)");
  cudaFree(d_x);
  cudaFree(d_out);
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
  for (std::int64_t tokens : {1, 16384}) {
    using op = solkit::silu_and_mul<solkit::silu_and_mul_axes{4096}>;
    constexpr std::int64_t d = 4096;
    __nv_bfloat16 *x = nullptr, *out = nullptr;
    cudaMalloc(&x, tokens * 2 * d * 2);
    cudaMalloc(&out, tokens * d * 2);
    cudaMemset(x, 0x3F, tokens * 2 * d * 2);
    report_speed("silu_and_mul_d4096 tokens " + std::to_string(tokens), 6.0 * tokens * d,
                 [&](cudaStream_t stream) { solkit::launch_silu_and_mul<op>(x, out, tokens, stream); });
    cudaFree(x);
    cudaFree(out);
  }
}

void check_bad_input() {
  using op = solkit::silu_and_mul<solkit::silu_and_mul_axes{1024}>;
  constexpr std::int64_t tokens = 4, d = 1024;
  __nv_bfloat16 *x = nullptr, *out = nullptr;
  cudaMalloc(&x, tokens * 2 * d * 2 + 16);
  cudaMalloc(&out, tokens * d * 2);
  cudaMemset(x, 0x3F, tokens * 2 * d * 2 + 16);
  cudaMemset(out, 0x11, tokens * d * 2);
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code,
                           const char* argument) {
    expect(status.code == code && status.message.find(std::string{"silu_and_mul_d1024: "} + argument + " ") == 0,
           std::string{"refused naming "} + argument + " (got: " + status.message + ")");
  };
  using code = solkit::launch_error_code;
  refused(solkit::launch_silu_and_mul<op>(nullptr, out, tokens), code::null_pointer, "x");
  refused(solkit::launch_silu_and_mul<op>(x, nullptr, tokens), code::null_pointer, "out");
  refused(solkit::launch_silu_and_mul<op>(x + 1, out, tokens), code::misaligned_pointer, "x");
  refused(solkit::launch_silu_and_mul<op>(x, out + 4, tokens), code::misaligned_pointer, "out");
  refused(solkit::launch_silu_and_mul<op>(x, out, -1), code::bad_size, "token_count");
  void* const tensors[] = {x, out};
  const std::int64_t two_axes[] = {tokens, tokens};
  refused(solkit::launch<op>({std::span<void* const>{tensors, 1}, std::span<const std::int64_t>{two_axes, 1}}),
          code::bad_size, "tensors");
  refused(solkit::launch<op>({tensors, two_axes}), code::bad_size, "var_axes");
  expect(solkit::launch_silu_and_mul<op>(x, out, 0).ok(), "0 tokens is a no-op, not an error");
  cudaDeviceSynchronize();
  std::vector<unsigned char> after(tokens * d * 2);
  cudaMemcpy(after.data(), out, after.size(), cudaMemcpyDeviceToHost);
  bool untouched = true;
  for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  expect(untouched, "refused launches and 0 tokens leave the output untouched");
  cudaFree(x);
  cudaFree(out);
}

template <std::int64_t... sizes>
void check_all(std::mt19937& rng, bool quick) {
  for (std::int64_t tokens : {std::int64_t{1}, std::int64_t{7}, std::int64_t{quick ? 33 : 1031}}) {
    (check_tokens<solkit::silu_and_mul<solkit::silu_and_mul_axes{sizes}>>(tokens, rng), ...);
  }
}

}  // namespace

int main(int argc, char** argv) {
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  std::mt19937 rng{2026};
  // Every d of definitions/silu_and_mul/*.json.
  const bool quick = argc > 1 && std::string{argv[1]} == "--quick";  // fewer tokens, for compute-sanitizer
  check_all<768, 1024, 1280, 1536, 2048, 2560, 4096>(rng, quick);
  if (!quick) check_speed();
  check_bad_input();
  return solkit_gpu_test::finish(properties);
}
