// Every definition of every catalog plan has a cost and a finite SOL on every listed GPU (fp8
// work excepted on the A100, which has no fp8 tensor cores), and a whole forward pass sums its
// definitions x counts.

#include <type_traits>

#include <catch2/catch.hpp>

#include "codegen/dataset.hpp"
#include "solkit/models/catalog.hpp"
#include "solkit/models/forward_cost.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_roofline_test_forward_cost {

using namespace solkit;

namespace {
/// A cost for any definition, at a mid-sized workload of its kind.
roofline::cost sample_cost(const any_definition_axes& axes) {
  return std::visit(
      [](const auto& a) -> roofline::cost {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, gemm_axes>) return cost_of(a, gemm_workload{64});
        else if constexpr (std::is_same_v<A, gqa_paged_decode_axes> || std::is_same_v<A, mla_paged_decode_axes>)
          return cost_of(a, gqa_paged_decode_workload{16, 2048});
        else if constexpr (std::is_same_v<A, gqa_paged_prefill_causal_axes> ||
                           std::is_same_v<A, gqa_ragged_prefill_causal_axes> ||
                           std::is_same_v<A, mla_paged_prefill_causal_axes> ||
                           std::is_same_v<A, mla_ragged_prefill_causal_axes>)
          return cost_of(a, attention_prefill_workload{2, 1024, 1024});
        else if constexpr (std::is_same_v<A, dsa_topk_indexer_fp8_axes>) return cost_of(a, dsa_topk_indexer_workload{16, 4096});
        else if constexpr (std::is_same_v<A, dsa_sparse_attention_axes>) return cost_of(a, dsa_sparse_attention_workload{16, 4096});
        else if constexpr (std::is_same_v<A, gdn_prefill_axes>) return cost_of(a, gdn_prefill_workload{2, 1024});
        else if constexpr (std::is_same_v<A, gdn_decode_axes>) return cost_of(a, gdn_decode_workload{16});
        else if constexpr (std::is_same_v<A, gdn_mtp_axes>) return cost_of(a, gdn_mtp_workload{16, 4});
        else if constexpr (std::is_same_v<A, mamba_ssu_decode_axes>) return cost_of(a, mamba_ssu_decode_workload{16});
        else if constexpr (std::is_same_v<A, moe_fp8_block_scale_ds_routing_axes> ||
                           std::is_same_v<A, moe_fp8_block_scale_renorm_axes>)
          return cost_of(a, moe_workload{64});
        else if constexpr (std::is_same_v<A, top_k_sampling_from_probs_axes> ||
                           std::is_same_v<A, top_p_sampling_from_probs_axes> ||
                           std::is_same_v<A, top_k_top_p_sampling_from_probs_axes>)
          return cost_of(a, sampling_workload{16});
        else if constexpr (std::is_same_v<A, rope_with_cos_sin_cache_axes>) return cost_of(a, rope_workload{64, 8, 1});
        else return cost_of(a, rmsnorm_workload{64});
      },
      axes);
}
}  // namespace

TEST_CASE("every planned definition has a cost and a SOL on every GPU", "[roofline][plan]") {
  codegen::dataset data;
  data.add_catalog(models::catalog);
  std::size_t checked = 0;
  for (const auto& p : data.plans()) {
    for (const auto& entry : p.plan.entries) {
      const roofline::cost c = sample_cost(entry.axes);
      INFO(describe(entry.axes).name.view());
      CHECK(c.bytes() > 0);
      CHECK(c.total_flops() > 0);
      for (const roofline::hardware* gpu : roofline::all_hardware) {
        const double seconds = roofline::sol(c, *gpu).seconds;
        const bool fp8_without_units = c.flops_of(roofline::execution_unit::tensor_fp8) > 0 &&
                                       gpu->peak(roofline::execution_unit::tensor_fp8) == 0;
        CHECK(seconds > 0);
        CHECK((seconds < 1 || fp8_without_units));
      }
      ++checked;
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("a forward pass sums its definitions x counts", "[roofline][plan]") {
  const auto& model = models::llama_3_1_8b;
  const auto p = models::plan(model, {1, 1});
  const auto decode = models::forward_entries(p, model, {1, 1}, {models::phase::decode, 64, 4096, 64});
  roofline::cost expected;
  std::size_t running = 0;
  for (const auto& row : decode) {
    if (!row.cost) {
      CHECK_FALSE(row.skipped_because.empty());
      continue;
    }
    expected += row.cost->times(static_cast<double>(row.entry->count));
    ++running;
  }
  const auto total = models::forward_cost(decode);
  CHECK(total.bytes() == Approx(expected.bytes()));
  // norm, residual norm, qkv, o, rope, decode ps64, gate_up, down, lm_head, top-k-top-p sampling.
  CHECK(running == 10);
  // Decode of 64 x 4096 tokens is dominated by reading the KV cache: 32 layers x 64 x 4096 x
  // 8 heads x 128 x 2 (K, V) x 2 bytes = 34.4 GB, plus 16 GB of weights.
  CHECK(total.bytes() > 32.0 * 64 * 4096 * 8 * 128 * 4);
  CHECK(total.bytes() < 32.0 * 64 * 4096 * 8 * 128 * 4 + 17e9);
  // A prefill runs the ragged kernel and no decode kernel.
  const auto prefill = models::forward_entries(p, model, {1, 1}, {models::phase::prefill, 1, 8192, 64});
  for (const auto& row : prefill) {
    const bool decode_kernel = std::holds_alternative<gqa_paged_decode_axes>(row.entry->axes);
    const bool ragged = std::holds_alternative<gqa_ragged_prefill_causal_axes>(row.entry->axes);
    if (decode_kernel) CHECK_FALSE(row.cost);
    if (ragged) CHECK(row.cost);
  }
}

}  // namespace solkit_test_roofline_test_forward_cost
