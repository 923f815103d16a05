// GPU test of the rope_with_cos_sin_cache kernel against a CPU reference: random bf16 q and k
// (never zero), a cache of real cos/sin rows, random positions, outputs poisoned with NaN before
// each run; every definition of definitions/rope/ plus the partial, odd-width and fallback head
// layouts the axes allow; token counts 1, 7, 1031 and one large enough for the many-token path;
// in place and with positions at an 8-byte offset. Then bad input (null and misaligned
// pointers, negative counts, inconsistent var axes) must be refused naming the definition and
// the argument with the output untouched, and 0 tokens or heads must write nothing. `--small`:
// small shapes only (for compute-sanitizer). Exit 77 (skipped) without a Hopper GPU.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/rope/kernel.cuh"
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

template <class Definition>
void check(std::int64_t tokens, std::int64_t qo_heads, std::int64_t kv_heads, std::int64_t max_seq_len,
           bool in_place, std::mt19937& rng) {
  constexpr int D = Definition::axes.head_size, RD = Definition::axes.rotary_dim, half = RD / 2;
  constexpr bool neox = Definition::axes.style == solkit::rope_style::neox;
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  const std::string what = std::string{Definition::name.view()} + " T" + std::to_string(tokens) + " HQ" +
                           std::to_string(qo_heads) + " HK" + std::to_string(kv_heads) +
                           (in_place ? " in place" : "");
  std::normal_distribution<float> normal{0.0f, 2.0f};
  const auto random_bf16 = [&] {
    float v = normal(rng);
    if (std::fabs(v) < 1e-3f) v = 1e-3f;  // never zero
    return __float2bfloat16(v);
  };
  std::vector<__nv_bfloat16> q(tokens * qo_heads * D), k(tokens * kv_heads * D);
  for (auto& v : q) v = random_bf16();
  for (auto& v : k) v = random_bf16();
  std::vector<float> cache(max_seq_len * RD);
  for (std::int64_t p = 0; p < max_seq_len; ++p) {
    for (int f = 0; f < half; ++f) {
      const double angle = double(p) * std::pow(10000.0, -2.0 * f / RD);
      cache[p * RD + f] = float(std::cos(angle));
      cache[p * RD + half + f] = float(std::sin(angle));
    }
  }
  // In place, positions sit at an 8-byte offset: only 8-byte alignment is required of them.
  const int offset = in_place ? 1 : 0;
  std::vector<std::int64_t> positions(tokens + offset);
  std::uniform_int_distribution<std::int64_t> position{0, max_seq_len - 1};
  for (auto& p : positions) p = position(rng);
  std::vector<float> cos_of_token(tokens * half), sin_of_token(tokens * half);
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (int f = 0; f < half; ++f) {
      cos_of_token[t * half + f] = cache[positions[t + offset] * RD + f];
      sin_of_token[t * half + f] = cache[positions[t + offset] * RD + half + f];
    }
  }

  __nv_bfloat16 *d_q, *d_k, *d_q_out, *d_k_out;
  float* d_cache;
  std::int64_t* d_positions;
  cudaMalloc(&d_q, q.size() * 2 + 16);
  cudaMalloc(&d_k, k.size() * 2 + 16);
  cudaMalloc(&d_cache, cache.size() * 4);
  cudaMalloc(&d_positions, positions.size() * 8);
  cudaMemcpy(d_q, q.data(), q.size() * 2, cudaMemcpyHostToDevice);
  cudaMemcpy(d_k, k.data(), k.size() * 2, cudaMemcpyHostToDevice);
  cudaMemcpy(d_cache, cache.data(), cache.size() * 4, cudaMemcpyHostToDevice);
  cudaMemcpy(d_positions, positions.data(), positions.size() * 8, cudaMemcpyHostToDevice);
  if (in_place) {
    d_q_out = d_q, d_k_out = d_k;
  } else {
    cudaMalloc(&d_q_out, q.size() * 2 + 16);
    cudaMalloc(&d_k_out, k.size() * 2 + 16);
    cudaMemset(d_q_out, 0xFF, q.size() * 2);  // NaN in bf16: an element left unwritten fails
    cudaMemset(d_k_out, 0xFF, k.size() * 2);
  }
  const solkit::launch_status status = solkit::launch_rope_with_cos_sin_cache<Definition>(
      d_q, d_k, d_cache, d_positions + offset, d_q_out, d_k_out, tokens, qo_heads, kv_heads, max_seq_len);
  expect(status.ok(), what + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, what + " synchronize");
  std::vector<__nv_bfloat16> q_out(q.size()), k_out(k.size());
  cudaMemcpy(q_out.data(), d_q_out, q.size() * 2, cudaMemcpyDeviceToHost);
  cudaMemcpy(k_out.data(), d_k_out, k.size() * 2, cudaMemcpyDeviceToHost);
  compare(what + " q", q, q_out, tokens, qo_heads, D, RD, neox, cos_of_token, sin_of_token);
  compare(what + " k", k, k_out, tokens, kv_heads, D, RD, neox, cos_of_token, sin_of_token);
  cudaFree(d_q), cudaFree(d_k), cudaFree(d_cache), cudaFree(d_positions);
  if (!in_place) cudaFree(d_q_out), cudaFree(d_k_out);
}

template <class Definition>
void check_definition(std::mt19937& rng) {
  for (std::int64_t tokens : {1, 7, 1031}) {
    if (small && tokens > 64) continue;
    check<Definition>(tokens, 32, 8, 4096, false, rng);
    check<Definition>(tokens, 5, 1, 100, false, rng);
  }
  check<Definition>(7, 128, 8, 64, false, rng);  // more head steps than a token's threads
  check<Definition>(small ? 3 : 33, 8, 2, 512, true, rng);
  // The many-token path (a thread walks several steps of heads); the CPU reference bounds D.
  if (!small && Definition::axes.head_size <= 256) check<Definition>(8191, 32, 8, 32768, false, rng);
}

template <solkit::rope_style style, std::int64_t head_size, std::int64_t rotary_dim>
using rope = solkit::rope_with_cos_sin_cache<solkit::rope_with_cos_sin_cache_axes{style, head_size, rotary_dim}>;
constexpr auto neox = solkit::rope_style::neox;
constexpr auto gptj = solkit::rope_style::gptj;

void check_bad_input() {
  using def = rope<neox, 128, 128>;
  constexpr std::int64_t T = 4, HQ = 2, HK = 1, L = 16;
  __nv_bfloat16 *q, *k, *q_out, *k_out;
  float* cache;
  std::int64_t* positions;
  cudaMalloc(&q, T * HQ * 128 * 2 + 16);
  cudaMalloc(&k, T * HK * 128 * 2 + 16);
  cudaMalloc(&cache, L * 128 * 4 + 16);
  cudaMalloc(&positions, T * 8 + 16);
  cudaMalloc(&q_out, T * HQ * 128 * 2);
  cudaMalloc(&k_out, T * HK * 128 * 2);
  cudaMemset(q, 0x3F, T * HQ * 128 * 2 + 16);
  cudaMemset(k, 0x3F, T * HK * 128 * 2 + 16);
  cudaMemset(cache, 0, L * 128 * 4 + 16);
  cudaMemset(positions, 0, T * 8 + 16);
  cudaMemset(q_out, 0x11, T * HQ * 128 * 2);
  cudaMemset(k_out, 0x11, T * HK * 128 * 2);
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code, const char* argument) {
    expect(status.code == code && status.message.find("rope_with_cos_sin_cache_neox_style_d128_rd128") != std::string::npos &&
               status.message.find(std::string{": "} + argument + " ") != std::string::npos,
           std::string{"refused naming "} + argument + " (got: " + status.message + ")");
  };
  const auto run = [&](const __nv_bfloat16* q_, const __nv_bfloat16* k_, const float* cache_, const std::int64_t* positions_,
                       __nv_bfloat16* q_out_, __nv_bfloat16* k_out_, std::int64_t t, std::int64_t hq, std::int64_t hk,
                       std::int64_t l) {
    return solkit::launch_rope_with_cos_sin_cache<def>(q_, k_, cache_, positions_, q_out_, k_out_, t, hq, hk, l);
  };
  using code = solkit::launch_error_code;
  refused(run(nullptr, k, cache, positions, q_out, k_out, T, HQ, HK, L), code::null_pointer, "q");
  refused(run(q, nullptr, cache, positions, q_out, k_out, T, HQ, HK, L), code::null_pointer, "k");
  refused(run(q, k, nullptr, positions, q_out, k_out, T, HQ, HK, L), code::null_pointer, "cos_sin_cache");
  refused(run(q, k, cache, nullptr, q_out, k_out, T, HQ, HK, L), code::null_pointer, "positions");
  refused(run(q, k, cache, positions, q_out, nullptr, T, HQ, HK, L), code::null_pointer, "k_out");
  refused(run(q + 1, k, cache, positions, q_out, k_out, T, HQ, HK, L), code::misaligned_pointer, "q");
  refused(run(q, k + 4, cache, positions, q_out, k_out, T, HQ, HK, L), code::misaligned_pointer, "k");  // 8 bytes
  refused(run(q, k, cache + 2, positions, q_out, k_out, T, HQ, HK, L), code::misaligned_pointer, "cos_sin_cache");
  refused(run(q, k, cache, reinterpret_cast<const std::int64_t*>(reinterpret_cast<const char*>(positions) + 4), q_out,
              k_out, T, HQ, HK, L),
          code::misaligned_pointer, "positions");
  refused(run(q, k, cache, positions, q_out, k_out, -1, HQ, HK, L), code::bad_size, "num_tokens");
  refused(run(q, k, cache, positions, q_out, k_out, T, -2, HK, L), code::bad_size, "num_qo_heads");
  refused(run(q, k, cache, positions, q_out, k_out, T, HQ, HK, -1), code::bad_size, "max_seq_len");
  refused(run(q, k, cache, positions, q_out, k_out, T, HQ, HK, 0), code::bad_size, "max_seq_len");  // no rows
  refused(run(q, k, cache, positions, q_out, k_out, T, 2147483647, HK, L), code::bad_size, "num_kv_heads");
  {
    void* const three[] = {q, k, cache};
    const std::int64_t axes[] = {T, HQ, HK, L};
    refused(solkit::kernel<def>::launch({three, axes}, nullptr), code::bad_size, "tensors");
  }
  expect(run(q, k, cache, positions, q_out, k_out, 0, HQ, HK, L).ok(), "0 tokens is a no-op, not an error");
  expect(run(q, k, cache, positions, q_out, k_out, 0, HQ, HK, 0).ok(), "0 tokens needs no cache rows");
  expect(run(q, k, cache, positions, q_out, k_out, T, 0, 0, L).ok(), "0 heads is a no-op, not an error");
  const std::int64_t axes[] = {T, HQ, HK, 77};
  expect(solkit::kernel<def>::index_bound("positions", axes) == 77, "index_bound of positions is max_seq_len");
  expect(cudaDeviceSynchronize() == cudaSuccess, "bad input: synchronize");
  std::vector<unsigned char> after(T * HQ * 128 * 2);
  cudaMemcpy(after.data(), q_out, after.size(), cudaMemcpyDeviceToHost);
  bool untouched = true;
  for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  after.resize(T * HK * 128 * 2);
  cudaMemcpy(after.data(), k_out, after.size(), cudaMemcpyDeviceToHost);
  for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  expect(untouched, "refused launches and 0 tokens or heads leave the outputs untouched");
  cudaFree(q), cudaFree(k), cudaFree(cache), cudaFree(positions), cudaFree(q_out), cudaFree(k_out);
}

}  // namespace

int main(int argc, char** argv) {
  small = argc > 1 && (std::strcmp(argv[1], "--small") == 0 || std::strcmp(argv[1], "--quick") == 0);
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  std::mt19937 rng{2026};
  // definitions/rope/*.json (what the model catalog produces: GQA head_dim with its rotary_dim,
  // MLA's qk_rope_head_dim 64).
  check_definition<rope<neox, 128, 128>>(rng);
  check_definition<rope<neox, 128, 64>>(rng);
  check_definition<rope<neox, 256, 64>>(rng);
  check_definition<rope<gptj, 128, 128>>(rng);
  check_definition<rope<gptj, 64, 64>>(rng);
  // Other layouts the axes allow: full and partial heads of 64, 80, 256 and wide heads (two
  // units per lane), GPT-J partial, GPT-J with rotary_dim % 8 != 0 and an odd vector count,
  // NeoX with an odd count of pass-through vectors, and the NeoX fallback (rotary_dim % 16 != 0).
  check_definition<rope<neox, 64, 64>>(rng);
  check_definition<rope<neox, 80, 80>>(rng);
  check_definition<rope<neox, 256, 256>>(rng);
  check_definition<rope<neox, 512, 128>>(rng);
  check_definition<rope<neox, 1024, 512>>(rng);
  check_definition<rope<gptj, 128, 64>>(rng);
  check_definition<rope<gptj, 72, 36>>(rng);
  check_definition<rope<neox, 72, 32>>(rng);
  check_definition<rope<gptj, 512, 512>>(rng);
  check_definition<rope<neox, 80, 40>>(rng);
  check_definition<rope<neox, 64, 24>>(rng);
  check_bad_input();
  return solkit_gpu_test::finish(properties);
}
