// PyTorch `run` source for the linear_sigmoid_mul definitions' "reference" field; solkit
// prepends the constants preamble (HIDDEN_SIZE, OUT_FEATURES).
#pragma once

#include <string_view>

namespace solkit::ops::linear_sigmoid_mul::torch_reference {

inline constexpr std::string_view linear_sigmoid_mul = R"py(@torch.no_grad()
def run(hidden_states, weight, bias, post_mul_mat):
    """out = sigmoid(bf16(x W^T + b)) * post_mul_mat: fp32 GEMM and epilogue, bf16 result.

    hidden_states: [token_count, HIDDEN_SIZE] bf16; weight: [OUT_FEATURES, HIDDEN_SIZE] bf16
    bias: [OUT_FEATURES] bf16; post_mul_mat: [token_count, OUT_FEATURES] bf16
    returns out [token_count, OUT_FEATURES] bf16. The linear layer's output (bias added in fp32)
    is rounded to bf16 before the sigmoid, as a bf16 nn.Linear returns it.
    """
    token_count = hidden_states.shape[0]
    assert hidden_states.shape == (token_count, HIDDEN_SIZE)
    assert weight.shape == (OUT_FEATURES, HIDDEN_SIZE) and bias.shape == (OUT_FEATURES,)
    assert post_mul_mat.shape == (token_count, OUT_FEATURES)
    gate = hidden_states.to(torch.float32) @ weight.to(torch.float32).T + bias.to(torch.float32)
    gate = gate.to(torch.bfloat16).to(torch.float32)
    return (torch.sigmoid(gate) * post_mul_mat.to(torch.float32)).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::linear_sigmoid_mul::torch_reference
