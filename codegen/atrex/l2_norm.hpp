#pragma once
// atrex-bench's l2_norm shapes as solkit definitions and costs: init {hidden_size, eps = 1e-6},
// input {num_tokens, hidden_size, dtype = "bfloat16"}. Both hidden sizes must agree; the
// definitions are bf16 (every atrex shape), so another dtype is rejected rather than mis-sized.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/l2_norm/cost.hpp"

namespace solkit::codegen {

inline atrex_shape l2_norm_from_atrex(const nlohmann::json& init_kwargs, const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "l2_norm";
  n::require_fixed_number(op, init_kwargs, "eps", 1e-6);
  const std::int64_t hidden = n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size");
  n::require_equal(op, "hidden_size", n::positive_int(op, "init_kwargs", init_kwargs, "hidden_size"), hidden);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  if (input.contains("dtype") &&
      (!input["dtype"].is_string() || input["dtype"].get<std::string>() != "bfloat16")) {
    throw input_error("atrex l2_norm: input_kwargs key 'dtype' is " + input["dtype"].dump() +
                      "; the definitions are bfloat16");
  }
  const l2_norm_axes axes{hidden};
  const l2_norm_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "num_tokens")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
