#pragma once
// atrex-bench's fused_qkv_rope shapes as solkit definitions and costs: init {num_heads,
// num_kv_heads, head_dim, rope_dim, rope_base = 10000}, input {total_tokens, num_heads,
// num_kv_heads, head_dim, dtype = "bf16" | "fp16", with_bias = false}. The head counts of both
// must agree; the definitions fix the base at 10000 and have no bias, so other values are
// rejected rather than mis-described.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/kwargs.hpp"
#include "codegen/dataset.hpp"
#include "solkit/ops/fused_qkv_rope/cost.hpp"

namespace solkit::codegen {

inline atrex_shape fused_qkv_rope_from_atrex(const nlohmann::json& init_kwargs,
                                             const nlohmann::json& input_kwargs) {
  namespace n = detail::atrex_kwargs;
  constexpr std::string_view op = "fused_qkv_rope";
  const nlohmann::json& init = n::kwargs_object(op, "init_kwargs", init_kwargs);
  const nlohmann::json& input = n::kwargs_object(op, "input_kwargs", input_kwargs);
  const std::int64_t heads = n::positive_int_in_both(op, init, input, "num_heads");
  const std::int64_t kv_heads = n::positive_int_in_both(op, init, input, "num_kv_heads");
  const std::int64_t head_dim = n::positive_int_in_both(op, init, input, "head_dim");
  n::require_fixed_number(op, init, "rope_base", 10000.0);
  if (input.contains("with_bias") && input["with_bias"] != false) {
    throw input_error("atrex fused_qkv_rope: input_kwargs key 'with_bias' is " +
                      input["with_bias"].dump() + "; the definitions have no bias");
  }
  dtype element_type = dtype::bfloat16;  // input.py's default
  if (input.contains("dtype")) {
    const nlohmann::json& name = input["dtype"];
    if (name == "fp16") {
      element_type = dtype::float16;
    } else if (name != "bf16") {
      throw input_error("atrex fused_qkv_rope: input_kwargs key 'dtype' is " + name.dump() +
                        ", not \"bf16\" or \"fp16\"");
    }
  }
  const fused_qkv_rope_axes axes{heads, kv_heads, head_dim,
                                 n::positive_int(op, "init_kwargs", init, "rope_dim"), element_type};
  const fused_qkv_rope_workload workload{n::positive_int(op, "input_kwargs", input, "total_tokens")};
  return n::shape_of(op, axes, workload);
}

}  // namespace solkit::codegen
