#pragma once
// atrex-bench's chunk_delta_rule_output shapes as solkit definitions and costs: init
// {chunk_size = 64, scale = None}, input {batch_size, token_count, num_q_heads, num_v_heads,
// key_dim, value_dim, chunk_size = 64}. Both chunk sizes must agree; scale is fixed at
// 1 / sqrt(key_dim) by the definitions, so another value is rejected.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/chunk_delta_rule_output/cost.hpp"

namespace solkit::codegen {

inline atrex_shape chunk_delta_rule_output_from_atrex(const nlohmann::json& init_kwargs,
                                                      const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "chunk_delta_rule_output";
  auto input = [&](const char* key) { return n::positive_int(op, "input_kwargs", input_kwargs, key); };
  const std::int64_t chunk_size = n::positive_int_in_both(op, init_kwargs, input_kwargs, "chunk_size", 64);
  const chunk_delta_rule_output_axes axes{input("num_q_heads"), input("num_v_heads"),
                                          input("key_dim"), input("value_dim"), chunk_size};
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  if (init.contains("scale") && !init["scale"].is_null()) {
    const double fixed = 1.0 / std::sqrt(static_cast<double>(axes.key_dim));
    if (!init["scale"].is_number() || std::abs(init["scale"].get<double>() - fixed) > 1e-9 * fixed) {
      throw input_error("atrex chunk_delta_rule_output: init_kwargs key 'scale' is " + init["scale"].dump() +
                        " but the chunk_delta_rule_output definitions fix scale at 1 / sqrt(key_dim)");
    }
  }
  const chunk_delta_rule_output_workload workload{input("batch_size"), input("token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
