#pragma once
// atrex-bench's mrope shapes as solkit definitions and costs: init {head_size, rotary_dim,
// mrope_section: [t, h, w], mrope_interleaved = false, is_neox_style = true}, input
// {token_count, num_query_heads, num_kv_heads, head_size, rotary_dim}. head_size and
// rotary_dim of both must agree.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/mrope/cost.hpp"

namespace solkit::codegen {

inline atrex_shape mrope_from_atrex(const nlohmann::json& init_kwargs, const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "mrope";
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  const std::int64_t head_size = n::positive_int_in_both(op, init, input_kwargs, "head_size");
  const std::int64_t rotary_dim = n::positive_int_in_both(op, init, input_kwargs, "rotary_dim");

  const nlohmann::json* section = init.contains("mrope_section") ? &init["mrope_section"] : nullptr;
  auto section_ok = [](const nlohmann::json& s) {
    return s.is_number_integer() && s.get<std::int64_t>() >= 0;
  };
  if (section == nullptr || !section->is_array() || section->size() != 3 ||
      !section_ok((*section)[0]) || !section_ok((*section)[1]) || !section_ok((*section)[2])) {
    throw input_error("atrex mrope: init_kwargs key 'mrope_section' is missing or not three non-negative "
                      "integers");
  }
  auto flag = [&](const char* key, bool fallback) {
    if (!init.contains(key)) return fallback;
    if (!init[key].is_boolean()) {
      throw input_error(std::string{"atrex mrope: init_kwargs key '"} + key + "' is not a boolean");
    }
    return init[key].get<bool>();
  };
  const mrope_axes axes{n::positive_int(op, "input_kwargs", input_kwargs, "num_query_heads"),
                        n::positive_int(op, "input_kwargs", input_kwargs, "num_kv_heads"),
                        head_size,
                        rotary_dim,
                        (*section)[0].get<std::int64_t>(),
                        (*section)[1].get<std::int64_t>(),
                        (*section)[2].get<std::int64_t>(),
                        flag("mrope_interleaved", false),
                        flag("is_neox_style", true) ? rope_style::neox : rope_style::gptj};
  const mrope_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
