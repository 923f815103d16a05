// Properties of the definitions beyond their names: the shapes of the variants the samples do not
// show (page size 1 vs > 1, expert parallelism, GPT-J RoPE), the reference preamble, JSON order,
// and run-time errors that are the compile-time ones.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "solkit/core/json.hpp"
#include "solkit/definitions.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_ops_test_definitions {

using namespace solkit;

namespace {
std::vector<std::string> input_names(const definition_spec& spec) {
  std::vector<std::string> names;
  for (const tensor_spec& t : spec.inputs) names.emplace_back(t.name);
  return names;
}
}  // namespace

// The class templates and the concept.
static_assert(definition<gqa_paged_decode<gqa_paged_decode_axes{32, 8, 128, 64}>>);
static_assert(definition<moe_fp8_block_scale_renorm<moe_fp8_block_scale_renorm_axes{8, 128, 128, 2048, 768}>>);
static_assert(!definition<int>);
static_assert(gqa_paged_decode<gqa_paged_decode_axes{32, 8, 128, 64}>::axes.head_dim == 128);
static_assert(gqa_paged_decode<gqa_paged_decode_axes{32, 8, 128, 64}>::op_type == "gqa_paged");
static_assert(gqa_paged_decode<gqa_paged_decode_axes{32, 8, 128, 64}>::spec.const_value("page_size") == 64);
static_assert(!gqa_paged_decode<gqa_paged_decode_axes{32, 8, 128, 64}>::spec.const_value("batch_size"));

TEST_CASE("paged attention takes kv_last_page_len only when pages hold more than one token",
          "[ops][paged]") {
  CHECK(input_names(describe(gqa_paged_decode_axes{32, 8, 128, 1})) ==
        std::vector<std::string>{"q", "k_cache", "v_cache", "kv_indptr", "kv_indices", "sm_scale"});
  CHECK(input_names(describe(gqa_paged_decode_axes{32, 8, 128, 16})) ==
        std::vector<std::string>{"q", "k_cache", "v_cache", "kv_indptr", "kv_indices",
                                 "kv_last_page_len", "sm_scale"});
  const auto prefill = describe(gqa_paged_prefill_causal_axes{32, 8, 128, 64});
  REQUIRE(prefill.find_axis("batch_size") != nullptr);
  CHECK(prefill.find_tensor("kv_last_page_len")->shape[0] == "batch_size");
  CHECK(describe(gqa_paged_prefill_causal_axes{32, 8, 128, 1}).find_axis("batch_size") == nullptr);

  const auto mla = describe(mla_paged_prefill_causal_axes{16, 512, 64, 64});
  CHECK(input_names(mla) == std::vector<std::string>{"q_nope", "q_pe", "ckv_cache", "kpe_cache",
                                                     "qo_indptr", "kv_indptr", "kv_indices",
                                                     "kv_last_page_len", "sm_scale"});
  CHECK(mla.find_axis("batch_size") != nullptr);
}

TEST_CASE("renorm MoE under expert parallelism routes over every expert", "[ops][moe]") {
  const auto local = describe(moe_fp8_block_scale_renorm_axes{8, 128, 128, 2048, 768});
  CHECK(local.find_axis("num_experts") == nullptr);
  CHECK(local.find_tensor("routing_logits")->shape[1] == "num_local_experts");
  CHECK(local.find_tensor("local_expert_offset") == nullptr);

  const auto parallel = describe(moe_fp8_block_scale_renorm_axes{10, 512, 128, 2048, 512});
  CHECK(parallel.name == "moe_fp8_block_scale_renorm_topk10_e128_h2048_i512");
  CHECK(parallel.const_value("num_experts") == 512);
  CHECK(parallel.const_value("num_local_experts") == 128);
  CHECK(parallel.find_tensor("routing_logits")->shape[1] == "num_experts");
  REQUIRE(parallel.find_tensor("local_expert_offset") != nullptr);
  CHECK(parallel.inputs[parallel.inputs.size() - 1].name == "local_expert_offset");
}

TEST_CASE("MoE block counts follow from the sizes and the 128 block", "[ops][moe]") {
  const auto ds = describe(moe_fp8_block_scale_ds_routing_axes{8, 8, 4, 256, 32, 7168, 2048});
  CHECK(ds.const_value("gemm1_out_size") == 4096);
  CHECK(ds.const_value("num_hidden_blocks") == 56);
  CHECK(ds.const_value("num_intermediate_blocks") == 16);
  CHECK(ds.const_value("num_gemm1_out_blocks") == 32);
  // top_k, n_group and topk_group reach the reference as constants, not as JSON axes.
  CHECK(ds.find_axis("top_k") == nullptr);
  const std::string source = reference_source(ds);
  CHECK(source.find("\nTOP_K = 8\n") != std::string::npos);
  CHECK(source.find("\nN_GROUP = 8\n") != std::string::npos);
  CHECK(source.find("\nTOPK_GROUP = 4\n") != std::string::npos);
  CHECK(source.find("\nNUM_LOCAL_EXPERTS = 32\n") != std::string::npos);
}

TEST_CASE("RoPE styles differ in name and reference only", "[ops][rope]") {
  const auto neox = describe(rope_with_cos_sin_cache_axes{rope_style::neox, 128, 64});
  const auto gptj = describe(rope_with_cos_sin_cache_axes{rope_style::gptj, 256, 64});
  CHECK(neox.name == "rope_with_cos_sin_cache_neox_style_d128_rd64");
  CHECK(gptj.name == "rope_with_cos_sin_cache_gptj_style_d256_rd64");
  CHECK(input_names(neox) == input_names(gptj));
  CHECK(neox.reference[0] != gptj.reference[0]);
}

TEST_CASE("the reference preamble binds every const axis", "[ops][reference]") {
  const auto spec = describe(gqa_paged_decode_axes{32, 8, 128, 64});
  const std::string source = reference_source(spec);
  for (const char* line : {"\nNUM_QO_HEADS = 32\n", "\nNUM_KV_HEADS = 8\n", "\nHEAD_DIM = 128\n",
                           "\nPAGE_SIZE = 64\n", "\nimport torch\n", "\ndef run("}) {
    INFO(line);
    CHECK(source.find(line) != std::string::npos);
  }
  CHECK(source.find("BATCH_SIZE") == std::string::npos);  // var axes are not constants
}

TEST_CASE("JSON keeps the dataset's field order and the kernel's argument order", "[ops][json]") {
  const std::vector<std::string> tags{"model:llama-3.1-8b", "tp:1"};
  const auto json = to_json(describe(gqa_paged_decode_axes{32, 8, 128, 64}), tags);
  std::vector<std::string> fields;
  for (const auto& [key, value] : json.items()) fields.push_back(key);
  CHECK(fields == std::vector<std::string>{"name", "description", "op_type", "tags", "axes",
                                           "constraints", "inputs", "outputs", "reference"});
  std::vector<std::string> inputs;
  for (const auto& [key, value] : json["inputs"].items()) inputs.push_back(key);
  CHECK(inputs == std::vector<std::string>{"q", "k_cache", "v_cache", "kv_indptr", "kv_indices",
                                           "kv_last_page_len", "sm_scale"});
  CHECK(json["inputs"]["sm_scale"]["shape"].is_null());
  CHECK(json["tags"].back() == "tp:1");
  CHECK(json["axes"]["page_size"]["value"] == 64);
  CHECK(dataset_path(describe(gqa_paged_decode_axes{32, 8, 128, 64})) ==
        "definitions/gqa_paged/gqa_paged_decode_h32_kv8_d128_ps64.json");
}

TEST_CASE("run-time axes get the compile-time errors as values", "[ops][errors]") {
  CHECK(try_describe(gqa_paged_decode_axes{32, 6, 128, 64}).error ==
        ops::attention::axis_errors::num_qo_heads_not_a_multiple_of_num_kv_heads);
  CHECK(try_describe(gqa_paged_decode_axes{32, 8, 100, 64}).error ==
        ops::attention::axis_errors::head_dim_not_a_multiple_of_8_up_to_256);
  CHECK(try_describe(gqa_paged_decode_axes{32, 8, 264, 64}).error ==
        ops::attention::axis_errors::head_dim_not_a_multiple_of_8_up_to_256);
  CHECK(try_describe(gqa_paged_decode_axes{16, 16, 72, 16}).error == nullptr);
  CHECK(try_describe(gqa_paged_decode_axes{32, 8, 128, 0}).error ==
        ops::attention::axis_errors::page_size_not_a_power_of_two_up_to_128);
  CHECK(try_describe(rmsnorm_axes{-8}).error ==
        ops::rmsnorm::axis_errors::hidden_size_not_a_positive_multiple_of_8);
  CHECK(try_describe(moe_fp8_block_scale_ds_routing_axes{8, 8, 9, 256, 32, 7168, 2048}).error ==
        ops::moe::axis_errors::topk_group_not_in_1_to_n_group);
  CHECK(try_describe(moe_fp8_block_scale_ds_routing_axes{8, 8, 4, 256, 48, 7168, 2048}).error ==
        ops::moe::axis_errors::num_local_experts_does_not_divide_num_experts);
  CHECK(try_describe(moe_fp8_block_scale_ds_routing_axes{40, 8, 1, 256, 32, 7168, 2048}).error ==
        ops::moe::axis_errors::top_k_exceeds_experts_of_kept_groups);
  CHECK(try_describe(dsa_sparse_attention_axes{16, 512, 64, 100, 64}).error ==
        ops::dsa_paged::axis_errors::topk_not_a_multiple_of_64);
  CHECK(try_describe(gemm_axes{4096, 0}).error == ops::gemm::axis_errors::k_not_positive);
  const auto valid = try_describe(gemm_axes{4096, 4096});
  CHECK(valid.error == nullptr);
  REQUIRE(valid.spec);
  CHECK(valid.spec->name == "gemm_n4096_k4096");
}

}  // namespace solkit_test_ops_test_definitions
