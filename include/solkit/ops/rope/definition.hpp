#pragma once
// Rotary position embedding from a cos/sin cache (op_type "rope"):
// `rope_with_cos_sin_cache_{neox,gptj}_style_d{head_size}_rd{rotary_dim}`. The first rotary_dim
// channels of every q and k head are rotated by the angle of the token's position; the rest pass
// through. NeoX style pairs channel i with i + rotary_dim/2; GPT-J style pairs 2i with 2i + 1.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/rope/torch_reference.hpp"

namespace solkit {

enum class rope_style : std::uint8_t { neox, gptj };

/// Axes of `rope_with_cos_sin_cache_{style}_style_d{head_size}_rd{rotary_dim}`.
struct rope_with_cos_sin_cache_axes {
  rope_style style = rope_style::neox;
  std::int64_t head_size = 0;
  std::int64_t rotary_dim = 0;
};

namespace ops::rope::axis_errors {
inline constexpr char head_size_not_a_multiple_of_8[] =
    "head_size must be a positive multiple of 8: heads are loaded as 16-byte vectors of bf16";
inline constexpr char rotary_dim_not_even_and_within_head_size[] =
    "rotary_dim must be even and in [2, head_size]: channels rotate in pairs";
}  // namespace ops::rope::axis_errors

constexpr const char* check_axes(const rope_with_cos_sin_cache_axes& a) {
  namespace e = ops::rope::axis_errors;
  if (a.head_size <= 0 || a.head_size % 8 != 0) return e::head_size_not_a_multiple_of_8;
  if (a.rotary_dim < 2 || a.rotary_dim > a.head_size || a.rotary_dim % 2 != 0) {
    return e::rotary_dim_not_even_and_within_head_size;
  }
  return nullptr;
}

constexpr definition_spec describe(const rope_with_cos_sin_cache_axes& a) {
  const bool neox = a.style == rope_style::neox;
  definition_spec spec{};
  spec.name = definition_name{"rope_with_cos_sin_cache_"} + (neox ? "neox" : "gptj") + "_style_d" +
              a.head_size + "_rd" + a.rotary_dim;
  spec.op_type = "rope";
  spec.description =
      neox ? "Rotary position embedding from a cos/sin cache, NeoX style: channel i of the first "
             "rotary_dim rotates with channel i + rotary_dim/2; later channels pass through. fp32 "
             "math, bf16 out; matches apply_rope_with_cos_sin_cache_inplace."
           : "Rotary position embedding from a cos/sin cache, GPT-J style: channels 2i and 2i+1 "
             "of the first rotary_dim rotate together; later channels pass through. fp32 math, "
             "bf16 out; matches apply_rope_with_cos_sin_cache_inplace with is_neox=False.";
  spec.tags = {"fi_api:flashinfer.rope.apply_rope_with_cos_sin_cache_inplace"};
  spec.axes = {
      var_axis("num_tokens", "Tokens of all sequences."),
      var_axis("num_qo_heads", "Query heads on this device."),
      var_axis("num_kv_heads", "Key heads on this device."),
      const_axis("head_size", a.head_size, "Full head dimension."),
      const_axis("rotary_dim", a.rotary_dim, "Leading channels of each head that rotate."),
      var_axis("max_seq_len", "Positions held by the cos/sin cache."),
  };
  spec.inputs = {
      tensor("q", {"num_tokens", "num_qo_heads", "head_size"}, dtype::bfloat16, "Queries."),
      tensor("k", {"num_tokens", "num_kv_heads", "head_size"}, dtype::bfloat16, "Keys."),
      tensor("cos_sin_cache", {"max_seq_len", "rotary_dim"}, dtype::float32,
             "Per position: rotary_dim/2 cosines, then rotary_dim/2 sines."),
      tensor("positions", {"num_tokens"}, dtype::int64, "Position of each token."),
  };
  spec.outputs = {
      tensor("q_out", {"num_tokens", "num_qo_heads", "head_size"}, dtype::bfloat16, "Rotated queries."),
      tensor("k_out", {"num_tokens", "num_kv_heads", "head_size"}, dtype::bfloat16, "Rotated keys."),
  };
  spec.reference = {neox ? ops::rope::torch_reference::neox : ops::rope::torch_reference::gptj,
                    ops::rope::torch_reference::rotation_common};
  return spec;
}

template <rope_with_cos_sin_cache_axes Axes>
struct rope_with_cos_sin_cache : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<rope_with_cos_sin_cache_axes> = true;  // kernel: solkit/ops/rope/kernel.cuh

}  // namespace solkit
