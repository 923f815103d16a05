// Prints the definitions one GPU runs for Qwen3-Next 80B A3B at tensor parallel 2, from the
// table that `solkit_add_model(example_qwen3_next_kernels MODEL qwen3-next-80b-a3b TP 2 EP 1)`
// generated at build time (examples/CMakeLists.txt), and looks one up by name as an engine would.

#include <cstdio>

#include "qwen3_next_80b_a3b_tp2_ep1.hpp"

int main() {
  const auto table = solkit::generated::qwen3_next_80b_a3b_tp2_ep1();
  for (const solkit::registered_definition& entry : table) {
    std::printf("%-52s %-26s x%-4lld %s\n", entry.name.data(), entry.role.data(),
                static_cast<long long>(entry.count),
                entry.launch != nullptr ? "kernel" : "no kernel yet");
  }
  const auto* decode = solkit::find_definition(table, "gdn_decode_qk8_v16_d128_k_last");
  return decode != nullptr && decode->count == 36 ? 0 : 1;
}
