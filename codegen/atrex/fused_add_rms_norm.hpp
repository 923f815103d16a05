#pragma once
// atrex-bench's fused_add_rms_norm shapes as solkit definitions and costs: init {eps},
// input {token_count, hidden_size}.

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/fused_add_rms_norm/cost.hpp"

namespace solkit::codegen {

inline atrex_shape fused_add_rms_norm_from_atrex(const nlohmann::json& init_kwargs,
                                                 const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "fused_add_rms_norm";
  n::require_fixed_number(op, init_kwargs, "eps", 1e-6);
  const fused_add_rms_norm_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size")};
  const fused_add_rms_norm_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
