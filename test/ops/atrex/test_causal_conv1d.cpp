// atrex-bench's causal_conv1d as solkit definitions: names from the axes, a valid definition file,
// hand-computed costs of atrex's smallest and largest shapes, growth with tokens, and every shape
// of atrex's shapes.json converted.

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/causal_conv1d.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/causal_conv1d/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_causal_conv1d {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
nlohmann::json input(std::int64_t t, std::int64_t dim, std::int64_t width = 4) {
  return {{"token_count", t}, {"dim", dim}, {"width", width}};
}
const nlohmann::json silu = {{"activation", "silu"}};
}  // namespace

static_assert(causal_conv1d<causal_conv1d_axes{4096, 4}>::name == "causal_conv1d_d4096_w4");
static_assert(causal_conv1d<causal_conv1d_axes{8192, 2}>::name == "causal_conv1d_d8192_w2");
static_assert(causal_conv1d<causal_conv1d_axes{4096, 4}>::op_type == "causal_conv1d");
static_assert(causal_conv1d<causal_conv1d_axes{4096, 4}>::spec.const_value("state_len") == 3);
static_assert(causal_conv1d<causal_conv1d_axes{4096, 4}>::spec.const_value("num_sequences") == 1);
static_assert(check_axes(causal_conv1d_axes{0, 4}) == ops::causal_conv1d::axis_errors::dim_not_positive);
static_assert(check_axes(causal_conv1d_axes{4096, 1}) == ops::causal_conv1d::axis_errors::width_not_2_to_5);
static_assert(check_axes(causal_conv1d_axes{4096, 6}) == ops::causal_conv1d::axis_errors::width_not_2_to_5);
static_assert(check_axes(causal_conv1d_axes{4096, 5}) == nullptr);

TEST_CASE("atrex causal_conv1d: the definition file is valid", "[atrex][causal_conv1d]") {
  const definition_spec& spec = causal_conv1d<causal_conv1d_axes{8192, 4}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/causal_conv1d/causal_conv1d_d8192_w4.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:causal_conv1d"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["width"]["value"] == 4);
  CHECK(json["inputs"]["x"]["shape"] == nlohmann::ordered_json::array({"dim", "token_count"}));
  CHECK(json["inputs"]["initial_state"]["shape"] ==
        nlohmann::ordered_json::array({"num_sequences", "dim", "state_len"}));
  CHECK(json["inputs"]["bias"]["dtype"] == "bfloat16");
  CHECK(json["outputs"]["out"]["shape"] == nlohmann::ordered_json::array({"dim", "token_count"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_SEQUENCES = 1\nDIM = 8192\nWIDTH = 4\nSTATE_LEN = 3\n") != std::string::npos);
}

TEST_CASE("atrex causal_conv1d: costs of the smallest and the largest shape", "[atrex][causal_conv1d][cost]") {
  // Shape 0: T 1, dim 4096, width 4. Read x 2*4096 = 8192, taps 2*4096*4 = 32768, bias 8192,
  // state 2*4096*3 = 24576: 73728; written 8192 (both as atrex). CUDA cores (2*4 + 2)*4096 =
  // 40960; SFU 4096.
  const auto small = codegen::causal_conv1d_from_atrex(silu, input(1, 4096));
  CHECK(small.spec.name == "causal_conv1d_d4096_w4");
  CHECK(small.cost.bytes_read == 73728);
  CHECK(small.cost.bytes_written == 8192);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 40960);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 4096);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 0);
  // Shape 8: T 14807, dim 8192: 121298944 outputs. Read 2*121298944 = 242597888 + 65536 + 16384 +
  // 49152 = 242728960; written 242597888 (both as atrex). CUDA cores 10*121298944 = 1212989440;
  // SFU 121298944.
  const auto large = codegen::causal_conv1d_from_atrex(silu, input(14807, 8192));
  CHECK(large.cost.bytes_read == 242728960);
  CHECK(large.cost.bytes_written == 242597888);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 1212989440);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 121298944);
}

TEST_CASE("atrex causal_conv1d: cost grows with tokens, covers the tensors", "[atrex][causal_conv1d][cost]") {
  const causal_conv1d_axes axes{4096, 4};
  roofline::cost previous = cost_of(axes, {1});
  for (std::int64_t t : {2, 128, 4195, 14807}) {
    const roofline::cost c = cost_of(axes, {t});
    CHECK(c.bytes_read > previous.bytes_read);
    CHECK(c.bytes_written > previous.bytes_written);
    CHECK(c.flops_of(execution_unit::cuda_fp32) > previous.flops_of(execution_unit::cuda_fp32));
    CHECK(c.flops_of(execution_unit::sfu) > previous.flops_of(execution_unit::sfu));
    const double outputs = 4096.0 * static_cast<double>(t);
    CHECK(c.bytes_read >= 2 * outputs + 2 * 4096 * (4 + 1 + 3));
    CHECK(c.bytes_written >= 2 * outputs);
    previous = c;
  }
  // A wider convolution does more work per output.
  CHECK(cost_of(causal_conv1d_axes{4096, 5}, {128}).flops_of(execution_unit::cuda_fp32) >
        cost_of(axes, {128}).flops_of(execution_unit::cuda_fp32));
}

TEST_CASE("atrex causal_conv1d: bad kwargs name the operator and the key", "[atrex][causal_conv1d]") {
  for (const char* key : {"token_count", "dim"}) {
    nlohmann::json missing = input(16, 4096);
    missing.erase(key);
    CHECK_THROWS_WITH(codegen::causal_conv1d_from_atrex(silu, missing),
                      Contains("causal_conv1d") && Contains(key));
    nlohmann::json ill_typed = input(16, 4096);
    ill_typed[key] = 2.5;
    CHECK_THROWS_WITH(codegen::causal_conv1d_from_atrex(silu, ill_typed),
                      Contains("causal_conv1d") && Contains(key));
  }
  CHECK_THROWS_WITH(codegen::causal_conv1d_from_atrex(silu, {{"token_count", 4}, {"dim", 64}, {"width", "4"}}),
                    Contains("causal_conv1d") && Contains("width"));
  CHECK_THROWS_WITH(codegen::causal_conv1d_from_atrex(silu, input(16, 4096, 7)),
                    Contains("causal_conv1d") && Contains("width must be 2 to 5"));
  CHECK_THROWS_WITH(codegen::causal_conv1d_from_atrex({{"activation", nullptr}}, input(16, 4096)),
                    Contains("causal_conv1d") && Contains("activation"));
  CHECK_THROWS_WITH(codegen::causal_conv1d_from_atrex({{"activation", "gelu"}}, input(16, 4096)),
                    Contains("causal_conv1d") && Contains("activation"));
  CHECK_THROWS_WITH(codegen::causal_conv1d_from_atrex(nlohmann::json::array(), input(16, 4096)),
                    Contains("causal_conv1d") && Contains("init_kwargs"));
  // "swish" is silu; activation defaults to silu and width to 4, as atrex's reference and inputs.
  CHECK(codegen::causal_conv1d_from_atrex({{"activation", "swish"}}, input(16, 4096)).spec.name ==
        "causal_conv1d_d4096_w4");
  CHECK(codegen::causal_conv1d_from_atrex(nullptr, {{"token_count", 4}, {"dim", 64}}).spec.name ==
        "causal_conv1d_d64_w4");
}

TEST_CASE("atrex causal_conv1d: every atrex shape converts", "[atrex][causal_conv1d]") {
  const nlohmann::json shapes = test::atrex_shapes("causal_conv1d");
  CHECK(shapes.size() == 9);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::causal_conv1d_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    const causal_conv1d_axes axes{in["dim"], in["width"]};
    CHECK(check_axes(axes) == nullptr);
    CHECK(converted.spec.name == describe(axes).name);
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::sfu) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_causal_conv1d
