#pragma once
// The readers of atrex-bench's kwargs that every operator's converter shares. A shape is
// {init_kwargs, input_kwargs} from atrex's shapes.json; every problem is an input_error naming
// the operator and the key, never a silent default where atrex has none.

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/dataset.hpp"
#include "codegen/instantiate.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/core/definition.hpp"

namespace solkit::codegen::detail::atrex_kwargs {

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

/// A positive integer that atrex passes to both the constructor and the input maker: read from
/// both (`fallback` where absent and given) and required equal.
inline std::int64_t positive_int_in_both(std::string_view op, const nlohmann::json& init_kwargs,
                                         const nlohmann::json& input_kwargs, const char* key,
                                         std::int64_t fallback = 0) {
  const std::int64_t init = positive_int(op, "init_kwargs", init_kwargs, key, fallback);
  require_equal(op, key, init, positive_int(op, "input_kwargs", input_kwargs, key, fallback));
  return init;
}

/// A number the definitions fix: init_kwargs[key] absent (the reference's default, which must
/// be `fixed`) or exactly `fixed`.
inline void require_fixed_number(std::string_view op, const nlohmann::json& init_kwargs, const char* key,
                                 double fixed) {
  const nlohmann::json& object = kwargs_object(op, "init_kwargs", init_kwargs);
  if (!object.contains(key)) return;
  if (!object[key].is_number() || object[key].get<double>() != fixed) {
    std::ostringstream text;
    text << "atrex " << op << ": init_kwargs key '" << key << "' is " << object[key].dump() << " but the "
         << op << " definitions fix " << key << " at " << fixed;
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

/// The shape: definition and cost, and for a definition with a kernel its C++ axes and var axis
/// values. The atrex operators with kernels have one var axis, a row or token count, which is
/// their workload's only member.
template <class Axes, class Workload>
atrex_shape shape_of(std::string_view op, const Axes& axes, const Workload& workload) {
  atrex_shape shape{spec_of(op, axes), cost_of(axes, workload), std::nullopt};
  if constexpr (kernel_exists<Axes>) {
    const auto& [count] = workload;
    atrex_kernel_case kernel_case{codegen::detail::axes_expression{}(axes), {}};
    for (const axis_spec& axis : shape.spec.axes) {
      if (!axis.is_constant()) kernel_case.var_axes.emplace_back(std::string{axis.name}, count);
    }
    if (kernel_case.var_axes.size() != 1) {
      throw input_error("atrex " + std::string{op} + ": the definition has " +
                        std::to_string(kernel_case.var_axes.size()) + " var axes; its benchmark case expects one");
    }
    shape.kernel = std::move(kernel_case);
  }
  return shape;
}

}  // namespace solkit::codegen::detail::atrex_kwargs
