#pragma once
// Dynamic per-token fp8 quantisation (op_type "fp8_dynamic_per_token_quant"):
// `fp8_dynamic_per_token_quant_h{H}`, atrex-bench's fp8_dynamic_per_token_quant (rtp-llm / aiter
// dynamic_per_token_scaled_quant). Each bf16 row gets one fp32 scale, amax / fp8 max, and is
// stored as fp8. atrex-bench quantises to AMD's float8_e4m3fnuz (max 240); solkit targets
// NVIDIA and uses flashinfer-bench's float8_e4m3fn (max 448): a deliberate deviation, so values
// and scales differ from atrex's by the ratio of the two maxima and the encodings.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/fp8_dynamic_per_token_quant/torch_reference.hpp"

namespace solkit {

namespace ops::fp8_dynamic_per_token_quant::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_16[] =
    "hidden_size must be a positive multiple of 16: rows are stored as 16-byte vectors of fp8";
}  // namespace ops::fp8_dynamic_per_token_quant::axis_errors

/// Axes of `fp8_dynamic_per_token_quant_h{hidden_size}`: x [T, H] -> q [T, H], scale [T].
struct fp8_dynamic_per_token_quant_axes {
  std::int64_t hidden_size = 0;
};

constexpr const char* check_axes(const fp8_dynamic_per_token_quant_axes& a) {
  if (a.hidden_size <= 0 || a.hidden_size % 16 != 0) {
    return ops::fp8_dynamic_per_token_quant::axis_errors::hidden_size_not_a_positive_multiple_of_16;
  }
  return nullptr;
}

constexpr definition_spec describe(const fp8_dynamic_per_token_quant_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"fp8_dynamic_per_token_quant_h"} + a.hidden_size;
  spec.op_type = "fp8_dynamic_per_token_quant";
  spec.description =
      "Dynamic per-token fp8 quantisation, atrex-bench's fp8_dynamic_per_token_quant: per row, "
      "scale = max(amax(|x|), 1e-12) / 448 and q = clamp(x * (1 / scale), -448, 448) as "
      "float8_e4m3fn, in fp32. Deliberate deviation: atrex-bench uses AMD's float8_e4m3fnuz "
      "(max 240); solkit targets NVIDIA and uses float8_e4m3fn (max 448).";
  spec.tags = {"source:atrex-bench", "atrex:fp8_dynamic_per_token_quant"};
  spec.axes = {
      var_axis("token_count", "Token rows, one scale each."),
      const_axis("hidden_size", a.hidden_size, "Channels of a row."),
  };
  spec.inputs = {
      tensor("x", {"token_count", "hidden_size"}, dtype::bfloat16, "Activations to quantise."),
  };
  spec.outputs = {
      tensor("q", {"token_count", "hidden_size"}, dtype::float8_e4m3fn,
             "x divided by its row's scale, in fp8 (e4m3fn, max 448)."),
      tensor("scale", {"token_count"}, dtype::float32,
             "Dequantisation scale of each row: x ~ q * scale."),
  };
  spec.reference = {ops::fp8_dynamic_per_token_quant::torch_reference::quant};
  return spec;
}

template <fp8_dynamic_per_token_quant_axes Axes>
struct fp8_dynamic_per_token_quant : definition_of<Axes> {};

// kernel: solkit/ops/fp8_dynamic_per_token_quant/kernel.cuh
template <>
inline constexpr bool kernel_exists<fp8_dynamic_per_token_quant_axes> = true;

}  // namespace solkit
