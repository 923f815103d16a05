#pragma once
// Inputs and outputs of a definition: a shape written as axis names (or a scalar, whose JSON
// shape is null) and a dtype. Their order is the kernel's argument order.

#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "solkit/core/dtype.hpp"
#include "solkit/core/static_vector.hpp"

namespace solkit {

inline constexpr std::size_t max_tensor_rank = 6;

struct tensor_spec {
  std::string_view name;
  static_vector<std::string_view, max_tensor_rank> shape;  // axis names, outermost first
  bool is_scalar = false;                                   // JSON "shape": null
  dtype type = dtype::float32;
  std::string_view description;
  bool optional = false;  // the caller may pass None (flashinfer-bench's "optional": true)

  constexpr std::size_t rank() const { return shape.size(); }
};

/// A tensor whose shape is given by axis names.
constexpr tensor_spec tensor(std::string_view name, std::initializer_list<std::string_view> shape,
                             dtype type, std::string_view description) {
  tensor_spec spec{};
  spec.name = name;
  spec.shape = shape;
  spec.type = type;
  spec.description = description;
  return spec;
}

/// A tensor the caller may omit (passed as None), such as an initial recurrent state.
constexpr tensor_spec optional_tensor(std::string_view name,
                                      std::initializer_list<std::string_view> shape, dtype type,
                                      std::string_view description) {
  tensor_spec spec = tensor(name, shape, type, description);
  spec.optional = true;
  return spec;
}

/// A scalar argument (flashinfer-bench writes `"shape": null`), such as sm_scale.
constexpr tensor_spec scalar(std::string_view name, dtype type, std::string_view description) {
  tensor_spec spec{};
  spec.name = name;
  spec.is_scalar = true;
  spec.type = type;
  spec.description = description;
  return spec;
}

}  // namespace solkit
