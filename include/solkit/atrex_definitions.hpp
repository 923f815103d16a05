#pragma once
// The definitions of atrex-bench's production operators that are op types of their own, named
// as the atrex operators (`rms_norm_h1024`, `fused_moe_e128_topk8_h2048_i768`, ...), beside the
// flashinfer-bench op types of solkit/definitions.hpp. atrex's four attention operators map onto
// those (gqa_paged, gqa_ragged, mla_paged) instead. docs/atrex.md lists them all.

#include "solkit/ops/block_scaled_mm/definition.hpp"
#include "solkit/ops/causal_conv1d/definition.hpp"
#include "solkit/ops/chunk_delta_rule_output/definition.hpp"
#include "solkit/ops/chunk_gated_delta_rule_state/definition.hpp"
#include "solkit/ops/fp8_blockscale_fused_moe/definition.hpp"
#include "solkit/ops/fp8_dynamic_per_token_quant/definition.hpp"
#include "solkit/ops/fused_add_rms_norm/definition.hpp"
#include "solkit/ops/fused_moe/definition.hpp"
#include "solkit/ops/fused_qk_rmsnorm/definition.hpp"
#include "solkit/ops/fused_qkv_rope/definition.hpp"
#include "solkit/ops/fused_rmsnorm_quant/definition.hpp"
#include "solkit/ops/gated_delta_rule_update/definition.hpp"
#include "solkit/ops/gated_rms_norm/definition.hpp"
#include "solkit/ops/l2_norm/definition.hpp"
#include "solkit/ops/layer_norm/definition.hpp"
#include "solkit/ops/linear_sigmoid_mul/definition.hpp"
#include "solkit/ops/moe_align_block_size/definition.hpp"
#include "solkit/ops/moe_count_and_sort/definition.hpp"
#include "solkit/ops/moe_sum_reduce/definition.hpp"
#include "solkit/ops/moe_topk_gating_softmax/definition.hpp"
#include "solkit/ops/mrope/definition.hpp"
#include "solkit/ops/per_token_group_quant_fp8/definition.hpp"
#include "solkit/ops/reshape_and_cache/definition.hpp"
#include "solkit/ops/rms_norm/definition.hpp"
#include "solkit/ops/silu_and_mul/definition.hpp"
#include "solkit/ops/topk_filter/definition.hpp"
