#pragma once
// atrex-bench's moe_topk_gating_softmax shapes as solkit definitions and costs: init {top_k}
// (required: atrex's Model has no default; num_expert_groups and topk_group, when given, must
// be 0: the definitions have no grouped routing), input {token_count, num_experts}.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/moe_topk_gating_softmax/cost.hpp"

namespace solkit::codegen {

inline atrex_shape moe_topk_gating_softmax_from_atrex(const nlohmann::json& init_kwargs,
                                                      const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "moe_topk_gating_softmax";
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  for (const char* key : {"num_expert_groups", "topk_group"}) {
    if (init.contains(key) && !(init[key].is_number_integer() && init[key].get<std::int64_t>() == 0)) {
      throw input_error("atrex moe_topk_gating_softmax: init_kwargs key '" + std::string{key} +
                        "' is " + init[key].dump() +
                        " but the definitions have no grouped routing (it must be 0 or absent)");
    }
  }
  const moe_topk_gating_softmax_axes axes{
      n::positive_int(op, "input_kwargs", input_kwargs, "num_experts"),
      n::positive_int(op, "init_kwargs", init_kwargs, "top_k")};
  const moe_topk_gating_softmax_workload workload{
      n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
