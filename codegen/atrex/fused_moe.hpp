#pragma once
// atrex-bench's fused_moe shapes as solkit definitions and costs: init {num_experts,
// intermediate_size, top_k}, input {token_count, hidden_size, intermediate_size, num_experts,
// top_k}. The sizes given to both must agree.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/fused_moe/cost.hpp"

namespace solkit::codegen {

inline atrex_shape fused_moe_from_atrex(const nlohmann::json& init_kwargs, const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "fused_moe";
  const std::int64_t experts = n::positive_int_in_both(op, init_kwargs, input_kwargs, "num_experts");
  const std::int64_t intermediate = n::positive_int_in_both(op, init_kwargs, input_kwargs, "intermediate_size");
  const std::int64_t top_k = n::positive_int_in_both(op, init_kwargs, input_kwargs, "top_k");
  const fused_moe_axes axes{experts, top_k, n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size"),
                            intermediate};
  const fused_moe_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
