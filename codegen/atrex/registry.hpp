#pragma once
// atrex operator name -> the converter of one of its shapes into a solkit definition and cost.
// All 30 operators; one missing here would have no solkit definition, and the suite would list
// its shapes as such.

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/attention.hpp"
#include "codegen/atrex/block_scaled_mm.hpp"
#include "codegen/atrex/causal_conv1d.hpp"
#include "codegen/atrex/chunk_delta_rule_output.hpp"
#include "codegen/atrex/chunk_gated_delta_rule_state.hpp"
#include "codegen/atrex/fp8_blockscale_fused_moe.hpp"
#include "codegen/atrex/fp8_dynamic_per_token_quant.hpp"
#include "codegen/atrex/fused_add_rms_norm.hpp"
#include "codegen/atrex/fused_moe.hpp"
#include "codegen/atrex/fused_qk_rmsnorm.hpp"
#include "codegen/atrex/fused_qkv_rope.hpp"
#include "codegen/atrex/fused_rmsnorm_quant.hpp"
#include "codegen/atrex/gated_delta_rule_update.hpp"
#include "codegen/atrex/gated_rms_norm.hpp"
#include "codegen/atrex/l2_norm.hpp"
#include "codegen/atrex/layer_norm.hpp"
#include "codegen/atrex/linear_sigmoid_mul.hpp"
#include "codegen/atrex/moe_align_block_size.hpp"
#include "codegen/atrex/moe_count_and_sort.hpp"
#include "codegen/atrex/moe_sum_reduce.hpp"
#include "codegen/atrex/moe_topk_gating_softmax.hpp"
#include "codegen/atrex/mrope.hpp"
#include "codegen/atrex/per_token_group_quant_fp8.hpp"
#include "codegen/atrex/reshape_and_cache.hpp"
#include "codegen/atrex/rms_norm.hpp"
#include "codegen/atrex/silu_and_mul.hpp"
#include "codegen/atrex/topk_filter.hpp"

namespace solkit::codegen {

using atrex_converter = atrex_shape (*)(const nlohmann::json& init_kwargs,
                                        const nlohmann::json& input_kwargs);

struct atrex_operator {
  std::string_view name;
  atrex_converter convert;
};

inline constexpr atrex_operator atrex_operators[] = {
    {"rms_norm", rms_norm_from_atrex},
    {"fused_add_rms_norm", fused_add_rms_norm_from_atrex},
    {"gated_rms_norm", gated_rms_norm_from_atrex},
    {"fused_qk_rmsnorm", fused_qk_rmsnorm_from_atrex},
    {"l2_norm", l2_norm_from_atrex},
    {"layer_norm", layer_norm_from_atrex},
    {"silu_and_mul", silu_and_mul_from_atrex},
    {"fp8_dynamic_per_token_quant", fp8_dynamic_per_token_quant_from_atrex},
    {"per_token_group_quant_fp8", per_token_group_quant_fp8_from_atrex},
    {"fused_rmsnorm_quant", fused_rmsnorm_quant_from_atrex},
    {"fused_qkv_rope", fused_qkv_rope_from_atrex},
    {"mrope", mrope_from_atrex},
    {"paged_attention_decode", paged_attention_decode_from_atrex},
    {"unified_attention", unified_attention_from_atrex},
    {"attention_forward", attention_forward_from_atrex},
    {"mla_decode_attention", mla_decode_attention_from_atrex},
    {"reshape_and_cache", reshape_and_cache_from_atrex},
    {"topk_filter", topk_filter_from_atrex},
    {"gated_delta_rule_update", gated_delta_rule_update_from_atrex},
    {"fused_moe", fused_moe_from_atrex},
    {"fp8_blockscale_fused_moe", fp8_blockscale_fused_moe_from_atrex},
    {"block_scaled_mm", block_scaled_mm_from_atrex},
    {"linear_sigmoid_mul", linear_sigmoid_mul_from_atrex},
    {"chunk_gated_delta_rule_state", chunk_gated_delta_rule_state_from_atrex},
    {"chunk_delta_rule_output", chunk_delta_rule_output_from_atrex},
    {"causal_conv1d", causal_conv1d_from_atrex},
    {"moe_topk_gating_softmax", moe_topk_gating_softmax_from_atrex},
    {"moe_align_block_size", moe_align_block_size_from_atrex},
    {"moe_count_and_sort", moe_count_and_sort_from_atrex},
    {"moe_sum_reduce", moe_sum_reduce_from_atrex},
};

/// The converter of operator `name`, or nullptr when solkit does not define it yet.
inline atrex_converter find_atrex_operator(std::string_view name) {
  for (const atrex_operator& op : atrex_operators) {
    if (op.name == name) return op.convert;
  }
  return nullptr;
}

}  // namespace solkit::codegen
