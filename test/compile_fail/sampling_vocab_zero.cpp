// expect: vocab_size_not_positive
// An empty vocabulary.
#include "solkit/ops/sampling/definition.hpp"

using bad = solkit::top_k_sampling_from_probs<solkit::top_k_sampling_from_probs_axes{0}>;
static_assert(bad::name.size() > 0);
