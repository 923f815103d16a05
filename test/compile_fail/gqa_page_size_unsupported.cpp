// expect: page_size_not_a_power_of_two_up_to_128
// A page of 48 tokens is not a power of two.
#include "solkit/ops/gqa_paged/definition.hpp"

using bad = solkit::gqa_paged_prefill_causal<solkit::gqa_paged_prefill_causal_axes{32, 8, 128, 48}>;
static_assert(bad::name.size() > 0);
