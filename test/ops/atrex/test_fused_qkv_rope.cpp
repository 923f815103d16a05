// atrex-bench's fused_qkv_rope as solkit definitions: names from the axes (bf16 and fp16), a valid
// definition file, hand-computed costs of atrex's smallest and largest shapes, and every shape of
// atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/fused_qkv_rope.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/fused_qkv_rope/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_fused_qkv_rope {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(fused_qkv_rope<fused_qkv_rope_axes{32, 4, 128, 128, dtype::bfloat16}>::name ==
              "fused_qkv_rope_h32_kv4_d128_rd128_bf16");
static_assert(fused_qkv_rope<fused_qkv_rope_axes{40, 8, 128, 64, dtype::float16}>::name ==
              "fused_qkv_rope_h40_kv8_d128_rd64_fp16");
static_assert(fused_qkv_rope<fused_qkv_rope_axes{32, 4, 128, 128}>::spec.const_value("qkv_size") == 5120);
static_assert(check_axes(fused_qkv_rope_axes{32, 4, 128, 130}) ==
              ops::fused_qkv_rope::axis_errors::rope_dim_not_even_and_within_head_dim);
static_assert(check_axes(fused_qkv_rope_axes{32, 4, 128, 128, dtype::float32}) ==
              ops::fused_qkv_rope::axis_errors::element_type_not_bfloat16_or_float16);
static_assert(check_axes(fused_qkv_rope_axes{32, 0, 128, 128}) ==
              ops::fused_qkv_rope::axis_errors::num_kv_heads_not_positive);

namespace {
nlohmann::json init(std::int64_t heads, std::int64_t kv_heads) {
  return {{"num_heads", heads}, {"num_kv_heads", kv_heads}, {"head_dim", 128}, {"rope_dim", 128}};
}
nlohmann::json input(std::int64_t tokens, std::int64_t heads, std::int64_t kv_heads, const char* type) {
  return {{"total_tokens", tokens}, {"num_heads", heads}, {"num_kv_heads", kv_heads}, {"head_dim", 128},
          {"dtype", type}};
}
}  // namespace

TEST_CASE("atrex fused_qkv_rope: the definition file is valid", "[atrex][fused_qkv_rope]") {
  for (const definition_spec& spec : {fused_qkv_rope<fused_qkv_rope_axes{32, 4, 128, 128}>::spec,
                                      describe(fused_qkv_rope_axes{40, 8, 128, 64, dtype::float16})}) {
    INFO(spec.name);
    CHECK(problems_of(spec).empty());
  }
  const definition_spec& spec = fused_qkv_rope<fused_qkv_rope_axes{32, 4, 128, 128}>::spec;
  CHECK(dataset_path(spec) == "definitions/fused_qkv_rope/fused_qkv_rope_h32_kv4_d128_rd128_bf16.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:fused_qkv_rope"}));
  CHECK(json["axes"]["total_tokens"]["type"] == "var");
  CHECK(json["inputs"]["qkv"]["dtype"] == "bfloat16");
  CHECK(json["inputs"]["positions"]["dtype"] == "int32");
  CHECK(json["outputs"].size() == 3);
  CHECK(json["outputs"]["v"]["shape"] ==
        nlohmann::ordered_json::array({"total_tokens", "num_kv_heads", "head_dim"}));
  CHECK(to_json(describe(fused_qkv_rope_axes{40, 8, 128, 64, dtype::float16}))["outputs"]["q"]["dtype"] ==
        "float16");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_HEADS = 32\nNUM_KV_HEADS = 4\nHEAD_DIM = 128\nROPE_DIM = 128\nQKV_SIZE = 5120\n") !=
        std::string::npos);
  CHECK(reference.find("10000.0") != std::string::npos);
}

TEST_CASE("atrex fused_qkv_rope: costs of a small and a large shape", "[atrex][fused_qkv_rope][cost]") {
  // Shape 0, 1 token, 32 q + 4 k + 4 v heads of 128, bf16: row (32 + 8) * 128 = 5120 values.
  // Read 5120 * 2 + position 4 = 10244 B; write q, k, v 10240 B. CUDA: 36 heads * 64 pairs * 6
  // = 13824 plus 64 angle products = 13888; SFU: cos and sin of 64 angles = 128.
  const auto small = codegen::fused_qkv_rope_from_atrex(init(32, 4), input(1, 32, 4, "bf16"));
  CHECK(small.spec.name == "fused_qkv_rope_h32_kv4_d128_rd128_bf16");
  CHECK(small.cost.bytes_read == 10244);
  CHECK(small.cost.bytes_written == 10240);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 13888);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 128);
  // Shape 2, 1 token, 64 q + 8 k + 8 v heads, fp16: row 80 * 128 = 10240 values. Read 20480 + 4
  // = 20484 B; write 20480 B. CUDA: 72 * 64 * 6 + 64 = 27712; SFU 128.
  const auto large = codegen::fused_qkv_rope_from_atrex(init(64, 8), input(1, 64, 8, "fp16"));
  CHECK(large.spec.name == "fused_qkv_rope_h64_kv8_d128_rd128_fp16");
  CHECK(large.cost.bytes_read == 20484);
  CHECK(large.cost.bytes_written == 20480);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 27712);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 128);
  // Costs scale with tokens: 4096 of shape 2's layout read 4096 * 20484 B.
  const auto many = codegen::fused_qkv_rope_from_atrex(init(64, 8), input(4096, 64, 8, "fp16"));
  CHECK(many.cost.bytes_read == 4096.0 * 20484);
  CHECK(many.cost.flops_of(execution_unit::sfu) == 4096.0 * 128);
}

TEST_CASE("atrex fused_qkv_rope: bad kwargs name the operator and the key", "[atrex][fused_qkv_rope]") {
  CHECK_THROWS_WITH(codegen::fused_qkv_rope_from_atrex({{"num_heads", 32}}, input(1, 32, 4, "bf16")),
                    Contains("fused_qkv_rope") && Contains("num_kv_heads"));
  nlohmann::json no_tokens = input(1, 32, 4, "bf16");
  no_tokens.erase("total_tokens");
  CHECK_THROWS_WITH(codegen::fused_qkv_rope_from_atrex(init(32, 4), no_tokens),
                    Contains("fused_qkv_rope") && Contains("total_tokens"));
  CHECK_THROWS_WITH(codegen::fused_qkv_rope_from_atrex(init(32, 4), input(1, 32, 8, "bf16")),
                    Contains("fused_qkv_rope") && Contains("num_kv_heads"));
  CHECK_THROWS_WITH(codegen::fused_qkv_rope_from_atrex(init(32, 4), input(1, 32, 4, "fp32")),
                    Contains("fused_qkv_rope") && Contains("dtype"));
  nlohmann::json base = init(32, 4);
  base["rope_base"] = 1000000.0;
  CHECK_THROWS_WITH(codegen::fused_qkv_rope_from_atrex(base, input(1, 32, 4, "bf16")),
                    Contains("fused_qkv_rope") && Contains("rope_base"));
  nlohmann::json bias = input(1, 32, 4, "bf16");
  bias["with_bias"] = true;
  CHECK_THROWS_WITH(codegen::fused_qkv_rope_from_atrex(init(32, 4), bias),
                    Contains("fused_qkv_rope") && Contains("with_bias"));
}

TEST_CASE("atrex fused_qkv_rope: every atrex shape converts", "[atrex][fused_qkv_rope]") {
  const nlohmann::json shapes = test::atrex_shapes("fused_qkv_rope");
  CHECK(shapes.size() == 6);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::fused_qkv_rope_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& i = shape["init_kwargs"];
    const fused_qkv_rope_axes axes{i["num_heads"], i["num_kv_heads"], i["head_dim"], i["rope_dim"],
                                   shape["input_kwargs"]["dtype"] == "fp16" ? dtype::float16 : dtype::bfloat16};
    CHECK(check_axes(axes) == nullptr);
    CHECK(converted.spec.name == describe(axes).name);
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_fused_qkv_rope
