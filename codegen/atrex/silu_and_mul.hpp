#pragma once
// atrex-bench's silu_and_mul shapes as solkit definitions and costs: no init kwargs, input
// {shape: [T, 2d]} (leading dims are token rows, the last holds gate then up).

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/silu_and_mul/cost.hpp"

namespace solkit::codegen {

inline atrex_shape silu_and_mul_from_atrex(const nlohmann::json& init_kwargs,
                                           const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "silu_and_mul";
  n::kwargs_object(op, "init_kwargs", init_kwargs);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  auto bad_shape = [&] {
    return input_error("atrex silu_and_mul: input_kwargs key 'shape' is missing or not a list of "
                       "positive integers ending in an even width (gate then up)");
  };
  if (!input.contains("shape") || !input["shape"].is_array() || input["shape"].empty()) throw bad_shape();
  std::int64_t rows = 1, width = 0;
  for (std::size_t i = 0; i < input["shape"].size(); ++i) {
    const nlohmann::json& dim = input["shape"][i];
    if (!dim.is_number_integer() || dim.get<std::int64_t>() <= 0) throw bad_shape();
    if (i + 1 < input["shape"].size()) rows *= dim.get<std::int64_t>();
    else width = dim.get<std::int64_t>();
  }
  // atrex's reference applies plain silu to a width-1 row; no shape has one, and no definition.
  if (width % 2 != 0) throw bad_shape();
  const silu_and_mul_axes axes{width / 2};
  return n::shape_of(op, axes, silu_and_mul_workload{rows});
}

}  // namespace solkit::codegen
