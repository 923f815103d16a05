// PyTorch `run` source for the fused_add_rms_norm definitions' "reference" field; solkit
// prepends the constants preamble (HIDDEN_SIZE, `import math`, `import torch`).
#pragma once

#include <string_view>

namespace solkit::ops::fused_add_rms_norm::torch_reference {

// The sum is rounded to bf16 before the norm reads it: that rounded sum is the new residual
// stream the next layer sees, and the norm must be of the same values.
inline constexpr std::string_view run = R"py(@torch.no_grad()
def run(x, residual, weight):
    """atrex fused_add_rms_norm: residual_out = bf16(x + residual);
    out = residual_out / sqrt(mean(residual_out^2) + 1e-6) * weight (fp32 math, bf16 out).

    x, residual: [token_count, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns (out, residual_out), both [token_count, HIDDEN_SIZE] bf16
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    assert residual.shape == x.shape
    assert weight.shape == (HIDDEN_SIZE,)
    residual_out = (x.to(torch.float32) + residual.to(torch.float32)).to(torch.bfloat16)
    r = residual_out.to(torch.float32)
    inv_rms = torch.rsqrt(r.square().mean(dim=-1, keepdim=True) + 1e-6)
    out = (r * inv_rms * weight.to(torch.float32)).to(torch.bfloat16)
    return out, residual_out
)py";

}  // namespace solkit::ops::fused_add_rms_norm::torch_reference
