// atrex-bench's gated_delta_rule_update as solkit definitions: names from the axes, a valid
// definition file, hand-computed costs of atrex's smallest and largest shapes, cost growth with
// each var quantity, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/gated_delta_rule_update.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/gated_delta_rule_update/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_gated_delta_rule_update {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
using axes_t = gated_delta_rule_update_axes;
namespace errors = ops::gated_delta_rule_update::axis_errors;

nlohmann::json init_kwargs() {
  return {{"softplus_beta", 1.0}, {"softplus_threshold", 20.0}, {"use_qk_l2norm", true}};
}
nlohmann::json input_kwargs(std::int64_t tokens, std::int64_t hq = 16, std::int64_t hv = 32) {
  return {{"batch_size", 1}, {"token_count", tokens}, {"num_q_heads", hq}, {"num_v_heads", hv},
          {"key_dim", 128},  {"value_dim", 128},      {"state_count", 2}};
}
}  // namespace

static_assert(gated_delta_rule_update<axes_t{16, 32, 128, 128}>::name ==
              "gated_delta_rule_update_qk16_v32_dk128_dv128");
static_assert(gated_delta_rule_update<axes_t{4, 8, 64, 128}>::name ==
              "gated_delta_rule_update_qk4_v8_dk64_dv128");
static_assert(gated_delta_rule_update<axes_t{16, 32, 128, 128}>::op_type == "gated_delta_rule_update");
static_assert(gated_delta_rule_update<axes_t{16, 32, 128, 128}>::spec.const_value("num_k_heads") == 16);
static_assert(!gated_delta_rule_update<axes_t{16, 32, 128, 128}>::spec.const_value("state_count"));
static_assert(check_axes(axes_t{0, 32, 128, 128}) == errors::num_q_heads_not_positive);
static_assert(check_axes(axes_t{16, 24, 128, 128}) == errors::num_v_heads_not_a_multiple_of_num_q_heads);
static_assert(check_axes(axes_t{16, 0, 128, 128}) == errors::num_v_heads_not_a_multiple_of_num_q_heads);
static_assert(check_axes(axes_t{16, 32, 96, 128}) == errors::key_dim_not_64_or_128);
static_assert(check_axes(axes_t{16, 32, 128, 256}) == errors::value_dim_not_64_or_128);

TEST_CASE("atrex gated_delta_rule_update: the definition file is valid", "[atrex][gated_delta_rule_update]") {
  const definition_spec& spec = gated_delta_rule_update<axes_t{16, 32, 128, 128}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) ==
        "definitions/gated_delta_rule_update/gated_delta_rule_update_qk16_v32_dk128_dv128.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] ==
        nlohmann::ordered_json::array({"source:atrex-bench", "atrex:gated_delta_rule_update"}));
  CHECK(json["axes"]["batch_size"]["type"] == "var");
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["axes"]["state_count"]["type"] == "var");
  CHECK(json["axes"]["num_v_heads"]["value"] == 32);
  CHECK(json["inputs"]["initial_state"]["shape"] ==
        nlohmann::ordered_json::array({"state_count", "num_v_heads", "key_dim", "value_dim"}));
  CHECK(json["inputs"]["initial_state"]["dtype"] == "float32");
  CHECK(json["inputs"]["dt_bias"]["dtype"] == "bfloat16");
  CHECK(json["inputs"]["initial_state_indices"]["dtype"] == "int32");
  CHECK(json["inputs"]["scale"]["shape"].is_null());
  CHECK(json["outputs"]["out"]["shape"] ==
        nlohmann::ordered_json::array({"batch_size", "token_count", "num_v_heads", "value_dim"}));
  CHECK(json["outputs"]["final_state"]["dtype"] == "float32");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_Q_HEADS = 16\n") != std::string::npos);
  CHECK(reference.find("\nKEY_DIM = 128\n") != std::string::npos);
  CHECK(reference.find("def run(A_log, a, dt_bias, q, k, v, b, initial_state, initial_state_indices, scale)") !=
        std::string::npos);
}

TEST_CASE("atrex gated_delta_rule_update: costs of a small and a large shape",
          "[atrex][gated_delta_rule_update][cost]") {
  // Shape 0: B = 1, T = 1, Hq = 16, Hv = 32, K = V = 128; state row 32 * 128 * 128 = 524288 f32.
  // Read: q, k 4 * 16 * 128 = 8192; v 2 * 32 * 128 = 8192; a, b 4 * 32 = 128; A_log, dt_bias
  // 6 * 32 = 192; state 4 * 524288 = 2097152; index 4: 2113860. Written: out 8192 + state 2097152
  // = 2105344. CUDA cores (T == 1): 7 * 32 * 16384 = 3670016 + 32 * (2 * 128 + 2) = 8256 +
  // 6 * 16 * 128 = 12288: 3690560. SFU: 4 * 32 + 32 + 2 * 16 = 192.
  const auto small = codegen::gated_delta_rule_update_from_atrex(init_kwargs(), input_kwargs(1));
  CHECK(small.spec.name == "gated_delta_rule_update_qk16_v32_dk128_dv128");
  CHECK(small.cost.bytes_read == 2113860);
  CHECK(small.cost.bytes_written == 2105344);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 3690560);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 0);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 192);
  // Shape 7: T = 8192. Read: q, k 4 * 8192 * 16 * 128 = 67108864; v 2 * 8192 * 32 * 128 =
  // 67108864; a, b 4 * 8192 * 32 = 1048576; 192; 2097152; 4: 137363652. Written: 67108864 +
  // 2097152 = 69206016. bf16 tensor (T > 1): 7 * 8192 * 32 * 16384 = 30064771072. CUDA cores:
  // 8192 * 32 * 258 = 67633152 + 6 * 8192 * 16 * 128 = 100663296: 168296448.
  // SFU: 4 * 8192 * 32 = 1048576 + 32 + 2 * 8192 * 16 = 262144: 1310752.
  const auto large = codegen::gated_delta_rule_update_from_atrex(init_kwargs(), input_kwargs(8192));
  CHECK(large.cost.bytes_read == 137363652);
  CHECK(large.cost.bytes_written == 69206016);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 30064771072.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 168296448);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 1310752);
}

TEST_CASE("atrex gated_delta_rule_update: cost grows with each var quantity and covers the I/O",
          "[atrex][gated_delta_rule_update][cost]") {
  const axes_t axes{16, 32, 128, 128};
  const roofline::cost base = cost_of(axes, {2, 3});
  for (const roofline::cost& more : {cost_of(axes, {3, 3}), cost_of(axes, {2, 4})}) {
    CHECK(more.bytes_read > base.bytes_read);
    CHECK(more.bytes_written > base.bytes_written);
    CHECK(more.total_flops() > base.total_flops());
    CHECK(more.flops_of(execution_unit::sfu) > base.flops_of(execution_unit::sfu));
  }
  // Unavoidable: q, k, v, a, b, the used state rows in; out and the used state rows out.
  for (const auto& [b, t] : {std::pair{1, 1}, std::pair{4, 1}, std::pair{1, 130}, std::pair{3, 7}}) {
    const double tokens = b * t, state = 4.0 * b * 32 * 128 * 128;
    const roofline::cost c = cost_of(axes, {b, t});
    CHECK(c.bytes_read >= tokens * (2 * 2 * 16 * 128 + 2 * 32 * 128 + 2 * 2 * 32) + state);
    CHECK(c.bytes_written >= tokens * 2 * 32 * 128 + state);
    CHECK(c.total_flops() >= 7 * tokens * 32 * 128 * 128);
  }
  // The recurrence moves to the bf16 tensor cores from T = 2; the state traffic does not grow with T.
  CHECK(cost_of(axes, {1, 2}).flops_of(execution_unit::tensor_bf16) == 7 * 2 * 32 * 128 * 128);
  CHECK(cost_of(axes, {1, 2}).flops_of(execution_unit::cuda_fp32) < 7 * 32 * 128 * 128);
  CHECK(cost_of(axes, {1, 2}).bytes_written - cost_of(axes, {1, 1}).bytes_written == 2 * 32 * 128);
  // Only the used pool rows count: state_count does not enter the cost.
  const auto pool2 = codegen::gated_delta_rule_update_from_atrex(init_kwargs(), input_kwargs(1));
  nlohmann::json big_pool = input_kwargs(1);
  big_pool["state_count"] = 1000;
  const auto pool1000 = codegen::gated_delta_rule_update_from_atrex(init_kwargs(), big_pool);
  CHECK(pool1000.cost.bytes() == pool2.cost.bytes());
}

TEST_CASE("atrex gated_delta_rule_update: bad kwargs name the operator and the key",
          "[atrex][gated_delta_rule_update]") {
  const auto convert = [](const nlohmann::json& init, const nlohmann::json& input) {
    return codegen::gated_delta_rule_update_from_atrex(init, input);
  };
  for (const char* key : {"batch_size", "token_count", "num_q_heads", "num_v_heads", "key_dim", "value_dim",
                          "state_count"}) {
    INFO(key);
    nlohmann::json missing = input_kwargs(1), bad = input_kwargs(1);
    missing.erase(key);
    bad[key] = "16";
    CHECK_THROWS_WITH(convert(init_kwargs(), missing), Contains("gated_delta_rule_update") && Contains(key));
    CHECK_THROWS_WITH(convert(init_kwargs(), bad), Contains("gated_delta_rule_update") && Contains(key));
  }
  nlohmann::json init = init_kwargs();
  init["softplus_beta"] = 2.0;
  CHECK_THROWS_WITH(convert(init, input_kwargs(1)), Contains("gated_delta_rule_update") && Contains("softplus_beta"));
  init = init_kwargs();
  init["softplus_threshold"] = "20";
  CHECK_THROWS_WITH(convert(init, input_kwargs(1)), Contains("softplus_threshold"));
  init = init_kwargs();
  init["use_qk_l2norm"] = false;
  CHECK_THROWS_WITH(convert(init, input_kwargs(1)), Contains("gated_delta_rule_update") && Contains("use_qk_l2norm"));
  init = init_kwargs();
  init["scale"] = "0.1";
  CHECK_THROWS_WITH(convert(init, input_kwargs(1)), Contains("scale"));
  init["scale"] = 0.0;  // atrex: a zero scale; the definition: the default 1/sqrt(K)
  CHECK_THROWS_WITH(convert(init, input_kwargs(1)), Contains("scale") && Contains("0"));
  CHECK_THROWS_WITH(convert(nlohmann::json::array(), input_kwargs(1)), Contains("init_kwargs"));
  nlohmann::json shared = input_kwargs(1);
  shared["batch_size"] = 3;
  CHECK_THROWS_WITH(convert(init_kwargs(), shared), Contains("state_count") && Contains("batch_size"));
  CHECK_THROWS_WITH(convert(init_kwargs(), input_kwargs(1, 16, 24)), Contains("multiple of num_q_heads"));
  // atrex's defaults (absent keys, null or numeric scale) are accepted.
  CHECK_NOTHROW(convert(nullptr, input_kwargs(1)));
  init = init_kwargs();
  init["scale"] = 0.125;
  CHECK_NOTHROW(convert(init, input_kwargs(1)));
  init["scale"] = nullptr;
  CHECK_NOTHROW(convert(init, input_kwargs(1)));
}

TEST_CASE("atrex gated_delta_rule_update: every atrex shape converts", "[atrex][gated_delta_rule_update]") {
  const nlohmann::json shapes = test::atrex_shapes("gated_delta_rule_update");
  CHECK(shapes.size() == 17);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted =
        codegen::gated_delta_rule_update_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    const axes_t axes{in["num_q_heads"], in["num_v_heads"], in["key_dim"], in["value_dim"]};
    CHECK(check_axes(axes) == nullptr);
    CHECK(converted.spec.name == std::string{name_of(axes)});
    CHECK(problems_of(converted.spec).empty());
    const bool decode = in["token_count"] == 1;
    CHECK((converted.cost.flops_of(execution_unit::tensor_bf16) > 0) == !decode);
    CHECK(converted.cost.bytes_read > converted.cost.bytes_written);
    CHECK(converted.cost.flops_of(execution_unit::sfu) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_gated_delta_rule_update
