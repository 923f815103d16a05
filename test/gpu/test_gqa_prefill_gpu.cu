// GPU test of the tensor-core prefill kernels: gqa_paged_prefill_causal (every page size),
// gqa_ragged_prefill_causal and the bidirectional gqa_ragged_prefill, every definition of
// definitions/gqa_paged/*prefill* and definitions/gqa_ragged/, against the double-precision CPU
// reference (test/gpu/attention_reference.hpp). Ragged batches with empty sequences, 1 token, page
// boundaries (P, 2P, P + 1), more queries than keys (top rows see nothing), keys but no queries,
// queries but no keys; single sequences of 1, 7 and 1001 queries; long sequences (2000 to 4000
// keys, rows sampled) for one definition per head dim and kind. Paged caches hold NaN in every row
// no sequence owns; outputs are poisoned with 0xFF (NaN) before each run. Then bad input (null, misaligned, negative, inconsistent, and with debug
// checks on: bad index contents) must be refused naming the argument with the output untouched;
// total_q 0 writes nothing. Every check runs once per prefill engine (mma.sync, then wgmma for
// the head dims it takes: 64, 128, 192, 256). `--quick`: small batches only (compute-sanitizer);
// `--time`: TFLOP/s of 1 x 8192 prefill on each engine (FLOPs of unmasked pairs only:
// 4 * d * pairs * heads).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/gqa_paged/prefill_kernel.cuh"
#include "solkit/ops/gqa_ragged/kernel.cuh"
#include "attention_reference.hpp"
#include "gpu_test_support.hpp"

namespace {

using solkit_gpu_test::expect;
using engine = solkit::attention::prefill_engine_kind;
const char* engine_name = "mma_sync";  // the engine the checks run on, for messages

/// Whether the engine now selected runs definition D itself (wgmma takes head dims of whole
/// 64-column blocks; the others fall back to mma.sync, which its own pass already checked).
template <class D>
bool engine_runs() {
  if (solkit::attention::prefill_engine().load() != engine::wgmma) return true;
  return solkit::ops::attention_prefill_wgmma::tile_config<static_cast<int>(D::axes.head_dim)>::supported;
}
using i64 = std::int64_t;

struct sequence { i64 q_len, kv_len; };

template <class D>
constexpr bool is_paged = std::same_as<solkit::axes_of<D>, solkit::gqa_paged_prefill_causal_axes>;
template <class D>
constexpr bool is_causal = !std::same_as<solkit::axes_of<D>, solkit::gqa_ragged_prefill_axes>;

/// Random bf16 values ~N(0, 1) (never all zero), and their float values.
void random_bf16(std::size_t count, std::mt19937& rng, std::vector<__nv_bfloat16>& bf, std::vector<float>& f) {
  std::normal_distribution<float> normal{0.0f, 1.0f};
  bf.resize(count);
  f.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    bf[i] = __float2bfloat16(normal(rng));
    f[i] = __bfloat162float(bf[i]);
  }
}

template <class T>
T* to_device(const std::vector<T>& host) {
  T* device = nullptr;
  cudaMalloc(&device, std::max<std::size_t>(host.size(), 1) * sizeof(T) + 16);
  if (!host.empty()) cudaMemcpy(device, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice);
  return device;
}

/// One batch of definition D on the device: inputs, index arrays, outputs.
template <class D>
struct problem {
  static constexpr auto axes = D::axes;
  static constexpr int hq = axes.num_qo_heads, hkv = axes.num_kv_heads, d = axes.head_dim;
  static constexpr i64 page = [] { if constexpr (is_paged<D>) return axes.page_size; else return i64{1}; }();
  std::vector<sequence> seqs;
  solkit::attention::batch_arrays arrays;
  i64 total_q = 0, kv_rows = 0, num_pages = 0;
  std::vector<__nv_bfloat16> q_bf, k_bf, v_bf;
  std::vector<float> q, k, v;
  float scale = 1.0f / std::sqrt(static_cast<float>(d));
  __nv_bfloat16 *dq = nullptr, *dk = nullptr, *dv = nullptr, *dout = nullptr;
  std::int32_t *dqo = nullptr, *dkv = nullptr, *dindices = nullptr, *dlast = nullptr;
  float *dscale = nullptr, *dlse = nullptr;

  problem(std::vector<sequence> s, std::mt19937& rng) : seqs(std::move(s)) {
    std::vector<i64> q_lens, kv_lens;
    for (const sequence& x : seqs) q_lens.push_back(x.q_len), kv_lens.push_back(x.kv_len);
    if constexpr (is_paged<D>) {
      i64 pages = 0;
      for (i64 l : kv_lens) pages += (l + page - 1) / page;
      num_pages = pages + 3;  // a few pages no sequence owns
      arrays = solkit::attention::paged_batch(q_lens, kv_lens, page, num_pages, rng());
      kv_rows = num_pages * page;
    } else {
      arrays.qo_indptr = solkit::attention::indptr_of(q_lens);
      arrays.kv_indptr = solkit::attention::indptr_of(kv_lens);
      kv_rows = arrays.kv_indptr.back();
    }
    total_q = arrays.qo_indptr.back();
    random_bf16(static_cast<std::size_t>(total_q * hq * d), rng, q_bf, q);
    random_bf16(static_cast<std::size_t>(kv_rows * hkv * d), rng, k_bf, k);
    random_bf16(static_cast<std::size_t>(kv_rows * hkv * d), rng, v_bf, v);
    if constexpr (is_paged<D>) {
      // Cache rows no sequence owns (unused pages, the tails of last pages) are NaN: a kernel
      // that reads one into a sum fails the comparison.
      std::vector<bool> owned(static_cast<std::size_t>(kv_rows), false);
      for (std::size_t b = 0; b < seqs.size(); ++b) {
        for (i64 j = 0; j < seqs[b].kv_len; ++j) {
          const i64 page_id = arrays.kv_indices[static_cast<std::size_t>(arrays.kv_indptr[b] + j / page)];
          owned[static_cast<std::size_t>(page_id * page + j % page)] = true;
        }
      }
      const __nv_bfloat16 nan = __float2bfloat16(std::numeric_limits<float>::quiet_NaN());
      for (i64 r = 0; r < kv_rows; ++r) {
        if (owned[static_cast<std::size_t>(r)]) continue;
        std::fill_n(k_bf.begin() + r * hkv * d, hkv * d, nan);
        std::fill_n(v_bf.begin() + r * hkv * d, hkv * d, nan);
      }
    }
    dq = to_device(q_bf), dk = to_device(k_bf), dv = to_device(v_bf);
    dqo = to_device(arrays.qo_indptr), dkv = to_device(arrays.kv_indptr);
    dindices = to_device(arrays.kv_indices), dlast = to_device(arrays.kv_last_page_len);
    dscale = to_device(std::vector<float>{scale});
    cudaMalloc(&dout, static_cast<std::size_t>(std::max<i64>(total_q, 1) * hq * d) * 2);
    cudaMalloc(&dlse, static_cast<std::size_t>(std::max<i64>(total_q, 1) * hq) * 4);
  }
  ~problem() {
    for (void* p : {(void*)dq, (void*)dk, (void*)dv, (void*)dout, (void*)dqo, (void*)dkv, (void*)dindices,
                    (void*)dlast, (void*)dscale, (void*)dlse}) cudaFree(p);
  }
  i64 batch() const { return static_cast<i64>(seqs.size()); }

  /// Through the typed launcher (which forwards to kernel<D>::launch).
  solkit::launch_status run(cudaStream_t stream = nullptr) {
    if constexpr (is_paged<D>) {
      return solkit::launch_gqa_paged_prefill_causal<D>(dq, dk, dv, dqo, dkv, dindices, dlast, dscale, dout, dlse,
                                                        batch(), total_q, arrays.kv_indptr.back(), num_pages, stream);
    } else if constexpr (is_causal<D>) {
      return solkit::launch_gqa_ragged_prefill_causal<D>(dq, dk, dv, dqo, dkv, dscale, dout, dlse, batch(), total_q,
                                                         kv_rows, stream);
    } else {
      return solkit::launch_gqa_ragged_prefill<D>(dq, dk, dv, dqo, dkv, dscale, dout, dlse, batch(), total_q, kv_rows,
                                                  stream);
    }
  }

  /// K or V row (float) of token j of sequence b, kv head h.
  const float* row(const std::vector<float>& cache, std::size_t b, i64 j, int h) const {
    i64 r = 0;
    if constexpr (is_paged<D>) {
      r = static_cast<i64>(arrays.kv_indices[static_cast<std::size_t>(arrays.kv_indptr[b] + j / page)]) * page + j % page;
    } else {
      r = arrays.kv_indptr[b] + j;
    }
    return cache.data() + (static_cast<std::size_t>(r) * hkv + h) * d;
  }
};

/// Runs the batch with poisoned outputs and checks the rows of each sequence (all of them when
/// `sample` is false, else the first and last few, tile edges and random ones) against the
/// reference. Tolerance: output |got - want| <= 4e-3 + 8e-3 |want|: the output is rounded once to
/// bf16 (2^-9 relative) and P is rounded to bf16 for the P V product (2^-9 relative per weight,
/// errors of random sign over many keys, so far below 2^-9 max|v| in practice); logits and sums
/// are fp32. lse (base 2) within 1e-3 absolute: fp32 logits of bf16 inputs. Returns the worst
/// ratio error / tolerance.
template <class D>
double check_batch(const std::string& what, std::vector<sequence> seqs, bool sample, std::mt19937& rng) {
  problem<D> p(std::move(seqs), rng);
  using P = problem<D>;
  const std::string name = std::string{D::name.view()} + " [" + engine_name + "] " + what;
  cudaMemset(p.dout, 0xFF, static_cast<std::size_t>(std::max<i64>(p.total_q, 1) * P::hq * P::d) * 2);
  cudaMemset(p.dlse, 0xFF, static_cast<std::size_t>(std::max<i64>(p.total_q, 1) * P::hq) * 4);
  const solkit::launch_status status = p.run();
  expect(status.ok(), name + " launch: " + status.message);
  const cudaError_t sync = cudaDeviceSynchronize();
  expect(sync == cudaSuccess, name + " synchronize: " + cudaGetErrorString(sync));
  std::vector<__nv_bfloat16> out(static_cast<std::size_t>(p.total_q * P::hq * P::d));
  std::vector<float> lse(static_cast<std::size_t>(p.total_q * P::hq));
  cudaMemcpy(out.data(), p.dout, out.size() * 2, cudaMemcpyDeviceToHost);
  cudaMemcpy(lse.data(), p.dlse, lse.size() * 4, cudaMemcpyDeviceToHost);

  const solkit_gpu_test::attention::shape shape{P::hq, P::hkv, P::d};
  double worst = 0.0;
  int reported = 0;
  std::vector<float> want_out, want_lse;
  for (std::size_t b = 0; b < p.seqs.size(); ++b) {
    const i64 q_len = p.seqs[b].q_len, kv_len = p.seqs[b].kv_len;
    std::vector<i64> rows;
    if (!sample || q_len <= 64) {
      for (i64 i = 0; i < q_len; ++i) rows.push_back(i);
    } else {
      for (i64 i : {i64{0}, i64{1}, i64{15}, i64{16}, i64{63}, i64{64}, i64{127}, i64{128}, i64{129}, q_len - 129,
                    q_len - 128, q_len - 64, q_len - 2, q_len - 1}) {
        if (i >= 0 && i < q_len) rows.push_back(i);
      }
      std::uniform_int_distribution<i64> any{0, q_len - 1};
      for (int n = 0; n < 8; ++n) rows.push_back(any(rng));
    }
    for (i64 i : rows) {
      const i64 row = p.arrays.qo_indptr[b] + i;
      const i64 visible = is_causal<D> ? std::min(kv_len, i + kv_len - q_len + 1) : kv_len;
      if (visible > 0) {
        // One query row over its visible keys, unmasked: the same result as row i of the batch.
        const std::int32_t one[] = {0, 1};
        const i64 lens[] = {visible};
        const auto k_row = [&](std::size_t, i64 j, int h) { return p.row(p.k, b, j, h); };
        const auto v_row = [&](std::size_t, i64 j, int h) { return p.row(p.v, b, j, h); };
        solkit_gpu_test::attention::reference(
            shape, std::span<const float>{p.q.data() + static_cast<std::size_t>(row) * P::hq * P::d, std::size_t{P::hq * P::d}},
            one, lens, k_row, v_row, p.scale, false, want_out, want_lse);
      } else {
        want_out.assign(static_cast<std::size_t>(P::hq * P::d), 0.0f);
        want_lse.assign(static_cast<std::size_t>(P::hq), -INFINITY);
      }
      for (int h = 0; h < P::hq; ++h) {
        const float got_lse = lse[static_cast<std::size_t>(row * P::hq + h)], want_l = want_lse[static_cast<std::size_t>(h)];
        const bool lse_ok = std::isinf(want_l) ? (std::isinf(got_lse) && got_lse < 0) : std::fabs(got_lse - want_l) <= 1e-3f;
        double error = lse_ok ? 0.0 : INFINITY;
        for (int e = 0; e < P::d; ++e) {
          const double got = __bfloat162float(out[static_cast<std::size_t>((row * P::hq + h) * P::d + e)]);
          const double want = want_out[static_cast<std::size_t>(h * P::d + e)];
          const double ratio = std::fabs(got - want) / (4e-3 + 8e-3 * std::fabs(want));
          error = std::isnan(ratio) ? INFINITY : std::max(error, ratio);
          if (!(ratio <= 1.0) && reported < 4) {
            ++reported;
            std::printf("  %s: seq %zu (q %lld kv %lld) row %lld head %d col %d: %g vs %g (lse %g vs %g)\n",
                        name.c_str(), b, (long long)q_len, (long long)kv_len, (long long)i, h, e, got, want, got_lse,
                        want_l);
          }
        }
        if (!lse_ok && reported < 4) {
          ++reported;
          std::printf("  %s: seq %zu row %lld head %d: lse %g vs %g\n", name.c_str(), b, (long long)i, h, got_lse, want_l);
        }
        worst = std::max(worst, error);
      }
    }
  }
  expect(worst <= 1.0, name + " matches the CPU reference (worst error/tolerance " + std::to_string(worst) + ")");
  return worst;
}

double worst_seen = 0.0;

/// The battery every definition runs: one mixed ragged batch, then single sequences.
template <class D>
void check_definition(bool quick, std::mt19937& rng) {
  if (!engine_runs<D>()) return;
  const i64 P = is_paged<D> ? std::max<i64>(problem<D>::page, 16) : 16;  // lengths around page (or tile) edges
  std::vector<sequence> mixed{{0, 0}, {1, 1}, {P, P}, {2 * P, 2 * P}, {P + 1, P + 1}, {5, 3 * P + 7}};
  if (!quick) mixed.insert(mixed.end(), {{10, 3}, {0, 5}, {3, 0}, {37, 37}, {2 * P + 5, 2 * P + 5}});
  if (!is_causal<D>) mixed.push_back({9, 200});
  worst_seen = std::max(worst_seen, check_batch<D>("mixed batch", mixed, false, rng));
  worst_seen = std::max(worst_seen, check_batch<D>("1 query", {{1, 1}}, false, rng));
  worst_seen = std::max(worst_seen, check_batch<D>("7 queries", {{7, 7}}, false, rng));
  if (!quick) worst_seen = std::max(worst_seen, check_batch<D>("1001 queries", {{1001, 1001 + 13}}, true, rng));
  solkit_gpu_test::checked(std::string{D::name.view()});
}

/// Long sequences (several key tiles, a multi-sequence batch, tiles straddling sequences).
template <class D>
void check_long(std::mt19937& rng) {
  if (!engine_runs<D>()) return;
  std::vector<sequence> seqs{{2100, 2100 + 77}, {130, 2500}, {1, 4000}, {3000, 3000}};
  if (!is_causal<D>) seqs = {{1024, 1024}, {2000, 2000}, {77, 3000}};
  worst_seen = std::max(worst_seen, check_batch<D>("long batch", seqs, true, rng));
}

template <int q, int kv, int d, int ps>
using paged = solkit::gqa_paged_prefill_causal<solkit::gqa_paged_prefill_causal_axes{q, kv, d, ps}>;
template <int q, int kv, int d>
using ragged_causal = solkit::gqa_ragged_prefill_causal<solkit::gqa_ragged_prefill_causal_axes{q, kv, d}>;
template <int q, int kv, int d>
using ragged = solkit::gqa_ragged_prefill<solkit::gqa_ragged_prefill_axes{q, kv, d}>;

template <class... D>
void check_all(bool quick, std::mt19937& rng) {
  (check_definition<D>(quick, rng), ...);
}

#define P(q, kv, d, ps) paged<q, kv, d, ps>
#define RC(q, kv, d) ragged_causal<q, kv, d>
#define RN(q, kv, d) ragged<q, kv, d>

void check_every_definition(bool quick, std::mt19937& rng) {
  // definitions/gqa_paged/gqa_paged_prefill_causal_*.json
  check_all<P(10, 1, 128, 16), P(12, 1, 128, 1), P(12, 1, 128, 64), P(16, 16, 192, 16), P(16, 16, 72, 16),
            P(16, 16, 80, 16), P(16, 1, 128, 1), P(16, 1, 128, 16), P(16, 1, 128, 64), P(16, 2, 128, 1),
            P(16, 2, 128, 16), P(16, 2, 128, 64), P(16, 2, 256, 1), P(16, 2, 256, 16), P(16, 2, 256, 64),
            P(16, 4, 128, 1), P(16, 4, 128, 16), P(16, 4, 128, 64), P(16, 4, 256, 16), P(20, 20, 64, 16),
            P(20, 4, 128, 1), P(20, 4, 128, 64), P(24, 4, 128, 1), P(24, 4, 128, 64), P(24, 8, 128, 1),
            P(24, 8, 128, 64), P(28, 4, 128, 1), P(28, 4, 128, 16), P(28, 4, 128, 64), P(32, 16, 128, 1),
            P(32, 16, 128, 64), P(32, 2, 128, 1), P(32, 2, 128, 64), P(32, 4, 128, 1), P(32, 4, 128, 16),
            P(32, 4, 128, 64), P(32, 8, 128, 1), P(32, 8, 128, 16), P(32, 8, 128, 64), P(40, 10, 128, 1),
            P(40, 10, 128, 64), P(40, 8, 128, 1), P(40, 8, 128, 16), P(40, 8, 128, 64), P(48, 8, 128, 1),
            P(48, 8, 128, 64), P(4, 1, 256, 1), P(4, 1, 256, 64), P(4, 4, 72, 16), P(5, 1, 128, 1), P(5, 1, 128, 64),
            P(6, 1, 128, 1), P(6, 1, 128, 64), P(8, 1, 128, 1), P(8, 1, 128, 64), P(8, 1, 256, 1), P(8, 1, 256, 16),
            P(8, 1, 256, 64)>(quick, rng);
  // definitions/gqa_ragged/gqa_ragged_prefill_causal_*.json
  check_all<RC(12, 1, 128), RC(16, 1, 128), RC(16, 2, 128), RC(16, 2, 256), RC(16, 4, 128), RC(20, 4, 128),
            RC(24, 4, 128), RC(24, 8, 128), RC(28, 4, 128), RC(32, 16, 128), RC(32, 2, 128), RC(32, 4, 128),
            RC(32, 8, 128), RC(40, 10, 128), RC(40, 8, 128), RC(48, 8, 128), RC(4, 1, 256), RC(5, 1, 128),
            RC(6, 1, 128), RC(8, 1, 128), RC(8, 1, 256)>(quick, rng);
  // definitions/gqa_ragged/gqa_ragged_prefill_h*.json (bidirectional)
  check_all<RN(16, 16, 72), RN(32, 32, 128), RN(4, 4, 72), RN(8, 8, 128)>(quick, rng);
  if (quick) return;
  // One definition per head dim and kind through long sequences.
  check_long<P(32, 8, 128, 16)>(rng);
  check_long<P(40, 10, 128, 1)>(rng);
  check_long<P(8, 1, 256, 64)>(rng);
  check_long<P(20, 20, 64, 16)>(rng);
  check_long<P(16, 16, 72, 16)>(rng);
  check_long<P(16, 16, 80, 16)>(rng);
  check_long<P(16, 16, 192, 16)>(rng);
  check_long<RC(32, 8, 128)>(rng);
  check_long<RC(4, 1, 256)>(rng);
  check_long<RN(16, 16, 72)>(rng);
  check_long<RN(8, 8, 128)>(rng);
}

/// Bad input must be refused with the code, the definition and the argument named, and write
/// nothing; total_q 0 launches nothing; debug checks refuse bad index contents.
template <class D>
void check_bad_input(std::mt19937& rng) {
  problem<D> p({{40, 50}, {7, 20}}, rng);
  const std::string def{D::name.view()};
  const std::size_t out_bytes = static_cast<std::size_t>(p.total_q * problem<D>::hq * problem<D>::d) * 2;
  cudaMemset(p.dout, 0x11, out_bytes);
  cudaDeviceSynchronize();
  const auto refused = [&](const solkit::launch_status& status, solkit::launch_error_code code, const char* argument) {
    expect(status.code == code && status.message.find(def) != std::string::npos &&
               status.message.find(argument) != std::string::npos,
           def + ": refused naming " + argument + " (got: " + status.message + ")");
  };
  using code = solkit::launch_error_code;
  const i64 b = p.batch(), tq = p.total_q, kvi = p.arrays.kv_indptr.back();
  if constexpr (is_paged<D>) {
    const auto launch = [&](auto q, auto k, i64 batch, i64 total_q, i64 num_pages) {
      return solkit::launch_gqa_paged_prefill_causal<D>(q, k, p.dv, p.dqo, p.dkv, p.dindices, p.dlast, p.dscale, p.dout,
                                                        p.dlse, batch, total_q, kvi, num_pages);
    };
    refused(launch(nullptr, p.dk, b, tq, p.num_pages), code::null_pointer, "q");
    refused(launch(p.dq, p.dk + 1, b, tq, p.num_pages), code::misaligned_pointer, "k_cache");
    refused(launch(p.dq, p.dk, b, -1, p.num_pages), code::bad_size, "total_q");
    refused(launch(p.dq, p.dk, 0, tq, p.num_pages), code::bad_size, "len_indptr");
    refused(launch(p.dq, p.dk, b, tq, 0), code::bad_size, "num_pages");
    if constexpr (D::axes.page_size > 1) {  // batch_size is its own var axis: inconsistent with len_indptr
      void* tensors[] = {p.dq, p.dk, p.dv, p.dqo, p.dkv, p.dindices, p.dlast, p.dscale, p.dout, p.dlse};
      const i64 var_axes[] = {b + 1, tq, kvi, p.num_pages, b + 1};
      refused(solkit::kernel<D>::launch({tensors, var_axes}, nullptr), code::bad_size, "batch_size");
    }
    solkit::attention::debug_checks() = true;
    expect(launch(p.dq, p.dk, b, tq, p.num_pages).ok(), def + ": valid indices pass the debug checks");
    cudaDeviceSynchronize();
    cudaMemset(p.dout, 0x11, out_bytes);
    refused(launch(p.dq, p.dk, b, tq + 1, p.num_pages), code::bad_size, "qo_indptr");
    refused(launch(p.dq, p.dk, b, tq, 1), code::bad_size, "kv_indices");
    std::vector<std::int32_t> last(p.arrays.kv_last_page_len);
    last[0] = 0;
    cudaMemcpy(p.dlast, last.data(), last.size() * 4, cudaMemcpyHostToDevice);
    if constexpr (D::axes.page_size > 1) refused(launch(p.dq, p.dk, b, tq, p.num_pages), code::bad_size, "kv_last_page_len");
    std::vector<std::int32_t> kv(p.arrays.kv_indptr);
    kv[1] = kv[2] + 1;
    cudaMemcpy(p.dkv, kv.data(), kv.size() * 4, cudaMemcpyHostToDevice);
    refused(launch(p.dq, p.dk, b, tq, p.num_pages), code::bad_size, "kv_indptr");
    solkit::attention::debug_checks() = false;
    expect(launch(p.dq, p.dk, b, 0, p.num_pages).ok(), def + ": total_q 0 is a no-op");
  } else {
    const auto launch = [&](auto q, auto k, i64 total_q, i64 total_kv) {
      return solkit::kernel<D>::launch(
          {std::vector<void*>{q, k, p.dv, p.dqo, p.dkv, p.dscale, p.dout, p.dlse}, std::vector<i64>{b + 1, total_q, total_kv}},
          nullptr);
    };
    refused(launch(nullptr, p.dk, tq, p.kv_rows), code::null_pointer, "q");
    refused(launch(p.dq, p.dk + 1, tq, p.kv_rows), code::misaligned_pointer, "k");
    refused(launch(p.dq, p.dk, tq, -1), code::bad_size, "total_kv");
    solkit::attention::debug_checks() = true;
    expect(launch(p.dq, p.dk, tq, p.kv_rows).ok(), def + ": valid indices pass the debug checks");
    cudaDeviceSynchronize();
    cudaMemset(p.dout, 0x11, out_bytes);
    refused(launch(p.dq, p.dk, tq, p.kv_rows + 1), code::bad_size, "kv_indptr");
    refused(launch(p.dq, p.dk, tq - 1, p.kv_rows), code::bad_size, "qo_indptr");
    solkit::attention::debug_checks() = false;
    expect(launch(p.dq, p.dk, 0, p.kv_rows).ok(), def + ": total_q 0 is a no-op");
  }
  cudaDeviceSynchronize();
  std::vector<unsigned char> after(out_bytes);
  cudaMemcpy(after.data(), p.dout, out_bytes, cudaMemcpyDeviceToHost);
  bool untouched = true;
  for (unsigned char byte : after) untouched = untouched && byte == 0x11;
  expect(untouched, def + ": refused launches and total_q 0 leave the output untouched");
}

/// TFLOP/s of one sequence of `n` queries and keys (causal: n (n + 1) / 2 pairs).
template <class D>
void time_one(i64 n, std::mt19937& rng) {
  if (!engine_runs<D>()) return;
  problem<D> p({{n, n}}, rng);
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  for (int i = 0; i < 3; ++i) p.run();
  constexpr int iterations = 20;
  cudaEventRecord(start);
  for (int i = 0; i < iterations; ++i) p.run();
  cudaEventRecord(stop);
  cudaEventSynchronize(stop);
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  const double seconds = ms / 1e3 / iterations;
  const double pairs = is_causal<D> ? n * (n + 1) / 2.0 : double(n) * n;
  const double flops = 4.0 * problem<D>::d * pairs * problem<D>::hq;
  std::printf("time %s [%s] 1 x %lld: %.3f ms, %.1f TFLOP/s (%.1f%% of 989)\n", std::string{D::name.view()}.c_str(),
              engine_name, (long long)n, seconds * 1e3, flops / seconds / 1e12, flops / seconds / 1e12 / 9.89);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, time = false;
  for (int i = 1; i < argc; ++i) {
    quick = quick || std::string{argv[i]} == "--quick";
    time = time || std::string{argv[i]} == "--time";
  }
  cudaDeviceProp properties{};
  if (!solkit_gpu_test::hopper_available(properties)) return 77;
  std::mt19937 rng{2026};
  check_bad_input<P(32, 8, 128, 16)>(rng);
  check_bad_input<P(12, 1, 128, 1)>(rng);
  check_bad_input<RC(32, 8, 128)>(rng);
  check_bad_input<RN(4, 4, 72)>(rng);
  for (const auto& [kind, name] : {std::pair{engine::mma_sync, "mma_sync"}, std::pair{engine::wgmma, "wgmma"}}) {
    solkit::attention::prefill_engine() = kind;
    engine_name = name;
    worst_seen = 0.0;
    check_every_definition(quick, rng);
    std::printf("[%s] worst error / tolerance over all checks: %.3f\n", name, worst_seen);
  }
  if (time) {
    for (const auto& [kind, name] : {std::pair{engine::mma_sync, "mma_sync"}, std::pair{engine::wgmma, "wgmma"}}) {
      solkit::attention::prefill_engine() = kind;
      engine_name = name;
      time_one<RC(32, 8, 128)>(8192, rng);
      time_one<P(32, 8, 128, 16)>(8192, rng);
      time_one<P(32, 8, 128, 64)>(8192, rng);
      time_one<P(20, 20, 64, 16)>(8192, rng);
      time_one<P(16, 2, 256, 16)>(8192, rng);
      time_one<P(16, 16, 192, 16)>(8192, rng);
      time_one<RN(32, 32, 128)>(8192, rng);
    }
  }
  return solkit_gpu_test::finish(properties);
}
