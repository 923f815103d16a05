#pragma once
// The translation units that instantiate one plan's definitions and the table from definition
// name to launcher, for CMake to compile into a library (solkit_add_model). Each definition is
// instantiated with its compile-time axes and its name is checked against the plan by a
// static_assert, so nvcc compiles every shape the model runs. A definition with a kernel gets
// its type-erased launcher (solkit::erased_launch) when nvcc compiles the file; the others, and
// every entry of a C++-only build, have nullptr, listed as such.

#include <cctype>
#include <map>
#include <sstream>
#include <string>
#include <variant>

#include "codegen/dataset.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/atrex_definitions.hpp"

namespace solkit::codegen {

/// A C++ identifier for a model and serving configuration: `llama_3_1_8b_tp1_ep1`. The rule is
/// CMake's string(MAKE_C_IDENTIFIER) (non-alphanumerics become '_', a leading digit gets a '_'
/// before it), so solkit_add_model names the same files codegen writes.
inline std::string plan_identifier(std::string_view slug, models::serving_config serving) {
  std::string id;
  for (char c : slug) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (!id.empty() && std::isdigit(static_cast<unsigned char>(id.front()))) id = "_" + id;
  return id + "_" + serving_label(serving);
}

namespace detail {
/// The axes as a C++ expression: `solkit::gqa_paged_decode_axes{32, 8, 128, 64}`.
struct axes_expression {
  std::string operator()(const rmsnorm_axes& a) const { return "solkit::rmsnorm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const fused_add_rmsnorm_axes& a) const { return "solkit::fused_add_rmsnorm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const gemma_rmsnorm_axes& a) const { return "solkit::gemma_rmsnorm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const gemma_fused_add_rmsnorm_axes& a) const { return "solkit::gemma_fused_add_rmsnorm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const gemm_axes& a) const { return "solkit::gemm_axes{" + n(a.n) + ", " + n(a.k) + "}"; }
  std::string operator()(const gqa_paged_decode_axes& a) const { return "solkit::gqa_paged_decode_axes{" + n(a.num_qo_heads, a.num_kv_heads, a.head_dim, a.page_size) + "}"; }
  std::string operator()(const gqa_paged_prefill_causal_axes& a) const { return "solkit::gqa_paged_prefill_causal_axes{" + n(a.num_qo_heads, a.num_kv_heads, a.head_dim, a.page_size) + "}"; }
  std::string operator()(const gqa_ragged_prefill_causal_axes& a) const { return "solkit::gqa_ragged_prefill_causal_axes{" + n(a.num_qo_heads, a.num_kv_heads, a.head_dim) + "}"; }
  std::string operator()(const gqa_ragged_prefill_axes& a) const { return "solkit::gqa_ragged_prefill_axes{" + n(a.num_qo_heads, a.num_kv_heads, a.head_dim) + "}"; }
  std::string operator()(const mla_paged_decode_axes& a) const { return "solkit::mla_paged_decode_axes{" + n(a.num_qo_heads, a.head_dim_ckv, a.head_dim_kpe, a.page_size) + "}"; }
  std::string operator()(const mla_paged_prefill_causal_axes& a) const { return "solkit::mla_paged_prefill_causal_axes{" + n(a.num_qo_heads, a.head_dim_ckv, a.head_dim_kpe, a.page_size) + "}"; }
  std::string operator()(const mla_ragged_prefill_causal_axes& a) const { return "solkit::mla_ragged_prefill_causal_axes{" + n(a.num_qo_heads, a.qk_dim, a.vo_dim) + "}"; }
  std::string operator()(const dsa_topk_indexer_fp8_axes& a) const { return "solkit::dsa_topk_indexer_fp8_axes{" + n(a.num_index_heads, a.index_head_dim, a.topk, a.page_size) + "}"; }
  std::string operator()(const dsa_sparse_attention_axes& a) const { return "solkit::dsa_sparse_attention_axes{" + n(a.num_qo_heads, a.head_dim_ckv, a.head_dim_kpe, a.topk, a.page_size) + "}"; }
  std::string operator()(const gdn_prefill_axes& a) const { return "solkit::gdn_prefill_axes{" + n(a.num_q_heads, a.num_v_heads, a.head_size) + "}"; }
  std::string operator()(const gdn_decode_axes& a) const { return "solkit::gdn_decode_axes{" + n(a.num_q_heads, a.num_v_heads, a.head_size) + "}"; }
  std::string operator()(const gdn_mtp_axes& a) const { return "solkit::gdn_mtp_axes{" + n(a.num_q_heads, a.num_v_heads, a.head_size) + "}"; }
  std::string operator()(const mamba_ssu_decode_axes& a) const { return "solkit::mamba_ssu_decode_axes{" + n(a.nheads, a.head_dim, a.dstate, a.ngroups) + "}"; }
  std::string operator()(const moe_fp8_block_scale_ds_routing_axes& a) const { return "solkit::moe_fp8_block_scale_ds_routing_axes{" + n(a.top_k, a.n_group, a.topk_group, a.num_experts, a.num_local_experts, a.hidden_size, a.intermediate_size) + "}"; }
  std::string operator()(const moe_fp8_block_scale_renorm_axes& a) const { return "solkit::moe_fp8_block_scale_renorm_axes{" + n(a.top_k, a.num_experts, a.num_local_experts, a.hidden_size, a.intermediate_size) + "}"; }
  std::string operator()(const top_k_sampling_from_probs_axes& a) const { return "solkit::top_k_sampling_from_probs_axes{" + n(a.vocab_size) + "}"; }
  std::string operator()(const top_p_sampling_from_probs_axes& a) const { return "solkit::top_p_sampling_from_probs_axes{" + n(a.vocab_size) + "}"; }
  std::string operator()(const top_k_top_p_sampling_from_probs_axes& a) const { return "solkit::top_k_top_p_sampling_from_probs_axes{" + n(a.vocab_size) + "}"; }
  std::string operator()(const rope_with_cos_sin_cache_axes& a) const {
    return std::string{"solkit::rope_with_cos_sin_cache_axes{solkit::rope_style::"} +
           (a.style == rope_style::neox ? "neox" : "gptj") + ", " + n(a.head_size, a.rotary_dim) + "}";
  }

  // atrex operators with kernels.
  std::string operator()(const rms_norm_axes& a) const { return "solkit::rms_norm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const fused_add_rms_norm_axes& a) const { return "solkit::fused_add_rms_norm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const layer_norm_axes& a) const { return "solkit::layer_norm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const l2_norm_axes& a) const { return "solkit::l2_norm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const gated_rms_norm_axes& a) const { return "solkit::gated_rms_norm_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const fused_qk_rmsnorm_axes& a) const { return "solkit::fused_qk_rmsnorm_axes{" + n(a.num_qo_heads, a.num_kv_heads, a.head_dim) + "}"; }
  std::string operator()(const silu_and_mul_axes& a) const { return "solkit::silu_and_mul_axes{" + n(a.intermediate_size) + "}"; }
  std::string operator()(const fp8_dynamic_per_token_quant_axes& a) const { return "solkit::fp8_dynamic_per_token_quant_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const per_token_group_quant_fp8_axes& a) const { return "solkit::per_token_group_quant_fp8_axes{" + n(a.hidden_size, a.group_size) + "}"; }
  std::string operator()(const fused_rmsnorm_quant_axes& a) const { return "solkit::fused_rmsnorm_quant_axes{" + n(a.hidden_size) + "}"; }
  std::string operator()(const topk_filter_axes& a) const { return "solkit::topk_filter_axes{" + n(a.vocab_size, a.top_k) + "}"; }
  std::string operator()(const fused_qkv_rope_axes& a) const {
    return "solkit::fused_qkv_rope_axes{" + n(a.num_heads, a.num_kv_heads, a.head_dim, a.rope_dim) + ", solkit::dtype::" +
           (a.element_type == dtype::float16 ? "float16" : "bfloat16") + "}";
  }
  std::string operator()(const mrope_axes& a) const {
    return "solkit::mrope_axes{" + n(a.num_query_heads, a.num_kv_heads, a.head_size, a.rotary_dim, a.section_t, a.section_h, a.section_w) +
           (a.interleaved ? ", true" : ", false") + ", solkit::rope_style::" +
           (a.style == rope_style::neox ? "neox" : "gptj") + "}";
  }

  template <class... Values>
  static std::string n(Values... values) {
    std::string text;
    ((text += (text.empty() ? "" : ", ") + std::to_string(values)), ...);
    return text;
  }
};
}  // namespace detail

/// `{id}.hpp` and `{id}.cu` for the plan, keyed by file name.
inline std::map<std::string, std::string> instantiation_sources(const serving_plan& p) {
  const std::string id = plan_identifier(p.model->slug, p.serving);
  const std::string banner = "// Generated by solkit-codegen instantiate for " + std::string{p.model->slug} +
                             " at TP=" + std::to_string(p.serving.tp) + ", EP=" +
                             std::to_string(p.serving.ep) + "; do not edit.\n";
  std::ostringstream header;
  header << "#pragma once\n" << banner
         << "// The definitions one GPU runs for this plan, by name, with their launchers.\n\n"
            "#include <span>\n\n#include \"solkit/core/kernel_registry.hpp\"\n\n"
            "namespace solkit::generated {\n\n"
            "/// Every definition of the plan: name, op type, role, runs per forward pass, "
            "launcher (nullptr: no kernel yet).\n"
            "std::span<const registered_definition> "
         << id << "();\n\n}  // namespace solkit::generated\n";

  std::ostringstream source;
  source << banner
         << "// Instantiates each definition with its compile-time axes; the names are checked "
            "against the plan.\n\n"
            "#include \""
         << id << ".hpp\"\n\n#include \"solkit/definitions.hpp\"\n#if defined(__CUDACC__)\n#include \"solkit/kernels.cuh\"\n#endif\n\nnamespace {\n";
  for (const models::plan_entry& entry : p.plan.entries) {
    const definition_spec spec = describe(entry.axes);
    source << "static_assert(solkit::definition_of<" << std::visit(detail::axes_expression{}, entry.axes)
           << ">::name == \"" << spec.name << "\");\n";
  }
  source << "\n// Launchers exist where nvcc compiles this file (CUDA enabled in the consuming project).\n"
            "#if defined(__CUDACC__)\n#define SOLKIT_LAUNCHER(...) &solkit::erased_launch<__VA_ARGS__>\n#else\n"
            "#define SOLKIT_LAUNCHER(...) nullptr\n#endif\n"
            "\nconstexpr solkit::registered_definition table[] = {\n";
  for (const models::plan_entry& entry : p.plan.entries) {
    const definition_spec spec = describe(entry.axes);
    const bool with_kernel = std::visit([](const auto& a) { return kernel_exists<std::decay_t<decltype(a)>>; }, entry.axes);
    source << "    {\"" << spec.name << "\", \"" << spec.op_type << "\", \"" << entry.role << "\", " << entry.count
           << ", "
           << (with_kernel ? "SOLKIT_LAUNCHER(solkit::definition_of<" + std::visit(detail::axes_expression{}, entry.axes) + ">)},\n"
                           : std::string{"nullptr},  // no kernel yet\n"});
  }
  source << "};\n}  // namespace\n\nnamespace solkit::generated {\n\n"
            "std::span<const registered_definition> "
         << id << "() { return table; }\n\n}  // namespace solkit::generated\n";
  return {{id + ".hpp", header.str()}, {id + ".cu", source.str()}};
}

}  // namespace solkit::codegen
