// GPU test of the paged GQA decode kernel (gqa_paged_decode_h{q}_kv{kv}_d{d}_ps{P}, every
// definition of definitions/gqa_paged/) against the double-precision CPU reference
// (attention_reference.hpp): ragged batches with lengths 0 (empty), 1, P, 2P, P+1, long ones
// (2047, 5003, and 9000 alone, which is cut into many splits), 150 short sequences in one batch
// (many sequences per CTA), scattered page ids, the cache's unused rows and pages set to NaN (a
// kernel that reads past a sequence's end fails), outputs poisoned with NaN before each run.
// Then bad input: null / misaligned pointers, negative batch, inconsistent len_indptr, a too
// small workspace, and with debug checks on: bad kv_indptr, kv_indices, kv_last_page_len; each
// refused naming the definition and argument with the output untouched; batch 0 writes nothing.
// --quick: short lengths only (for compute-sanitizer); --few: those on a few definitions;
// --time: bandwidth of a few workloads.
// Exit 77 (skipped) without a Hopper GPU.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/gqa_paged/decode_kernel.cuh"
#include "attention_reference.hpp"
#include "gpu_test_support.hpp"

namespace {

using solkit_gpu_test::expect;
namespace ref = solkit_gpu_test::attention;
using bf16 = __nv_bfloat16;

template <class T>
T* to_device(const std::vector<T>& host) {
  T* device = nullptr;
  cudaMalloc(&device, std::max<std::size_t>(host.size(), 1) * sizeof(T));
  if (!host.empty()) cudaMemcpy(device, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice);
  return device;
}
template <class T>
std::vector<T> to_host(const T* device, std::size_t count) {
  std::vector<T> host(count);
  if (count > 0) cudaMemcpy(host.data(), device, count * sizeof(T), cudaMemcpyDeviceToHost);
  return host;
}

/// One batch of sequences with `kv_lens` cached tokens through Definition's kernel, checked
/// against the CPU reference. `mode`: 0 kernel<>::launch, 1 typed launcher, 2 with a workspace.
template <class Definition>
void check_batch(const std::vector<std::int64_t>& kv_lens, std::mt19937& rng, int mode) {
  constexpr auto axes = Definition::axes;
  constexpr int hq = axes.num_qo_heads, hkv = axes.num_kv_heads, d = axes.head_dim, page = axes.page_size;
  const std::string name{Definition::name.view()};
  const std::int64_t batch = static_cast<std::int64_t>(kv_lens.size());
  std::int64_t used = 0;
  for (std::int64_t len : kv_lens) used += (len + page - 1) / page;
  const std::int64_t num_pages = used + 3;  // spare pages, never referenced
  const auto arrays = solkit::attention::paged_batch({}, kv_lens, page, num_pages, rng());

  // Cache: every row NaN, then the rows the sequences own random in [-1, 1).
  const std::size_t row_elems = static_cast<std::size_t>(hkv) * d;
  std::vector<bf16> k(num_pages * page * row_elems, __float2bfloat16(NAN)), v = k;
  std::vector<float> kf(k.size(), NAN), vf(v.size(), NAN);
  std::uniform_real_distribution<float> uniform{-1.0f, 1.0f};
  for (std::int64_t b = 0; b < batch; ++b) {
    for (std::int64_t j = 0; j < kv_lens[b]; ++j) {
      const std::size_t row = static_cast<std::size_t>(arrays.kv_indices[arrays.kv_indptr[b] + j / page]) * page + j % page;
      for (std::size_t e = 0; e < row_elems; ++e) {
        k[row * row_elems + e] = __float2bfloat16(uniform(rng));
        v[row * row_elems + e] = __float2bfloat16(uniform(rng));
        kf[row * row_elems + e] = __bfloat162float(k[row * row_elems + e]);
        vf[row * row_elems + e] = __bfloat162float(v[row * row_elems + e]);
      }
    }
  }
  // Queries N(0, 2): logits with a standard deviation near 1 (peaked and flat rows both occur).
  std::normal_distribution<float> normal{0.0f, 2.0f};
  std::vector<bf16> q(batch * hq * d);
  std::vector<float> qf(q.size());
  for (std::size_t i = 0; i < q.size(); ++i) q[i] = __float2bfloat16(normal(rng)), qf[i] = __bfloat162float(q[i]);
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));

  bf16 *d_q = to_device(q), *d_k = to_device(k), *d_v = to_device(v);
  std::int32_t *d_indptr = to_device(arrays.kv_indptr), *d_indices = to_device(arrays.kv_indices);
  std::int32_t* d_last = to_device(arrays.kv_last_page_len);
  float* d_scale = to_device(std::vector<float>{scale});
  bf16* d_out = nullptr;
  float* d_lse = nullptr;
  cudaMalloc(&d_out, q.size() * 2);
  cudaMalloc(&d_lse, batch * hq * 4);
  cudaMemset(d_out, 0xFF, q.size() * 2);  // NaN: an unwritten element fails
  cudaMemset(d_lse, 0xFF, batch * hq * 4);
  void* workspace = nullptr;
  const std::size_t workspace_bytes = solkit::gqa_paged_decode_workspace_bytes<Definition>();
  solkit::launch_status status;
  if (mode == 0) {
    std::vector<void*> tensors{d_q, d_k, d_v, d_indptr, d_indices};
    if (page > 1) tensors.push_back(d_last);
    tensors.insert(tensors.end(), {d_scale, d_out, d_lse});
    const std::int64_t var_axes[] = {batch, num_pages, batch + 1, used};
    status = solkit::launch<Definition>({tensors, var_axes});
  } else if (mode == 1) {
    status = solkit::launch_gqa_paged_decode<Definition>(d_q, d_k, d_v, d_indptr, d_indices, d_last, d_scale, d_out,
                                                         d_lse, batch, num_pages, used);
  } else {
    cudaMalloc(&workspace, workspace_bytes);
    status = solkit::launch_gqa_paged_decode<Definition>(d_q, d_k, d_v, d_indptr, d_indices, d_last, d_scale, d_out,
                                                         d_lse, batch, num_pages, used, workspace, workspace_bytes);
  }
  expect(status.ok(), name + " launch: " + status.message);
  const cudaError_t sync = cudaDeviceSynchronize();
  expect(sync == cudaSuccess, name + " synchronize: " + cudaGetErrorString(sync));
  const auto out = to_host(d_out, q.size());
  const auto lse = to_host(d_lse, batch * hq);

  std::vector<std::int32_t> qo_indptr(batch + 1);
  for (std::int64_t b = 0; b <= batch; ++b) qo_indptr[b] = static_cast<std::int32_t>(b);
  const ref::row_of k_row = [&](std::size_t b, std::int64_t j, int h) {
    const std::size_t row = static_cast<std::size_t>(arrays.kv_indices[arrays.kv_indptr[b] + j / page]) * page + j % page;
    return kf.data() + row * row_elems + static_cast<std::size_t>(h) * d;
  };
  const ref::row_of v_row = [&](std::size_t b, std::int64_t j, int h) {
    const std::size_t row = static_cast<std::size_t>(arrays.kv_indices[arrays.kv_indptr[b] + j / page]) * page + j % page;
    return vf.data() + row * row_elems + static_cast<std::size_t>(h) * d;
  };
  std::vector<float> want_out, want_lse;
  ref::reference({hq, hkv, d}, qf, qo_indptr, kv_lens, k_row, v_row, scale, true, want_out, want_lse);

  // Tolerances. Output: the result is rounded once to bf16 (2^-9 relative, 2^-8 allowed); the
  // probabilities are rounded to bf16 for the PV product (2^-9 relative each, errors of random
  // sign over values in [-1, 1]) and accumulated in fp32: 2e-3 absolute covers both with margin
  // for outputs near 0. lse: fp32 sums of exp2 (ex2.approx, 2^-22) and the partial merge, 1e-3.
  // An empty sequence must give exactly 0 and -inf.
  int bad = 0;
  for (std::int64_t b = 0; b < batch; ++b) {
    for (int h = 0; h < hq; ++h) {
      const std::size_t head = b * hq + h;
      const float got_lse = lse[head], want = want_lse[head];
      const bool lse_ok = kv_lens[b] == 0 ? (std::isinf(got_lse) && got_lse < 0) : std::fabs(got_lse - want) <= 1e-3f;
      if (!lse_ok && bad++ < 5) {
        std::printf("  %s seq %lld (len %lld) head %d: lse %g vs %g\n", name.c_str(), (long long)b,
                    (long long)kv_lens[b], h, got_lse, want);
      }
      for (int e = 0; e < d; ++e) {
        const float got = __bfloat162float(out[head * d + e]), w = want_out[head * d + e];
        const bool ok = kv_lens[b] == 0 ? got == 0.0f : std::fabs(got - w) <= 2e-3f + 0x1p-8f * std::fabs(w);
        if (!ok && bad++ < 5) {
          std::printf("  %s seq %lld (len %lld) head %d dim %d: %g vs %g\n", name.c_str(), (long long)b,
                      (long long)kv_lens[b], h, e, got, w);
        }
      }
    }
  }
  expect(bad == 0, name + " batch " + std::to_string(batch) + " (mode " + std::to_string(mode) +
                       ") matches the CPU reference");
  solkit_gpu_test::checked(name);
  for (void* p : {(void*)d_q, (void*)d_k, (void*)d_v, (void*)d_indptr, (void*)d_indices, (void*)d_last,
                  (void*)d_scale, (void*)d_out, (void*)d_lse, workspace}) {
    cudaFree(p);
  }
}

template <class Definition>
void check_definition(std::mt19937& rng, bool quick) {
  constexpr std::int64_t P = Definition::axes.page_size;
  if (quick) {
    check_batch<Definition>({0, 1, P, P + 1, 300, 0}, rng, 0);
    std::vector<std::int64_t> many(140);
    for (auto& len : many) len = rng() % 12;
    check_batch<Definition>(many, rng, 1);
    return;
  }
  check_batch<Definition>({0, 1, P, 2 * P, P + 1, 2047, 0, 5003, 300}, rng, 0);
  check_batch<Definition>({1}, rng, 1);   // one chunk: no split, no merge
  check_batch<Definition>({9000}, rng, 2);  // many splits, caller's workspace
  std::vector<std::int64_t> many(150);
  for (auto& len : many) len = rng() % 40;
  check_batch<Definition>(many, rng, 0);
  std::vector<std::int64_t> seven(7);
  for (auto& len : seven) len = 1 + rng() % 700;
  check_batch<Definition>(seven, rng, 1);
}

template <solkit::gqa_paged_decode_axes... all>
void check_all(std::mt19937& rng, bool quick) {
  (check_definition<solkit::gqa_paged_decode<all>>(rng, quick), ...);
}

void check_bad_input();
void time_all();

}  // namespace

int main(int argc, char** argv) {
  // --few: the --quick shapes on a few definitions (each head dim, small and large groups, every
  // page size), for the slower compute-sanitizer tools.
  const bool few = argc > 1 && std::string{argv[1]} == "--few";
  const bool quick = few || (argc > 1 && std::string{argv[1]} == "--quick");
  const bool time = argc > 1 && std::string{argv[1]} == "--time";
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  // SOLKIT_TEST_WAVES=n: run with decode::waves() = n (the split's tuning knob).
  if (const char* w = std::getenv("SOLKIT_TEST_WAVES")) solkit::ops::gqa_paged::decode::waves().store(std::atoi(w));
  if (time) {
    time_all();
    return solkit_gpu_test::finish(properties);
  }
  std::mt19937 rng{2026};
  using a = solkit::gqa_paged_decode_axes;
  if (few) {
    check_all<a{8, 2, 64, 16}, a{32, 8, 128, 1}, a{32, 8, 128, 64}, a{64, 8, 128, 16}, a{16, 2, 256, 64}, a{3, 3, 128, 16}>(
        rng, true);
    check_bad_input();
    return solkit_gpu_test::finish(properties);
  }
  // Every definition of definitions/gqa_paged/gqa_paged_decode_*.json.
  check_all<a{12, 1, 128, 1}, a{12, 1, 128, 64}, a{16, 16, 128, 16}, a{16, 1, 128, 1}, a{16, 1, 128, 64},
            a{16, 2, 128, 1}, a{16, 2, 128, 64}, a{16, 2, 256, 1}, a{16, 2, 256, 16}, a{16, 2, 256, 64},
            a{16, 4, 128, 1}, a{16, 4, 128, 64}, a{20, 4, 128, 1}, a{20, 4, 128, 64}, a{24, 4, 128, 1},
            a{24, 4, 128, 64}, a{24, 8, 128, 1}, a{24, 8, 128, 64}, a{28, 4, 128, 1}, a{28, 4, 128, 64},
            a{32, 16, 128, 1}, a{32, 16, 128, 64}, a{32, 2, 128, 1}, a{32, 2, 128, 64}, a{32, 4, 128, 1},
            a{32, 4, 128, 16}, a{32, 4, 128, 64}, a{32, 8, 128, 1}, a{32, 8, 128, 16}, a{32, 8, 128, 64},
            a{3, 3, 128, 16}, a{40, 10, 128, 1}, a{40, 10, 128, 64}, a{40, 8, 128, 1}, a{40, 8, 128, 16},
            a{40, 8, 128, 64}, a{48, 8, 128, 1}, a{48, 8, 128, 64}, a{4, 1, 128, 16}, a{4, 1, 256, 1},
            a{4, 1, 256, 64}, a{5, 1, 128, 1}, a{5, 1, 128, 64}, a{64, 8, 128, 16}, a{6, 1, 128, 1},
            a{6, 1, 128, 64}, a{8, 1, 128, 1}, a{8, 1, 128, 64}, a{8, 1, 256, 1}, a{8, 1, 256, 64}>(rng, quick);
  // Head dim 64 (supported, not in the catalog's decode definitions).
  check_all<a{8, 2, 64, 16}>(rng, quick);
  check_bad_input();
  return solkit_gpu_test::finish(properties);
}

namespace {

void check_bad_input() {
  using def = solkit::gqa_paged_decode<solkit::gqa_paged_decode_axes{32, 8, 128, 64}>;
  using def1 = solkit::gqa_paged_decode<solkit::gqa_paged_decode_axes{32, 8, 128, 1}>;
  constexpr std::int64_t batch = 4, page = 64, kv_len = 300, pages_each = (kv_len + page - 1) / page;
  const std::vector<std::int64_t> lens(batch, kv_len);
  const auto arrays = solkit::attention::paged_batch({}, lens, page, batch * pages_each, 7);
  const std::int64_t num_pages = batch * pages_each, used = arrays.kv_indptr.back();
  bf16 *q = nullptr, *k = nullptr, *v = nullptr, *out = nullptr;
  cudaMalloc(&q, batch * 32 * 128 * 2 + 16);
  cudaMalloc(&k, num_pages * page * 8 * 128 * 2 + 16);
  cudaMalloc(&v, num_pages * page * 8 * 128 * 2);
  cudaMemset(q, 0x3F, batch * 32 * 128 * 2 + 16);
  cudaMemset(k, 0x3F, num_pages * page * 8 * 128 * 2 + 16);
  cudaMemset(v, 0x3F, num_pages * page * 8 * 128 * 2);
  std::int32_t *indptr = to_device(arrays.kv_indptr), *indices = to_device(arrays.kv_indices);
  std::int32_t* last = to_device(arrays.kv_last_page_len);
  float* scale = to_device(std::vector<float>{0.088f});
  float* lse = nullptr;
  cudaMalloc(&out, batch * 32 * 128 * 2);
  cudaMalloc(&lse, batch * 32 * 4);
  cudaMemset(out, 0x11, batch * 32 * 128 * 2);
  cudaMemset(lse, 0x11, batch * 32 * 4);
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code, const char* argument,
                           const char* definition = "gqa_paged_decode_h32_kv8_d128_ps64") {
    expect(status.code == code && status.message.find(definition) != std::string::npos &&
               status.message.find(argument) != std::string::npos,
           std::string{"refused naming "} + argument + " (got: " + status.message + ")");
  };
  using code = solkit::launch_error_code;
  auto typed = [&](const bf16* q_, const bf16* k_, const std::int32_t* indptr_, const std::int32_t* indices_,
                   const std::int32_t* last_, std::int64_t batch_) {
    return solkit::launch_gqa_paged_decode<def>(q_, k_, v, indptr_, indices_, last_, scale, out, lse, batch_,
                                                num_pages, used);
  };
  refused(typed(nullptr, k, indptr, indices, last, batch), code::null_pointer, "q");
  refused(typed(q, k, indptr, indices, nullptr, batch), code::null_pointer, "kv_last_page_len");
  refused(typed(q, k + 1, indptr, indices, last, batch), code::misaligned_pointer, "k_cache");
  refused(typed(q + 4, k, indptr, indices, last, batch), code::misaligned_pointer, "q");
  refused(typed(q, k, indptr, indices, last, -1), code::bad_size, "batch_size");
  {
    void* tensors[] = {q, k, v, indptr, indices, last, scale, out, lse};
    const std::int64_t var_axes[] = {batch, num_pages, batch + 2, used};
    refused(solkit::launch<def>({tensors, var_axes}), code::bad_size, "len_indptr");
  }
  {
    void* workspace = nullptr;
    cudaMalloc(&workspace, 256);
    refused(solkit::launch_gqa_paged_decode<def>(q, k, v, indptr, indices, last, scale, out, lse, batch, num_pages,
                                                 used, workspace, 256),
            code::bad_size, "workspace");
    cudaFree(workspace);
  }
  expect(typed(q, k, indptr, indices, last, 0).ok(), "batch 0 is a no-op, not an error");
  // Debug checks on: index faults refused before launch.
  solkit::attention::debug_checks().store(true);
  auto with_array = [&](std::vector<std::int32_t> values, std::size_t index, std::int32_t value) {
    values[index] = value;
    return to_device(values);
  };
  std::int32_t* bad = with_array(arrays.kv_indptr, 2, 0);  // decreasing
  refused(typed(q, k, bad, indices, last, batch), code::bad_size, "kv_indptr");
  cudaFree(bad);
  bad = with_array(arrays.kv_indptr, batch, static_cast<std::int32_t>(used - 1));  // does not end at num_kv_indices
  refused(typed(q, k, bad, indices, last, batch), code::bad_size, "kv_indptr");
  cudaFree(bad);
  bad = with_array(arrays.kv_indices, 3, static_cast<std::int32_t>(num_pages));
  refused(typed(q, k, indptr, bad, last, batch), code::bad_size, "kv_indices");
  cudaFree(bad);
  bad = with_array(arrays.kv_last_page_len, 1, 0);
  refused(typed(q, k, indptr, indices, bad, batch), code::bad_size, "kv_last_page_len");
  cudaFree(bad);
  bad = with_array(arrays.kv_last_page_len, 1, page + 1);
  refused(typed(q, k, indptr, indices, bad, batch), code::bad_size, "kv_last_page_len");
  cudaFree(bad);
  {  // page size 1: no kv_last_page_len; indices out of range
    bad = with_array(std::vector<std::int32_t>(10, 0), 9, -1);
    const std::vector<std::int32_t> indptr1{0, 5, 10};
    std::int32_t* d_indptr1 = to_device(indptr1);
    refused(solkit::launch_gqa_paged_decode<def1>(q, k, v, d_indptr1, bad, nullptr, scale, out, lse, 2, 10, 10),
            code::bad_size, "kv_indices", "gqa_paged_decode_h32_kv8_d128_ps1");
    cudaFree(d_indptr1);
    cudaFree(bad);
  }
  solkit::attention::debug_checks().store(false);
  refused(typed(nullptr, k, indptr, indices, last, batch), code::null_pointer, "q");
  expect(typed(q, k, indptr, indices, last, 0).ok(), "batch 0 is a no-op, not an error");
  std::vector<unsigned char> after(batch * 32 * 128 * 2);
  cudaDeviceSynchronize();
  cudaMemcpy(after.data(), out, after.size(), cudaMemcpyDeviceToHost);
  std::vector<unsigned char> after_lse(batch * 32 * 4);
  cudaMemcpy(after_lse.data(), lse, after_lse.size(), cudaMemcpyDeviceToHost);
  bool untouched = true;
  for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  for (unsigned char byte : after_lse) untouched = untouched && byte == 0x11;
  expect(untouched, "refused launches and batch 0 leave output and lse untouched");
  // And valid arrays pass the debug checks and launch.
  solkit::attention::debug_checks().store(true);
  expect(typed(q, k, indptr, indices, last, batch).ok(), "valid index arrays pass the debug checks");
  solkit::attention::debug_checks().store(false);
  expect(cudaDeviceSynchronize() == cudaSuccess, "debug-checked launch runs");
  for (void* p : {(void*)q, (void*)k, (void*)v, (void*)out, (void*)lse, (void*)indptr, (void*)indices, (void*)last,
                  (void*)scale}) {
    cudaFree(p);
  }
}

__global__ void fill_random(bf16* data, std::size_t count, std::uint32_t seed) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < count; i += std::size_t{gridDim.x} * blockDim.x) {
    std::uint32_t x = static_cast<std::uint32_t>(i) * 2654435761u ^ seed;
    x ^= x >> 15, x *= 2246822519u, x ^= x >> 13;
    data[i] = __float2bfloat16(static_cast<float>(x & 0xFFFF) / 32768.0f - 1.0f);
  }
}

/// Bandwidth of Definition on `batch` sequences of `kv_len` tokens: bytes = q + the used K/V +
/// output (+ lse and index arrays, a rounding error), against the H100's 3.35 TB/s.
template <class Definition>
void time_one(std::int64_t batch, std::int64_t kv_len) {
  constexpr auto axes = Definition::axes;
  constexpr std::int64_t hq = axes.num_qo_heads, hkv = axes.num_kv_heads, d = axes.head_dim, page = axes.page_size;
  const std::vector<std::int64_t> lens(batch, kv_len);
  const std::int64_t pages = batch * ((kv_len + page - 1) / page);
  const auto arrays = solkit::attention::paged_batch({}, lens, page, pages, 11);
  const std::size_t cache = static_cast<std::size_t>(pages) * page * hkv * d;
  bf16 *q = nullptr, *k = nullptr, *v = nullptr, *out = nullptr;
  float* lse = nullptr;
  cudaMalloc(&q, batch * hq * d * 2);
  cudaMalloc(&k, cache * 2);
  cudaMalloc(&v, cache * 2);
  cudaMalloc(&out, batch * hq * d * 2);
  cudaMalloc(&lse, batch * hq * 4);
  fill_random<<<1024, 256>>>(q, batch * hq * d, 1);
  fill_random<<<4096, 256>>>(k, cache, 2);
  fill_random<<<4096, 256>>>(v, cache, 3);
  std::int32_t *indptr = to_device(arrays.kv_indptr), *indices = to_device(arrays.kv_indices);
  std::int32_t* last = to_device(arrays.kv_last_page_len);
  float* scale = to_device(std::vector<float>{1.0f / std::sqrt(static_cast<float>(d))});
  auto run = [&] {
    return solkit::launch_gqa_paged_decode<Definition>(q, k, v, indptr, indices, last, scale, out, lse, batch, pages,
                                                       pages);
  };
  expect(run().ok(), "timed launch");
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  constexpr int iterations = 20;
  float ms = 0;
  for (int rep = 0; rep < 2; ++rep) {  // second pass measured
    cudaEventRecord(start);
    for (int i = 0; i < iterations; ++i) run();
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    cudaEventElapsedTime(&ms, start, stop);
  }
  expect(cudaGetLastError() == cudaSuccess, "timed runs");
  const double seconds = ms / 1e3 / iterations;
  const double bytes = 2.0 * batch * hq * d * 2 + 2.0 * batch * kv_len * hkv * d * 2 + batch * hq * 4.0;
  std::printf("time %-40s batch %5lld ctx %6lld: %8.2f us  %7.1f GB/s  %5.1f%% of 3.35 TB/s\n",
              std::string{Definition::name.view()}.c_str(), (long long)batch, (long long)kv_len, seconds * 1e6,
              bytes / seconds / 1e9, 100.0 * bytes / seconds / 3.35e12);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  for (void* p : {(void*)q, (void*)k, (void*)v, (void*)out, (void*)lse, (void*)indptr, (void*)indices, (void*)last,
                  (void*)scale}) {
    cudaFree(p);
  }
}

template <class Definition>
void time_shapes() {
  time_one<Definition>(16, 4096);
  time_one<Definition>(64, 4096);
  time_one<Definition>(1, 32768);
  time_one<Definition>(4, 2048);
}

void time_all() {
  using a = solkit::gqa_paged_decode_axes;
  for (int w : {1, 2, 4}) {
    solkit::ops::gqa_paged::decode::waves().store(w);
    std::printf("waves %d\n", w);
    time_shapes<solkit::gqa_paged_decode<a{32, 8, 128, 64}>>();
    time_shapes<solkit::gqa_paged_decode<a{32, 8, 128, 1}>>();
    time_shapes<solkit::gqa_paged_decode<a{8, 1, 128, 64}>>();
    time_shapes<solkit::gqa_paged_decode<a{16, 2, 256, 64}>>();
  }
  solkit::ops::gqa_paged::decode::waves().store(1);
  time_shapes<solkit::gqa_paged_decode<a{32, 8, 128, 16}>>();
  time_shapes<solkit::gqa_paged_decode<a{8, 1, 128, 1}>>();
  time_shapes<solkit::gqa_paged_decode<a{64, 8, 128, 16}>>();
  time_shapes<solkit::gqa_paged_decode<a{32, 2, 128, 64}>>();
}

}  // namespace
