// PyTorch `run` source for the layer_norm definitions' "reference" field; solkit prepends the
// constants preamble (HIDDEN_SIZE, `import math`, `import torch`).
#pragma once

#include <string_view>

namespace solkit::ops::layer_norm::torch_reference {

// The variance is of the centred values (biased, divided by HIDDEN_SIZE): the one-pass form
// E[x^2] - mean^2 loses precision when the mean is large against the spread.
inline constexpr std::string_view run = R"py(@torch.no_grad()
def run(x, weight, bias):
    """atrex layer_norm: out = (x - mean) / sqrt(var + 1e-5) * weight + bias per row,
    biased variance, fp32 math, one bf16 rounding.

    x: [num_rows, HIDDEN_SIZE] bf16; weight, bias: [HIDDEN_SIZE] bf16
    returns out [num_rows, HIDDEN_SIZE] bf16
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    assert weight.shape == (HIDDEN_SIZE,) and bias.shape == (HIDDEN_SIZE,)
    x_f = x.to(torch.float32)
    centred = x_f - x_f.mean(dim=-1, keepdim=True)
    inv_std = torch.rsqrt(centred.square().mean(dim=-1, keepdim=True) + 1e-5)
    out = centred * inv_std * weight.to(torch.float32) + bias.to(torch.float32)
    return out.to(torch.bfloat16)
)py";

}  // namespace solkit::ops::layer_norm::torch_reference
