#pragma once
// The model catalog: one constexpr model_config per model that the coverage document tracks, so
// that a plan (which definitions one GPU runs for a model at a given TP / EP) can be computed at
// compile time, and `find_model("slug")` can look one up by its `model:` tag.
//
// Sources. Every number comes from ../shared/reference/models.md (HF config.json values as
// transcribed by AI-Hypercomputer/maxtext src/maxtext/checkpoint_conversion/utils/
// hf_model_configs.py and configs/models/*.yml, and mlc-ai/mlc-llm model_preset.py) as corrected
// by docs/research/model_verification.md (NemotronH 47B has 98 blocks; MiniMax-Text-01 has no
// dense MLP; Llama 4 Scout has no dense layers; ...). Each entry's `.source` says where its
// numbers were read; `.verified` is true only when every number used was confirmed there. A
// number that no source gave is 0 with `verified = false` and a comment; none is guessed.
//
// Adding a model:
//   1. read its HF config.json (architectures[0], num_hidden_layers, hidden_size, heads, head_dim,
//      intermediate sizes, MoE and rope keys) and note where you read it;
//   2. add `inline constexpr model_config <name> = {...}` below with designated initializers in
//      the declaration order of model_config (C++20 requires it); count layers by what they run
//      (see layer_counts), and put model-specific modules that have no op type in `unsupported`
//      (not the ones a whole family has: the planner adds conv1d, gated norms, embedding,
//      all-reduce, activations, MLA's absorbed BMMs and KV-cache writes itself);
//   3. append its address to `catalog` (order of reference/models.md) and add its serving
//      (TP, EP) configurations. The static_asserts at the end check the basic invariants.
// Members that do not apply (gqa of an MLA model, moe of a dense one, ...) are written `= {}`:
// GCC's -Wmissing-field-initializers (-Wextra) warns about an omitted member that has no default
// member initializer, and the build uses -Werror.

#include <array>
#include <cstddef>
#include <string_view>

#include "solkit/models/model_config.hpp"

namespace solkit::models {

// Short names of the sources, used in `.source`.
// MT  = AI-Hypercomputer/maxtext src/maxtext/checkpoint_conversion/utils/hf_model_configs.py
//       (verbatim HF config.json values)
// MTY = AI-Hypercomputer/maxtext src/maxtext/configs/models/<name>.yml
// VER = docs/research/model_verification.md (this repository)
// REF = ../shared/reference/models.md

// ----------------------------------------------------------------------------------------------
// DeepSeek and Kimi (MLA)
// ----------------------------------------------------------------------------------------------

/// DeepSeek V3 and R1 share the architecture. first_k_dense_replace 3: layers 0-2 dense, 3-60
/// MoE. routed_scaling_factor 2.5 (no model_config field; the MoE definition takes it as an
/// input). The MTP layer (num_nextn_predict_layers 1) is not a decoder layer and is not counted.
inline constexpr model_config deepseek_v3 = {
    .slug = "deepseek-v3",
    .display_name = "DeepSeek V3 / R1",
    .hf_architecture = "DeepseekV3ForCausalLM",
    .layers = {.total = 61, .attention = 61, .dense_mlp = 3, .moe_mlp = 58},
    .hidden_size = 7168,
    .vocab_size = 129280,
    .dense_intermediate = 18432,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::mla,
    .gqa = {},
    .mla = {.num_heads = 128,
            .q_lora_rank = 1536,
            .kv_lora_rank = 512,
            .qk_nope_head_dim = 128,
            .qk_rope_head_dim = 64,
            .v_head_dim = 128},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::gptj, .rotary_dim = 64},
    .moe = {.num_experts = 256,
            .top_k = 8,
            .expert_intermediate = 2048,
            .num_shared_experts = 1,
            .shared_intermediate = 2048,
            .routing = routing_kind::deepseek,
            .n_group = 8,
            .topk_group = 4},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{8, 8}},
    .source = "HF config.json (deepseek-ai/DeepSeek-V3) via MT deepseek3_671b_dict; REF; VER",
    .verified = true,
};

/// DeepSeek V3.2: V3 plus the DSA lightning indexer (index_n_heads 64, index_head_dim 128,
/// index_topk 2048). The MLA fields are V3's.
inline constexpr model_config deepseek_v3_2 = {
    .slug = "deepseek-v3.2",
    .display_name = "DeepSeek V3.2",
    .hf_architecture = "DeepseekV32ForCausalLM",
    .layers = {.total = 61, .attention = 61, .dense_mlp = 3, .moe_mlp = 58},
    .hidden_size = 7168,
    .vocab_size = 129280,
    .dense_intermediate = 18432,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::dsa,
    .gqa = {},
    .mla = {.num_heads = 128,
            .q_lora_rank = 1536,
            .kv_lora_rank = 512,
            .qk_nope_head_dim = 128,
            .qk_rope_head_dim = 64,
            .v_head_dim = 128},
    .dsa = {.index_heads = 64, .index_head_dim = 128, .topk = 2048},
    .rope = {.present = true, .style = rope_style::gptj, .rotary_dim = 64},
    .moe = {.num_experts = 256,
            .top_k = 8,
            .expert_intermediate = 2048,
            .num_shared_experts = 1,
            .shared_intermediate = 2048,
            .routing = routing_kind::deepseek,
            .n_group = 8,
            .topk_group = 4},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{8, 8}},
    .source = "HF config.json (deepseek-ai/DeepSeek-V3.2) via MT deepseek32_671b_dict; REF; VER",
    .verified = true,
};

/// Kimi K2: DeepSeek V3's architecture (HF architectures[0] DeepseekV3ForCausalLM, model_type
/// kimi_k2) with 64 heads, 384 routed experts, first_k_dense_replace 1 and routed_scaling_factor
/// 2.827. n_group / topk_group 1 / 1: not in the maxtext yml; taken from flashinfer-bench's e384
/// MoE definitions (ng1_kg1), which the verification notes could not re-find in a config.
inline constexpr model_config kimi_k2 = {
    .slug = "kimi-k2",
    .display_name = "Kimi K2",
    .hf_architecture = "DeepseekV3ForCausalLM",
    .layers = {.total = 61, .attention = 61, .dense_mlp = 1, .moe_mlp = 60},
    .hidden_size = 7168,
    .vocab_size = 163840,
    .dense_intermediate = 18432,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::mla,
    .gqa = {},
    .mla = {.num_heads = 64,
            .q_lora_rank = 1536,
            .kv_lora_rank = 512,
            .qk_nope_head_dim = 128,
            .qk_rope_head_dim = 64,
            .v_head_dim = 128},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::gptj, .rotary_dim = 64},
    .moe = {.num_experts = 384,
            .top_k = 8,
            .expert_intermediate = 2048,
            .num_shared_experts = 1,
            .shared_intermediate = 2048,
            .routing = routing_kind::deepseek,
            .n_group = 1,
            .topk_group = 1},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{8, 1}, serving_config{8, 4}, serving_config{8, 8}},
    .source = "MTY kimi-k2-1t.yml; HF copy Edithai/aura-v1 config.json (first_k_dense_replace); "
              "ng1/kg1 from flashinfer-bench e384 definitions; REF; VER",
    .verified = true,
};

// ----------------------------------------------------------------------------------------------
// Llama
// ----------------------------------------------------------------------------------------------

inline constexpr model_config llama_3_1_8b = {
    .slug = "llama-3.1-8b",
    .display_name = "Llama 3.1 8B",
    .hf_architecture = "LlamaForCausalLM",
    .layers = {.total = 32, .attention = 32, .dense_mlp = 32},
    .hidden_size = 4096,
    .vocab_size = 128256,
    .dense_intermediate = 14336,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "HF config.json via MT llama31_8b_config; REF",
    .verified = true,
};

/// Llama 3.1 70B and 3.3 70B share every architecture number.
inline constexpr model_config llama_3_1_70b = {
    .slug = "llama-3.1-70b",
    .display_name = "Llama 3.1 / 3.3 70B",
    .hf_architecture = "LlamaForCausalLM",
    .layers = {.total = 80, .attention = 80, .dense_mlp = 80},
    .hidden_size = 8192,
    .vocab_size = 128256,
    .dense_intermediate = 28672,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 64, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{4, 1}},
    .source = "HF config.json via MT llama31_70b_config; REF",
    .verified = true,
};

inline constexpr model_config llama_3_1_405b = {
    .slug = "llama-3.1-405b",
    .display_name = "Llama 3.1 405B",
    .hf_architecture = "LlamaForCausalLM",
    .layers = {.total = 126, .attention = 126, .dense_mlp = 126},
    .hidden_size = 16384,
    .vocab_size = 128256,
    .dense_intermediate = 53248,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 128, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{4, 1}},
    .source = "HF config.json via MT llama31_405b_config; REF",
    .verified = true,
};

/// Tied input / output embeddings (no field: lm_head has the same shape either way).
inline constexpr model_config llama_3_2_3b = {
    .slug = "llama-3.2-3b",
    .display_name = "Llama 3.2 3B",
    .hf_architecture = "LlamaForCausalLM",
    .layers = {.total = 28, .attention = 28, .dense_mlp = 28},
    .hidden_size = 3072,
    .vocab_size = 128256,
    .dense_intermediate = 8192,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 24, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "REF (HF config.json via maxtext configs/models and mlc-llm model_preset.py)",
    .verified = true,
};

/// Llama 4 Scout (multimodal; the catalog covers the text decoder under text_config).
/// interleave_moe_layer_step 1: all 48 layers MoE, no dense FFN (HF intermediate_size_mlp is
/// unused; maxtext's base_mlp_dim 8192 is not a dense layer). no_rope_layer_interval 4: NoPE at
/// 0-based 3, 7, ..., 47 (12 layers, global attention); the other 36 use RoPE (interleaved,
/// complex-multiply pairs) and chunked attention (attention_chunk_size 8192). use_qk_norm true:
/// an L2 norm of q and k on the RoPE layers. Shared expert width = intermediate_size 8192.
inline constexpr model_config llama_4_scout = {
    .slug = "llama-4-scout",
    .display_name = "Llama 4 Scout 17B-16E",
    .hf_architecture = "Llama4ForConditionalGeneration",
    .layers = {.total = 48, .attention = 48, .local_attention = 36, .moe_mlp = 48},
    .hidden_size = 5120,
    .vocab_size = 202048,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 40, .num_kv_heads = 8, .head_dim = 128, .qk_norm = false},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::gptj, .rotary_dim = 128, .nope_layers = 12},
    .moe = {.num_experts = 16,
            .top_k = 1,
            .expert_intermediate = 8192,
            .num_shared_experts = 1,
            .shared_intermediate = 8192,
            .routing = routing_kind::sigmoid_top1},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"chunked_attention",
                                       "attention_chunk_size 8192 on the RoPE layers: a token "
                                       "attends only within its 8192-token chunk, a mask beyond "
                                       "causal that no gqa definition has (the 12 NoPE layers "
                                       "attend globally and are planned)",
                                       36},
                    unsupported_module{"l2_qk_norm",
                                       "use_qk_norm: weightless L2 norm of each q and k head on "
                                       "the RoPE layers; no rmsnorm definition computes it",
                                       36},
                    unsupported_module{"nope_attention_temperature",
                                       "attn_temperature_tuning of transformers' Llama 4 "
                                       "attention scales q by a position-dependent factor on the "
                                       "NoPE layers (floor_scale / attn_scale of the released "
                                       "config not confirmed here): no op type",
                                       12}},
    .serving = {serving_config{8, 1}},
    .source = "MTY llama4-17b-16e.yml; transformers Llama4TextConfig docstring (no_rope_layers, "
              "attention_chunk_size, use_qk_norm); REF; VER",
    .verified = true,
};

/// Llama 4 Maverick: as Scout, but interleave_moe_layer_step 2 (MoE at odd 0-based layers: 24
/// MoE + 24 dense with intermediate_size_mlp 16384), 128 routed experts, and use_qk_norm false.
inline constexpr model_config llama_4_maverick = {
    .slug = "llama-4-maverick",
    .display_name = "Llama 4 Maverick 17B-128E",
    .hf_architecture = "Llama4ForConditionalGeneration",
    .layers = {.total = 48, .attention = 48, .local_attention = 36, .dense_mlp = 24, .moe_mlp = 24},
    .hidden_size = 5120,
    .vocab_size = 202048,
    .dense_intermediate = 16384,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 40, .num_kv_heads = 8, .head_dim = 128, .qk_norm = false},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::gptj, .rotary_dim = 128, .nope_layers = 12},
    .moe = {.num_experts = 128,
            .top_k = 1,
            .expert_intermediate = 8192,
            .num_shared_experts = 1,
            .shared_intermediate = 8192,
            .routing = routing_kind::sigmoid_top1},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"chunked_attention",
                                       "attention_chunk_size 8192 on the RoPE layers: a token "
                                       "attends only within its 8192-token chunk, a mask beyond "
                                       "causal that no gqa definition has (the 12 NoPE layers "
                                       "attend globally and are planned)",
                                       36},
                    unsupported_module{"nope_attention_temperature",
                                       "attn_temperature_tuning of transformers' Llama 4 "
                                       "attention scales q by a position-dependent factor on the "
                                       "NoPE layers (floor_scale / attn_scale of the released "
                                       "config not confirmed here): no op type",
                                       12}},
    .serving = {serving_config{8, 1}},
    .source = "MTY llama4-17b-128e.yml; ollama GGUF metadata (feed_forward_length 16384); "
              "transformers Llama4TextConfig docstring; REF; VER",
    .verified = true,
};

// ----------------------------------------------------------------------------------------------
// Mistral and Mixtral
// ----------------------------------------------------------------------------------------------

inline constexpr model_config mistral_7b_v0_3 = {
    .slug = "mistral-7b-v0.3",
    .display_name = "Mistral 7B v0.3",
    .hf_architecture = "MistralForCausalLM",
    .layers = {.total = 32, .attention = 32, .dense_mlp = 32},
    .hidden_size = 4096,
    .vocab_size = 32768,
    .dense_intermediate = 14336,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "REF (HF config.json via maxtext configs/models and mlc-llm model_preset.py)",
    .verified = true,
};

/// Explicit head_dim 128 (32 x 128 = 4096 != hidden 5120).
inline constexpr model_config mistral_nemo_12b = {
    .slug = "mistral-nemo-12b",
    .display_name = "Mistral Nemo 12B",
    .hf_architecture = "MistralForCausalLM",
    .layers = {.total = 40, .attention = 40, .dense_mlp = 40},
    .hidden_size = 5120,
    .vocab_size = 131072,
    .dense_intermediate = 14336,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "kevinstephano/thunder_model_blocks mistral_config.py (verbatim config.json of "
              "mistralai/Mistral-Nemo-Base-2407); REF; VER",
    .verified = true,
};

/// Multimodal (Mistral3ForConditionalGeneration): the LM numbers live under "text_config"
/// (model_type mistral); the pixtral vision tower is not modelled. Explicit head_dim 128. The
/// 2503 config.json itself was not in the index: 3.0 (2501) and 3.2 (2506) text configs and code
/// copies of the 3.1 text_config agree on every number.
inline constexpr model_config mistral_small_3_1_24b = {
    .slug = "mistral-small-3.1-24b",
    .display_name = "Mistral Small 3.1 24B",
    .hf_architecture = "Mistral3ForConditionalGeneration",
    .layers = {.total = 40, .attention = 40, .dense_mlp = 40},
    .hidden_size = 5120,
    .vocab_size = 131072,
    .dense_intermediate = 32768,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}, serving_config{2, 1}},
    .source = "HF text_config copies (Mistral-Small 2501 / 2506 derivatives, MISTRAL3_CONFIG code "
              "copies of 3.1); REF; VER",
    .verified = true,
};

/// Every layer MoE (8 experts, top-2, softmax over the top-k logits); no dense MLP: HF
/// intermediate_size 14336 is the expert width.
inline constexpr model_config mixtral_8x7b = {
    .slug = "mixtral-8x7b",
    .display_name = "Mixtral 8x7B",
    .hf_architecture = "MixtralForCausalLM",
    .layers = {.total = 32, .attention = 32, .moe_mlp = 32},
    .hidden_size = 4096,
    .vocab_size = 32000,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {.num_experts = 8,
            .top_k = 2,
            .expert_intermediate = 14336,
            .routing = routing_kind::renormalize},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "HF config.json (Mixtral-8x7B-Instruct-v0.1) via MT mixtral_8x7b_dict; REF",
    .verified = true,
};

/// As 8x7B: every layer MoE, HF intermediate_size 16384 is the expert width.
inline constexpr model_config mixtral_8x22b = {
    .slug = "mixtral-8x22b",
    .display_name = "Mixtral 8x22B",
    .hf_architecture = "MixtralForCausalLM",
    .layers = {.total = 56, .attention = 56, .moe_mlp = 56},
    .hidden_size = 6144,
    .vocab_size = 32768,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 48, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {.num_experts = 8,
            .top_k = 2,
            .expert_intermediate = 16384,
            .routing = routing_kind::renormalize},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}, serving_config{2, 1}},
    .source = "HF config.json (Mixtral-8x22B-Instruct-v0.1) via MT mixtral_8x22b_dict; REF",
    .verified = true,
};

// ----------------------------------------------------------------------------------------------
// Qwen
// ----------------------------------------------------------------------------------------------

/// Qwen2 architecture: q, k and v projections carry a bias (attention_bias true in MT).
inline constexpr model_config qwen2_5_7b = {
    .slug = "qwen2.5-7b",
    .display_name = "Qwen2.5 7B",
    .hf_architecture = "Qwen2ForCausalLM",
    .layers = {.total = 28, .attention = 28, .dense_mlp = 28},
    .hidden_size = 3584,
    .vocab_size = 152064,
    .dense_intermediate = 18944,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 28, .num_kv_heads = 4, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"qkv_bias",
                                       "q, k and v projections add a bias (Qwen2 attention); the "
                                       "gemm definition has no bias term",
                                       28}},
    .serving = {serving_config{1, 1}},
    .source = "HF config.json via MT qwen25_7b_config; REF",
    .verified = true,
};

/// No head_dim key: 8192 / 64 = 128. vocab 152064 (several fine-tuned derivatives resize to
/// 151665; the original is 152064).
inline constexpr model_config qwen2_5_72b = {
    .slug = "qwen2.5-72b",
    .display_name = "Qwen2.5 72B",
    .hf_architecture = "Qwen2ForCausalLM",
    .layers = {.total = 80, .attention = 80, .dense_mlp = 80},
    .hidden_size = 8192,
    .vocab_size = 152064,
    .dense_intermediate = 29568,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 64, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"qkv_bias",
                                       "q, k and v projections add a bias (Qwen2 attention); the "
                                       "gemm definition has no bias term",
                                       80}},
    .serving = {serving_config{8, 1}},
    .source = "HF-copy config.json of Qwen/Qwen2.5-72B (BitStack/BitStack-Qwen2.5-72B, "
              "OPEA/Qwen2.5-72B-Instruct-int4-sym-inc); REF; VER",
    .verified = true,
};

inline constexpr model_config qwen3_8b = {
    .slug = "qwen3-8b",
    .display_name = "Qwen3 8B",
    .hf_architecture = "Qwen3ForCausalLM",
    .layers = {.total = 36, .attention = 36, .dense_mlp = 36},
    .hidden_size = 4096,
    .vocab_size = 151936,
    .dense_intermediate = 12288,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 8, .head_dim = 128, .qk_norm = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "HF config.json via MT qwen3_8b_config; REF",
    .verified = true,
};

inline constexpr model_config qwen3_14b = {
    .slug = "qwen3-14b",
    .display_name = "Qwen3 14B",
    .hf_architecture = "Qwen3ForCausalLM",
    .layers = {.total = 40, .attention = 40, .dense_mlp = 40},
    .hidden_size = 5120,
    .vocab_size = 151936,
    .dense_intermediate = 17408,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 40, .num_kv_heads = 8, .head_dim = 128, .qk_norm = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}, serving_config{2, 1}},
    .source = "HF config.json via MT qwen3_14b_config; REF",
    .verified = true,
};

inline constexpr model_config qwen3_32b = {
    .slug = "qwen3-32b",
    .display_name = "Qwen3 32B",
    .hf_architecture = "Qwen3ForCausalLM",
    .layers = {.total = 64, .attention = 64, .dense_mlp = 64},
    .hidden_size = 5120,
    .vocab_size = 151936,
    .dense_intermediate = 25600,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 64, .num_kv_heads = 8, .head_dim = 128, .qk_norm = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{4, 1}},
    .source = "HF config.json via MT qwen3_32b_config; REF",
    .verified = true,
};

/// decoder_sparse_step 1, mlp_only_layers []: every layer MoE (HF intermediate_size 6144 is
/// unused). norm_topk_prob true: softmax over the top-k logits.
inline constexpr model_config qwen3_30b_a3b = {
    .slug = "qwen3-30b-a3b",
    .display_name = "Qwen3 30B A3B",
    .hf_architecture = "Qwen3MoeForCausalLM",
    .layers = {.total = 48, .attention = 48, .moe_mlp = 48},
    .hidden_size = 2048,
    .vocab_size = 151936,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 4, .head_dim = 128, .qk_norm = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {.num_experts = 128,
            .top_k = 8,
            .expert_intermediate = 768,
            .routing = routing_kind::renormalize},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "HF config.json via MT qwen3_30b_a3b_base_config / _thinking_2507_config; REF; VER",
    .verified = true,
};

/// Every layer MoE (HF intermediate_size 12288 is unused); attention width 64 x 128 = 8192 over
/// hidden 4096.
inline constexpr model_config qwen3_235b_a22b = {
    .slug = "qwen3-235b-a22b",
    .display_name = "Qwen3 235B A22B",
    .hf_architecture = "Qwen3MoeForCausalLM",
    .layers = {.total = 94, .attention = 94, .moe_mlp = 94},
    .hidden_size = 4096,
    .vocab_size = 151936,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 64, .num_kv_heads = 4, .head_dim = 128, .qk_norm = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {.num_experts = 128,
            .top_k = 8,
            .expert_intermediate = 1536,
            .routing = routing_kind::renormalize},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{4, 1}, serving_config{8, 2}},
    .source = "HF config.json via MT qwen3_235b_a22b_thinking_2507_config; REF; VER",
    .verified = true,
};

/// full_attention_interval 4: gated attention at 0-based 3, 7, ..., 47 (12 layers), Gated
/// DeltaNet on the other 36. Every layer MoE (HF intermediate_size 5120 is unused), plus one
/// shared expert of width 512 behind a sigmoid gate; norm_topk_prob true. partial_rotary_factor
/// 0.25 of head_dim 256 -> rotary 64. From transformers' modular_qwen3_next.py:
/// Qwen3NextAttention doubles q_proj (16 x 256 x 2) into q and a gate, multiplies the attention
/// output by sigmoid(gate) before o_proj, and applies per-head q / k norms over head_dim; every
/// RMSNorm of the model (q / k norms included) is Gemma3RMSNorm, scale (1 + weight).
inline constexpr model_config qwen3_next_80b_a3b = {
    .slug = "qwen3-next-80b-a3b",
    .display_name = "Qwen3 Next 80B A3B",
    .hf_architecture = "Qwen3NextForCausalLM",
    .layers = {.total = 48, .attention = 12, .gated_delta_net = 36, .moe_mlp = 48},
    .hidden_size = 2048,
    .vocab_size = 151936,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 16, .num_kv_heads = 2, .head_dim = 256, .qk_norm = true, .output_gate = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 64},
    .moe = {.num_experts = 512,
            .top_k = 10,
            .expert_intermediate = 512,
            .num_shared_experts = 1,
            .shared_intermediate = 512,
            .shared_expert_gate = true,
            .routing = routing_kind::renormalize},
    .gdn = {.num_qk_heads = 16, .num_v_heads = 32, .head_dim = 128},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}, serving_config{2, 1}, serving_config{4, 4}},
    .source = "HF config.json via MT qwen3_next_80b_a3b_dict; transformers modular_qwen3_next.py "
              "(output gate, q/k norms, norm); REF; VER",
    .verified = true,
    .norm = norm_kind::one_plus_weight,
};

// ----------------------------------------------------------------------------------------------
// Phi, Gemma, GLM
// ----------------------------------------------------------------------------------------------

/// Not Phi-4-mini (mlc-llm's "phi-4" preset and maxtext's phi4.yml are the mini model). No
/// head_dim key: 5120 / 40 = 128; no partial_rotary_factor: full rotary. Phi-3 modelling stores
/// fused qkv_proj / gate_up_proj weights (same GEMM shapes).
inline constexpr model_config phi_4_14b = {
    .slug = "phi-4-14b",
    .display_name = "Phi-4 14B",
    .hf_architecture = "Phi3ForCausalLM",
    .layers = {.total = 40, .attention = 40, .dense_mlp = 40},
    .hidden_size = 5120,
    .vocab_size = 100352,
    .dense_intermediate = 17920,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 40, .num_kv_heads = 10, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {},
    .serving = {serving_config{1, 1}},
    .source = "huggingface.co/microsoft/phi-4 config.json (refs/pr/10); HF copies "
              "stelterlab/phi-4-AWQ, gaianet/phi-4-GGUF; REF; VER",
    .verified = true,
};

/// Multimodal (Gemma3ForConditionalGeneration; the catalog covers text_config). Explicit
/// head_dim 128 (32 x 128 != 5376). sliding_window_pattern 6: global attention at 0-based 5, 11,
/// ..., 59 (10 layers), sliding window 1024 on the other 52. vocab 262208 is the padded size
/// flashinfer-bench's sampling definitions use (262144 raw). GeGLU MLP (gated). The softmax
/// scale is 1/sqrt(query_pre_attn_scalar 168), not 1/sqrt(128): model_config has no field for
/// it (the gqa definitions take sm_scale as an input).
inline constexpr model_config gemma_3_27b = {
    .slug = "gemma-3-27b",
    .display_name = "Gemma 3 27B",
    .hf_architecture = "Gemma3ForConditionalGeneration",
    .layers = {.total = 62, .attention = 62, .local_attention = 52, .dense_mlp = 62},
    .hidden_size = 5376,
    .vocab_size = 262208,
    .dense_intermediate = 21504,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 16, .head_dim = 128, .qk_norm = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 128},
    .moe = {},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"sliding_window_attention",
                                       "sliding_window 1024 on 5 of every 6 layers: a mask beyond "
                                       "causal that no gqa definition has (the 10 global layers "
                                       "are planned)",
                                       52}},
    .serving = {serving_config{1, 1}},
    .source = "HF config.json via MT gemma3_27b_config; REF; VER",
    .verified = true,
    .norm = norm_kind::one_plus_weight,
    .post_norms = true,
};

/// GLM-4.6 (no Dual Chunk Attention, despite the seed page: plain GQA). first_k_dense_replace
/// 3; 160 routed + 1 shared expert (1 x 1536); sigmoid + e_score_correction_bias routing without
/// groups (n_group 1, topk_group 1), routed_scaling_factor 2.5, norm_topk_prob true.
/// partial_rotary_factor 0.5 -> rotary 64 of 128 (transformers' glm4_moe applies GPT-NeoX
/// rotation). use_qk_norm true (per-head RMSNorm over head_dim) and attention_bias true. The MTP
/// layer (num_nextn_predict_layers 1) is not counted.
inline constexpr model_config glm_4_6 = {
    .slug = "glm-4.6",
    .display_name = "GLM-4.6",
    .hf_architecture = "Glm4MoeForCausalLM",
    .layers = {.total = 92, .attention = 92, .dense_mlp = 3, .moe_mlp = 89},
    .hidden_size = 5120,
    .vocab_size = 151552,
    .dense_intermediate = 12288,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 96, .num_kv_heads = 8, .head_dim = 128, .qk_norm = true},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 64},
    .moe = {.num_experts = 160,
            .top_k = 8,
            .expert_intermediate = 1536,
            .num_shared_experts = 1,
            .shared_intermediate = 1536,
            .routing = routing_kind::deepseek,
            .n_group = 1,
            .topk_group = 1},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"qkv_bias",
                                       "q, k and v projections add a bias (attention_bias true); "
                                       "the gemm definition has no bias term",
                                       92}},
    .serving = {serving_config{8, 1}, serving_config{8, 8}},
    .source = "HF-copy config.json (RedHatAI/GLM-4.6-NVFP4, inference-optimization/"
              "GLM-4.6-FP8-dynamic; zai-org/GLM-4.7); transformers glm4_moe; REF; VER",
    .verified = true,
};

// ----------------------------------------------------------------------------------------------
// MiniMax
// ----------------------------------------------------------------------------------------------

/// MiniMax M2: full softmax attention on every layer (attn_type_list all 1), every layer MoE
/// (HF intermediate_size 1536 is the expert width; shared_intermediate_size 0). scoring_func
/// sigmoid with use_routing_bias (e_score_correction_bias), no grouping keys (-> 1 / 1),
/// routed_scaling_factor 1.0 (ModelCloud default). rotary_dim 64 of head_dim 128. Its qk-norm
/// is not per head (qk_norm_type per_layer): see `unsupported`.
inline constexpr model_config minimax_m2 = {
    .slug = "minimax-m2",
    .display_name = "MiniMax M2",
    .hf_architecture = "MiniMaxM2ForCausalLM",
    .layers = {.total = 62, .attention = 62, .moe_mlp = 62},
    .hidden_size = 3072,
    .vocab_size = 200064,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 48, .num_kv_heads = 8, .head_dim = 128, .qk_norm = false},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 64},
    .moe = {.num_experts = 256,
            .top_k = 8,
            .expert_intermediate = 1536,
            .routing = routing_kind::deepseek,
            .n_group = 1,
            .topk_group = 1},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"full_width_qk_norm",
                                       "qk_norm_type per_layer: RMSNorm over all of q (48 x 128 = "
                                       "6144) and all of k (8 x 128 = 1024) before the head split, "
                                       "not per head; under TP the variance needs a reduction "
                                       "across ranks, which no rmsnorm definition does",
                                       62}},
    .serving = {serving_config{8, 1}},
    .source = "HF-copy config.json (amd/MiniMax-M2.7-BF16, QuixiAI/MiniMax-M2.1-bf16); "
              "ModelCloud configuration/modeling_minimax_m2.py; REF; VER",
    .verified = true,
};

/// MiniMax-Text-01: attn_type_list [0]*7 + [1], ten times: 70 lightning (linear) attention
/// layers (0) and 10 softmax layers (1) at 0-based 7, 15, ..., 79. The gqa fields describe the 10
/// softmax layers (64 q heads, 8 kv heads). The lightning layers have no GQA and shapes that
/// model_config cannot hold: qkv_proj 6144 -> 3 x 64 x 128 = 24576, output_gate 6144 -> 8192,
/// RMSNorm over 8192, out_proj 8192 -> 6144, block_size 256 (the planner lists the layers as
/// lightning_attention). Every layer MoE (32 experts, top-2, width 9216; no dense MLP, no
/// shared expert). rotary_dim 64 (half the head). The router's scoring function was not found
/// in any source: routing unverified, so verified = false.
inline constexpr model_config minimax_text_01 = {
    .slug = "minimax-text-01",
    .display_name = "MiniMax Text-01",
    .hf_architecture = "MiniMaxText01ForCausalLM",
    .layers = {.total = 80, .attention = 10, .lightning_attention = 70, .moe_mlp = 80},
    .hidden_size = 6144,
    .vocab_size = 200064,
    .dense_intermediate = 0,
    .mlp = mlp_kind::gated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 64, .num_kv_heads = 8, .head_dim = 128, .qk_norm = false},
    .mla = {},
    .dsa = {},
    .rope = {.present = true, .style = rope_style::neox, .rotary_dim = 64},
    .moe = {.num_experts = 32,
            .top_k = 2,
            .expert_intermediate = 9216,
            .routing = routing_kind::unverified},
    .gdn = {},
    .mamba = {},
    .unsupported = {unsupported_module{"postnorm_residual_scaling",
                                       "postnorm true with layernorm_*_alpha 3.5566 / beta 1.0: "
                                       "the residual is the normalised stream scaled by alpha, "
                                       "which fused_add_rmsnorm (plain add, then norm) does not "
                                       "compute",
                                       80}},
    .serving = {serving_config{8, 1}},
    .source = "huggingface.co/MiniMaxAI/MiniMax-Text-01 config.json; transformers MiniMax "
              "conversion test; model card; REF; VER",
    .verified = false,
};

// ----------------------------------------------------------------------------------------------
// NemotronH (hybrid Mamba2 + attention + MLP blocks; each block has one mixer or one MLP)
// ----------------------------------------------------------------------------------------------

/// hybrid_override_pattern of the 47B: 98 blocks = 45 Mamba2 (M) + 5 attention (*, at 0-based
/// 17, 38, 49, 60, 86) + 48 MLP (-); models.md's "52 layers" is wrong. MLP: squared ReLU
/// up / down (ungated). conv_kernel 4 is only the shared default. Positional encoding:
/// Megatron-LM's 47B script uses --position-embedding-type none and transformers' NemotronH
/// attention (JambaAttention) applies no RoPE, but Megatron-Bridge's docs say RoPE: the sources
/// conflict, so rope.present = false and the entry stays unverified.
inline constexpr model_config nemotron_h_47b = {
    .slug = "nemotron-h-47b",
    .display_name = "NemotronH 47B",
    .hf_architecture = "NemotronHForCausalLM",
    .layers = {.total = 98, .attention = 5, .mamba2 = 45, .dense_mlp = 48},
    .hidden_size = 8192,
    .vocab_size = 131072,
    .dense_intermediate = 30720,
    .mlp = mlp_kind::ungated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 64, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = false},
    .moe = {},
    .gdn = {},
    .mamba = {.num_heads = 256, .head_dim = 64, .state_size = 256, .n_groups = 8},
    .unsupported = {},
    .serving = {serving_config{8, 1}},
    .source = "NVIDIA-NeMo/Megatron-Bridge nemotron_h_provider.py (NemotronHModelProvider47B) and "
              "docs/models/llm/nemotronh.md; Megatron-LM 47B export script; REF; VER",
    .verified = false,
};

/// hybrid_override_pattern of the 8B: 52 blocks = 24 Mamba2 + 4 attention (0-based 7, 18, 29,
/// 40) + 24 MLP. Squared ReLU MLP (ungated). No RoPE (transformers' NemotronHAttention is
/// JambaAttention, which applies none). Not in the seed page; its Mamba2 shape matches
/// flashinfer-bench's mamba_ssu_decode_h128_d64_s128_ng8 at TP=1.
inline constexpr model_config nemotron_h_8b = {
    .slug = "nemotron-h-8b",
    .display_name = "NemotronH 8B",
    .hf_architecture = "NemotronHForCausalLM",
    .layers = {.total = 52, .attention = 4, .mamba2 = 24, .dense_mlp = 24},
    .hidden_size = 4096,
    .vocab_size = 131072,
    .dense_intermediate = 21504,
    .mlp = mlp_kind::ungated,
    .attention = attention_kind::gqa,
    .gqa = {.num_heads = 32, .num_kv_heads = 8, .head_dim = 128},
    .mla = {},
    .dsa = {},
    .rope = {.present = false},
    .moe = {},
    .gdn = {},
    .mamba = {.num_heads = 128, .head_dim = 64, .state_size = 128, .n_groups = 8},
    .unsupported = {},
    .serving = {serving_config{1, 1}, serving_config{2, 1}},
    .source = "NVIDIA-NeMo/Megatron-Bridge nemotron_h_provider.py and docs; transformers "
              "configuration_nemotron_h.py defaults and modular_nemotron_h.py; REF; VER",
    .verified = true,
};

/// Every catalog model, in the order of reference/models.md.
inline constexpr std::array catalog{
    &deepseek_v3,        &deepseek_v3_2,       &kimi_k2,          &llama_3_1_8b,
    &llama_3_1_70b,      &llama_3_1_405b,      &llama_3_2_3b,     &llama_4_scout,
    &llama_4_maverick,   &mistral_7b_v0_3,     &mistral_nemo_12b, &mistral_small_3_1_24b,
    &mixtral_8x7b,       &mixtral_8x22b,       &qwen2_5_7b,       &qwen2_5_72b,
    &qwen3_8b,           &qwen3_14b,           &qwen3_32b,        &qwen3_30b_a3b,
    &qwen3_235b_a22b,    &qwen3_next_80b_a3b,  &phi_4_14b,        &gemma_3_27b,
    &glm_4_6,            &minimax_m2,          &minimax_text_01,  &nemotron_h_47b,
    &nemotron_h_8b,
};

/// The catalog model whose slug is `slug`, or nullptr when there is none.
constexpr const model_config* find_model(std::string_view slug) {
  for (const model_config* model : catalog) {
    if (model->slug == slug) return model;
  }
  return nullptr;
}

// ----------------------------------------------------------------------------------------------
// Compile-time checks of every entry
// ----------------------------------------------------------------------------------------------

namespace catalog_checks {

template <class Predicate>
constexpr bool every_model(Predicate predicate) {
  for (const model_config* model : catalog) {
    if (!predicate(*model)) return false;
  }
  return true;
}

constexpr bool divides(std::int64_t divisor, std::int64_t value) {
  return divisor > 0 && value % divisor == 0;
}

constexpr bool slugs_unique() {
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    for (std::size_t j = i + 1; j < catalog.size(); ++j) {
      if (catalog[i]->slug == catalog[j]->slug) return false;
    }
  }
  return true;
}

/// Each block counts once by its mixer and once by its feed-forward, or (NemotronH's hybrid
/// blocks, one module each) once in total.
constexpr bool layers_add_up(const model_config& m) {
  const layer_counts& l = m.layers;
  const std::int64_t mixers = l.attention + l.gated_delta_net + l.mamba2 + l.lightning_attention;
  const std::int64_t ffns = l.dense_mlp + l.moe_mlp;
  return (mixers == l.total && ffns == l.total) || (mixers + ffns == l.total);
}

constexpr bool attention_fields_filled(const model_config& m) {
  if (m.layers.attention == 0) return true;
  if (m.attention == attention_kind::gqa) {
    return m.gqa.num_heads > 0 && m.gqa.num_kv_heads > 0 && m.gqa.head_dim > 0 &&
           m.gqa.num_heads % m.gqa.num_kv_heads == 0;
  }
  const bool mla = m.mla.num_heads > 0 && m.mla.kv_lora_rank > 0 && m.mla.qk_nope_head_dim > 0 &&
                   m.mla.qk_rope_head_dim > 0 && m.mla.v_head_dim > 0;
  if (m.attention == attention_kind::mla) return mla;
  return mla && m.dsa.index_heads > 0 && m.dsa.index_head_dim > 0 && m.dsa.topk > 0;
}

constexpr bool rope_consistent(const model_config& m) {
  if (!m.rope.present) return m.rope.rotary_dim == 0 && m.rope.nope_layers == 0;
  const std::int64_t head =
      m.attention == attention_kind::gqa ? m.gqa.head_dim : m.mla.qk_rope_head_dim;
  return m.rope.rotary_dim > 0 && m.rope.rotary_dim % 2 == 0 && m.rope.rotary_dim <= head &&
         m.rope.nope_layers >= 0 && m.rope.nope_layers < m.layers.attention;
}

constexpr bool moe_consistent(const model_config& m) {
  const moe_config& e = m.moe;
  if (m.layers.moe_mlp == 0) return e.num_experts == 0 && e.routing == routing_kind::none;
  return e.num_experts > 0 && e.top_k > 0 && e.top_k <= e.num_experts &&
         e.expert_intermediate > 0 && e.routing != routing_kind::none &&
         (e.num_shared_experts == 0) == (e.shared_intermediate == 0) &&
         (!e.shared_expert_gate || e.num_shared_experts > 0) && divides(e.n_group, e.num_experts) &&
         e.topk_group >= 1 && e.topk_group <= e.n_group;
}

/// Every serving configuration fits the model: tp splits the heads (kv heads split or
/// replicated), ep splits the experts and divides tp, ep > 1 only with MoE.
constexpr bool serving_fits(const model_config& m) {
  for (const serving_config& s : m.serving) {
    if (s.tp <= 0 || s.ep <= 0) return false;
    if (m.layers.attention > 0) {
      if (m.attention == attention_kind::gqa) {
        if (!divides(s.tp, m.gqa.num_heads)) return false;
        if (!divides(s.tp, m.gqa.num_kv_heads) && !divides(m.gqa.num_kv_heads, s.tp)) return false;
      } else if (!divides(s.tp, m.mla.num_heads)) {
        return false;
      }
    }
    if (m.layers.dense_mlp > 0 && !divides(s.tp, m.dense_intermediate)) return false;
    if (m.layers.moe_mlp > 0) {
      if (!divides(s.ep, m.moe.num_experts) || !divides(s.ep, s.tp)) return false;
      if (!divides(s.tp / s.ep, m.moe.expert_intermediate)) return false;
    } else if (s.ep > 1) {
      return false;
    }
    if (m.layers.gated_delta_net > 0 &&
        (!divides(s.tp, m.gdn.num_qk_heads) || !divides(s.tp, m.gdn.num_v_heads))) {
      return false;
    }
    if (m.layers.mamba2 > 0 &&
        (!divides(s.tp, m.mamba.num_heads) || !divides(s.tp, m.mamba.n_groups))) {
      return false;
    }
    if (!divides(s.tp, m.vocab_size)) return false;
  }
  return true;
}

}  // namespace catalog_checks

static_assert(catalog.size() == 29, "the catalog has the 29 models of reference/models.md");
static_assert(catalog_checks::slugs_unique(), "catalog slugs must be unique");
static_assert(find_model("deepseek-v3") == &deepseek_v3 && find_model("nemotron-h-8b") ==
                  &nemotron_h_8b && find_model("no-such-model") == nullptr,
              "find_model finds every slug and nothing else");
static_assert(catalog_checks::every_model([](const model_config& m) {
                return !m.slug.empty() && !m.display_name.empty() && !m.hf_architecture.empty() &&
                       !m.source.empty();
              }),
              "every entry names its slug, display name, HF architecture and source");
static_assert(catalog_checks::every_model([](const model_config& m) {
                return m.hidden_size > 0 && m.vocab_size > 0 && m.layers.total > 0;
              }),
              "every entry has a hidden size, a vocabulary and layers");
static_assert(catalog_checks::every_model([](const model_config& m) {
                return m.layers.attention > 0 && m.layers.local_attention >= 0 &&
                       m.layers.local_attention < m.layers.attention;
              }),
              "every catalog model has softmax attention layers, some of them global");
static_assert(catalog_checks::every_model(catalog_checks::layers_add_up),
              "layer counts must add up to layers.total");
static_assert(catalog_checks::every_model([](const model_config& m) {
                return (m.layers.dense_mlp > 0) == (m.dense_intermediate > 0);
              }),
              "dense_intermediate is set exactly when the model has dense MLP layers");
static_assert(catalog_checks::every_model(catalog_checks::attention_fields_filled),
              "the attention fields of the model's attention kind must be filled");
static_assert(catalog_checks::every_model(catalog_checks::rope_consistent),
              "rope: rotary_dim even and within the head, nope_layers below the attention layers");
static_assert(catalog_checks::every_model(catalog_checks::moe_consistent),
              "moe fields are set exactly when the model has MoE layers, and are consistent");
static_assert(catalog_checks::every_model([](const model_config& m) {
                const bool gdn = m.gdn.num_qk_heads > 0 && m.gdn.num_v_heads > 0 &&
                                 m.gdn.head_dim > 0;
                const bool mamba = m.mamba.num_heads > 0 && m.mamba.head_dim > 0 &&
                                   m.mamba.state_size > 0 && m.mamba.n_groups > 0;
                return (m.layers.gated_delta_net > 0) == gdn && (m.layers.mamba2 > 0) == mamba;
              }),
              "gdn / mamba fields are set exactly when the model has such layers");
static_assert(catalog_checks::every_model([](const model_config& m) {
                for (const unsupported_module& u : m.unsupported) {
                  if (u.module.empty() || u.reason.empty() || u.layers <= 0 ||
                      u.layers > m.layers.total) {
                    return false;
                  }
                }
                return true;
              }),
              "unsupported modules name themselves, say why and run on 1..total layers");
static_assert(catalog_checks::every_model([](const model_config& m) { return !m.serving.empty(); }),
              "every entry has at least one serving configuration");
static_assert(catalog_checks::every_model(catalog_checks::serving_fits),
              "every serving (TP, EP) configuration must fit the model's heads and experts");

}  // namespace solkit::models
