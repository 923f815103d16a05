// Names a definition through the installed headers and prints its JSON name.
#include <iostream>

#include <solkit/core/json.hpp>
#include <solkit/ops/gqa_paged/definition.hpp>

int main() {
  using decode = solkit::gqa_paged_decode<solkit::gqa_paged_decode_axes{32, 8, 128, 64}>;
  static_assert(decode::name == "gqa_paged_decode_h32_kv8_d128_ps64");
  std::cout << solkit::to_json(decode::spec)["name"].get<std::string>() << "\n";
  return decode::name == "gqa_paged_decode_h32_kv8_d128_ps64" ? 0 : 1;
}
