#pragma once
// CUDA kernels of the gqa_paged family: split-KV decode (decode_kernel.cuh) and tensor-core
// causal prefill (prefill_kernel.cuh) over a paged KV cache. Include one of the two alone to
// compile less.

#include "solkit/ops/gqa_paged/decode_kernel.cuh"
#include "solkit/ops/gqa_paged/prefill_kernel.cuh"
