#pragma once
// Every op type's cost functions: `cost_of(axes, workload)` for each definition.

#include "solkit/ops/dsa_paged/cost.hpp"
#include "solkit/ops/gdn/cost.hpp"
#include "solkit/ops/gemm/cost.hpp"
#include "solkit/ops/gqa_paged/cost.hpp"
#include "solkit/ops/gqa_ragged/cost.hpp"
#include "solkit/ops/mamba_ssu/cost.hpp"
#include "solkit/ops/mla_paged/cost.hpp"
#include "solkit/ops/mla_ragged/cost.hpp"
#include "solkit/ops/moe/cost.hpp"
#include "solkit/ops/rmsnorm/cost.hpp"
#include "solkit/ops/rope/cost.hpp"
#include "solkit/ops/sampling/cost.hpp"

// atrex-bench's production operators (not part of model plans).
#include "solkit/ops/fp8_dynamic_per_token_quant/cost.hpp"
#include "solkit/ops/fused_add_rms_norm/cost.hpp"
#include "solkit/ops/fused_qk_rmsnorm/cost.hpp"
#include "solkit/ops/fused_qkv_rope/cost.hpp"
#include "solkit/ops/fused_rmsnorm_quant/cost.hpp"
#include "solkit/ops/gated_rms_norm/cost.hpp"
#include "solkit/ops/l2_norm/cost.hpp"
#include "solkit/ops/layer_norm/cost.hpp"
#include "solkit/ops/mrope/cost.hpp"
#include "solkit/ops/per_token_group_quant_fp8/cost.hpp"
#include "solkit/ops/rms_norm/cost.hpp"
#include "solkit/ops/silu_and_mul/cost.hpp"
