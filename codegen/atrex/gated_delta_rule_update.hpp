#pragma once
// atrex-bench's gated_delta_rule_update shapes as solkit definitions and costs: init
// {softplus_beta = 1.0, softplus_threshold = 20.0, scale = None, use_qk_l2norm = true}, input
// {batch_size, token_count, num_q_heads, num_v_heads, key_dim, value_dim, state_count}.
// softplus beta/threshold and the L2 normalisation are fixed by the definitions (every atrex
// shape uses 1.0 / 20.0 / true): an absent key takes atrex's default, any other value is
// rejected. scale is a run-time scalar input of the definition, so any number (or null) passes,
// except 0: atrex applies it as a zero scale, the definition reads 0 as 1/sqrt(key_dim).
// atrex's indices are arange(batch_size) % state_count: batch_size > state_count would make two
// sequences share a pool row, which the definition forbids (its indices are distinct).

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/gated_delta_rule_update/cost.hpp"

namespace solkit::codegen {

inline atrex_shape gated_delta_rule_update_from_atrex(const nlohmann::json& init_kwargs,
                                                      const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "gated_delta_rule_update";
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  n::require_fixed_number(op, init, "softplus_beta", 1.0);
  n::require_fixed_number(op, init, "softplus_threshold", 20.0);
  if (init.contains("use_qk_l2norm") &&
      (!init["use_qk_l2norm"].is_boolean() || !init["use_qk_l2norm"].get<bool>())) {
    throw input_error("atrex gated_delta_rule_update: init_kwargs key 'use_qk_l2norm' is " +
                      init["use_qk_l2norm"].dump() +
                      " but the gated_delta_rule_update definitions always L2-normalise q and k (true)");
  }
  if (init.contains("scale") && !init["scale"].is_null() && !init["scale"].is_number()) {
    throw input_error("atrex gated_delta_rule_update: init_kwargs key 'scale' is " + init["scale"].dump() +
                      ", neither a number nor null");
  }
  if (init.contains("scale") && init["scale"].is_number() && init["scale"].get<double>() == 0.0) {
    // atrex multiplies by 0 (a zero output); the definition's scale input reads 0 as 1/sqrt(K).
    throw input_error("atrex gated_delta_rule_update: init_kwargs key 'scale' is 0, which atrex "
                      "applies as a zero scale but the definition reads as the default 1/sqrt(key_dim)");
  }
  auto input = [&](const char* key) { return n::positive_int(op, "input_kwargs", input_kwargs, key); };
  const gated_delta_rule_update_axes axes{input("num_q_heads"), input("num_v_heads"), input("key_dim"),
                                          input("value_dim")};
  const gated_delta_rule_update_workload workload{input("batch_size"), input("token_count")};
  const std::int64_t state_count = input("state_count");
  if (workload.batch_size > state_count) {
    throw input_error("atrex gated_delta_rule_update: input_kwargs key 'state_count' is " +
                      std::to_string(state_count) + ", fewer than batch_size " +
                      std::to_string(workload.batch_size) +
                      ": sequences would share a pool row (the definition's indices are distinct)");
  }
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
