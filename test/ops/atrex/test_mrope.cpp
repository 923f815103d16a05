// atrex-bench's mrope as solkit definitions: names from the axes (contiguous and interleaved
// sections, NeoX and GPT-J pairs), a valid definition file, hand-computed costs of atrex's smallest
// and largest shapes, and every shape of atrex's shapes.json converted (bench/suites/atrex).

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/mrope.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/mrope/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_mrope {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(mrope<mrope_axes{16, 1, 128, 128, 16, 24, 24}>::name ==
              "mrope_neox_style_h16_kv1_d128_rd128_sec16_24_24");
static_assert(mrope<mrope_axes{16, 4, 128, 64, 11, 11, 10, true, rope_style::gptj}>::name ==
              "mrope_interleaved_gptj_style_h16_kv4_d128_rd64_sec11_11_10");
static_assert(mrope<mrope_axes{16, 1, 128, 128, 16, 24, 24}>::spec.const_value("q_size") == 2048);
static_assert(check_axes(mrope_axes{16, 1, 128, 128, 16, 24, 16}) ==
              ops::mrope::axis_errors::sections_do_not_sum_to_half_rotary_dim);
static_assert(check_axes(mrope_axes{16, 1, 128, 256, 32, 48, 48}) ==
              ops::mrope::axis_errors::rotary_dim_not_even_and_within_head_size);

namespace {
const nlohmann::json atrex_init = {{"head_size", 128},
                                   {"rotary_dim", 128},
                                   {"mrope_section", {16, 24, 24}},
                                   {"mrope_interleaved", false},
                                   {"is_neox_style", true}};

nlohmann::json input(std::int64_t tokens, std::int64_t q_heads, std::int64_t kv_heads) {
  return {{"token_count", tokens}, {"num_query_heads", q_heads}, {"num_kv_heads", kv_heads},
          {"head_size", 128}, {"rotary_dim", 128}};
}
}  // namespace

TEST_CASE("atrex mrope: the definition file is valid", "[atrex][mrope]") {
  for (const definition_spec& spec : {mrope<mrope_axes{16, 4, 128, 128, 16, 24, 24}>::spec,
                                      describe(mrope_axes{16, 4, 128, 64, 11, 11, 10, true, rope_style::gptj})}) {
    INFO(spec.name);
    CHECK(problems_of(spec).empty());
  }
  const definition_spec& spec = mrope<mrope_axes{16, 4, 128, 128, 16, 24, 24}>::spec;
  CHECK(dataset_path(spec) == "definitions/mrope/mrope_neox_style_h16_kv4_d128_rd128_sec16_24_24.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:mrope"}));
  CHECK(json["axes"]["token_count"]["type"] == "var");
  CHECK(json["inputs"]["cos"]["shape"] ==
        nlohmann::ordered_json::array({"num_sections", "token_count", "half_rotary_dim"}));
  CHECK(json["outputs"]["q_out"]["shape"] == nlohmann::ordered_json::array({"token_count", "q_size"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nMROPE_SECTION_T = 16\nMROPE_SECTION_H = 24\nMROPE_SECTION_W = 24\n") !=
        std::string::npos);
  CHECK(reference.find("ROTARY_DIM // 2, ROTARY_DIM)") != std::string::npos);  // NeoX pairs
  CHECK(reference.find("f < height_end") != std::string::npos);                // contiguous sections
  const std::string interleaved =
      reference_source(describe(mrope_axes{16, 4, 128, 64, 11, 11, 10, true, rope_style::gptj}));
  CHECK(interleaved.find("slice(0, ROTARY_DIM, 2)") != std::string::npos);  // GPT-J pairs
  CHECK(interleaved.find("f % 3 == 1") != std::string::npos);
}

TEST_CASE("atrex mrope: costs of a small and a large shape", "[atrex][mrope][cost]") {
  // Shape 3, 838 tokens, 16 q + 4 k heads of 128: q and k 838 * 20 * 128 * 2 = 4290560 B read
  // and written; cos and sin of the used stream 2 * 838 * 64 * 4 = 429056 B read (4719616 in
  // all). CUDA: 838 * 20 heads * 64 pairs * 6 = 6435840; no SFU work.
  const auto small = codegen::mrope_from_atrex(atrex_init, input(838, 16, 4));
  CHECK(small.spec.name == "mrope_neox_style_h16_kv4_d128_rd128_sec16_24_24");
  CHECK(small.cost.bytes_read == 4719616);
  CHECK(small.cost.bytes_written == 4290560);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 6435840);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 0);
  // Shape 2, 16530 tokens, 16 q + 1 k heads: q and k 16530 * 17 * 256 = 71938560 B; cos and
  // sin 4 * 16530 * 128 = 8463360 B (80401920 read); 16530 * 17 * 384 = 107907840 flops.
  const auto large = codegen::mrope_from_atrex(atrex_init, input(16530, 16, 1));
  CHECK(large.spec.name == "mrope_neox_style_h16_kv1_d128_rd128_sec16_24_24");
  CHECK(large.cost.bytes_read == 80401920);
  CHECK(large.cost.bytes_written == 71938560);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 107907840);
}

TEST_CASE("atrex mrope: bad kwargs name the operator and the key", "[atrex][mrope]") {
  nlohmann::json no_section = atrex_init;
  no_section.erase("mrope_section");
  CHECK_THROWS_WITH(codegen::mrope_from_atrex(no_section, input(8, 16, 1)),
                    Contains("mrope") && Contains("mrope_section"));
  nlohmann::json no_tokens = input(8, 16, 1);
  no_tokens.erase("token_count");
  CHECK_THROWS_WITH(codegen::mrope_from_atrex(atrex_init, no_tokens), Contains("mrope") && Contains("token_count"));
  nlohmann::json other_head = input(8, 16, 1);
  other_head["head_size"] = 64;
  CHECK_THROWS_WITH(codegen::mrope_from_atrex(atrex_init, other_head), Contains("mrope") && Contains("head_size"));
  nlohmann::json bad_sum = atrex_init;
  bad_sum["mrope_section"] = {16, 24, 16};
  CHECK_THROWS_WITH(codegen::mrope_from_atrex(bad_sum, input(8, 16, 1)), Contains("sum to rotary_dim / 2"));
  nlohmann::json bad_flag = atrex_init;
  bad_flag["mrope_interleaved"] = 1;
  CHECK_THROWS_WITH(codegen::mrope_from_atrex(bad_flag, input(8, 16, 1)),
                    Contains("mrope") && Contains("mrope_interleaved"));
  // The reference's defaults: contiguous sections, NeoX pairs.
  nlohmann::json defaults = atrex_init;
  defaults.erase("mrope_interleaved");
  defaults.erase("is_neox_style");
  CHECK(codegen::mrope_from_atrex(defaults, input(8, 16, 1)).spec.name ==
        "mrope_neox_style_h16_kv1_d128_rd128_sec16_24_24");
}

TEST_CASE("atrex mrope: every atrex shape converts", "[atrex][mrope]") {
  const nlohmann::json shapes = test::atrex_shapes("mrope");
  CHECK(shapes.size() == 5);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::mrope_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& i = shape["init_kwargs"];
    const nlohmann::json& in = shape["input_kwargs"];
    const mrope_axes axes{in["num_query_heads"], in["num_kv_heads"], i["head_size"], i["rotary_dim"],
                          i["mrope_section"][0], i["mrope_section"][1], i["mrope_section"][2],
                          i["mrope_interleaved"], i["is_neox_style"] ? rope_style::neox : rope_style::gptj};
    CHECK(check_axes(axes) == nullptr);
    CHECK(converted.spec.name == describe(axes).name);
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read > 0);
    CHECK(converted.cost.bytes_written > 0);
  }
}

}  // namespace solkit_test_ops_atrex_test_mrope
