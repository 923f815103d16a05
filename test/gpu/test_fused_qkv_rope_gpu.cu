// GPU test of the fused_qkv_rope kernel against a CPU reference: random bf16 / fp16 packed qkv
// rows (never zero), random int32 positions in [0, 32768) plus 0 and 32767, outputs poisoned
// with NaN before each run; every definition of definitions/fused_qkv_rope/ plus partial rotary,
// other head widths and the NeoX fallback (rope_dim % 16 != 0); token counts 1, 7, 1031, 8191;
// positions at a 4-byte offset. Two checks: the kernel's cos/sin (evaluated by a test kernel
// through the same function) against double cos/sin of the reference's fp32 angle, and q, k, v
// against the rotation with those cos/sin. Then bad input (null and misaligned pointers,
// negative count, wrong tensor count) must be refused naming the definition and the argument
// with the outputs untouched, and 0 tokens must write nothing (one var axis: nothing to
// disagree). `--small`: small shapes only (compute-sanitizer). Exit 77 without a Hopper GPU.

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

#include "solkit/ops/fused_qkv_rope/kernel.cuh"
#include "gpu_test_support.hpp"

namespace {

using solkit_gpu_test::expect;
using solkit_gpu_test::failures;
bool small = false;


float to_float(__nv_bfloat16 value) { return __bfloat162float(value); }
float to_float(__half value) { return __half2float(value); }
template <class E>
E from_float(float value) {
  if constexpr (std::is_same_v<E, __half>) return __float2half_rn(value);
  else return __float2bfloat16(value);
}

/// The kernel's cos and sin of every token's frequencies, through the kernel's own function.
template <int RD>
__global__ void device_angles(const std::int32_t* positions, std::int64_t tokens, float* cos, float* sin) {
  constexpr int half = RD / 2;
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= tokens * half) return;
  const float2 cs = solkit::ops::fused_qkv_rope::kernels::computed_angles<RD>::of(
      static_cast<float>(positions[i / half]), static_cast<int>(i % half));
  cos[i] = cs.x;
  sin[i] = cs.y;
}

/// Checks heads `actual` ([tokens, heads, D]) against the NeoX rotation of `input` with the
/// given cos/sin: (a) within tolerance of the exact (double) result: one output rounding is at
/// most 2^-9 (bf16) or 2^-12 (fp16) relative, allowed 2^-8 / 2^-10, plus 2^-24 absolute for fp16
/// subnormals; the fp32 products and sum add at most 3 * 2^-24 of the terms (allowed 2^-20);
/// channels from RD on (and whole heads when `rotate` is false: v) copied exactly; (b)
/// bit-equal to the reference's fp32 order (products rounded, then the sum, one rounding).
template <class E>
void compare(const std::string& what, const std::vector<E>& input, const std::vector<E>& actual, std::int64_t tokens,
             std::int64_t heads, int D, int RD, bool rotate, const std::vector<float>& cos_of_token,
             const std::vector<float>& sin_of_token) {
  constexpr bool fp16 = std::is_same_v<E, __half>;
  const double relative = fp16 ? 0x1p-10 : 0x1p-8, absolute = fp16 ? 0x1p-24 : 0.0;
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
      for (int f = 0; rotate && f < half; ++f) {
        const int i1 = f, i2 = f + half;
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
        const bool ok = std::fabs(got - expected[c]) <=
                        relative * std::fabs(expected[c]) + 0x1p-20 * scale[c] + (scale[c] > 0 ? absolute : 0.0);
        const bool exact = got == to_float(from_float<E>(fp32[c]));
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
void check(std::int64_t tokens, int position_offset, std::mt19937& rng) {
  constexpr solkit::fused_qkv_rope_axes axes = Definition::axes;
  using E = typename solkit::kernel<Definition>::element;
  constexpr int D = axes.head_dim, RD = axes.rope_dim, half = RD / 2;
  constexpr std::int64_t H = axes.num_heads, KV = axes.num_kv_heads, row = (H + 2 * KV) * D;
  solkit_gpu_test::checked(std::string{Definition::name.view()});
  const std::string what = std::string{Definition::name.view()} + " T" + std::to_string(tokens) +
                           (position_offset ? " positions at +4 bytes" : "");
  std::normal_distribution<float> normal{0.0f, 2.0f};
  std::vector<E> qkv(tokens * row);
  for (auto& v : qkv) {
    float value = normal(rng);
    if (std::fabs(value) < 1e-3f) value = 1e-3f;  // never zero
    v = from_float<E>(value);
  }
  std::vector<std::int32_t> positions(tokens + position_offset);
  std::uniform_int_distribution<std::int32_t> position{0, 32767};
  for (auto& p : positions) p = position(rng);
  positions[position_offset] = tokens > 1 ? 32767 : 0;
  if (tokens > 2) positions[position_offset + 1] = 0;
  // q, k, v inputs split on the host: [tokens, heads, D] each.
  std::vector<E> q_in(tokens * H * D), k_in(tokens * KV * D), v_in(tokens * KV * D);
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (std::int64_t i = 0; i < H * D; ++i) q_in[t * H * D + i] = qkv[t * row + i];
    for (std::int64_t i = 0; i < KV * D; ++i) k_in[t * KV * D + i] = qkv[t * row + H * D + i];
    for (std::int64_t i = 0; i < KV * D; ++i) v_in[t * KV * D + i] = qkv[t * row + (H + KV) * D + i];
  }

  E *d_qkv, *d_q, *d_k, *d_v;
  std::int32_t* d_positions;
  float *d_cos, *d_sin;
  cudaMalloc(&d_qkv, qkv.size() * 2);
  cudaMalloc(&d_positions, positions.size() * 4);
  cudaMalloc(&d_q, q_in.size() * 2);
  cudaMalloc(&d_k, k_in.size() * 2);
  cudaMalloc(&d_v, v_in.size() * 2);
  cudaMalloc(&d_cos, tokens * half * 4);
  cudaMalloc(&d_sin, tokens * half * 4);
  cudaMemcpy(d_qkv, qkv.data(), qkv.size() * 2, cudaMemcpyHostToDevice);
  cudaMemcpy(d_positions, positions.data(), positions.size() * 4, cudaMemcpyHostToDevice);
  cudaMemset(d_q, 0xFF, q_in.size() * 2);  // NaN in bf16 and fp16: an element left unwritten fails
  cudaMemset(d_k, 0xFF, k_in.size() * 2);
  cudaMemset(d_v, 0xFF, v_in.size() * 2);
  const solkit::launch_status status =
      solkit::launch_fused_qkv_rope<Definition>(d_qkv, d_positions + position_offset, d_q, d_k, d_v, tokens);
  expect(status.ok(), what + " launch: " + status.message);
  device_angles<RD><<<static_cast<unsigned>((tokens * half + 255) / 256), 256>>>(d_positions + position_offset, tokens,
                                                                                 d_cos, d_sin);
  expect(cudaDeviceSynchronize() == cudaSuccess, what + " synchronize");
  std::vector<E> q(q_in.size()), k(k_in.size()), v(v_in.size());
  std::vector<float> cos(tokens * half), sin(tokens * half);
  cudaMemcpy(q.data(), d_q, q.size() * 2, cudaMemcpyDeviceToHost);
  cudaMemcpy(k.data(), d_k, k.size() * 2, cudaMemcpyDeviceToHost);
  cudaMemcpy(v.data(), d_v, v.size() * 2, cudaMemcpyDeviceToHost);
  cudaMemcpy(cos.data(), d_cos, cos.size() * 4, cudaMemcpyDeviceToHost);
  cudaMemcpy(sin.data(), d_sin, sin.size() * 4, cudaMemcpyDeviceToHost);

  // The angle as the reference computes it (fp32 steps), its cos and sin in double. The kernel's
  // inv_freq may differ by a few ulp (CUDA's powf is not correctly rounded; glibc's is), which
  // moves the angle by up to |angle| 2^-21; sincosf adds at most 2 ulp (2^-22 absolute). Allowed:
  // 2^-20 (|angle| + 1).
  std::int64_t bad_angles = 0;
  for (std::int64_t t = 0; t < tokens; ++t) {
    for (int f = 0; f < half; ++f) {
      const float inv_freq = 1.0f / std::pow(10000.0f, static_cast<float>(2 * f) / static_cast<float>(RD));
      const float angle = static_cast<float>(positions[t + position_offset]) * inv_freq;
      const double allowed = 0x1p-20 * (std::fabs(angle) + 1.0);
      const float c = cos[t * half + f], s = sin[t * half + f];
      const bool ok = std::fabs(c - std::cos(double(angle))) <= allowed && std::fabs(s - std::sin(double(angle))) <= allowed;
      if (!ok && bad_angles++ < 4) {
        std::printf("  %s token %lld frequency %d angle %.9g: cos %.9g sin %.9g\n", what.c_str(), (long long)t, f,
                    angle, c, s);
      }
    }
  }
  expect(bad_angles == 0, what + ": " + std::to_string(bad_angles) + " cos/sin value(s) off the fp32 angle's");
  compare(what + " q", q_in, q, tokens, H, D, RD, true, cos, sin);
  compare(what + " k", k_in, k, tokens, KV, D, RD, true, cos, sin);
  compare(what + " v", v_in, v, tokens, KV, D, RD, false, cos, sin);
  cudaFree(d_qkv), cudaFree(d_positions), cudaFree(d_q), cudaFree(d_k), cudaFree(d_v), cudaFree(d_cos), cudaFree(d_sin);
}

template <class Definition>
void check_definition(std::mt19937& rng) {
  for (std::int64_t tokens : {1, 7, 1031, 8191}) {
    if (!small || tokens < 64) check<Definition>(tokens, 0, rng);
  }
  check<Definition>(small ? 3 : 33, 1, rng);  // positions need only 4-byte alignment
}

template <std::int64_t H, std::int64_t KV, std::int64_t D, std::int64_t RD, solkit::dtype type>
using fused = solkit::fused_qkv_rope<solkit::fused_qkv_rope_axes{H, KV, D, RD, type}>;
constexpr auto bf16 = solkit::dtype::bfloat16;
constexpr auto fp16 = solkit::dtype::float16;

void check_bad_input() {
  using def = fused<32, 4, 128, 128, bf16>;
  constexpr std::int64_t T = 4, row_bytes = (32 + 8) * 128 * 2, q_bytes = T * 32 * 128 * 2, kv_bytes = T * 4 * 128 * 2;
  __nv_bfloat16 *qkv, *q, *k, *v;
  std::int32_t* positions;
  cudaMalloc(&qkv, T * row_bytes + 16);
  cudaMalloc(&positions, T * 4 + 16);
  cudaMalloc(&q, q_bytes + 16);
  cudaMalloc(&k, kv_bytes + 16);
  cudaMalloc(&v, kv_bytes + 16);
  cudaMemset(qkv, 0x3F, T * row_bytes + 16);
  cudaMemset(positions, 0, T * 4 + 16);
  for (void* out : {static_cast<void*>(q), static_cast<void*>(k), static_cast<void*>(v)}) {
    cudaMemset(out, 0x11, out == q ? q_bytes + 16 : kv_bytes + 16);
  }
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code, const char* argument) {
    expect(status.code == code && status.message.find("fused_qkv_rope_h32_kv4_d128_rd128_bf16") != std::string::npos &&
               status.message.find(std::string{": "} + argument + " ") != std::string::npos,
           std::string{"refused naming "} + argument + " (got: " + status.message + ")");
  };
  using code = solkit::launch_error_code;
  const auto* odd_positions = reinterpret_cast<const std::int32_t*>(reinterpret_cast<const char*>(positions) + 2);
  refused(solkit::launch_fused_qkv_rope<def>(static_cast<const __nv_bfloat16*>(nullptr), positions, q, k, v, T),
          code::null_pointer, "qkv");
  refused(solkit::launch_fused_qkv_rope<def>(qkv, nullptr, q, k, v, T), code::null_pointer, "positions");
  refused(solkit::launch_fused_qkv_rope<def>(qkv, positions, q, k, nullptr, T), code::null_pointer, "v");
  refused(solkit::launch_fused_qkv_rope<def>(qkv + 1, positions, q, k, v, T), code::misaligned_pointer, "qkv");
  refused(solkit::launch_fused_qkv_rope<def>(qkv, odd_positions, q, k, v, T), code::misaligned_pointer, "positions");
  refused(solkit::launch_fused_qkv_rope<def>(qkv, positions, q + 2, k, v, T), code::misaligned_pointer, "q");  // 4 bytes
  refused(solkit::launch_fused_qkv_rope<def>(qkv, positions, q, k + 4, v, T), code::misaligned_pointer, "k");  // 8 bytes
  refused(solkit::launch_fused_qkv_rope<def>(qkv, positions, q, k, v, -1), code::bad_size, "total_tokens");
  {
    void* const four[] = {qkv, positions, q, k};
    const std::int64_t axes[] = {T};
    refused(solkit::kernel<def>::launch({four, axes}, nullptr), code::bad_size, "tensors");
  }
  expect(solkit::launch_fused_qkv_rope<def>(qkv, positions, q, k, v, 0).ok(), "0 tokens is a no-op, not an error");
  const std::int64_t axes[] = {T};
  expect(solkit::kernel<def>::index_bound("positions", axes) == 32768, "index_bound of positions is 32768");
  expect(cudaDeviceSynchronize() == cudaSuccess, "bad input: synchronize");
  bool untouched = true;
  for (auto [pointer, bytes] : {std::pair<void*, std::int64_t>{q, q_bytes + 16}, {k, kv_bytes + 16}, {v, kv_bytes + 16}}) {
    std::vector<unsigned char> after(bytes);
    cudaMemcpy(after.data(), pointer, bytes, cudaMemcpyDeviceToHost);
    for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  }
  expect(untouched, "refused launches and 0 tokens leave the outputs untouched");
  cudaFree(qkv), cudaFree(positions), cudaFree(q), cudaFree(k), cudaFree(v);
}

}  // namespace

int main(int argc, char** argv) {
  small = argc > 1 && (std::strcmp(argv[1], "--small") == 0 || std::strcmp(argv[1], "--quick") == 0);
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  std::mt19937 rng{2026};
  // definitions/fused_qkv_rope/*.json (atrex-bench's shapes).
  check_definition<fused<32, 4, 128, 128, bf16>>(rng);
  check_definition<fused<32, 4, 128, 128, fp16>>(rng);
  check_definition<fused<32, 8, 128, 128, fp16>>(rng);
  check_definition<fused<40, 8, 128, 128, bf16>>(rng);
  check_definition<fused<40, 8, 128, 128, fp16>>(rng);
  check_definition<fused<64, 8, 128, 128, fp16>>(rng);
  // Partial rotary, other head widths, and the NeoX fallback (rope_dim 40).
  check_definition<fused<8, 2, 128, 64, bf16>>(rng);
  check_definition<fused<4, 1, 64, 64, fp16>>(rng);
  check_definition<fused<6, 2, 80, 80, bf16>>(rng);
  check_definition<fused<2, 1, 256, 128, fp16>>(rng);
  check_definition<fused<4, 1, 80, 40, bf16>>(rng);
  check_bad_input();
  return solkit_gpu_test::finish(properties);
}
