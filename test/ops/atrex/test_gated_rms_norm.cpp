// atrex-bench's gated_rms_norm as solkit definitions: names from the axes, a valid definition file,
// hand-computed costs of atrex's smallest and largest shapes, the modes the definition does not
// compute rejected, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/gated_rms_norm.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/gated_rms_norm/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_gated_rms_norm {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(gated_rms_norm<gated_rms_norm_axes{128}>::name == "gated_rms_norm_h128");
static_assert(gated_rms_norm<gated_rms_norm_axes{256}>::name == "gated_rms_norm_h256");
static_assert(gated_rms_norm<gated_rms_norm_axes{128}>::op_type == "gated_rms_norm");
static_assert(check_axes(gated_rms_norm_axes{129}) ==
              ops::gated_rms_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8);

namespace {
const nlohmann::json atrex_init = {{"eps", 1e-06}, {"norm_before_gate", true}, {"activation", "silu"}};
}  // namespace

TEST_CASE("atrex gated_rms_norm: the definition file is valid", "[atrex][gated_rms_norm]") {
  const definition_spec& spec = gated_rms_norm<gated_rms_norm_axes{128}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/gated_rms_norm/gated_rms_norm_h128.json");
  const nlohmann::ordered_json json = to_json(spec);
  std::string inputs;
  for (const auto& [name, tensor] : json["inputs"].items()) inputs += name + " ";
  CHECK(inputs == "x weight z ");
  CHECK(json["axes"]["rows"]["type"] == "var");
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:gated_rms_norm"}));
}

TEST_CASE("atrex gated_rms_norm: costs of a small and a large shape", "[atrex][gated_rms_norm][cost]") {
  // Shape 6, 134240 rows of 128: 17182720 elements. Read x and z 4*17182720 + weight 256 =
  // 68731136 B; write 2*17182720 = 34365440 B; 6 flops per element = 103096320; SFU: a sigmoid
  // per element and an rsqrt per row, 17182720 + 134240 = 17316960.
  const auto small = codegen::gated_rms_norm_from_atrex(atrex_init, {{"rows", 134240}, {"hidden_size", 128}});
  CHECK(small.spec.name == "gated_rms_norm_h128");
  CHECK(small.cost.bytes_read == 68731136);
  CHECK(small.cost.bytes_written == 34365440);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 103096320);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 17316960);
  // Shape 0, 352864 rows of 128: 45166592 elements. Read 4*45166592 + 256 = 180666624 B, write
  // 90333184 B; 6*45166592 = 270999552 flops; SFU 45166592 + 352864 = 45519456.
  const auto large = codegen::gated_rms_norm_from_atrex(atrex_init, {{"rows", 352864}, {"hidden_size", 128}});
  CHECK(large.cost.bytes_read == 180666624);
  CHECK(large.cost.bytes_written == 90333184);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 270999552);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 45519456);
}

TEST_CASE("atrex gated_rms_norm: bad kwargs name the operator and the key", "[atrex][gated_rms_norm]") {
  const nlohmann::json input = {{"rows", 4}, {"hidden_size", 128}};
  CHECK_THROWS_WITH(codegen::gated_rms_norm_from_atrex(atrex_init, {{"hidden_size", 128}}),
                    Contains("gated_rms_norm") && Contains("rows"));
  CHECK_THROWS_WITH(codegen::gated_rms_norm_from_atrex(atrex_init, {{"rows", 4}}),
                    Contains("gated_rms_norm") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::gated_rms_norm_from_atrex({{"norm_before_gate", false}}, input),
                    Contains("gated_rms_norm") && Contains("norm_before_gate"));
  CHECK_THROWS_WITH(codegen::gated_rms_norm_from_atrex({{"activation", "sigmoid"}}, input),
                    Contains("gated_rms_norm") && Contains("activation"));
  CHECK_THROWS_WITH(codegen::gated_rms_norm_from_atrex({{"eps", 1e-05}}, input),
                    Contains("gated_rms_norm") && Contains("eps"));
  // The reference's defaults are the definition's.
  CHECK(codegen::gated_rms_norm_from_atrex(nullptr, input).spec.name == "gated_rms_norm_h128");
  CHECK(codegen::gated_rms_norm_from_atrex({{"activation", "swish"}}, input).spec.name == "gated_rms_norm_h128");
}

TEST_CASE("atrex gated_rms_norm: every atrex shape converts", "[atrex][gated_rms_norm]") {
  const nlohmann::json shapes = test::atrex_shapes("gated_rms_norm");
  CHECK(shapes.size() == 7);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::gated_rms_norm_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["hidden_size"];
    CHECK(check_axes(gated_rms_norm_axes{hidden}) == nullptr);
    CHECK(converted.spec.name == "gated_rms_norm_h" + std::to_string(hidden));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::sfu) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_gated_rms_norm
