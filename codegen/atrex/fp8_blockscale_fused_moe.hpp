#pragma once
// atrex-bench's fp8_blockscale_fused_moe shapes as solkit definitions and costs: init
// {num_experts, intermediate_size, top_k, scale_block_n = 128, scale_block_k = 128}, input
// {token_count, hidden_size, intermediate_size, num_experts, top_k, scale_block_n = 128,
// scale_block_k = 128} (atrex's defaults where absent; every atrex shape leaves the blocks out).
// Sizes given to both must agree.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "solkit/ops/fp8_blockscale_fused_moe/cost.hpp"

namespace solkit::codegen {

inline atrex_shape fp8_blockscale_fused_moe_from_atrex(const nlohmann::json& init_kwargs,
                                                       const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "fp8_blockscale_fused_moe";
  constexpr std::int64_t default_block = 128;  // atrex's Model and input maker default both
  auto both = [&](const char* key, std::int64_t fallback) {
    return n::positive_int_in_both(op, init_kwargs, input_kwargs, key, fallback);
  };
  const std::int64_t experts = both("num_experts", 0);
  const std::int64_t intermediate = both("intermediate_size", 0);
  const std::int64_t top_k = both("top_k", 0);
  const std::int64_t block_n = both("scale_block_n", default_block);
  const std::int64_t block_k = both("scale_block_k", default_block);
  const fp8_blockscale_fused_moe_axes axes{
      experts, top_k, n::positive_int(op, "input_kwargs", input_kwargs, "hidden_size"), intermediate,
      block_n, block_k};
  const fp8_blockscale_fused_moe_workload workload{
      n::positive_int(op, "input_kwargs", input_kwargs, "token_count")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
