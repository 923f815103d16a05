// atrex-bench's l2_norm as solkit definitions: names from the axes, a valid definition file,
// hand-computed costs of atrex's smallest and largest shapes, and every shape of atrex's
// shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/l2_norm.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/l2_norm/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_l2_norm {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(l2_norm<l2_norm_axes{2048}>::name == "l2_norm_h2048");
static_assert(l2_norm<l2_norm_axes{128}>::name == "l2_norm_h128");
static_assert(l2_norm<l2_norm_axes{128}>::op_type == "l2_norm");
static_assert(check_axes(l2_norm_axes{4}) == ops::l2_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8);

TEST_CASE("atrex l2_norm: the definition file is valid", "[atrex][l2_norm]") {
  const definition_spec& spec = l2_norm<l2_norm_axes{2048}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/l2_norm/l2_norm_h2048.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["inputs"].size() == 1);
  CHECK(json["inputs"]["x"]["shape"] == nlohmann::ordered_json::array({"num_tokens", "hidden_size"}));
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:l2_norm"}));
}

TEST_CASE("atrex l2_norm: costs of a small and a large shape", "[atrex][l2_norm][cost]") {
  // Shape 0, 1 token of 2048: read 4096 B, write 4096 B; 3 flops per element = 6144; 1 rsqrt.
  const auto small =
      codegen::l2_norm_from_atrex({{"hidden_size", 2048}}, {{"num_tokens", 1}, {"hidden_size", 2048}});
  CHECK(small.spec.name == "l2_norm_h2048");
  CHECK(small.cost.bytes_read == 4096);
  CHECK(small.cost.bytes_written == 4096);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 6144);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 1);
  // Shape 12, 131072 tokens of 2048: 268435456 elements. Read and write 536870912 B each;
  // 3*268435456 = 805306368 flops; 131072 rsqrt.
  const auto large =
      codegen::l2_norm_from_atrex({{"hidden_size", 2048}}, {{"num_tokens", 131072}, {"hidden_size", 2048}});
  CHECK(large.cost.bytes_read == 536870912);
  CHECK(large.cost.bytes_written == 536870912);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 805306368);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 131072);
}

TEST_CASE("atrex l2_norm: bad kwargs name the operator and the key", "[atrex][l2_norm]") {
  CHECK_THROWS_WITH(codegen::l2_norm_from_atrex({{"hidden_size", 2048}}, {{"hidden_size", 2048}}),
                    Contains("l2_norm") && Contains("num_tokens"));
  CHECK_THROWS_WITH(codegen::l2_norm_from_atrex(nullptr, {{"num_tokens", 1}, {"hidden_size", 2048}}),
                    Contains("l2_norm") && Contains("init_kwargs") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::l2_norm_from_atrex({{"hidden_size", 1024}}, {{"num_tokens", 1}, {"hidden_size", 2048}}),
                    Contains("l2_norm") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::l2_norm_from_atrex({{"hidden_size", 2048}},
                                                {{"num_tokens", 1}, {"hidden_size", 2048}, {"dtype", "float16"}}),
                    Contains("l2_norm") && Contains("dtype"));
}

TEST_CASE("atrex l2_norm: every atrex shape converts", "[atrex][l2_norm]") {
  const nlohmann::json shapes = test::atrex_shapes("l2_norm");
  CHECK(shapes.size() == 13);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::l2_norm_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["hidden_size"];
    CHECK(check_axes(l2_norm_axes{hidden}) == nullptr);
    CHECK(converted.spec.name == "l2_norm_h" + std::to_string(hidden));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::cuda_fp32) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_l2_norm
