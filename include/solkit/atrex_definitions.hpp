#pragma once
// The definitions of atrex-bench's production operators that solkit defines so far: op types
// named as the atrex operators (`rms_norm_h1024`, `silu_and_mul_d768`, ...), beside the
// flashinfer-bench op types of solkit/definitions.hpp. docs/atrex.md lists them.

#include "solkit/ops/fp8_dynamic_per_token_quant/definition.hpp"
#include "solkit/ops/fused_add_rms_norm/definition.hpp"
#include "solkit/ops/fused_qk_rmsnorm/definition.hpp"
#include "solkit/ops/fused_qkv_rope/definition.hpp"
#include "solkit/ops/fused_rmsnorm_quant/definition.hpp"
#include "solkit/ops/gated_rms_norm/definition.hpp"
#include "solkit/ops/l2_norm/definition.hpp"
#include "solkit/ops/layer_norm/definition.hpp"
#include "solkit/ops/mrope/definition.hpp"
#include "solkit/ops/per_token_group_quant_fp8/definition.hpp"
#include "solkit/ops/rms_norm/definition.hpp"
#include "solkit/ops/silu_and_mul/definition.hpp"
