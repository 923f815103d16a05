// Looks definitions up by name in the tables solkit_add_model generated.
#include <iostream>

#include "llama_3_1_8b_tp1_ep1.hpp"
#include "my_deepseek_tp8_ep8.hpp"

int main() {
  const auto llama = solkit::generated::llama_3_1_8b_tp1_ep1();
  const auto deepseek = solkit::generated::my_deepseek_tp8_ep8();
  const auto* decode = solkit::find_definition(llama, "gqa_paged_decode_h32_kv8_d128_ps64");
  const auto* experts =
      solkit::find_definition(deepseek, "moe_fp8_block_scale_ds_routing_topk8_ng8_kg4_e32_h7168_i2048");
  if (decode == nullptr || experts == nullptr) return 1;
  std::cout << llama.size() << " llama definitions, " << deepseek.size() << " deepseek definitions; "
            << decode->name << " runs " << decode->count << " times per pass, kernel: "
            << (decode->launch != nullptr ? "yes" : "not yet") << "\n";
  return decode->count == 32 && experts->count == 58 ? 0 : 1;
}
