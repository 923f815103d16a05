// PyTorch `run` sources for the mamba_ssu definitions' "reference" field; solkit prepends the constants preamble.
#pragma once

#include <string_view>

namespace solkit::ops::mamba_ssu::torch_reference {

inline constexpr std::string_view decode = R"py(@torch.no_grad()
def run(state, x, dt, A, B, C, D, dt_bias, state_batch_indices):
    """Mamba2 selective state update: one decode step per sequence, on a slot-indexed state cache.

    state:               [state_cache_size, NHEADS, HEAD_DIM, DSTATE] bf16
    x, dt:               [batch_size, NHEADS, HEAD_DIM] bf16 (dt before bias and softplus)
    A:                   [NHEADS, HEAD_DIM, DSTATE] f32
    B, C:                [batch_size, NGROUPS, DSTATE] bf16; head h uses group h // (NHEADS // NGROUPS)
    D, dt_bias:          [NHEADS, HEAD_DIM] bf16
    state_batch_indices: [batch_size] i32; sequence i owns slot state_batch_indices[i];
                         a negative slot is padding: no state update and output 0
    For sequence i with slot s, head h, group g, channel p, state index n (fp32):
        delta      = softplus(dt[i, h, p] + dt_bias[h, p])
        S[h, p, n] = state[s, h, p, n] * exp(delta * A[h, p, n]) + delta * x[i, h, p] * B[i, g, n]
        output[i, h, p] = sum_n S[h, p, n] * C[i, g, n] + D[h, p] * x[i, h, p]
    Sequences are applied in batch order.
    returns output [batch_size, NHEADS, HEAD_DIM] bf16 and
            new_state [state_cache_size, NHEADS, HEAD_DIM, DSTATE] bf16: a copy of state whose
            used slots hold S (rounded to bf16; the output uses S in fp32).
    """
    batch_size = x.shape[0]
    assert state.shape[1:] == (NHEADS, HEAD_DIM, DSTATE)
    assert x.shape[1:] == (NHEADS, HEAD_DIM) and dt.shape == x.shape
    assert A.shape == (NHEADS, HEAD_DIM, DSTATE)
    assert B.shape == (batch_size, NGROUPS, DSTATE) and C.shape == B.shape
    assert D.shape == (NHEADS, HEAD_DIM) and dt_bias.shape == D.shape
    assert state_batch_indices.shape == (batch_size,)
    assert NHEADS % NGROUPS == 0

    heads_per_group = NHEADS // NGROUPS
    x = x.to(torch.float32)
    delta = torch.nn.functional.softplus(dt.to(torch.float32) + dt_bias.to(torch.float32))
    decay = torch.exp(delta[..., None] * A.to(torch.float32))
    B_h = B.to(torch.float32).repeat_interleave(heads_per_group, dim=1)
    C_h = C.to(torch.float32).repeat_interleave(heads_per_group, dim=1)
    new_state = state.clone()
    output = torch.zeros(batch_size, NHEADS, HEAD_DIM, dtype=torch.float32, device=x.device)
    for i in range(batch_size):
        slot = int(state_batch_indices[i])
        if slot < 0:
            continue
        S = new_state[slot].to(torch.float32) * decay[i] + (delta[i] * x[i])[..., None] * B_h[i][:, None, :]
        new_state[slot] = S.to(state.dtype)
        output[i] = (S * C_h[i][:, None, :]).sum(dim=-1) + D.to(torch.float32) * x[i]
    return output.to(torch.bfloat16), new_state
)py";

}  // namespace solkit::ops::mamba_ssu::torch_reference
