#pragma once
// atrex-bench's linear_sigmoid_mul shapes as solkit definitions and costs: no init kwargs (atrex
// writes null), input {token_count, hidden_size, out_features}.

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/linear_sigmoid_mul/cost.hpp"

namespace solkit::codegen {

inline atrex_shape linear_sigmoid_mul_from_atrex(const nlohmann::json& init_kwargs,
                                                 const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "linear_sigmoid_mul";
  n::kwargs_object(op, "init_kwargs", init_kwargs);
  const linear_sigmoid_mul_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size"),
                                     n::positive_int(op, "input_kwargs", input_kwargs, "out_features")};
  const linear_sigmoid_mul_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
