#pragma once
// atrex-bench's reshape_and_cache shapes as solkit definitions and costs: no init kwargs, input
// {shape: [num_tokens, num_kv_heads, head_size], block_size (atrex's default 16)}. atrex's
// slot_mapping is arange(num_tokens): every token is written, none is padding.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/reshape_and_cache/cost.hpp"

namespace solkit::codegen {

inline atrex_shape reshape_and_cache_from_atrex(const nlohmann::json& init_kwargs,
                                                const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "reshape_and_cache";
  n::kwargs_object(op, "init_kwargs", init_kwargs);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  const bool shape_ok = input.contains("shape") && input["shape"].is_array() && input["shape"].size() == 3;
  std::int64_t dims[3] = {0, 0, 0};
  for (std::size_t i = 0; shape_ok && i < 3; ++i) {
    const nlohmann::json& dim = input["shape"][i];
    dims[i] = dim.is_number_integer() ? dim.get<std::int64_t>() : 0;
  }
  if (!shape_ok || dims[0] <= 0 || dims[1] <= 0 || dims[2] <= 0) {
    throw input_error("atrex reshape_and_cache: input_kwargs key 'shape' is missing or not a list "
                      "of 3 positive integers [num_tokens, num_kv_heads, head_size]");
  }
  const reshape_and_cache_axes axes{dims[1], dims[2],
                                    n::positive_int(op, "input_kwargs", input, "block_size", 16)};
  return n::shape_of(op, axes, reshape_and_cache_workload{dims[0], 0});
}

}  // namespace solkit::codegen
