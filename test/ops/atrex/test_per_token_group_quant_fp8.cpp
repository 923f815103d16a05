// atrex-bench's per_token_group_quant_fp8 as solkit definitions (float8_e4m3fn): names from the
// axes, a valid definition file, hand-computed costs of atrex's smallest and largest shapes, and
// every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/per_token_group_quant_fp8.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/per_token_group_quant_fp8/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_per_token_group_quant_fp8 {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(per_token_group_quant_fp8<per_token_group_quant_fp8_axes{7168, 128}>::name ==
              "per_token_group_quant_fp8_h7168_g128");
static_assert(per_token_group_quant_fp8<per_token_group_quant_fp8_axes{2048, 64}>::name ==
              "per_token_group_quant_fp8_h2048_g64");
static_assert(per_token_group_quant_fp8<per_token_group_quant_fp8_axes{7168, 128}>::spec.const_value(
                  "num_groups") == 56);
static_assert(check_axes(per_token_group_quant_fp8_axes{2048, 100}) ==
              ops::per_token_group_quant_fp8::axis_errors::group_size_not_a_positive_multiple_of_16);
static_assert(check_axes(per_token_group_quant_fp8_axes{2000, 128}) ==
              ops::per_token_group_quant_fp8::axis_errors::hidden_size_not_a_multiple_of_group_size);

TEST_CASE("atrex per_token_group_quant_fp8: the definition file is valid", "[atrex][group_quant]") {
  const definition_spec& spec = per_token_group_quant_fp8<per_token_group_quant_fp8_axes{7168, 128}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) ==
        "definitions/per_token_group_quant_fp8/per_token_group_quant_fp8_h7168_g128.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] ==
        nlohmann::ordered_json::array({"source:atrex-bench", "atrex:per_token_group_quant_fp8"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["outputs"]["quantized"]["dtype"] == "float8_e4m3fn");
  CHECK(json["outputs"]["scales"]["shape"] == nlohmann::ordered_json::array({"token_count", "num_groups"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nHIDDEN_SIZE = 7168\nGROUP_SIZE = 128\nNUM_GROUPS = 56\n") != std::string::npos);
}

TEST_CASE("atrex per_token_group_quant_fp8: costs of a small and a large shape",
          "[atrex][group_quant][cost]") {
  // Shape 10, 1 token of 7168 in groups of 128 (56 groups): read 7168 * 2 = 14336 B; write
  // 7168 fp8 + 56 * 4 = 7392 B; 2 flops per element = 14336; one reciprocal per group = 56.
  const auto small = codegen::per_token_group_quant_fp8_from_atrex(
      {{"group_size", 128}}, {{"token_count", 1}, {"hidden_size", 7168}});
  CHECK(small.spec.name == "per_token_group_quant_fp8_h7168_g128");
  CHECK(small.cost.bytes_read == 14336);
  CHECK(small.cost.bytes_written == 7392);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 14336);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 56);
  // Shape 9, 3087168 tokens of 2048 (16 groups): 6322520064 elements. Read 12645040128 B;
  // write 6322520064 + 3087168 * 16 * 4 = 6520098816 B; 12645040128 flops; 49394688 reciprocals.
  const auto large = codegen::per_token_group_quant_fp8_from_atrex(
      {{"group_size", 128}}, {{"token_count", 3087168}, {"hidden_size", 2048}});
  CHECK(large.cost.bytes_read == 12645040128.0);
  CHECK(large.cost.bytes_written == 6520098816.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 12645040128.0);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 49394688);
}

TEST_CASE("atrex per_token_group_quant_fp8: bad kwargs name the operator and the key",
          "[atrex][group_quant]") {
  CHECK_THROWS_WITH(codegen::per_token_group_quant_fp8_from_atrex(nullptr, {{"token_count", 1}, {"hidden_size", 2048}}),
                    Contains("per_token_group_quant_fp8") && Contains("group_size"));
  CHECK_THROWS_WITH(codegen::per_token_group_quant_fp8_from_atrex({{"group_size", 128}}, {{"hidden_size", 2048}}),
                    Contains("per_token_group_quant_fp8") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::per_token_group_quant_fp8_from_atrex({{"group_size", 128}},
                                                                  {{"token_count", 1}, {"hidden_size", 2000}}),
                    Contains("multiple of group_size"));
}

TEST_CASE("atrex per_token_group_quant_fp8: every atrex shape converts", "[atrex][group_quant]") {
  const nlohmann::json shapes = test::atrex_shapes("per_token_group_quant_fp8");
  CHECK(shapes.size() == 19);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted =
        codegen::per_token_group_quant_fp8_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["hidden_size"];
    const std::int64_t group = shape["init_kwargs"]["group_size"];
    CHECK(check_axes(per_token_group_quant_fp8_axes{hidden, group}) == nullptr);
    CHECK(converted.spec.name ==
          "per_token_group_quant_fp8_h" + std::to_string(hidden) + "_g" + std::to_string(group));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_per_token_group_quant_fp8
