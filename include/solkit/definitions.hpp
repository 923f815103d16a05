#pragma once
// Every op type's definitions: include this to name, describe or instantiate any of them.

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
