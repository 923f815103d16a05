// atrex-bench's moe_topk_gating_softmax as solkit definitions: names from the axes, a valid
// definition file, hand-computed costs of atrex's smallest and largest shapes, and every shape
// of atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/moe_topk_gating_softmax.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/moe_topk_gating_softmax/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_moe_topk_gating_softmax {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(moe_topk_gating_softmax<moe_topk_gating_softmax_axes{128, 8}>::name ==
              "moe_topk_gating_softmax_e128_topk8");
static_assert(moe_topk_gating_softmax<moe_topk_gating_softmax_axes{256, 8}>::name ==
              "moe_topk_gating_softmax_e256_topk8");
static_assert(moe_topk_gating_softmax<moe_topk_gating_softmax_axes{128, 8}>::op_type ==
              "moe_topk_gating_softmax");
static_assert(check_axes(moe_topk_gating_softmax_axes{0, 8}) ==
              ops::moe_topk_gating_softmax::axis_errors::num_experts_not_positive);
static_assert(check_axes(moe_topk_gating_softmax_axes{8, 9}) ==
              ops::moe_topk_gating_softmax::axis_errors::top_k_not_in_1_to_num_experts);
static_assert(check_axes(moe_topk_gating_softmax_axes{8, 0}) ==
              ops::moe_topk_gating_softmax::axis_errors::top_k_not_in_1_to_num_experts);
static_assert(check_axes(moe_topk_gating_softmax_axes{8, 8}) == nullptr);

TEST_CASE("atrex moe_topk_gating_softmax: the definition file is valid", "[atrex][moe_topk_gating_softmax]") {
  const definition_spec& spec = moe_topk_gating_softmax<moe_topk_gating_softmax_axes{128, 8}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) ==
        "definitions/moe_topk_gating_softmax/moe_topk_gating_softmax_e128_topk8.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] ==
        nlohmann::ordered_json::array({"source:atrex-bench", "atrex:moe_topk_gating_softmax"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["num_experts"]["value"] == 128);
  CHECK(json["inputs"]["gating_output"]["dtype"] == "float32");
  CHECK(json["outputs"]["topk_weights"]["shape"] == nlohmann::ordered_json::array({"token_count", "top_k"}));
  CHECK(json["outputs"]["topk_ids"]["dtype"] == "int32");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_EXPERTS = 128\nTOP_K = 8\n") != std::string::npos);
}

TEST_CASE("atrex moe_topk_gating_softmax: costs of a small and a large shape",
          "[atrex][moe_topk_gating_softmax][cost]") {
  // Shape 0, 1 token, 128 experts, top 8: read 128 * 4 = 512 B; write 8 * (4 + 4) = 64 B (atrex:
  // the same). CUDA cores 3 * 128 + 8 = 392; SFU 128 exp + 1 reciprocal = 129.
  const auto small =
      codegen::moe_topk_gating_softmax_from_atrex({{"top_k", 8}}, {{"token_count", 1}, {"num_experts", 128}});
  CHECK(small.spec.name == "moe_topk_gating_softmax_e128_topk8");
  CHECK(small.cost.bytes_read == 512);
  CHECK(small.cost.bytes_written == 64);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 392);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 129);
  // Shape 9, 13526 tokens, 256 experts: 13526 * 256 = 3462656 logits. Read 4 * 3462656 =
  // 13850624 B; write 8 * 13526 * 8 = 865664 B (both as atrex). CUDA cores 3 * 3462656 +
  // 13526 * 8 = 10387968 + 108208 = 10496176; SFU 3462656 + 13526 = 3476182.
  const auto large = codegen::moe_topk_gating_softmax_from_atrex({{"top_k", 8}},
                                                                 {{"token_count", 13526}, {"num_experts", 256}});
  CHECK(large.spec.name == "moe_topk_gating_softmax_e256_topk8");
  CHECK(large.cost.bytes_read == 13850624);
  CHECK(large.cost.bytes_written == 865664);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 10496176);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 3476182);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 0);
}

TEST_CASE("atrex moe_topk_gating_softmax: cost grows with tokens and covers the tensors",
          "[atrex][moe_topk_gating_softmax][cost]") {
  const moe_topk_gating_softmax_axes axes{128, 8};
  for (std::int64_t t : {1, 7, 129, 8192}) {
    const roofline::cost c = cost_of(axes, moe_topk_gating_softmax_workload{t});
    const roofline::cost more = cost_of(axes, moe_topk_gating_softmax_workload{t + 1});
    CHECK(more.bytes() > c.bytes());
    CHECK(more.total_flops() > c.total_flops());
    CHECK(c.bytes_read >= static_cast<double>(size_bytes(dtype::float32, t * 128)));
    CHECK(c.bytes_written >= static_cast<double>(size_bytes(dtype::float32, t * 8) +
                                                 size_bytes(dtype::int32, t * 8)));
  }
}

TEST_CASE("atrex moe_topk_gating_softmax: bad kwargs name the operator and the key",
          "[atrex][moe_topk_gating_softmax]") {
  const nlohmann::json input = {{"token_count", 4}, {"num_experts", 128}};
  CHECK_THROWS_WITH(codegen::moe_topk_gating_softmax_from_atrex(nullptr, input),
                    Contains("moe_topk_gating_softmax") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::moe_topk_gating_softmax_from_atrex({{"top_k", 8}}, {{"num_experts", 128}}),
                    Contains("moe_topk_gating_softmax") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::moe_topk_gating_softmax_from_atrex({{"top_k", 8}}, {{"token_count", 4}}),
                    Contains("moe_topk_gating_softmax") && Contains("num_experts"));
  CHECK_THROWS_WITH(codegen::moe_topk_gating_softmax_from_atrex({{"top_k", "8"}}, input),
                    Contains("moe_topk_gating_softmax") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::moe_topk_gating_softmax_from_atrex({{"top_k", 8}, {"num_expert_groups", 8}}, input),
                    Contains("moe_topk_gating_softmax") && Contains("num_expert_groups"));
  CHECK_THROWS_WITH(codegen::moe_topk_gating_softmax_from_atrex({{"top_k", 8}, {"topk_group", 2}}, input),
                    Contains("moe_topk_gating_softmax") && Contains("topk_group"));
  CHECK_THROWS_WITH(codegen::moe_topk_gating_softmax_from_atrex({{"top_k", 200}}, input),
                    Contains("moe_topk_gating_softmax") && Contains("between 1 and num_experts"));
  // Grouped routing switched off explicitly is the default.
  const auto off = codegen::moe_topk_gating_softmax_from_atrex(
      {{"top_k", 8}, {"num_expert_groups", 0}, {"topk_group", 0}}, input);
  CHECK(off.spec.name == "moe_topk_gating_softmax_e128_topk8");
}

TEST_CASE("atrex moe_topk_gating_softmax: every atrex shape converts", "[atrex][moe_topk_gating_softmax]") {
  const nlohmann::json shapes = test::atrex_shapes("moe_topk_gating_softmax");
  CHECK(shapes.size() == 10);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted =
        codegen::moe_topk_gating_softmax_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t experts = shape["input_kwargs"]["num_experts"];
    const std::int64_t k = shape["init_kwargs"]["top_k"];
    CHECK(converted.spec.name ==
          "moe_topk_gating_softmax_e" + std::to_string(experts) + "_topk" + std::to_string(k));
    CHECK(problems_of(converted.spec).empty());
    const std::int64_t t = shape["input_kwargs"]["token_count"];
    CHECK(converted.cost.bytes_read == 4.0 * t * experts);  // atrex's Q_read
    CHECK(converted.cost.bytes_written == 8.0 * t * k);     // atrex's Q_write
    CHECK(converted.cost.flops_of(execution_unit::sfu) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_moe_topk_gating_softmax
