#pragma once
// MoE pairs counted and grouped by expert (op_type "moe_count_and_sort"):
// `moe_count_and_sort_e{E}_topk{k}`, atrex-bench's moe_count_and_sort (the counting and
// sorting phase of vLLM's moe_align_block_size, count_and_sort_expert_tokens_kernel, here
// without block padding). The T * k (token, slot) pairs of topk_ids are numbered
// p = t * k + j.
//   topk_ids [T, k] int32, every id in [0, E)
//   -> sorted_token_ids [T, k] int32: read flat (row-major), the T k pair indices grouped by
//      expert (experts in order), ascending within an expert
//      expert_token_counts [E] int32: pairs routed to each expert
//      cumsum [E + 1] int32: exclusive prefix sum of the counts, 0 first, T k last
// Deviations from atrex: atrex returns sorted_token_ids flat, [T k]; solkit shapes the same
// buffer [T, k] so that every output's size follows from the input's (flashinfer-bench sizes
// outputs from the inputs' axes). vLLM's kernel ranks pairs with atomics, so its order within
// an expert varies from run to run; the definition fixes it (ascending p, as atrex's reference).
// atrex's block_size argument does not enter the math and is no axis.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/moe_count_and_sort/torch_reference.hpp"

namespace solkit {

namespace ops::moe_count_and_sort::axis_errors {
inline constexpr char num_experts_not_positive[] = "num_experts must be positive";
inline constexpr char top_k_not_positive[] = "top_k must be positive";
}  // namespace ops::moe_count_and_sort::axis_errors

/// Axes of `moe_count_and_sort_e{num_experts}_topk{top_k}`.
struct moe_count_and_sort_axes {
  std::int64_t num_experts = 0;  // E
  std::int64_t top_k = 0;        // k
};

constexpr const char* check_axes(const moe_count_and_sort_axes& a) {
  namespace e = ops::moe_count_and_sort::axis_errors;
  if (a.num_experts <= 0) return e::num_experts_not_positive;
  if (a.top_k <= 0) return e::top_k_not_positive;
  return nullptr;
}

constexpr definition_spec describe(const moe_count_and_sort_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"moe_count_and_sort_e"} + a.num_experts + "_topk" + a.top_k;
  spec.op_type = "moe_count_and_sort";
  spec.description =
      "MoE expert counting and sorting, atrex-bench's moe_count_and_sort (vLLM "
      "count_and_sort_expert_tokens, unpadded): the flat pair indices p = t * top_k + j of "
      "topk_ids grouped by expert (experts in order, p ascending within one), stored row-major "
      "in a [token_count, top_k] tensor; the pairs per expert; and their exclusive prefix sum "
      "with a leading 0. Every id must be in [0, num_experts).";
  spec.tags = {"source:atrex-bench", "atrex:moe_count_and_sort"};
  spec.axes = {
      var_axis("token_count", "Tokens routed."),
      const_axis("top_k", a.top_k, "Experts per token: pairs per row of topk_ids."),
      const_axis("num_experts", a.num_experts, "Experts E; ids are in [0, E)."),
      const_axis("len_cumsum", a.num_experts + 1, "Entries of cumsum: num_experts + 1."),
  };
  spec.inputs = {
      tensor("topk_ids", {"token_count", "top_k"}, dtype::int32,
             "Expert of each (token, slot) pair; duplicates within a token allowed."),
  };
  spec.outputs = {
      tensor("sorted_token_ids", {"token_count", "top_k"}, dtype::int32,
             "Read flat: the pair indices grouped by expert, ascending within an expert."),
      tensor("expert_token_counts", {"num_experts"}, dtype::int32, "Pairs routed to each expert."),
      tensor("cumsum", {"len_cumsum"}, dtype::int32,
             "Exclusive prefix sum of expert_token_counts: cumsum[e] is expert e's first row."),
  };
  spec.reference = {ops::moe_count_and_sort::torch_reference::count_and_sort};
  return spec;
}

template <moe_count_and_sort_axes Axes>
struct moe_count_and_sort : definition_of<Axes> {};

}  // namespace solkit
