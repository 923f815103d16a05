#pragma once
// The architecture of one model as the numbers a plan needs: what each layer runs (attention,
// gated delta net, Mamba2, lightning attention; dense MLP or mixture of experts) and the sizes of
// each module. Every entry of the catalog is a constexpr model_config; a config.json read by
// codegen becomes one at run time.

#include <cstdint>
#include <string_view>

#include "solkit/core/static_vector.hpp"
#include "solkit/ops/rope/definition.hpp"

namespace solkit::models {

/// Which softmax attention the model's attention layers run.
enum class attention_kind : std::uint8_t {
  gqa,  // grouped-query (multi-head when kv heads == q heads)
  mla,  // DeepSeek multi-head latent attention
  dsa,  // MLA with DeepSeek V3.2's sparse top-k indexer
};

/// How an MoE layer picks and weights its experts.
enum class routing_kind : std::uint8_t {
  none,         // no MoE layers
  deepseek,     // sigmoid + bias, top topk_group of n_group groups, top-k, renormalised, scaled
  renormalize,  // softmax over the top-k logits (Mixtral, Qwen3)
  sigmoid_top1, // Llama 4: sigmoid of the single chosen expert's logit, no renormalisation
  softmax_top_k,  // softmax over all experts, the top-k weights not renormalised
  unverified,   // the scoring function was not confirmed from a public source
};

/// Layers of one forward pass, by what they run. A layer counts once in `attention`,
/// `gated_delta_net`, `mamba2` or `lightning_attention` (its mixer) and once in `dense_mlp` or
/// `moe_mlp` (its feed-forward), except hybrid blocks that have a mixer or an MLP only
/// (NemotronH's blocks): `total` is the number of decoder layers (blocks).
struct layer_counts {
  std::int64_t total = 0;
  std::int64_t attention = 0;            // softmax attention layers
  std::int64_t local_attention = 0;      // of those, sliding-window or chunked (need a window mask)
  std::int64_t gated_delta_net = 0;      // Qwen3-Next linear attention
  std::int64_t mamba2 = 0;               // NemotronH Mamba2 mixers
  std::int64_t lightning_attention = 0;  // MiniMax-Text-01 linear attention (no op type)
  std::int64_t dense_mlp = 0;
  std::int64_t moe_mlp = 0;
};

struct gqa_config {
  std::int64_t num_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;
  bool qk_norm = false;  // per-head RMSNorm of q and k over head_dim (Qwen3, Gemma 3)
  bool output_gate = false;  // q_proj also emits a per-head gate: out *= sigmoid(gate) (Qwen3-Next)
};

struct mla_config {
  std::int64_t num_heads = 0;
  std::int64_t q_lora_rank = 0;  // 0: q is projected directly from the hidden state
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;
};

/// DeepSeek V3.2's lightning indexer (dsa attention only).
struct dsa_config {
  std::int64_t index_heads = 0;
  std::int64_t index_head_dim = 0;
  std::int64_t topk = 0;
};

struct rope_config {
  bool present = false;
  rope_style style = rope_style::neox;
  std::int64_t rotary_dim = 0;  // rotated channels of each head (partial rotary when < head)
  std::int64_t nope_layers = 0;  // attention layers without RoPE (Llama 4's every fourth)
};

struct moe_config {
  std::int64_t num_experts = 0;  // routed experts; 0: no MoE
  std::int64_t top_k = 0;
  std::int64_t expert_intermediate = 0;
  std::int64_t num_shared_experts = 0;
  std::int64_t shared_intermediate = 0;  // per shared expert
  bool shared_expert_gate = false;       // Qwen3-Next: sigmoid gate on the shared expert
  routing_kind routing = routing_kind::none;
  std::int64_t n_group = 1;
  std::int64_t topk_group = 1;
};

struct gated_delta_net_config {
  std::int64_t num_qk_heads = 0;
  std::int64_t num_v_heads = 0;
  std::int64_t head_dim = 0;  // key and value head dims are equal in every catalog model
};

struct mamba2_config {
  std::int64_t num_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t state_size = 0;
  std::int64_t n_groups = 0;
};

/// A module the model runs that solkit has no op type for, listed in every plan with its reason.
struct unsupported_module {
  std::string_view module;
  std::string_view reason;
  std::int64_t layers = 0;  // layers that run it per forward pass
};

struct serving_config {
  std::int64_t tp = 1;
  std::int64_t ep = 1;
  friend constexpr bool operator==(const serving_config&, const serving_config&) = default;
};

/// How the model's RMSNorms scale: by weight with eps 1e-5 (rmsnorm definitions), or by
/// 1 + weight with eps 1e-6 (Gemma 3, Qwen3-Next: gemma_rmsnorm definitions).
enum class norm_kind : std::uint8_t { weight, one_plus_weight };

enum class mlp_kind : std::uint8_t {
  gated,        // gate_up then act(gate) * up then down (SwiGLU, GeGLU)
  ungated,      // up then act then down (NemotronH's squared ReLU)
};

struct model_config {
  std::string_view slug;          // catalog key and `model:` tag, e.g. "llama-3.1-8b"
  std::string_view display_name;  // "Llama 3.1 8B"
  std::string_view hf_architecture;
  layer_counts layers;
  std::int64_t hidden_size = 0;
  std::int64_t vocab_size = 0;
  std::int64_t dense_intermediate = 0;  // dense MLP width (0 without dense MLP layers)
  mlp_kind mlp = mlp_kind::gated;
  attention_kind attention = attention_kind::gqa;
  gqa_config gqa;
  mla_config mla;
  dsa_config dsa;
  rope_config rope;
  moe_config moe;
  gated_delta_net_config gdn;
  mamba2_config mamba;
  static_vector<unsupported_module, 6> unsupported;  // model-specific modules without op type
  static_vector<serving_config, 4> serving;
  std::string_view source;  // where the numbers were read
  bool verified = false;    // every number confirmed from `source`
  norm_kind norm = norm_kind::weight;
  bool post_norms = false;  // also norms each sub-layer's output before the residual add (Gemma 3)
};

}  // namespace solkit::models
