// atrex-bench's rms_norm as solkit definitions: names from the axes, a valid definition file,
// hand-computed costs of atrex's smallest and largest shapes, and every shape of atrex's
// shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/rms_norm.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/rms_norm/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_rms_norm {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(rms_norm<rms_norm_axes{1024}>::name == "rms_norm_h1024");
static_assert(rms_norm<rms_norm_axes{128}>::name == "rms_norm_h128");
static_assert(rms_norm<rms_norm_axes{128}>::op_type == "rms_norm");
static_assert(check_axes(rms_norm_axes{100}) ==
              ops::rms_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8);
static_assert(check_axes(rms_norm_axes{0}) ==
              ops::rms_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8);

TEST_CASE("atrex rms_norm: the definition file is valid", "[atrex][rms_norm]") {
  const definition_spec& spec = rms_norm<rms_norm_axes{7168}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/rms_norm/rms_norm_h7168.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:rms_norm"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["hidden_size"]["value"] == 7168);
  CHECK(json["inputs"].size() == 2);
  CHECK(json["outputs"]["out"]["dtype"] == "bfloat16");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nHIDDEN_SIZE = 7168\n") != std::string::npos);
  CHECK(reference.find("1e-6") != std::string::npos);
}

TEST_CASE("atrex rms_norm: costs of a small and a large shape", "[atrex][rms_norm][cost]") {
  // Shape 15, 3 tokens of 128: 384 elements. Read x 384*2 + weight 128*2 = 1024 B, write 768 B;
  // 4 flops per element = 1536; one rsqrt per row = 3.
  const auto small = codegen::rms_norm_from_atrex({{"eps", 1e-06}}, {{"token_count", 3}, {"hidden_size", 128}});
  CHECK(small.spec.name == "rms_norm_h128");
  CHECK(small.cost.bytes_read == 1024);
  CHECK(small.cost.bytes_written == 768);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 1536);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 3);
  // Shape 27, 505888 tokens of 128: 64753664 elements. Read 64753664*2 + 256 = 129507584 B,
  // write 129507328 B; 4 * 64753664 = 259014656 flops; 505888 rsqrt.
  const auto large =
      codegen::rms_norm_from_atrex({{"eps", 1e-06}}, {{"token_count", 505888}, {"hidden_size", 128}});
  CHECK(large.cost.bytes_read == 129507584);
  CHECK(large.cost.bytes_written == 129507328);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 259014656);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 505888);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 0);
}

TEST_CASE("atrex rms_norm: bad kwargs name the operator and the key", "[atrex][rms_norm]") {
  CHECK_THROWS_WITH(codegen::rms_norm_from_atrex({{"eps", 1e-06}}, {{"hidden_size", 128}}),
                    Contains("rms_norm") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::rms_norm_from_atrex(nullptr, {{"token_count", 1}}),
                    Contains("rms_norm") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::rms_norm_from_atrex({{"eps", 1e-05}}, {{"token_count", 1}, {"hidden_size", 128}}),
                    Contains("rms_norm") && Contains("eps"));
  CHECK_THROWS_WITH(codegen::rms_norm_from_atrex({}, {{"token_count", 1}, {"hidden_size", 100}}),
                    Contains("multiple of 8"));
  // No eps: the reference's default, 1e-6.
  CHECK(codegen::rms_norm_from_atrex({}, {{"token_count", 1}, {"hidden_size", 128}}).spec.name == "rms_norm_h128");
}

TEST_CASE("atrex rms_norm: every atrex shape converts", "[atrex][rms_norm]") {
  const nlohmann::json shapes = test::atrex_shapes("rms_norm");
  CHECK(shapes.size() == 56);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::rms_norm_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["hidden_size"];
    CHECK(check_axes(rms_norm_axes{hidden}) == nullptr);
    CHECK(converted.spec.name == "rms_norm_h" + std::to_string(hidden));
    CHECK(converted.spec.const_value("hidden_size") == hidden);
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::cuda_fp32) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_rms_norm
