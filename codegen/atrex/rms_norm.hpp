#pragma once
// atrex-bench's rms_norm shapes as solkit definitions and costs, and the kwarg readers that the
// converters of the other atrex norms (fused_add_rms_norm, gated_rms_norm, fused_qk_rmsnorm,
// l2_norm, layer_norm) share. A shape is {init_kwargs, input_kwargs} from atrex's shapes.json;
// every problem is an input_error naming the operator and the key, never a silent default
// where atrex has none.

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/rms_norm/cost.hpp"

namespace solkit::codegen {

namespace detail::atrex_norms {
/// `kwargs` as an object; atrex writes `null` for an operator without init arguments.
inline const nlohmann::json& kwargs_object(std::string_view op, std::string_view group,
                                           const nlohmann::json& kwargs) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (kwargs.is_null()) return empty;
  if (!kwargs.is_object()) {
    throw input_error("atrex " + std::string{op} + ": " + std::string{group} + " is not an object");
  }
  return kwargs;
}

/// A positive integer kwarg; `fallback` (the reference's default) when absent and given.
inline std::int64_t positive_int(std::string_view op, std::string_view group, const nlohmann::json& kwargs,
                                 const char* key, std::int64_t fallback = 0) {
  const nlohmann::json& object = kwargs_object(op, group, kwargs);
  if (!object.contains(key) && fallback > 0) return fallback;
  if (!object.contains(key) || !object[key].is_number_integer() || object[key].get<std::int64_t>() <= 0) {
    throw input_error("atrex " + std::string{op} + ": " + std::string{group} + " key '" + key +
                      "' is missing or not a positive integer");
  }
  return object[key].get<std::int64_t>();
}

/// The same size given to both the constructor and the input maker must agree.
inline void require_equal(std::string_view op, const char* key, std::int64_t init, std::int64_t input) {
  if (init != input) {
    throw input_error("atrex " + std::string{op} + ": init_kwargs key '" + key + "' is " +
                      std::to_string(init) + " but input_kwargs has " + std::to_string(input));
  }
}

/// eps is fixed by the definition: absent (the reference's default) or exactly `fixed`.
inline void require_eps(std::string_view op, const nlohmann::json& init_kwargs, double fixed) {
  const nlohmann::json& object = kwargs_object(op, "init_kwargs", init_kwargs);
  if (!object.contains("eps")) return;
  if (!object["eps"].is_number() || object["eps"].get<double>() != fixed) {
    std::ostringstream text;
    text << "atrex " << op << ": init_kwargs key 'eps' is " << object["eps"].dump() << " but the "
         << op << " definitions fix eps at " << fixed;
    throw input_error(text.str());
  }
}

/// The definition of `axes`, or an input_error with the axis rule they break.
template <class Axes>
definition_spec spec_of(std::string_view op, const Axes& axes) {
  const described_definition described = try_describe(axes);
  if (!described.spec) throw input_error("atrex " + std::string{op} + ": " + described.error);
  return *described.spec;
}
}  // namespace detail::atrex_norms

/// rms_norm: init {eps}, input {token_count, hidden_size}.
inline atrex_shape rms_norm_from_atrex(const nlohmann::json& init_kwargs, const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_norms;
  constexpr std::string_view op = "rms_norm";
  n::require_eps(op, init_kwargs, 1e-6);
  const rms_norm_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size")};
  const rms_norm_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return {n::spec_of(op, axes), cost_of(axes, workload)};
}

}  // namespace solkit::codegen
