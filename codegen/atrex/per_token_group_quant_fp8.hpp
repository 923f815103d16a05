#pragma once
// atrex-bench's per_token_group_quant_fp8 shapes as solkit definitions and costs: init
// {group_size} (required: atrex's Model has no default), input {token_count, hidden_size}.

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/per_token_group_quant_fp8/cost.hpp"

namespace solkit::codegen {

inline atrex_shape per_token_group_quant_fp8_from_atrex(const nlohmann::json& init_kwargs,
                                                        const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "per_token_group_quant_fp8";
  const per_token_group_quant_fp8_axes axes{
      n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size"),
      n::positive_int(op, "init_kwargs", init_kwargs, "group_size")};
  const per_token_group_quant_fp8_workload workload{
      n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
