// expect: num_v_heads_not_a_multiple_of_num_q_heads
// 12 value heads cannot be shared evenly by 8 q/k heads.
#include "solkit/ops/gdn/definition.hpp"

using bad = solkit::gdn_decode<solkit::gdn_decode_axes{8, 12, 128}>;
static_assert(bad::name.size() > 0);
