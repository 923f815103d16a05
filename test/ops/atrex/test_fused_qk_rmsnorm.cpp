// atrex-bench's fused_qk_rmsnorm as solkit definitions: names from the axes, a valid definition
// file whose row width follows from the heads, hand-computed costs of the smallest and the largest
// atrex shape, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/fused_qk_rmsnorm.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/fused_qk_rmsnorm/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_fused_qk_rmsnorm {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(fused_qk_rmsnorm<fused_qk_rmsnorm_axes{32, 8, 128}>::name == "fused_qk_rmsnorm_hq32_hk8_d128");
static_assert(fused_qk_rmsnorm<fused_qk_rmsnorm_axes{40, 8, 128}>::name == "fused_qk_rmsnorm_hq40_hk8_d128");
static_assert(fused_qk_rmsnorm<fused_qk_rmsnorm_axes{32, 8, 128}>::op_type == "fused_qk_rmsnorm");
static_assert(fused_qk_rmsnorm<fused_qk_rmsnorm_axes{32, 8, 128}>::spec.const_value("hidden_size") == 6144);
static_assert(check_axes(fused_qk_rmsnorm_axes{0, 8, 128}) ==
              ops::fused_qk_rmsnorm::axis_errors::num_qo_heads_not_positive);
static_assert(check_axes(fused_qk_rmsnorm_axes{32, 0, 128}) ==
              ops::fused_qk_rmsnorm::axis_errors::num_kv_heads_not_positive);
static_assert(check_axes(fused_qk_rmsnorm_axes{32, 8, 100}) ==
              ops::fused_qk_rmsnorm::axis_errors::head_dim_not_a_positive_multiple_of_8);

namespace {
nlohmann::json heads(std::int64_t q, std::int64_t kv) {
  return {{"head_num", q}, {"kv_head_num", kv}, {"size_per_head", 128}};
}
nlohmann::json tokens(std::int64_t q, std::int64_t kv, std::int64_t t) {
  nlohmann::json input = heads(q, kv);
  input["num_tokens"] = t;
  input["dtype"] = "fp16";
  return input;
}
}  // namespace

TEST_CASE("atrex fused_qk_rmsnorm: the definition file is valid", "[atrex][fused_qk_rmsnorm]") {
  const definition_spec& spec = fused_qk_rmsnorm<fused_qk_rmsnorm_axes{64, 8, 128}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/fused_qk_rmsnorm/fused_qk_rmsnorm_hq64_hk8_d128.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["axes"]["hidden_size"]["value"] == (64 + 2 * 8) * 128);
  CHECK(json["inputs"]["hidden_states"]["dtype"] == "float16");
  CHECK(json["inputs"]["q_weight"]["shape"] == nlohmann::ordered_json::array({"head_dim"}));
  CHECK(json["outputs"]["out"]["shape"] == nlohmann::ordered_json::array({"num_tokens", "hidden_size"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_QO_HEADS = 64\nNUM_KV_HEADS = 8\nHEAD_DIM = 128\nHIDDEN_SIZE = 10240\n") !=
        std::string::npos);
  CHECK(reference.find("def _head_rms_norm(") < reference.find("def run("));
}

TEST_CASE("atrex fused_qk_rmsnorm: costs of a small and a large shape", "[atrex][fused_qk_rmsnorm][cost]") {
  // Shape 3, hq32 hk4 d128, 1 token: a row of (32 + 2*4)*128 = 5120 fp16. Read 5120*2 + two
  // weights 2*128*2 = 10752 B; write the full row 10240 B; 36 normalised heads of 128,
  // 4 flops per element = 18432; 36 rsqrt.
  const auto small = codegen::fused_qk_rmsnorm_from_atrex(heads(32, 4), tokens(32, 4, 1));
  CHECK(small.spec.name == "fused_qk_rmsnorm_hq32_hk4_d128");
  CHECK(small.cost.bytes_read == 10752);
  CHECK(small.cost.bytes_written == 10240);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 18432);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 36);
  // Shape 0, hq64 hk8 d128, 1 token: a row of 80*128 = 10240. Read 20480 + 512 = 20992 B,
  // write 20480 B; 72 heads * 128 * 4 = 36864 flops; 72 rsqrt.
  const auto large = codegen::fused_qk_rmsnorm_from_atrex(heads(64, 8), tokens(64, 8, 1));
  CHECK(large.cost.bytes_read == 20992);
  CHECK(large.cost.bytes_written == 20480);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 36864);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 72);
  // 1000 tokens scale every term but the weights: read 1000*20480 + 512.
  const auto many = codegen::fused_qk_rmsnorm_from_atrex(heads(64, 8), tokens(64, 8, 1000));
  CHECK(many.cost.bytes_read == 20480512);
  CHECK(many.cost.flops_of(execution_unit::sfu) == 72000);
}

TEST_CASE("atrex fused_qk_rmsnorm: bad kwargs name the operator and the key", "[atrex][fused_qk_rmsnorm]") {
  nlohmann::json no_tokens = tokens(32, 8, 1);
  no_tokens.erase("num_tokens");
  CHECK_THROWS_WITH(codegen::fused_qk_rmsnorm_from_atrex(heads(32, 8), no_tokens),
                    Contains("fused_qk_rmsnorm") && Contains("num_tokens"));
  CHECK_THROWS_WITH(codegen::fused_qk_rmsnorm_from_atrex({{"kv_head_num", 8}}, tokens(32, 8, 1)),
                    Contains("fused_qk_rmsnorm") && Contains("head_num"));
  CHECK_THROWS_WITH(codegen::fused_qk_rmsnorm_from_atrex(heads(32, 8), tokens(32, 4, 1)),
                    Contains("fused_qk_rmsnorm") && Contains("kv_head_num"));
  nlohmann::json bf16 = tokens(32, 8, 1);
  bf16["dtype"] = "bf16";
  CHECK_THROWS_WITH(codegen::fused_qk_rmsnorm_from_atrex(heads(32, 8), bf16),
                    Contains("fused_qk_rmsnorm") && Contains("dtype"));
  // size_per_head and dtype default to the reference's 128 and fp16.
  CHECK(codegen::fused_qk_rmsnorm_from_atrex({{"head_num", 32}, {"kv_head_num", 8}},
                                             {{"num_tokens", 2}, {"head_num", 32}, {"kv_head_num", 8}})
            .spec.name == "fused_qk_rmsnorm_hq32_hk8_d128");
}

TEST_CASE("atrex fused_qk_rmsnorm: every atrex shape converts", "[atrex][fused_qk_rmsnorm]") {
  const nlohmann::json shapes = test::atrex_shapes("fused_qk_rmsnorm");
  CHECK(shapes.size() == 4);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::fused_qk_rmsnorm_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& init = shape["init_kwargs"];
    const fused_qk_rmsnorm_axes axes{init["head_num"], init["kv_head_num"], init["size_per_head"]};
    CHECK(check_axes(axes) == nullptr);
    CHECK(converted.spec.name == describe(axes).name);
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::cuda_fp32) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_fused_qk_rmsnorm
