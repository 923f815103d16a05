// atrex-bench's fused_rmsnorm_quant as solkit definitions (float8_e4m3fn, not atrex's e4m3fnuz):
// names from the axes, a valid definition file, hand-computed costs of atrex's smallest and largest
// shapes, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/fused_rmsnorm_quant.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/fused_rmsnorm_quant/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_fused_rmsnorm_quant {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(fused_rmsnorm_quant<fused_rmsnorm_quant_axes{2048}>::name == "fused_rmsnorm_quant_h2048");
static_assert(fused_rmsnorm_quant<fused_rmsnorm_quant_axes{4096}>::name == "fused_rmsnorm_quant_h4096");
static_assert(fused_rmsnorm_quant<fused_rmsnorm_quant_axes{4096}>::op_type == "fused_rmsnorm_quant");
static_assert(check_axes(fused_rmsnorm_quant_axes{-16}) ==
              ops::fused_rmsnorm_quant::axis_errors::hidden_size_not_a_positive_multiple_of_16);

TEST_CASE("atrex fused_rmsnorm_quant: the definition file is valid", "[atrex][fused_rmsnorm_quant]") {
  const definition_spec& spec = fused_rmsnorm_quant<fused_rmsnorm_quant_axes{2048}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/fused_rmsnorm_quant/fused_rmsnorm_quant_h2048.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:fused_rmsnorm_quant"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["inputs"].size() == 3);
  CHECK(json["outputs"]["quantized"]["dtype"] == "float8_e4m3fn");
  CHECK(json["outputs"]["scale"]["dtype"] == "float32");
  CHECK(json["outputs"]["residual_out"]["dtype"] == "bfloat16");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nHIDDEN_SIZE = 2048\n") != std::string::npos);
  CHECK(reference.find("1e-5") != std::string::npos);
}

TEST_CASE("atrex fused_rmsnorm_quant: costs of a small and a large shape",
          "[atrex][fused_rmsnorm_quant][cost]") {
  // Shape 0, 117 tokens of 2048: 239616 elements. Read x and residual 239616 * 4 + weight 4096
  // = 962560 B; write fp8 239616 + scales 117 * 4 + residual_out 239616 * 2 = 719316 B;
  // 7 flops per element = 1677312; an rsqrt and a reciprocal per row = 234.
  const auto small =
      codegen::fused_rmsnorm_quant_from_atrex(nullptr, {{"token_count", 117}, {"hidden_size", 2048}});
  CHECK(small.spec.name == "fused_rmsnorm_quant_h2048");
  CHECK(small.cost.bytes_read == 962560);
  CHECK(small.cost.bytes_written == 719316);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 1677312);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 234);
  // Shape 5, 26080 tokens of 2048: 53411840 elements. Read 53411840 * 4 + 4096 = 213651456 B;
  // write 53411840 * 3 + 26080 * 4 = 160339840 B; 373882880 flops; 52160 SFU operations.
  const auto large =
      codegen::fused_rmsnorm_quant_from_atrex(nullptr, {{"token_count", 26080}, {"hidden_size", 2048}});
  CHECK(large.cost.bytes_read == 213651456);
  CHECK(large.cost.bytes_written == 160339840);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 373882880);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 52160);
}

TEST_CASE("atrex fused_rmsnorm_quant: bad kwargs name the operator and the key", "[atrex][fused_rmsnorm_quant]") {
  CHECK_THROWS_WITH(codegen::fused_rmsnorm_quant_from_atrex(nullptr, {{"hidden_size", 2048}}),
                    Contains("fused_rmsnorm_quant") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::fused_rmsnorm_quant_from_atrex(nullptr, {{"token_count", 2}}),
                    Contains("fused_rmsnorm_quant") && Contains("hidden_size"));
  CHECK_THROWS_WITH(
      codegen::fused_rmsnorm_quant_from_atrex({{"eps", 1e-6}}, {{"token_count", 2}, {"hidden_size", 2048}}),
      Contains("fused_rmsnorm_quant") && Contains("eps"));
  CHECK(codegen::fused_rmsnorm_quant_from_atrex({{"eps", 1e-5}}, {{"token_count", 2}, {"hidden_size", 2048}})
            .spec.name == "fused_rmsnorm_quant_h2048");
}

TEST_CASE("atrex fused_rmsnorm_quant: every atrex shape converts", "[atrex][fused_rmsnorm_quant]") {
  const nlohmann::json shapes = test::atrex_shapes("fused_rmsnorm_quant");
  CHECK(shapes.size() == 11);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::fused_rmsnorm_quant_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["hidden_size"];
    CHECK(check_axes(fused_rmsnorm_quant_axes{hidden}) == nullptr);
    CHECK(converted.spec.name == "fused_rmsnorm_quant_h" + std::to_string(hidden));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_fused_rmsnorm_quant
