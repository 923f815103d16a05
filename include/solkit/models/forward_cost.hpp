#pragma once
// The speed of light of one forward pass of a plan: each definition the pass runs, with the
// workload the phase gives it, times the layers that run it. A decode step of `batch` sequences
// with `context` cached tokens each; or a prefill of `batch` sequences of `context` new tokens
// (no cache before). Of the plan's alternatives one is run: the paged layout of `page_size`
// (decode), the ragged kernels for prefill (nothing cached), top-k-then-top-p sampling; the
// others are listed as not run. lm_head and sampling see one token per sequence in both phases.

#include <cstdint>
#include <optional>
#include <type_traits>
#include <string_view>
#include <variant>

#include "solkit/core/static_vector.hpp"
#include "solkit/models/plan.hpp"
#include "solkit/ops/costs.hpp"
#include "solkit/roofline/sol.hpp"

namespace solkit::models {

enum class phase : std::uint8_t { decode, prefill };

struct forward_workload {
  phase step = phase::decode;
  std::int64_t batch = 1;     // sequences
  std::int64_t context = 1;   // cached tokens (decode) or new tokens (prefill) per sequence
  std::int64_t page_size = 64;
};

struct forward_entry {
  const plan_entry* entry = nullptr;
  std::optional<roofline::cost> cost;  // of one run; empty when this phase does not run it
  std::string_view skipped_because;
};

namespace detail {
/// The workload one run of a definition sees in the phase, or nothing when it does not run.
struct phase_cost {
  forward_workload w;
  const model_config* model;
  parallel_config parallel;
  std::string_view* skipped;

  std::int64_t tokens() const { return w.step == phase::decode ? w.batch : w.batch * w.context; }
  std::optional<roofline::cost> skip(std::string_view why) const {
    *skipped = why;
    return std::nullopt;
  }
  bool decode() const { return w.step == phase::decode; }

  std::optional<roofline::cost> operator()(const rmsnorm_axes& a) const { return cost_of(a, rmsnorm_workload{tokens()}); }
  std::optional<roofline::cost> operator()(const fused_add_rmsnorm_axes& a) const { return cost_of(a, rmsnorm_workload{tokens()}); }
  std::optional<roofline::cost> operator()(const gemma_rmsnorm_axes& a) const { return cost_of(a, rmsnorm_workload{tokens()}); }
  std::optional<roofline::cost> operator()(const gemma_fused_add_rmsnorm_axes& a) const { return cost_of(a, rmsnorm_workload{tokens()}); }
  std::optional<roofline::cost> operator()(const gemm_axes& a) const { return cost_of(a, gemm_workload{tokens()}); }
  std::optional<roofline::cost> operator()(const gqa_paged_decode_axes& a) const {
    if (!decode()) return skip("decode kernel; prefill runs the ragged kernel");
    if (a.page_size != w.page_size) return skip("another page size");
    return cost_of(a, gqa_paged_decode_workload{w.batch, w.context});
  }
  std::optional<roofline::cost> operator()(const gqa_paged_prefill_causal_axes&) const {
    return skip("prefill over a cache; a fresh prefill runs the ragged kernel");
  }
  std::optional<roofline::cost> operator()(const gqa_ragged_prefill_causal_axes& a) const {
    if (decode()) return skip("prefill kernel");
    return cost_of(a, attention_prefill_workload{w.batch, w.context, w.context});
  }
  std::optional<roofline::cost> operator()(const mla_paged_decode_axes& a) const {
    if (!decode()) return skip("decode kernel; prefill runs the ragged kernel");
    if (a.page_size != w.page_size) return skip("another page size");
    return cost_of(a, gqa_paged_decode_workload{w.batch, w.context});
  }
  std::optional<roofline::cost> operator()(const mla_paged_prefill_causal_axes&) const {
    return skip("prefill over a cache; a fresh prefill runs the ragged kernel");
  }
  std::optional<roofline::cost> operator()(const mla_ragged_prefill_causal_axes& a) const {
    if (decode()) return skip("prefill kernel");
    return cost_of(a, attention_prefill_workload{w.batch, w.context, w.context});
  }
  std::optional<roofline::cost> operator()(const dsa_topk_indexer_fp8_axes& a) const {
    if (decode()) return cost_of(a, dsa_topk_indexer_workload{w.batch, w.context});
    return cost_of(a, dsa_prefill_workload{w.batch, w.context});
  }
  std::optional<roofline::cost> operator()(const dsa_sparse_attention_axes& a) const {
    if (a.page_size != w.page_size) return skip("another page size");
    if (decode()) return cost_of(a, dsa_sparse_attention_workload{w.batch, w.context});
    return cost_of(a, dsa_prefill_workload{w.batch, w.context});
  }
  std::optional<roofline::cost> operator()(const gdn_prefill_axes& a) const {
    if (decode()) return skip("prefill kernel");
    return cost_of(a, gdn_prefill_workload{w.batch, w.context});
  }
  std::optional<roofline::cost> operator()(const gdn_decode_axes& a) const {
    if (!decode()) return skip("decode kernel");
    return cost_of(a, gdn_decode_workload{w.batch});
  }
  std::optional<roofline::cost> operator()(const gdn_mtp_axes&) const {
    return skip("speculative verification only");
  }
  std::optional<roofline::cost> operator()(const mamba_ssu_decode_axes& a) const {
    if (!decode()) return skip("decode kernel (prefill's chunked scan has no definition)");
    return cost_of(a, mamba_ssu_decode_workload{w.batch});
  }
  std::optional<roofline::cost> operator()(const moe_fp8_block_scale_ds_routing_axes& a) const {
    return cost_of(a, moe_workload{tokens()});
  }
  std::optional<roofline::cost> operator()(const moe_fp8_block_scale_renorm_axes& a) const {
    return cost_of(a, moe_workload{tokens()});
  }
  std::optional<roofline::cost> operator()(const top_k_sampling_from_probs_axes&) const {
    return skip("the engine runs top_k_top_p sampling");
  }
  std::optional<roofline::cost> operator()(const top_p_sampling_from_probs_axes&) const {
    return skip("the engine runs top_k_top_p sampling");
  }
  std::optional<roofline::cost> operator()(const top_k_top_p_sampling_from_probs_axes& a) const {
    return cost_of(a, sampling_workload{w.batch});  // one sample per sequence, either phase
  }
  std::optional<roofline::cost> operator()(const rope_with_cos_sin_cache_axes& a) const {
    // The heads this device rotates: q and kv heads of GQA; q_pe and the one shared k_pe of MLA.
    const bool gqa = model->attention == attention_kind::gqa;
    const std::int64_t q_heads = (gqa ? model->gqa.num_heads : model->mla.num_heads) / parallel.tp;
    const std::int64_t kv_heads =
        !gqa ? 1
             : model->gqa.num_kv_heads >= parallel.tp ? model->gqa.num_kv_heads / parallel.tp : 1;
    return cost_of(a, rope_workload{tokens(), q_heads, kv_heads});
  }
};
}  // namespace detail

/// Each plan entry with its cost in this phase (or why it does not run).
inline static_vector<forward_entry, 48> forward_entries(const model_plan& p, const model_config& model,
                                                       parallel_config parallel,
                                                       const forward_workload& w) {
  static_vector<forward_entry, 48> entries;
  for (const plan_entry& entry : p.entries) {
    forward_entry row;
    row.entry = &entry;
    // Logits are computed for each sequence's last token only, in prefill too.
    forward_workload seen = w;
    if (entry.role == "lm_head") seen.step = phase::decode;
    if (entry.role == "kv_b_proj" && w.step == phase::decode) {
      row.skipped_because = "absorbed into MLA's decode attention (the per-head BMMs)";
    } else if (entry.role == "q_norm" || entry.role == "k_norm") {
      // Per-head norms: one row per token and head on this device.
      const std::int64_t tokens = w.step == phase::decode ? w.batch : w.batch * w.context;
      const std::int64_t heads =
          entry.role == "q_norm" ? model.gqa.num_heads / parallel.tp
          : model.gqa.num_kv_heads >= parallel.tp ? model.gqa.num_kv_heads / parallel.tp : 1;
      row.cost = std::visit(
          [&](const auto& a) -> std::optional<roofline::cost> {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, rmsnorm_axes> || std::is_same_v<A, gemma_rmsnorm_axes>) {
              return cost_of(a, rmsnorm_workload{tokens * heads});
            } else {
              return std::nullopt;
            }
          },
          entry.axes);
    } else {
      row.cost = std::visit(detail::phase_cost{seen, &model, parallel, &row.skipped_because}, entry.axes);
    }
    entries.push_back(row);
  }
  return entries;
}

/// The whole pass: sum over the entries that run of count x cost.
inline roofline::cost forward_cost(const static_vector<forward_entry, 48>& entries) {
  roofline::cost total;
  for (const forward_entry& row : entries) {
    if (row.cost) total += row.cost->times(static_cast<double>(row.entry->count));
  }
  return total;
}

}  // namespace solkit::models
