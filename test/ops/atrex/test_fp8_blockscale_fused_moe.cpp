// atrex-bench's fp8_blockscale_fused_moe as solkit definitions: names from the axes, a valid
// definition file (e4m3fn, bf16 output), hand-computed costs of atrex's smallest and largest
// shapes, the expected active experts at T = 32, and every shape of shapes.json converted.

#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/fp8_blockscale_fused_moe.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/fp8_blockscale_fused_moe/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_fp8_blockscale_fused_moe {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
using axes_t = fp8_blockscale_fused_moe_axes;
constexpr axes_t deepseek_v3{256, 8, 7168, 2048, 128, 128};
namespace errors = ops::fp8_blockscale_fused_moe::axis_errors;

nlohmann::json init(std::int64_t e, std::int64_t i, std::int64_t k) {
  return {{"num_experts", e}, {"intermediate_size", i}, {"top_k", k}};
}
nlohmann::json input(std::int64_t t, std::int64_t h, std::int64_t i, std::int64_t e, std::int64_t k) {
  return {{"token_count", t}, {"hidden_size", h}, {"intermediate_size", i}, {"num_experts", e}, {"top_k", k}};
}
}  // namespace

using deepseek = fp8_blockscale_fused_moe<deepseek_v3>;
static_assert(deepseek::name == "fp8_blockscale_fused_moe_e256_topk8_h7168_i2048_bn128_bk128");
static_assert(fp8_blockscale_fused_moe<axes_t{4, 2, 256, 128, 32, 64}>::name ==
              "fp8_blockscale_fused_moe_e4_topk2_h256_i128_bn32_bk64");
static_assert(deepseek::op_type == "fp8_blockscale_fused_moe");
static_assert(deepseek::spec.const_value("num_hidden_blocks") == 56);
static_assert(deepseek::spec.const_value("num_intermediate_blocks") == 16);
static_assert(deepseek::spec.const_value("num_gate_up_blocks") == 32);
static_assert(check_axes(axes_t{0, 1, 7168, 2048, 128, 128}) == errors::num_experts_not_positive);
static_assert(check_axes(axes_t{8, 9, 7168, 2048, 128, 128}) == errors::top_k_not_in_1_to_num_experts);
static_assert(check_axes(axes_t{8, 2, 7168, 2048, 100, 128}) == errors::scale_block_not_a_positive_multiple_of_16);
static_assert(check_axes(axes_t{8, 2, 7168, 2048, 128, 0}) == errors::scale_block_not_a_positive_multiple_of_16);
static_assert(check_axes(axes_t{8, 2, 7200, 2048, 128, 128}) == errors::hidden_size_not_a_multiple_of_scale_block_k);
static_assert(check_axes(axes_t{8, 2, 7168, 2000, 128, 128}) ==
              errors::intermediate_size_not_a_multiple_of_scale_block_n);
static_assert(check_axes(axes_t{8, 2, 7168, 2000, 16, 128}) == nullptr);

TEST_CASE("atrex fp8_blockscale_fused_moe: the definition file is valid", "[atrex][fp8_blockscale_fused_moe]") {
  const definition_spec& spec = deepseek::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) ==
        "definitions/fp8_blockscale_fused_moe/fp8_blockscale_fused_moe_e256_topk8_h7168_i2048_bn128_bk128.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"][1] == "atrex:fp8_blockscale_fused_moe");
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["inputs"]["hidden_states"]["dtype"] == "float8_e4m3fn");
  CHECK(json["inputs"]["w1"]["dtype"] == "float8_e4m3fn");
  CHECK(json["inputs"]["a_scale"]["shape"] == nlohmann::ordered_json::array({"token_count", "num_hidden_blocks"}));
  CHECK(json["inputs"]["fc1_scale"]["shape"] ==
        nlohmann::ordered_json::array({"num_experts", "num_gate_up_blocks", "num_hidden_blocks"}));
  CHECK(json["inputs"]["fc2_scale"]["shape"] ==
        nlohmann::ordered_json::array({"num_experts", "num_hidden_blocks", "num_intermediate_blocks"}));
  CHECK(json["outputs"]["out"]["dtype"] == "bfloat16");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nSCALE_BLOCK_N = 128\n") != std::string::npos);
  CHECK(reference.find("\nNUM_GATE_UP_BLOCKS = 32\n") != std::string::npos);
  CHECK(reference.find("def run(hidden_states, w1, w2, topk_weights, topk_ids, a_scale, fc1_scale, fc2_scale):") !=
        std::string::npos);
}

TEST_CASE("atrex fp8_blockscale_fused_moe: costs of the smallest and the largest shape",
          "[atrex][fp8_blockscale_fused_moe][cost]") {
  // Shape 2: T = 1, H = 7168, I = 2048, E = 256, k = 8; HB = 56, IB = 16; E_act = 8.
  // Per expert: 3*7168*2048 = 44040192 (w1, w2) + 4*32*56 = 7168 (fc1_scale) + 4*56*16 = 3584
  // (fc2_scale) = 44050944. Read 7168 (x) + 4*56 = 224 (a_scale) + 8*8 = 64 + 8 * 44050944
  // = 352415008; write 2*7168 = 14336. 8 pairs: fp8 tensor 8 * 6*7168*2048 = 704643072; CUDA
  // cores 8 * (3*2048 + 2*7168 + 3 (2*2048*56 + 7168*16)) = 8 * (6144 + 14336 + 1032192) =
  // 8421376; sigmoids 8 * 2048 = 16384.
  const auto small = codegen::fp8_blockscale_fused_moe_from_atrex(init(256, 2048, 8), input(1, 7168, 2048, 256, 8));
  CHECK(small.spec.name == "fp8_blockscale_fused_moe_e256_topk8_h7168_i2048_bn128_bk128");
  CHECK(small.cost.bytes_read == 352415008);
  CHECK(small.cost.bytes_written == 14336);
  CHECK(small.cost.flops_of(execution_unit::tensor_fp8) == 704643072);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 8421376);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 16384);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 0);
  // Shape 0: T = 30821, H = 2048, I = 768, E = 128, k = 8; HB = 16, IB = 6; E_act = 128;
  // 246568 pairs. Per expert 3*2048*768 = 4718592 + 4*12*16 = 768 + 4*16*6 = 384 = 4719744.
  // Read 30821*2048 = 63121408 + 4*30821*16 = 1972544 + 8*246568 = 1972544 + 128 * 4719744 =
  // 604127232, total 671193728; write 2*30821*2048 = 126242816. fp8 tensor 246568 * 6*2048*768
  // = 2326907584512; CUDA cores 246568 * (2304 + 4096 + 3 (2*768*16 + 2048*6)) = 246568 * 116992
  // = 28846483456; sigmoids 246568 * 768 = 189364224.
  const auto large =
      codegen::fp8_blockscale_fused_moe_from_atrex(init(128, 768, 8), input(30821, 2048, 768, 128, 8));
  CHECK(large.cost.bytes_read == 671193728);
  CHECK(large.cost.bytes_written == 126242816);
  CHECK(large.cost.flops_of(execution_unit::tensor_fp8) == 2326907584512.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 28846483456.0);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 189364224);
}

TEST_CASE("atrex fp8_blockscale_fused_moe: active experts and growth with tokens",
          "[atrex][fp8_blockscale_fused_moe][cost]") {
  // Shape 3, T = 32: E_act = 256 (1 - (31/32)^32) = 163.3138...; weights dominate the bytes.
  const roofline::cost decode = cost_of(deepseek_v3, fp8_blockscale_fused_moe_workload{32});
  const double active = 256 * (1 - std::pow(31.0 / 32.0, 32));
  CHECK(active == Approx(163.3138).epsilon(1e-5));
  CHECK(decode.bytes_read == Approx(32 * 7168 + 4 * 32 * 56 + 8 * 32 * 8 + active * 44050944.0).epsilon(1e-12));
  double previous_bytes = 0, previous_flops = 0;
  for (std::int64_t t : {1, 2, 3, 32, 100, 1000, 100000}) {
    const roofline::cost c = cost_of(deepseek_v3, fp8_blockscale_fused_moe_workload{t});
    CHECK(c.bytes() > previous_bytes);
    CHECK(c.total_flops() > previous_flops);
    // Unavoidable: x, a_scale, routing, bf16 out, and at least k experts' weights and scales.
    const double io = t * (7168.0 + 4 * 56 + 8 * 8 + 2 * 7168);
    CHECK(c.bytes() >= io + 8 * 44050944.0);
    CHECK(c.bytes() <= io + 256 * 44050944.0);
    previous_bytes = c.bytes();
    previous_flops = c.total_flops();
  }
}

TEST_CASE("atrex fp8_blockscale_fused_moe: block sizes and bad kwargs", "[atrex][fp8_blockscale_fused_moe]") {
  nlohmann::json init64 = init(128, 768, 8), input64 = input(4, 2048, 768, 128, 8);
  init64["scale_block_n"] = 64;
  input64["scale_block_n"] = 64;
  CHECK(codegen::fp8_blockscale_fused_moe_from_atrex(init64, input64).spec.name ==
        "fp8_blockscale_fused_moe_e128_topk8_h2048_i768_bn64_bk128");
  // The input maker would use its default 128: the two disagree.
  CHECK_THROWS_WITH(codegen::fp8_blockscale_fused_moe_from_atrex(init64, input(4, 2048, 768, 128, 8)),
                    Contains("fp8_blockscale_fused_moe") && Contains("scale_block_n"));
  init64["scale_block_k"] = "128";
  CHECK_THROWS_WITH(codegen::fp8_blockscale_fused_moe_from_atrex(init64, input64),
                    Contains("fp8_blockscale_fused_moe") && Contains("scale_block_k"));
  CHECK_THROWS_WITH(codegen::fp8_blockscale_fused_moe_from_atrex(nullptr, input(4, 2048, 768, 128, 8)),
                    Contains("fp8_blockscale_fused_moe") && Contains("num_experts"));
  nlohmann::json no_hidden = input(4, 2048, 768, 128, 8);
  no_hidden.erase("hidden_size");
  CHECK_THROWS_WITH(codegen::fp8_blockscale_fused_moe_from_atrex(init(128, 768, 8), no_hidden),
                    Contains("fp8_blockscale_fused_moe") && Contains("hidden_size"));
  CHECK_THROWS_WITH(codegen::fp8_blockscale_fused_moe_from_atrex(init(128, 768, 8), input(4, 2048, 768, 64, 8)),
                    Contains("fp8_blockscale_fused_moe") && Contains("num_experts"));
  CHECK_THROWS_WITH(codegen::fp8_blockscale_fused_moe_from_atrex(init(128, 700, 8), input(4, 2048, 700, 128, 8)),
                    Contains("multiple of scale_block_n"));
}

TEST_CASE("atrex fp8_blockscale_fused_moe: every atrex shape converts", "[atrex][fp8_blockscale_fused_moe]") {
  const nlohmann::json shapes = test::atrex_shapes("fp8_blockscale_fused_moe");
  CHECK(shapes.size() == 6);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted =
        codegen::fp8_blockscale_fused_moe_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    CHECK(converted.spec.name == "fp8_blockscale_fused_moe_e" + in["num_experts"].dump() + "_topk" +
                                     in["top_k"].dump() + "_h" + in["hidden_size"].dump() + "_i" +
                                     in["intermediate_size"].dump() + "_bn128_bk128");
    CHECK(problems_of(converted.spec).empty());
    const double t = in["token_count"].get<double>(), h = in["hidden_size"].get<double>();
    CHECK(converted.cost.flops_of(execution_unit::tensor_fp8) ==
          t * in["top_k"].get<double>() * 6 * h * in["intermediate_size"].get<double>());
    CHECK(converted.cost.bytes_written == 2 * t * h);
  }
}

}  // namespace solkit_test_ops_atrex_test_fp8_blockscale_fused_moe
