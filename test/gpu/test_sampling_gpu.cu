// GPU test of the sampling kernels (top_k / top_p / top_k_top_p_sampling_from_probs, every
// definition of definitions/sampling/) and of topk_filter (every definition of
// definitions/topk_filter/), against the CPU reference test/gpu/sampling_reference.hpp.
//   - membership: batches mixing the row kinds of sampling_test_rows.hpp (random, exact ties,
//     dominant, uniform, zeros, NaN/negative/inf entries, no positive entry, a mass of 1e-30)
//     with per-row top_k
//     and top_p at the edges of their ranges; samples poisoned (0xFF) before each launch; every
//     sample must lie in [0, V) and have positive probability under the reference's filtered
//     distribution, top-p's threshold allowed p (1 + 1e-5) for the kernels' fp32 sums;
//   - distribution: N = 256 rows x 512 launches (distinct offsets) of one fixed row per family
//     (v32000 and v262208) must be within total variation 0.02 of the exact distribution; the
//     expected TV of a correct sampler, the chance it fails, and the TV a sampler that ignored the
//     filter would show are printed;
//   - determinism: the same (seed, offset) replays a launch, and a prefix of the batch the same
//     rows; another offset or seed draws again;
//   - topk_filter: atrex's shapes at 1, 3 and 200 rows (random, coarse ties, ties of -0 and +0,
//     NaN, infinities, rows of fewer than k numbers) compared bit for bit; output poisoned;
//   - bad input: wrong sizes, null and misaligned pointers refused naming the argument, output
//     untouched; batch 0 launches nothing.
// `--quick`: small batches and only v32000 in the distribution test (compute-sanitizer);
// `--time`: time per call at batch 1, 8, 64, 256 and V 128256, 151936, 262208 per family, and
// topk_filter at atrex's full shapes, with the fraction of the HBM roofline (3.35 TB/s).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "solkit/ops/sampling/kernel.cuh"
#include "solkit/ops/topk_filter/kernel.cuh"
#include "gpu_test_support.hpp"
#include "sampling_reference.hpp"
#include "sampling_test_rows.hpp"

namespace {

using solkit_gpu_test::expect;
using namespace solkit_gpu_test::sampling;
using seed_t = solkit::sampling::philox_seed;

constexpr double hbm_bytes_per_second = 3.35e12;  // H100 SXM

template <class D>
std::string name_of() { return std::string{D::name.view()}; }

/// The top-p slack: a kernel summing in fp32 may keep a token just past the boundary computed in
/// double, but none past the boundary of p (1 + 1e-5).
constexpr double p_slack = 1.0 + 1e-5;

/// Position of `token` in `row`'s sampling order (count of tokens ranked before it).
std::int64_t rank_of(std::span<const float> row, std::int64_t token) {
  const double x = clean_probability(row[static_cast<std::size_t>(token)]);
  std::int64_t rank = 0;
  for (std::size_t j = 0; j < row.size(); ++j) {
    const double y = clean_probability(row[j]);
    rank += y > x || (y == x && static_cast<std::int64_t>(j) < token);
  }
  return rank;
}

template <class D>
void check_membership(bool quick, std::mt19937& rng) {
  constexpr i64 V = D::axes.vocab_size;
  const std::size_t rows = quick ? 16 : 64;
  const int draws = quick ? 2 : 4;
  std::vector<float> probs;
  probs.reserve(rows * V);
  std::vector<i32> top_k(rows);
  std::vector<float> top_p(rows);
  std::vector<row_kind> kinds(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    kinds[r] = row_kinds[r % std::size(row_kinds)];
    const std::vector<float> row = make_row(kinds[r], V, rng);
    probs.insert(probs.end(), row.begin(), row.end());
    top_k[r] = pick_top_k(V, rng);
    top_p[r] = pick_top_p(rng);
  }
  sampling_batch<D> batch(std::move(probs), std::move(top_k), std::move(top_p));
  const std::string name = name_of<D>();
  std::vector<std::vector<i64>> samples;
  const std::uint64_t seed = rng();
  for (int d = 0; d < draws; ++d) {
    solkit::launch_status status;
    samples.push_back(batch.draw({seed, static_cast<std::uint64_t>(d)}, status));
    expect(status.ok(), name + " membership launch: " + status.message);
  }
  int bad = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::span<const float> row = batch.row(r);
    const std::vector<double> allowed = distribution(kind_of<D>, row, batch.top_k[r], batch.top_p[r], p_slack);
    for (int d = 0; d < draws; ++d) {
      const i64 s = samples[static_cast<std::size_t>(d)][r];
      const bool in_range = s >= 0 && s < V;
      if (in_range && allowed[static_cast<std::size_t>(s)] > 0.0) continue;
      if (bad++ < 5) {
        std::size_t support = 0;
        for (double x : allowed) support += x > 0.0;
        std::printf("  %s row %zu (%s, top_k %d, top_p %g) draw %d: sample %lld (%s), the reference keeps %zu tokens\n",
                    name.c_str(), r, row_kind_name(kinds[r]), batch.top_k[r], batch.top_p[r], d, (long long)s,
                    in_range ? ("p " + std::to_string(row[static_cast<std::size_t>(s)]) + ", rank " +
                                std::to_string(rank_of(row, s))).c_str()
                             : "out of range",
                    support);
      }
    }
  }
  expect(bad == 0, name + " membership: every sample is a kept token (" + std::to_string(bad) + " not)");
}

/// The same (seed, offset) gives the same samples, and so does a prefix of the batch; another
/// offset or another seed changes most of them (rows are softmax of N(0, 1) over >= 32000 tokens
/// with loose filters: two independent draws of a row coincide with probability ~e/V).
template <class D>
void check_determinism(bool quick, std::mt19937& rng) {
  constexpr i64 V = D::axes.vocab_size;
  const std::size_t rows = quick ? 32 : 256;
  std::vector<float> probs;
  probs.reserve(rows * V);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::vector<float> row = softmax_row(V, 1.0, rng);
    probs.insert(probs.end(), row.begin(), row.end());
  }
  sampling_batch<D> batch(std::move(probs), std::vector<i32>(rows, static_cast<i32>(V / 2)),
                          std::vector<float>(rows, 0.95f));
  const std::string name = name_of<D>();
  const seed_t seed{rng(), 12345};
  solkit::launch_status s1, s2, s3, s4, s5;
  const std::vector<i64> first = batch.draw(seed, s1), again = batch.draw(seed, s2);
  const std::vector<i64> other_offset = batch.draw({seed.seed, seed.offset + 1}, s3);
  const std::vector<i64> other_seed = batch.draw({seed.seed + 1, seed.offset}, s4);
  const std::vector<i64> prefix = batch.draw(seed, s5, 8);
  expect(s1.ok() && s2.ok() && s3.ok() && s4.ok() && s5.ok(), name + " determinism launches: " + s1.message +
                                                                   s2.message + s3.message + s4.message + s5.message);
  const auto differing = [&](const std::vector<i64>& other) {
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) n += first[r] != other[r];
    return n;
  };
  expect(first == again, name + ": the same (seed, offset) gives the same samples");
  expect(std::equal(prefix.begin(), prefix.end(), first.begin()),
         name + ": the first 8 rows alone give the samples they gave in the batch");
  expect(differing(other_offset) >= rows / 2, name + ": offset + 1 changes " + std::to_string(differing(other_offset)) +
                                                  " of " + std::to_string(rows) + " samples (want >= half)");
  expect(differing(other_seed) >= rows / 2, name + ": seed + 1 changes " + std::to_string(differing(other_seed)) +
                                                " of " + std::to_string(rows) + " samples (want >= half)");
}

/// N = rows x launches draws of one row; TV from the exact distribution must be < 0.02.
template <class D>
void check_distribution(std::mt19937& rng) {
  constexpr i64 V = D::axes.vocab_size;
  constexpr std::size_t rows = 256, launches = 512, n = rows * launches;  // N = 131072
  constexpr double limit = 0.02;
  const kind k = kind_of<D>;
  const distribution_case c = distribution_row(k, V);
  const std::vector<double> exact = distribution(k, c.row, c.top_k, c.top_p);
  const std::vector<double> unfiltered = distribution(k, c.row, no_top_k, no_top_p);
  device_array<float> probs(rows * V);
  for (std::size_t r = 0; r < rows; ++r) {
    cudaMemcpy(probs.data + r * V, c.row.data(), V * sizeof(float), cudaMemcpyHostToDevice);
  }
  const device_array<i32> top_k(std::vector<i32>(rows, c.top_k));
  const device_array<float> top_p(std::vector<float>(rows, c.top_p));
  device_array<i64> samples(n);
  samples.fill_bytes(0xFF);
  const std::string name = name_of<D>();
  const std::uint64_t seed = rng();
  for (std::size_t l = 0; l < launches; ++l) {
    const solkit::launch_status status =
        launch<D>(probs.view(), top_k.view(), top_p.view(), samples.span().subspan(l * rows, rows), {seed, l});
    if (!status.ok()) {
      expect(false, name + " distribution launch: " + status.message);
      return;
    }
  }
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " distribution: synchronize");
  std::vector<double> empirical(static_cast<std::size_t>(V), 0.0);
  std::size_t out_of_range = 0;
  for (i64 s : samples.download()) {
    if (s < 0 || s >= V) ++out_of_range;
    else empirical[static_cast<std::size_t>(s)] += 1.0 / static_cast<double>(n);
  }
  std::size_t support = 0;
  for (double x : exact) support += x > 0.0;
  const double tv = total_variation(empirical, exact) + static_cast<double>(out_of_range) / static_cast<double>(n);
  const double expected = expected_tv_bound(exact, static_cast<i64>(n));
  const double failure = tv_failure_bound(expected, limit, static_cast<i64>(n));
  const double power = total_variation(exact, unfiltered);
  std::printf("distribution %s (top_k %d, top_p %g): %zu kept tokens, N %zu: E[TV] <= %.4f, P(TV >= %.2f) <= %.1e "
              "for a correct sampler; TV(filtered, unfiltered) %.3f",
              name.c_str(), c.top_k, c.top_p, support, n, expected, limit, failure, power);
  if (k == kind::top_k_top_p) {
    // A sampler that forgot to renormalise after top-k applies p to the whole row's mass.
    double k_mass = 0.0, row_mass = 0.0;
    const std::vector<double> top_k_only = distribution(kind::top_k, c.row, c.top_k, no_top_p);
    for (std::size_t i = 0; i < c.row.size(); ++i) {
      row_mass += clean_probability(c.row[i]);
      if (top_k_only[i] > 0.0) k_mass += clean_probability(c.row[i]);
    }
    const std::vector<double> no_renorm = filtered_distribution(c.row, c.top_k, c.top_p, row_mass / k_mass);
    std::printf(", TV(filtered, no renormalisation) %.3f", total_variation(exact, no_renorm));
  }
  std::printf("; measured TV %.4f\n", tv);
  expect(out_of_range == 0, name + " distribution: " + std::to_string(out_of_range) + " samples out of range");
  expect(tv < limit, name + " distribution: TV " + std::to_string(tv) + " from the exact distribution (limit 0.02)");
  // The test's own design: a correct sampler passes, one ignoring the filter cannot.
  expect(failure < 1e-12 && power > 0.2, name + " distribution: the row and N have power (TV unfiltered " +
                                             std::to_string(power) + ", failure bound " + std::to_string(failure) + ")");
}

/// Runs topk_filter from `device_logits` (a copy of `logits`) into `device_out` and compares with
/// the reference bit for bit. The output is poisoned with 0xFF (NaN) first.
template <class D>
void check_topk_rows(const std::string& what, const std::vector<float>& logits, std::span<const float> device_logits,
                     std::span<float> device_out) {
  constexpr std::int64_t V = D::axes.vocab_size, k = D::axes.top_k;
  const std::string name = name_of<D>() + " " + what;
  cudaMemset(device_out.data(), 0xFF, device_out.size_bytes());
  const solkit::launch_status status = solkit::launch_topk_filter<D>(device_logits, device_out);
  expect(status.ok(), name + " launch: " + status.message);
  expect(cudaDeviceSynchronize() == cudaSuccess, name + " synchronize");
  std::vector<float> got(logits.size());
  cudaMemcpy(got.data(), device_out.data(), device_out.size_bytes(), cudaMemcpyDeviceToHost);
  std::size_t bad = 0;
  for (std::size_t r = 0; r * V < logits.size(); ++r) {
    const std::vector<float> want = topk_filter(std::span<const float>{logits.data() + r * V, std::size_t{V}}, k);
    for (std::size_t i = 0; i < want.size(); ++i) {
      const float g = got[r * V + i];
      if (std::memcmp(&g, &want[i], sizeof(float)) == 0) continue;
      if (bad++ < 4) {
        std::printf("  %s row %zu col %zu: %g vs %g (logit %g)\n", name.c_str(), r, i, g, want[i], logits[r * V + i]);
      }
    }
  }
  expect(bad == 0, name + " matches the reference bit for bit (" + std::to_string(bad) + " mismatches)");
}

template <class D>
void check_topk_filter(bool quick, std::mt19937& rng) {
  constexpr std::int64_t V = D::axes.vocab_size, k = D::axes.top_k;
  for (std::size_t rows : quick ? std::vector<std::size_t>{1, 3} : std::vector<std::size_t>{1, 3, 200}) {
    std::vector<float> logits;
    for (std::size_t r = 0; r < rows; ++r) {
      // 200 rows cycle through every kind; 1 and 3 rows take random ones.
      const int kind = rows >= 6 ? static_cast<int>(r % 6) : static_cast<int>(rng() % 6);
      const std::vector<float> row = topk_filter_row(kind, V, k, rng);
      logits.insert(logits.end(), row.begin(), row.end());
    }
    const device_array<float> in(logits);
    device_array<float> out(logits.size());
    check_topk_rows<D>(std::to_string(rows) + " rows", logits, in.view(), out.span());
  }
  solkit_gpu_test::checked(name_of<D>());
}

/// `status` refuses with `code`, naming `argument` as launch_status::failure does:
/// "<definition>: <argument> <why>".
bool refused(const solkit::launch_status& status, solkit::launch_error_code code, const std::string& definition,
             const std::string& argument) {
  const std::string head = definition + ": " + argument + " ";
  const bool ok = status.code == code && status.message.starts_with(head);
  expect(ok, definition + ": refused naming " + argument + " (got code " + std::to_string(static_cast<int>(status.code)) +
                 ": " + status.message + ")");
  return ok;
}

template <class D>
void check_sampling_bad_input() {
  constexpr i64 V = D::axes.vocab_size;
  constexpr std::size_t rows = 4;
  using code = solkit::launch_error_code;
  const std::string def = name_of<D>();
  device_array<float> probs(rows * V + 4), top_p(rows + 1);
  device_array<i32> top_k(rows + 1);
  device_array<i64> samples(rows);
  probs.fill_bytes(0), top_p.fill_bytes(0), top_k.fill_bytes(0);
  samples.fill_bytes(0x11);
  const std::span<const float> p = probs.view().first(rows * V), q = top_p.view().first(rows);
  const std::span<const i32> k = top_k.view().first(rows);
  const std::span<i64> s = samples.span();
  const seed_t seed{1, 2};
  refused(launch<D>(p.first(rows * V - 1), k, q, s, seed), code::bad_size, def, "probs");
  refused(launch<D>(probs.view().first(rows * V + 4), k, q, s, seed), code::bad_size, def, "probs");
  refused(launch<D>(p.first((rows - 1) * V), k, q, s, seed), code::bad_size, def, "probs");
  if constexpr (takes_top_k<D>) {
    refused(launch<D>(p, k.first(rows - 1), q, s, seed), code::bad_size, def, "top_k");
    refused(launch<D>(p, top_k.view().first(rows + 1), q, s, seed), code::bad_size, def, "top_k");
    refused(launch<D>(p, {static_cast<const i32*>(nullptr), rows}, q, s, seed), code::null_pointer, def, "top_k");
  }
  if constexpr (takes_top_p<D>) {
    refused(launch<D>(p, k, q.first(rows - 1), s, seed), code::bad_size, def, "top_p");
    refused(launch<D>(p, k, top_p.view().first(rows + 1), s, seed), code::bad_size, def, "top_p");
    refused(launch<D>(p, k, {static_cast<const float*>(nullptr), rows}, s, seed), code::null_pointer, def, "top_p");
  }
  refused(launch<D>({static_cast<const float*>(nullptr), rows * V}, k, q, s, seed), code::null_pointer, def, "probs");
  refused(launch<D>(p, k, q, {static_cast<i64*>(nullptr), rows}, seed), code::null_pointer, def, "samples");
  refused(launch<D>({probs.data + 1, rows * V}, k, q, s, seed), code::misaligned_pointer, def, "probs");
  // Batch 0: nothing to do, whether the spans are null or point at memory.
  expect(launch<D>({}, {}, {}, {}, seed).ok(), def + ": batch 0 with empty null spans is a no-op");
  expect(launch<D>(p.first(0), k.first(0), q.first(0), s.first(0), seed).ok(), def + ": batch 0 is a no-op");
  expect(cudaDeviceSynchronize() == cudaSuccess, def + " bad input: synchronize");
  bool untouched = true;
  for (i64 x : samples.download()) untouched = untouched && x == 0x1111111111111111;
  expect(untouched, def + ": refused launches and batch 0 leave samples untouched");
}

template <class D>
void check_topk_filter_bad_input(std::mt19937& rng) {
  constexpr std::int64_t V = D::axes.vocab_size;
  constexpr std::size_t rows = 3, n = rows * V;
  using code = solkit::launch_error_code;
  const std::string def = name_of<D>();
  std::vector<float> logits(n + 4);
  std::normal_distribution<float> normal;
  for (float& x : logits) x = normal(rng);
  const device_array<float> in(logits);
  device_array<float> out(n + 4);
  out.fill_bytes(0x11);
  refused(solkit::launch_topk_filter<D>(in.view().first(n - 1), out.span().first(n - 1)), code::bad_size, def, "logits");
  refused(solkit::launch_topk_filter<D>(in.view().first(n), out.span().first(n - V)), code::bad_size, def,
          "masked_logits");
  refused(solkit::launch_topk_filter<D>(in.view().first(n), out.span().first(n + 1)), code::bad_size, def,
          "masked_logits");
  refused(solkit::launch_topk_filter<D>({static_cast<const float*>(nullptr), n}, out.span().first(n)),
          code::null_pointer, def, "logits");
  refused(solkit::launch_topk_filter<D>(in.view().first(n), {static_cast<float*>(nullptr), n}), code::null_pointer,
          def, "masked_logits");
  expect(solkit::launch_topk_filter<D>({}, {}).ok(), def + ": batch 0 with empty null spans is a no-op");
  expect(solkit::launch_topk_filter<D>(in.view().first(0), out.span().first(0)).ok(), def + ": batch 0 is a no-op");
  expect(cudaDeviceSynchronize() == cudaSuccess, def + " bad input: synchronize");
  bool untouched = true;
  for (float x : out.download()) untouched = untouched && std::memcmp(&x, "\x11\x11\x11\x11", 4) == 0;
  expect(untouched, def + ": refused launches and batch 0 leave masked_logits untouched");
  // One float off 16 bytes, in or out: the API leaves the alignment to the kernel (16 bytes when
  // it moves float4s), so either refused naming the pointer, or accepted and correct.
  const std::vector<float> shifted(logits.begin() + 1, logits.begin() + 1 + n);
  for (const char* argument : {"logits", "masked_logits"}) {
    const bool input = std::string{argument} == "logits";
    const std::span<const float> from = input ? std::span<const float>{in.data + 1, n} : in.view().first(n);
    const std::span<float> to = input ? out.span().first(n) : std::span<float>{out.data + 1, n};
    const solkit::launch_status status = solkit::launch_topk_filter<D>(from, to);
    if (status.code != code::ok) {
      refused(status, code::misaligned_pointer, def, argument);
      continue;
    }
    std::printf("%s accepts %s 4 bytes off 16-byte alignment\n", def.c_str(), argument);
    expect(cudaDeviceSynchronize() == cudaSuccess, def + " misaligned: synchronize");
    const std::vector<float> source = input ? shifted : std::vector<float>(logits.begin(), logits.begin() + n);
    check_topk_rows<D>(std::string{"misaligned "} + argument, source, from, to);
  }
}

/// Time per call of D at batch 1, 8, 64, 256 (top_k 50, top_p 0.9 per row), and its fraction of
/// one read of probs at HBM bandwidth.
template <class D>
void time_sampling(std::mt19937& rng) {
  constexpr i64 V = D::axes.vocab_size;
  constexpr std::size_t max_rows = 256;
  std::vector<float> probs;
  probs.reserve(max_rows * V);
  for (std::size_t r = 0; r < max_rows; ++r) {
    const std::vector<float> row = softmax_row(V, 2.0, rng);
    probs.insert(probs.end(), row.begin(), row.end());
  }
  sampling_batch<D> batch(std::move(probs), std::vector<i32>(max_rows, 50), std::vector<float>(max_rows, 0.9f));
  solkit::launch_status status;
  batch.draw({7, 0}, status);
  expect(status.ok(), name_of<D>() + " timing launch: " + status.message);
  for (std::size_t rows : {1, 8, 64, 256}) {
    std::uint64_t offset = 0;
    const double us = time_us([&] {
      launch<D>(batch.d_probs.view().first(rows * V), batch.d_top_k.view().first(rows), batch.d_top_p.view().first(rows),
                batch.d_samples.span().first(rows), {7, offset++});
    });
    const double ideal_us = static_cast<double>(rows * V * 4) / hbm_bytes_per_second * 1e6;
    std::printf("time %s batch %zu: %.2f us per call, %.1f%% of one pass over probs at 3.35 TB/s\n",
                name_of<D>().c_str(), rows, us, 100.0 * ideal_us / us);
  }
  expect(cudaDeviceSynchronize() == cudaSuccess, name_of<D>() + " timing: synchronize");
}

template <class D>
void time_topk_filter(std::size_t rows, std::mt19937& rng) {
  constexpr std::int64_t V = D::axes.vocab_size;
  std::vector<float> logits(rows * V);
  std::normal_distribution<float> normal{0.0f, 3.0f};
  for (float& x : logits) x = normal(rng);
  const device_array<float> in(logits);
  device_array<float> out(logits.size());
  const solkit::launch_status status = solkit::launch_topk_filter<D>(in.view(), out.span());
  expect(status.ok(), name_of<D>() + " timing launch: " + status.message);
  const double us = time_us([&] { solkit::launch_topk_filter<D>(in.view(), out.span()); });
  const double ideal_us = 2.0 * static_cast<double>(rows * V * 4) / hbm_bytes_per_second * 1e6;
  std::printf("time %s %zu rows: %.2f us per call, %.1f%% of one read and one write at 3.35 TB/s\n",
              name_of<D>().c_str(), rows, us, 100.0 * ideal_us / us);
}

template <std::int64_t V>
using top_k_def = solkit::top_k_sampling_from_probs<solkit::top_k_sampling_from_probs_axes{V}>;
template <std::int64_t V>
using top_p_def = solkit::top_p_sampling_from_probs<solkit::top_p_sampling_from_probs_axes{V}>;
template <std::int64_t V>
using top_k_top_p_def = solkit::top_k_top_p_sampling_from_probs<solkit::top_k_top_p_sampling_from_probs_axes{V}>;
template <std::int64_t V>
using topk_filter_def = solkit::topk_filter<solkit::topk_filter_axes{V, 50}>;

template <class D>
void check_sampling_definition(bool quick, std::mt19937& rng) {
  const int before = solkit_gpu_test::failures;
  check_membership<D>(quick, rng);
  check_determinism<D>(quick, rng);
  if (solkit_gpu_test::failures == before) solkit_gpu_test::checked(name_of<D>());
}

/// Every definition of definitions/sampling/ (the three families share the vocabularies).
template <std::int64_t... V>
void check_sampling_vocabularies(bool quick, std::mt19937& rng) {
  (check_sampling_definition<top_k_def<V>>(quick, rng), ...);
  (check_sampling_definition<top_p_def<V>>(quick, rng), ...);
  (check_sampling_definition<top_k_top_p_def<V>>(quick, rng), ...);
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
  check_sampling_vocabularies<32000, 32768, 100352, 128256, 129280, 131072, 151552, 151936, 152064, 163840, 200064,
                              202048, 262208>(quick, rng);
  check_distribution<top_k_def<32000>>(rng);
  check_distribution<top_p_def<32000>>(rng);
  check_distribution<top_k_top_p_def<32000>>(rng);
  if (!quick) {
    check_distribution<top_k_def<262208>>(rng);
    check_distribution<top_p_def<262208>>(rng);
    check_distribution<top_k_top_p_def<262208>>(rng);
  }
  // definitions/topk_filter/: atrex's shapes (V 2048 to 152064, k 50).
  check_topk_filter<topk_filter_def<2048>>(quick, rng);
  check_topk_filter<topk_filter_def<4002>>(quick, rng);
  check_topk_filter<topk_filter_def<4096>>(quick, rng);
  check_topk_filter<topk_filter_def<4215>>(quick, rng);
  check_topk_filter<topk_filter_def<151936>>(quick, rng);
  check_topk_filter<topk_filter_def<152064>>(quick, rng);

  check_sampling_bad_input<top_k_def<32000>>();
  check_sampling_bad_input<top_p_def<32000>>();
  check_sampling_bad_input<top_k_top_p_def<262208>>();
  check_topk_filter_bad_input<topk_filter_def<4096>>(rng);
  check_topk_filter_bad_input<topk_filter_def<4215>>(rng);

  if (time) {
    time_sampling<top_k_def<128256>>(rng), time_sampling<top_k_def<151936>>(rng), time_sampling<top_k_def<262208>>(rng);
    time_sampling<top_p_def<128256>>(rng), time_sampling<top_p_def<151936>>(rng), time_sampling<top_p_def<262208>>(rng);
    time_sampling<top_k_top_p_def<128256>>(rng), time_sampling<top_k_top_p_def<151936>>(rng);
    time_sampling<top_k_top_p_def<262208>>(rng);
    // atrex's shapes (bench/suites/atrex/topk_filter/shapes.json), full row counts.
    time_topk_filter<topk_filter_def<151936>>(1, rng), time_topk_filter<topk_filter_def<152064>>(1, rng);
    time_topk_filter<topk_filter_def<2048>>(922, rng), time_topk_filter<topk_filter_def<4002>>(3, rng);
    time_topk_filter<topk_filter_def<4096>>(4098, rng), time_topk_filter<topk_filter_def<4096>>(8179, rng);
    time_topk_filter<topk_filter_def<4096>>(15381, rng), time_topk_filter<topk_filter_def<4215>>(3, rng);
  }
  return solkit_gpu_test::finish(properties);
}
