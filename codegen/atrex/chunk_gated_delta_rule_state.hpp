#pragma once
// atrex-bench's chunk_gated_delta_rule_state shapes as solkit definitions and costs: init
// {chunk_size = 64}, input {batch_size, token_count, num_k_heads, num_v_heads, key_dim,
// value_dim, state_count}. atrex's inputs take pool rows arange(B) % state_count; solkit's
// definition needs distinct rows, so batch_size may not exceed state_count.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/chunk_gated_delta_rule_state/cost.hpp"

namespace solkit::codegen {

inline atrex_shape chunk_gated_delta_rule_state_from_atrex(const nlohmann::json& init_kwargs,
                                                           const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "chunk_gated_delta_rule_state";
  auto input = [&](const char* key) { return n::positive_int(op, "input_kwargs", input_kwargs, key); };
  const chunk_gated_delta_rule_state_axes axes{
      input("num_k_heads"), input("num_v_heads"), input("key_dim"), input("value_dim"),
      n::positive_int(op, "init_kwargs", init_kwargs, "chunk_size", 64)};
  const chunk_gated_delta_rule_state_workload workload{input("batch_size"), input("token_count")};
  const std::int64_t state_count = input("state_count");
  if (workload.batch_size > state_count) {
    throw input_error("atrex chunk_gated_delta_rule_state: input_kwargs key 'batch_size' is " +
                      std::to_string(workload.batch_size) + " but 'state_count' is " +
                      std::to_string(state_count) + "; each sequence needs its own pool row");
  }
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
