#pragma once
// atrex-bench's rms_norm shapes as solkit definitions and costs: init {eps}, input
// {token_count, hidden_size}.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/rms_norm/cost.hpp"

namespace solkit::codegen {

/// rms_norm: init {eps}, input {token_count, hidden_size}.
inline atrex_shape rms_norm_from_atrex(const nlohmann::json& init_kwargs, const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "rms_norm";
  n::require_fixed_number(op, init_kwargs, "eps", 1e-6);
  const rms_norm_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size")};
  const rms_norm_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
