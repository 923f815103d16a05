// The CPU reference the sampling and topk_filter GPU tests judge kernels by
// (test/gpu/sampling_reference.hpp), on hand-computed rows: ties at the top-k and top-p
// boundaries (the lower id wins), the top-p boundary token, filters switched off by out-of-range
// k and p, top-k's renormalisation changing the top-p set, bad entries counted as 0 and rows with
// no positive entry; then a brute-force cross-check on random small rows, and topk_filter's ties
// and NaN. Probabilities are sums of powers of two so that the expected values are exact.

#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "test/gpu/sampling_reference.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_test_sampling_reference {

using namespace solkit_gpu_test::sampling;
using dist = std::vector<double>;

constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
constexpr float inf_f = std::numeric_limits<float>::infinity();

dist top_k_of(const std::vector<float>& row, std::int32_t k) { return distribution(kind::top_k, row, k, no_top_p); }
dist top_p_of(const std::vector<float>& row, float p, double p_factor = 1.0) {
  return distribution(kind::top_p, row, no_top_k, p, p_factor);
}
dist both_of(const std::vector<float>& row, std::int32_t k, float p) {
  return distribution(kind::top_k_top_p, row, k, p);
}

TEST_CASE("sampling reference: top-k ties at the k-th position keep the lower ids", "[sampling]") {
  // Sorted: id4 (3/8), id1 (1/4), then ids 0, 2, 3 tied at 1/8.
  const std::vector<float> row{0.125f, 0.25f, 0.125f, 0.125f, 0.375f};
  CHECK(top_k_of(row, 3) == dist{1.0 / 6, 1.0 / 3, 0, 0, 0.5});
  CHECK(top_k_of(row, 4) == dist{1.0 / 7, 2.0 / 7, 1.0 / 7, 0, 3.0 / 7});
  CHECK(both_of(row, 3, 1.0f) == top_k_of(row, 3));
  CHECK(top_k_of(row, 1) == dist{0, 0, 0, 0, 1});
}

TEST_CASE("sampling reference: a dominant token", "[sampling]") {
  std::vector<float> row(9, 0.03125f);  // 8 x 1/32 + 3/4
  row[4] = 0.75f;
  CHECK(top_p_of(row, 0.7f) == dist{0, 0, 0, 0, 1, 0, 0, 0, 0});
  // 0.8: after 3/4 the tied 1/32s enter in id order while the mass before them is < 0.8:
  // ids 0 (before: 0.75) and 1 (0.78125); id 2 has 0.8125 before it.
  CHECK(top_p_of(row, 0.8f) == dist{1.0 / 26, 1.0 / 26, 0, 0, 12.0 / 13, 0, 0, 0, 0});
  CHECK(top_k_of(row, 1) == dist{0, 0, 0, 0, 1, 0, 0, 0, 0});
  CHECK(both_of(row, 2, 0.99f) == dist{1.0 / 25, 0, 0, 0, 24.0 / 25, 0, 0, 0, 0});
}

TEST_CASE("sampling reference: uniform rows keep the lowest ids", "[sampling]") {
  const std::vector<float> row(4, 0.25f);
  CHECK(top_k_of(row, 2) == dist{0.5, 0.5, 0, 0});
  CHECK(top_p_of(row, 0.2499f) == dist{1, 0, 0, 0});  // id1 has 0.25 before it, more than p
  CHECK(top_p_of(row, 0.25f) == dist{0.5, 0.5, 0, 0});  // exactly p before it: kept (cdf > p removes the next)
  CHECK(top_p_of(row, 0.3f) == dist{0.5, 0.5, 0, 0});
  CHECK(top_p_of(row, 0.5f) == dist{1.0 / 3, 1.0 / 3, 1.0 / 3, 0});
  CHECK(top_p_of(row, 0.7499f) == dist{1.0 / 3, 1.0 / 3, 1.0 / 3, 0});
  // Long rows (past an insertion-sort cutoff, where an unstable sort reorders ties): two levels
  // interleaved; top-300 keeps the 250 high ids and the 50 lowest ids of the low level.
  std::vector<float> long_row(1000, 0.5f);
  for (std::size_t i = 0; i < long_row.size(); i += 4) long_row[i] = 1.0f;
  const dist d = top_k_of(long_row, 300);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double want = i % 4 == 0 ? 1.0 / 275 : (i / 4 * 3 + i % 4 - 1 < 50 ? 0.5 / 275 : 0.0);
    wrong += d[i] != want;
  }
  CHECK(wrong == 0);
}

TEST_CASE("sampling reference: zero entries are never drawn, even when a filter keeps them", "[sampling]") {
  const std::vector<float> row{0.0f, 0.5f, 0.0f, 0.5f};
  CHECK(top_k_of(row, 3) == dist{0, 0.5, 0, 0.5});  // id0 is kept by top-k with probability 0
  CHECK(top_p_of(row, 0.99f) == dist{0, 0.5, 0, 0.5});
  CHECK(top_k_of(row, 1) == dist{0, 1, 0, 0});
  CHECK(top_p_of(row, 0.0f) == dist{0, 1, 0, 0});
}

TEST_CASE("sampling reference: k outside (0, V) disables top-k", "[sampling]") {
  const std::vector<float> row{0.125f, 0.25f, 0.125f, 0.125f, 0.375f};
  const dist whole{0.125, 0.25, 0.125, 0.125, 0.375};
  for (std::int32_t k : {0, -3, 5, 6, INT_MAX, INT_MIN}) {
    INFO("k = " << k);
    CHECK(top_k_of(row, k) == whole);
    CHECK(both_of(row, k, 1.0f) == whole);
  }
  CHECK(top_k_of(row, 4) != whole);  // V - 1 filters: the last sorted token (id3) goes
}

TEST_CASE("sampling reference: p <= 0 is argmax, ties to the lowest id", "[sampling]") {
  const std::vector<float> row{0.25f, 0.375f, 0.375f};
  for (float p : {0.0f, -0.0f, -1.0f, -inf_f}) {
    INFO("p = " << p);
    CHECK(top_p_of(row, p) == dist{0, 1, 0});
    CHECK(both_of(row, 2, p) == dist{0, 1, 0});
    CHECK(both_of(row, no_top_k, p) == dist{0, 1, 0});
  }
  CHECK(top_p_of(row, 1e-30f) == dist{0, 1, 0});  // a tiny positive p keeps the first token too
}

TEST_CASE("sampling reference: p >= 1 (or NaN, as the kernels document) disables top-p", "[sampling]") {
  const std::vector<float> row{0.5f, 0.25f, 0.125f, 0.125f};
  for (float p : {1.0f, 1.5f, inf_f, nan_f}) {
    INFO("p = " << p);
    CHECK(top_p_of(row, p) == dist{0.5, 0.25, 0.125, 0.125});
    CHECK(both_of(row, 3, p) == dist{4.0 / 7, 2.0 / 7, 1.0 / 7, 0});
  }
  CHECK(top_p_of(row, 0.99f) == dist{0.5, 0.25, 0.125, 0.125});  // the last has 0.875 before it
  CHECK(top_p_of(row, 0.8f) == dist{4.0 / 7, 2.0 / 7, 1.0 / 7, 0});
  CHECK(top_p_of({2.0f, 1.0f, 1.0f}, 1.0f) == dist{0.5, 0.25, 0.25});  // renormalised
}

TEST_CASE("sampling reference: top-p keeps the token whose cumulative mass first exceeds p", "[sampling]") {
  // Sorted: id1 (1/2), id3 (1/4), then ids 0 and 2 tied at 1/8. Cumulative: 0.5, 0.75, 0.875, 1.
  // A token is kept while the mass before it is <= p (flashinfer-bench: to_remove = cdf > p,
  // shifted by one), so at a cumulative mass of exactly p the next token is kept too.
  const std::vector<float> row{0.125f, 0.5f, 0.125f, 0.25f};
  CHECK(top_p_of(row, 0.7f) == dist{0, 2.0 / 3, 0, 1.0 / 3});
  CHECK(top_p_of(row, 0.75f) == dist{1.0 / 7, 4.0 / 7, 0, 2.0 / 7});  // id0 has exactly 0.75 before: kept
  CHECK(top_p_of(row, 0.76f) == dist{1.0 / 7, 4.0 / 7, 0, 2.0 / 7});  // the tie at 1/8: id0 before id2
  CHECK(top_p_of(row, 0.4999f) == dist{0, 1, 0, 0});
  CHECK(top_p_of(row, 0.5f) == dist{0, 2.0 / 3, 0, 1.0 / 3});  // id3 has exactly 0.5 before: kept
  // The GPU test's slack, p (1 + 1e-5), moves the threshold up to 0.75 and admits id0.
  CHECK(top_p_of(row, 0.749995f) == dist{0, 2.0 / 3, 0, 1.0 / 3});
  CHECK(top_p_of(row, 0.749995f, 1.0 + 1e-5) == dist{1.0 / 7, 4.0 / 7, 0, 2.0 / 7});
  // Rows need not sum to 1: the threshold is p times the row's mass (here 4; 0.6 * 4 = 2.4).
  CHECK(top_p_of({2.0f, 1.0f, 1.0f}, 0.6f) == dist{2.0 / 3, 1.0 / 3, 0});
  CHECK(top_p_of({2.0f, 1.0f, 1.0f}, 0.5f) == dist{2.0 / 3, 1.0 / 3, 0});  // id1 has exactly 2 before
  CHECK(top_p_of({2.0f, 1.0f, 1.0f}, 0.45f) == dist{1, 0, 0});
}

TEST_CASE("sampling reference: top_k_top_p applies top-p to the renormalised top-k survivors", "[sampling]") {
  // Top-2 keeps 3/8 and 1/4 (of the tied 1/4s, the lower id). Renormalised: 0.6, 0.4; with
  // p = 0.5 the second has 0.6 before it: dropped. On the raw row it has 3/8 before it: kept.
  const std::vector<float> row{0.375f, 0.25f, 0.25f, 0.125f};
  CHECK(both_of(row, 2, 0.5f) == dist{1, 0, 0, 0});
  CHECK(top_p_of(row, 0.5f) == dist{0.6, 0.4, 0, 0});
  CHECK(top_k_of(row, 2) == dist{0.6, 0.4, 0, 0});
  // The what-if of a sampler that applies p to the whole row's mass after top-k: 0.5 * 1.
  CHECK(filtered_distribution(row, 2, 0.5f, 1.0 / 0.625) == dist{0.6, 0.4, 0, 0});
  // Unnormalised: top-2 of {2, 1, 1} has mass 3; 0.6 * 3 = 1.8 < 2, the mass before id1.
  CHECK(both_of({2.0f, 1.0f, 1.0f}, 2, 0.6f) == dist{1, 0, 0});
  CHECK(both_of({2.0f, 1.0f, 1.0f}, 2, 0.7f) == dist{2.0 / 3, 1.0 / 3, 0});
}

TEST_CASE("sampling reference: each family ignores the filter it does not take", "[sampling]") {
  const std::vector<float> row{0.125f, 0.5f, 0.125f, 0.25f};
  CHECK(distribution(kind::top_k, row, 2, 0.0f) == dist{0, 2.0 / 3, 0, 1.0 / 3});
  CHECK(distribution(kind::top_p, row, 1, 0.76f) == dist{1.0 / 7, 4.0 / 7, 0, 2.0 / 7});
  CHECK(distribution(kind::top_k_top_p, row, 1, 0.76f) == dist{0, 1, 0, 0});
}

TEST_CASE("sampling reference: NaN, negative and infinite entries count as 0", "[sampling]") {
  const std::vector<float> row{nan_f, 0.5f, -1.0f, inf_f, 0.25f, 0.25f, -inf_f, -0.0f};
  CHECK(top_k_of(row, no_top_k) == dist{0, 0.5, 0, 0, 0.25, 0.25, 0, 0});
  CHECK(top_k_of(row, 1) == dist{0, 1, 0, 0, 0, 0, 0, 0});  // +inf is not the largest
  CHECK(top_k_of(row, 2) == dist{0, 2.0 / 3, 0, 0, 1.0 / 3, 0, 0, 0});
  CHECK(top_p_of(row, 0.0f) == dist{0, 1, 0, 0, 0, 0, 0, 0});
  CHECK(top_p_of(row, 0.6f) == dist{0, 2.0 / 3, 0, 0, 1.0 / 3, 0, 0, 0});
  CHECK(clean_probability(std::numeric_limits<float>::denorm_min()) > 0.0);
}

TEST_CASE("sampling reference: a row without a positive entry samples token 0", "[sampling]") {
  for (const std::vector<float>& row : {std::vector<float>{0, 0, 0, 0}, std::vector<float>{nan_f, -1, inf_f, -inf_f},
                                        std::vector<float>{-0.0f, 0, nan_f, 0}}) {
    CHECK(top_k_of(row, 2) == dist{1, 0, 0, 0});
    CHECK(top_p_of(row, 0.5f) == dist{1, 0, 0, 0});
    CHECK(top_p_of(row, 0.0f) == dist{1, 0, 0, 0});
    CHECK(both_of(row, no_top_k, no_top_p) == dist{1, 0, 0, 0});
  }
  CHECK(top_k_of({0.3f}, 1) == dist{1});
}

TEST_CASE("sampling reference: a row whose mass overflows fp32 samples its argmax", "[sampling]") {
  const float big = 3e38f;  // two of them exceed FLT_MAX
  const std::vector<float> row{1.0f, big, big, 2.0f};
  CHECK(top_k_of(row, no_top_k) == dist{0, 1, 0, 0});
  CHECK(top_p_of(row, 0.9f) == dist{0, 1, 0, 0});
  CHECK(top_p_of(std::vector<float>{1.0f, big, 2.0f, 3.0f}, no_top_p) != dist{0, 1, 0, 0});  // fits: no argmax rule
}

TEST_CASE("sampling reference: agrees with a brute-force rank and mass rule on random rows", "[sampling]") {
  // Kept iff rank < k and mass_before <= p * k_mass, with rank and mass_before counted directly
  // (greater values, plus equal values of lower id) instead of sorted: a check of the sort.
  std::mt19937 rng{7};
  const float levels[] = {0.0f, 0.125f, 0.25f, 0.375f, nan_f, -1.0f};
  const float ps[] = {-1.0f, 0.0f, 0.1f, 0.25f, 0.5f, 0.7f, 0.9f, 1.0f};
  constexpr std::size_t V = 40;  // past an insertion-sort cutoff: ties reach a real sort
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<float> row(V);
    for (float& x : row) x = levels[rng() % 6];
    std::vector<double> clean(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) clean[i] = clean_probability(row[i]);
    const auto ranks_before = [&](std::size_t t, std::size_t j) {
      return clean[j] > clean[t] || (clean[j] == clean[t] && j < t);
    };
    for (std::int32_t k = -1; k <= static_cast<std::int32_t>(V) + 1; ++k) {
      for (float p : ps) {
        const dist got = both_of(row, k, p);
        const bool k_on = k > 0 && k < static_cast<std::int32_t>(V);
        double k_mass = 0;
        std::vector<bool> in_k(V);
        for (std::size_t t = 0; t < V; ++t) {
          std::size_t rank = 0;
          for (std::size_t j = 0; j < V; ++j) rank += ranks_before(t, j);
          in_k[t] = !k_on || rank < static_cast<std::size_t>(k);
          if (in_k[t]) k_mass += clean[t];
        }
        std::vector<bool> kept(V);
        double kept_mass = 0;
        for (std::size_t t = 0; t < V; ++t) {
          double before = 0;
          std::size_t rank = 0;
          for (std::size_t j = 0; j < V; ++j) {
            if (ranks_before(t, j)) before += clean[j], ++rank;
          }
          kept[t] = in_k[t] && (p >= 1.0f ? true : p <= 0.0f ? rank == 0 : before <= p * k_mass);
          if (kept[t]) kept_mass += clean[t];
        }
        dist want(V, 0.0);
        if (kept_mass == 0) {
          want[0] = 1;
        } else {
          for (std::size_t t = 0; t < V; ++t) want[t] = kept[t] ? clean[t] / kept_mass : 0.0;
        }
        INFO("trial " << trial << " k " << k << " p " << p);
        REQUIRE(got == want);
      }
    }
  }
}

TEST_CASE("sampling reference: distributions sum to 1", "[sampling]") {
  std::mt19937 rng{11};
  std::exponential_distribution<float> exponential{1.0f};
  std::vector<float> row(1000);
  for (float& x : row) x = exponential(rng);
  for (auto [k, p] : {std::pair{0, 0.9f}, std::pair{37, 0.5f}, std::pair{999, 1.0f}, std::pair{-1, 0.01f}}) {
    const dist d = both_of(row, k, p);
    double sum = 0;
    for (double x : d) sum += x;
    CHECK(sum == Approx(1.0).epsilon(1e-12));
  }
}

/// topk_filter of a braced row (std::span takes no initializer list before C++26).
std::vector<float> masked(const std::vector<float>& row, std::int64_t k) { return topk_filter(row, k); }

/// Bit patterns: kept values must be copied exactly (signed zeros included), masked ones -inf.
std::vector<std::uint32_t> bits(const std::vector<float>& values) {
  std::vector<std::uint32_t> out;
  for (float x : values) out.push_back(std::bit_cast<std::uint32_t>(x));
  return out;
}

TEST_CASE("topk_filter reference: ties at the k-th are all kept; NaN ranks last and is masked", "[topk_filter]") {
  constexpr float m = -inf_f;
  const std::vector<float> row{1, 3, 2, 3, nan_f, -inf_f, 2, 0};
  CHECK(bits(masked(row, 1)) == bits({m, 3, m, 3, m, m, m, m}));  // the k-th (3) is tied
  CHECK(bits(masked(row, 2)) == bits({m, 3, m, 3, m, m, m, m}));
  CHECK(bits(masked(row, 3)) == bits({m, 3, 2, 3, m, m, 2, m}));
  CHECK(bits(masked(row, 5)) == bits({1, 3, 2, 3, m, m, 2, m}));
  CHECK(bits(masked(row, 6)) == bits({1, 3, 2, 3, m, m, 2, 0}));
  CHECK(bits(masked(row, 8)) == bits({1, 3, 2, 3, m, m, 2, 0}));  // NaN written as -inf
  // A NaN ranked above the numbers would make the threshold NaN and mask everything.
  CHECK(bits(masked({nan_f, 1, 2}, 1)) == bits({m, m, 2}));
  CHECK(bits(masked({nan_f, 1, 2}, 2)) == bits({m, 1, 2}));
  CHECK(bits(masked({inf_f, 1, inf_f}, 1)) == bits({inf_f, m, inf_f}));
  // -0 and +0 are equal: both kept, each with its own sign bit.
  CHECK(bits(masked({-0.0f, 0.0f, -1.0f}, 1)) == bits({-0.0f, 0.0f, m}));
  CHECK_THROWS_AS(masked(row, 0), std::invalid_argument);
  CHECK_THROWS_AS(masked(row, 9), std::invalid_argument);
}

TEST_CASE("sampling statistics: total variation and the bounds the distribution test prints", "[sampling]") {
  CHECK(total_variation(dist{0.5, 0.5, 0}, dist{0, 0.5, 0.5}) == 0.5);
  CHECK(total_variation(dist{0.25, 0.75}, dist{0.25, 0.75}) == 0);
  CHECK(expected_tv_bound(dist{0.5, 0.5}, 100) == Approx(0.05));  // 1/2 * 2 * sqrt(0.25 / 100)
  CHECK(expected_tv_bound(dist{1, 0, 0}, 100) == 0);
  CHECK(tv_failure_bound(0.005, 0.02, 131072) == Approx(std::exp(-2.0 * 131072 * 0.015 * 0.015)));
  CHECK(tv_failure_bound(0.03, 0.02, 131072) == 1.0);
}

}  // namespace solkit_test_ops_test_sampling_reference
