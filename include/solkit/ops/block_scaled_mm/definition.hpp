#pragma once
// FP8 block-scaled GEMM (op_type "block_scaled_mm"): `block_scaled_mm_n{N}_k{K}_gn{GN}_gk{GK}`,
// atrex-bench's block_scaled_mm (vLLM w8a8_triton_block_scaled_mm, DeepSeek-style fp8 linear
// layers). C = (A * a_scales) (B * b_scales)^T with one fp32 scale per token per GK channels of A
// and one per GN x GK block of the weight B:
//   a [m, K] fp8, b [N, K] fp8 (nn.Linear layout), a_scales [m, K/GK] fp32,
//   b_scales [N/GN, K/GK] fp32 -> c [m, N] fp32; inputs in vLLM's and atrex's order.
// Per K block the fp8 products are summed in fp32 and scaled by a_scale * b_scale; the blocks'
// sums are added in fp32. fp8 is float8_e4m3fn (max 448), as in atrex; the output stays fp32 as
// atrex's reference returns it (vLLM's callers usually ask for bf16). flashinfer-bench's gemm is
// an fp16 GEMM in the same orientation, without scales.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/block_scaled_mm/torch_reference.hpp"

namespace solkit {

namespace ops::block_scaled_mm::axis_errors {
inline constexpr char group_not_a_positive_multiple_of_16[] =
    "group_n and group_k must be positive multiples of 16: a block row is whole 16-byte vectors "
    "of fp8";
inline constexpr char n_not_a_multiple_of_group_n[] = "n must be a positive multiple of group_n: every block is whole";
inline constexpr char k_not_a_multiple_of_group_k[] = "k must be a positive multiple of group_k: every block is whole";
}  // namespace ops::block_scaled_mm::axis_errors

/// Axes of `block_scaled_mm_n{n}_k{k}_gn{group_n}_gk{group_k}`; m (tokens) is the var axis.
struct block_scaled_mm_axes {
  std::int64_t n = 0;          // output features (rows of b)
  std::int64_t k = 0;          // reduction length
  std::int64_t group_n = 128;  // block extent of b_scales along n
  std::int64_t group_k = 128;  // block extent of both scales along k
};

constexpr const char* check_axes(const block_scaled_mm_axes& a) {
  namespace e = ops::block_scaled_mm::axis_errors;
  if (a.group_n <= 0 || a.group_n % 16 != 0 || a.group_k <= 0 || a.group_k % 16 != 0) {
    return e::group_not_a_positive_multiple_of_16;
  }
  if (a.n <= 0 || a.n % a.group_n != 0) return e::n_not_a_multiple_of_group_n;
  if (a.k <= 0 || a.k % a.group_k != 0) return e::k_not_a_multiple_of_group_k;
  return nullptr;
}

constexpr definition_spec describe(const block_scaled_mm_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"block_scaled_mm_n"} + a.n + "_k" + a.k + "_gn" + a.group_n + "_gk" + a.group_k;
  spec.op_type = "block_scaled_mm";
  spec.description =
      "FP8 block-scaled GEMM, atrex-bench's block_scaled_mm (vLLM w8a8_triton_block_scaled_mm): "
      "c[i, j] = sum over K blocks kb of a_scales[i, kb] * b_scales[j / group_n, kb] * "
      "sum_{c in kb} a[i, c] * b[j, c], fp8 (float8_e4m3fn) operands, fp32 products and sums, "
      "fp32 output (as atrex's reference).";
  spec.tags = {"source:atrex-bench", "atrex:block_scaled_mm", "quantization:float8_e4m3fn"};
  spec.axes = {
      var_axis("m", "Rows of a and c (tokens)."),
      const_axis("n", a.n, "Rows of b and columns of c (output features)."),
      const_axis("k", a.k, "Reduction length (input features)."),
      const_axis("group_n", a.group_n, "Block extent of b_scales along n."),
      const_axis("group_k", a.group_k, "Block extent of a_scales and b_scales along k."),
      const_axis("num_n_groups", a.n / a.group_n, "Blocks along n: n / group_n."),
      const_axis("num_k_groups", a.k / a.group_k, "Blocks along k: k / group_k."),
  };
  spec.constraints = {"num_n_groups * group_n == n", "num_k_groups * group_k == k"};
  spec.inputs = {
      tensor("a", {"m", "k"}, dtype::float8_e4m3fn, "Activations, quantized per row per group_k channels."),
      tensor("b", {"n", "k"}, dtype::float8_e4m3fn, "Weight, one row per output feature."),
      tensor("a_scales", {"m", "num_k_groups"}, dtype::float32, "Scale of each row's block of group_k channels."),
      tensor("b_scales", {"num_n_groups", "num_k_groups"}, dtype::float32,
             "Scale of each group_n x group_k block of b."),
  };
  spec.outputs = {
      tensor("c", {"m", "n"}, dtype::float32, "(a * a_scales) @ (b * b_scales)^T."),
  };
  spec.reference = {ops::block_scaled_mm::torch_reference::block_scaled_mm};
  return spec;
}

template <block_scaled_mm_axes Axes>
struct block_scaled_mm : definition_of<Axes> {};

}  // namespace solkit
