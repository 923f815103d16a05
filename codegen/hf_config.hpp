#pragma once
// A Hugging Face config.json read into a model_config, for the architectures whose layers
// solkit's plan understands. Every problem is an input_error naming the file, the field and the
// value: a missing or mistyped field, an unknown architecture, a layer pattern that does not add
// up.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/dataset.hpp"
#include "solkit/models/model_config.hpp"

namespace solkit::codegen {

/// A model read at run time: the strings the config's views point into live here, so it is
/// neither copied nor moved (handed out by unique_ptr).
struct imported_model {
  std::string slug;
  std::string architecture;
  std::string source;
  models::model_config config;

  imported_model() = default;
  imported_model(const imported_model&) = delete;
  imported_model& operator=(const imported_model&) = delete;
};

inline constexpr std::string_view supported_architectures[] = {
    "LlamaForCausalLM",      "MistralForCausalLM",   "Qwen2ForCausalLM",
    "Qwen3ForCausalLM",      "Phi3ForCausalLM",      "MixtralForCausalLM",
    "Qwen3MoeForCausalLM",   "DeepseekV3ForCausalLM", "DeepseekV32ForCausalLM",
    "Qwen3NextForCausalLM",  "NemotronHForCausalLM", "Glm4MoeForCausalLM",
    "MiniMaxM2ForCausalLM",
};

namespace detail {

class config_reader {
 public:
  config_reader(const nlohmann::json& json, std::string file) : json_{json}, file_{std::move(file)} {}

  [[noreturn]] void fail(std::string_view field, const std::string& what) const {
    throw input_error(file_ + ": field '" + std::string{field} + "' " + what);
  }

  bool has(std::string_view field) const {
    return json_.contains(field) && !json_[std::string{field}].is_null();
  }

  /// A positive integer field (sizes and counts), at most 2^31 so that products of sizes stay
  /// far from int64 overflow.
  std::int64_t positive(std::string_view field) const {
    if (!has(field)) fail(field, "is missing");
    const auto& value = json_[std::string{field}];
    if (!value.is_number_integer() || value.get<std::int64_t>() <= 0 ||
        value.get<std::int64_t>() > (std::int64_t{1} << 31)) {
      fail(field, "must be a positive integer up to 2^31, not " + value.dump());
    }
    return value.get<std::int64_t>();
  }

  std::int64_t positive_or(std::string_view field, std::int64_t fallback) const {
    return has(field) ? positive(field) : fallback;
  }

  /// A non-negative integer field (counts that may be zero, such as first_k_dense_replace).
  std::int64_t count_or(std::string_view field, std::int64_t fallback) const {
    if (!has(field)) return fallback;
    const auto& value = json_[std::string{field}];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
        value.get<std::int64_t>() > (std::int64_t{1} << 31)) {
      fail(field, "must be a non-negative integer, not " + value.dump());
    }
    return value.get<std::int64_t>();
  }

  double fraction_or(std::string_view field, double fallback) const {
    if (!has(field)) return fallback;
    const auto& value = json_[std::string{field}];
    if (!value.is_number() || value.get<double>() <= 0.0 || value.get<double>() > 1.0) {
      fail(field, "must be a number in (0, 1], not " + value.dump());
    }
    return value.get<double>();
  }

  bool flag_or(std::string_view field, bool fallback) const {
    if (!has(field)) return fallback;
    const auto& value = json_[std::string{field}];
    if (!value.is_boolean()) fail(field, "must be true or false, not " + value.dump());
    return value.get<bool>();
  }

  std::string text_or(std::string_view field, std::string fallback) const {
    if (!has(field)) return fallback;
    const auto& value = json_[std::string{field}];
    if (!value.is_string()) fail(field, "must be a string, not " + value.dump());
    return value.get<std::string>();
  }

  /// A list of layer indices (Qwen's mlp_only_layers).
  std::vector<std::int64_t> indices_or_empty(std::string_view field, std::int64_t layers) const {
    std::vector<std::int64_t> indices;
    if (!has(field)) return indices;
    const auto& value = json_[std::string{field}];
    if (!value.is_array()) fail(field, "must be a list of layer indices, not " + value.dump());
    for (const auto& index : value) {
      if (!index.is_number_integer() || index.get<std::int64_t>() < 0 ||
          index.get<std::int64_t>() >= layers) {
        fail(field, "holds " + index.dump() + ", not a layer index below " + std::to_string(layers));
      }
      indices.push_back(index.get<std::int64_t>());
    }
    return indices;
  }

  const nlohmann::json& json() const { return json_; }
  const std::string& file() const { return file_; }

 private:
  const nlohmann::json& json_;
  std::string file_;
};

/// Attention of a GQA model, with head_dim defaulting to hidden_size / heads as in transformers.
inline models::gqa_config read_gqa(const config_reader& c, std::int64_t hidden) {
  models::gqa_config g;
  g.num_heads = c.positive("num_attention_heads");
  g.num_kv_heads = c.positive_or("num_key_value_heads", g.num_heads);
  if (g.num_heads % g.num_kv_heads != 0) {
    c.fail("num_key_value_heads", "(" + std::to_string(g.num_kv_heads) +
                                      ") must divide num_attention_heads (" +
                                      std::to_string(g.num_heads) + ")");
  }
  g.head_dim = c.positive_or("head_dim", hidden / g.num_heads);
  return g;
}

inline models::rope_config read_rope(const config_reader& c, std::int64_t head_dim,
                                     rope_style style) {
  models::rope_config rope;
  rope.present = true;
  rope.style = style;
  rope.rotary_dim = c.has("rotary_dim")
                        ? c.positive("rotary_dim")
                        : static_cast<std::int64_t>(head_dim * c.fraction_or("partial_rotary_factor", 1.0));
  return rope;
}

/// Qwen-style MoE layer selection: layer i is MoE unless listed in mlp_only_layers, and only
/// every decoder_sparse_step-th layer is.
inline std::int64_t qwen_moe_layers(const config_reader& c, std::int64_t layers) {
  const std::int64_t step = c.positive_or("decoder_sparse_step", 1);
  const auto dense_only = c.indices_or_empty("mlp_only_layers", layers);
  std::int64_t moe = 0;
  for (std::int64_t i = 0; i < layers; ++i) {
    const bool listed = std::find(dense_only.begin(), dense_only.end(), i) != dense_only.end();
    if (!listed && (i + 1) % step == 0) ++moe;
  }
  return moe;
}

/// Experts, top-k and expert width under the architecture's key names.
inline void read_routed_experts(const config_reader& c, models::model_config& m,
                                std::string_view experts_field, std::string_view width_field,
                                models::routing_kind routing) {
  m.moe.num_experts = c.positive(experts_field);
  m.moe.top_k = c.positive("num_experts_per_tok");
  m.moe.expert_intermediate = c.positive(width_field);
  m.moe.routing = routing;
}

/// Sliding-window layers: every layer when `sliding_window` is set (Mistral; for Qwen2/3 only
/// with use_sliding_window, from max_window_layers on), or the layers `layer_types` marks. No
/// gqa definition has the window mask, so the plan lists them as unsupported.
inline void read_sliding_window(const config_reader& c, models::model_config& m) {
  std::int64_t windowed = 0;
  if (c.has("layer_types") && c.json()["layer_types"].is_array()) {
    for (const auto& kind : c.json()["layer_types"]) {
      if (kind.is_string() && kind.get<std::string>() == "sliding_attention") ++windowed;
    }
  } else if (c.has("sliding_window") && c.json()["sliding_window"].is_number_integer()) {
    const bool qwen = m.hf_architecture.starts_with("Qwen");
    if (!qwen) {
      windowed = m.layers.attention;
    } else if (c.flag_or("use_sliding_window", false)) {
      windowed = m.layers.attention - std::min(m.layers.attention, c.count_or("max_window_layers", 0));
    }
  }
  if (windowed > 0) {
    m.layers.local_attention = windowed;
    m.unsupported.push_back({"sliding_window_attention",
                             "sliding-window attention: a mask beyond causal that no gqa definition has",
                             windowed});
  }
}

/// Qwen's router: softmax over all experts, top-k, renormalised only when norm_topk_prob.
inline models::routing_kind qwen_routing(const config_reader& c) {
  return c.flag_or("norm_topk_prob", true) ? models::routing_kind::renormalize
                                           : models::routing_kind::softmax_top_k;
}

inline void read_deepseek_moe(const config_reader& c, models::model_config& m) {
  const std::int64_t layers = m.layers.total;
  const std::int64_t first_dense = c.count_or("first_k_dense_replace", 0);
  const std::int64_t frequency = c.positive_or("moe_layer_freq", 1);
  if (first_dense > layers) {
    c.fail("first_k_dense_replace", "(" + std::to_string(first_dense) + ") exceeds num_hidden_layers");
  }
  std::int64_t moe = 0;
  for (std::int64_t i = first_dense; i < layers; ++i) moe += (i % frequency == 0) ? 1 : 0;
  m.layers.moe_mlp = moe;
  m.layers.dense_mlp = layers - moe;
  m.moe.num_experts = c.positive("n_routed_experts");
  m.moe.top_k = c.positive("num_experts_per_tok");
  m.moe.expert_intermediate = c.positive("moe_intermediate_size");
  m.moe.num_shared_experts = c.count_or("n_shared_experts", 0);
  m.moe.shared_intermediate = m.moe.expert_intermediate;
  m.moe.routing = models::routing_kind::deepseek;
  m.moe.n_group = c.positive_or("n_group", 1);
  m.moe.topk_group = c.positive_or("topk_group", 1);
  const std::string scoring = c.text_or("scoring_func", "sigmoid");
  if (scoring != "sigmoid") c.fail("scoring_func", "is \"" + scoring + "\"; solkit routes sigmoid scores only");
}

}  // namespace detail

/// Reads `file` as a model named `name` served at `serving`; throws input_error on bad input.
inline std::unique_ptr<imported_model> import_hf_config(const std::filesystem::path& file,
                                                        const std::string& name,
                                                        models::serving_config serving) {
  std::ifstream in{file};
  if (!in) throw input_error(file.string() + ": cannot be read");
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    throw input_error(file.string() + ": not valid JSON (" + error.what() + ")");
  }
  if (!root.is_object()) throw input_error(file.string() + ": not a JSON object");
  if (!root.contains("architectures") || !root["architectures"].is_array() ||
      root["architectures"].empty() || !root["architectures"][0].is_string()) {
    throw input_error(file.string() + ": field 'architectures' is missing or not a list of names");
  }
  auto model = std::make_unique<imported_model>();
  model->slug = name;
  model->architecture = root["architectures"][0].get<std::string>();
  model->source = "config.json: " + file.filename().string();
  const std::string& arch = model->architecture;
  if (std::find(std::begin(supported_architectures), std::end(supported_architectures), arch) ==
      std::end(supported_architectures)) {
    std::string supported;
    for (std::string_view s : supported_architectures) supported += (supported.empty() ? "" : ", ") + std::string{s};
    throw input_error(file.string() + ": field 'architectures' is \"" + arch +
                      "\", which solkit cannot plan; supported: " + supported);
  }

  const detail::config_reader c{root, file.string()};
  models::model_config& m = model->config;
  m.slug = model->slug;
  m.display_name = model->slug;
  m.hf_architecture = model->architecture;
  m.source = model->source;
  m.verified = false;
  m.serving = {serving};
  m.hidden_size = c.positive("hidden_size");
  m.vocab_size = c.positive("vocab_size");
  m.layers.total = c.positive("num_hidden_layers");
  const std::int64_t layers = m.layers.total;

  if (arch == "DeepseekV3ForCausalLM" || arch == "DeepseekV32ForCausalLM") {
    m.attention = arch == "DeepseekV32ForCausalLM" ? models::attention_kind::dsa
                                                   : models::attention_kind::mla;
    m.layers.attention = layers;
    m.mla.num_heads = c.positive("num_attention_heads");
    m.mla.q_lora_rank = c.count_or("q_lora_rank", 0);
    m.mla.kv_lora_rank = c.positive("kv_lora_rank");
    m.mla.qk_nope_head_dim = c.positive("qk_nope_head_dim");
    m.mla.qk_rope_head_dim = c.positive("qk_rope_head_dim");
    m.mla.v_head_dim = c.positive("v_head_dim");
    if (m.attention == models::attention_kind::dsa) {
      m.dsa = {c.positive("index_n_heads"), c.positive("index_head_dim"), c.positive("index_topk")};
    }
    // DeepSeek rotates interleaved pairs of the rope part (GPT-J style).
    m.rope = {true, rope_style::gptj, m.mla.qk_rope_head_dim, 0};
    m.dense_intermediate = c.positive("intermediate_size");
    detail::read_deepseek_moe(c, m);
    if (m.layers.dense_mlp == 0) m.dense_intermediate = 0;
  } else if (arch == "NemotronHForCausalLM") {
    // Blocks are one of: M (Mamba2 mixer), * (attention), - (MLP).
    std::string pattern = c.text_or("hybrid_override_pattern", "");
    if (pattern.empty() && c.has("layers_block_type")) {
      for (const auto& kind : root["layers_block_type"]) {
        const std::string k = kind.is_string() ? kind.get<std::string>() : "";
        pattern += k == "mamba" ? 'M' : k == "attention" ? '*' : k == "mlp" ? '-' : '?';
      }
    }
    if (pattern.empty()) c.fail("hybrid_override_pattern", "is missing (nor is layers_block_type given)");
    if (static_cast<std::int64_t>(pattern.size()) != layers) {
      c.fail("hybrid_override_pattern", "has " + std::to_string(pattern.size()) +
                                            " blocks but num_hidden_layers is " + std::to_string(layers));
    }
    for (char block : pattern) {
      if (block == 'M') ++m.layers.mamba2;
      else if (block == '*') ++m.layers.attention;
      else if (block == '-') ++m.layers.dense_mlp;
      else c.fail("hybrid_override_pattern", std::string{"holds '"} + block + "', not M, * or -");
    }
    m.gqa = detail::read_gqa(c, m.hidden_size);
    if (c.has("attention_head_dim")) m.gqa.head_dim = c.positive("attention_head_dim");
    m.mlp = models::mlp_kind::ungated;
    m.dense_intermediate = c.positive("intermediate_size");
    m.mamba = {c.positive("mamba_num_heads"), c.positive("mamba_head_dim"),
               c.positive("ssm_state_size"), c.positive("n_groups")};
  } else {
    m.layers.attention = layers;
    m.gqa = detail::read_gqa(c, m.hidden_size);
    m.rope = detail::read_rope(c, m.gqa.head_dim, rope_style::neox);
    detail::read_sliding_window(c, m);
    m.gqa.qk_norm = arch == "Qwen3ForCausalLM" || arch == "Qwen3MoeForCausalLM" ||
                    arch == "Qwen3NextForCausalLM" ||
                    (arch == "Glm4MoeForCausalLM" && c.flag_or("use_qk_norm", false));
    if (arch == "MixtralForCausalLM") {
      m.layers.moe_mlp = layers;
      detail::read_routed_experts(c, m, "num_local_experts", "intermediate_size",
                                  models::routing_kind::renormalize);
    } else if (arch == "Qwen3MoeForCausalLM" || arch == "Qwen3NextForCausalLM") {
      m.layers.moe_mlp = detail::qwen_moe_layers(c, layers);
      m.layers.dense_mlp = layers - m.layers.moe_mlp;
      m.dense_intermediate = m.layers.dense_mlp > 0 ? c.positive("intermediate_size") : 0;
      detail::read_routed_experts(c, m, "num_experts", "moe_intermediate_size", detail::qwen_routing(c));
      if (c.count_or("shared_expert_intermediate_size", 0) > 0) {
        m.moe.num_shared_experts = 1;
        m.moe.shared_intermediate = c.positive("shared_expert_intermediate_size");
        m.moe.shared_expert_gate = true;
      }
      if (arch == "Qwen3NextForCausalLM") {
        const std::int64_t interval = c.positive("full_attention_interval");
        m.layers.attention = layers / interval;
        m.layers.gated_delta_net = layers - m.layers.attention;
        if (c.positive("linear_key_head_dim") != c.positive("linear_value_head_dim")) {
          c.fail("linear_value_head_dim", "differs from linear_key_head_dim; solkit's gdn needs them equal");
        }
        m.gdn = {c.positive("linear_num_key_heads"), c.positive("linear_num_value_heads"),
                 c.positive("linear_key_head_dim")};
        // Fixed by the architecture, not by config keys (transformers' modular_qwen3_next.py):
        // q_proj emits an output gate, and every norm scales by 1 + weight.
        m.gqa.output_gate = true;
        m.norm = models::norm_kind::one_plus_weight;
      }
    } else if (arch == "Glm4MoeForCausalLM") {
      m.dense_intermediate = c.positive("intermediate_size");
      detail::read_deepseek_moe(c, m);
      if (c.flag_or("attention_bias", false)) {
        m.unsupported.push_back({"qkv_bias", "bias added to qkv_proj: the gemm definition has no bias", layers});
      }
    } else if (arch == "MiniMaxM2ForCausalLM") {
      m.layers.moe_mlp = layers;
      // Sigmoid scores with a selection bias and no expert groups: DeepSeek routing, one group.
      detail::read_routed_experts(c, m, "num_local_experts", "intermediate_size",
                                  models::routing_kind::deepseek);
      const std::string scoring = c.text_or("scoring_func", "sigmoid");
      if (scoring != "sigmoid") c.fail("scoring_func", "is \"" + scoring + "\"; solkit routes sigmoid scores only");
      if (c.flag_or("use_qk_norm", false)) {
        m.unsupported.push_back({"full_width_qk_norm",
                                 "RMSNorm over the full q and k width, reduced across TP ranks: no definition",
                                 layers});
      }
    } else {
      m.layers.dense_mlp = layers;
      m.dense_intermediate = c.positive("intermediate_size");
      if (arch == "Qwen2ForCausalLM") {
        m.unsupported.push_back({"qkv_bias", "bias added to qkv_proj: the gemm definition has no bias", layers});
      }
    }
  }
  return model;
}

}  // namespace solkit::codegen
