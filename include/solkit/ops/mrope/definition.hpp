#pragma once
// Multimodal rotary embedding (op_type "mrope"):
// `mrope[_interleaved]_{neox,gptj}_style_h{HQ}_kv{KV}_d{D}_rd{RD}_sec{t}_{h}_{w}`, atrex-bench's
// mrope (vLLM / SGLang triton_mrope of Qwen2-VL, Qwen2.5-VL, Qwen3-VL). Each token has three
// position streams (temporal, height, width) and the caller passes their cos and sin per token;
// each of the RD/2 rotation frequencies takes its angle from one stream: the first t frequencies
// from the temporal stream, the next h from height, the last w from width (the interleaved
// variant assigns them round-robin instead). q and k are [tokens, heads * D] rows and rotate
// over the first RD channels of every head, paired NeoX or GPT-J style as the rope op type.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/mrope/torch_reference.hpp"
#include "solkit/ops/rope/definition.hpp"  // rope_style
#include "solkit/ops/rope/torch_reference.hpp"

namespace solkit {

/// Axes of `mrope[_interleaved]_{style}_style_h{num_query_heads}_kv{num_kv_heads}_d{head_size}`
/// `_rd{rotary_dim}_sec{section_t}_{section_h}_{section_w}`: q [T, HQ D], k [T, KV D],
/// cos and sin [3, T, RD / 2] -> q_out, k_out. atrex-bench's shapes are all
/// {HQ, KV, 128, 128, 16, 24, 24}, contiguous sections, NeoX style.
struct mrope_axes {
  std::int64_t num_query_heads = 0;  // query heads on this device
  std::int64_t num_kv_heads = 0;  // key heads on this device
  std::int64_t head_size = 0;
  std::int64_t rotary_dim = 0;
  std::int64_t section_t = 0;  // frequencies from the temporal stream (mrope_section[0])
  std::int64_t section_h = 0;  // from the height stream (mrope_section[1])
  std::int64_t section_w = 0;  // from the width stream (mrope_section[2])
  bool interleaved = false;    // sections assigned round-robin (Qwen3-VL) instead of in runs
  rope_style style = rope_style::neox;
};

namespace ops::mrope::axis_errors {
inline constexpr char num_query_heads_not_positive[] = "num_query_heads must be positive";
inline constexpr char num_kv_heads_not_positive[] = "num_kv_heads must be positive";
inline constexpr char head_size_not_a_multiple_of_8[] =
    "head_size must be a positive multiple of 8: heads are loaded as 16-byte vectors of bf16";
inline constexpr char rotary_dim_not_even_and_within_head_size[] =
    "rotary_dim must be even and in [2, head_size]: channels rotate in pairs";
inline constexpr char sections_do_not_sum_to_half_rotary_dim[] =
    "section_t, section_h and section_w must be non-negative and sum to rotary_dim / 2: every "
    "frequency takes its angle from exactly one position stream";
}  // namespace ops::mrope::axis_errors

constexpr const char* check_axes(const mrope_axes& a) {
  namespace e = ops::mrope::axis_errors;
  if (a.num_query_heads <= 0) return e::num_query_heads_not_positive;
  if (a.num_kv_heads <= 0) return e::num_kv_heads_not_positive;
  if (a.head_size <= 0 || a.head_size % 8 != 0) return e::head_size_not_a_multiple_of_8;
  if (a.rotary_dim < 2 || a.rotary_dim > a.head_size || a.rotary_dim % 2 != 0) {
    return e::rotary_dim_not_even_and_within_head_size;
  }
  if (a.section_t < 0 || a.section_h < 0 || a.section_w < 0 ||
      a.section_t + a.section_h + a.section_w != a.rotary_dim / 2) {
    return e::sections_do_not_sum_to_half_rotary_dim;
  }
  return nullptr;
}

constexpr definition_spec describe(const mrope_axes& a) {
  namespace ref = ops::mrope::torch_reference;
  const bool neox = a.style == rope_style::neox;
  definition_spec spec{};
  spec.name = definition_name{"mrope_"} + (a.interleaved ? "interleaved_" : "") +
              (neox ? "neox" : "gptj") + "_style_h" + a.num_query_heads + "_kv" + a.num_kv_heads +
              "_d" + a.head_size + "_rd" + a.rotary_dim + "_sec" + a.section_t + "_" +
              a.section_h + "_" + a.section_w;
  spec.op_type = "mrope";
  spec.description =
      a.interleaved
          ? "Multimodal rotary embedding (Qwen-VL mrope), atrex-bench's mrope with interleaved "
            "sections: frequency f < rotary_dim/2 of token t turns by the angle whose cos and sin "
            "are cos[s, t, f], sin[s, t, f], with stream s = 1 (height) when f % 3 == 1 and f < "
            "3 * MROPE_SECTION_H, s = 2 (width) when f % 3 == 2 and f < 3 * MROPE_SECTION_W, else "
            "0 (temporal); the section sizes are the name's sec{t}_{h}_{w}. Pairs as the rope op "
            "type's style; channels from rotary_dim on pass through. fp32 math, bf16 out."
          : "Multimodal rotary embedding (Qwen-VL mrope), atrex-bench's mrope: frequency f < "
            "rotary_dim/2 of token t turns by the angle whose cos and sin are cos[s, t, f], "
            "sin[s, t, f], with stream s = 0 (temporal) for the first MROPE_SECTION_T frequencies, "
            "1 (height) for the next MROPE_SECTION_H, 2 (width) for the last MROPE_SECTION_W (the "
            "name's sec{t}_{h}_{w}). Pairs as the rope op type's style; channels from rotary_dim "
            "on pass through. fp32 math, bf16 out.";
  spec.tags = {"source:atrex-bench", "atrex:mrope"};
  spec.axes = {
      var_axis("token_count", "Tokens of all sequences."),
      const_axis("num_query_heads", a.num_query_heads, "Query heads on this device."),
      const_axis("num_kv_heads", a.num_kv_heads, "Key heads on this device."),
      const_axis("head_size", a.head_size, "Channels of a head."),
      const_axis("rotary_dim", a.rotary_dim, "Leading channels of each head that rotate."),
      const_axis("q_size", a.num_query_heads * a.head_size, "Width of a q row: num_query_heads * head_size."),
      const_axis("k_size", a.num_kv_heads * a.head_size, "Width of a k row: num_kv_heads * head_size."),
      const_axis("num_sections", 3, "Position streams: temporal, height, width."),
      const_axis("half_rotary_dim", a.rotary_dim / 2, "Rotation frequencies: rotary_dim / 2."),
  };
  spec.inputs = {
      tensor("q", {"token_count", "q_size"}, dtype::bfloat16, "Queries, heads side by side."),
      tensor("k", {"token_count", "k_size"}, dtype::bfloat16, "Keys, heads side by side."),
      tensor("cos", {"num_sections", "token_count", "half_rotary_dim"}, dtype::float32,
             "Cosine of each frequency's angle, per position stream and token."),
      tensor("sin", {"num_sections", "token_count", "half_rotary_dim"}, dtype::float32,
             "Sine of each frequency's angle, per position stream and token."),
  };
  spec.outputs = {
      tensor("q_out", {"token_count", "q_size"}, dtype::bfloat16, "Rotated queries (atrex: q)."),
      tensor("k_out", {"token_count", "k_size"}, dtype::bfloat16, "Rotated keys (atrex: k)."),
  };
  spec.reference_constants = {
      {"MROPE_SECTION_T", a.section_t},
      {"MROPE_SECTION_H", a.section_h},
      {"MROPE_SECTION_W", a.section_w},
  };
  spec.reference = {neox ? ops::rope::torch_reference::neox : ops::rope::torch_reference::gptj,
                    a.interleaved ? ref::interleaved_sections : ref::contiguous_sections,
                    ref::mrope};
  return spec;
}

template <mrope_axes Axes>
struct mrope : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<mrope_axes> = true;  // kernel: solkit/ops/mrope/kernel.cuh

}  // namespace solkit
