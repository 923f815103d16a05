#pragma once
// The table codegen writes for a model's plan: definition name -> launcher. A launcher is type
// erased so that one table can hold every op type: it takes the definition's inputs and outputs
// as device pointers (or pointers to host scalars) in the definition's argument order, the
// values of its var axes in the order of its axes, and a CUDA stream, and returns 0 or an error
// code. A definition whose kernel does not exist yet has no launcher (nullptr): it is listed,
// never faked.

#include <cstdint>
#include <span>
#include <string_view>

namespace solkit {

using launch_fn = int (*)(void* const* arguments, const std::int64_t* var_axes, void* stream);

struct registered_definition {
  std::string_view name;
  std::string_view op_type;
  std::string_view role;
  std::int64_t count = 0;        // runs per forward pass
  launch_fn launch = nullptr;    // nullptr: no kernel yet
};

/// The entry named `name`, or nullptr.
constexpr const registered_definition* find_definition(std::span<const registered_definition> table,
                                                       std::string_view name) {
  for (const registered_definition& entry : table) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace solkit
