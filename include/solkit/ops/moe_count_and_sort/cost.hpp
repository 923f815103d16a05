#pragma once
// Cost of moe_count_and_sort. Read the T k int32 ids once; write the T k sorted pair indices,
// the E counts and the E + 1 prefix sums (int32). Integer work only (histogram, scan,
// scatter): no FLOPs are charged.
//   bytes read = 4 T k, written = 4 T k + 4 E + 4 (E + 1); no FLOPs.
// atrex: the same bytes, no FLOPs.

#include <cstdint>

#include "solkit/ops/moe_count_and_sort/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit {

struct moe_count_and_sort_workload {
  std::int64_t token_count = 0;
};

constexpr roofline::cost cost_of(const moe_count_and_sort_axes& a, const moe_count_and_sort_workload& w) {
  const double pairs = static_cast<double>(w.token_count) * static_cast<double>(a.top_k);
  const double experts = static_cast<double>(a.num_experts);
  roofline::cost c;
  c.read(pairs * 4);
  c.write((pairs + experts + (experts + 1)) * 4);  // sorted_token_ids, counts, cumsum
  return c;
}

}  // namespace solkit
