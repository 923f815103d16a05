// PyTorch `run` source for the chunk_delta_rule_output definitions' "reference" field; solkit
// prepends the constants preamble (NUM_Q_HEADS, NUM_V_HEADS, KEY_DIM, VALUE_DIM, CHUNK_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::chunk_delta_rule_output::torch_reference {

// Rounding points as atrex-bench's reference and FLA's kernel: the gated scores A are rounded to
// bf16 before they multiply v; everything else stays fp32 until o; scale applies to both terms.
inline constexpr std::string_view chunk_output = R"py(@torch.no_grad()
def run(q, k, v, h, g):
    """Output pass of chunked gated delta net prefill (fp32 math).

    q, k: [B, T, NUM_Q_HEADS, KEY_DIM] bf16     v: [B, T, NUM_V_HEADS, VALUE_DIM] bf16
    h: [B, NT, NUM_V_HEADS, KEY_DIM, VALUE_DIM] bf16, the k-first state before each chunk
    g: [B, T, NUM_V_HEADS] f32, log gates summed from the start of each chunk
    returns o [B, T, NUM_V_HEADS, VALUE_DIM] bf16. NT = ceil(T / CHUNK_SIZE), the last chunk
    may be partial. For token i of a chunk, with j over the chunk's tokens up to i (included):
        A_ij = (q_i . k_j) * exp(g_i - g_j), the factor 0 where g_i - g_j > 0
        o_i  = (exp(g_i) q_i . h[c] + sum_j bf16(A_ij) v_j) / sqrt(KEY_DIM)
    Value head h reads query/key head h // (NUM_V_HEADS // NUM_Q_HEADS).
    """
    assert NUM_V_HEADS % NUM_Q_HEADS == 0
    batch_size, token_count = q.shape[0], q.shape[1]
    num_chunks = (token_count + CHUNK_SIZE - 1) // CHUNK_SIZE
    assert h.shape == (batch_size, num_chunks, NUM_V_HEADS, KEY_DIM, VALUE_DIM)
    scale = KEY_DIM ** -0.5
    group = NUM_V_HEADS // NUM_Q_HEADS
    queries = q.repeat_interleave(group, dim=2).to(torch.float32)  # [B, T, NUM_V_HEADS, KEY_DIM]
    keys = k.repeat_interleave(group, dim=2).to(torch.float32)
    o = torch.empty(v.shape, dtype=torch.bfloat16, device=v.device)
    for c in range(num_chunks):
        first, last = c * CHUNK_SIZE, min((c + 1) * CHUNK_SIZE, token_count)
        q_c, k_c = queries[:, first:last], keys[:, first:last]
        gates = g[:, first:last].to(torch.float32)  # [B, L, NUM_V_HEADS]
        from_state = torch.einsum("binc,bncv->binv", q_c, h[:, c].to(torch.float32))
        from_state = from_state * torch.exp(gates)[..., None]
        lag = gates[:, :, None, :] - gates[:, None, :, :]  # [B, i, j, NUM_V_HEADS]
        length = last - first
        causal = torch.ones(length, length, dtype=torch.bool, device=q.device).tril()
        keep = (lag <= 0) & causal[None, :, :, None]
        factor = torch.where(keep, torch.exp(torch.clamp(lag, max=0.0)), 0.0)
        scores = torch.einsum("binc,bjnc->bijn", q_c, k_c) * factor
        scores = scores.to(torch.bfloat16).to(torch.float32)
        in_chunk = torch.einsum("bijn,bjnv->binv", scores, v[:, first:last].to(torch.float32))
        o[:, first:last] = ((from_state + in_chunk) * scale).to(torch.bfloat16)
    return o
)py";

}  // namespace solkit::ops::chunk_delta_rule_output::torch_reference
