#pragma once
// MoE router top-k over softmax probabilities (op_type "moe_topk_gating_softmax"):
// `moe_topk_gating_softmax_e{E}_topk{k}`, atrex-bench's moe_topk_gating_softmax (vLLM's
// topk_softmax custom op). Per token: p = softmax over the E expert logits (fp32), then the k
// largest p with their expert ids, largest first.
//   gating_output [T, E] fp32 -> topk_weights [T, k] fp32, topk_ids [T, k] int32
// The weights are the softmax probabilities themselves, NOT renormalised over the k chosen
// (flashinfer-bench's renormalising MoE routing does top-k first, then a softmax over the k).
// atrex's Model also has a grouped variant (num_expert_groups, topk_group); every atrex shape
// leaves it off and these definitions have none. Ties between equal probabilities may be
// ordered either way (random fp32 logits make them improbable).

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/moe_topk_gating_softmax/torch_reference.hpp"

namespace solkit {

namespace ops::moe_topk_gating_softmax::axis_errors {
inline constexpr char num_experts_not_positive[] = "num_experts must be positive";
inline constexpr char top_k_not_in_1_to_num_experts[] =
    "top_k must be between 1 and num_experts: each token picks top_k distinct experts";
}  // namespace ops::moe_topk_gating_softmax::axis_errors

/// Axes of `moe_topk_gating_softmax_e{num_experts}_topk{top_k}`:
/// gating_output [T, E] -> topk_weights [T, k], topk_ids [T, k].
struct moe_topk_gating_softmax_axes {
  std::int64_t num_experts = 0;  // E
  std::int64_t top_k = 0;        // k
};

constexpr const char* check_axes(const moe_topk_gating_softmax_axes& a) {
  namespace e = ops::moe_topk_gating_softmax::axis_errors;
  if (a.num_experts <= 0) return e::num_experts_not_positive;
  if (a.top_k <= 0 || a.top_k > a.num_experts) return e::top_k_not_in_1_to_num_experts;
  return nullptr;
}

constexpr definition_spec describe(const moe_topk_gating_softmax_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"moe_topk_gating_softmax_e"} + a.num_experts + "_topk" + a.top_k;
  spec.op_type = "moe_topk_gating_softmax";
  spec.description =
      "MoE routing, atrex-bench's moe_topk_gating_softmax (vLLM topk_softmax): per token, "
      "p = softmax(gating_output) over the experts in fp32, then the top_k largest p and their "
      "expert ids, in descending order of p. The weights are not renormalised over the top_k "
      "(they sum to less than 1). No grouped routing.";
  spec.tags = {"source:atrex-bench", "atrex:moe_topk_gating_softmax"};
  spec.axes = {
      var_axis("token_count", "Tokens routed."),
      const_axis("num_experts", a.num_experts, "Routed experts E: logits per token."),
      const_axis("top_k", a.top_k, "Experts chosen per token."),
  };
  spec.inputs = {
      tensor("gating_output", {"token_count", "num_experts"}, dtype::float32,
             "Router logits of each token over all experts."),
  };
  spec.outputs = {
      tensor("topk_weights", {"token_count", "top_k"}, dtype::float32,
             "Softmax probabilities of the chosen experts, largest first (not renormalised)."),
      tensor("topk_ids", {"token_count", "top_k"}, dtype::int32,
             "Expert id of each weight, in [0, num_experts)."),
  };
  spec.reference = {ops::moe_topk_gating_softmax::torch_reference::topk_gating_softmax};
  return spec;
}

template <moe_topk_gating_softmax_axes Axes>
struct moe_topk_gating_softmax : definition_of<Axes> {};

}  // namespace solkit
