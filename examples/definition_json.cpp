// Instantiates a definition for a shape of your own at compile time and prints its
// flashinfer-bench JSON: here Llama 3.1 70B's attention decode at tensor parallel 8
// (64 / 8 = 8 query heads, 8 / 8 = 1 kv head) on a cache of 16-token pages.

#include <iostream>

#include "solkit/core/json.hpp"
#include "solkit/ops/gqa_paged/definition.hpp"

int main() {
  using decode = solkit::gqa_paged_decode<solkit::gqa_paged_decode_axes{
      .num_qo_heads = 8, .num_kv_heads = 1, .head_dim = 128, .page_size = 16}>;
  static_assert(decode::name == "gqa_paged_decode_h8_kv1_d128_ps16");

  const std::vector<std::string> tags{"model:llama-3.1-70b", "tp:8"};
  std::cout << solkit::to_json(decode::spec, tags).dump(2) << "\n";
}
