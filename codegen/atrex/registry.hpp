#pragma once
// atrex operator name -> the converter of one of its shapes into a solkit definition and cost.
// An operator missing here has no solkit definition yet; the suite lists its shapes as such.

#include <string_view>

#include <nlohmann/json.hpp>

#include "codegen/atrex/atrex_shape.hpp"
#include "codegen/atrex/fp8_dynamic_per_token_quant.hpp"
#include "codegen/atrex/fused_add_rms_norm.hpp"
#include "codegen/atrex/fused_qk_rmsnorm.hpp"
#include "codegen/atrex/fused_qkv_rope.hpp"
#include "codegen/atrex/fused_rmsnorm_quant.hpp"
#include "codegen/atrex/gated_rms_norm.hpp"
#include "codegen/atrex/l2_norm.hpp"
#include "codegen/atrex/layer_norm.hpp"
#include "codegen/atrex/mrope.hpp"
#include "codegen/atrex/per_token_group_quant_fp8.hpp"
#include "codegen/atrex/rms_norm.hpp"
#include "codegen/atrex/silu_and_mul.hpp"

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
};

/// The converter of operator `name`, or nullptr when solkit does not define it yet.
inline atrex_converter find_atrex_operator(std::string_view name) {
  for (const atrex_operator& op : atrex_operators) {
    if (op.name == name) return op.convert;
  }
  return nullptr;
}

}  // namespace solkit::codegen
