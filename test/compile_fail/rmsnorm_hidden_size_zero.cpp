// expect: hidden_size_not_a_positive_multiple_of_8
// A zero hidden size.
#include "solkit/ops/rmsnorm/definition.hpp"

using bad = solkit::rmsnorm<solkit::rmsnorm_axes{0}>;
static_assert(bad::name.size() > 0);
