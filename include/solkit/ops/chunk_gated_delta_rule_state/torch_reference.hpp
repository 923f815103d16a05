// PyTorch `run` source for the chunk_gated_delta_rule_state definitions' "reference" field;
// solkit prepends the constants preamble (NUM_K_HEADS, NUM_V_HEADS, KEY_DIM, VALUE_DIM,
// CHUNK_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::chunk_gated_delta_rule_state::torch_reference {

// Rounding points as atrex-bench's reference and FLA's kernel: the state is rounded to bf16 where
// it is stored (h) and where it multiplies w; the gated v' is rounded to bf16 before k^T.v~;
// the running state stays fp32.
inline constexpr std::string_view chunk_state = R"py(@torch.no_grad()
def run(k, w, u, g, initial_state, initial_state_indices):
    """State pass of chunked gated delta net prefill (k-first fp32 state, fp32 math).

    k: [B, T, NUM_K_HEADS, KEY_DIM] bf16        w: [B, T, NUM_V_HEADS, KEY_DIM] bf16
    u: [B, T, NUM_V_HEADS, VALUE_DIM] bf16
    g: [B, T, NUM_V_HEADS] f32, log gates summed from the start of each chunk
    initial_state: [state_count, NUM_V_HEADS, KEY_DIM, VALUE_DIM] f32, a pool of states
    initial_state_indices: [B] int32, the pool row of each sequence (distinct rows)
    returns h [B, NT, NUM_V_HEADS, KEY_DIM, VALUE_DIM] bf16 (state before each chunk),
            v_new [B, T, NUM_V_HEADS, VALUE_DIM] bf16, final_state (the pool, used rows replaced).
    NT = ceil(T / CHUNK_SIZE); the last chunk may be partial. Per chunk, with g_last the gate of
    its last token:
        h[c] = bf16(S);  v' = u - w . bf16(S);  v_new = bf16(v')
        v~ = bf16(v' * exp(g_last - g_t)), the factor 0 where g_last - g_t > 0
        S = S * exp(g_last) + k^T . v~
    Value head h reads key head h // (NUM_V_HEADS // NUM_K_HEADS).
    """
    assert NUM_V_HEADS % NUM_K_HEADS == 0
    batch_size, token_count = k.shape[0], k.shape[1]
    assert initial_state.shape[1:] == (NUM_V_HEADS, KEY_DIM, VALUE_DIM)
    assert initial_state_indices.shape == (batch_size,)
    num_chunks = (token_count + CHUNK_SIZE - 1) // CHUNK_SIZE
    rows = initial_state_indices.to(torch.long)
    keys = k.repeat_interleave(NUM_V_HEADS // NUM_K_HEADS, dim=2).to(torch.float32)
    state = initial_state[rows].to(torch.float32)  # [B, NUM_V_HEADS, KEY_DIM, VALUE_DIM]
    h = torch.empty(batch_size, num_chunks, NUM_V_HEADS, KEY_DIM, VALUE_DIM,
                    dtype=torch.bfloat16, device=k.device)
    v_new = torch.empty(u.shape, dtype=torch.bfloat16, device=u.device)
    for c in range(num_chunks):
        first, last = c * CHUNK_SIZE, min((c + 1) * CHUNK_SIZE, token_count)
        stored = state.to(torch.bfloat16)
        h[:, c] = stored
        corrected = u[:, first:last].to(torch.float32) - torch.einsum(
            "btnk,bnkv->btnv", w[:, first:last].to(torch.float32), stored.to(torch.float32))
        v_new[:, first:last] = corrected.to(torch.bfloat16)
        gates = g[:, first:last].to(torch.float32)  # [B, L, NUM_V_HEADS]
        g_last = gates[:, -1]                        # [B, NUM_V_HEADS]
        lag = g_last[:, None, :] - gates
        factor = torch.where(lag <= 0, torch.exp(torch.clamp(lag, max=0.0)), 0.0)
        gated = (corrected * factor[..., None]).to(torch.bfloat16).to(torch.float32)
        state = state * torch.exp(g_last)[:, :, None, None] + torch.einsum(
            "btnk,btnv->bnkv", keys[:, first:last], gated)
    final_state = initial_state.to(torch.float32).clone()
    final_state[rows] = state
    return h, v_new, final_state
)py";

}  // namespace solkit::ops::chunk_gated_delta_rule_state::torch_reference
