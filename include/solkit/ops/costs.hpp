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
