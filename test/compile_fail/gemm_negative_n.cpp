// expect: n_not_positive
// A negative output width.
#include "solkit/ops/gemm/definition.hpp"

using bad = solkit::gemm<solkit::gemm_axes{-4096, 4096}>;
static_assert(bad::name.size() > 0);
