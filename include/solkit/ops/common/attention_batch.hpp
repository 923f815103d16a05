#pragma once
// Host-side index arrays of an attention batch (flashinfer-bench's layout): building them for
// tests and benchmarks, and validating an engine's arrays when debug checks are on.
//
// Paged: sequence b owns the pages kv_indices[kv_indptr[b] : kv_indptr[b + 1]] in token order;
// each page but the last is full, the last holds kv_last_page_len[b] tokens (1..page_size);
// a sequence owning no pages has kv_len 0 (its last-page length is not read).
// Ragged: sequence b owns tokens kv_indptr[b] : kv_indptr[b + 1] of k and v.
// Both: sequence b owns queries qo_indptr[b] : qo_indptr[b + 1] (decode: exactly one each).

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace solkit::attention {

/// Whether launchers of the attention kernels read back and validate the index arrays before
/// launching (one synchronous copy of indptr/indices per call: for debugging an engine, not for
/// serving). Defaults to on when SOLKIT_DEBUG_CHECKS is defined; the fast path does not check
/// index contents (see docs/attention.md for what that leaves unchecked).
inline std::atomic<bool>& debug_checks() {
#ifdef SOLKIT_DEBUG_CHECKS
  static std::atomic<bool> enabled{true};
#else
  static std::atomic<bool> enabled{false};
#endif
  return enabled;
}

struct batch_arrays {
  std::vector<std::int32_t> qo_indptr;         // [sequences + 1]
  std::vector<std::int32_t> kv_indptr;         // [sequences + 1]: pages (paged) or tokens (ragged)
  std::vector<std::int32_t> kv_indices;        // [kv_indptr.back()] page ids (paged only)
  std::vector<std::int32_t> kv_last_page_len;  // [sequences] (paged only)
};

/// Offsets of consecutive runs of `lengths`: [0, l0, l0 + l1, ...].
inline std::vector<std::int32_t> indptr_of(std::span<const std::int64_t> lengths) {
  std::vector<std::int32_t> indptr(lengths.size() + 1, 0);
  for (std::size_t b = 0; b < lengths.size(); ++b) indptr[b + 1] = indptr[b] + static_cast<std::int32_t>(lengths[b]);
  return indptr;
}

/// `total` split over `parts` as evenly as possible (the first total % parts get one more).
inline std::vector<std::int64_t> even_split(std::int64_t total, std::int64_t parts) {
  std::vector<std::int64_t> lengths(static_cast<std::size_t>(std::max<std::int64_t>(parts, 0)), 0);
  for (std::int64_t b = 0; b < parts; ++b) lengths[static_cast<std::size_t>(b)] = total / parts + (b < total % parts);
  return lengths;
}

/// Page ids for `count` pages out of a pool of `num_pages`: a random permutation (distinct pages,
/// scattered as a serving engine's allocator leaves them) while the pool is large enough, then
/// reusing pages.
inline std::vector<std::int32_t> scattered_pages(std::int64_t count, std::int64_t num_pages, std::uint64_t seed) {
  std::vector<std::int32_t> pool(static_cast<std::size_t>(std::max<std::int64_t>(num_pages, 1)));
  std::iota(pool.begin(), pool.end(), 0);
  std::mt19937_64 random{seed};
  std::shuffle(pool.begin(), pool.end(), random);
  std::vector<std::int32_t> pages(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < pages.size(); ++i) pages[i] = pool[i % pool.size()];
  return pages;
}

/// A paged batch whose sequence b has q_lens[b] queries and kv_lens[b] cached tokens (q_lens may
/// be empty for decode), pages drawn from a pool of `num_pages` (0: exactly as many as used).
inline batch_arrays paged_batch(std::span<const std::int64_t> q_lens, std::span<const std::int64_t> kv_lens,
                                std::int64_t page_size, std::int64_t num_pages, std::uint64_t seed) {
  batch_arrays arrays;
  if (!q_lens.empty()) arrays.qo_indptr = indptr_of(q_lens);
  std::vector<std::int64_t> pages(kv_lens.size());
  for (std::size_t b = 0; b < kv_lens.size(); ++b) {
    pages[b] = (kv_lens[b] + page_size - 1) / page_size;
    const std::int64_t last = kv_lens[b] - (pages[b] - 1) * page_size;
    arrays.kv_last_page_len.push_back(static_cast<std::int32_t>(kv_lens[b] == 0 ? 1 : last));
  }
  arrays.kv_indptr = indptr_of(pages);
  const std::int64_t used = arrays.kv_indptr.back();
  arrays.kv_indices = scattered_pages(used, num_pages > 0 ? num_pages : used, seed);
  return arrays;
}

/// The value of var axis `name` of an attention definition run on `sequences` equal sequences of
/// `q_len` queries and `kv_len` cached tokens each (page_size 0: ragged K/V, no pages), or -1 for
/// an axis attention does not have. benchmark_indices (attention_benchmark.hpp) inverts it.
constexpr std::int64_t equal_batch_axis(std::string_view name, std::int64_t sequences, std::int64_t q_len,
                                        std::int64_t kv_len, std::int64_t page_size) {
  const std::int64_t pages = page_size > 0 ? sequences * ((kv_len + page_size - 1) / page_size) : 0;
  if (name == "batch_size") return sequences;
  if (name == "len_indptr") return sequences + 1;
  if (name == "total_q") return sequences * q_len;
  if (name == "total_kv") return sequences * kv_len;
  if (name == "num_kv_indices" || name == "num_pages") return pages;
  return -1;
}

/// The kv length of sequence b of a paged batch (0 when it owns no pages).
inline std::int64_t paged_kv_len(std::span<const std::int32_t> kv_indptr, std::span<const std::int32_t> last_page_len,
                                 std::size_t b, std::int64_t page_size) {
  const std::int64_t pages = kv_indptr[b + 1] - kv_indptr[b];
  if (pages <= 0) return 0;
  return (pages - 1) * page_size + (page_size == 1 || last_page_len.empty() ? page_size : last_page_len[b]);
}

/// The first fault of an indptr array of `sequences + 1` entries whose last entry must be
/// `total` (the var axis it is sized by): not starting at 0, decreasing, or ending elsewhere.
/// Empty when valid.
inline std::string check_indptr(std::string_view name, std::span<const std::int32_t> indptr, std::int64_t total,
                                std::string_view total_axis) {
  if (indptr.empty()) return std::string{name} + " is empty; it needs batch_size + 1 entries";
  if (indptr[0] != 0) return std::string{name} + "[0] is " + std::to_string(indptr[0]) + "; it must be 0";
  for (std::size_t b = 1; b < indptr.size(); ++b) {
    if (indptr[b] < indptr[b - 1]) {
      return std::string{name} + " decreases at entry " + std::to_string(b) + " (" + std::to_string(indptr[b - 1]) +
             " then " + std::to_string(indptr[b]) + ")";
    }
  }
  if (indptr.back() != total) {
    return std::string{name} + " ends at " + std::to_string(indptr.back()) + "; " + std::string{total_axis} + " is " +
           std::to_string(total);
  }
  return {};
}

/// The first fault of a paged batch's page ids and last-page lengths. Empty when valid.
inline std::string check_pages(std::span<const std::int32_t> kv_indptr, std::span<const std::int32_t> kv_indices,
                               std::span<const std::int32_t> kv_last_page_len, std::int64_t num_pages,
                               std::int64_t page_size) {
  for (std::size_t i = 0; i < kv_indices.size(); ++i) {
    if (kv_indices[i] < 0 || kv_indices[i] >= num_pages) {
      return "kv_indices[" + std::to_string(i) + "] is " + std::to_string(kv_indices[i]) + "; num_pages is " +
             std::to_string(num_pages);
    }
  }
  for (std::size_t b = 0; b < kv_last_page_len.size(); ++b) {
    if (kv_indptr[b + 1] == kv_indptr[b]) continue;  // no pages: not read
    if (kv_last_page_len[b] < 1 || kv_last_page_len[b] > page_size) {
      return "kv_last_page_len[" + std::to_string(b) + "] is " + std::to_string(kv_last_page_len[b]) +
             "; it must be in [1, page_size = " + std::to_string(page_size) + "]";
    }
  }
  return {};
}

}  // namespace solkit::attention
