// atrex-bench's moe_count_and_sort as solkit definitions: names from the axes, a valid
// definition file, hand-computed costs of atrex's smallest and largest shapes, and every shape
// of atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/moe_count_and_sort.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/moe_count_and_sort/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_moe_count_and_sort {

using namespace solkit;
using test::problems_of;
using Catch::Matchers::Contains;

static_assert(moe_count_and_sort<moe_count_and_sort_axes{128, 8}>::name == "moe_count_and_sort_e128_topk8");
static_assert(moe_count_and_sort<moe_count_and_sort_axes{256, 6}>::name == "moe_count_and_sort_e256_topk6");
static_assert(moe_count_and_sort<moe_count_and_sort_axes{128, 8}>::op_type == "moe_count_and_sort");
static_assert(moe_count_and_sort<moe_count_and_sort_axes{128, 8}>::spec.const_value("len_cumsum") == 129);
static_assert(check_axes(moe_count_and_sort_axes{0, 8}) ==
              ops::moe_count_and_sort::axis_errors::num_experts_not_positive);
static_assert(check_axes(moe_count_and_sort_axes{128, -1}) ==
              ops::moe_count_and_sort::axis_errors::top_k_not_positive);

TEST_CASE("atrex moe_count_and_sort: the definition file is valid", "[atrex][moe_count_and_sort]") {
  const definition_spec& spec = moe_count_and_sort<moe_count_and_sort_axes{128, 8}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/moe_count_and_sort/moe_count_and_sort_e128_topk8.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:moe_count_and_sort"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["len_cumsum"]["value"] == 129);
  CHECK(json["outputs"]["sorted_token_ids"]["shape"] == nlohmann::ordered_json::array({"token_count", "top_k"}));
  CHECK(json["outputs"]["expert_token_counts"]["shape"] == nlohmann::ordered_json::array({"num_experts"}));
  CHECK(json["outputs"]["cumsum"]["dtype"] == "int32");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nTOP_K = 8\nNUM_EXPERTS = 128\nLEN_CUMSUM = 129\n") != std::string::npos);
}

TEST_CASE("atrex moe_count_and_sort: costs of a small and a large shape", "[atrex][moe_count_and_sort][cost]") {
  const nlohmann::json init = {{"num_experts", 128}, {"block_size", 128}};
  // Shape 0, 1 token, top 8: read 8 * 4 = 32 B; write (8 + 128 + 129) * 4 = 1060 B (both as atrex).
  const auto small = codegen::moe_count_and_sort_from_atrex(init, {{"token_count", 1}, {"top_k", 8}, {"num_experts", 128}});
  CHECK(small.spec.name == "moe_count_and_sort_e128_topk8");
  CHECK(small.cost.bytes_read == 32);
  CHECK(small.cost.bytes_written == 1060);
  CHECK(small.cost.total_flops() == 0);
  // Shape 4, 2044 tokens: 16352 pairs. Read 65408 B; write (16352 + 257) * 4 = 66436 B (as atrex).
  const auto large = codegen::moe_count_and_sort_from_atrex(init, {{"token_count", 2044}, {"top_k", 8}, {"num_experts", 128}});
  CHECK(large.cost.bytes_read == 65408);
  CHECK(large.cost.bytes_written == 66436);
  CHECK(large.cost.total_flops() == 0);
}

TEST_CASE("atrex moe_count_and_sort: cost grows with tokens and covers the tensors", "[atrex][moe_count_and_sort][cost]") {
  const moe_count_and_sort_axes axes{128, 8};
  for (std::int64_t t : {1, 76, 2044}) {
    const roofline::cost c = cost_of(axes, moe_count_and_sort_workload{t});
    const roofline::cost more = cost_of(axes, moe_count_and_sort_workload{t + 1});
    CHECK(more.bytes_read > c.bytes_read);
    CHECK(more.bytes_written > c.bytes_written);
    const auto pairs = static_cast<std::uint64_t>(t * 8);
    CHECK(c.bytes_read >= static_cast<double>(size_bytes(dtype::int32, pairs)));
    CHECK(c.bytes_written >= static_cast<double>(size_bytes(dtype::int32, pairs + 128 + 129)));
  }
}

TEST_CASE("atrex moe_count_and_sort: bad kwargs name the operator and the key", "[atrex][moe_count_and_sort]") {
  const nlohmann::json input = {{"token_count", 4}, {"num_experts", 128}, {"top_k", 8}};
  CHECK_THROWS_WITH(codegen::moe_count_and_sort_from_atrex(nullptr, {{"num_experts", 128}, {"top_k", 8}}),
                    Contains("moe_count_and_sort") && Contains("token_count"));
  CHECK_THROWS_WITH(codegen::moe_count_and_sort_from_atrex(nullptr, {{"token_count", 4}, {"num_experts", 128}}),
                    Contains("moe_count_and_sort") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::moe_count_and_sort_from_atrex(nullptr, {{"token_count", 4}, {"top_k", 8}}),
                    Contains("moe_count_and_sort") && Contains("num_experts"));
  CHECK_THROWS_WITH(codegen::moe_count_and_sort_from_atrex({{"num_experts", 64}}, input),
                    Contains("moe_count_and_sort") && Contains("num_experts") && Contains("64"));
  CHECK_THROWS_WITH(codegen::moe_count_and_sort_from_atrex({{"block_size", "128"}}, input),
                    Contains("moe_count_and_sort") && Contains("block_size"));
  CHECK_THROWS_WITH(codegen::moe_count_and_sort_from_atrex("null", input),
                    Contains("moe_count_and_sort") && Contains("init_kwargs"));
  // init null: atrex's defaults, 128 experts (and block size 128).
  CHECK(codegen::moe_count_and_sort_from_atrex(nullptr, input).spec.name == "moe_count_and_sort_e128_topk8");
}

TEST_CASE("atrex moe_count_and_sort: every atrex shape converts", "[atrex][moe_count_and_sort]") {
  const nlohmann::json shapes = test::atrex_shapes("moe_count_and_sort");
  CHECK(shapes.size() == 5);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::moe_count_and_sort_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    CHECK(converted.spec.name == "moe_count_and_sort_e128_topk8");
    CHECK(problems_of(converted.spec).empty());
    const std::int64_t t = shape["input_kwargs"]["token_count"];
    CHECK(converted.cost.bytes_read == 32.0 * t);                   // atrex's Q_read
    CHECK(converted.cost.bytes_written == 32.0 * t + 4 * (128 + 129));  // atrex's Q_write
  }
}

}  // namespace solkit_test_ops_atrex_test_moe_count_and_sort
