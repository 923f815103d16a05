// expect: head_dim_not_a_multiple_of_8_up_to_256
// head_dim 100 is not a whole number of 16-byte bf16 vectors.
#include "solkit/ops/gqa_ragged/definition.hpp"

using bad = solkit::gqa_ragged_prefill_causal<solkit::gqa_ragged_prefill_causal_axes{32, 8, 100}>;
static_assert(bad::name.size() > 0);
