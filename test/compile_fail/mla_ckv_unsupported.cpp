// expect: head_dim_ckv_not_512
// The MLA kernels are built for DeepSeek's latent size 512.
#include "solkit/ops/mla_paged/definition.hpp"

using bad = solkit::mla_paged_decode<solkit::mla_paged_decode_axes{16, 256, 64, 64}>;
static_assert(bad::name.size() > 0);
