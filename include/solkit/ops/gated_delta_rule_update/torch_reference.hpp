// PyTorch `run` source for the gated_delta_rule_update definitions' "reference" field; solkit
// prepends the constants preamble (NUM_Q_HEADS, NUM_K_HEADS, NUM_V_HEADS, KEY_DIM, VALUE_DIM).
#pragma once

#include <string_view>

namespace solkit::ops::gated_delta_rule_update::torch_reference {

// softplus beta 1 / threshold 20, L2 eps 1e-6 and the k-first state are fixed by the definition.
inline constexpr std::string_view update = R"py(@torch.no_grad()
def run(A_log, a, dt_bias, q, k, v, b, initial_state, initial_state_indices, scale):
    """Gated delta rule over T tokens per sequence, state in a k-first fp32 pool (fp32 math).

    A_log:                 [NUM_V_HEADS] f32
    a:                     [batch_size, token_count, NUM_V_HEADS] bf16
    dt_bias:               [NUM_V_HEADS] bf16
    q:                     [batch_size, token_count, NUM_Q_HEADS, KEY_DIM] bf16
    k:                     [batch_size, token_count, NUM_K_HEADS, KEY_DIM] bf16
    v:                     [batch_size, token_count, NUM_V_HEADS, VALUE_DIM] bf16
    b:                     [batch_size, token_count, NUM_V_HEADS] bf16
    initial_state:         [state_count, NUM_V_HEADS, KEY_DIM, VALUE_DIM] f32 (k-first)
    initial_state_indices: [batch_size] i32, distinct; sequence i starts from that pool row
    scale:                 output scale (number or 0-d tensor); None or 0 means 1 / sqrt(KEY_DIM)
    Per token t of sequence i and value head h (q/k head h // (NUM_V_HEADS // NUM_Q_HEADS)):
        g = exp(-exp(A_log) * softplus(a + dt_bias))   softplus(x) = x above 20
        beta = sigmoid(b);  q, k <- x / max(|x|_2, 1e-6)
        S <- g * S;  u = beta * (v - S^T k);  S <- S + k u^T;  out = scale * S^T q (updated S)
    returns out [batch_size, token_count, NUM_V_HEADS, VALUE_DIM] bf16 and
            final_state [state_count, NUM_V_HEADS, KEY_DIM, VALUE_DIM] f32: a copy of the pool
            whose rows initial_state_indices hold the states after each sequence's last token.
    """
    batch_size, token_count = q.shape[:2]
    assert NUM_K_HEADS == NUM_Q_HEADS and NUM_V_HEADS % NUM_Q_HEADS == 0
    assert q.shape[2:] == (NUM_Q_HEADS, KEY_DIM) and k.shape == q.shape
    assert v.shape == (batch_size, token_count, NUM_V_HEADS, VALUE_DIM)
    assert a.shape == (batch_size, token_count, NUM_V_HEADS) and b.shape == a.shape
    assert A_log.shape == (NUM_V_HEADS,) and dt_bias.shape == (NUM_V_HEADS,)
    assert initial_state.shape[1:] == (NUM_V_HEADS, KEY_DIM, VALUE_DIM)
    slots = [int(s) for s in initial_state_indices.tolist()]
    assert len(slots) == batch_size and len(set(slots)) == batch_size, "indices must be distinct"
    assert all(0 <= s < initial_state.shape[0] for s in slots)
    scale = 1.0 / math.sqrt(KEY_DIM) if scale is None or float(scale) == 0.0 else float(scale)

    decay_rate = torch.exp(A_log.to(torch.float32))
    dt = torch.nn.functional.softplus(a.to(torch.float32) + dt_bias.to(torch.float32),
                                      beta=1.0, threshold=20.0)
    g = torch.exp(-decay_rate * dt)                       # [batch_size, token_count, NUM_V_HEADS]
    beta = torch.sigmoid(b.to(torch.float32))

    def unit_rows(x):  # L2-normalise the last dim, then give every value head its q/k head
        x = x.to(torch.float32)
        x = x / torch.linalg.vector_norm(x, dim=-1, keepdim=True).clamp_min(1e-6)
        return x.repeat_interleave(NUM_V_HEADS // NUM_Q_HEADS, dim=2)

    q_hat, k_hat, v_f = unit_rows(q), unit_rows(k), v.to(torch.float32)
    out = torch.empty(batch_size, token_count, NUM_V_HEADS, VALUE_DIM, dtype=torch.float32, device=q.device)
    final_state = initial_state.to(torch.float32).clone()
    for i, slot in enumerate(slots):
        S = final_state[slot].clone()                     # [NUM_V_HEADS, KEY_DIM, VALUE_DIM]
        for t in range(token_count):
            S = S * g[i, t, :, None, None]
            predicted = torch.einsum("hkv,hk->hv", S, k_hat[i, t])
            update = beta[i, t, :, None] * (v_f[i, t] - predicted)
            S = S + k_hat[i, t, :, :, None] * update[:, None, :]
            out[i, t] = scale * torch.einsum("hkv,hk->hv", S, q_hat[i, t])
        final_state[slot] = S
    return out.to(torch.bfloat16), final_state
)py";

}  // namespace solkit::ops::gated_delta_rule_update::torch_reference
