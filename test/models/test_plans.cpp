// plan(model, {tp, ep}) over the catalog: every plan is valid, per-device shapes follow
// reference/models.md, bad parallelism is an error that says why, and the compile-time face
// (a Hana tuple of definition types) agrees with the run-time plan.

#include <set>
#include <string>
#include <vector>

#include <boost/hana.hpp>
#include <catch2/catch.hpp>

#include "solkit/models/catalog.hpp"
#include "solkit/models/plan.hpp"
#include "solkit/models/plan_definitions.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_models_test_plans {

using namespace solkit;
using namespace solkit::models;
namespace hana = boost::hana;

namespace {
std::set<std::string> names_of(const model_plan& p) {
  std::set<std::string> names;
  for (const plan_entry& entry : p.entries) names.insert(describe(entry.axes).name.str());
  return names;
}

bool has_unsupported(const model_plan& p, std::string_view module) {
  for (const unsupported_entry& entry : p.unsupported) {
    if (entry.module == module) return true;
  }
  return false;
}
}  // namespace

// The compile-time plan: one definition type per entry, names equal to the run-time plan's.
constexpr auto llama_8b_definitions = plan_definitions<llama_3_1_8b, parallel_config{1, 1}>();
static_assert(hana::length(llama_8b_definitions) == hana::size_c<plan(llama_3_1_8b, {1, 1}).entries.size()>);
static_assert(decltype(+hana::at_c<0>(llama_8b_definitions))::type::name == "rmsnorm_h4096");
constexpr auto deepseek_definitions = plan_definitions<deepseek_v3, parallel_config{8, 8}>();
static_assert(hana::any_of(deepseek_definitions, [](auto t) {
  return hana::bool_c<decltype(t)::type::name ==
                      "moe_fp8_block_scale_ds_routing_topk8_ng8_kg4_e32_h7168_i2048">;
}));

TEST_CASE("the catalog has the 29 models, each findable by its slug", "[models]") {
  CHECK(catalog.size() == 29);
  std::set<std::string_view> slugs;
  for (const model_config* model : catalog) {
    CHECK(slugs.insert(model->slug).second);
    CHECK(find_model(model->slug) == model);
  }
  CHECK(find_model("no-such-model") == nullptr);
}

TEST_CASE("every catalog model plans at each serving configuration", "[models][plan]") {
  for (const model_config* model : catalog) {
    for (const serving_config& serving : model->serving) {
      INFO(model->slug << " tp=" << serving.tp << " ep=" << serving.ep);
      const model_plan p = plan(*model, {serving.tp, serving.ep});
      REQUIRE(p.error == nullptr);
      CHECK_FALSE(p.entries.empty());
      for (const plan_entry& entry : p.entries) {
        CHECK(check_axes(entry.axes) == nullptr);
        CHECK(entry.count > 0);
        CHECK_FALSE(entry.role.empty());
      }
      for (const unsupported_entry& entry : p.unsupported) {
        CHECK(entry.count > 0);
        CHECK_FALSE(entry.reason.empty());
      }
      // Every model samples from its vocabulary and has an lm_head.
      CHECK(names_of(p).contains("top_k_top_p_sampling_from_probs_v" + std::to_string(model->vocab_size)));
    }
  }
}

TEST_CASE("per-device shapes follow tensor and expert parallelism", "[models][plan]") {
  SECTION("query heads split, kv heads split") {
    const auto names = names_of(plan(llama_3_1_70b, {4, 1}));
    CHECK(names.contains("gqa_paged_decode_h16_kv2_d128_ps64"));
    CHECK(names.contains("gemm_n2560_k8192"));   // qkv_proj: (16 + 2 * 2) * 128 columns
    CHECK(names.contains("gemm_n8192_k2048"));   // o_proj: K split
    CHECK(names.contains("gemm_n14336_k8192"));  // gate_up: 2 * 28672 / 4
    CHECK(names.contains("gemm_n8192_k7168"));   // down: K = 28672 / 4
  }
  SECTION("kv heads replicated when TP exceeds them") {
    const auto names = names_of(plan(qwen3_235b_a22b, {8, 2}));
    CHECK(names.contains("gqa_paged_decode_h8_kv1_d128_ps1"));
    // 128 experts over EP 2; TP / EP = 4 ranks share each expert's 1536 width.
    CHECK(names.contains("moe_fp8_block_scale_renorm_topk8_e64_h4096_i384"));
  }
  SECTION("flashinfer-bench's captured shapes") {
    CHECK(names_of(plan(deepseek_v3, {8, 8})).contains(
        "moe_fp8_block_scale_ds_routing_topk8_ng8_kg4_e32_h7168_i2048"));
    CHECK(names_of(plan(deepseek_v3_2, {8, 8})).contains("dsa_topk_indexer_fp8_h64_d128_topk2048_ps64"));
    CHECK(names_of(plan(deepseek_v3_2, {8, 8})).contains(
        "dsa_sparse_attention_h16_ckv512_kpe64_topk2048_ps64"));
    CHECK(names_of(plan(qwen3_next_80b_a3b, {2, 1})).contains("gdn_decode_qk8_v16_d128_k_last"));
    CHECK(names_of(plan(qwen3_next_80b_a3b, {4, 4})).contains(
        "moe_fp8_block_scale_renorm_topk10_e128_h2048_i512"));
    CHECK(names_of(plan(nemotron_h_8b, {1, 1})).contains("mamba_ssu_decode_h128_d64_s128_ng8"));
    CHECK(names_of(plan(kimi_k2, {8, 8})).contains("mla_paged_decode_h8_ckv512_kpe64_ps64"));
  }
  SECTION("an expert slice that breaks the fp8 block is unsupported, with the rule") {
    const model_plan p = plan(glm_4_6, {8, 1});  // 1536 / 8 = 192, not a multiple of 128
    REQUIRE(p.error == nullptr);
    CHECK(has_unsupported(p, "experts"));
    bool reason_found = false;
    for (const unsupported_entry& entry : p.unsupported) {
      if (entry.module == "experts") {
        reason_found = entry.reason == ops::moe::axis_errors::intermediate_size_not_a_multiple_of_block_size_128;
      }
    }
    CHECK(reason_found);
    CHECK_FALSE(has_unsupported(plan(glm_4_6, {8, 8}), "experts"));  // EP keeps 1536 whole
  }
  SECTION("modules without an op type are listed, not dropped") {
    const model_plan scout = plan(llama_4_scout, {8, 1});
    CHECK(has_unsupported(scout, "experts"));  // sigmoid top-1 routing
    CHECK(has_unsupported(scout, "chunked_attention"));
    CHECK(has_unsupported(plan(minimax_text_01, {8, 1}), "lightning_attention"));
    CHECK(has_unsupported(plan(nemotron_h_8b, {1, 1}), "mamba_prefill_chunk_scan"));
    CHECK(has_unsupported(plan(llama_3_1_8b, {1, 1}), "embedding"));
    CHECK(has_unsupported(plan(llama_3_1_70b, {4, 1}), "tp_all_reduce"));
  }
}

TEST_CASE("a parallelism that does not fit is an error naming the reason", "[models][plan]") {
  CHECK(plan(llama_3_1_8b, {3, 1}).error == plan_errors::tp_does_not_divide_attention_heads);
  CHECK(plan(llama_3_1_8b, {1, 2}).error == plan_errors::ep_without_moe);
  CHECK(plan(llama_3_1_8b, {0, 1}).error == plan_errors::tp_or_ep_not_positive);
  CHECK(plan(phi_4_14b, {4, 1}).error == plan_errors::tp_and_kv_heads_do_not_divide);  // kv 10
  CHECK(plan(deepseek_v3, {8, 3}).error == plan_errors::ep_does_not_divide_experts);
  CHECK(plan(qwen3_235b_a22b, {4, 8}).error == plan_errors::ep_does_not_divide_tp);
  CHECK(plan(nemotron_h_8b, {16, 1}).error == plan_errors::tp_does_not_divide_mamba_heads);  // 8 groups
  const model_plan failed = plan(llama_3_1_8b, {3, 1});
  CHECK(failed.entries.empty());  // nothing is planned for a failed parallelism
}

}  // namespace solkit_test_models_test_plans
