#pragma once
// plan(model, {tp, ep}): the definitions one GPU runs for a model served with tensor parallelism
// tp and expert parallelism ep, each with its role and how many times a forward pass runs it,
// and every module solkit has no op type for, with the reason. One constexpr function serves the
// compile-time catalog (plan_definitions<model, parallel>() gives a Hana tuple of definition
// types) and codegen at run time (a model read from a config.json).
//
// Per-device shapes (reference/models.md): query heads split by TP, kv heads split by TP or
// replicated (one per device) when TP exceeds them; column-parallel GEMMs (qkv, gate_up, the
// vocabulary of lm_head) split N, row-parallel GEMMs (o_proj, down) split K; MoE experts split by
// EP and, within an expert-parallel group of TP / EP ranks, the expert intermediate by TP / EP;
// norms, RoPE, the router and sampling do not depend on TP.

#include <cstdint>
#include <string_view>
#include <variant>

#include "solkit/core/static_vector.hpp"
#include "solkit/definitions.hpp"
#include "solkit/models/model_config.hpp"

namespace solkit::models {

/// Why a (model, tp, ep) has no plan.
namespace plan_errors {
inline constexpr char tp_or_ep_not_positive[] = "tp and ep must be positive";
inline constexpr char tp_does_not_divide_attention_heads[] =
    "tp must divide the attention heads (num_attention_heads)";
inline constexpr char tp_and_kv_heads_do_not_divide[] =
    "tp must divide the kv heads (num_key_value_heads), or be a multiple of them (kv replicated)";
inline constexpr char tp_does_not_divide_intermediate[] =
    "tp must divide the dense MLP width (intermediate_size)";
inline constexpr char ep_does_not_divide_experts[] =
    "ep must divide the routed experts (n_routed_experts / num_experts)";
inline constexpr char ep_does_not_divide_tp[] =
    "ep must divide tp (experts are split over ep ranks inside the tp group)";
inline constexpr char ep_without_moe[] = "ep > 1 needs a model with MoE layers";
inline constexpr char moe_tp_does_not_divide_expert_intermediate[] =
    "tp / ep must divide the expert width (moe_intermediate_size)";
inline constexpr char tp_does_not_divide_shared_experts[] =
    "tp must divide the shared experts' width (n_shared_experts x their intermediate size)";
inline constexpr char tp_does_not_divide_vocab[] = "tp must divide the vocabulary (vocab_size)";
inline constexpr char tp_does_not_divide_linear_attention_heads[] =
    "tp must divide the gated delta net heads (linear_num_key_heads, linear_num_value_heads)";
inline constexpr char tp_does_not_divide_mamba_heads[] =
    "tp must divide the Mamba2 heads and groups (mamba_num_heads, n_groups)";
}  // namespace plan_errors

struct parallel_config {
  std::int64_t tp = 1;
  std::int64_t ep = 1;
};

/// One definition of the plan: what it is for and how many times a forward pass runs it.
struct plan_entry {
  std::string_view role;
  any_definition_axes axes;
  std::int64_t count = 0;
};

/// A module of the forward pass without a solkit definition, and why.
struct unsupported_entry {
  std::string_view module;
  std::string_view reason;
  std::int64_t count = 0;
};

struct model_plan {
  static_vector<plan_entry, 48> entries;
  static_vector<unsupported_entry, 24> unsupported;
  const char* error = nullptr;  // set when the model cannot be served with this tp and ep
};

namespace detail {
/// Reasons shared by the modules every plan lists as unsupported.
namespace reasons {
inline constexpr std::string_view no_op_type = "no flashinfer-bench op type for it";
inline constexpr std::string_view activation =
    "the activation between the MLP GEMMs (act(gate) * up, or act(up)): no flashinfer-bench op "
    "type (atrex's silu_and_mul is planned with the SOL issue)";
inline constexpr std::string_view kv_cache_write =
    "writing the new tokens' K/V into the paged cache: no flashinfer-bench op type (atrex's "
    "reshape_and_cache is planned with the SOL issue)";
inline constexpr std::string_view all_reduce =
    "tensor-parallel all-reduce after each row-parallel GEMM: communication (NCCL), not a "
    "definition";
inline constexpr std::string_view all_to_all =
    "expert-parallel token dispatch and combine: communication (NCCL), not a definition";
inline constexpr std::string_view page_sizes =
    "page size 1 and 64 are alternative KV-cache layouts; a deployment runs one of them";
}  // namespace reasons

constexpr bool divides(std::int64_t divisor, std::int64_t value) {
  return divisor > 0 && value % divisor == 0;
}

/// Adds an entry, or, when the per-device axes are outside what the definition supports, an
/// unsupported entry whose reason is the definition's own rule.
template <class Axes>
constexpr void add(model_plan& plan, std::string_view role, const Axes& axes, std::int64_t count) {
  if (count <= 0) return;
  if (const char* error = check_axes(axes)) {
    plan.unsupported.push_back({role, error, count});
    return;
  }
  plan.entries.push_back({role, any_definition_axes{axes}, count});
}

constexpr void add_unsupported(model_plan& plan, std::string_view module, std::string_view reason,
                               std::int64_t count) {
  if (count > 0) plan.unsupported.push_back({module, reason, count});
}

/// An RMSNorm over `width`, Gemma-style (scale 1 + weight, eps 1e-6) where the model's are.
constexpr void add_norm(model_plan& plan, const model_config& m, std::string_view role,
                        std::int64_t width, std::int64_t count) {
  if (m.norm == norm_kind::one_plus_weight) {
    add(plan, role, gemma_rmsnorm_axes{width}, count);
  } else {
    add(plan, role, rmsnorm_axes{width}, count);
  }
}

constexpr void add_gemm(model_plan& plan, std::string_view role, std::int64_t n, std::int64_t k,
                        std::int64_t count) {
  add(plan, role, gemm_axes{n, k}, count);
}

constexpr void plan_gqa(model_plan& plan, const model_config& m, std::int64_t tp) {
  const std::int64_t layers = m.layers.attention;
  const gqa_config& g = m.gqa;
  const std::int64_t q_heads = g.num_heads / tp;
  // kv heads split by tp, or one replicated head per device once tp exceeds them.
  const std::int64_t kv_heads = g.num_kv_heads >= tp ? g.num_kv_heads / tp : 1;
  // With an output gate, q_proj emits the gate beside the queries: one more q width of N.
  const std::int64_t q_width = (g.output_gate ? 2 : 1) * q_heads * g.head_dim;
  add_gemm(plan, "qkv_proj", q_width + 2 * kv_heads * g.head_dim, m.hidden_size, layers);
  add_gemm(plan, "o_proj", m.hidden_size, q_heads * g.head_dim, layers);
  if (g.output_gate) {
    add_unsupported(plan, "attention_output_gate",
                    "attention output times sigmoid(gate) before o_proj: no flashinfer-bench op type",
                    layers);
  }
  if (g.qk_norm) {
    add_norm(plan, m, "q_norm", g.head_dim, layers);
    add_norm(plan, m, "k_norm", g.head_dim, layers);
  }
  if (m.rope.present) {
    add(plan, "rope",
        rope_with_cos_sin_cache_axes{m.rope.style, g.head_dim, m.rope.rotary_dim},
        layers - m.rope.nope_layers);
  }
  const std::int64_t full = layers - m.layers.local_attention;
  for (std::int64_t page_size : {1, 64}) {
    add(plan, "attention_decode", gqa_paged_decode_axes{q_heads, kv_heads, g.head_dim, page_size},
        full);
    add(plan, "attention_prefill",
        gqa_paged_prefill_causal_axes{q_heads, kv_heads, g.head_dim, page_size}, full);
  }
  add(plan, "attention_prefill_ragged",
      gqa_ragged_prefill_causal_axes{q_heads, kv_heads, g.head_dim}, full);
  add_unsupported(plan, "kv_cache_write", reasons::kv_cache_write, layers);
}

constexpr void plan_mla(model_plan& plan, const model_config& m, std::int64_t tp) {
  const std::int64_t layers = m.layers.attention;
  const mla_config& a = m.mla;
  const std::int64_t heads = a.num_heads / tp;
  const std::int64_t qk_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
  if (a.q_lora_rank > 0) {
    // q, kv latents and the rope key in one replicated projection (SGLang's fused_qkv_a_proj).
    add_gemm(plan, "fused_qkv_a_proj", a.q_lora_rank + a.kv_lora_rank + a.qk_rope_head_dim,
             m.hidden_size, layers);
    add_norm(plan, m, "q_a_norm", a.q_lora_rank, layers);
    add_gemm(plan, "q_b_proj", heads * qk_head, a.q_lora_rank, layers);
  } else {
    add_gemm(plan, "q_proj", heads * qk_head, m.hidden_size, layers);
    add_gemm(plan, "kv_a_proj", a.kv_lora_rank + a.qk_rope_head_dim, m.hidden_size, layers);
  }
  add_norm(plan, m, "kv_a_norm", a.kv_lora_rank, layers);
  add_gemm(plan, "kv_b_proj", heads * (a.qk_nope_head_dim + a.v_head_dim), a.kv_lora_rank, layers);
  add_gemm(plan, "o_proj", m.hidden_size, heads * a.v_head_dim, layers);
  if (m.rope.present) {
    add(plan, "rope",
        rope_with_cos_sin_cache_axes{m.rope.style, a.qk_rope_head_dim, m.rope.rotary_dim}, layers);
  }
  add_unsupported(plan, "mla_absorbed_bmm",
                  "per-head batched GEMMs q_nope x W_UK and out x W_UV of absorbed decode: no "
                  "flashinfer-bench op type",
                  layers);
  if (m.attention == attention_kind::dsa) {
    const dsa_config& d = m.dsa;
    add_gemm(plan, "indexer_q_proj", d.index_heads * d.index_head_dim, a.q_lora_rank, layers);
    add_gemm(plan, "indexer_k_proj", d.index_head_dim, m.hidden_size, layers);
    add_gemm(plan, "indexer_weights_proj", d.index_heads, m.hidden_size, layers);
    add_unsupported(plan, "indexer_norm_rope_quant",
                    "the indexer's key LayerNorm, partial RoPE and fp8 quantisation of q and k: no "
                    "flashinfer-bench op type",
                    layers);
    // The indexer's heads are not split by tensor parallelism (flashinfer-bench's TP=8
    // definition has all 64).
    add(plan, "sparse_indexer", dsa_topk_indexer_fp8_axes{d.index_heads, d.index_head_dim, d.topk, 64},
        layers);
    for (std::int64_t page_size : {1, 64}) {
      add(plan, "sparse_attention",
          dsa_sparse_attention_axes{heads, a.kv_lora_rank, a.qk_rope_head_dim, d.topk, page_size},
          layers);
    }
  } else {
    for (std::int64_t page_size : {1, 64}) {
      add(plan, "attention_decode",
          mla_paged_decode_axes{heads, a.kv_lora_rank, a.qk_rope_head_dim, page_size}, layers);
      add(plan, "attention_prefill",
          mla_paged_prefill_causal_axes{heads, a.kv_lora_rank, a.qk_rope_head_dim, page_size},
          layers);
    }
    add(plan, "attention_prefill_ragged",
        mla_ragged_prefill_causal_axes{heads, qk_head, a.v_head_dim}, layers);
  }
  add_unsupported(plan, "kv_cache_write", reasons::kv_cache_write, layers);
}

constexpr void plan_gated_delta_net(model_plan& plan, const model_config& m, std::int64_t tp) {
  const std::int64_t layers = m.layers.gated_delta_net;
  const gated_delta_net_config& g = m.gdn;
  const std::int64_t qk_heads = g.num_qk_heads / tp;
  const std::int64_t v_heads = g.num_v_heads / tp;
  add_gemm(plan, "linear_attn_in_proj_qkvz", (2 * qk_heads + 2 * v_heads) * g.head_dim,
           m.hidden_size, layers);
  add_gemm(plan, "linear_attn_in_proj_ba", 2 * v_heads, m.hidden_size, layers);
  add_gemm(plan, "linear_attn_out_proj", m.hidden_size, v_heads * g.head_dim, layers);
  add(plan, "linear_attention_prefill", gdn_prefill_axes{qk_heads, v_heads, g.head_dim}, layers);
  add(plan, "linear_attention_decode", gdn_decode_axes{qk_heads, v_heads, g.head_dim}, layers);
  add(plan, "linear_attention_mtp", gdn_mtp_axes{qk_heads, v_heads, g.head_dim}, layers);
  add_unsupported(plan, "linear_attn_conv1d",
                  "the causal short convolution over q, k and v: no flashinfer-bench op type "
                  "(atrex's causal_conv1d is planned with the SOL issue)",
                  layers);
  add_unsupported(plan, "linear_attn_gated_norm",
                  "gated RMSNorm of the output: no flashinfer-bench op type (atrex's "
                  "gated_rms_norm is planned with the SOL issue)",
                  layers);
}

constexpr void plan_mamba2(model_plan& plan, const model_config& m, std::int64_t tp) {
  const std::int64_t layers = m.layers.mamba2;
  const mamba2_config& s = m.mamba;
  const std::int64_t heads = s.num_heads / tp;
  const std::int64_t groups = s.n_groups / tp;
  const std::int64_t inner = heads * s.head_dim;
  // x and z, B and C of each group, and one dt per head.
  add_gemm(plan, "mamba_in_proj", 2 * inner + 2 * groups * s.state_size + heads, m.hidden_size,
           layers);
  add_gemm(plan, "mamba_out_proj", m.hidden_size, inner, layers);
  add(plan, "mamba_decode", mamba_ssu_decode_axes{heads, s.head_dim, s.state_size, groups}, layers);
  add_unsupported(plan, "mamba_prefill_chunk_scan",
                  "the chunked selective scan of prefill: no flashinfer-bench op type", layers);
  add_unsupported(plan, "mamba_conv1d",
                  "the causal convolution over x, B and C: no flashinfer-bench op type (atrex's "
                  "causal_conv1d is planned with the SOL issue)",
                  layers);
  add_unsupported(plan, "mamba_gated_norm",
                  "grouped gated RMSNorm before out_proj: no flashinfer-bench op type", layers);
}

constexpr void plan_moe(model_plan& plan, const model_config& m, parallel_config p) {
  const std::int64_t layers = m.layers.moe_mlp;
  const moe_config& e = m.moe;
  const std::int64_t local_experts = e.num_experts / p.ep;
  const std::int64_t expert_width = e.expert_intermediate / (p.tp / p.ep);
  add_gemm(plan, "router", e.num_experts, m.hidden_size, layers);
  switch (e.routing) {
    case routing_kind::deepseek:
      add(plan, "experts",
          moe_fp8_block_scale_ds_routing_axes{e.top_k, e.n_group, e.topk_group, e.num_experts,
                                              local_experts, m.hidden_size, expert_width},
          layers);
      break;
    case routing_kind::renormalize:
      add(plan, "experts",
          moe_fp8_block_scale_renorm_axes{e.top_k, e.num_experts, local_experts, m.hidden_size,
                                          expert_width},
          layers);
      break;
    case routing_kind::sigmoid_top1:
      add_unsupported(plan, "experts",
                      "Llama 4 routing (sigmoid of the top-1 logit, no renormalisation): no MoE "
                      "definition routes this way",
                      layers);
      break;
    case routing_kind::softmax_top_k:
      add_unsupported(plan, "experts",
                      "softmax over all experts with the top-k weights not renormalised: no MoE "
                      "definition routes this way",
                      layers);
      break;
    case routing_kind::unverified:
      add_unsupported(plan, "experts",
                      "the router's scoring function is not confirmed from a public source", layers);
      break;
    case routing_kind::none:
      break;
  }
  if (e.num_shared_experts > 0) {
    const std::int64_t shared = e.num_shared_experts * e.shared_intermediate / p.tp;
    add_gemm(plan, "shared_expert_gate_up", 2 * shared, m.hidden_size, layers);
    add_gemm(plan, "shared_expert_down", m.hidden_size, shared, layers);
    add_unsupported(plan, "shared_expert_activation", reasons::activation, layers);
    if (e.shared_expert_gate) add_gemm(plan, "shared_expert_gate", 1, m.hidden_size, layers);
  }
  if (p.ep > 1) add_unsupported(plan, "moe_all_to_all", reasons::all_to_all, layers);
}

constexpr const char* check_parallel(const model_config& m, parallel_config p) {
  namespace e = plan_errors;
  if (p.tp <= 0 || p.ep <= 0) return e::tp_or_ep_not_positive;
  const bool has_attention = m.layers.attention > 0;
  if (has_attention && m.attention == attention_kind::gqa) {
    if (!divides(p.tp, m.gqa.num_heads)) return e::tp_does_not_divide_attention_heads;
    if (!divides(p.tp, m.gqa.num_kv_heads) && !divides(m.gqa.num_kv_heads, p.tp)) {
      return e::tp_and_kv_heads_do_not_divide;
    }
  }
  if (has_attention && m.attention != attention_kind::gqa && !divides(p.tp, m.mla.num_heads)) {
    return e::tp_does_not_divide_attention_heads;
  }
  if (m.layers.dense_mlp > 0 && !divides(p.tp, m.dense_intermediate)) {
    return e::tp_does_not_divide_intermediate;
  }
  if (m.layers.moe_mlp > 0) {
    if (!divides(p.ep, m.moe.num_experts)) return e::ep_does_not_divide_experts;
    if (!divides(p.ep, p.tp)) return e::ep_does_not_divide_tp;
    if (!divides(p.tp / p.ep, m.moe.expert_intermediate)) {
      return e::moe_tp_does_not_divide_expert_intermediate;
    }
    if (!divides(p.tp, m.moe.num_shared_experts * m.moe.shared_intermediate)) {
      return e::tp_does_not_divide_shared_experts;
    }
  } else if (p.ep > 1) {
    return e::ep_without_moe;
  }
  if (m.layers.gated_delta_net > 0 &&
      (!divides(p.tp, m.gdn.num_qk_heads) || !divides(p.tp, m.gdn.num_v_heads))) {
    return e::tp_does_not_divide_linear_attention_heads;
  }
  if (m.layers.mamba2 > 0 &&
      (!divides(p.tp, m.mamba.num_heads) || !divides(p.tp, m.mamba.n_groups))) {
    return e::tp_does_not_divide_mamba_heads;
  }
  if (!divides(p.tp, m.vocab_size)) return e::tp_does_not_divide_vocab;
  return nullptr;
}
}  // namespace detail

/// The plan of `model` served with `parallel`; `error` is set (and nothing else) when the
/// parallelism does not fit the model.
constexpr model_plan plan(const model_config& model, parallel_config parallel) {
  model_plan result{};
  if (const char* error = detail::check_parallel(model, parallel)) {
    result.error = error;
    return result;
  }
  const std::int64_t tp = parallel.tp;
  const layer_counts& l = model.layers;
  // Each block has one norm before its mixer and one before its MLP; hybrid blocks that hold
  // only one of the two have one. The first is a plain RMSNorm, the others (and the final norm)
  // add the residual first.
  const std::int64_t sublayers =
      l.attention + l.gated_delta_net + l.mamba2 + l.lightning_attention + l.dense_mlp + l.moe_mlp;
  detail::add_norm(result, model, "input_norm", model.hidden_size, 1);
  if (model.norm == norm_kind::one_plus_weight) {
    detail::add(result, "residual_add_norm", gemma_fused_add_rmsnorm_axes{model.hidden_size}, sublayers);
  } else {
    detail::add(result, "residual_add_norm", fused_add_rmsnorm_axes{model.hidden_size}, sublayers);
  }
  // Gemma 3 norms each sub-layer's output too, before the residual add.
  if (model.post_norms) detail::add_norm(result, model, "post_norm", model.hidden_size, sublayers);

  if (l.attention > 0) {
    if (model.attention == attention_kind::gqa) {
      detail::plan_gqa(result, model, tp);
    } else {
      detail::plan_mla(result, model, tp);
    }
  }
  if (l.gated_delta_net > 0) detail::plan_gated_delta_net(result, model, tp);
  if (l.mamba2 > 0) detail::plan_mamba2(result, model, tp);
  detail::add_unsupported(result, "lightning_attention",
                          "MiniMax lightning (linear) attention: no flashinfer-bench op type",
                          l.lightning_attention);

  if (l.dense_mlp > 0) {
    const std::int64_t width = model.dense_intermediate / tp;
    if (model.mlp == mlp_kind::gated) {
      detail::add_gemm(result, "gate_up_proj", 2 * width, model.hidden_size, l.dense_mlp);
    } else {
      detail::add_gemm(result, "up_proj", width, model.hidden_size, l.dense_mlp);
    }
    detail::add_gemm(result, "down_proj", model.hidden_size, width, l.dense_mlp);
    detail::add_unsupported(result, "mlp_activation", detail::reasons::activation, l.dense_mlp);
  }
  if (l.moe_mlp > 0) detail::plan_moe(result, model, parallel);

  detail::add_gemm(result, "lm_head", model.vocab_size / tp, model.hidden_size, 1);
  detail::add(result, "sampling", top_k_sampling_from_probs_axes{model.vocab_size}, 1);
  detail::add(result, "sampling", top_p_sampling_from_probs_axes{model.vocab_size}, 1);
  detail::add(result, "sampling", top_k_top_p_sampling_from_probs_axes{model.vocab_size}, 1);

  for (const unsupported_module& module : model.unsupported) {
    detail::add_unsupported(result, module.module, module.reason, module.layers);
  }
  detail::add_unsupported(result, "embedding", detail::reasons::no_op_type, 1);
  if (tp > 1) detail::add_unsupported(result, "tp_all_reduce", detail::reasons::all_reduce, sublayers);
  return result;
}

/// Why paged attention appears twice in a plan: say it beside those entries.
inline constexpr std::string_view page_size_note = detail::reasons::page_sizes;

}  // namespace solkit::models
