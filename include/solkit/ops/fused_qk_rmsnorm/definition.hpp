#pragma once
// atrex-bench's `fused_qk_rmsnorm` (atrex_010, rtp-llm's fusedQkRmsNorm) as definitions of
// op_type "fused_qk_rmsnorm": `fused_qk_rmsnorm_hq{Hq}_hk{Hkv}_d{D}` (hq = query heads, hk = key
// and value heads, d = head dim). Each token's fp16 row is [q heads | k heads | v heads] of D;
// every q head is RMS-normalised with q_weight, every k head with k_weight, v is copied:
//   out = fp16(weight * fp16(x * rsqrt(mean(x^2) + 1e-6)))   per head of D values.
// The normalised head is rounded to fp16 BEFORE the weight multiply (that product is rounded
// again), unlike rms_norm's single rounding. eps is atrex's default (no shape sets it), fixed by
// the definition. The kernel works in place; atrex's reference, and this definition, return a
// new tensor `out` holding all of q, k and v. flashinfer-bench has no such op type (its rmsnorm
// has eps 1e-5, one weight, no per-head split).

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/fused_qk_rmsnorm/torch_reference.hpp"

namespace solkit {

namespace ops::fused_qk_rmsnorm::axis_errors {
inline constexpr char num_qo_heads_not_positive[] = "num_qo_heads must be positive";
inline constexpr char num_kv_heads_not_positive[] = "num_kv_heads must be positive";
inline constexpr char head_dim_not_a_positive_multiple_of_8[] =
    "head_dim must be a positive multiple of 8: heads are loaded as 16-byte vectors of fp16";
}  // namespace ops::fused_qk_rmsnorm::axis_errors

/// Axes of `fused_qk_rmsnorm_hq{num_qo_heads}_hk{num_kv_heads}_d{head_dim}`.
struct fused_qk_rmsnorm_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;

  /// Width of one token's row: q, k and v heads.
  constexpr std::int64_t hidden_size() const { return (num_qo_heads + 2 * num_kv_heads) * head_dim; }
};

constexpr const char* check_axes(const fused_qk_rmsnorm_axes& a) {
  namespace e = ops::fused_qk_rmsnorm::axis_errors;
  if (a.num_qo_heads <= 0) return e::num_qo_heads_not_positive;
  if (a.num_kv_heads <= 0) return e::num_kv_heads_not_positive;
  if (a.head_dim <= 0 || a.head_dim % 8 != 0) return e::head_dim_not_a_positive_multiple_of_8;
  return nullptr;
}

constexpr definition_spec describe(const fused_qk_rmsnorm_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"fused_qk_rmsnorm_hq"} + a.num_qo_heads + "_hk" + a.num_kv_heads + "_d" +
              a.head_dim;
  spec.op_type = "fused_qk_rmsnorm";
  spec.description =
      "atrex-bench fused_qk_rmsnorm: each token's row holds num_qo_heads q heads, num_kv_heads k "
      "heads and num_kv_heads v heads of head_dim. Each q head becomes fp16(q_weight * "
      "fp16(x / sqrt(mean(x^2) + eps))), each k head the same with k_weight (fp32 math, the "
      "normalised head rounded to fp16 before the weight multiply), v heads are copied. Epsilon "
      "is fixed at 1e-6. The kernel works in place; out is a new tensor with all three.";
  spec.tags = {"source:atrex-bench", "atrex:fused_qk_rmsnorm"};
  spec.axes = {
      var_axis("num_tokens", "Number of tokens."),
      const_axis("num_qo_heads", a.num_qo_heads, "Query heads per token."),
      const_axis("num_kv_heads", a.num_kv_heads, "Key heads per token, and value heads."),
      const_axis("head_dim", a.head_dim, "Length of each head; each q and k head is normalised."),
      const_axis("hidden_size", a.hidden_size(),
                 "Width of a token's row: (num_qo_heads + 2 * num_kv_heads) * head_dim."),
  };
  spec.constraints = {"hidden_size == (num_qo_heads + 2 * num_kv_heads) * head_dim"};
  spec.inputs = {
      tensor("hidden_states", {"num_tokens", "hidden_size"}, dtype::float16,
             "Fused QKV projection output: q heads, then k heads, then v heads."),
      tensor("q_weight", {"head_dim"}, dtype::float16, "Per-channel scale of every q head."),
      tensor("k_weight", {"head_dim"}, dtype::float16, "Per-channel scale of every k head."),
  };
  spec.outputs = {
      tensor("out", {"num_tokens", "hidden_size"}, dtype::float16,
             "Normalised q heads, normalised k heads, v heads unchanged (in place in the kernel)."),
  };
  spec.reference = {ops::fused_qk_rmsnorm::torch_reference::head_rms_norm,
                    ops::fused_qk_rmsnorm::torch_reference::run};
  return spec;
}

template <fused_qk_rmsnorm_axes Axes>
struct fused_qk_rmsnorm : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<fused_qk_rmsnorm_axes> = true;  // kernel: solkit/ops/fused_qk_rmsnorm/kernel.cuh

}  // namespace solkit
