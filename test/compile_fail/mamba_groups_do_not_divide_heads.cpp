// expect: ngroups_does_not_divide_nheads
// 128 heads cannot be split into 6 groups.
#include "solkit/ops/mamba_ssu/definition.hpp"

using bad = solkit::mamba_ssu_decode<solkit::mamba_ssu_decode_axes{128, 64, 128, 6}>;
static_assert(bad::name.size() > 0);
