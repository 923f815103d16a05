// atrex-bench's layer_norm as solkit definitions: names from the axes, a valid definition file,
// atrex's [N, 1, H] shapes flattened to N rows, hand-computed costs of the smallest and the largest
// atrex shape, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/layer_norm.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/layer_norm/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_layer_norm {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(layer_norm<layer_norm_axes{1152}>::name == "layer_norm_h1152");
static_assert(layer_norm<layer_norm_axes{2048}>::name == "layer_norm_h2048");
static_assert(layer_norm<layer_norm_axes{2048}>::op_type == "layer_norm");
static_assert(check_axes(layer_norm_axes{1150}) ==
              ops::layer_norm::axis_errors::hidden_size_not_a_positive_multiple_of_8);

namespace {
nlohmann::json shape_of(std::initializer_list<std::int64_t> dims) {
  return {{"shape", std::vector<std::int64_t>(dims)}};
}
}  // namespace

TEST_CASE("atrex layer_norm: the definition file is valid", "[atrex][layer_norm]") {
  const definition_spec& spec = layer_norm<layer_norm_axes{1152}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/layer_norm/layer_norm_h1152.json");
  const nlohmann::ordered_json json = to_json(spec);
  std::string inputs;
  for (const auto& [name, tensor] : json["inputs"].items()) inputs += name + " ";
  CHECK(inputs == "x weight bias ");
  CHECK(json["reference"].get<std::string>().find("1e-5") != std::string::npos);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:layer_norm"}));
}

TEST_CASE("atrex layer_norm: costs of a small and a large shape", "[atrex][layer_norm][cost]") {
  // Shape 10, [1, 2048]: 1 row. Read x 4096 + weight and bias 2*2048*2 = 12288 B, write 4096 B;
  // 7 flops per element = 14336; 1 rsqrt. atrex's init_kwargs are null.
  const auto small = codegen::layer_norm_from_atrex(nullptr, shape_of({1, 2048}));
  CHECK(small.spec.name == "layer_norm_h2048");
  CHECK(small.cost.bytes_read == 12288);
  CHECK(small.cost.bytes_written == 4096);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 14336);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 1);
  // Shape 9, [91192, 2048]: 186761216 elements. Read 2*186761216 + 8192 = 373530624 B, write
  // 373522432 B; 7*186761216 = 1307328512 flops; 91192 rsqrt.
  const auto large = codegen::layer_norm_from_atrex(nullptr, shape_of({91192, 2048}));
  CHECK(large.cost.bytes_read == 373530624);
  CHECK(large.cost.bytes_written == 373522432);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 1307328512);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 91192);
  // Shape 0, [276, 1, 1152]: 276 rows of 1152 = 317952 elements. Read 635904 + 4608 = 640512 B.
  const auto vit = codegen::layer_norm_from_atrex(nullptr, shape_of({276, 1, 1152}));
  CHECK(vit.spec.name == "layer_norm_h1152");
  CHECK(vit.cost.bytes_read == 640512);
  CHECK(vit.cost.flops_of(execution_unit::sfu) == 276);
}

TEST_CASE("atrex layer_norm: bad kwargs name the operator and the key", "[atrex][layer_norm]") {
  CHECK_THROWS_WITH(codegen::layer_norm_from_atrex(nullptr, nlohmann::json::object()),
                    Contains("layer_norm") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::layer_norm_from_atrex(nullptr, shape_of({})), Contains("layer_norm") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::layer_norm_from_atrex(nullptr, shape_of({4, 0, 1152})),
                    Contains("layer_norm") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::layer_norm_from_atrex({{"eps", 1e-06}}, shape_of({4, 1152})),
                    Contains("layer_norm") && Contains("eps"));
  // A 1-d x is one row.
  CHECK(codegen::layer_norm_from_atrex(nullptr, shape_of({4096})).cost.flops_of(execution_unit::sfu) == 1);
}

TEST_CASE("atrex layer_norm: every atrex shape converts", "[atrex][layer_norm]") {
  const nlohmann::json shapes = test::atrex_shapes("layer_norm");
  CHECK(shapes.size() == 13);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::layer_norm_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t hidden = shape["input_kwargs"]["shape"].back();
    CHECK(check_axes(layer_norm_axes{hidden}) == nullptr);
    CHECK(converted.spec.name == "layer_norm_h" + std::to_string(hidden));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::cuda_fp32) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_layer_norm
