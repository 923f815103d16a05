// atrex-bench's block_scaled_mm as solkit definitions: names from the axes, a valid definition
// file, hand-computed costs of atrex's smallest and largest shapes, growth with m, and every
// shape of atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/block_scaled_mm.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/block_scaled_mm/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_block_scaled_mm {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

namespace {
constexpr block_scaled_mm_axes n2048{2048, 2048, 128, 128};
namespace errors = ops::block_scaled_mm::axis_errors;

const nlohmann::json groups = {{"group_n", 128}, {"group_k", 128}};
nlohmann::json input(std::int64_t m, std::int64_t n, std::int64_t k) {
  return {{"m", m}, {"n", n}, {"k", k}, {"group_n", 128}, {"group_k", 128}};
}
}  // namespace

static_assert(block_scaled_mm<n2048>::name == "block_scaled_mm_n2048_k2048_gn128_gk128");
static_assert(block_scaled_mm<block_scaled_mm_axes{4096, 7168, 64, 128}>::name ==
              "block_scaled_mm_n4096_k7168_gn64_gk128");
static_assert(block_scaled_mm<n2048>::op_type == "block_scaled_mm");
static_assert(block_scaled_mm<block_scaled_mm_axes{4096, 7168, 64, 128}>::spec.const_value("num_n_groups") == 64);
static_assert(block_scaled_mm<block_scaled_mm_axes{4096, 7168, 64, 128}>::spec.const_value("num_k_groups") == 56);
static_assert(check_axes(block_scaled_mm_axes{2048, 2048, 100, 128}) == errors::group_not_a_positive_multiple_of_16);
static_assert(check_axes(block_scaled_mm_axes{2048, 2048, 128, 0}) == errors::group_not_a_positive_multiple_of_16);
static_assert(check_axes(block_scaled_mm_axes{2000, 2048, 128, 128}) == errors::n_not_a_multiple_of_group_n);
static_assert(check_axes(block_scaled_mm_axes{0, 2048, 128, 128}) == errors::n_not_a_multiple_of_group_n);
static_assert(check_axes(block_scaled_mm_axes{2048, 2000, 128, 128}) == errors::k_not_a_multiple_of_group_k);

TEST_CASE("atrex block_scaled_mm: the definition file is valid", "[atrex][block_scaled_mm]") {
  const definition_spec& spec = block_scaled_mm<n2048>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/block_scaled_mm/block_scaled_mm_n2048_k2048_gn128_gk128.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"][1] == "atrex:block_scaled_mm");
  CHECK(json["axes"]["m"]["type"] == "var");
  CHECK(json["axes"]["num_k_groups"]["value"] == 16);
  CHECK(json["inputs"]["a"]["dtype"] == "float8_e4m3fn");
  CHECK(json["inputs"]["b"]["shape"] == nlohmann::ordered_json::array({"n", "k"}));
  CHECK(json["inputs"]["b_scales"]["shape"] == nlohmann::ordered_json::array({"num_n_groups", "num_k_groups"}));
  CHECK(json["outputs"]["c"]["dtype"] == "float32");
  const std::string reference = json["reference"];
  CHECK(reference.find("\nN = 2048\n") != std::string::npos);
  CHECK(reference.find("\nGROUP_K = 128\n") != std::string::npos);
  CHECK(reference.find("def run(a, b, a_scales, b_scales):") != std::string::npos);
}

TEST_CASE("atrex block_scaled_mm: costs of the smallest and the largest shape", "[atrex][block_scaled_mm][cost]") {
  // Shape 0: m = 349, n = k = 2048, groups 128: KG = NG = 16. Read 349*2048 = 714752 (a) +
  // 2048*2048 = 4194304 (b) + 4*349*16 = 22336 (a_scales) + 4*16*16 = 1024 (b_scales) = 4932416;
  // write 4*349*2048 = 2859008. fp8 tensor 2*349*2048*2048 = 2927624192; CUDA cores
  // 3*349*2048*16 = 34308096.
  const auto small = codegen::block_scaled_mm_from_atrex(groups, input(349, 2048, 2048));
  CHECK(small.spec.name == "block_scaled_mm_n2048_k2048_gn128_gk128");
  CHECK(small.cost.bytes_read == 4932416);
  CHECK(small.cost.bytes_written == 2859008);
  CHECK(small.cost.flops_of(execution_unit::tensor_fp8) == 2927624192.0);
  CHECK(small.cost.flops_of(execution_unit::cuda_fp32) == 34308096);
  CHECK(small.cost.flops_of(execution_unit::sfu) == 0);
  // Shape 11: m = 704512. Read 704512*2048 = 1442840576 + 4194304 + 4*704512*16 = 45088768 + 1024
  // = 1492124672; write 4*704512*2048 = 5771362304. fp8 tensor 2*704512*2048*2048 =
  // 5909874999296; CUDA cores 3*704512*2048*16 = 69256347648.
  const auto large = codegen::block_scaled_mm_from_atrex(groups, input(704512, 2048, 2048));
  CHECK(large.cost.bytes_read == 1492124672);
  CHECK(large.cost.bytes_written == 5771362304.0);
  CHECK(large.cost.flops_of(execution_unit::tensor_fp8) == 5909874999296.0);
  CHECK(large.cost.flops_of(execution_unit::cuda_fp32) == 69256347648.0);
}

TEST_CASE("atrex block_scaled_mm: growth with m, and at least the tensors' size", "[atrex][block_scaled_mm][cost]") {
  const block_scaled_mm_axes n4096{4096, 4096, 128, 128};
  double previous_bytes = 0, previous_flops = 0;
  for (std::int64_t m : {1, 2, 237, 4096, 299520}) {
    const roofline::cost c = cost_of(n4096, block_scaled_mm_workload{m});
    CHECK(c.bytes() > previous_bytes);
    CHECK(c.total_flops() > previous_flops);
    const double md = static_cast<double>(m);
    CHECK(c.bytes() >= md * 4096 + 4096.0 * 4096 + 4 * md * 32 + 4 * 32 * 32 + 4 * md * 4096);
    previous_bytes = c.bytes();
    previous_flops = c.total_flops();
  }
}

TEST_CASE("atrex block_scaled_mm: bad kwargs name the operator and the key", "[atrex][block_scaled_mm]") {
  CHECK_THROWS_WITH(codegen::block_scaled_mm_from_atrex(nullptr, input(4, 2048, 2048)),
                    Contains("block_scaled_mm") && Contains("group_n"));
  CHECK_THROWS_WITH(codegen::block_scaled_mm_from_atrex({{"group_n", 128}}, input(4, 2048, 2048)),
                    Contains("block_scaled_mm") && Contains("group_k"));
  nlohmann::json other_group = input(4, 2048, 2048);
  other_group["group_k"] = 64;
  CHECK_THROWS_WITH(codegen::block_scaled_mm_from_atrex(groups, other_group),
                    Contains("block_scaled_mm") && Contains("group_k"));
  nlohmann::json no_m = input(4, 2048, 2048);
  no_m.erase("m");
  CHECK_THROWS_WITH(codegen::block_scaled_mm_from_atrex(groups, no_m), Contains("block_scaled_mm") && Contains("'m'"));
  nlohmann::json text_k = input(4, 2048, 2048);
  text_k["k"] = "2048";
  CHECK_THROWS_WITH(codegen::block_scaled_mm_from_atrex(groups, text_k), Contains("block_scaled_mm") && Contains("'k'"));
  CHECK_THROWS_WITH(codegen::block_scaled_mm_from_atrex(groups, input(4, 2000, 2048)),
                    Contains("block_scaled_mm") && Contains("multiple of group_n"));
}

TEST_CASE("atrex block_scaled_mm: every atrex shape converts", "[atrex][block_scaled_mm]") {
  const nlohmann::json shapes = test::atrex_shapes("block_scaled_mm");
  CHECK(shapes.size() == 24);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::block_scaled_mm_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& in = shape["input_kwargs"];
    CHECK(converted.spec.name ==
          "block_scaled_mm_n" + in["n"].dump() + "_k" + in["k"].dump() + "_gn128_gk128");
    CHECK(problems_of(converted.spec).empty());
    const double m = in["m"].get<double>(), n = in["n"].get<double>(), k = in["k"].get<double>();
    CHECK(converted.cost.flops_of(execution_unit::tensor_fp8) == 2 * m * n * k);
    CHECK(converted.cost.bytes_written == 4 * m * n);
  }
}

}  // namespace solkit_test_ops_atrex_test_block_scaled_mm
