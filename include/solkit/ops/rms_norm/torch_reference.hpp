// PyTorch `run` source for the rms_norm definitions' "reference" field; solkit prepends the
// constants preamble (HIDDEN_SIZE, `import math`, `import torch`).
#pragma once

#include <string_view>

namespace solkit::ops::rms_norm::torch_reference {

inline constexpr std::string_view run = R"py(@torch.no_grad()
def run(x, weight):
    """atrex rms_norm: out = x / sqrt(mean(x^2) + 1e-6) * weight, fp32 math, one bf16 rounding.

    x: [token_count, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns out [token_count, HIDDEN_SIZE] bf16
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    assert weight.shape == (HIDDEN_SIZE,)
    x_f = x.to(torch.float32)
    inv_rms = torch.rsqrt(x_f.square().mean(dim=-1, keepdim=True) + 1e-6)
    return (x_f * inv_rms * weight.to(torch.float32)).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::rms_norm::torch_reference
