#pragma once
// CPU reference of the sampling definitions (top_k / top_p / top_k_top_p_sampling_from_probs) and
// of topk_filter, host-only. A sampler's output is random, so the reference is not one sample but
// the exact distribution a correct sampler draws from: a GPU test checks that every sample has
// positive probability under it (membership) and that many samples match it (total variation).
//
// Semantics (the definitions' PyTorch references, plus the kernels' documented handling of bad
// entries, which PyTorch leaves undefined):
//   - an entry that is NaN, negative or +inf counts as probability 0; a row with no positive
//     entry samples token 0;
//   - the row is sorted descending with a stable sort: among equal probabilities the lower token
//     id ranks first, which decides who is kept at a top-k or top-p boundary;
//   - top-k keeps the first k sorted positions; k <= 0 or k >= V keeps the whole row;
//   - top-p keeps sorted position r while the mass of the positions before r is <= p * (mass of
//     the row), so the token whose cumulative mass first exceeds p is kept (the definitions'
//     reference: to_remove = cdf > p, shifted by one); p >= 1 keeps the
//     whole row (so does a NaN p), p <= 0 only the first sorted token (argmax, lowest id among
//     ties). The row mass is the kernels' rule for rows that do not sum to exactly 1 (the
//     PyTorch reference assumes they do and compares with p);
//   - top_k_top_p applies top-k, renormalises the survivors, then top-p on them: the top-p
//     threshold is p * (mass of the top-k survivors);
//   - sampling is proportional to the kept probabilities.
// topk_filter: values >= the row's k-th largest value (counted with multiplicity) are kept, the
// rest become -inf; NaN counts as -inf (ranked below every number, and written as -inf).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>
#include <vector>

namespace solkit_gpu_test::sampling {

/// Which definition family; top_k ignores top_p and top_p ignores top_k.
enum class kind { top_k, top_p, top_k_top_p };

inline constexpr std::int32_t no_top_k = 0;  // any k outside (0, V) disables top-k
inline constexpr float no_top_p = 1.0f;      // any p >= 1 disables top-p

inline const char* kind_name(kind k) {
  switch (k) {
    case kind::top_k: return "top_k";
    case kind::top_p: return "top_p";
    case kind::top_k_top_p: return "top_k_top_p";
  }
  return "?";
}

/// The probability a kernel uses for an entry: bad entries (NaN, negative, +inf) are 0.
inline double clean_probability(float x) {
  return (x > 0.0f && x < std::numeric_limits<float>::infinity()) ? static_cast<double>(x) : 0.0;
}

/// Token ids of `row` in sampling order: descending clean probability, ties by lower id first.
inline std::vector<std::int64_t> sorted_order(std::span<const float> row) {
  std::vector<std::int64_t> order(row.size());
  std::iota(order.begin(), order.end(), std::int64_t{0});
  // stable_sort keeps the ascending ids of equal keys in place: the definitions' torch.sort(...,
  // stable=True) tie rule.
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
    return clean_probability(row[static_cast<std::size_t>(a)]) > clean_probability(row[static_cast<std::size_t>(b)]);
  });
  return order;
}

/// The exact probability of every token of `row` under top-k (first) then top-p, in double;
/// the result sums to 1 (up to double rounding). `top_k` outside (0, V) and `top_p` >= 1
/// disable their filter. `p_factor` multiplies p in the top-p threshold only: 1 + 1e-5 gives
/// the set a kernel may keep when its fp32 cumulative sums round the boundary the other way;
/// other values answer what-if questions (a sampler that forgot to renormalise after top-k).
/// A NaN top_p disables top-p, as the kernels document (kernel.cuh).
inline std::vector<double> filtered_distribution(std::span<const float> row, std::int32_t top_k, float top_p,
                                                 double p_factor = 1.0) {
  const std::size_t V = row.size();
  std::vector<double> result(V, 0.0);
  if (V == 0) return result;
  const std::vector<std::int64_t> order = sorted_order(row);
  const auto sorted = [&](std::size_t r) { return clean_probability(row[static_cast<std::size_t>(order[r])]); };
  if (sorted(0) == 0.0) {  // no positive entry: token 0, whatever the filters
    result[0] = 1.0;
    return result;
  }
  double row_mass = 0.0;
  for (float x : row) row_mass += clean_probability(x);
  if (row_mass > std::numeric_limits<float>::max()) {  // fp32 cannot hold the mass: the argmax
    result[static_cast<std::size_t>(order[0])] = 1.0;
    return result;
  }
  const bool k_filters = top_k > 0 && static_cast<std::size_t>(top_k) < V;
  const std::size_t k_kept = k_filters ? static_cast<std::size_t>(top_k) : V;
  double k_mass = 0.0;  // accumulated in sorted order, as the reference's cumsum
  for (std::size_t r = 0; r < k_kept; ++r) k_mass += sorted(r);

  std::size_t p_kept = k_kept;  // p >= 1, or NaN (the kernels' documented choice): no top-p
  if (top_p <= 0.0f) {
    p_kept = 1;
  } else if (top_p < 1.0f) {
    const double threshold = static_cast<double>(top_p) * p_factor * k_mass;
    double mass_before = 0.0;
    p_kept = 0;
    while (p_kept < k_kept && mass_before <= threshold) mass_before += sorted(p_kept++);
  }
  double kept_mass = 0.0;
  for (std::size_t r = 0; r < p_kept; ++r) kept_mass += sorted(r);
  for (std::size_t r = 0; r < p_kept; ++r) result[static_cast<std::size_t>(order[r])] = sorted(r) / kept_mass;
  return result;
}

/// filtered_distribution for one definition family: the filter it does not take is off.
inline std::vector<double> distribution(kind k, std::span<const float> row, std::int32_t top_k, float top_p,
                                        double p_factor = 1.0) {
  switch (k) {
    case kind::top_k: return filtered_distribution(row, top_k, no_top_p, p_factor);
    case kind::top_p: return filtered_distribution(row, no_top_k, top_p, p_factor);
    case kind::top_k_top_p: break;
  }
  return filtered_distribution(row, top_k, top_p, p_factor);
}

/// masked_logits of one row of topk_filter with `k` in [1, row.size()].
inline std::vector<float> topk_filter(std::span<const float> row, std::int64_t k) {
  if (k <= 0 || static_cast<std::size_t>(k) > row.size()) {
    throw std::invalid_argument("topk_filter reference: k must be in [1, row length]");
  }
  constexpr float minus_inf = -std::numeric_limits<float>::infinity();
  const auto key = [](float x) { return std::isnan(x) ? minus_inf : x; };
  std::vector<float> keys(row.size());
  std::transform(row.begin(), row.end(), keys.begin(), key);
  // The k-th largest with multiplicity; nth_element suffices (no tie order matters: every value
  // equal to the threshold is kept).
  std::nth_element(keys.begin(), keys.begin() + (k - 1), keys.end(), std::greater<float>{});
  const float threshold = keys[static_cast<std::size_t>(k - 1)];
  std::vector<float> masked(row.size());
  for (std::size_t i = 0; i < row.size(); ++i) {
    masked[i] = row[i] >= threshold ? row[i] : minus_inf;  // NaN compares false: masked
  }
  return masked;
}

// ---- statistics of a sample histogram -------------------------------------------------------

/// Total variation distance, 1/2 sum |a_i - b_i|, of two distributions on the same tokens.
inline double total_variation(std::span<const double> a, std::span<const double> b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) sum += std::fabs(a[i] - b[i]);
  return 0.5 * sum;
}

/// An upper bound on E[TV(empirical of n draws, p)] for a correct sampler of p:
/// E|count_i / n - p_i| <= sqrt(p_i (1 - p_i) / n) (Jensen), summed and halved. Only the support
/// of p contributes, which is why the distribution test keeps its filtered supports small.
inline double expected_tv_bound(std::span<const double> p, std::int64_t n) {
  double sum = 0.0;
  for (double x : p) sum += std::sqrt(x * (1.0 - x) / static_cast<double>(n));
  return 0.5 * sum;
}

/// An upper bound on P(TV >= limit) for a correct sampler, given expected_tv_bound `expected`:
/// one draw changes the empirical TV by at most 1/n, so McDiarmid's inequality gives
/// P(TV - E[TV] >= t) <= exp(-2 n t^2) with t = limit - expected.
inline double tv_failure_bound(double expected, double limit, std::int64_t n) {
  if (expected >= limit) return 1.0;
  const double t = limit - expected;
  return std::exp(-2.0 * static_cast<double>(n) * t * t);
}

}  // namespace solkit_gpu_test::sampling
