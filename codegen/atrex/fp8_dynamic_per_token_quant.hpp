#pragma once
// atrex-bench's fp8_dynamic_per_token_quant shapes as solkit definitions and costs: no init
// kwargs, input {token_count, hidden_size}. The definitions are float8_e4m3fn (NVIDIA), not
// atrex's float8_e4m3fnuz: the bytes are the same, one per element.

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/fp8_dynamic_per_token_quant/cost.hpp"

namespace solkit::codegen {

inline atrex_shape fp8_dynamic_per_token_quant_from_atrex(const nlohmann::json& init_kwargs,
                                                          const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "fp8_dynamic_per_token_quant";
  n::kwargs_object(op, "init_kwargs", init_kwargs);
  const fp8_dynamic_per_token_quant_axes axes{
      n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size")};
  const fp8_dynamic_per_token_quant_workload workload{
      n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
