// atrex-bench's moe_align_block_size as solkit definitions (vLLM's max-size buffers): names from
// the axes, a valid definition file, hand-computed costs of atrex's smallest and largest shapes,
// and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/moe_align_block_size.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/moe_align_block_size/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_moe_align_block_size {

using namespace solkit;
using test::problems_of;
using Catch::Matchers::Contains;

static_assert(moe_align_block_size<moe_align_block_size_axes{128, 8, 128}>::name ==
              "moe_align_block_size_e128_topk8_bs128");
static_assert(moe_align_block_size<moe_align_block_size_axes{64, 6, 16}>::name ==
              "moe_align_block_size_e64_topk6_bs16");
static_assert(moe_align_block_size<moe_align_block_size_axes{128, 8, 128}>::op_type == "moe_align_block_size");
static_assert(check_axes(moe_align_block_size_axes{0, 8, 128}) ==
              ops::moe_align_block_size::axis_errors::num_experts_not_positive);
static_assert(check_axes(moe_align_block_size_axes{128, 0, 128}) ==
              ops::moe_align_block_size::axis_errors::top_k_not_positive);
static_assert(check_axes(moe_align_block_size_axes{128, 8, 0}) ==
              ops::moe_align_block_size::axis_errors::block_size_not_positive);
// vLLM's buffer sizes: 1 token: 8 + 128 * 127 = 16264 rows in ceil(16264 / 128) = 128 blocks.
static_assert(max_num_tokens_padded(moe_align_block_size_axes{128, 8, 128}, 1) == 16264);
static_assert(max_num_blocks(moe_align_block_size_axes{128, 8, 128}, 1) == 128);
static_assert(max_num_blocks(moe_align_block_size_axes{128, 8, 128}, 8192) == 639);

TEST_CASE("atrex moe_align_block_size: the definition file is valid", "[atrex][moe_align_block_size]") {
  const definition_spec& spec = moe_align_block_size<moe_align_block_size_axes{128, 8, 128}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/moe_align_block_size/moe_align_block_size_e128_topk8_bs128.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:moe_align_block_size"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["max_num_tokens_padded"]["type"] == "var");
  CHECK(json["axes"]["max_num_blocks"]["type"] == "var");
  CHECK(json["axes"]["one"]["value"] == 1);
  CHECK(json["constraints"].size() == 2);
  CHECK(json["inputs"]["topk_ids"]["dtype"] == "int32");
  CHECK(json["outputs"]["sorted_token_ids"]["shape"] == nlohmann::ordered_json::array({"max_num_tokens_padded"}));
  CHECK(json["outputs"]["expert_ids"]["shape"] == nlohmann::ordered_json::array({"max_num_blocks"}));
  CHECK(json["outputs"]["num_tokens_post_pad"]["shape"] == nlohmann::ordered_json::array({"one"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nTOP_K = 8\nNUM_EXPERTS = 128\nBLOCK_SIZE = 128\n") != std::string::npos);
}

TEST_CASE("atrex moe_align_block_size: costs of a small and a large shape", "[atrex][moe_align_block_size][cost]") {
  const nlohmann::json init = {{"block_size", 128}, {"num_experts", 128}};
  // Shape 0, 1 token, top 8: read 8 * 4 = 32 B (as atrex). Write 16264 rows + 128 blocks + 1
  // count = 16393 int32 = 65572 B (atrex: 4132 B, the 1024 used rows of its sample).
  const auto small = codegen::moe_align_block_size_from_atrex(init, {{"token_count", 1}, {"num_experts", 128}, {"top_k", 8}});
  CHECK(small.spec.name == "moe_align_block_size_e128_topk8_bs128");
  CHECK(small.cost.bytes_read == 32);
  CHECK(small.cost.bytes_written == 65572);
  CHECK(small.cost.total_flops() == 0);
  // Shape 6, 8192 tokens: read 65536 ids = 262144 B (as atrex). Rows 65536 + 16256 = 81792,
  // blocks 81792 / 128 = 639, + 1: 82432 int32 = 329728 B (atrex: 295672 B, P = 73344).
  const auto large = codegen::moe_align_block_size_from_atrex(init, {{"token_count", 8192}, {"top_k", 8}, {"num_experts", 128}});
  CHECK(large.cost.bytes_read == 262144);
  CHECK(large.cost.bytes_written == 329728);
  CHECK(large.cost.total_flops() == 0);
}

TEST_CASE("atrex moe_align_block_size: cost grows with tokens and covers the tensors",
          "[atrex][moe_align_block_size][cost]") {
  const moe_align_block_size_axes axes{128, 8, 128};
  for (std::int64_t t : {1, 15, 16, 520, 8192}) {
    const roofline::cost c = cost_of(axes, moe_align_block_size_workload{t});
    const roofline::cost more = cost_of(axes, moe_align_block_size_workload{t + 1});
    CHECK(more.bytes_read > c.bytes_read);
    CHECK(more.bytes_written > c.bytes_written);
    CHECK(c.bytes_read >= static_cast<double>(size_bytes(dtype::int32, t * 8)));
    // The outputs whole; at least the worst-case used prefix P <= T k + E (B - 1).
    const auto rows = static_cast<std::uint64_t>(max_num_tokens_padded(axes, t));
    const auto blocks = static_cast<std::uint64_t>(max_num_blocks(axes, t));
    CHECK(c.bytes_written >= static_cast<double>(size_bytes(dtype::int32, rows + blocks + 1)));
  }
}

TEST_CASE("atrex moe_align_block_size: bad kwargs name the operator and the key", "[atrex][moe_align_block_size]") {
  const nlohmann::json init = {{"block_size", 128}, {"num_experts", 128}};
  const nlohmann::json input = {{"token_count", 4}, {"num_experts", 128}, {"top_k", 8}};
  CHECK_THROWS_WITH(codegen::moe_align_block_size_from_atrex(nullptr, input),
                    Contains("moe_align_block_size") && Contains("num_experts"));
  CHECK_THROWS_WITH(codegen::moe_align_block_size_from_atrex({{"num_experts", 128}}, input),
                    Contains("moe_align_block_size") && Contains("block_size"));
  CHECK_THROWS_WITH(codegen::moe_align_block_size_from_atrex({{"block_size", 0}, {"num_experts", 128}}, input),
                    Contains("moe_align_block_size") && Contains("block_size"));
  CHECK_THROWS_WITH(codegen::moe_align_block_size_from_atrex(init, {{"num_experts", 128}, {"top_k", 8}}),
                    Contains("moe_align_block_size") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::moe_align_block_size_from_atrex(init, {{"token_count", 4}, {"num_experts", 128}}),
                    Contains("moe_align_block_size") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::moe_align_block_size_from_atrex(init, {{"token_count", 4}, {"num_experts", 64}, {"top_k", 8}}),
                    Contains("moe_align_block_size") && Contains("num_experts") && Contains("64"));
  CHECK_THROWS_WITH(codegen::moe_align_block_size_from_atrex(init, nlohmann::json::array()),
                    Contains("moe_align_block_size") && Contains("input_kwargs"));
}

TEST_CASE("atrex moe_align_block_size: every atrex shape converts", "[atrex][moe_align_block_size]") {
  const nlohmann::json shapes = test::atrex_shapes("moe_align_block_size");
  CHECK(shapes.size() == 6);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::moe_align_block_size_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    CHECK(converted.spec.name == "moe_align_block_size_e128_topk8_bs128");
    CHECK(problems_of(converted.spec).empty());
    const std::int64_t t = shape["input_kwargs"]["token_count"];
    CHECK(converted.cost.bytes_read == 32.0 * t);  // atrex's Q_read
    CHECK(converted.cost.bytes_written > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_moe_align_block_size
