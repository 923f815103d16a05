#pragma once
// Which tensor-core engine the prefill attention launchers run (attention_prefill_launch.cuh):
// mma.sync (every head dim, sm_80 and later instructions) or wgmma (Hopper sm_90a; head dims 64,
// 128, 192, 256). A process-wide setting read at each launch, like attention::debug_checks().
//
// `automatic` runs mma.sync today, the engine that has passed the GPU tests; it moves to wgmma
// once that engine has passed them and measured faster (docs/attention.md keeps the record).

#include <atomic>
#include <cstdlib>
#include <string_view>

namespace solkit::attention {

enum class prefill_engine_kind { automatic, mma_sync, wgmma };

/// The engine named `name` ("automatic", "mma_sync" or "wgmma"); false, `engine` untouched, for
/// anything else.
constexpr bool parse_prefill_engine(std::string_view name, prefill_engine_kind& engine) {
  if (name == "automatic") {
    engine = prefill_engine_kind::automatic;
  } else if (name == "mma_sync") {
    engine = prefill_engine_kind::mma_sync;
  } else if (name == "wgmma") {
    engine = prefill_engine_kind::wgmma;
  } else {
    return false;
  }
  return true;
}

/// The starting engine for an SOLKIT_PREFILL_ENGINE value (null when unset): the engine it
/// names, else `automatic`.
constexpr prefill_engine_kind initial_prefill_engine(const char* value) {
  prefill_engine_kind chosen = prefill_engine_kind::automatic;
  if (value != nullptr) parse_prefill_engine(value, chosen);
  return chosen;
}

/// The engine in force. Starts from SOLKIT_PREFILL_ENGINE in the environment when that names
/// one (benchmark binaries use it to time both engines), else `automatic`. `wgmma` applies to the
/// head dims it takes and runs mma.sync for the others; on a build without sm_90a device code a
/// launch asking for it is refused (unsupported_device), never run on the other engine.
inline std::atomic<prefill_engine_kind>& prefill_engine() {
  static std::atomic<prefill_engine_kind> engine{initial_prefill_engine(std::getenv("SOLKIT_PREFILL_ENGINE"))};
  return engine;
}

}  // namespace solkit::attention
