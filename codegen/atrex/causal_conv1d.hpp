#pragma once
// atrex-bench's causal_conv1d shapes as solkit definitions and costs: init {activation =
// "silu"}, input {token_count, dim, width = 4}. The definitions apply silu ("swish" is the same
// function); any other activation, null included, has no definition and is rejected.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/causal_conv1d/cost.hpp"

namespace solkit::codegen {

inline atrex_shape causal_conv1d_from_atrex(const nlohmann::json& init_kwargs,
                                            const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "causal_conv1d";
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  if (init.contains("activation")) {
    const nlohmann::json& activation = init["activation"];
    if (!activation.is_string() ||
        (activation.get<std::string>() != "silu" && activation.get<std::string>() != "swish")) {
      throw input_error("atrex causal_conv1d: init_kwargs key 'activation' is " + activation.dump() +
                        "; the causal_conv1d definitions apply silu");
    }
  }
  const causal_conv1d_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "dim"),
                                n::positive_int(op, "input_kwargs", input_kwargs, "width", 4)};
  const causal_conv1d_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
