// expect: num_qo_heads_not_a_multiple_of_num_kv_heads
// 32 query heads cannot be grouped over 6 kv heads.
#include "solkit/ops/gqa_paged/definition.hpp"

using bad = solkit::gqa_paged_decode<solkit::gqa_paged_decode_axes{32, 6, 128, 64}>;
static_assert(bad::name.size() > 0);
