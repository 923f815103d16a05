#pragma once
// atrex-bench's gated_delta_rule_update shapes as solkit definitions and costs: init
// {softplus_beta = 1.0, softplus_threshold = 20.0, scale = None, use_qk_l2norm = true}, input
// {batch_size, token_count, num_q_heads, num_v_heads, key_dim, value_dim, state_count}.
// softplus beta/threshold and the L2 normalisation are fixed by the definitions (every atrex
// shape uses 1.0 / 20.0 / true): an absent key takes atrex's default, any other value is
// rejected. scale is a run-time scalar input of the definition, so any number (or null) passes.
// atrex's indices are arange(batch_size) % state_count: batch_size > state_count would make two
// sequences share a pool row, which the definition forbids (its indices are distinct).

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/rms_norm.hpp"  // the shared kwarg readers
#include "codegen/dataset.hpp"
#include "solkit/ops/gated_delta_rule_update/cost.hpp"

namespace solkit::codegen {

namespace detail::atrex_gdn_update {
inline constexpr std::string_view op = "gated_delta_rule_update";

/// init_kwargs[key] absent (atrex's default, equal to `fixed`) or exactly `fixed`.
inline void require_fixed_number(const nlohmann::json& init, const char* key, double fixed) {
  if (!init.contains(key)) return;
  if (!init[key].is_number() || init[key].get<double>() != fixed) {
    std::ostringstream text;
    text << "atrex " << op << ": init_kwargs key '" << key << "' is " << init[key].dump()
         << " but the " << op << " definitions fix it at " << fixed;
    throw input_error(text.str());
  }
}
}  // namespace detail::atrex_gdn_update

inline atrex_shape gated_delta_rule_update_from_atrex(const nlohmann::json& init_kwargs,
                                                      const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_norms;
  namespace d = detail::atrex_gdn_update;
  const std::string_view op = d::op;
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  d::require_fixed_number(init, "softplus_beta", 1.0);
  d::require_fixed_number(init, "softplus_threshold", 20.0);
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
  return {n::spec_of(op, axes), cost_of(axes, workload)};
}

}  // namespace solkit::codegen
