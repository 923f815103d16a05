#pragma once
// Short causal depthwise convolution with SiLU (op_type "causal_conv1d"):
// `causal_conv1d_d{dim}_w{width}`, atrex-bench's causal_conv1d (sglang's causal_conv1d_fn, the
// short convolution before GDN and Mamba mixers). One sequence, channel-major: channel c of
// x [dim, T] is convolved with its own width taps, the width - 1 samples before the sequence
// coming from initial_state:
//   y[c, t] = bf16( bias[c] + sum_{j < width} weight[c, j] * xs[c, t + j] ),
//   xs[c] = initial_state[0, c] ++ x[c]   (oldest first),   out = bf16(silu(y))
//   x [dim, T], weight [dim, width], bias [dim], initial_state [1, dim, width - 1] bf16
//   -> out [dim, T] bf16 (the final convolution state is not returned).
// The activation is fixed at silu (all atrex shapes; atrex's "swish" is the same function).
// Rounding as atrex's reference (F.conv1d in bf16, then F.silu): the convolution is rounded to
// bf16 before silu; sglang's Triton kernel rounds once, after silu. Same dtypes as atrex.

#include <cstdint>

#include "solkit/core/definition.hpp"
#include "solkit/ops/causal_conv1d/torch_reference.hpp"

namespace solkit {

namespace ops::causal_conv1d::axis_errors {
inline constexpr char dim_not_positive[] = "dim must be positive";
inline constexpr char width_not_2_to_5[] =
    "width must be 2 to 5: the taps are unrolled in registers (sglang's and vLLM's Triton prefill "
    "kernels go up to 5, Dao-AILab's CUDA kernels up to 4)";
}  // namespace ops::causal_conv1d::axis_errors

/// Axes of `causal_conv1d_d{dim}_w{width}`: x [dim, T] -> out [dim, T].
struct causal_conv1d_axes {
  std::int64_t dim = 0;
  std::int64_t width = 4;
};

constexpr const char* check_axes(const causal_conv1d_axes& a) {
  namespace e = ops::causal_conv1d::axis_errors;
  if (a.dim <= 0) return e::dim_not_positive;
  if (a.width < 2 || a.width > 5) return e::width_not_2_to_5;
  return nullptr;
}

constexpr definition_spec describe(const causal_conv1d_axes& a) {
  definition_spec spec{};
  spec.name = definition_name{"causal_conv1d_d"} + a.dim + "_w" + a.width;
  spec.op_type = "causal_conv1d";
  spec.description =
      "Causal depthwise conv1d with silu over one channel-major sequence, atrex-bench's "
      "causal_conv1d (sglang causal_conv1d_fn): y[c, t] = bias[c] + sum over j < width of "
      "weight[c, j] * xs[c, t + j] with xs[c] = initial_state[0, c] followed by x[c] (the "
      "width - 1 samples before the sequence, oldest first); y is rounded to bf16, then out = "
      "bf16(silu(y)). fp32 math. The final convolution state is not returned.";
  spec.tags = {"source:atrex-bench", "atrex:causal_conv1d"};
  spec.axes = {
      var_axis("token_count", "Tokens of the sequence."),
      const_axis("num_sequences", 1, "Sequences: one (atrex's initial_state has a leading 1)."),
      const_axis("dim", a.dim, "Channels, each convolved with its own taps."),
      const_axis("width", a.width, "Taps of the convolution."),
      const_axis("state_len", a.width - 1, "Samples of the initial state: width - 1."),
  };
  spec.constraints = {"state_len == width - 1"};
  spec.inputs = {
      tensor("x", {"dim", "token_count"}, dtype::bfloat16, "The sequence, channel-major."),
      tensor("weight", {"dim", "width"}, dtype::bfloat16,
             "Taps per channel; weight[c, width - 1] multiplies the current sample."),
      tensor("bias", {"dim"}, dtype::bfloat16, "Bias per channel."),
      tensor("initial_state", {"num_sequences", "dim", "state_len"}, dtype::bfloat16,
             "The width - 1 samples before the sequence, oldest first."),
  };
  spec.outputs = {
      tensor("out", {"dim", "token_count"}, dtype::bfloat16, "silu of the convolution."),
  };
  spec.reference = {ops::causal_conv1d::torch_reference::causal_conv1d_silu};
  return spec;
}

template <causal_conv1d_axes Axes>
struct causal_conv1d : definition_of<Axes> {};

}  // namespace solkit
