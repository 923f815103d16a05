// PyTorch `run` sources for the gdn definitions' "reference" field; solkit prepends the constants preamble.
// A definition's reference is recurrence_common, then its run().
#pragma once

#include <string_view>

namespace solkit::ops::gdn::torch_reference {

// The recurrence shared by the three gdn definitions.
inline constexpr std::string_view recurrence_common = R"py(def _gates(A_log, a, dt_bias, b):
    """Decay g = exp(-exp(A_log) * softplus(a + dt_bias)) and update gate beta = sigmoid(b), in fp32."""
    softplus = torch.nn.functional.softplus(a.to(torch.float32) + dt_bias.to(torch.float32))
    g = torch.exp(-torch.exp(A_log.to(torch.float32)) * softplus)
    return g, torch.sigmoid(b.to(torch.float32))


def _to_v_heads(x):
    """Repeat q or k heads along dim -2 so that v head h reads head h // (NUM_V_HEADS // heads)."""
    return x.repeat_interleave(NUM_V_HEADS // x.shape[-2], dim=-2)


def _step(state, q, k, v, g, beta, scale):
    """One gated delta rule step for all v heads, in fp32.

    state: [NUM_V_HEADS, HEAD_SIZE (v), HEAD_SIZE (k)] (k-last); q, k, v: [NUM_V_HEADS, HEAD_SIZE];
    g, beta: [NUM_V_HEADS].
        S <- g * S                         (decay)
        S <- S + beta * (v - S k) k^T      (delta rule)
        o  = scale * S q
    Returns (o [NUM_V_HEADS, HEAD_SIZE], updated state).
    """
    state = state * g[:, None, None]
    error = v - torch.einsum("hvk,hk->hv", state, k)
    state = state + torch.einsum("hv,hk->hvk", beta[:, None] * error, k)
    return scale * torch.einsum("hvk,hk->hv", state, q), state


def _operands(q, k, v, A_log, a, dt_bias, b, scale):
    """The fp32 operands of every token and the output scale.

    Returns q and k repeated to the v heads (_to_v_heads), v, the gates g and beta (_gates),
    and scale, where None or 0 means 1 / sqrt(HEAD_SIZE).
    """
    assert NUM_V_HEADS % NUM_Q_HEADS == 0 and NUM_V_HEADS % NUM_K_HEADS == 0
    assert A_log.shape == (NUM_V_HEADS,) and dt_bias.shape == (NUM_V_HEADS,)
    scale = 1.0 / math.sqrt(HEAD_SIZE) if scale is None or float(scale) == 0.0 else float(scale)
    g, beta = _gates(A_log, a, dt_bias, b)
    q_v = _to_v_heads(q.to(torch.float32))
    k_v = _to_v_heads(k.to(torch.float32))
    return q_v, k_v, v.to(torch.float32), g, beta, scale


def _initial_states(state, state_shape, device):
    """A writable fp32 copy of state, or zeros when state is None."""
    if state is None:
        return torch.zeros(state_shape, dtype=torch.float32, device=device)
    return state.to(torch.float32).clone()


def _delta_rule(state, q, k, v, g, beta, scale, output, states=None):
    """Runs _step over the tokens of one sequence (dim 0 of q, k, v, g and beta) from state.

    Writes the output of token t to output[t] and, when states is given, the state after
    token t to states[t]. Returns the state after the last token.
    """
    for t in range(q.shape[0]):
        output[t], state = _step(state, q[t], k[t], v[t], g[t], beta[t], scale)
        if states is not None:
            states[t] = state
    return state
)py";

inline constexpr std::string_view prefill = R"py(@torch.no_grad()
def run(q, k, v, state, A_log, a, dt_bias, b, cu_seqlens, scale):
    """Gated Delta Net prefill over variable-length sequences (k-last state).

    q:          [total_seq_len, NUM_Q_HEADS, HEAD_SIZE] bf16
    k:          [total_seq_len, NUM_K_HEADS, HEAD_SIZE] bf16
    v:          [total_seq_len, NUM_V_HEADS, HEAD_SIZE] bf16
    state:      [num_seqs, NUM_V_HEADS, HEAD_SIZE (v), HEAD_SIZE (k)] f32, or None for zeros
    A_log:      [NUM_V_HEADS] f32
    a:          [total_seq_len, NUM_V_HEADS] bf16
    dt_bias:    [NUM_V_HEADS] f32
    b:          [total_seq_len, NUM_V_HEADS] bf16
    cu_seqlens: [num_seqs + 1] i64; sequence s is tokens cu_seqlens[s]:cu_seqlens[s + 1]
    scale:      output scale (number or 0-d tensor); None or 0 means 1 / sqrt(HEAD_SIZE)
    Each sequence runs the recurrence (_delta_rule) token by token from its own state.
    returns output [total_seq_len, NUM_V_HEADS, HEAD_SIZE] bf16 and
            new_state [num_seqs, NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE] f32, the state after the
            last token of each sequence (an empty sequence keeps its initial state).
    """
    total_seq_len = q.shape[0]
    num_seqs = cu_seqlens.shape[0] - 1
    assert q.shape[1:] == (NUM_Q_HEADS, HEAD_SIZE)
    assert k.shape == (total_seq_len, NUM_K_HEADS, HEAD_SIZE)
    assert v.shape == (total_seq_len, NUM_V_HEADS, HEAD_SIZE)
    assert a.shape == (total_seq_len, NUM_V_HEADS) and b.shape == a.shape
    assert total_seq_len == int(cu_seqlens[-1])
    state_shape = (num_seqs, NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE)
    assert state is None or state.shape == state_shape

    q, k, v, g, beta, scale = _operands(q, k, v, A_log, a, dt_bias, b, scale)
    output = torch.zeros(total_seq_len, NUM_V_HEADS, HEAD_SIZE, dtype=torch.float32, device=q.device)
    new_state = _initial_states(state, state_shape, q.device)
    for s in range(num_seqs):
        tokens = slice(int(cu_seqlens[s]), int(cu_seqlens[s + 1]))
        new_state[s] = _delta_rule(new_state[s], q[tokens], k[tokens], v[tokens], g[tokens], beta[tokens],
                                   scale, output[tokens])
    return output.to(torch.bfloat16), new_state
)py";

inline constexpr std::string_view decode = R"py(@torch.no_grad()
def run(q, k, v, state, A_log, a, dt_bias, b, scale):
    """Gated Delta Net decode: SEQ_LEN (= 1) new tokens per sequence (k-last state).

    q:       [batch_size, SEQ_LEN, NUM_Q_HEADS, HEAD_SIZE] bf16
    k:       [batch_size, SEQ_LEN, NUM_K_HEADS, HEAD_SIZE] bf16
    v:       [batch_size, SEQ_LEN, NUM_V_HEADS, HEAD_SIZE] bf16
    state:   [batch_size, NUM_V_HEADS, HEAD_SIZE (v), HEAD_SIZE (k)] f32, or None for zeros
    A_log:   [NUM_V_HEADS] f32
    a:       [batch_size, SEQ_LEN, NUM_V_HEADS] bf16
    dt_bias: [NUM_V_HEADS] f32
    b:       [batch_size, SEQ_LEN, NUM_V_HEADS] bf16
    scale:   output scale (number or 0-d tensor); None or 0 means 1 / sqrt(HEAD_SIZE)
    Each sequence advances its state with the recurrence (_delta_rule).
    returns output [batch_size, SEQ_LEN, NUM_V_HEADS, HEAD_SIZE] bf16 and
            new_state [batch_size, NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE] f32.
    """
    batch_size = q.shape[0]
    assert q.shape[1:] == (SEQ_LEN, NUM_Q_HEADS, HEAD_SIZE)
    assert k.shape == (batch_size, SEQ_LEN, NUM_K_HEADS, HEAD_SIZE)
    assert v.shape == (batch_size, SEQ_LEN, NUM_V_HEADS, HEAD_SIZE)
    assert a.shape == (batch_size, SEQ_LEN, NUM_V_HEADS) and b.shape == a.shape
    state_shape = (batch_size, NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE)
    assert state is None or state.shape == state_shape

    q, k, v, g, beta, scale = _operands(q, k, v, A_log, a, dt_bias, b, scale)
    output = torch.zeros(batch_size, SEQ_LEN, NUM_V_HEADS, HEAD_SIZE, dtype=torch.float32, device=q.device)
    new_state = _initial_states(state, state_shape, q.device)
    for i in range(batch_size):
        new_state[i] = _delta_rule(new_state[i], q[i], k[i], v[i], g[i], beta[i], scale, output[i])
    return output.to(torch.bfloat16), new_state
)py";

inline constexpr std::string_view mtp = R"py(@torch.no_grad()
def run(q, k, v, initial_state, initial_state_indices, A_log, a, dt_bias, b, scale,
        intermediate_states_buffer=None):
    """Gated Delta Net multi-token verification (MTP) over a state pool (k-last state).

    q:                     [batch_size, seq_len, NUM_Q_HEADS, HEAD_SIZE] bf16
    k:                     [batch_size, seq_len, NUM_K_HEADS, HEAD_SIZE] bf16
    v:                     [batch_size, seq_len, NUM_V_HEADS, HEAD_SIZE] bf16
    initial_state:         [pool_size, NUM_V_HEADS, HEAD_SIZE (v), HEAD_SIZE (k)] f32
    initial_state_indices: [batch_size] i32; sequence i starts from initial_state[initial_state_indices[i]]
    A_log:                 [NUM_V_HEADS] f32
    a:                     [batch_size, seq_len, NUM_V_HEADS] bf16
    dt_bias:               [NUM_V_HEADS] f32
    b:                     [batch_size, seq_len, NUM_V_HEADS] bf16
    scale:                 output scale (number or 0-d tensor); None or 0 means 1 / sqrt(HEAD_SIZE)
    intermediate_states_buffer: [pool_size, seq_len, NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE] f32 or None;
                           when given, the state after token t of sequence i is written into it in
                           place at [initial_state_indices[i], t], so a caller can roll back to any
                           accepted prefix.
    Each sequence runs the recurrence (_delta_rule) over its seq_len tokens.
    returns output [batch_size, seq_len, NUM_V_HEADS, HEAD_SIZE] bf16 and
            final_state [pool_size, NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE] f32, which is the pool
            unchanged (a copy of initial_state): verification does not commit the drafted tokens.
    """
    batch_size, seq_len = q.shape[:2]
    pool_size = initial_state.shape[0]
    assert q.shape[2:] == (NUM_Q_HEADS, HEAD_SIZE)
    assert k.shape == (batch_size, seq_len, NUM_K_HEADS, HEAD_SIZE)
    assert v.shape == (batch_size, seq_len, NUM_V_HEADS, HEAD_SIZE)
    assert initial_state.shape[1:] == (NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE)
    assert initial_state_indices.shape == (batch_size,)
    assert a.shape == (batch_size, seq_len, NUM_V_HEADS) and b.shape == a.shape
    assert intermediate_states_buffer is None or intermediate_states_buffer.shape == (
        pool_size, seq_len, NUM_V_HEADS, HEAD_SIZE, HEAD_SIZE)

    q, k, v, g, beta, scale = _operands(q, k, v, A_log, a, dt_bias, b, scale)
    output = torch.zeros(batch_size, seq_len, NUM_V_HEADS, HEAD_SIZE, dtype=torch.float32, device=q.device)
    for i in range(batch_size):
        slot = int(initial_state_indices[i])
        states = None if intermediate_states_buffer is None else intermediate_states_buffer[slot]
        _delta_rule(initial_state[slot].to(torch.float32), q[i], k[i], v[i], g[i], beta[i], scale, output[i],
                    states)
    return output.to(torch.bfloat16), initial_state.to(torch.float32).clone()
)py";

}  // namespace solkit::ops::gdn::torch_reference
