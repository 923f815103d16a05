#pragma once
// Engine choice of the prefill attention kernel (gqa_paged_prefill_causal, gqa_ragged_prefill
// and its causal form): the mma.sync engine (attention_prefill.cuh, every head dim) or the wgmma
// engine (attention_prefill_wgmma.cuh, head dims 64, 128, 192, 256 on an sm_90a build).
//
// The setting is attention::prefill_engine() (prefill_engine.hpp).

#include <atomic>
#include <string_view>

#include <cuda_runtime.h>

#include "solkit/core/launch_status.hpp"
#include "solkit/ops/common/attention_prefill.cuh"
#include "solkit/ops/common/attention_prefill_wgmma.cuh"
#include "solkit/ops/common/prefill_engine.hpp"

namespace solkit::ops::attention_prefill {

/// Launches the engine `solkit::attention::prefill_engine()` names over `p.total_q` rows (> 0).
template <int head_dim, bool causal, class Source>
launch_status launch(std::string_view definition, const params<Source>& p, cudaStream_t stream) {
  if constexpr (attention_prefill_wgmma::tile_config<head_dim>::supported) {
    if (solkit::attention::prefill_engine().load(std::memory_order_relaxed) ==
        solkit::attention::prefill_engine_kind::wgmma) {
      return attention_prefill_wgmma::launch<head_dim, causal>(definition, p, stream);
    }
  }
  return launch_mma_sync<head_dim, causal>(definition, p, stream);
}

}  // namespace solkit::ops::attention_prefill
