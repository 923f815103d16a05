// GPU test of the mrope kernel against a CPU reference: random bf16 q and k (never zero), cos
// and sin of random per-stream angles, outputs poisoned with NaN before each run; both
// definitions of definitions/mrope/ plus interleaved sections (Qwen3-VL's 24/20/20), GPT-J
// pairing, partial rotary with a section border inside a thread's 8 frequencies, and the NeoX
// fallback (rotary_dim % 16 != 0); token counts 1, 7, 1031, 8191; in place. Then bad input (null
// and misaligned pointers, negative count, wrong tensor count) must be refused naming the
// definition and the argument with the output untouched, and 0 tokens must write nothing (mrope
// has one var axis, so no two can disagree). `--small`: small shapes only (for
// compute-sanitizer). Exit 77 (skipped) without a Hopper GPU.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/mrope/kernel.cuh"
#include "gpu_test_support.hpp"

namespace {

using solkit_gpu_test::expect;
using solkit_gpu_test::failures;
bool small = false;


float to_float(__nv_bfloat16 value) { return __bfloat162float(value); }

/// Checks `actual` heads ([tokens, heads, D]) against the reference rotation of `input`:
/// (a) within tolerance of the exact (double) result: one bf16 rounding is at most 2^-9
/// relative (allowed 2^-8) and the fp32 products and sum add at most 3 * 2^-24 of the terms'
/// magnitudes (allowed 2^-20); pass-through channels must be copied exactly; (b) bit-equal to
/// the reference's fp32 order (x1*c - x2*s, products rounded then the sum, one bf16 rounding),
/// which the kernel claims. NaN fails both.
void compare(const std::string& what, const std::vector<__nv_bfloat16>& input,
             const std::vector<__nv_bfloat16>& actual, std::int64_t tokens, std::int64_t heads, int D, int RD,
             bool neox, const std::vector<float>& cos_of_token, const std::vector<float>& sin_of_token) {
  const int half = RD / 2;
  std::int64_t bad = 0, inexact = 0;
  std::vector<double> expected(D), scale(D);
  std::vector<float> fp32(D), x(D);
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (std::int64_t h = 0; h < heads; ++h) {
      const std::int64_t base = (t * heads + h) * D;
      for (int c = 0; c < D; ++c) {
        x[c] = to_float(input[base + c]);
        expected[c] = x[c], fp32[c] = x[c], scale[c] = 0;
      }
      for (int f = 0; f < half; ++f) {
        const int i1 = neox ? f : 2 * f, i2 = neox ? f + half : 2 * f + 1;
        const float c = cos_of_token[t * half + f], s = sin_of_token[t * half + f];
        expected[i1] = double(x[i1]) * c - double(x[i2]) * s;
        expected[i2] = double(x[i2]) * c + double(x[i1]) * s;
        scale[i1] = std::fabs(double(x[i1]) * c) + std::fabs(double(x[i2]) * s);
        scale[i2] = std::fabs(double(x[i2]) * c) + std::fabs(double(x[i1]) * s);
        const float a = x[i1] * c, b = x[i2] * s, d = x[i2] * c, e = x[i1] * s;
        fp32[i1] = a - b;
        fp32[i2] = d + e;
      }
      for (int c = 0; c < D; ++c) {
        const double got = to_float(actual[base + c]);
        const bool ok = std::fabs(got - expected[c]) <= 0x1p-8 * std::fabs(expected[c]) + 0x1p-20 * scale[c];
        const bool exact = got == to_float(__float2bfloat16(fp32[c]));
        if ((!ok || !exact) && bad + inexact < 4) {
          std::printf("  %s token %lld head %lld channel %d: %.8g, expected %.8g (fp32 order %.8g)\n", what.c_str(),
                      (long long)t, (long long)h, c, got, expected[c], fp32[c]);
        }
        bad += !ok;
        inexact += !exact;
      }
    }
  }
  expect(bad == 0, what + ": " + std::to_string(bad) + " element(s) outside the tolerance");
  expect(inexact == 0, what + ": " + std::to_string(inexact) + " element(s) differ from the fp32-order reference");
}

/// Stream of frequency f, written from the definition's description.
int stream_of(const solkit::mrope_axes& a, std::int64_t f) {
  if (a.interleaved) {
    if (f % 3 == 1 && f < 3 * a.section_h) return 1;
    if (f % 3 == 2 && f < 3 * a.section_w) return 2;
    return 0;
  }
  return f < a.section_t ? 0 : f < a.section_t + a.section_h ? 1 : 2;
}

template <class Definition>
void check(std::int64_t tokens, bool in_place, std::mt19937& rng) {
  constexpr solkit::mrope_axes axes = Definition::axes;
  constexpr int D = axes.head_size, RD = axes.rotary_dim, half = RD / 2;
  constexpr std::int64_t HQ = axes.num_query_heads, HK = axes.num_kv_heads;
  constexpr bool neox = axes.style == solkit::rope_style::neox;
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  const std::string what =
      std::string{Definition::name.view()} + " T" + std::to_string(tokens) + (in_place ? " in place" : "");
  std::normal_distribution<float> normal{0.0f, 2.0f};
  const auto random_bf16 = [&] {
    float v = normal(rng);
    if (std::fabs(v) < 1e-3f) v = 1e-3f;  // never zero
    return __float2bfloat16(v);
  };
  std::vector<__nv_bfloat16> q(tokens * HQ * D), k(tokens * HK * D);
  for (auto& v : q) v = random_bf16();
  for (auto& v : k) v = random_bf16();
  // Each stream its own random position per token: streams disagree, so a wrong stream fails.
  std::vector<float> cos(3 * tokens * half), sin(3 * tokens * half);
  std::uniform_int_distribution<int> position{0, 8191};
  for (int s = 0; s < 3; ++s) {
    for (std::int64_t t = 0; t < tokens; ++t) {
      const int p = position(rng);
      for (int f = 0; f < half; ++f) {
        const double angle = p * std::pow(10000.0, -2.0 * f / RD);
        cos[(s * tokens + t) * half + f] = float(std::cos(angle));
        sin[(s * tokens + t) * half + f] = float(std::sin(angle));
      }
    }
  }
  std::vector<float> cos_of_token(tokens * half), sin_of_token(tokens * half);
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (int f = 0; f < half; ++f) {
      const std::int64_t s = stream_of(axes, f);
      cos_of_token[t * half + f] = cos[(s * tokens + t) * half + f];
      sin_of_token[t * half + f] = sin[(s * tokens + t) * half + f];
    }
  }

  __nv_bfloat16 *d_q, *d_k, *d_q_out, *d_k_out;
  float *d_cos, *d_sin;
  cudaMalloc(&d_q, q.size() * 2);
  cudaMalloc(&d_k, k.size() * 2);
  cudaMalloc(&d_cos, cos.size() * 4);
  cudaMalloc(&d_sin, sin.size() * 4);
  cudaMemcpy(d_q, q.data(), q.size() * 2, cudaMemcpyHostToDevice);
  cudaMemcpy(d_k, k.data(), k.size() * 2, cudaMemcpyHostToDevice);
  cudaMemcpy(d_cos, cos.data(), cos.size() * 4, cudaMemcpyHostToDevice);
  cudaMemcpy(d_sin, sin.data(), sin.size() * 4, cudaMemcpyHostToDevice);
  if (in_place) {
    d_q_out = d_q, d_k_out = d_k;
  } else {
    cudaMalloc(&d_q_out, q.size() * 2);
    cudaMalloc(&d_k_out, k.size() * 2);
    cudaMemset(d_q_out, 0xFF, q.size() * 2);  // NaN in bf16: an element left unwritten fails
    cudaMemset(d_k_out, 0xFF, k.size() * 2);
  }
  const solkit::launch_status status =
      solkit::launch_mrope<Definition>(d_q, d_k, d_cos, d_sin, d_q_out, d_k_out, tokens);
  expect(status.ok(), what + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, what + " synchronize");
  std::vector<__nv_bfloat16> q_out(q.size()), k_out(k.size());
  cudaMemcpy(q_out.data(), d_q_out, q.size() * 2, cudaMemcpyDeviceToHost);
  cudaMemcpy(k_out.data(), d_k_out, k.size() * 2, cudaMemcpyDeviceToHost);
  compare(what + " q", q, q_out, tokens, HQ, D, RD, neox, cos_of_token, sin_of_token);
  compare(what + " k", k, k_out, tokens, HK, D, RD, neox, cos_of_token, sin_of_token);
  cudaFree(d_q), cudaFree(d_k), cudaFree(d_cos), cudaFree(d_sin);
  if (!in_place) cudaFree(d_q_out), cudaFree(d_k_out);
}

template <class Definition>
void check_definition(std::mt19937& rng) {
  for (std::int64_t tokens : {1, 7, 1031, 8191}) {
    if (!small || tokens < 64) check<Definition>(tokens, false, rng);
  }
  check<Definition>(small ? 3 : 33, true, rng);
}

template <std::int64_t HQ, std::int64_t HK, std::int64_t D, std::int64_t RD, std::int64_t t, std::int64_t h,
          std::int64_t w, bool interleaved, solkit::rope_style style>
using mrope = solkit::mrope<solkit::mrope_axes{HQ, HK, D, RD, t, h, w, interleaved, style}>;
constexpr auto neox = solkit::rope_style::neox;
constexpr auto gptj = solkit::rope_style::gptj;

void check_bad_input() {
  using def = mrope<16, 4, 128, 128, 16, 24, 24, false, neox>;
  constexpr std::int64_t T = 4, q_bytes = T * 16 * 128 * 2, k_bytes = T * 4 * 128 * 2, cs_bytes = 3 * T * 64 * 4;
  __nv_bfloat16 *q, *k, *q_out, *k_out;
  float *cos, *sin;
  cudaMalloc(&q, q_bytes + 16);
  cudaMalloc(&k, k_bytes + 16);
  cudaMalloc(&cos, cs_bytes + 16);
  cudaMalloc(&sin, cs_bytes + 16);
  cudaMalloc(&q_out, q_bytes + 16);
  cudaMalloc(&k_out, k_bytes + 16);
  cudaMemset(q, 0x3F, q_bytes + 16);
  cudaMemset(k, 0x3F, k_bytes + 16);
  cudaMemset(cos, 0, cs_bytes + 16);
  cudaMemset(sin, 0, cs_bytes + 16);
  cudaMemset(q_out, 0x11, q_bytes + 16);
  cudaMemset(k_out, 0x11, k_bytes + 16);
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code, const char* argument) {
    expect(status.code == code && status.message.find("mrope_neox_style_h16_kv4_d128_rd128_sec16_24_24") != std::string::npos &&
               status.message.find(std::string{": "} + argument + " ") != std::string::npos,
           std::string{"refused naming "} + argument + " (got: " + status.message + ")");
  };
  using code = solkit::launch_error_code;
  refused(solkit::launch_mrope<def>(nullptr, k, cos, sin, q_out, k_out, T), code::null_pointer, "q");
  refused(solkit::launch_mrope<def>(q, k, cos, nullptr, q_out, k_out, T), code::null_pointer, "sin");
  refused(solkit::launch_mrope<def>(q, k, cos, sin, q_out, nullptr, T), code::null_pointer, "k_out");
  refused(solkit::launch_mrope<def>(q + 1, k, cos, sin, q_out, k_out, T), code::misaligned_pointer, "q");
  refused(solkit::launch_mrope<def>(q, k, cos + 1, sin, q_out, k_out, T), code::misaligned_pointer, "cos");
  refused(solkit::launch_mrope<def>(q, k, cos, sin, q_out, k_out + 4, T), code::misaligned_pointer, "k_out");
  refused(solkit::launch_mrope<def>(q, k, cos, sin, q_out, k_out, -3), code::bad_size, "token_count");
  {
    void* const five[] = {q, k, cos, sin, q_out};
    const std::int64_t axes[] = {T};
    refused(solkit::kernel<def>::launch({five, axes}, nullptr), code::bad_size, "tensors");
  }
  expect(solkit::launch_mrope<def>(q, k, cos, sin, q_out, k_out, 0).ok(), "0 tokens is a no-op, not an error");
  expect(cudaDeviceSynchronize() == cudaSuccess, "bad input: synchronize");
  bool untouched = true;
  for (auto [pointer, bytes] : {std::pair<void*, std::int64_t>{q_out, q_bytes + 16}, {k_out, k_bytes + 16}}) {
    std::vector<unsigned char> after(bytes);
    cudaMemcpy(after.data(), pointer, bytes, cudaMemcpyDeviceToHost);
    for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  }
  expect(untouched, "refused launches and 0 tokens leave the outputs untouched");
  cudaFree(q), cudaFree(k), cudaFree(cos), cudaFree(sin), cudaFree(q_out), cudaFree(k_out);
}

}  // namespace

int main(int argc, char** argv) {
  small = argc > 1 && (std::strcmp(argv[1], "--small") == 0 || std::strcmp(argv[1], "--quick") == 0);
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  std::mt19937 rng{2026};
  // definitions/mrope/*.json (atrex-bench's shapes).
  check_definition<mrope<16, 1, 128, 128, 16, 24, 24, false, neox>>(rng);
  check_definition<mrope<16, 4, 128, 128, 16, 24, 24, false, neox>>(rng);
  // Interleaved sections (Qwen3-VL), GPT-J pairing, a section border inside a thread's 8
  // frequencies (partial rotary 64: borders at 8 and 20), GPT-J interleaved with rotary_dim
  // % 16 != 0, and the NeoX fallback (rotary_dim 40).
  check_definition<mrope<16, 4, 128, 128, 24, 20, 20, true, neox>>(rng);
  check_definition<mrope<8, 2, 128, 128, 16, 24, 24, false, gptj>>(rng);
  check_definition<mrope<4, 2, 128, 64, 8, 12, 12, false, neox>>(rng);
  check_definition<mrope<4, 1, 80, 72, 12, 12, 12, true, gptj>>(rng);
  check_definition<mrope<4, 2, 64, 40, 4, 8, 8, false, neox>>(rng);
  check_bad_input();
  return solkit_gpu_test::finish(properties);
}
