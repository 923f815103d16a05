// atrex-bench's fused_add_rms_norm as solkit definitions: names from the axes, a valid definition
// file with both outputs, hand-computed costs of a small and a large atrex shape, and every shape
// of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/fused_add_rms_norm.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/fused_add_rms_norm/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_fused_add_rms_norm {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(fused_add_rms_norm<fused_add_rms_norm_axes{2048}>::name == "fused_add_rms_norm_h2048");
static_assert(fused_add_rms_norm<fused_add_rms_norm_axes{7168}>::name == "fused_add_rms_norm_h7168");
static_assert(fused_add_rms_norm<fused_add_rms_norm_axes{7168}>::op_type == "fused_add_rms_norm");
static_assert(check_axes(fused_add_rms_norm_axes{-8}) ==
              ops::fused_add_rms_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8);

TEST_CASE("atrex fused_add_rms_norm: the definition file is valid", "[atrex][fused_add_rms_norm]") {
  const definition_spec& spec = fused_add_rms_norm<fused_add_rms_norm_axes{5120}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/fused_add_rms_norm/fused_add_rms_norm_h5120.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] ==
        nlohmann::ordered_json::array({"source:atrex-bench", "atrex:fused_add_rms_norm"}));
  std::string inputs, outputs;
  for (const auto& [name, tensor] : json["inputs"].items()) inputs += name + " ";
  for (const auto& [name, tensor] : json["outputs"].items()) outputs += name + " ";
  CHECK(inputs == "x residual weight ");
  CHECK(outputs == "out residual_out ");
  CHECK(json["reference"].get<std::string>().find("\nHIDDEN_SIZE = 5120\n") != std::string::npos);
}

TEST_CASE("atrex fused_add_rms_norm: costs of a small and a large shape", "[atrex][fused_add_rms_norm][cost]") {
  // Shape 13, 53 tokens of 7168: 379904 elements. Read x and residual 379904*2*2 + weight
  // 7168*2 = 1533952 B; write out and residual_out 1519616 B; 5 flops per element = 1899520.
  const auto small =
      codegen::fused_add_rms_norm_from_atrex({{"eps", 1e-06}}, {{"token_count", 53}, {"hidden_size", 7168}});
  CHECK(small.spec.name == "fused_add_rms_norm_h7168");
  CHECK(small.cost.bytes_read == 1533952);
  CHECK(small.cost.bytes_written == 1519616);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 1899520);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 53);
  // Shape 0, 24752 tokens of 1280: 31682560 elements. Read 4*31682560 + 2560 = 126732800 B,
  // write 4*31682560 = 126730240 B; 5*31682560 = 158412800 flops; 24752 rsqrt.
  const auto large =
      codegen::fused_add_rms_norm_from_atrex({{"eps", 1e-06}}, {{"token_count", 24752}, {"hidden_size", 1280}});
  CHECK(large.cost.bytes_read == 126732800);
  CHECK(large.cost.bytes_written == 126730240);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 158412800);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 24752);
}

TEST_CASE("atrex fused_add_rms_norm: bad kwargs name the operator and the key", "[atrex][fused_add_rms_norm]") {
  CHECK_THROWS_WITH(codegen::fused_add_rms_norm_from_atrex({{"eps", 1e-06}}, {{"hidden_size", 2048}}),
                    Contains("fused_add_rms_norm") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::fused_add_rms_norm_from_atrex({{"eps", 1e-06}}, {{"token_count", 1}}),
                    Contains("fused_add_rms_norm") && Contains("hidden_size"));
  CHECK_THROWS_WITH(
      codegen::fused_add_rms_norm_from_atrex({{"eps", 1e-05}}, {{"token_count", 1}, {"hidden_size", 2048}}),
      Contains("fused_add_rms_norm") && Contains("eps"));
}

TEST_CASE("atrex fused_add_rms_norm: every atrex shape converts", "[atrex][fused_add_rms_norm]") {
  const nlohmann::json shapes = test::atrex_shapes("fused_add_rms_norm");
  CHECK(shapes.size() == 19);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::fused_add_rms_norm_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["hidden_size"];
    CHECK(check_axes(fused_add_rms_norm_axes{hidden}) == nullptr);
    CHECK(converted.spec.name == "fused_add_rms_norm_h" + std::to_string(hidden));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::cuda_fp32) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_fused_add_rms_norm
