// PyTorch `run` sources for the rmsnorm definitions' "reference" field; solkit prepends the constants preamble.
#pragma once

#include <string_view>

namespace solkit::ops::rmsnorm::torch_reference {

inline constexpr std::string_view rmsnorm = R"py(@torch.no_grad()
def run(hidden_states, weight):
    """RMSNorm with eps = 1e-5, computed in fp32.

    hidden_states: [batch_size, HIDDEN_SIZE] bf16
    weight:        [HIDDEN_SIZE] bf16
    returns output [batch_size, HIDDEN_SIZE] bf16 = x / sqrt(mean(x^2) + eps) * weight
    """
    assert hidden_states.dim() == 2 and hidden_states.shape[1] == HIDDEN_SIZE
    assert weight.shape == (HIDDEN_SIZE,)
    x = hidden_states.to(torch.float32)
    inv_rms = torch.rsqrt(x.square().mean(dim=-1, keepdim=True) + 1e-5)
    return (x * inv_rms * weight.to(torch.float32)).to(torch.bfloat16)
)py";

inline constexpr std::string_view fused_add_rmsnorm = R"py(@torch.no_grad()
def run(hidden_states, residual, weight):
    """RMSNorm (eps = 1e-5) of hidden_states + residual, all in fp32.

    hidden_states, residual: [batch_size, HIDDEN_SIZE] bf16
    weight:                  [HIDDEN_SIZE] bf16
    returns output [batch_size, HIDDEN_SIZE] bf16 = rmsnorm(hidden_states + residual) * weight
    """
    assert hidden_states.dim() == 2 and hidden_states.shape[1] == HIDDEN_SIZE
    assert residual.shape == hidden_states.shape
    assert weight.shape == (HIDDEN_SIZE,)
    x = hidden_states.to(torch.float32) + residual.to(torch.float32)
    inv_rms = torch.rsqrt(x.square().mean(dim=-1, keepdim=True) + 1e-5)
    return (x * inv_rms * weight.to(torch.float32)).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::rmsnorm::torch_reference
