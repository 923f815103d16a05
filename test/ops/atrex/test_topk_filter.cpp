// atrex-bench's topk_filter as solkit definitions: names from the axes, a valid definition file,
// hand-computed costs of atrex's smallest and largest shapes, and every shape of atrex's
// shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/topk_filter.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/topk_filter/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_topk_filter {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(topk_filter<topk_filter_axes{151936, 50}>::name == "topk_filter_v151936_k50");
static_assert(topk_filter<topk_filter_axes{4096, 50}>::name == "topk_filter_v4096_k50");
static_assert(topk_filter<topk_filter_axes{4096, 50}>::op_type == "topk_filter");
static_assert(topk_filter<topk_filter_axes{4096, 50}>::spec.const_value("top_k") == 50);
static_assert(topk_filter<topk_filter_axes{50, 50}>::name == "topk_filter_v50_k50");
static_assert(check_axes(topk_filter_axes{4096, 0}) == ops::topk_filter::axis_errors::top_k_not_positive);
static_assert(check_axes(topk_filter_axes{49, 50}) == ops::topk_filter::axis_errors::vocab_size_less_than_top_k);

TEST_CASE("atrex topk_filter: the definition file is valid", "[atrex][topk_filter]") {
  const definition_spec& spec = topk_filter<topk_filter_axes{151936, 50}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/topk_filter/topk_filter_v151936_k50.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:topk_filter"}));
  CHECK(json["axes"]["batch_size"]["type"] == "var");
  CHECK(json["axes"]["vocab_size"]["value"] == 151936);
  CHECK(json["inputs"]["logits"]["dtype"] == "float32");
  CHECK(json["outputs"]["masked_logits"]["shape"] == nlohmann::ordered_json::array({"batch_size", "vocab_size"}));
  CHECK(json["outputs"]["masked_logits"]["dtype"] == "float32");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nVOCAB_SIZE = 151936\nTOP_K = 50\n") != std::string::npos);
}

TEST_CASE("atrex topk_filter: costs of a small and a large shape", "[atrex][topk_filter][cost]") {
  // Shape 3, 3 rows of 4002 (init {}: top_k 50): 12006 logits. Read and write 4 B each = 48024;
  // 2 CUDA-core operations each = 24012.
  const auto small = codegen::topk_filter_from_atrex(nlohmann::json::object(), {{"seq_len", 3}, {"hidden_size", 4002}});
  CHECK(small.spec.name == "topk_filter_v4002_k50");
  CHECK(small.cost.bytes_read == 48024);
  CHECK(small.cost.bytes_written == 48024);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 24012);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 0);
  // Shape 6, 15381 rows of 4096: 15381 * 4096 = 63000576 logits. 252002304 B each way;
  // 126001152 operations.
  const auto large = codegen::topk_filter_from_atrex(nlohmann::json::object(), {{"seq_len", 15381}, {"hidden_size", 4096}});
  CHECK(large.cost.bytes_read == 252002304);
  CHECK(large.cost.bytes_written == 252002304);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 126001152);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 0);
  // Shape 0: one Qwen row, top_k given.
  const auto vocab = codegen::topk_filter_from_atrex({{"top_k", 50}}, {{"seq_len", 1}, {"hidden_size", 151936}});
  CHECK(vocab.spec.name == "topk_filter_v151936_k50");
  CHECK(vocab.cost.bytes() == 151936.0 * 8);
}

TEST_CASE("atrex topk_filter: cost grows with rows and covers input and output", "[atrex][topk_filter][cost]") {
  const topk_filter_axes axes{152064, 50};
  double previous = 0;
  for (std::int64_t rows : {1, 2, 64, 1000, 65536}) {
    const roofline::cost c = cost_of(axes, topk_filter_workload{rows});
    CHECK(c.bytes() > previous);
    CHECK(c.bytes_read >= rows * 152064.0 * 4);
    CHECK(c.bytes_written >= rows * 152064.0 * 4);
    previous = c.bytes();
  }
  // top_k does not change the bytes.
  CHECK(cost_of(topk_filter_axes{4096, 1}, {10}).bytes() == cost_of(topk_filter_axes{4096, 1000}, {10}).bytes());
}

TEST_CASE("atrex topk_filter: bad kwargs name the operator and the key", "[atrex][topk_filter]") {
  CHECK_THROWS_WITH(codegen::topk_filter_from_atrex(nullptr, {{"hidden_size", 4096}}),
                    Contains("topk_filter") && Contains("seq_len"));
  CHECK_THROWS_WITH(codegen::topk_filter_from_atrex(nullptr, {{"seq_len", 4}}),
                    Contains("topk_filter") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::topk_filter_from_atrex({{"top_k", "50"}}, {{"seq_len", 4}, {"hidden_size", 4096}}),
                    Contains("topk_filter") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::topk_filter_from_atrex({{"top_k", 0}}, {{"seq_len", 4}, {"hidden_size", 4096}}),
                    Contains("topk_filter") && Contains("top_k"));
  CHECK_THROWS_WITH(codegen::topk_filter_from_atrex({{"top_k", 50}}, {{"seq_len", 4}, {"hidden_size", 40}}),
                    Contains("topk_filter") && Contains("at least top_k"));
  CHECK_THROWS_WITH(codegen::topk_filter_from_atrex(nullptr, "rows"), Contains("topk_filter") && Contains("input_kwargs"));
}

TEST_CASE("atrex topk_filter: every atrex shape converts", "[atrex][topk_filter]") {
  const nlohmann::json shapes = test::atrex_shapes("topk_filter");
  CHECK(shapes.size() == 8);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::topk_filter_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const std::int64_t rows = shape["input_kwargs"]["seq_len"], vocab = shape["input_kwargs"]["hidden_size"];
    CHECK(check_axes(topk_filter_axes{vocab, 50}) == nullptr);
    CHECK(converted.spec.name == "topk_filter_v" + std::to_string(vocab) + "_k50");
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read == 4.0 * rows * vocab);
    CHECK(converted.cost.bytes_written == 4.0 * rows * vocab);
  }
}

}  // namespace solkit_test_ops_atrex_test_topk_filter
