// atrex-bench's chunk_delta_rule_output as solkit definitions: names from the axes, a valid
// definition file, hand-computed costs of atrex's smallest and largest shapes (causal pairs only,
// q.k^T once per query head), growth with each var quantity, and every shape of atrex's
// shapes.json converted.

#include <array>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/chunk_delta_rule_output.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/chunk_delta_rule_output/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_chunk_delta_rule_output {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
using axes_t = chunk_delta_rule_output_axes;
namespace errors = ops::chunk_delta_rule_output::axis_errors;

nlohmann::json input(std::int64_t hq, std::int64_t hv, std::int64_t t, std::int64_t b = 1) {
  return {{"batch_size", b}, {"token_count", t}, {"num_q_heads", hq}, {"num_v_heads", hv},
          {"key_dim", 128},  {"value_dim", 128}, {"chunk_size", 64}};
}
const nlohmann::json init = {{"chunk_size", 64}};
}  // namespace

static_assert(chunk_delta_rule_output<axes_t{16, 32, 128, 128, 64}>::name ==
              "chunk_delta_rule_output_hq16_hv32_dk128_dv128_c64");
static_assert(chunk_delta_rule_output<axes_t{8, 16, 128, 128, 64}>::name ==
              "chunk_delta_rule_output_hq8_hv16_dk128_dv128_c64");
static_assert(chunk_delta_rule_output<axes_t{8, 16, 128, 128, 64}>::op_type == "chunk_delta_rule_output");
static_assert(check_axes(axes_t{0, 16, 128, 128, 64}) == errors::num_q_heads_not_positive);
static_assert(check_axes(axes_t{8, 12, 128, 128, 64}) == errors::num_v_heads_not_a_multiple_of_num_q_heads);
static_assert(check_axes(axes_t{8, 16, 72, 128, 64}) == errors::key_dim_not_a_multiple_of_16_up_to_256);
static_assert(check_axes(axes_t{8, 16, 272, 128, 64}) == errors::key_dim_not_a_multiple_of_16_up_to_256);
static_assert(check_axes(axes_t{8, 16, 128, 24, 64}) == errors::value_dim_not_a_positive_multiple_of_16);
static_assert(check_axes(axes_t{8, 16, 128, 128, 0}) == errors::chunk_size_not_a_positive_multiple_of_16);
static_assert(ops::chunk_delta_rule_output::causal_pairs(64, 64) == 2080);
static_assert(ops::chunk_delta_rule_output::causal_pairs(130, 64) == 2 * 2080 + 3);

TEST_CASE("atrex chunk_delta_rule_output: the definition file is valid", "[atrex][chunk_delta_rule_output]") {
  const definition_spec& spec = chunk_delta_rule_output<axes_t{16, 32, 128, 128, 64}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) ==
        "definitions/chunk_delta_rule_output/chunk_delta_rule_output_hq16_hv32_dk128_dv128_c64.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:chunk_delta_rule_output"}));
  CHECK(json["axes"]["num_chunks"]["type"] == "var");
  CHECK(json["axes"]["num_q_heads"]["value"] == 16);
  CHECK(json["inputs"]["k"]["shape"] ==
        nlohmann::ordered_json::array({"batch_size", "token_count", "num_q_heads", "key_dim"}));
  CHECK(json["inputs"]["h"]["dtype"] == "bfloat16");
  CHECK(json["inputs"]["g"]["dtype"] == "float32");
  CHECK(json["outputs"]["o"]["shape"] ==
        nlohmann::ordered_json::array({"batch_size", "token_count", "num_v_heads", "value_dim"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nNUM_Q_HEADS = 16\nNUM_V_HEADS = 32\nKEY_DIM = 128\nVALUE_DIM = 128\nCHUNK_SIZE = 64\n") !=
        std::string::npos);
}

TEST_CASE("atrex chunk_delta_rule_output: costs of the smallest and the largest shape",
          "[atrex][chunk_delta_rule_output][cost]") {
  // Shape 0: B 1, T 64, Hq 16, Hv 32, K = V = 128, one chunk: P = 64*65/2 = 2080 causal pairs.
  // Read: q, k 4*64*16*128 = 524288, v 2*64*32*128 = 524288, h 2*32*16384 = 1048576, g 4*64*32 =
  // 8192: 2105344; written 524288 (both as atrex). Tensor: q.h 2*64*32*16384 = 67108864,
  // q.k^T 2*2080*16*128 = 8519680, A.v 2*2080*32*128 = 17039360: 92667904. CUDA cores
  // 2*2080*32 + 2*64*32*128 = 133120 + 524288 = 657408; SFU 2080*32 + 64*32 = 68608.
  const auto small = codegen::chunk_delta_rule_output_from_atrex(init, input(16, 32, 64));
  CHECK(small.spec.name == "chunk_delta_rule_output_hq16_hv32_dk128_dv128_c64");
  CHECK(small.cost.bytes_read == 2105344);
  CHECK(small.cost.bytes_written == 524288);
  CHECK(small.cost.flops_of(execution_unit::tensor_bf16) == 92667904);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 657408);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 68608);
  // Shape 15: T 14807 = 231 full chunks + 23 tokens (NT 232): P = 231*2080 + 23*24/2 = 480756.
  // Read: q, k 14807*8192 = 121298944, v 121298944, h 232*2*32*16384 = 243269632, g 14807*128 =
  // 1895296: 487762816; written 121298944 (both as atrex). Tensor: 14807*1048576 = 15526264832
  // + 480756*4096 = 1969176576 + 480756*8192 = 3938353152: 21433794560. CUDA cores
  // 2*480756*32 + 121298944 = 30768384 + 121298944 = 152067328; SFU 480756*32 + 14807*32 =
  // 15384192 + 473824 = 15858016.
  const auto large = codegen::chunk_delta_rule_output_from_atrex(init, input(16, 32, 14807));
  CHECK(large.cost.bytes_read == 487762816);
  CHECK(large.cost.bytes_written == 121298944);
  CHECK(large.cost.flops_of(execution_unit::tensor_bf16) == 21433794560.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 152067328);
  CHECK(large.cost.flops_of(execution_unit::sfu) == 15858016);
}

TEST_CASE("atrex chunk_delta_rule_output: cost grows with tokens and sequences, covers the tensors",
          "[atrex][chunk_delta_rule_output][cost]") {
  const axes_t axes{8, 16, 128, 128, 64};
  const double k = 128, v = 128, hq = 8, hv = 16;
  roofline::cost previous = cost_of(axes, {1, 1});
  const std::array<chunk_delta_rule_output_workload, 5> steps{{{1, 63}, {1, 65}, {2, 65}, {2, 4096}, {4, 4096}}};
  for (const chunk_delta_rule_output_workload& w : steps) {
    const roofline::cost c = cost_of(axes, w);
    CHECK(c.bytes_read > previous.bytes_read);
    CHECK(c.bytes_written > previous.bytes_written);
    for (execution_unit unit : {execution_unit::tensor_bf16, execution_unit::cuda_fp32, execution_unit::sfu}) {
      CHECK(c.flops_of(unit) > previous.flops_of(unit));
    }
    const double b = static_cast<double>(w.batch_size), t = static_cast<double>(w.token_count);
    const double chunks = static_cast<double>((w.token_count + 63) / 64);
    CHECK(c.bytes_read >= 2 * b * t * (2 * hq * k + hv * v) + 2 * b * chunks * hv * k * v + 4 * b * t * hv);
    CHECK(c.bytes_written >= 2 * b * t * hv * v);
    // Never more than atrex's full-block count of tensor work.
    CHECK(c.flops_of(execution_unit::tensor_bf16) <= 2 * b * chunks * 64 * hv * (k * v + 64 * k + 64 * v));
    previous = c;
  }
}

TEST_CASE("atrex chunk_delta_rule_output: bad kwargs name the operator and the key", "[atrex][chunk_delta_rule_output]") {
  for (const char* key : {"batch_size", "token_count", "num_q_heads", "num_v_heads", "key_dim", "value_dim"}) {
    nlohmann::json missing = input(8, 16, 128);
    missing.erase(key);
    CHECK_THROWS_WITH(codegen::chunk_delta_rule_output_from_atrex(init, missing),
                      Contains("chunk_delta_rule_output") && Contains(key));
    nlohmann::json ill_typed = input(8, 16, 128);
    ill_typed[key] = -1;
    CHECK_THROWS_WITH(codegen::chunk_delta_rule_output_from_atrex(init, ill_typed),
                      Contains("chunk_delta_rule_output") && Contains(key));
  }
  CHECK_THROWS_WITH(codegen::chunk_delta_rule_output_from_atrex({{"chunk_size", 128}}, input(8, 16, 128)),
                    Contains("chunk_delta_rule_output") && Contains("chunk_size"));
  CHECK_THROWS_WITH(codegen::chunk_delta_rule_output_from_atrex({{"chunk_size", 64}, {"scale", 0.5}}, input(8, 16, 128)),
                    Contains("chunk_delta_rule_output") && Contains("scale"));
  CHECK_THROWS_WITH(codegen::chunk_delta_rule_output_from_atrex({{"scale", "auto"}}, input(8, 16, 128)),
                    Contains("chunk_delta_rule_output") && Contains("scale"));
  CHECK_THROWS_WITH(codegen::chunk_delta_rule_output_from_atrex(init, input(8, 12, 128)),
                    Contains("chunk_delta_rule_output") && Contains("multiple of num_q_heads"));
  // scale may be absent, null or 1 / sqrt(key_dim); chunk sizes default to 64.
  CHECK_NOTHROW(codegen::chunk_delta_rule_output_from_atrex({{"scale", nullptr}}, input(8, 16, 128)));
  CHECK_NOTHROW(codegen::chunk_delta_rule_output_from_atrex({{"scale", 0.08838834764831845}}, input(8, 16, 128)));
  nlohmann::json no_chunk = input(8, 16, 128);
  no_chunk.erase("chunk_size");
  CHECK(codegen::chunk_delta_rule_output_from_atrex(nullptr, no_chunk).spec.name ==
        "chunk_delta_rule_output_hq8_hv16_dk128_dv128_c64");
}

TEST_CASE("atrex chunk_delta_rule_output: every atrex shape converts", "[atrex][chunk_delta_rule_output]") {
  const nlohmann::json shapes = test::atrex_shapes("chunk_delta_rule_output");
  CHECK(shapes.size() == 16);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::chunk_delta_rule_output_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    const axes_t axes{in["num_q_heads"], in["num_v_heads"], in["key_dim"], in["value_dim"], in["chunk_size"]};
    CHECK(check_axes(axes) == nullptr);
    CHECK(converted.spec.name == describe(axes).name);
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
    CHECK(converted.cost.flops_of(execution_unit::tensor_bf16) > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_chunk_delta_rule_output
