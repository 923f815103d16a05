// expect: intermediate_size_not_a_multiple_of_block_size_128
// An expert intermediate size of 1000 is not a multiple of the fp8 block size 128.
#include "solkit/ops/moe/definition.hpp"

using bad = solkit::moe_fp8_block_scale_renorm<
    solkit::moe_fp8_block_scale_renorm_axes{8, 128, 128, 2048, 1000}>;
static_assert(bad::name.size() > 0);
