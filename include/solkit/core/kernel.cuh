#pragma once
// The type-erased form of every solkit kernel, which generated code (launcher tables, the
// benchmark harness) calls: the definition's tensors as device pointers in its argument order
// (inputs, then outputs) and the values of its var axes in the order of its axes. Each op family
// specialises `kernel<Definition>` in its kernel.cuh next to its typed launchers, which are what
// an engine calls; both check every argument before anything is launched.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <cuda_runtime.h>

#include "solkit/core/cuda_checks.cuh"
#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/core/launch_status.hpp"

namespace solkit {

struct kernel_arguments {
  std::span<void* const> tensors;              // device pointers: spec.inputs, then spec.outputs
  std::span<const std::int64_t> var_axes;      // values of the var axes, in spec.axes order
};

/// Specialised by each op family that has a kernel; provides
///   static launch_status launch(const kernel_arguments&, cudaStream_t);
/// and, when the definition has integer inputs (indices, positions), the exclusive upper bound
/// of their values for the benchmark's random inputs:
///   static std::int64_t index_bound(std::string_view input, std::span<const std::int64_t> var_axes);
template <class Definition>
struct kernel;

/// The axes aggregate type of a definition (without the const of the template parameter object).
template <class Definition>
using axes_of = std::remove_cvref_t<decltype(Definition::axes)>;

template <class Definition>
concept has_kernel = requires(const kernel_arguments& arguments, cudaStream_t stream) {
  { kernel<Definition>::launch(arguments, stream) } -> std::same_as<launch_status>;
};

namespace detail {

/// Position of the var axis `name` among the var axes of `spec`, or -1.
constexpr int var_axis_index(const definition_spec& spec, std::string_view name) {
  int index = 0;
  for (const axis_spec& axis : spec.axes) {
    if (axis.is_constant()) continue;
    if (axis.name == name) return index;
    ++index;
  }
  return -1;
}

constexpr std::size_t var_axis_count(const definition_spec& spec) {
  std::size_t count = 0;
  for (const axis_spec& axis : spec.axes) count += axis.is_constant() ? 0 : 1;
  return count;
}

/// The counts and pointers every kernel needs, checked in the order an engine would want to
/// read the errors: argument counts, then each var axis in [0, 2^31), then each tensor non-null
/// and `alignment`-byte aligned, then the device. Names the definition and the argument.
template <class Definition>
launch_status check_arguments(const kernel_arguments& arguments, std::size_t alignment) {
  constexpr const definition_spec& spec = Definition::spec;
  const std::string_view name = Definition::name.view();
  const std::size_t tensors = spec.inputs.size() + spec.outputs.size();
  if (arguments.tensors.size() != tensors) {
    return launch_status::failure(launch_error_code::bad_size, name, "tensors",
                                  "has " + std::to_string(arguments.tensors.size()) + " pointers; the definition has " +
                                      std::to_string(tensors) + " inputs and outputs");
  }
  if (arguments.var_axes.size() != var_axis_count(spec)) {
    return launch_status::failure(launch_error_code::bad_size, name, "var_axes",
                                  "has " + std::to_string(arguments.var_axes.size()) + " values; the definition has " +
                                      std::to_string(var_axis_count(spec)) + " var axes");
  }
  std::size_t v = 0;
  for (const axis_spec& axis : spec.axes) {
    if (axis.is_constant()) continue;
    const std::int64_t value = arguments.var_axes[v++];
    if (value < 0 || value > 2147483647) {
      return launch_status::failure(launch_error_code::bad_size, name, axis.name,
                                    "is " + std::to_string(value) + "; it must be in [0, 2^31)");
    }
  }
  for (std::size_t t = 0; t < tensors; ++t) {
    const bool input = t < spec.inputs.size();
    const tensor_spec& tensor = input ? spec.inputs[t] : spec.outputs[t - spec.inputs.size()];
    const void* pointer = arguments.tensors[t];
    if (pointer == nullptr && tensor.optional) continue;
    if (launch_status status = check_pointer(name, tensor.name, pointer, alignment); !status.ok()) return status;
  }
  return check_hopper(name);
}

}  // namespace detail

/// Runs `Definition` through its type-erased entry point.
template <class Definition>
  requires has_kernel<Definition>
launch_status launch(const kernel_arguments& arguments, cudaStream_t stream = nullptr) {
  return kernel<Definition>::launch(arguments, stream);
}

/// The launcher table's form (solkit/core/kernel_registry.hpp): 0 when launched, else the
/// launch_error_code; the message is lost, so engines that want it call `launch` instead.
template <class Definition>
  requires has_kernel<Definition>
int erased_launch(void* const* tensors, const std::int64_t* var_axes, void* stream) {
  constexpr std::size_t tensor_count = Definition::spec.inputs.size() + Definition::spec.outputs.size();
  const kernel_arguments arguments{std::span<void* const>{tensors, tensor_count},
                                   std::span<const std::int64_t>{var_axes, detail::var_axis_count(Definition::spec)}};
  return static_cast<int>(kernel<Definition>::launch(arguments, static_cast<cudaStream_t>(stream)).code);
}

}  // namespace solkit
