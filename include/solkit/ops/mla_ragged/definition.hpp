#pragma once
// Multi-head latent attention prefill without absorption, K/V ragged (op_type "mla_ragged"):
// `mla_ragged_prefill_causal_h{q}_qk{qk}_vo{vo}`. K and V are decompressed per head, so there
// are as many kv heads as query heads; qk_dim (nope + rope) differs from vo_dim.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/attention_axes.hpp"
#include "solkit/ops/mla_ragged/torch_reference.hpp"

namespace solkit {

/// Axes of `mla_ragged_prefill_causal_h{num_qo_heads}_qk{qk_dim}_vo{vo_dim}`; num_kv_heads equals
/// num_qo_heads (the name does not carry it).
struct mla_ragged_prefill_causal_axes {
  std::int64_t num_qo_heads = 0;
  std::int64_t qk_dim = 0;
  std::int64_t vo_dim = 0;
};

namespace ops::mla_ragged::axis_errors {
inline constexpr char qk_dim_not_a_multiple_of_16_up_to_256[] =
    "qk_dim must be a positive multiple of 16 up to 256 (tensor-core k-tiles of 16)";
inline constexpr char vo_dim_not_a_multiple_of_16_up_to_256[] =
    "vo_dim must be a positive multiple of 16 up to 256 (tensor-core n-tiles of 16)";
}  // namespace ops::mla_ragged::axis_errors

constexpr const char* check_axes(const mla_ragged_prefill_causal_axes& a) {
  namespace e = ops::mla_ragged::axis_errors;
  if (a.num_qo_heads <= 0) return ops::attention::axis_errors::num_qo_heads_not_positive;
  if (a.qk_dim <= 0 || a.qk_dim > 256 || a.qk_dim % 16 != 0) {
    return e::qk_dim_not_a_multiple_of_16_up_to_256;
  }
  if (a.vo_dim <= 0 || a.vo_dim > 256 || a.vo_dim % 16 != 0) {
    return e::vo_dim_not_a_multiple_of_16_up_to_256;
  }
  return nullptr;
}

constexpr definition_spec describe(const mla_ragged_prefill_causal_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"mla_ragged_prefill_causal_h"} + a.num_qo_heads + "_qk" + a.qk_dim +
              "_vo" + a.vo_dim;
  spec.op_type = "mla_ragged";
  spec.description =
      "Batched causal attention prefill for MLA models without weight absorption: per-head K of "
      "qk_dim (nope + rope) and V of vo_dim, ragged by qo_indptr/kv_indptr, mask aligned "
      "bottom-right, lse in base 2.";
  spec.tags = {"stage:prefill", "fi_api:flashinfer.prefill.BatchPrefillWithRaggedKVCacheWrapper"};
  spec.axes = {
      const_axis("num_qo_heads", a.num_qo_heads, "Number of query heads on this device."),
      const_axis("num_kv_heads", a.num_qo_heads,
                 "Number of key/value heads (equal to num_qo_heads for MLA)."),
      const_axis("qk_dim", a.qk_dim, "Query/key head dimension (nope + rope parts)."),
      const_axis("vo_dim", a.vo_dim, "Value/output head dimension."),
      var_axis("total_q", "Query tokens of the whole batch (qo_indptr[-1])."),
      var_axis("total_kv", "Key/value tokens of the whole batch (kv_indptr[-1])."),
      var_axis("len_indptr", "Length of qo_indptr and kv_indptr (number of sequences + 1)."),
  };
  spec.constraints = {"total_q == qo_indptr[-1].item()", "total_kv == kv_indptr[-1].item()"};
  spec.inputs = {
      tensor("q", {"total_q", "num_qo_heads", "qk_dim"}, dtype::bfloat16, "Queries, concatenated."),
      tensor("k", {"total_kv", "num_kv_heads", "qk_dim"}, dtype::bfloat16, "Keys, concatenated."),
      tensor("v", {"total_kv", "num_kv_heads", "vo_dim"}, dtype::bfloat16, "Values, concatenated."),
      tensor("qo_indptr", {"len_indptr"}, dtype::int32, "Offsets of each sequence's queries."),
      tensor("kv_indptr", {"len_indptr"}, dtype::int32, "Offsets of each sequence's keys/values."),
      scalar("sm_scale", dtype::float32, "Softmax scale, usually 1/sqrt(qk_dim)."),
  };
  spec.outputs = {
      tensor("output", {"total_q", "num_qo_heads", "vo_dim"}, dtype::bfloat16, "Attention output."),
      tensor("lse", {"total_q", "num_qo_heads"}, dtype::float32,
             "Base-2 log-sum-exp of the scaled attention logits."),
  };
  spec.reference = {ops::mla_ragged::torch_reference::prefill_causal};
  return spec;
}

template <mla_ragged_prefill_causal_axes Axes>
struct mla_ragged_prefill_causal : definition_of<Axes> {};

}  // namespace solkit
