// atrex-bench's silu_and_mul as solkit definitions: names from the axes, a valid definition file,
// hand-computed costs of atrex's smallest and largest shapes, and every shape of atrex's
// shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/silu_and_mul.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/silu_and_mul/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_silu_and_mul {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(silu_and_mul<silu_and_mul_axes{768}>::name == "silu_and_mul_d768");
static_assert(silu_and_mul<silu_and_mul_axes{14336}>::name == "silu_and_mul_d14336");
static_assert(silu_and_mul<silu_and_mul_axes{768}>::op_type == "silu_and_mul");
static_assert(silu_and_mul<silu_and_mul_axes{768}>::spec.const_value("gate_up_size") == 1536);
static_assert(check_axes(silu_and_mul_axes{100}) ==
              ops::silu_and_mul::axis_errors::intermediate_size_not_a_positive_multiple_of_8);
static_assert(check_axes(silu_and_mul_axes{0}) ==
              ops::silu_and_mul::axis_errors::intermediate_size_not_a_positive_multiple_of_8);

TEST_CASE("atrex silu_and_mul: the definition file is valid", "[atrex][silu_and_mul]") {
  const definition_spec& spec = silu_and_mul<silu_and_mul_axes{4096}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/silu_and_mul/silu_and_mul_d4096.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:silu_and_mul"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["gate_up_size"]["value"] == 8192);
  CHECK(json["inputs"]["x"]["shape"] == nlohmann::ordered_json::array({"token_count", "gate_up_size"}));
  CHECK(json["outputs"]["out"]["shape"] == nlohmann::ordered_json::array({"token_count", "intermediate_size"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nINTERMEDIATE_SIZE = 4096\n") != std::string::npos);
  CHECK(reference.find("\nGATE_UP_SIZE = 8192\n") != std::string::npos);
}

TEST_CASE("atrex silu_and_mul: costs of a small and a large shape", "[atrex][silu_and_mul][cost]") {
  // Shape 0, [1, 1536]: d = 768, 768 outputs. Read 1536 * 2 = 3072 B, write 768 * 2 = 1536 B;
  // 3 CUDA-core flops and 1 sigmoid per output: 2304 and 768.
  const auto small = codegen::silu_and_mul_from_atrex(nullptr, {{"shape", {1, 1536}}});
  CHECK(small.spec.name == "silu_and_mul_d768");
  CHECK(small.cost.bytes_read == 3072);
  CHECK(small.cost.bytes_written == 1536);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 2304);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 768);
  // Shape 8, [175680, 1536]: 175680 * 768 = 134922240 outputs. Read 4 B each = 539688960,
  // write 2 B each = 269844480; 3 * 134922240 = 404766720 flops; 134922240 sigmoids.
  const auto large = codegen::silu_and_mul_from_atrex(nullptr, {{"shape", {175680, 1536}}});
  CHECK(large.cost.bytes_read == 539688960);
  CHECK(large.cost.bytes_written == 269844480);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 404766720);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 134922240);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 0);
}

TEST_CASE("atrex silu_and_mul: bad kwargs name the operator and the key", "[atrex][silu_and_mul]") {
  CHECK_THROWS_WITH(codegen::silu_and_mul_from_atrex(nullptr, nlohmann::json::object()),
                    Contains("silu_and_mul") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::silu_and_mul_from_atrex(nullptr, {{"shape", {4, 1535}}}),
                    Contains("silu_and_mul") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::silu_and_mul_from_atrex(nullptr, {{"shape", {4, 100}}}),
                    Contains("multiple of 8"));
  // Leading dimensions are all token rows.
  const auto rows = codegen::silu_and_mul_from_atrex(nullptr, {{"shape", {2, 3, 16}}});
  CHECK(rows.spec.name == "silu_and_mul_d8");
  CHECK(rows.cost.bytes_written == 2 * 3 * 8 * 2);
}

TEST_CASE("atrex silu_and_mul: every atrex shape converts", "[atrex][silu_and_mul]") {
  const nlohmann::json shapes = test::atrex_shapes("silu_and_mul");
  CHECK(shapes.size() == 37);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::silu_and_mul_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t width = shape["input_kwargs"]["shape"].back();
    CHECK(check_axes(silu_and_mul_axes{width / 2}) == nullptr);
    CHECK(converted.spec.name == "silu_and_mul_d" + std::to_string(width / 2));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::sfu) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_silu_and_mul
