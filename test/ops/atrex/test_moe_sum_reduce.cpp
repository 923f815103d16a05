// atrex-bench's moe_sum_reduce as solkit definitions (routed_scaling_factor a scalar input):
// names from the axes, a valid definition file, hand-computed costs of atrex's smallest and
// largest shapes, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/moe_sum_reduce.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/moe_sum_reduce/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_moe_sum_reduce {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(moe_sum_reduce<moe_sum_reduce_axes{8, 2048}>::name == "moe_sum_reduce_topk8_h2048");
static_assert(moe_sum_reduce<moe_sum_reduce_axes{6, 7168}>::name == "moe_sum_reduce_topk6_h7168");
static_assert(moe_sum_reduce<moe_sum_reduce_axes{8, 2048}>::op_type == "moe_sum_reduce");
static_assert(check_axes(moe_sum_reduce_axes{0, 2048}) == ops::moe_sum_reduce::axis_errors::top_k_not_positive);
static_assert(check_axes(moe_sum_reduce_axes{8, 2044}) ==
              ops::moe_sum_reduce::axis_errors::hidden_size_not_a_positive_multiple_of_8);
static_assert(check_axes(moe_sum_reduce_axes{8, 0}) ==
              ops::moe_sum_reduce::axis_errors::hidden_size_not_a_positive_multiple_of_8);

TEST_CASE("atrex moe_sum_reduce: the definition file is valid", "[atrex][moe_sum_reduce]") {
  const definition_spec& spec = moe_sum_reduce<moe_sum_reduce_axes{8, 2048}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/moe_sum_reduce/moe_sum_reduce_topk8_h2048.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:moe_sum_reduce"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["inputs"]["expert_outputs"]["shape"] ==
        nlohmann::ordered_json::array({"token_count", "top_k", "hidden_size"}));
  CHECK(json["inputs"]["routed_scaling_factor"]["shape"].is_null());
  CHECK(json["inputs"]["routed_scaling_factor"]["dtype"] == "float32");
  CHECK(json["outputs"]["out"]["dtype"] == "bfloat16");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nTOP_K = 8\nHIDDEN_SIZE = 2048\n") != std::string::npos);
  CHECK(reference.find("def run(expert_outputs, routed_scaling_factor):") != std::string::npos);
}

TEST_CASE("atrex moe_sum_reduce: costs of a small and a large shape", "[atrex][moe_sum_reduce][cost]") {
  const nlohmann::json init = {{"routed_scaling_factor", 1.0}};
  // Shape 6, 4195 tokens, top 8, H 2048: 4195 * 2048 = 8591360 outputs. Read 2 * 8 * 8591360 =
  // 137461760 B; write 2 * 8591360 = 17182720 B (both as atrex); 8 flops per output (7 adds, 1
  // scale) = 68730880 on CUDA cores (atrex: the same count at the bf16 tensor peak).
  const auto small = codegen::moe_sum_reduce_from_atrex(init, {{"token_count", 4195}, {"top_k", 8}, {"hidden_size", 2048}});
  CHECK(small.spec.name == "moe_sum_reduce_topk8_h2048");
  CHECK(small.cost.bytes_read == 137461760);
  CHECK(small.cost.bytes_written == 17182720);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 68730880);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 0);
  // Shape 0, 11027 tokens: 22583296 outputs. Read 16 * 22583296 = 361332736 B; write
  // 45166592 B; 8 * 22583296 = 180666368 flops.
  const auto large = codegen::moe_sum_reduce_from_atrex(init, {{"token_count", 11027}, {"top_k", 8}, {"hidden_size", 2048}});
  CHECK(large.cost.bytes_read == 361332736);
  CHECK(large.cost.bytes_written == 45166592);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 180666368);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 0);
}

TEST_CASE("atrex moe_sum_reduce: cost grows with tokens and covers the tensors", "[atrex][moe_sum_reduce][cost]") {
  const moe_sum_reduce_axes axes{8, 2048};
  for (std::int64_t t : {1, 4195, 11027}) {
    const roofline::cost c = cost_of(axes, moe_sum_reduce_workload{t});
    const roofline::cost more = cost_of(axes, moe_sum_reduce_workload{t + 1});
    CHECK(more.bytes() > c.bytes());
    CHECK(more.total_flops() > c.total_flops());
    CHECK(c.bytes_read >= static_cast<double>(size_bytes(dtype::bfloat16, t * 8 * 2048)));
    CHECK(c.bytes_written >= static_cast<double>(size_bytes(dtype::bfloat16, t * 2048)));
  }
}

TEST_CASE("atrex moe_sum_reduce: bad kwargs name the operator and the key", "[atrex][moe_sum_reduce]") {
  const nlohmann::json input = {{"token_count", 4}, {"top_k", 8}, {"hidden_size", 2048}};
  CHECK_THROWS_WITH(codegen::moe_sum_reduce_from_atrex(nullptr, {{"top_k", 8}, {"hidden_size", 2048}}),
                    Contains("moe_sum_reduce") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::moe_sum_reduce_from_atrex(nullptr, {{"token_count", 4}, {"hidden_size", 2048}}),
                    Contains("moe_sum_reduce") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::moe_sum_reduce_from_atrex(nullptr, {{"token_count", 4}, {"top_k", 8}}),
                    Contains("moe_sum_reduce") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::moe_sum_reduce_from_atrex({{"routed_scaling_factor", "1.0"}}, input),
                    Contains("moe_sum_reduce") && Contains("routed_scaling_factor"));
  CHECK_THROWS_WITH(codegen::moe_sum_reduce_from_atrex(nullptr, {{"token_count", 4}, {"top_k", 8}, {"hidden_size", 2044}}),
                    Contains("multiple of 8"));
  // The factor is a run-time scalar: any number (or none) gives the same definition and cost.
  const auto scaled = codegen::moe_sum_reduce_from_atrex({{"routed_scaling_factor", 2.5}}, input);
  const auto plain = codegen::moe_sum_reduce_from_atrex(nullptr, input);
  CHECK(scaled.spec.name == plain.spec.name);
  CHECK(scaled.cost.bytes() == plain.cost.bytes());
  CHECK(scaled.cost.total_flops() == plain.cost.total_flops());
}

TEST_CASE("atrex moe_sum_reduce: every atrex shape converts", "[atrex][moe_sum_reduce]") {
  const nlohmann::json shapes = test::atrex_shapes("moe_sum_reduce");
  CHECK(shapes.size() == 7);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::moe_sum_reduce_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    CHECK(converted.spec.name == "moe_sum_reduce_topk8_h2048");
    CHECK(problems_of(converted.spec).empty());
    const std::int64_t t = shape["input_kwargs"]["token_count"];
    CHECK(converted.cost.bytes_read == 2.0 * t * 8 * 2048);  // atrex's Q_read
    CHECK(converted.cost.bytes_written == 2.0 * t * 2048);   // atrex's Q_write
  }
}

}  // namespace solkit_test_ops_atrex_test_moe_sum_reduce
