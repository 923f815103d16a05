// PyTorch `run` source for the gated_rms_norm definitions' "reference" field; solkit prepends
// the constants preamble (HIDDEN_SIZE, `import math`, `import torch`).
#pragma once

#include <string_view>

namespace solkit::ops::gated_rms_norm::torch_reference {

inline constexpr std::string_view run = R"py(@torch.no_grad()
def run(x, weight, z):
    """atrex gated_rms_norm, norm before the gate:
    out = x / sqrt(mean(x^2) + 1e-6) * weight * z * sigmoid(z) (fp32 math, one bf16 rounding).

    x, z: [rows, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns out [rows, HIDDEN_SIZE] bf16
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    assert z.shape == x.shape
    assert weight.shape == (HIDDEN_SIZE,)
    x_f = x.to(torch.float32)
    z_f = z.to(torch.float32)
    inv_rms = torch.rsqrt(x_f.square().mean(dim=-1, keepdim=True) + 1e-6)
    gate = z_f * torch.sigmoid(z_f)
    return (x_f * inv_rms * weight.to(torch.float32) * gate).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::gated_rms_norm::torch_reference
