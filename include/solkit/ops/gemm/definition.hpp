#pragma once
// GEMM definitions (op_type "gemm"): `gemm_n{N}_k{K}`, C[M, N] = A[M, K] @ B[N, K]^T in fp16
// with fp32 accumulation. B is a weight in the nn.Linear layout (out_features x in_features).

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/gemm/torch_reference.hpp"

namespace solkit {

namespace ops::gemm::axis_errors {
inline constexpr char n_not_positive[] = "N (output features) must be positive";
inline constexpr char k_not_positive[] = "K (reduction length) must be positive";
}  // namespace ops::gemm::axis_errors

/// Axes of `gemm_n{n}_k{k}`; M (tokens) is the var axis.
struct gemm_axes {
  std::int64_t n = 0;
  std::int64_t k = 0;
};

constexpr const char* check_axes(const gemm_axes& axes) {
  if (axes.n <= 0) return ops::gemm::axis_errors::n_not_positive;
  if (axes.k <= 0) return ops::gemm::axis_errors::k_not_positive;
  return nullptr;
}

constexpr definition_spec describe(const gemm_axes& axes) {
  definition_spec spec{};
  spec.name = definition_name{"gemm_n"} + axes.n + "_k" + axes.k;
  spec.op_type = "gemm";
  spec.description =
      "General matrix multiply C = A @ B.T with fp16 inputs, fp32 accumulation and fp16 output. "
      "B is stored as [N, K] (a linear layer's weight).";
  spec.axes = {
      var_axis("M", "Number of rows of A and C (tokens)."),
      const_axis("N", axes.n, "Number of rows of B and columns of C (output features)."),
      const_axis("K", axes.k, "Reduction length (input features)."),
  };
  spec.inputs = {
      tensor("A", {"M", "K"}, dtype::float16, "Activations."),
      tensor("B", {"N", "K"}, dtype::float16, "Weight, one row per output feature."),
  };
  spec.outputs = {
      tensor("C", {"M", "N"}, dtype::float16, "A @ B.T."),
  };
  spec.reference = {ops::gemm::torch_reference::gemm};
  return spec;
}

template <gemm_axes Axes>
struct gemm : definition_of<Axes> {};

}  // namespace solkit
