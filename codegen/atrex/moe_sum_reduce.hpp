#pragma once
// atrex-bench's moe_sum_reduce shapes as solkit definitions and costs: init
// {routed_scaling_factor} (optional, default 1.0; a number when given: the definitions take it
// as a run-time scalar, so its value does not pick a definition), input {token_count, top_k,
// hidden_size}.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/moe_sum_reduce/cost.hpp"

namespace solkit::codegen {

inline atrex_shape moe_sum_reduce_from_atrex(const nlohmann::json& init_kwargs,
                                             const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "moe_sum_reduce";
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  if (init.contains("routed_scaling_factor") && !init["routed_scaling_factor"].is_number()) {
    throw input_error("atrex moe_sum_reduce: init_kwargs key 'routed_scaling_factor' is " +
                      init["routed_scaling_factor"].dump() + ", not a number");
  }
  const moe_sum_reduce_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "top_k"),
                                 n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size")};
  const moe_sum_reduce_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
