#pragma once
// One atrex shape as solkit sees it: the definition, the cost, and, when the definition has a
// kernel, what a generated benchmark needs to run it (the axes as a C++ expression and the
// values of the var axes).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "solkit/core/definition.hpp"
#include "solkit/roofline/cost.hpp"

namespace solkit::codegen {

struct atrex_kernel_case {
  std::string axes_expression;                                   // solkit::rms_norm_axes{4096}
  std::vector<std::pair<std::string, std::int64_t>> var_axes;  // in the spec's order
};

struct atrex_shape {
  definition_spec spec;
  roofline::cost cost;
  std::optional<atrex_kernel_case> kernel;  // empty: no kernel for this definition yet
};

}  // namespace solkit::codegen
