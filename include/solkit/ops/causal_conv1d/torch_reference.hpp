// PyTorch `run` source for the causal_conv1d definitions' "reference" field; solkit prepends the
// constants preamble (NUM_SEQUENCES, DIM, WIDTH, STATE_LEN).
#pragma once

#include <string_view>

namespace solkit::ops::causal_conv1d::torch_reference {

// Rounding points as atrex-bench's reference (F.conv1d on bf16 tensors, then F.silu): the
// convolution with its bias is rounded to bf16, silu is computed in fp32 and rounded again.
inline constexpr std::string_view causal_conv1d_silu = R"py(@torch.no_grad()
def run(x, weight, bias, initial_state):
    """Causal depthwise conv1d over one channel-major sequence, then silu (fp32 math).

    x: [DIM, T] bf16; weight: [DIM, WIDTH] bf16; bias: [DIM] bf16;
    initial_state: [NUM_SEQUENCES (1), DIM, STATE_LEN (WIDTH - 1)] bf16, oldest sample first
    returns out [DIM, T] bf16:
        xs = initial_state[0] ++ x along time                   [DIM, STATE_LEN + T]
        y[c, t] = bf16(bias[c] + sum_j weight[c, j] * xs[c, t + j])
        out = bf16(silu(y))
    """
    assert NUM_SEQUENCES == 1 and STATE_LEN == WIDTH - 1
    assert x.dim() == 2 and x.shape[0] == DIM
    assert weight.shape == (DIM, WIDTH) and initial_state.shape == (1, DIM, STATE_LEN)
    token_count = x.shape[1]
    history = torch.cat([initial_state[0], x], dim=1).to(torch.float32)  # [DIM, STATE_LEN + T]
    taps = weight.to(torch.float32)
    y = bias.to(torch.float32)[:, None].expand(DIM, token_count).clone()
    for j in range(WIDTH):
        y = y + taps[:, j:j + 1] * history[:, j:j + token_count]
    y = y.to(torch.bfloat16).to(torch.float32)
    return (y * torch.sigmoid(y)).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::causal_conv1d::torch_reference
