// PyTorch `run` source for the silu_and_mul definitions' "reference" field; solkit prepends the
// constants preamble (INTERMEDIATE_SIZE, GATE_UP_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::silu_and_mul::torch_reference {

inline constexpr std::string_view silu_and_mul = R"py(@torch.no_grad()
def run(x):
    """out = silu(gate) * up with gate, up the two halves of each row (fp32 math).

    x: [token_count, GATE_UP_SIZE] bf16; gate = x[:, :INTERMEDIATE_SIZE], up = the rest
    returns out [token_count, INTERMEDIATE_SIZE] bf16. silu(g) = g * sigmoid(g) is rounded to
    bf16 before it multiplies up (atrex-bench and vLLM round there too).
    """
    assert GATE_UP_SIZE == 2 * INTERMEDIATE_SIZE
    assert x.dim() == 2 and x.shape[1] == GATE_UP_SIZE
    gate = x[:, :INTERMEDIATE_SIZE].to(torch.float32)
    up = x[:, INTERMEDIATE_SIZE:].to(torch.float32)
    activation = (gate * torch.sigmoid(gate)).to(torch.bfloat16).to(torch.float32)
    return (activation * up).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::silu_and_mul::torch_reference
