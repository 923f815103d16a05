#pragma once
// Sampling from probabilities (op_type "sampling"): `top_k_sampling_from_probs_v{V}`,
// `top_p_sampling_from_probs_v{V}` and `top_k_top_p_sampling_from_probs_v{V}`.
// Per row: a top_k outside (0, V) means no top-k filter; a top_p <= 0 means argmax and >= 1 no
// top-p filter; top-p keeps the most probable tokens up to and including the one whose
// cumulative probability first exceeds p (the flashinfer-bench reference's rule: a token is kept
// while the mass before it is at most p); top-k applies before top-p (renormalised between).

#include <cstdint>
#include <string_view>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/sampling/torch_reference.hpp"

namespace solkit {

/// Axes of `top_k_sampling_from_probs_v{vocab_size}`.
struct top_k_sampling_from_probs_axes {
  std::int64_t vocab_size = 0;
};
/// Axes of `top_p_sampling_from_probs_v{vocab_size}`.
struct top_p_sampling_from_probs_axes {
  std::int64_t vocab_size = 0;
};
/// Axes of `top_k_top_p_sampling_from_probs_v{vocab_size}`.
struct top_k_top_p_sampling_from_probs_axes {
  std::int64_t vocab_size = 0;
};

namespace ops::sampling {
namespace axis_errors {
inline constexpr char vocab_size_not_positive[] = "vocab_size must be positive";
}

constexpr const char* check(std::int64_t vocab_size) {
  return vocab_size > 0 ? nullptr : axis_errors::vocab_size_not_positive;
}

constexpr tensor_spec top_k() {
  return tensor("top_k", {"batch_size"}, dtype::int32,
                "Tokens kept per row; a value outside (0, vocab_size) disables the filter.");
}
constexpr tensor_spec top_p() {
  return tensor("top_p", {"batch_size"}, dtype::float32,
                "Cumulative probability kept per row; <= 0 means argmax, >= 1 disables the filter.");
}

/// The parts every sampling definition shares; `filters` follow probs in the inputs.
constexpr definition_spec describe(std::string_view prefix, std::int64_t vocab_size,
                                   std::string_view description, std::string_view fi_api,
                                   std::string_view reference) {
  definition_spec spec{};
  spec.name = definition_name{prefix} + "_sampling_from_probs_v" + vocab_size;
  spec.op_type = "sampling";
  spec.description = description;
  spec.tags = {fi_api};
  spec.axes = {
      var_axis("batch_size", "Number of rows (sequences) sampled."),
      const_axis("vocab_size", vocab_size, "Vocabulary size of the model."),
  };
  spec.inputs = {tensor("probs", {"batch_size", "vocab_size"}, dtype::float32,
                        "Probabilities of each row (after softmax).")};
  spec.outputs = {tensor("samples", {"batch_size"}, dtype::int64, "Sampled token id of each row.")};
  spec.reference = {torch_reference::sampling_common, reference};
  return spec;
}
}  // namespace ops::sampling

constexpr const char* check_axes(const top_k_sampling_from_probs_axes& a) {
  return ops::sampling::check(a.vocab_size);
}
constexpr const char* check_axes(const top_p_sampling_from_probs_axes& a) {
  return ops::sampling::check(a.vocab_size);
}
constexpr const char* check_axes(const top_k_top_p_sampling_from_probs_axes& a) {
  return ops::sampling::check(a.vocab_size);
}

constexpr definition_spec describe(const top_k_sampling_from_probs_axes& a) {
  namespace s = ops::sampling;
  definition_spec spec = s::describe(
      "top_k", a.vocab_size,
      "Top-k sampling: keep each row's top_k most probable tokens, renormalise, sample one.",
      "fi_api:flashinfer.sampling.top_k_sampling_from_probs", s::torch_reference::top_k);
  spec.inputs.push_back(s::top_k());
  return spec;
}

constexpr definition_spec describe(const top_p_sampling_from_probs_axes& a) {
  namespace s = ops::sampling;
  definition_spec spec = s::describe(
      "top_p", a.vocab_size,
      "Top-p (nucleus) sampling: keep the smallest set of most probable tokens whose cumulative "
      "probability reaches top_p, renormalise, sample one.",
      "fi_api:flashinfer.sampling.top_p_sampling_from_probs", s::torch_reference::top_p);
  spec.inputs.push_back(s::top_p());
  return spec;
}

constexpr definition_spec describe(const top_k_top_p_sampling_from_probs_axes& a) {
  namespace s = ops::sampling;
  definition_spec spec = s::describe(
      "top_k_top_p", a.vocab_size,
      "Top-k then top-p sampling: the top-k filter, renormalisation, then the top-p filter on "
      "the renormalised row, renormalise, sample one.",
      "fi_api:flashinfer.sampling.top_k_top_p_sampling_from_probs",
      s::torch_reference::top_k_top_p);
  spec.inputs.push_back(s::top_k());
  spec.inputs.push_back(s::top_p());
  return spec;
}

template <top_k_sampling_from_probs_axes Axes>
struct top_k_sampling_from_probs : definition_of<Axes> {};
template <top_p_sampling_from_probs_axes Axes>
struct top_p_sampling_from_probs : definition_of<Axes> {};
template <top_k_top_p_sampling_from_probs_axes Axes>
struct top_k_top_p_sampling_from_probs : definition_of<Axes> {};

// All three run by solkit/ops/sampling/kernel.cuh.
template <>
inline constexpr bool kernel_exists<top_k_sampling_from_probs_axes> = true;
template <>
inline constexpr bool kernel_exists<top_p_sampling_from_probs_axes> = true;
template <>
inline constexpr bool kernel_exists<top_k_top_p_sampling_from_probs_axes> = true;

}  // namespace solkit
