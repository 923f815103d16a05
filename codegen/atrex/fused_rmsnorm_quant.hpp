#pragma once
// atrex-bench's fused_rmsnorm_quant shapes as solkit definitions and costs: init {eps = 1e-5}
// (atrex passes none: the default), input {token_count, hidden_size}.

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/fused_rmsnorm_quant/cost.hpp"

namespace solkit::codegen {

inline atrex_shape fused_rmsnorm_quant_from_atrex(const nlohmann::json& init_kwargs,
                                                  const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "fused_rmsnorm_quant";
  n::require_fixed_number(op, init_kwargs, "eps", 1e-5);
  const fused_rmsnorm_quant_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size")};
  const fused_rmsnorm_quant_workload workload{
      n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
