#pragma once
// atrex-bench's fused_qk_rmsnorm shapes as solkit definitions and costs: init {head_num,
// kv_head_num, size_per_head = 128, eps = 1e-6}, input {num_tokens, head_num, kv_head_num,
// size_per_head = 128, dtype = "fp16"}. The head counts of both must agree; the definitions
// are fp16 (every atrex shape), so a bf16 shape is rejected rather than mis-sized.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/fused_qk_rmsnorm/cost.hpp"

namespace solkit::codegen {

inline atrex_shape fused_qk_rmsnorm_from_atrex(const nlohmann::json& init_kwargs,
                                               const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "fused_qk_rmsnorm";
  n::require_fixed_number(op, init_kwargs, "eps", 1e-6);
  const std::int64_t heads = n::positive_int_in_both(op, init_kwargs, input_kwargs, "head_num");
  const std::int64_t kv_heads = n::positive_int_in_both(op, init_kwargs, input_kwargs, "kv_head_num");
  const std::int64_t head_dim = n::positive_int_in_both(op, init_kwargs, input_kwargs, "size_per_head", 128);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  if (input.contains("dtype") && (!input["dtype"].is_string() || input["dtype"].get<std::string>() != "fp16")) {
    throw input_error("atrex fused_qk_rmsnorm: input_kwargs key 'dtype' is " + input["dtype"].dump() +
                      "; the definitions are fp16");
  }
  const fused_qk_rmsnorm_axes axes{heads, kv_heads, head_dim};
  const fused_qk_rmsnorm_workload workload{n::positive_int(op, "input_kwargs", input_kwargs, "num_tokens")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
