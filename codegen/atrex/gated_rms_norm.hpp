#pragma once
// atrex-bench's gated_rms_norm shapes as solkit definitions and costs: init {eps,
// norm_before_gate, activation}, input {rows, hidden_size}. The definitions are of the norm
// before a SiLU gate, the only mode atrex's shapes use; the other modes are rejected, not
// mapped to a definition that computes something else.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/gated_rms_norm/cost.hpp"

namespace solkit::codegen {

inline atrex_shape gated_rms_norm_from_atrex(const nlohmann::json& init_kwargs,
                                             const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "gated_rms_norm";
  n::require_fixed_number(op, init_kwargs, "eps", 1e-6);
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  // The reference's defaults: norm_before_gate true, activation "silu" ("swish" is the same).
  if (init.contains("norm_before_gate") &&
      (!init["norm_before_gate"].is_boolean() || !init["norm_before_gate"].get<bool>())) {
    throw input_error("atrex gated_rms_norm: init_kwargs key 'norm_before_gate' is " +
                      init["norm_before_gate"].dump() + "; the definitions normalise before the gate");
  }
  if (init.contains("activation")) {
    const nlohmann::json& activation = init["activation"];
    if (!activation.is_string() || (activation.get<std::string>() != "silu" && activation.get<std::string>() != "swish")) {
      throw input_error("atrex gated_rms_norm: init_kwargs key 'activation' is " + activation.dump() +
                        "; the definitions gate with silu");
    }
  }
  const gated_rms_norm_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size")};
  const gated_rms_norm_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "rows")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
