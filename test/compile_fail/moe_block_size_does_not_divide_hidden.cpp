// expect: hidden_size_not_a_multiple_of_block_size_128
// 7200 is not a multiple of the fp8 block size 128.
#include "solkit/ops/moe/definition.hpp"

using bad = solkit::moe_fp8_block_scale_ds_routing<
    solkit::moe_fp8_block_scale_ds_routing_axes{8, 8, 4, 256, 32, 7200, 2048}>;
static_assert(bad::name.size() > 0);
