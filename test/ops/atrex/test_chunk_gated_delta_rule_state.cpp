// atrex-bench's chunk_gated_delta_rule_state as solkit definitions: names from the axes, a valid
// definition file, hand-computed costs of atrex's smallest and largest shapes (only the used pool
// rows), growth with each var quantity, and every shape of atrex's shapes.json converted.

#include <array>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/chunk_gated_delta_rule_state.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/chunk_gated_delta_rule_state/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_chunk_gated_delta_rule_state {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
using axes_t = chunk_gated_delta_rule_state_axes;
namespace errors = ops::chunk_gated_delta_rule_state::axis_errors;

nlohmann::json input(std::int64_t hk, std::int64_t hv, std::int64_t t, std::int64_t b = 1,
                     std::int64_t pool = 474) {
  return {{"batch_size", b}, {"token_count", t}, {"num_k_heads", hk}, {"num_v_heads", hv},
          {"key_dim", 128},  {"value_dim", 128}, {"state_count", pool}};
}
const nlohmann::json init = {{"chunk_size", 64}};
}  // namespace

static_assert(chunk_gated_delta_rule_state<axes_t{16, 32, 128, 128, 64}>::name ==
              "chunk_gated_delta_rule_state_hk16_hv32_dk128_dv128_c64");
static_assert(chunk_gated_delta_rule_state<axes_t{1, 2, 128, 128, 64}>::name ==
              "chunk_gated_delta_rule_state_hk1_hv2_dk128_dv128_c64");
static_assert(chunk_gated_delta_rule_state<axes_t{1, 2, 128, 128, 64}>::op_type == "chunk_gated_delta_rule_state");
static_assert(chunk_gated_delta_rule_state<axes_t{1, 2, 64, 32, 32}>::spec.const_value("chunk_size") == 32);
static_assert(check_axes(axes_t{0, 2, 128, 128, 64}) == errors::num_k_heads_not_positive);
static_assert(check_axes(axes_t{2, 3, 128, 128, 64}) == errors::num_v_heads_not_a_multiple_of_num_k_heads);
static_assert(check_axes(axes_t{2, 4, 100, 128, 64}) == errors::key_dim_not_a_multiple_of_16_up_to_256);
static_assert(check_axes(axes_t{2, 4, 512, 128, 64}) == errors::key_dim_not_a_multiple_of_16_up_to_256);
static_assert(check_axes(axes_t{2, 4, 128, 0, 64}) == errors::value_dim_not_a_positive_multiple_of_16);
static_assert(check_axes(axes_t{2, 4, 128, 128, 60}) == errors::chunk_size_not_a_positive_multiple_of_16);
static_assert(check_axes(axes_t{2, 4, 128, 128, 64}) == nullptr);

TEST_CASE("atrex chunk_gated_delta_rule_state: the definition file is valid", "[atrex][chunk_gated_delta_rule_state]") {
  const definition_spec& spec = chunk_gated_delta_rule_state<axes_t{16, 32, 128, 128, 64}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/chunk_gated_delta_rule_state/"
                              "chunk_gated_delta_rule_state_hk16_hv32_dk128_dv128_c64.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:chunk_gated_delta_rule_state"}));
  for (const char* var : {"batch_size", "token_count", "num_chunks", "state_count"}) {
    CHECK(json["axes"][var]["type"] == "var");
  }
  CHECK(json["axes"]["chunk_size"]["value"] == 64);
  CHECK(json["inputs"]["initial_state"]["shape"] ==
        nlohmann::ordered_json::array({"state_count", "num_v_heads", "key_dim", "value_dim"}));
  CHECK(json["inputs"]["initial_state"]["dtype"] == "float32");
  CHECK(json["inputs"]["initial_state_indices"]["dtype"] == "int32");
  CHECK(json["inputs"]["g"]["dtype"] == "float32");
  CHECK(json["outputs"]["h"]["shape"] ==
        nlohmann::ordered_json::array({"batch_size", "num_chunks", "num_v_heads", "key_dim", "value_dim"}));
  CHECK(json["outputs"]["h"]["dtype"] == "bfloat16");
  CHECK(json["outputs"]["final_state"]["dtype"] == "float32");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_K_HEADS = 16\nNUM_V_HEADS = 32\nKEY_DIM = 128\nVALUE_DIM = 128\nCHUNK_SIZE = 64\n") !=
        std::string::npos);
}

TEST_CASE("atrex chunk_gated_delta_rule_state: costs of the smallest and the largest shape",
          "[atrex][chunk_gated_delta_rule_state][cost]") {
  // Shape 0: B 1, T 2048, Hk 1, Hv 2, K = V = 128, NT = 32; one used state of 2*128*128 = 32768.
  // Read: k 2*2048*128 = 524288, w 2*2048*2*128 = 1048576, u 1048576, g 4*2048*2 = 16384,
  // state 4*32768 = 131072, index 4: 2768900. Written: h 2*32*32768 = 2097152, v_new 1048576,
  // state 131072: 3276800 (both as atrex). Tensor 4*2048*2*16384 = 268435456; CUDA cores
  // 32*32768 + 2*2048*2*128 + 2048*2 = 1048576 + 1048576 + 4096 = 2101248; SFU 4096 + 32*2 = 4160.
  const auto small = codegen::chunk_gated_delta_rule_state_from_atrex(init, input(1, 2, 2048));
  CHECK(small.spec.name == "chunk_gated_delta_rule_state_hk1_hv2_dk128_dv128_c64");
  CHECK(small.cost.bytes_read == 2768900);
  CHECK(small.cost.bytes_written == 3276800);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 268435456);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 2101248);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 4160);
  // Shape 24: T 11027 (172 full chunks + 19 tokens, NT = 173), Hk 16, Hv 32, pool 1116 rows.
  // Read: k 11027*4096 = 45166592, w and u 11027*8192 = 90333184 each, g 11027*128 = 1411456,
  // state 4*32*16384 = 2097152, index 4: 229341572. Written: h 173*2*32*16384 = 181403648,
  // v_new 90333184, state 2097152: 273833984 (both as atrex). Tensor 4*11027*32*16384 =
  // 23125295104; CUDA cores 173*524288 + 90333184 + 11027*32 = 90701824 + 90333184 + 352864 =
  // 181387872; SFU 352864 + 173*32 = 358400.
  const auto large = codegen::chunk_gated_delta_rule_state_from_atrex(init, input(16, 32, 11027, 1, 1116));
  CHECK(large.cost.bytes_read == 229341572);
  CHECK(large.cost.bytes_written == 273833984);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 23125295104.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 181387872);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 358400);
  // The pool's size does not matter: only the used rows move.
  const auto bigger_pool = codegen::chunk_gated_delta_rule_state_from_atrex(init, input(16, 32, 11027, 1, 100000));
  CHECK(bigger_pool.cost.bytes() == large.cost.bytes());
}

TEST_CASE("atrex chunk_gated_delta_rule_state: cost grows with tokens and sequences, covers the tensors",
          "[atrex][chunk_gated_delta_rule_state][cost]") {
  const axes_t axes{2, 4, 128, 128, 64};
  const double k = 128, v = 128, hk = 2, hv = 4;
  roofline::cost previous = cost_of(axes, {1, 1});
  const std::array<chunk_gated_delta_rule_state_workload, 5> steps{{{1, 64}, {1, 65}, {2, 65}, {2, 4096}, {8, 4096}}};
  for (const chunk_gated_delta_rule_state_workload& w : steps) {
    const roofline::cost c = cost_of(axes, w);
    CHECK(c.bytes_read > previous.bytes_read);
    CHECK(c.bytes_written > previous.bytes_written);
    CHECK(c.flops_of(execution_unit::tensor_bf16) > previous.flops_of(execution_unit::tensor_bf16));
    CHECK(c.flops_of(execution_unit::sfu) > previous.flops_of(execution_unit::sfu));
    const double b = static_cast<double>(w.batch_size), t = static_cast<double>(w.token_count);
    const double chunks = static_cast<double>((w.token_count + 63) / 64);
    CHECK(c.bytes_read >= 2 * b * t * (hk * k + hv * k + hv * v) + 4 * b * t * hv + 4 * b * hv * k * v);
    CHECK(c.bytes_written >= 2 * b * chunks * hv * k * v + 2 * b * t * hv * v + 4 * b * hv * k * v);
    previous = c;
  }
}

TEST_CASE("atrex chunk_gated_delta_rule_state: bad kwargs name the operator and the key",
          "[atrex][chunk_gated_delta_rule_state]") {
  for (const char* key : {"batch_size", "token_count", "num_k_heads", "num_v_heads", "key_dim", "value_dim",
                          "state_count"}) {
    nlohmann::json missing = input(2, 4, 128);
    missing.erase(key);
    CHECK_THROWS_WITH(codegen::chunk_gated_delta_rule_state_from_atrex(init, missing),
                      Contains("chunk_gated_delta_rule_state") && Contains(key));
    nlohmann::json ill_typed = input(2, 4, 128);
    ill_typed[key] = "8";
    CHECK_THROWS_WITH(codegen::chunk_gated_delta_rule_state_from_atrex(init, ill_typed),
                      Contains("chunk_gated_delta_rule_state") && Contains(key));
  }
  CHECK_THROWS_WITH(codegen::chunk_gated_delta_rule_state_from_atrex({{"chunk_size", 0}}, input(2, 4, 128)),
                    Contains("chunk_gated_delta_rule_state") && Contains("chunk_size"));
  CHECK_THROWS_WITH(codegen::chunk_gated_delta_rule_state_from_atrex(init, input(2, 4, 128, 3, 2)),
                    Contains("chunk_gated_delta_rule_state") && Contains("batch_size"));
  CHECK_THROWS_WITH(codegen::chunk_gated_delta_rule_state_from_atrex(init, input(2, 3, 128)),
                    Contains("chunk_gated_delta_rule_state") && Contains("multiple of num_k_heads"));
  CHECK_THROWS_WITH(codegen::chunk_gated_delta_rule_state_from_atrex({{"chunk_size", 40}}, input(2, 4, 128)),
                    Contains("chunk_size must be a positive multiple of 16"));
  // chunk_size defaults to the reference's 64.
  CHECK(codegen::chunk_gated_delta_rule_state_from_atrex(nullptr, input(2, 4, 128)).spec.name ==
        "chunk_gated_delta_rule_state_hk2_hv4_dk128_dv128_c64");
}

TEST_CASE("atrex chunk_gated_delta_rule_state: every atrex shape converts", "[atrex][chunk_gated_delta_rule_state]") {
  const nlohmann::json shapes = test::atrex_shapes("chunk_gated_delta_rule_state");
  CHECK(shapes.size() == 25);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::chunk_gated_delta_rule_state_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    const axes_t axes{in["num_k_heads"], in["num_v_heads"], in["key_dim"], in["value_dim"],
                      shape["init_kwargs"]["chunk_size"]};
    CHECK(check_axes(axes) == nullptr);
    CHECK(converted.spec.name == describe(axes).name);
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::tensor_bf16) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_chunk_gated_delta_rule_state
