// atrex-bench's fp8_dynamic_per_token_quant as solkit definitions (float8_e4m3fn, not atrex's
// e4m3fnuz): names from the axes, a valid definition file, hand-computed costs of atrex's smallest
// and largest shapes, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/fp8_dynamic_per_token_quant.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/fp8_dynamic_per_token_quant/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_fp8_dynamic_per_token_quant {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(fp8_dynamic_per_token_quant<fp8_dynamic_per_token_quant_axes{2048}>::name ==
              "fp8_dynamic_per_token_quant_h2048");
static_assert(fp8_dynamic_per_token_quant<fp8_dynamic_per_token_quant_axes{7168}>::name ==
              "fp8_dynamic_per_token_quant_h7168");
static_assert(fp8_dynamic_per_token_quant<fp8_dynamic_per_token_quant_axes{7168}>::op_type ==
              "fp8_dynamic_per_token_quant");
static_assert(check_axes(fp8_dynamic_per_token_quant_axes{1000}) ==
              ops::fp8_dynamic_per_token_quant::axis_errors::hidden_size_not_a_positive_multiple_of_16);

TEST_CASE("atrex fp8_dynamic_per_token_quant: the definition file is valid", "[atrex][fp8_quant]") {
  const definition_spec& spec = fp8_dynamic_per_token_quant<fp8_dynamic_per_token_quant_axes{4096}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) ==
        "definitions/fp8_dynamic_per_token_quant/fp8_dynamic_per_token_quant_h4096.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] ==
        nlohmann::ordered_json::array({"source:atrex-bench", "atrex:fp8_dynamic_per_token_quant"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["outputs"]["q"]["dtype"] == "float8_e4m3fn");  // NVIDIA's encoding, not e4m3fnuz
  CHECK(json["outputs"]["scale"]["shape"] == nlohmann::ordered_json::array({"token_count"}));
  const std::string description = json["description"];
  CHECK(description.find("float8_e4m3fnuz") != std::string::npos);  // the deviation is stated
  const std::string reference = json["reference"];
  CHECK(reference.find("\nHIDDEN_SIZE = 4096\n") != std::string::npos);
  CHECK(reference.find("float8_e4m3fn)") != std::string::npos);
}

TEST_CASE("atrex fp8_dynamic_per_token_quant: costs of a small and a large shape",
          "[atrex][fp8_quant][cost]") {
  // Shape 0, 1 token of 2048: read 2048 * 2 = 4096 B; write 2048 fp8 + 4 (scale) = 2052 B;
  // 2 flops per element = 4096; one reciprocal.
  const auto small = codegen::fp8_dynamic_per_token_quant_from_atrex(
      nullptr, {{"token_count", 1}, {"hidden_size", 2048}});
  CHECK(small.spec.name == "fp8_dynamic_per_token_quant_h2048");
  CHECK(small.cost.bytes_read == 4096);
  CHECK(small.cost.bytes_written == 2052);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 4096);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 1);
  // Shape 8, 45568 tokens of 2048: 93323264 elements. Read 186646528 B; write 93323264 +
  // 45568 * 4 = 93505536 B; 186646528 flops; 45568 reciprocals.
  const auto large = codegen::fp8_dynamic_per_token_quant_from_atrex(
      nullptr, {{"token_count", 45568}, {"hidden_size", 2048}});
  CHECK(large.cost.bytes_read == 186646528);
  CHECK(large.cost.bytes_written == 93505536);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 186646528);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 45568);
  CHECK(large.cost.flops_of(execution_unit::tensor_fp8) == 0);
}

TEST_CASE("atrex fp8_dynamic_per_token_quant: bad kwargs name the operator and the key",
          "[atrex][fp8_quant]") {
  CHECK_THROWS_WITH(codegen::fp8_dynamic_per_token_quant_from_atrex(nullptr, {{"hidden_size", 2048}}),
                    Contains("fp8_dynamic_per_token_quant") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::fp8_dynamic_per_token_quant_from_atrex(nullptr, {{"token_count", 1}}),
                    Contains("fp8_dynamic_per_token_quant") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::fp8_dynamic_per_token_quant_from_atrex(
                        nullptr, {{"token_count", 1}, {"hidden_size", 1000}}),
                    Contains("multiple of 16"));
}

TEST_CASE("atrex fp8_dynamic_per_token_quant: every atrex shape converts", "[atrex][fp8_quant]") {
  const nlohmann::json shapes = test::atrex_shapes("fp8_dynamic_per_token_quant");
  CHECK(shapes.size() == 20);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted =
        codegen::fp8_dynamic_per_token_quant_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["hidden_size"];
    CHECK(check_axes(fp8_dynamic_per_token_quant_axes{hidden}) == nullptr);
    CHECK(converted.spec.name == "fp8_dynamic_per_token_quant_h" + std::to_string(hidden));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_fp8_dynamic_per_token_quant
