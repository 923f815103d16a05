#pragma once
// Mixture of experts with fp8 block-scale weights (op_type "moe"), routing and both expert GEMMs
// in one definition:
// - `moe_fp8_block_scale_ds_routing_topk{k}_ng{g}_kg{kg}_e{e}_h{H}_i{I}`: DeepSeek routing
//   (sigmoid + bias, top topk_group of n_group groups, top-k, weights renormalised and scaled);
// - `moe_fp8_block_scale_renorm_topk{k}_e{e}_h{H}_i{I}`: top-k of the logits, softmax over them.
// `e` is the experts this device holds (num_local_experts). Weights and activations are fp8
// e4m3 with one fp32 scale per 128 x 128 block (per 128 channels for activations); expert e
// computes down(silu(gate) * up) with [up, gate] = the two halves of gemm1's output.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/moe/torch_reference.hpp"

namespace solkit {

/// The quantisation block of both MoE definitions (DeepSeek's fp8 recipe, 128 x 128).
inline constexpr std::int64_t moe_fp8_block_size = 128;

/// Axes of `moe_fp8_block_scale_ds_routing_topk{top_k}_ng{n_group}_kg{topk_group}_e{num_local_experts}_h{hidden_size}_i{intermediate_size}`.
/// top_k, n_group and topk_group are in the name but, as in the dataset, not JSON axes: the
/// reference receives them as constants.
struct moe_fp8_block_scale_ds_routing_axes {
  std::int64_t top_k = 0;
  std::int64_t n_group = 0;
  std::int64_t topk_group = 0;
  std::int64_t num_experts = 0;
  std::int64_t num_local_experts = 0;
  std::int64_t hidden_size = 0;
  std::int64_t intermediate_size = 0;
};

/// Axes of `moe_fp8_block_scale_renorm_topk{top_k}_e{num_local_experts}_h{hidden_size}_i{intermediate_size}`.
/// With num_experts == num_local_experts (no expert parallelism) the JSON is the dataset's.
struct moe_fp8_block_scale_renorm_axes {
  std::int64_t top_k = 0;
  std::int64_t num_experts = 0;
  std::int64_t num_local_experts = 0;
  std::int64_t hidden_size = 0;
  std::int64_t intermediate_size = 0;
};

namespace ops::moe {
namespace axis_errors {
inline constexpr char num_experts_not_positive[] = "num_experts must be positive";
inline constexpr char num_local_experts_does_not_divide_num_experts[] =
    "num_local_experts must be positive and divide num_experts (experts split evenly over the "
    "expert-parallel ranks)";
inline constexpr char top_k_not_in_1_to_num_experts[] = "top_k must be in [1, num_experts]";
inline constexpr char n_group_does_not_divide_num_experts[] =
    "n_group must be positive and divide num_experts";
inline constexpr char topk_group_not_in_1_to_n_group[] = "topk_group must be in [1, n_group]";
inline constexpr char top_k_exceeds_experts_of_kept_groups[] =
    "top_k must not exceed the experts of the kept groups (topk_group * num_experts / n_group)";
inline constexpr char hidden_size_not_a_multiple_of_block_size_128[] =
    "hidden_size must be a positive multiple of the fp8 block size 128";
inline constexpr char intermediate_size_not_a_multiple_of_block_size_128[] =
    "intermediate_size must be a positive multiple of the fp8 block size 128";
}  // namespace axis_errors

constexpr const char* check_common(std::int64_t top_k, std::int64_t num_experts,
                                   std::int64_t num_local_experts, std::int64_t hidden_size,
                                   std::int64_t intermediate_size) {
  if (num_experts <= 0) return axis_errors::num_experts_not_positive;
  if (num_local_experts <= 0 || num_experts % num_local_experts != 0) {
    return axis_errors::num_local_experts_does_not_divide_num_experts;
  }
  if (top_k < 1 || top_k > num_experts) return axis_errors::top_k_not_in_1_to_num_experts;
  if (hidden_size <= 0 || hidden_size % moe_fp8_block_size != 0) {
    return axis_errors::hidden_size_not_a_multiple_of_block_size_128;
  }
  if (intermediate_size <= 0 || intermediate_size % moe_fp8_block_size != 0) {
    return axis_errors::intermediate_size_not_a_multiple_of_block_size_128;
  }
  return nullptr;
}

/// The const axes after seq_len (and num_experts), in the dataset's order; the renorm
/// definition places top_k between gemm1_out_size and the block counts.
constexpr void add_weight_axes(definition_spec& spec, std::int64_t num_local_experts,
                               std::int64_t hidden_size, std::int64_t intermediate_size,
                               std::int64_t top_k_or_zero) {
  spec.axes.push_back(const_axis("num_local_experts", num_local_experts,
                                 "Experts held by this device (all experts without EP)."));
  spec.axes.push_back(const_axis("hidden_size", hidden_size, "Hidden dimension."));
  spec.axes.push_back(const_axis("intermediate_size", intermediate_size,
                                 "Expert intermediate size (per device)."));
  spec.axes.push_back(const_axis("gemm1_out_size", 2 * intermediate_size,
                                 "Rows of the first GEMM's weight: up and gate, 2 * intermediate_size."));
  if (top_k_or_zero > 0) {
    spec.axes.push_back(const_axis("top_k", top_k_or_zero, "Experts selected per token."));
  }
  spec.axes.push_back(const_axis("num_hidden_blocks", hidden_size / moe_fp8_block_size,
                                 "Quantisation blocks along hidden_size (block 128)."));
  spec.axes.push_back(const_axis("num_intermediate_blocks", intermediate_size / moe_fp8_block_size,
                                 "Quantisation blocks along intermediate_size (block 128)."));
  spec.axes.push_back(const_axis("num_gemm1_out_blocks", 2 * intermediate_size / moe_fp8_block_size,
                                 "Quantisation blocks along gemm1_out_size (block 128)."));
}

/// hidden_states through gemm2_weights_scale, common to both routings.
constexpr void add_expert_inputs(definition_spec& spec) {
  spec.inputs.push_back(tensor("hidden_states", {"seq_len", "hidden_size"}, dtype::float8_e4m3fn,
                               "Token activations in fp8, one scale per 128 channels."));
  spec.inputs.push_back(tensor("hidden_states_scale", {"num_hidden_blocks", "seq_len"},
                               dtype::float32,
                               "Activation block scales, transposed: [num_hidden_blocks, seq_len]."));
  spec.inputs.push_back(tensor("gemm1_weights", {"num_local_experts", "gemm1_out_size", "hidden_size"},
                               dtype::float8_e4m3fn,
                               "Up and gate projections of each local expert (up rows first)."));
  spec.inputs.push_back(tensor("gemm1_weights_scale",
                               {"num_local_experts", "num_gemm1_out_blocks", "num_hidden_blocks"},
                               dtype::float32, "Block scales of gemm1_weights."));
  spec.inputs.push_back(tensor("gemm2_weights", {"num_local_experts", "hidden_size", "intermediate_size"},
                               dtype::float8_e4m3fn, "Down projection of each local expert."));
  spec.inputs.push_back(tensor("gemm2_weights_scale",
                               {"num_local_experts", "num_hidden_blocks", "num_intermediate_blocks"},
                               dtype::float32, "Block scales of gemm2_weights."));
}

constexpr tensor_spec local_expert_offset() {
  return scalar("local_expert_offset", dtype::int32,
                "Global id of this device's first expert (experts outside "
                "[offset, offset + num_local_experts) contribute nothing here).");
}

constexpr tensor_spec output() {
  return tensor("output", {"seq_len", "hidden_size"}, dtype::bfloat16,
                "Weighted sum of the selected local experts' outputs.");
}
}  // namespace ops::moe

constexpr const char* check_axes(const moe_fp8_block_scale_ds_routing_axes& a) {
  namespace e = ops::moe::axis_errors;
  if (const char* error = ops::moe::check_common(a.top_k, a.num_experts, a.num_local_experts,
                                                 a.hidden_size, a.intermediate_size)) {
    return error;
  }
  if (a.n_group <= 0 || a.num_experts % a.n_group != 0) return e::n_group_does_not_divide_num_experts;
  if (a.topk_group < 1 || a.topk_group > a.n_group) return e::topk_group_not_in_1_to_n_group;
  if (a.top_k > a.topk_group * (a.num_experts / a.n_group)) {
    return e::top_k_exceeds_experts_of_kept_groups;
  }
  return nullptr;
}

constexpr definition_spec describe(const moe_fp8_block_scale_ds_routing_axes& a) {
  namespace m = ops::moe;
  definition_spec spec{};
  spec.name = definition_name{"moe_fp8_block_scale_ds_routing_topk"} + a.top_k + "_ng" + a.n_group +
              "_kg" + a.topk_group + "_e" + a.num_local_experts + "_h" + a.hidden_size + "_i" +
              a.intermediate_size;
  spec.op_type = "moe";
  spec.description =
      "FP8 block-scale MoE with DeepSeek-V3 routing: s = sigmoid(logits); experts ranked by "
      "s + bias within the topk_group best of n_group groups (group score: sum of its two best); "
      "weights = s of the top_k chosen, normalised to sum 1, times routed_scaling_factor. Each "
      "local expert computes down(silu(gate) * up) in fp32 from dequantised fp8 weights.";
  spec.tags = {"quantization:float8_e4m3fn", "fi_api:flashinfer.fused_moe.trtllm_fp8_block_scale_moe"};
  spec.axes.push_back(var_axis("seq_len", "Number of tokens."));
  spec.axes.push_back(const_axis("num_experts", a.num_experts, "Routed experts of the model."));
  m::add_weight_axes(spec, a.num_local_experts, a.hidden_size, a.intermediate_size, 0);
  spec.inputs.push_back(tensor("routing_logits", {"seq_len", "num_experts"}, dtype::float32,
                               "Router logits over all experts."));
  spec.inputs.push_back(tensor("routing_bias", {"num_experts"}, dtype::bfloat16,
                               "Routing bias added to the sigmoid scores for selection only."));
  m::add_expert_inputs(spec);
  spec.inputs.push_back(m::local_expert_offset());
  spec.inputs.push_back(scalar("routed_scaling_factor", dtype::float32,
                               "Factor applied to the normalised routing weights."));
  spec.outputs = {m::output()};
  spec.reference_constants = {{"TOP_K", a.top_k},
                              {"N_GROUP", a.n_group},
                              {"TOPK_GROUP", a.topk_group},
                              {"BLOCK_SIZE", moe_fp8_block_size}};
  spec.reference = {m::torch_reference::experts_common, m::torch_reference::ds_routing};
  return spec;
}

constexpr const char* check_axes(const moe_fp8_block_scale_renorm_axes& a) {
  return ops::moe::check_common(a.top_k, a.num_experts, a.num_local_experts, a.hidden_size,
                                a.intermediate_size);
}

constexpr definition_spec describe(const moe_fp8_block_scale_renorm_axes& a) {
  namespace m = ops::moe;
  const bool expert_parallel = a.num_experts != a.num_local_experts;
  definition_spec spec{};
  spec.name = definition_name{"moe_fp8_block_scale_renorm_topk"} + a.top_k + "_e" +
              a.num_local_experts + "_h" + a.hidden_size + "_i" + a.intermediate_size;
  spec.op_type = "moe";
  spec.description =
      "FP8 block-scale MoE with renormalised routing: the top_k largest logits of each token, "
      "softmax over those k gives the weights. Each local expert computes down(silu(gate) * up) "
      "in fp32 from dequantised fp8 weights.";
  spec.tags = {"quantization:float8_e4m3fn", "fi_api:flashinfer.fused_moe.trtllm_fp8_block_scale_moe"};
  spec.axes.push_back(var_axis("seq_len", "Number of tokens."));
  // Under expert parallelism the router still sees every expert: solkit adds the num_experts
  // axis and the local_expert_offset scalar the dataset's EP=1 definitions do without.
  if (expert_parallel) {
    spec.axes.push_back(const_axis("num_experts", a.num_experts, "Routed experts of the model."));
  }
  m::add_weight_axes(spec, a.num_local_experts, a.hidden_size, a.intermediate_size, a.top_k);
  spec.constraints = {"gemm1_weights.shape[1] == 2 * intermediate_size",
                      "gemm2_weights.shape[1] == hidden_size",
                      "gemm2_weights.shape[2] == intermediate_size"};
  spec.inputs.push_back(tensor("routing_logits",
                               {"seq_len", expert_parallel ? "num_experts" : "num_local_experts"},
                               dtype::bfloat16, "Router logits over all experts."));
  m::add_expert_inputs(spec);
  if (expert_parallel) spec.inputs.push_back(m::local_expert_offset());
  spec.outputs = {m::output()};
  // Without expert parallelism num_experts is not an axis, yet the reference routes over it.
  if (!expert_parallel) spec.reference_constants.push_back({"NUM_EXPERTS", a.num_experts});
  spec.reference_constants.push_back({"BLOCK_SIZE", moe_fp8_block_size});
  spec.reference = {m::torch_reference::experts_common, m::torch_reference::renorm_common,
                    expert_parallel ? m::torch_reference::renorm_expert_parallel
                                    : m::torch_reference::renorm};
  return spec;
}

template <moe_fp8_block_scale_ds_routing_axes Axes>
struct moe_fp8_block_scale_ds_routing : definition_of<Axes> {};

template <moe_fp8_block_scale_renorm_axes Axes>
struct moe_fp8_block_scale_renorm : definition_of<Axes> {};

}  // namespace solkit
