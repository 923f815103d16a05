// PyTorch `run` source for the l2_norm definitions' "reference" field; solkit prepends the
// constants preamble (HIDDEN_SIZE, `import math`, `import torch`).
#pragma once

#include <string_view>

namespace solkit::ops::l2_norm::torch_reference {

inline constexpr std::string_view run = R"py(@torch.no_grad()
def run(x):
    """atrex l2_norm: out = x / sqrt(sum(x^2) + 1e-6) per row, fp32 math, one bf16 rounding.

    x: [num_tokens, HIDDEN_SIZE] bf16
    returns out [num_tokens, HIDDEN_SIZE] bf16
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    x_f = x.to(torch.float32)
    inv_norm = torch.rsqrt(x_f.square().sum(dim=-1, keepdim=True) + 1e-6)
    return (x_f * inv_norm).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::l2_norm::torch_reference
