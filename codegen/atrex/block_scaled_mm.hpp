#pragma once
// atrex-bench's block_scaled_mm shapes as solkit definitions and costs: init {group_n, group_k}
// (required: atrex's Model has no default), input {m, n, k, group_n, group_k}. The group sizes
// given to both must agree.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/block_scaled_mm/cost.hpp"

namespace solkit::codegen {

inline atrex_shape block_scaled_mm_from_atrex(const nlohmann::json& init_kwargs,
                                              const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "block_scaled_mm";
  const std::int64_t group_n = n::positive_int_in_both(op, init_kwargs, input_kwargs, "group_n");
  const std::int64_t group_k = n::positive_int_in_both(op, init_kwargs, input_kwargs, "group_k");
  const block_scaled_mm_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "n"),
                                  n::positive_int(op, "input_kwargs", input_kwargs, "k"), group_n, group_k};
  const block_scaled_mm_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "m")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
