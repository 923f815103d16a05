// atrex-bench's fused_moe as solkit definitions: names from the axes, a valid definition file,
// hand-computed costs of atrex's smallest and largest shapes, the expected active experts, and
// every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/fused_moe.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/fused_moe/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_fused_moe {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
constexpr fused_moe_axes qwen3_30b{128, 8, 2048, 768};
namespace errors = ops::fused_moe::axis_errors;

nlohmann::json init(std::int64_t e, std::int64_t i, std::int64_t k) {
  return {{"num_experts", e}, {"intermediate_size", i}, {"top_k", k}};
}
nlohmann::json input(std::int64_t t, std::int64_t h, std::int64_t i, std::int64_t e, std::int64_t k) {
  return {{"token_count", t}, {"hidden_size", h}, {"intermediate_size", i}, {"num_experts", e}, {"top_k", k}};
}
}  // namespace

static_assert(fused_moe<qwen3_30b>::name == "fused_moe_e128_topk8_h2048_i768");
static_assert(fused_moe<fused_moe_axes{8, 2, 4096, 4096}>::name == "fused_moe_e8_topk2_h4096_i4096");
static_assert(fused_moe<qwen3_30b>::op_type == "fused_moe");
static_assert(fused_moe<qwen3_30b>::spec.const_value("gate_up_size") == 1536);
static_assert(check_axes(fused_moe_axes{0, 1, 2048, 768}) == errors::num_experts_not_positive);
static_assert(check_axes(fused_moe_axes{8, 9, 2048, 768}) == errors::top_k_not_in_1_to_num_experts);
static_assert(check_axes(fused_moe_axes{8, 0, 2048, 768}) == errors::top_k_not_in_1_to_num_experts);
static_assert(check_axes(fused_moe_axes{8, 2, 2044, 768}) == errors::hidden_size_not_a_positive_multiple_of_8);
static_assert(check_axes(fused_moe_axes{8, 2, 2048, 0}) == errors::intermediate_size_not_a_positive_multiple_of_8);
static_assert(check_axes(fused_moe_axes{8, 8, 2048, 768}) == nullptr);

TEST_CASE("atrex fused_moe: the definition file is valid", "[atrex][fused_moe]") {
  const definition_spec& spec = fused_moe<qwen3_30b>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/fused_moe/fused_moe_e128_topk8_h2048_i768.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:fused_moe"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["gate_up_size"]["value"] == 1536);
  CHECK(json["inputs"]["w1"]["shape"] ==
        nlohmann::ordered_json::array({"num_experts", "gate_up_size", "hidden_size"}));
  CHECK(json["inputs"]["w2"]["dtype"] == "bfloat16");
  CHECK(json["inputs"]["topk_ids"]["dtype"] == "int32");
  CHECK(json["inputs"]["topk_weights"]["dtype"] == "float32");
  CHECK(json["outputs"]["out"]["dtype"] == "float32");
  CHECK(json["outputs"]["out"]["shape"] == nlohmann::ordered_json::array({"token_count", "hidden_size"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_EXPERTS = 128\n") != std::string::npos);
  CHECK(reference.find("\nTOP_K = 8\n") != std::string::npos);
  CHECK(reference.find("def run(hidden_states, w1, w2, topk_weights, topk_ids):") != std::string::npos);
}

TEST_CASE("atrex fused_moe: costs of the smallest and the largest shape", "[atrex][fused_moe][cost]") {
  // Shape 8: T = 1, H = 2048, I = 768, E = 128, k = 8. E_act = 128 (1 - (1 - 8/128)^1) = 8.
  // Read 2*1*2048 = 4096 (x) + 8*1*8 = 64 (ids, weights) + 8 * 6*2048*768 = 75497472 (weights)
  // = 75501632; write 4*2048 = 8192. 8 pairs: tensor 8 * 6*2048*768 = 75497472,
  // CUDA cores 8 * (3*768 + 2*2048) = 51200, sigmoids 8 * 768 = 6144.
  const auto small = codegen::fused_moe_from_atrex(init(128, 768, 8), input(1, 2048, 768, 128, 8));
  CHECK(small.spec.name == "fused_moe_e128_topk8_h2048_i768");
  CHECK(small.cost.bytes_read == 75501632);
  CHECK(small.cost.bytes_written == 8192);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 75497472);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 51200);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 6144);
  CHECK(small.cost.flops_of(execution_unit::tensor_fp8) == 0);
  // Shape 14: T = 45936, same experts; 0.9375^45936 underflows, E_act = 128; 367488 pairs.
  // Read 2*45936*2048 = 188153856 + 8*45936*8 = 2939904 + 128*6*2048*768 = 1207959552
  // = 1399053312; write 4*45936*2048 = 376307712. Tensor 367488*6*2048*768 = 3468051873792;
  // CUDA cores 367488 * 6400 = 2351923200; sigmoids 367488 * 768 = 282230784.
  const auto large = codegen::fused_moe_from_atrex(init(128, 768, 8), input(45936, 2048, 768, 128, 8));
  CHECK(large.cost.bytes_read == 1399053312);
  CHECK(large.cost.bytes_written == 376307712);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 3468051873792.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 2351923200);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 282230784);
}

TEST_CASE("atrex fused_moe: active experts and growth with tokens", "[atrex][fused_moe][cost]") {
  // 4 tokens, E = 8, k = 2: 8 (1 - 0.75^4) = 8 * 0.68359375 = 5.46875 experts' weights.
  const fused_moe_axes mixtral{8, 2, 4096, 4096};
  const double weights_per_expert = 6.0 * 4096 * 4096;
  const roofline::cost four = cost_of(mixtral, fused_moe_workload{4});
  CHECK(four.bytes_read == Approx(2 * 4 * 4096 + 8 * 4 * 2 + 5.46875 * weights_per_expert).epsilon(1e-12));
  double previous_bytes = 0, previous_flops = 0;
  for (std::int64_t t : {1, 2, 3, 10, 100, 1000, 100000}) {
    const roofline::cost c = cost_of(mixtral, fused_moe_workload{t});
    CHECK(c.bytes() > previous_bytes);
    CHECK(c.total_flops() > previous_flops);
    // Unavoidable: x, ids, weights, out, and at least k (distinct) experts' weights.
    const double t_ = static_cast<double>(t);
    CHECK(c.bytes() >= 2 * t_ * 4096 + 8 * t_ * 2 + 4 * t_ * 4096 + 2 * weights_per_expert);
    CHECK(c.bytes() <= 2 * t_ * 4096 + 8 * t_ * 2 + 4 * t_ * 4096 + 8 * weights_per_expert);
    previous_bytes = c.bytes();
    previous_flops = c.total_flops();
  }
}

TEST_CASE("atrex fused_moe: bad kwargs name the operator and the key", "[atrex][fused_moe]") {
  CHECK_THROWS_WITH(codegen::fused_moe_from_atrex(nullptr, input(4, 2048, 768, 128, 8)),
                    Contains("fused_moe") && Contains("num_experts"));
  nlohmann::json no_tokens = input(4, 2048, 768, 128, 8);
  no_tokens.erase("token_count");
  CHECK_THROWS_WITH(codegen::fused_moe_from_atrex(init(128, 768, 8), no_tokens),
                    Contains("fused_moe") && Contains("token_count"));
  nlohmann::json text_h = input(4, 2048, 768, 128, 8);
  text_h["hidden_size"] = "2048";
  CHECK_THROWS_WITH(codegen::fused_moe_from_atrex(init(128, 768, 8), text_h),
                    Contains("fused_moe") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::fused_moe_from_atrex(init(128, 768, 8), input(4, 2048, 768, 128, 4)),
                    Contains("fused_moe") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::fused_moe_from_atrex(init(128, 768, 8), input(4, 2048, 384, 128, 8)),
                    Contains("fused_moe") && Contains("intermediate_size"));
  CHECK_THROWS_WITH(codegen::fused_moe_from_atrex(init(8, 768, 9), input(4, 2048, 768, 8, 9)),
                    Contains("fused_moe") && Contains("top_k must be in [1, num_experts]"));
}

TEST_CASE("atrex fused_moe: every atrex shape converts", "[atrex][fused_moe]") {
  const nlohmann::json shapes = test::atrex_shapes("fused_moe");
  CHECK(shapes.size() == 23);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::fused_moe_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    CHECK(converted.spec.name == "fused_moe_e" + in["num_experts"].dump() + "_topk" + in["top_k"].dump() +
                                     "_h" + in["hidden_size"].dump() + "_i" + in["intermediate_size"].dump());
    CHECK(problems_of(converted.spec).empty());
    const double pairs = in["token_count"].get<double>() * in["top_k"].get<double>();
    CHECK(converted.cost.flops_of(execution_unit::tensor_bf16) ==
          pairs * 6 * in["hidden_size"].get<double>() * in["intermediate_size"].get<double>());
    CHECK(converted.cost.bytes_written == 4 * in["token_count"].get<double>() * in["hidden_size"].get<double>());
  }
}

}  // namespace solkit_test_ops_atrex_test_fused_moe
