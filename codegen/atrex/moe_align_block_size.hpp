#pragma once
// atrex-bench's moe_align_block_size shapes as solkit definitions and costs: init {block_size,
// num_experts} (required: atrex's Model has no defaults), input {token_count, top_k,
// num_experts} (num_experts must agree with init's).

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/moe_align_block_size/cost.hpp"

namespace solkit::codegen {

inline atrex_shape moe_align_block_size_from_atrex(const nlohmann::json& init_kwargs,
                                                   const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "moe_align_block_size";
  const std::int64_t experts = n::positive_int_in_both(op, init_kwargs, input_kwargs, "num_experts");
  const moe_align_block_size_axes axes{experts, n::positive_int(op, "input_kwargs", input_kwargs, "top_k"),
                                       n::positive_int(op, "init_kwargs", init_kwargs, "block_size")};
  const moe_align_block_size_workload workload{
      n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
