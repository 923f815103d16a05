// expect: head_dim_not_64_128_or_256
// head_dim 96 is outside what the attention kernels are built for.
#include "solkit/ops/gqa_ragged/definition.hpp"

using bad = solkit::gqa_ragged_prefill_causal<solkit::gqa_ragged_prefill_causal_axes{32, 8, 96}>;
static_assert(bad::name.size() > 0);
