// atrex-bench's linear_sigmoid_mul as solkit definitions: names from the axes, a valid definition
// file, hand-computed costs of atrex's smallest and largest shapes, growth with tokens, and every
// shape of atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/linear_sigmoid_mul.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/linear_sigmoid_mul/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_linear_sigmoid_mul {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
namespace errors = ops::linear_sigmoid_mul::axis_errors;
nlohmann::json input(std::int64_t t, std::int64_t h, std::int64_t n) {
  return {{"token_count", t}, {"hidden_size", h}, {"out_features", n}};
}
}  // namespace

static_assert(linear_sigmoid_mul<linear_sigmoid_mul_axes{4096, 4096}>::name == "linear_sigmoid_mul_h4096_n4096");
static_assert(linear_sigmoid_mul<linear_sigmoid_mul_axes{2048, 8}>::name == "linear_sigmoid_mul_h2048_n8");
static_assert(linear_sigmoid_mul<linear_sigmoid_mul_axes{2048, 8}>::op_type == "linear_sigmoid_mul");
static_assert(check_axes(linear_sigmoid_mul_axes{2044, 4096}) == errors::hidden_size_not_a_positive_multiple_of_8);
static_assert(check_axes(linear_sigmoid_mul_axes{0, 4096}) == errors::hidden_size_not_a_positive_multiple_of_8);
static_assert(check_axes(linear_sigmoid_mul_axes{2048, 1}) == errors::out_features_not_a_positive_multiple_of_8);
static_assert(check_axes(linear_sigmoid_mul_axes{2048, 4096}) == nullptr);

TEST_CASE("atrex linear_sigmoid_mul: the definition file is valid", "[atrex][linear_sigmoid_mul]") {
  const definition_spec& spec = linear_sigmoid_mul<linear_sigmoid_mul_axes{2048, 4096}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/linear_sigmoid_mul/linear_sigmoid_mul_h2048_n4096.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:linear_sigmoid_mul"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["out_features"]["value"] == 4096);
  CHECK(json["inputs"]["weight"]["shape"] == nlohmann::ordered_json::array({"out_features", "hidden_size"}));
  CHECK(json["inputs"]["bias"]["dtype"] == "bfloat16");
  CHECK(json["outputs"]["out"]["shape"] == nlohmann::ordered_json::array({"token_count", "out_features"}));
  CHECK(json["outputs"]["out"]["dtype"] == "bfloat16");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nHIDDEN_SIZE = 2048\n") != std::string::npos);
  CHECK(reference.find("def run(hidden_states, weight, bias, post_mul_mat):") != std::string::npos);
}

TEST_CASE("atrex linear_sigmoid_mul: costs of the smallest and the largest shape",
          "[atrex][linear_sigmoid_mul][cost]") {
  // Shape 5: T = 1, H = 2048, N = 4096. Read 2*2048 = 4096 (x) + 2*4096*2048 = 16777216 (weight)
  // + 2*4096 = 8192 (bias) + 2*4096 = 8192 (post_mul_mat) = 16797696; write 2*4096 = 8192.
  // bf16 tensor 2*2048*4096 = 16777216; CUDA cores 3*4096 = 12288; sigmoids 4096.
  const auto small = codegen::linear_sigmoid_mul_from_atrex(nullptr, input(1, 2048, 4096));
  CHECK(small.spec.name == "linear_sigmoid_mul_h2048_n4096");
  CHECK(small.cost.bytes_read == 16797696);
  CHECK(small.cost.bytes_written == 8192);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 16777216);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 12288);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 4096);
  // Shape 3: T = 15381, H = N = 4096. Read 2*15381*4096 = 126001152 + 2*4096*4096 = 33554432 +
  // 8192 + 126001152 = 285564928; write 126001152. bf16 tensor 2*15381*4096*4096 = 516100718592;
  // CUDA cores 3*15381*4096 = 189001728; sigmoids 15381*4096 = 63000576.
  const auto large = codegen::linear_sigmoid_mul_from_atrex(nullptr, input(15381, 4096, 4096));
  CHECK(large.cost.bytes_read == 285564928);
  CHECK(large.cost.bytes_written == 126001152);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 516100718592.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 189001728);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 63000576);
  CHECK(large.cost.flops_of(execution_unit::tensor_fp8) == 0);
}

TEST_CASE("atrex linear_sigmoid_mul: growth with tokens, and at least the tensors' size",
          "[atrex][linear_sigmoid_mul][cost]") {
  const linear_sigmoid_mul_axes axes{4096, 4096};
  double previous_bytes = 0, previous_flops = 0;
  for (std::int64_t t : {1, 2, 13, 90, 15381}) {
    const roofline::cost c = cost_of(axes, linear_sigmoid_mul_workload{t});
    CHECK(c.bytes() > previous_bytes);
    CHECK(c.total_flops() > previous_flops);
    const double td = static_cast<double>(t);
    CHECK(c.bytes() >= 2 * td * 4096 + 2 * 4096.0 * 4096 + 2 * 4096 + 2 * td * 4096 + 2 * td * 4096);
    previous_bytes = c.bytes();
    previous_flops = c.total_flops();
  }
}

TEST_CASE("atrex linear_sigmoid_mul: bad kwargs name the operator and the key", "[atrex][linear_sigmoid_mul]") {
  for (const char* key : {"token_count", "hidden_size", "out_features"}) {
    nlohmann::json missing = input(4, 2048, 4096);
    missing.erase(key);
    CHECK_THROWS_WITH(codegen::linear_sigmoid_mul_from_atrex(nullptr, missing),
                      Contains("linear_sigmoid_mul") && Contains(key));
    nlohmann::json negative = input(4, 2048, 4096);
    negative[key] = -1;
    CHECK_THROWS_WITH(codegen::linear_sigmoid_mul_from_atrex(nullptr, negative),
                      Contains("linear_sigmoid_mul") && Contains(key));
  }
  CHECK_THROWS_WITH(codegen::linear_sigmoid_mul_from_atrex(nlohmann::json::array(), input(4, 2048, 4096)),
                    Contains("linear_sigmoid_mul") && Contains("init_kwargs"));
  CHECK_THROWS_WITH(codegen::linear_sigmoid_mul_from_atrex(nullptr, input(4, 2048, 4095)),
                    Contains("linear_sigmoid_mul") && Contains("out_features must be a positive multiple of 8"));
  // atrex writes null for no init arguments; an empty object is the same.
  CHECK(codegen::linear_sigmoid_mul_from_atrex(nlohmann::json::object(), input(4, 2048, 4096)).spec.name ==
        "linear_sigmoid_mul_h2048_n4096");
}

TEST_CASE("atrex linear_sigmoid_mul: every atrex shape converts", "[atrex][linear_sigmoid_mul]") {
  const nlohmann::json shapes = test::atrex_shapes("linear_sigmoid_mul");
  CHECK(shapes.size() == 9);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::linear_sigmoid_mul_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    CHECK(converted.spec.name ==
          "linear_sigmoid_mul_h" + in["hidden_size"].dump() + "_n" + in["out_features"].dump());
    CHECK(problems_of(converted.spec).empty());
    const double t = in["token_count"].get<double>(), n = in["out_features"].get<double>();
    CHECK(converted.cost.flops_of(execution_unit::tensor_bf16) == 2 * t * in["hidden_size"].get<double>() * n);
    CHECK(converted.cost.bytes_written == 2 * t * n);
  }
}

}  // namespace solkit_test_ops_atrex_test_linear_sigmoid_mul
