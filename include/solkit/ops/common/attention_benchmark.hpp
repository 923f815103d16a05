#pragma once
// The index arrays the benchmark harness gives an attention definition for a workload that only
// names its var axes (flashinfer-bench's captured axes, a plan's batch, an atrex shape): the
// sequences (len_indptr - 1, or batch_size for decode) split the query tokens (total_q) and the
// cached pages (num_kv_indices) or tokens (total_kv) as evenly as possible, every last page full
// (but see kv_last_page_len below), page ids scattered over the pool of num_pages (distinct while the pool is large enough).
// kernel<Definition>::benchmark_indices forwards here; the harness copies the result in place of
// random integers.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "solkit/core/kernel.cuh"
#include "solkit/ops/common/attention_batch.hpp"

namespace solkit::attention {

template <class Definition>
std::vector<std::int32_t> benchmark_indices(std::string_view input, std::span<const std::int64_t> var_axes,
                                            std::uint64_t seed) {
  constexpr const definition_spec& spec = Definition::spec;
  const auto axis = [&](std::string_view name) -> std::int64_t {
    const int index = solkit::detail::var_axis_index(spec, name);
    return index < 0 ? 0 : var_axes[static_cast<std::size_t>(index)];
  };
  const std::int64_t page_size = spec.const_value("page_size").value_or(0);
  const std::int64_t sequences =
      solkit::detail::var_axis_index(spec, "len_indptr") >= 0 ? axis("len_indptr") - 1 : axis("batch_size");
  if (sequences < 0) return {};
  const bool decode = solkit::detail::var_axis_index(spec, "total_q") < 0;
  if (input == "qo_indptr") {
    return decode ? std::vector<std::int32_t>{} : indptr_of(even_split(axis("total_q"), sequences));
  }
  if (page_size == 0) {  // ragged
    return input == "kv_indptr" ? indptr_of(even_split(axis("total_kv"), sequences)) : std::vector<std::int32_t>{};
  }
  const std::vector<std::int64_t> pages = even_split(axis("num_kv_indices"), sequences);
  if (input == "kv_indptr") return indptr_of(pages);
  if (input == "kv_indices") return scattered_pages(axis("num_kv_indices"), axis("num_pages"), seed);
  if (input == "kv_last_page_len") {
    // Full last pages, except that a prefill whose queries fit the pages exactly as its last
    // tokens (q_len in ((pages - 1) * P, pages * P]) caches just those: kv_len = q_len, as the
    // plan and atrex prefill workloads (no earlier context) have it.
    std::vector<std::int32_t> last(static_cast<std::size_t>(sequences), static_cast<std::int32_t>(page_size));
    if (!decode) {
      const std::vector<std::int64_t> q_lens = even_split(axis("total_q"), sequences);
      for (std::size_t b = 0; b < last.size(); ++b) {
        const std::int64_t spare = pages[b] * page_size - q_lens[b];
        if (pages[b] > 0 && spare >= 0 && spare < page_size) last[b] = static_cast<std::int32_t>(page_size - spare);
      }
    }
    return last;
  }
  return {};
}

}  // namespace solkit::attention
