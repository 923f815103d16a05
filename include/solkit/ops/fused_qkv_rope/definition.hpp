#pragma once
// Split of a packed QKV projection with rotary embedding (op_type "fused_qkv_rope"):
// `fused_qkv_rope_h{H}_kv{KV}_d{D}_rd{RD}_{bf16,fp16}`, atrex-bench's fused_qkv_rope (rtp-llm
// add_fusedQKV_bias_transpose_prefill_kernel, without its optional bias: atrex never passes one).
// The packed row holds H query heads, then KV key heads, then KV value heads of D channels; q and
// k leave rotated NeoX style over their first RD channels, with angles position * 10000^(-2i/RD)
// computed on the fly (no cos/sin cache, unlike flashinfer-bench's rope op type); v is split
// off unchanged. The element type (bf16 or fp16) is part of the name: atrex runs both.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/fused_qkv_rope/torch_reference.hpp"

namespace solkit {

/// Axes of `fused_qkv_rope_h{num_heads}_kv{num_kv_heads}_d{head_dim}_rd{rope_dim}_{bf16,fp16}`:
/// qkv [T, (H + 2 KV) D], positions [T] -> q [T, H, D], k [T, KV, D], v [T, KV, D].
struct fused_qkv_rope_axes {
  std::int64_t num_heads = 0;     // query heads on this device
  std::int64_t num_kv_heads = 0;  // key (and value) heads on this device
  std::int64_t head_dim = 0;
  std::int64_t rope_dim = 0;      // leading channels of each q and k head that rotate
  dtype element_type = dtype::bfloat16;  // of qkv, q, k and v: bfloat16 or float16
};

namespace ops::fused_qkv_rope::axis_errors {
inline constexpr char num_heads_not_positive[] = "num_heads must be positive";
inline constexpr char num_kv_heads_not_positive[] = "num_kv_heads must be positive";
inline constexpr char head_dim_not_a_multiple_of_8[] =
    "head_dim must be a positive multiple of 8: heads are loaded as 16-byte vectors of 16-bit values";
inline constexpr char rope_dim_not_even_and_within_head_dim[] =
    "rope_dim must be even and in [2, head_dim]: channels rotate in pairs";
inline constexpr char element_type_not_bfloat16_or_float16[] =
    "element_type must be bfloat16 or float16: the dtypes atrex-bench runs";
}  // namespace ops::fused_qkv_rope::axis_errors

constexpr const char* check_axes(const fused_qkv_rope_axes& a) {
  namespace e = ops::fused_qkv_rope::axis_errors;
  if (a.num_heads <= 0) return e::num_heads_not_positive;
  if (a.num_kv_heads <= 0) return e::num_kv_heads_not_positive;
  if (a.head_dim <= 0 || a.head_dim % 8 != 0) return e::head_dim_not_a_multiple_of_8;
  if (a.rope_dim < 2 || a.rope_dim > a.head_dim || a.rope_dim % 2 != 0) {
    return e::rope_dim_not_even_and_within_head_dim;
  }
  if (a.element_type != dtype::bfloat16 && a.element_type != dtype::float16) {
    return e::element_type_not_bfloat16_or_float16;
  }
  return nullptr;
}

constexpr definition_spec describe(const fused_qkv_rope_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"fused_qkv_rope_h"} + a.num_heads + "_kv" + a.num_kv_heads + "_d" +
              a.head_dim + "_rd" + a.rope_dim +
              (a.element_type == dtype::bfloat16 ? "_bf16" : "_fp16");
  spec.op_type = "fused_qkv_rope";
  spec.description =
      "Split of a packed qkv row into q, k, v heads with NeoX-style rotary embedding of q and k, "
      "atrex-bench's fused_qkv_rope: frequency i < rope_dim/2 turns by position * "
      "10000^(-2i/rope_dim) (base 10000 fixed, angles in fp32, no cache); channel i rotates with "
      "channel i + rope_dim/2; channels from rope_dim on and v pass through. fp32 math, outputs in "
      "the input's dtype (the name's bf16 or fp16). No bias (atrex's optional qkv_bias is never "
      "passed).";
  spec.tags = {"source:atrex-bench", "atrex:fused_qkv_rope"};
  spec.axes = {
      var_axis("total_tokens", "Tokens of all sequences."),
      const_axis("num_heads", a.num_heads, "Query heads on this device."),
      const_axis("num_kv_heads", a.num_kv_heads, "Key and value heads on this device."),
      const_axis("head_dim", a.head_dim, "Channels of a head."),
      const_axis("rope_dim", a.rope_dim, "Leading channels of each q and k head that rotate."),
      const_axis("qkv_size", (a.num_heads + 2 * a.num_kv_heads) * a.head_dim,
                 "Width of a packed row: (num_heads + 2 * num_kv_heads) * head_dim."),
  };
  spec.inputs = {
      tensor("qkv", {"total_tokens", "qkv_size"}, a.element_type,
             "Packed projection of each token: the q heads, then the k heads, then the v heads."),
      tensor("positions", {"total_tokens"}, dtype::int32, "Position of each token."),
  };
  spec.outputs = {
      tensor("q", {"total_tokens", "num_heads", "head_dim"}, a.element_type, "Rotated queries."),
      tensor("k", {"total_tokens", "num_kv_heads", "head_dim"}, a.element_type, "Rotated keys."),
      tensor("v", {"total_tokens", "num_kv_heads", "head_dim"}, a.element_type, "Values, unchanged."),
  };
  spec.reference = {ops::fused_qkv_rope::torch_reference::fused_qkv_rope};
  return spec;
}

template <fused_qkv_rope_axes Axes>
struct fused_qkv_rope : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<fused_qkv_rope_axes> = true;  // kernel: solkit/ops/fused_qkv_rope/kernel.cuh

}  // namespace solkit
