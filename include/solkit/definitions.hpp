#pragma once
// Every op type's definitions: include this to name, describe or instantiate any of them, and
// any_definition_axes, the variant that holds the axes of any of them.

#include "solkit/core/definition.hpp"
#include "solkit/ops/dsa_paged/definition.hpp"
#include "solkit/ops/gdn/definition.hpp"
#include "solkit/ops/gemm/definition.hpp"
#include "solkit/ops/gqa_paged/definition.hpp"
#include "solkit/ops/gqa_ragged/definition.hpp"
#include "solkit/ops/mamba_ssu/definition.hpp"
#include "solkit/ops/mla_paged/definition.hpp"
#include "solkit/ops/mla_ragged/definition.hpp"
#include "solkit/ops/moe/definition.hpp"
#include "solkit/ops/rmsnorm/definition.hpp"
#include "solkit/ops/rope/definition.hpp"
#include "solkit/ops/sampling/definition.hpp"

#include <variant>

namespace solkit {

/// The axes of any definition solkit knows: what a plan entry holds, and what codegen turns
/// into a definition at run time (`std::visit([](const auto& axes) { return describe(axes); }, a)`).
using any_definition_axes =
    std::variant<rmsnorm_axes, fused_add_rmsnorm_axes, gemma_rmsnorm_axes,
                 gemma_fused_add_rmsnorm_axes, gemm_axes, gqa_paged_decode_axes,
                 gqa_paged_prefill_causal_axes, gqa_ragged_prefill_causal_axes,
                 mla_paged_decode_axes, mla_paged_prefill_causal_axes,
                 mla_ragged_prefill_causal_axes, dsa_topk_indexer_fp8_axes,
                 dsa_sparse_attention_axes, gdn_prefill_axes, gdn_decode_axes, gdn_mtp_axes,
                 mamba_ssu_decode_axes, moe_fp8_block_scale_ds_routing_axes,
                 moe_fp8_block_scale_renorm_axes, top_k_sampling_from_probs_axes,
                 top_p_sampling_from_probs_axes, top_k_top_p_sampling_from_probs_axes,
                 rope_with_cos_sin_cache_axes>;

/// The error of any definition's axes, or nullptr.
constexpr const char* check_axes(const any_definition_axes& axes) {
  return std::visit([](const auto& a) { return check_axes(a); }, axes);
}

/// The definition of any valid axes.
constexpr definition_spec describe(const any_definition_axes& axes) {
  return std::visit([](const auto& a) { return describe(a); }, axes);
}

}  // namespace solkit
