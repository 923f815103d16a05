#pragma once
// atrex-bench's moe_count_and_sort shapes as solkit definitions and costs: init {num_experts,
// block_size}, both optional (atrex's Model defaults them to 128; one shape has init null);
// block_size does not enter the math but must be a positive integer when given. Input
// {token_count, top_k, num_experts} (num_experts must agree with init's).

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/moe_count_and_sort/cost.hpp"

namespace solkit::codegen {

inline atrex_shape moe_count_and_sort_from_atrex(const nlohmann::json& init_kwargs,
                                                 const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "moe_count_and_sort";
  constexpr std::int64_t reference_default = 128;  // of num_experts and block_size
  const std::int64_t experts = n::positive_int(op, "init_kwargs", init_kwargs, "num_experts", reference_default);
  n::positive_int(op, "init_kwargs", init_kwargs, "block_size", reference_default);  // checked, unused
  n::require_equal(op, "num_experts", experts, n::positive_int(op, "input_kwargs", input_kwargs, "num_experts"));
  const moe_count_and_sort_axes axes{experts, n::positive_int(op, "input_kwargs", input_kwargs, "top_k")};
  const moe_count_and_sort_workload workload{
      n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
