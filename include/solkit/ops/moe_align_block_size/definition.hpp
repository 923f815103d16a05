#pragma once
// MoE token alignment to GEMM blocks (op_type "moe_align_block_size"):
// `moe_align_block_size_e{E}_topk{k}_bs{B}`, atrex-bench's moe_align_block_size (vLLM's
// moe_align_block_size). The T * k (token, slot) pairs of topk_ids, numbered p = t * k + j, are
// grouped by expert, ascending p within an expert; each expert's group (if not empty) is padded
// with the sentinel T * k to a multiple of B, so that every block of B rows belongs to one
// expert. P = sum over experts of ceil(count_e / B) * B rows are used.
//   topk_ids [T, k] int32, every id in [0, E)
//   -> sorted_token_ids [T k + E (B - 1)] int32: the P used rows, then the sentinel T k
//      expert_ids [ceil((T k + E (B - 1)) / B)] int32: expert of each used block, then -1
//      num_tokens_post_pad [1] int32: P
// Deviations from atrex: atrex's reference returns P rows and P / B blocks (data-dependent
// lengths, which a definition cannot declare); solkit declares vLLM's max-size buffers (P never
// exceeds T k + E (B - 1)) as var axes fixed by constraints, and defines their tails. Unlike
// vLLM (atomics), the order within an expert is fixed: ascending p, as atrex's reference has
// it; vLLM fills unused expert_ids with 0, a valid expert, solkit with -1.
// flashinfer-bench 0.1.2 sizes outputs from the inputs' shapes only: its harness cannot
// allocate these two output-only var axes without evaluating the constraints.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/moe_align_block_size/torch_reference.hpp"

namespace solkit {

namespace ops::moe_align_block_size::axis_errors {
inline constexpr char num_experts_not_positive[] = "num_experts must be positive";
inline constexpr char top_k_not_positive[] = "top_k must be positive";
inline constexpr char block_size_not_positive[] = "block_size must be positive";
}  // namespace ops::moe_align_block_size::axis_errors

/// Axes of `moe_align_block_size_e{num_experts}_topk{top_k}_bs{block_size}`.
struct moe_align_block_size_axes {
  std::int64_t num_experts = 0;  // E
  std::int64_t top_k = 0;        // k
  std::int64_t block_size = 0;   // B: rows of a GEMM block, all of one expert
};

constexpr const char* check_axes(const moe_align_block_size_axes& a) {
  namespace e = ops::moe_align_block_size::axis_errors;
  if (a.num_experts <= 0) return e::num_experts_not_positive;
  if (a.top_k <= 0) return e::top_k_not_positive;
  if (a.block_size <= 0) return e::block_size_not_positive;
  return nullptr;
}

constexpr definition_spec describe(const moe_align_block_size_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"moe_align_block_size_e"} + a.num_experts + "_topk" + a.top_k + "_bs" +
              a.block_size;
  spec.op_type = "moe_align_block_size";
  spec.description =
      "MoE block alignment, atrex-bench's moe_align_block_size (vLLM): the flat pair indices "
      "p = t * top_k + j of topk_ids grouped by expert (experts in order, p ascending within "
      "one), each non-empty group padded with the sentinel token_count * top_k to a multiple of "
      "block_size; P = the rows so used. sorted_token_ids holds them, then the sentinel up to "
      "vLLM's max-size buffer; expert_ids the expert of each used block, then -1; "
      "num_tokens_post_pad = [P]. Every id must be in [0, num_experts).";
  spec.tags = {"source:atrex-bench", "atrex:moe_align_block_size"};
  spec.axes = {
      var_axis("token_count", "Tokens routed."),
      const_axis("top_k", a.top_k, "Experts per token: pairs per row of topk_ids."),
      const_axis("num_experts", a.num_experts, "Experts E; ids are in [0, E)."),
      const_axis("block_size", a.block_size, "Rows of a block; a block holds one expert's pairs."),
      var_axis("max_num_tokens_padded",
               "Length of sorted_token_ids: the most rows padding can need, "
               "token_count * top_k + num_experts * (block_size - 1) (vLLM's buffer)."),
      var_axis("max_num_blocks", "Length of expert_ids: ceil(max_num_tokens_padded / block_size)."),
      const_axis("one", 1, "Length of num_tokens_post_pad (vLLM's one-element tensor)."),
  };
  spec.constraints = {
      "max_num_tokens_padded == token_count * top_k + num_experts * (block_size - 1)",
      "max_num_blocks == (max_num_tokens_padded + block_size - 1) // block_size",
  };
  spec.inputs = {
      tensor("topk_ids", {"token_count", "top_k"}, dtype::int32,
             "Expert of each (token, slot) pair; duplicates within a token allowed."),
  };
  spec.outputs = {
      tensor("sorted_token_ids", {"max_num_tokens_padded"}, dtype::int32,
             "Pair indices grouped by expert, each group padded to a multiple of block_size with "
             "token_count * top_k; after the first num_tokens_post_pad rows, that sentinel."),
      tensor("expert_ids", {"max_num_blocks"}, dtype::int32,
             "Expert of each block of sorted_token_ids; -1 for the blocks past num_tokens_post_pad."),
      tensor("num_tokens_post_pad", {"one"}, dtype::int32, "P: the used rows of sorted_token_ids."),
  };
  spec.reference = {ops::moe_align_block_size::torch_reference::align_block_size};
  return spec;
}

template <moe_align_block_size_axes Axes>
struct moe_align_block_size : definition_of<Axes> {};

}  // namespace solkit
