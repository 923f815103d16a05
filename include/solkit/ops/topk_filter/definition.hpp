#pragma once
// Top-k mask of logits (op_type "topk_filter"): `topk_filter_v{V}_k{k}`, atrex-bench's
// topk_filter (vLLM's sampler through flashinfer's top_k_mask_logits). Per row of fp32 logits,
// every value >= the row's k-th largest value is kept and every other becomes -inf; values tied
// with the k-th are all kept, so a row may keep more than k.
//   logits [batch_size, V] fp32 -> masked_logits [batch_size, V] fp32.
// atrex passes top_k to the constructor (default 50, the value of every shape) and clamps it to
// the row length; solkit makes it a const axis and requires top_k <= vocab_size instead. atrex's
// rows are called seq_len; some of its shapes (V of 2048 to 4215) are not vocabularies, and the
// definition does not care. flashinfer-bench's sampling ops return sampled ids, not masked logits.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/topk_filter/torch_reference.hpp"

namespace solkit {

namespace ops::topk_filter::axis_errors {
inline constexpr char top_k_not_positive[] = "top_k must be positive";
inline constexpr char vocab_size_less_than_top_k[] =
    "vocab_size must be at least top_k: a row must hold a k-th largest value";
}  // namespace ops::topk_filter::axis_errors

/// Axes of `topk_filter_v{vocab_size}_k{top_k}`: logits [B, V] -> masked_logits [B, V].
struct topk_filter_axes {
  std::int64_t vocab_size = 0;
  std::int64_t top_k = 0;
};

constexpr const char* check_axes(const topk_filter_axes& a) {
  namespace e = ops::topk_filter::axis_errors;
  if (a.top_k <= 0) return e::top_k_not_positive;
  if (a.vocab_size < a.top_k) return e::vocab_size_less_than_top_k;
  return nullptr;
}

constexpr definition_spec describe(const topk_filter_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"topk_filter_v"} + a.vocab_size + "_k" + a.top_k;
  spec.op_type = "topk_filter";
  spec.description =
      "Top-k mask of fp32 logits, atrex-bench's topk_filter (flashinfer top_k_mask_logits): per "
      "row, threshold = the top_k-th largest value; masked_logits = logits where logits >= "
      "threshold, -inf elsewhere. Ties with the threshold are kept, so a row may keep more than "
      "top_k values. The same top_k for every row.";
  spec.tags = {"source:atrex-bench", "atrex:topk_filter"};
  spec.axes = {
      var_axis("batch_size", "Rows of logits (atrex's seq_len)."),
      const_axis("vocab_size", a.vocab_size, "Values per row (the vocabulary for sampling)."),
      const_axis("top_k", a.top_k, "Largest values kept per row (ties at the k-th kept too)."),
  };
  spec.constraints = {"top_k <= vocab_size"};
  spec.inputs = {
      tensor("logits", {"batch_size", "vocab_size"}, dtype::float32, "Logits of each row."),
  };
  spec.outputs = {
      tensor("masked_logits", {"batch_size", "vocab_size"}, dtype::float32,
             "logits where >= the row's top_k-th largest value, -inf elsewhere."),
  };
  spec.reference = {ops::topk_filter::torch_reference::topk_filter};
  return spec;
}

template <topk_filter_axes Axes>
struct topk_filter : definition_of<Axes> {};

template <>
inline constexpr bool kernel_exists<topk_filter_axes> = true;  // kernel: solkit/ops/topk_filter/kernel.cuh

}  // namespace solkit
