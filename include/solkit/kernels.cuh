#pragma once
// Every solkit CUDA kernel: the `kernel<Definition>` specialisations and typed launchers of each
// op family (include a family's kernel.cuh alone to compile less).

#include "solkit/ops/fp8_dynamic_per_token_quant/kernel.cuh"
#include "solkit/ops/fused_qk_rmsnorm/kernel.cuh"
#include "solkit/ops/fused_qkv_rope/kernel.cuh"
#include "solkit/ops/fused_rmsnorm_quant/kernel.cuh"
#include "solkit/ops/gated_rms_norm/kernel.cuh"
#include "solkit/ops/gqa_paged/kernel.cuh"
#include "solkit/ops/gqa_ragged/kernel.cuh"
#include "solkit/ops/l2_norm/kernel.cuh"
#include "solkit/ops/layer_norm/kernel.cuh"
#include "solkit/ops/mrope/kernel.cuh"
#include "solkit/ops/per_token_group_quant_fp8/kernel.cuh"
#include "solkit/ops/rmsnorm/kernel.cuh"
#include "solkit/ops/rope/kernel.cuh"
#include "solkit/ops/sampling/kernel.cuh"
#include "solkit/ops/silu_and_mul/kernel.cuh"
#include "solkit/ops/topk_filter/kernel.cuh"
