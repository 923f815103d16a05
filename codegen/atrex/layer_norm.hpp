#pragma once
// atrex-bench's layer_norm shapes as solkit definitions and costs: no init kwargs (null),
// input {shape}: x's full shape [..., H]. The definition normalises rows of H, so the leading
// dims multiply into num_rows ([276, 1, 1152] is 276 rows of 1152).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/layer_norm/cost.hpp"

namespace solkit::codegen {

inline atrex_shape layer_norm_from_atrex(const nlohmann::json& init_kwargs, const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "layer_norm";
  n::require_fixed_number(op, init_kwargs, "eps", 1e-5);  // the reference passes none: F.layer_norm's 1e-5
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  std::vector<std::int64_t> dims;
  if (input.contains("shape") && input["shape"].is_array()) {
    for (const nlohmann::json& dim : input["shape"]) {
      if (!dim.is_number_integer() || dim.get<std::int64_t>() <= 0) {
        dims.clear();
        break;
      }
      dims.push_back(dim.get<std::int64_t>());
    }
  }
  if (dims.empty()) {
    throw input_error("atrex layer_norm: input_kwargs key 'shape' is missing or not a non-empty list of "
                      "positive integers");
  }
  const std::int64_t hidden = dims.back();
  std::int64_t rows = 1;  // every dim but the last
  for (std::size_t i = 0; i + 1 < dims.size(); ++i) rows *= dims[i];
  const layer_norm_axes axes{hidden};
  const layer_norm_workload workload{rows};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
