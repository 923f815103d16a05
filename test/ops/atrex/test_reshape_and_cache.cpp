// atrex-bench's reshape_and_cache as solkit definitions: names from the axes, a valid definition
// file with the caches as inputs and their written copies as outputs, hand-computed minimal costs
// of atrex's smallest and largest shapes (against atrex's whole-cache count), and every shape of
// atrex's shapes.json converted (bench/suites/atrex).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "codegen/atrex/reshape_and_cache.hpp"
#include "solkit/core/json.hpp"
#include "solkit/ops/reshape_and_cache/cost.hpp"
#include "test/ops/atrex/atrex_test_support.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_atrex_test_reshape_and_cache {

using namespace solkit;
using test::problems_of;
using roofline::execution_unit;
using Catch::Matchers::Contains;

static_assert(reshape_and_cache<reshape_and_cache_axes{4, 128, 16}>::name == "reshape_and_cache_kv4_d128_ps16");
static_assert(reshape_and_cache<reshape_and_cache_axes{2, 256, 16}>::name == "reshape_and_cache_kv2_d256_ps16");
static_assert(reshape_and_cache<reshape_and_cache_axes{4, 128, 16}>::op_type == "reshape_and_cache");
static_assert(reshape_and_cache<reshape_and_cache_axes{4, 128, 64}>::spec.const_value("block_size") == 64);
static_assert(!reshape_and_cache<reshape_and_cache_axes{4, 128, 16}>::spec.const_value("num_blocks"));
static_assert(check_axes(reshape_and_cache_axes{0, 128, 16}) ==
              ops::reshape_and_cache::axis_errors::num_kv_heads_not_positive);
static_assert(check_axes(reshape_and_cache_axes{4, 100, 16}) ==
              ops::reshape_and_cache::axis_errors::head_size_not_a_positive_multiple_of_8);
static_assert(check_axes(reshape_and_cache_axes{4, 128, 0}) ==
              ops::reshape_and_cache::axis_errors::block_size_not_positive);

TEST_CASE("atrex reshape_and_cache: the definition file is valid", "[atrex][reshape_and_cache]") {
  const definition_spec& spec = reshape_and_cache<reshape_and_cache_axes{16, 128, 16}>::spec;
  CHECK(problems_of(spec).empty());
  CHECK(dataset_path(spec) == "definitions/reshape_and_cache/reshape_and_cache_kv16_d128_ps16.json");
  const nlohmann::ordered_json json = to_json(spec);
  CHECK(json["tags"] == nlohmann::ordered_json::array({"source:atrex-bench", "atrex:reshape_and_cache"}));
  CHECK(json["axes"]["num_tokens"]["type"] == "var");
  CHECK(json["axes"]["num_blocks"]["type"] == "var");
  CHECK(json["axes"]["num_kv_heads"]["value"] == 16);
  const auto cache_shape = nlohmann::ordered_json::array({"num_blocks", "block_size", "num_kv_heads", "head_size"});
  // In-place state as mamba_ssu / gdn model it: the cache is an input, its written copy an output.
  CHECK(json["inputs"]["key_cache"]["shape"] == cache_shape);
  CHECK(json["outputs"]["new_key_cache"]["shape"] == cache_shape);
  CHECK(json["outputs"]["new_value_cache"]["dtype"] == "bfloat16");
  CHECK(json["inputs"]["slot_mapping"]["dtype"] == "int64");
  CHECK(json["inputs"]["key"]["shape"] == nlohmann::ordered_json::array({"num_tokens", "num_kv_heads", "head_size"}));
  const std::string reference = json["reference"];
  CHECK(reference.find("\nBLOCK_SIZE = 16\nNUM_KV_HEADS = 16\nHEAD_SIZE = 128\n") != std::string::npos);
  CHECK(reference.find("def run(key, value, key_cache, value_cache, slot_mapping):") != std::string::npos);
}

TEST_CASE("atrex reshape_and_cache: costs of a small and a large shape", "[atrex][reshape_and_cache][cost]") {
  // Shape 0, [1, 4, 128]: one token of 4 * 128 = 512 channels. Key and value 2 * 512 * 2 = 2048 B
  // read and written; slot_mapping 8 B read. Read 2056, write 2048; no FLOPs.
  const auto small = codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {1, 4, 128}}, {"block_size", 16}});
  CHECK(small.spec.name == "reshape_and_cache_kv4_d128_ps16");
  CHECK(small.cost.bytes_read == 2056);
  CHECK(small.cost.bytes_written == 2048);
  CHECK(small.cost.total_flops() == 0);
  // Shape 7, [8192, 4, 128]: key + value 8192 * 512 * 4 = 16777216 B; slot_mapping 65536 B.
  // Read 16842752, write 16777216. atrex reads and writes both whole caches too (512 blocks of
  // 16 * 512 bf16 = 8388608 B each): read 16777216 + 16777216 + 65536 = 33619968, about 2x.
  const auto large = codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {8192, 4, 128}}, {"block_size", 16}});
  CHECK(large.cost.bytes_read == 16842752);
  CHECK(large.cost.bytes_written == 16777216);
  CHECK(large.cost.total_flops() == 0);
  const double atrex_read = 4.0 * 8192 * 512 + 2.0 * 512 * 16 * 512 * 2 + 8 * 8192;
  CHECK(atrex_read == 33619968);
  CHECK(atrex_read / large.cost.bytes_read == Approx(2.0).epsilon(0.01));
  // block_size defaults to atrex's 16; it does not change the minimal cost.
  const auto paged = codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {8192, 4, 128}}});
  CHECK(paged.spec.name == "reshape_and_cache_kv4_d128_ps16");
  CHECK(codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {8192, 4, 128}}, {"block_size", 64}})
            .cost.bytes() == paged.cost.bytes());
}

TEST_CASE("atrex reshape_and_cache: padding tokens and growth", "[atrex][reshape_and_cache][cost]") {
  const reshape_and_cache_axes axes{8, 128, 16};
  // 10 tokens, 4 of them padding: 6 * 1024 * 4 = 24576 B of key/value each way, 80 B of slots.
  const roofline::cost padded = cost_of(axes, reshape_and_cache_workload{10, 4});
  CHECK(padded.bytes_read == 24656);
  CHECK(padded.bytes_written == 24576);
  const roofline::cost all_padding = cost_of(axes, reshape_and_cache_workload{10, 10});
  CHECK(all_padding.bytes_read == 80);
  CHECK(all_padding.bytes_written == 0);
  double previous = 0;
  for (std::int64_t n : {1, 2, 100, 4096, 100000}) {
    const roofline::cost c = cost_of(axes, reshape_and_cache_workload{n, 0});
    CHECK(c.bytes() > previous);
    // Unavoidable: key, value and slot_mapping read, the written rows.
    CHECK(c.bytes_read >= n * 1024.0 * 2 * 2 + n * 8.0);
    CHECK(c.bytes_written >= n * 1024.0 * 2 * 2);
    previous = c.bytes();
  }
}

TEST_CASE("atrex reshape_and_cache: bad kwargs name the operator and the key", "[atrex][reshape_and_cache]") {
  CHECK_THROWS_WITH(codegen::reshape_and_cache_from_atrex(nullptr, nlohmann::json::object()),
                    Contains("reshape_and_cache") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {4, 128}}}),
                    Contains("reshape_and_cache") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {4, 0, 128}}}),
                    Contains("reshape_and_cache") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {4, 2, "128"}}}),
                    Contains("reshape_and_cache") && Contains("shape"));
  CHECK_THROWS_WITH(codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {4, 2, 128}}, {"block_size", 0}}),
                    Contains("reshape_and_cache") && Contains("block_size"));
  CHECK_THROWS_WITH(codegen::reshape_and_cache_from_atrex(nullptr, {{"shape", {4, 2, 100}}}),
                    Contains("reshape_and_cache") && Contains("multiple of 8"));
  CHECK_THROWS_WITH(codegen::reshape_and_cache_from_atrex(nlohmann::json::array(), {{"shape", {4, 2, 128}}}),
                    Contains("reshape_and_cache") && Contains("init_kwargs"));
}

TEST_CASE("atrex reshape_and_cache: every atrex shape converts", "[atrex][reshape_and_cache]") {
  const nlohmann::json shapes = test::atrex_shapes("reshape_and_cache");
  CHECK(shapes.size() == 8);
  for (const auto& [index, shape] : shapes.items()) {
    INFO("shape " << index << ": " << shape.dump());
    const auto converted = codegen::reshape_and_cache_from_atrex(shape["init_kwargs"], shape["input_kwargs"]);
    const nlohmann::json& dims = shape["input_kwargs"]["shape"];
    const std::int64_t n = dims[0], hkv = dims[1], d = dims[2], bs = shape["input_kwargs"]["block_size"];
    CHECK(check_axes(reshape_and_cache_axes{hkv, d, bs}) == nullptr);
    CHECK(converted.spec.name == "reshape_and_cache_kv" + std::to_string(hkv) + "_d" + std::to_string(d) +
                                     "_ps" + std::to_string(bs));
    CHECK(problems_of(converted.spec).empty());
    CHECK(converted.cost.bytes_read == 8.0 * n + 4.0 * n * hkv * d);
    CHECK(converted.cost.bytes_written == 4.0 * n * hkv * d);
  }
}

}  // namespace solkit_test_ops_atrex_test_reshape_and_cache
