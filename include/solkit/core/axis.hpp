#pragma once
// Axes of a definition: const axes are fixed by the model and the serving configuration and
// become compile-time constants of the kernel; var axes (tokens, batch, pages) are run time.

#include <cstdint>
#include <string_view>

namespace solkit {

enum class axis_kind : std::uint8_t { constant, variable };

constexpr std::string_view json_name(axis_kind kind) {
  return kind == axis_kind::constant ? "const" : "var";
}

struct axis_spec {
  std::string_view name;
  axis_kind kind = axis_kind::variable;
  std::int64_t value = 0;  // meaningful for constant axes only
  std::string_view description;

  constexpr bool is_constant() const { return kind == axis_kind::constant; }
};

constexpr axis_spec const_axis(std::string_view name, std::int64_t value,
                               std::string_view description) {
  return {name, axis_kind::constant, value, description};
}

constexpr axis_spec var_axis(std::string_view name, std::string_view description) {
  return {name, axis_kind::variable, 0, description};
}

}  // namespace solkit
