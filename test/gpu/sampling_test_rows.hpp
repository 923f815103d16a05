#pragma once
// Helpers of test_sampling_gpu.cu: the kinds of probability rows the membership test mixes (each
// aimed at a way a sampler can go wrong), the per-row top_k / top_p values (the edges of each
// filter's range), the fixed rows of the distribution test, topk_filter's logit rows, a timer,
// device arrays, and one launcher for the three sampling families.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include <cuda_runtime.h>

#include "solkit/ops/sampling/kernel.cuh"
#include "sampling_reference.hpp"

namespace solkit_gpu_test::sampling {

using i32 = std::int32_t;
using i64 = std::int64_t;

enum class row_kind {
  random,       // softmax of N(0, sigma^2) logits, sigma 1 to 4: flat to peaked, no ties
  ties,         // four levels, each repeated: the top-k and top-p boundaries fall inside ties
  dominant,     // one token holds 0.9: top-p keeps it alone for p < 0.9
  uniform,      // 1/V everywhere: every boundary is a tie, broken by token id
  zeros,        // half the entries 0: a filter may keep zeros, which must never be drawn
  bad_entries,  // NaN, negative and infinite entries (the argmax among them): all count as 0
  all_zero,     // no positive entry: token 0
  all_bad,      // only NaN, negative, infinite or zero entries: token 0
  tiny_mass,    // a softmax row scaled to mass 1e-30, below 2^-88: 2^40 / mass overflows a float
};
inline constexpr row_kind row_kinds[] = {row_kind::random,  row_kind::ties,        row_kind::dominant,
                                         row_kind::uniform, row_kind::zeros,       row_kind::bad_entries,
                                         row_kind::all_zero, row_kind::all_bad,     row_kind::tiny_mass};

inline const char* row_kind_name(row_kind kind) {
  constexpr const char* names[] = {"random",      "ties",     "dominant", "uniform",  "zeros",
                                   "bad_entries", "all_zero", "all_bad",  "tiny_mass"};
  return names[static_cast<int>(kind)];
}

/// Softmax of N(0, sigma^2) logits, in double, rounded to float.
inline std::vector<float> softmax_row(i64 V, double sigma, std::mt19937& rng) {
  std::normal_distribution<double> normal{0.0, sigma};
  std::vector<double> e(static_cast<std::size_t>(V));
  for (double& x : e) x = normal(rng);
  const double top = *std::max_element(e.begin(), e.end());
  double sum = 0.0;
  for (double& x : e) sum += (x = std::exp(x - top));
  std::vector<float> row(e.size());
  for (std::size_t i = 0; i < e.size(); ++i) row[i] = static_cast<float>(e[i] / sum);
  return row;
}

/// Weights divided by their sum; equal weights stay exactly equal (the same float quotient).
inline std::vector<float> normalised(const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<float> row(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i) row[i] = static_cast<float>(weights[i] / sum);
  return row;
}

inline std::vector<float> make_row(row_kind kind, i64 V, std::mt19937& rng) {
  const auto n = static_cast<std::size_t>(V);
  const auto any = [&] { return static_cast<std::size_t>(rng() % n); };
  constexpr float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::exponential_distribution<double> exponential{1.0};
  switch (kind) {
    case row_kind::random: return softmax_row(V, 1.0 + static_cast<double>(rng() % 4), rng);
    case row_kind::ties: {
      // Scattered levels 8 (3 tokens), 4 (100), 2 (1000), 1 (the rest): k of 1, 2, 5 and 50
      // cut a tie, and so do most top-p boundaries.
      std::vector<double> w(n, 1.0);
      std::vector<std::size_t> ids(n);
      std::iota(ids.begin(), ids.end(), std::size_t{0});
      std::shuffle(ids.begin(), ids.end(), rng);
      for (std::size_t i = 0; i < std::min<std::size_t>(1103, n); ++i) w[ids[i]] = i < 3 ? 8.0 : i < 103 ? 4.0 : 2.0;
      return normalised(w);
    }
    case row_kind::dominant: {
      std::vector<double> w(n);
      for (double& x : w) x = exponential(rng);
      const double rest = std::accumulate(w.begin(), w.end(), 0.0);
      for (double& x : w) x *= 0.1 / rest;
      w[any()] = 0.9;
      return normalised(w);
    }
    case row_kind::uniform: return std::vector<float>(n, 1.0f / static_cast<float>(V));
    case row_kind::zeros: {
      std::vector<double> w(n);
      for (double& x : w) x = rng() % 2 ? exponential(rng) : 0.0;
      w[any()] = 1.0;  // at least one positive entry
      return normalised(w);
    }
    case row_kind::bad_entries: {
      std::vector<float> row = softmax_row(V, 2.0, rng);
      const float bad[] = {nan, -nan, -0.5f, -1e-3f, inf, -inf, -std::numeric_limits<float>::denorm_min()};
      // The argmax first: a kernel that let a bad value win would draw the wrong token.
      row[static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin())] = bad[rng() % 7];
      for (int i = 0; i < 20; ++i) row[any()] = bad[rng() % 7];
      if (rng() % 2) row[0] = nan;
      return row;
    }
    case row_kind::all_zero: return std::vector<float>(n, 0.0f);
    case row_kind::all_bad: {
      const float bad[] = {nan, -1.0f, inf, -inf, 0.0f, -0.0f};
      std::vector<float> row(n);
      for (float& x : row) x = bad[rng() % 6];
      return row;
    }
    case row_kind::tiny_mass: {
      std::vector<float> row = softmax_row(V, 2.0, rng);
      for (float& x : row) x *= 1e-30f;  // the order of values stays; the filters' fixed point must scale by 2^128+
      return row;
    }
  }
  return {};
}

/// A top_k from the edges of its range: off (<= 0, >= V), 1, small, V - 1, or random.
inline i32 pick_top_k(i64 V, std::mt19937& rng) {
  const i32 v = static_cast<i32>(V);
  const i32 choices[] = {-5, 0, 1, 2, 5, 50, 1000, v - 1, v, v + 1, std::numeric_limits<i32>::max(),
                         1 + static_cast<i32>(rng() % static_cast<unsigned>(v - 1))};
  return choices[rng() % std::size(choices)];
}

/// A top_p from the edges of its range: argmax (<= 0), tiny, typical, nearly 1, off (>= 1, NaN).
inline float pick_top_p(std::mt19937& rng) {
  const float choices[] = {-0.5f, 0.0f, 1e-7f, 0.05f, 0.5f, 0.9f, 0.99f, 0.999999f, 1.0f, 1.5f,
                           std::numeric_limits<float>::quiet_NaN(),
                           std::uniform_real_distribution<float>{0.0f, 1.0f}(rng)};
  return choices[rng() % std::size(choices)];
}

/// The distribution test's row: 64 head tokens at scattered ids with weights 0.95^rank (ranks 20
/// to 25 tied, so top-k 24 cuts a tie) holding 0.9, the rest 0.1 spread evenly. Its filters
/// keep 16 to 24 tokens (a small support: few samples pin the distribution down) and drop 0.34
/// to 0.48 of the mass (a sampler that ignored them could not pass).
struct distribution_case {
  std::vector<float> row;
  i32 top_k = no_top_k;
  float top_p = no_top_p;
};

inline distribution_case distribution_row(kind k, i64 V) {
  constexpr int head = 64;
  std::vector<double> w(static_cast<std::size_t>(V), 0.1 / static_cast<double>(V - head));
  std::vector<double> head_weights(head);
  for (int i = 0; i < head; ++i) head_weights[i] = std::pow(0.95, i >= 20 && i < 26 ? 22 : i);
  const double head_sum = std::accumulate(head_weights.begin(), head_weights.end(), 0.0);
  for (int i = 0; i < head; ++i) {
    w[static_cast<std::size_t>((i * i64{7919} + 13) % V)] = 0.9 * head_weights[i] / head_sum;
  }
  distribution_case c{normalised(w)};
  if (k == kind::top_k) c.top_k = 24;
  if (k == kind::top_p) c.top_p = 0.55f;
  if (k == kind::top_k_top_p) c.top_k = 48, c.top_p = 0.6f;
  return c;
}

/// topk_filter rows: random, coarse ties (many values equal to the k-th), -0/+0 ties at the
/// k-th, NaN sprinkled, infinities, and mostly NaN (fewer than k numbers: the threshold is -inf).
inline std::vector<float> topk_filter_row(int kind, std::int64_t V, std::int64_t k, std::mt19937& rng) {
  constexpr float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::normal_distribution<float> normal{0.0f, 3.0f};
  std::vector<float> row(static_cast<std::size_t>(V));
  for (float& x : row) x = normal(rng);
  const auto any = [&] { return static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(V)); };
  switch (kind % 6) {
    case 1: for (float& x : row) x = std::round(x * 2.0f) / 2.0f; break;
    case 2:
      for (float& x : row) x = -std::fabs(x) - 1.0f;
      for (std::int64_t i = 0; i < k + 10; ++i) row[any()] = i % 2 ? 0.0f : -0.0f;
      // At least k more +0 and some -0 in the first 2k + 20 columns: the k-th largest is a zero
      // and both signs of it must be kept (one value).
      for (std::int64_t i = 0; i < std::min<std::int64_t>(V, 2 * k + 20); ++i) row[static_cast<std::size_t>(i)] = i % 7 ? 0.0f : -0.0f;
      break;
    case 3: for (int i = 0; i < 200; ++i) row[any()] = nan; break;
    case 4: row[any()] = inf, row[any()] = -inf, row[any()] = inf; break;
    case 5:  // about k / 4 numbers at the end, NaN elsewhere: the k-th largest is a NaN (as -inf)
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (static_cast<std::int64_t>(i) < V - k / 2 || i % 2 == 1) row[i] = nan;
      }
      break;
    default: break;
  }
  return row;
}

/// Average microseconds of `launch()` over 20 calls after a warm-up.
template <class F>
double time_us(F&& launch) {
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  for (int i = 0; i < 3; ++i) launch();
  constexpr int iterations = 20;
  cudaEventRecord(start);
  for (int i = 0; i < iterations; ++i) launch();
  cudaEventRecord(stop);
  cudaEventSynchronize(stop);
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms * 1e3 / iterations;
}

/// Device memory of `size` elements (16 bytes spare, for misaligned views), freed on scope exit.
template <class T>
struct device_array {
  T* data = nullptr;
  std::size_t size = 0;
  explicit device_array(std::size_t n) : size(n) { cudaMalloc(&data, n * sizeof(T) + 16); }
  explicit device_array(const std::vector<T>& host) : device_array(host.size()) { upload(host); }
  device_array(const device_array&) = delete;
  device_array& operator=(const device_array&) = delete;
  ~device_array() { cudaFree(data); }
  void upload(const std::vector<T>& host) { cudaMemcpy(data, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice); }
  std::vector<T> download() const {
    std::vector<T> host(size);
    cudaMemcpy(host.data(), data, size * sizeof(T), cudaMemcpyDeviceToHost);
    return host;
  }
  void fill_bytes(int byte) { cudaMemset(data, byte, size * sizeof(T) + 16); }
  std::span<T> span() const { return {data, size}; }
  std::span<const T> view() const { return {data, size}; }
};

template <class D>
using axes_type = std::remove_cvref_t<decltype(D::axes)>;
template <class D>
constexpr kind kind_of = std::same_as<axes_type<D>, solkit::top_k_sampling_from_probs_axes>   ? kind::top_k
                         : std::same_as<axes_type<D>, solkit::top_p_sampling_from_probs_axes> ? kind::top_p
                                                                                              : kind::top_k_top_p;
template <class D>
constexpr bool takes_top_k = kind_of<D> != kind::top_p;
template <class D>
constexpr bool takes_top_p = kind_of<D> != kind::top_k;

/// The typed launcher of D's family; the filter D does not take is ignored.
template <class D>
solkit::launch_status launch(std::span<const float> probs, std::span<const i32> top_k, std::span<const float> top_p,
                             std::span<i64> samples, solkit::sampling::philox_seed seed, cudaStream_t stream = nullptr) {
  if constexpr (kind_of<D> == kind::top_k) {
    return solkit::launch_top_k_sampling_from_probs<D>(probs, top_k, samples, seed, stream);
  } else if constexpr (kind_of<D> == kind::top_p) {
    return solkit::launch_top_p_sampling_from_probs<D>(probs, top_p, samples, seed, stream);
  } else {
    return solkit::launch_top_k_top_p_sampling_from_probs<D>(probs, top_k, top_p, samples, seed, stream);
  }
}

/// One batch of D on the device; `draw` poisons the samples (0xFF: -1, out of range), launches
/// and returns them.
template <class D>
struct sampling_batch {
  static constexpr i64 V = D::axes.vocab_size;
  std::vector<float> probs;  // [rows, V]
  std::vector<i32> top_k;    // [rows]
  std::vector<float> top_p;  // [rows]
  device_array<float> d_probs{probs};
  device_array<i32> d_top_k{top_k};
  device_array<float> d_top_p{top_p};
  device_array<i64> d_samples{top_k.size()};

  sampling_batch(std::vector<float> p, std::vector<i32> k, std::vector<float> q)
      : probs(std::move(p)), top_k(std::move(k)), top_p(std::move(q)) {}
  std::size_t rows() const { return top_k.size(); }
  std::span<const float> row(std::size_t r) const { return {probs.data() + r * V, static_cast<std::size_t>(V)}; }

  std::vector<i64> draw(solkit::sampling::philox_seed seed, solkit::launch_status& status, std::size_t first_rows = 0) {
    const std::size_t n = first_rows == 0 ? rows() : first_rows;
    d_samples.fill_bytes(0xFF);
    status = launch<D>(d_probs.view().first(n * V), d_top_k.view().first(n), d_top_p.view().first(n),
                       d_samples.span().first(n), seed);
    const cudaError_t sync = cudaDeviceSynchronize();
    if (status.ok() && sync != cudaSuccess) status = {solkit::launch_error_code::cuda_error, cudaGetErrorString(sync)};
    std::vector<i64> samples = d_samples.download();
    samples.resize(n);
    return samples;
  }
};

}  // namespace solkit_gpu_test::sampling
