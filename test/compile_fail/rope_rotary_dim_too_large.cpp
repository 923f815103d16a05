// expect: rotary_dim_not_even_and_within_head_size
// rotary_dim larger than the head.
#include "solkit/ops/rope/definition.hpp"

using bad = solkit::rope_with_cos_sin_cache<
    solkit::rope_with_cos_sin_cache_axes{solkit::rope_style::neox, 128, 192}>;
static_assert(bad::name.size() > 0);
