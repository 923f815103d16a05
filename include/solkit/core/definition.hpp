#pragma once
// A definition is everything about one kernel signature (name, axes, tensors, constraints,
// reference) as a constexpr value computed from an axes aggregate. Each op family provides, for
// each of its axes aggregates, two functions found by argument-dependent lookup:
//   constexpr const char*       check_axes(const Axes&);  // nullptr, or why the axes are invalid
//   constexpr definition_spec   describe(const Axes&);    // the definition, for valid axes
// `definition_of<Axes>` wraps them for kernels and static_asserts; codegen calls the same two
// functions at run time for a model read from JSON. Nothing about a definition is written twice.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "solkit/core/axis.hpp"
#include "solkit/core/fixed_string.hpp"
#include "solkit/core/static_vector.hpp"
#include "solkit/core/tensor_spec.hpp"

namespace solkit {

/// A constant the PyTorch reference needs that is not an axis of the JSON (the dataset's
/// DeepSeek-routing MoE names top_k, n_group and topk_group but declares no axis for them).
struct reference_constant {
  std::string_view name;  // Python identifier, upper case
  std::int64_t value = 0;
};

struct definition_spec {
  definition_name name;
  std::string_view op_type;
  std::string_view description;
  static_vector<std::string_view, 8> tags;          // fixed tags; codegen adds model/tp/ep
  static_vector<axis_spec, 12> axes;                 // JSON order
  static_vector<std::string_view, 8> constraints;    // Python expressions over axes and tensors
  static_vector<tensor_spec, 12> inputs;             // kernel argument order
  static_vector<tensor_spec, 4> outputs;             // kernel argument order, after the inputs
  static_vector<reference_constant, 6> reference_constants;  // beyond the const axes
  // PyTorch source defining run(), in parts joined by blank lines (shared helpers, then run());
  // the const axes and reference_constants are prepended as Python constants.
  static_vector<std::string_view, 3> reference;

  constexpr const axis_spec* find_axis(std::string_view axis_name) const {
    for (const axis_spec& axis : axes) {
      if (axis.name == axis_name) return &axis;
    }
    return nullptr;
  }

  /// Value of a const axis; nothing for a var axis or an unknown name.
  constexpr std::optional<std::int64_t> const_value(std::string_view axis_name) const {
    const axis_spec* axis = find_axis(axis_name);
    if (axis == nullptr || !axis->is_constant()) return std::nullopt;
    return axis->value;
  }

  constexpr const tensor_spec* find_tensor(std::string_view tensor_name) const {
    for (const tensor_spec& t : inputs) {
      if (t.name == tensor_name) return &t;
    }
    for (const tensor_spec& t : outputs) {
      if (t.name == tensor_name) return &t;
    }
    return nullptr;
  }
};

/// An axes aggregate: a structural type with a `check_axes` and a `describe` overload.
template <class Axes>
concept axes_aggregate = requires(const Axes& axes) {
  { check_axes(axes) } -> std::same_as<const char*>;
  { describe(axes) } -> std::same_as<definition_spec>;
};

namespace detail {
/// Instantiated with the message a `check_axes` returned. Both g++ and nvcc print this
/// template's argument, the name of the message variable (for example
/// `solkit::ops::gqa_paged::axis_errors::num_qo_heads_not_a_multiple_of_num_kv_heads`), beside
/// the failed assertion: that is how a compile-time error names the axis and the reason.
template <const char* Reason>
struct report_invalid_axes {
  static_assert(Reason == nullptr,
                "solkit: invalid definition axes: the axis and the reason are named in the "
                "argument of report_invalid_axes above");
  static constexpr bool ok = true;
};
}  // namespace detail

/// The definition whose axes are `Axes`. Each op type derives a named template from it,
/// `template <gqa_paged_decode_axes A> struct gqa_paged_decode : definition_of<A> {};`: a
/// derived struct, not an alias template, because nvcc 13.0's host stub breaks (`__T0` not
/// declared) when an alias with a class-type parameter is a kernel's template argument.
/// Invalid axes fail to compile with a message naming the axis.
template <auto Axes>
  requires axes_aggregate<decltype(Axes)>
struct definition_of {
  using axes_type = decltype(Axes);
  static constexpr axes_type axes = Axes;

  static constexpr const char* axes_error = check_axes(Axes);
  static_assert(detail::report_invalid_axes<axes_error>::ok);

  // Invalid axes describe nothing, so one error is reported, not a cascade.
  static constexpr definition_spec spec = axes_error == nullptr ? describe(Axes) : definition_spec{};
  static constexpr definition_name name = spec.name;
  static constexpr std::string_view op_type = spec.op_type;
};

/// A type that stands for one definition: `definition_of<...>` or a user type of that shape.
template <class D>
concept definition = requires {
  typename D::axes_type;
  requires axes_aggregate<typename D::axes_type>;
  { D::axes } -> std::convertible_to<typename D::axes_type>;
  { D::spec } -> std::convertible_to<definition_spec>;
  { D::name } -> std::convertible_to<std::string_view>;
};

/// The first error among several `check_axes`-style results (nullptr when all passed).
template <class... Errors>
constexpr const char* first_error(Errors... errors) {
  const char* found = nullptr;
  ((found = found != nullptr ? found : static_cast<const char*>(errors)), ...);
  return found;
}

/// The name of the definition with these axes (they must be valid).
template <axes_aggregate Axes>
constexpr definition_name name_of(const Axes& axes) {
  return describe(axes).name;
}

/// Run-time twin of `definition_of<Axes>::spec` for axes known only at run time (a model read
/// from a config.json): the same functions, with the error returned as a value.
struct described_definition {
  std::optional<definition_spec> spec;  // set when the axes are valid
  const char* error = nullptr;          // set when they are not
};

template <axes_aggregate Axes>
constexpr described_definition try_describe(const Axes& axes) {
  if (const char* error = check_axes(axes)) return {std::nullopt, error};
  return {describe(axes), nullptr};
}

}  // namespace solkit
