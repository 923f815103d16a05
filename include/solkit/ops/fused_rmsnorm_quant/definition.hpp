#pragma once
// Residual add, RMSNorm and dynamic per-token fp8 quantisation (op_type "fused_rmsnorm_quant"):
// `fused_rmsnorm_quant_h{H}`, atrex-bench's fused_rmsnorm_quant (aiter
// rmsnorm2d_fwd_with_add_dynamicquant): the new residual x + residual, its RMSNorm (eps 1e-5),
// and that norm quantised to fp8 with one scale per token, the input of an fp8 GEMM. atrex-bench
// quantises to AMD's float8_e4m3fnuz (max 240); solkit targets NVIDIA and uses
// flashinfer-bench's float8_e4m3fn (max 448): a deliberate deviation.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/core/kernel_exists.hpp"
#include "solkit/ops/fused_rmsnorm_quant/torch_reference.hpp"

namespace solkit {

namespace ops::fused_rmsnorm_quant::axis_errors {
inline constexpr char hidden_size_not_a_positive_multiple_of_16[] =
    "hidden_size must be a positive multiple of 16: rows are stored as 16-byte vectors of fp8";
}  // namespace ops::fused_rmsnorm_quant::axis_errors

/// Axes of `fused_rmsnorm_quant_h{hidden_size}`:
/// x, residual [T, H], weight [H] -> quantized [T, H], scale [T], residual_out [T, H].
struct fused_rmsnorm_quant_axes {
  std::int64_t hidden_size = 0;
};

constexpr const char* check_axes(const fused_rmsnorm_quant_axes& a) {
  if (a.hidden_size <= 0 || a.hidden_size % 16 != 0) {
    return ops::fused_rmsnorm_quant::axis_errors::hidden_size_not_a_positive_multiple_of_16;
  }
  return nullptr;
}

constexpr definition_spec describe(const fused_rmsnorm_quant_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"fused_rmsnorm_quant_h"} + a.hidden_size;
  spec.op_type = "fused_rmsnorm_quant";
  spec.description =
      "Residual add, RMSNorm and dynamic per-token fp8 quantisation, atrex-bench's "
      "fused_rmsnorm_quant: residual_out = bf16(x + residual); normed = bf16(residual_out / "
      "sqrt(mean(residual_out^2) + 1e-5) * weight) in fp32; per row scale = amax(|normed|) / 448 "
      "(1 for a zero row) and quantized = normed / scale as float8_e4m3fn. Epsilon is fixed at "
      "1e-5. Deliberate deviation: atrex-bench uses AMD's float8_e4m3fnuz (max 240); solkit "
      "targets NVIDIA and uses float8_e4m3fn (max 448). scale is [token_count] (atrex: "
      "[token_count, 1], the same values and layout).";
  spec.tags = {"source:atrex-bench", "atrex:fused_rmsnorm_quant"};
  spec.axes = {
      var_axis("token_count", "Token rows, one scale each."),
      const_axis("hidden_size", a.hidden_size, "Length of each normalised row."),
  };
  spec.inputs = {
      tensor("x", {"token_count", "hidden_size"}, dtype::bfloat16, "Output of the previous sub-layer."),
      tensor("residual", {"token_count", "hidden_size"}, dtype::bfloat16, "Residual stream."),
      tensor("weight", {"hidden_size"}, dtype::bfloat16, "Per-channel scale of the norm."),
  };
  spec.outputs = {
      tensor("quantized", {"token_count", "hidden_size"}, dtype::float8_e4m3fn,
             "Normalised rows divided by their scale, in fp8 (e4m3fn, max 448)."),
      tensor("scale", {"token_count"}, dtype::float32,
             "Dequantisation scale of each row: normed ~ quantized * scale."),
      tensor("residual_out", {"token_count", "hidden_size"}, dtype::bfloat16,
             "New residual stream x + residual (production kernels update residual in place)."),
  };
  spec.reference = {ops::fused_rmsnorm_quant::torch_reference::fused_rmsnorm_quant};
  return spec;
}

template <fused_rmsnorm_quant_axes Axes>
struct fused_rmsnorm_quant : definition_of<Axes> {};

// kernel: solkit/ops/fused_rmsnorm_quant/kernel.cuh
template <>
inline constexpr bool kernel_exists<fused_rmsnorm_quant_axes> = true;

}  // namespace solkit
