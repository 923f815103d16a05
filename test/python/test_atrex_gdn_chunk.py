"""Checks the PyTorch references of solkit's atrex-bench chunked gated-delta-net and conv definitions.

chunk_gated_delta_rule_state, chunk_delta_rule_output and causal_conv1d: each source is read from
the raw strings of include/solkit/ops/<op>/torch_reference.hpp, exec()'d after a preamble like
solkit's with small constants, run on random CPU inputs (never zeros) and compared with
independent float64 computations: explicit per-token loops for each chunked pass, the two passes
chained against the token-by-token gated delta rule, and an explicit loop (and F.conv1d) for the
convolution.

usage: test_atrex_gdn_chunk.py INCLUDE_DIR
"""
import math
import sys

import torch
import torch.nn.functional as F

from reference_harness import RESULTS, check, load, params

BF16 = torch.bfloat16


def close(actual, expected, atol, rtol, label=""):
    actual, expected = actual.to(torch.float64), expected.to(torch.float64)
    assert actual.shape == expected.shape, f"{label} shape {tuple(actual.shape)} vs {tuple(expected.shape)}"
    assert not torch.isnan(actual).any(), f"{label} has NaN"
    err = (actual - expected).abs()
    bad = err > atol + rtol * expected.abs()
    assert not bad.any(), f"{label} max err {err.max().item():.3g} (atol {atol}, rtol {rtol})"


def differs(a, b, label, at_least):
    gap = (a.to(torch.float64) - b.to(torch.float64)).abs().max().item()
    assert gap > at_least, f"{label} not distinguished (max gap {gap:.3g})"


def randn(*shape, scale=1.0, dtype=BF16):
    """Random values, none of them zero."""
    x = torch.randn(*shape, dtype=torch.float64)
    x = torch.where(x.abs() < 1e-3, torch.full_like(x, 1e-3), x)
    return (x * scale).to(dtype)


def bf16(x):
    return x.to(BF16).to(torch.float64)


def gdn_consts(heads_name, heads, hv, k, v, c):
    return {heads_name: heads, "NUM_V_HEADS": hv, "KEY_DIM": k, "VALUE_DIM": v, "CHUNK_SIZE": c}


# ----------------------------------------------------------------------------- state pass, loops
def state_pass_loops(k, w, u, g, pool, rows, chunk, mask=True, head_of=None):
    """Float64 loops over sequences, value heads, chunks and tokens, with bf16 rounding of the
    stored state, of v' * factor; head_of(n) is the key head of value head n."""
    batch, tokens, hk, kd = k.shape
    hv, vd = u.shape[2], u.shape[3]
    head_of = head_of or (lambda n: n // (hv // hk))
    chunks = math.ceil(tokens / chunk)
    h = torch.zeros(batch, chunks, hv, kd, vd, dtype=torch.float64)
    v_new = torch.zeros(batch, tokens, hv, vd, dtype=torch.float64)
    final = pool.to(torch.float64).clone()
    for b in range(batch):
        for n in range(hv):
            state = pool[rows[b], n].to(torch.float64)
            for c in range(chunks):
                first, last = c * chunk, min((c + 1) * chunk, tokens)
                stored = bf16(state)
                h[b, c, n] = stored
                g_last = float(g[b, last - 1, n])
                update = torch.zeros(kd, vd, dtype=torch.float64)
                for t in range(first, last):
                    corrected = u[b, t, n].double() - stored.T @ w[b, t, n].double()
                    v_new[b, t, n] = corrected
                    lag = g_last - float(g[b, t, n])
                    factor = math.exp(lag) if (lag <= 0 or not mask) else 0.0
                    update += torch.outer(k[b, t, head_of(n)].double(), bf16(corrected * factor))
                state = state * math.exp(g_last) + update
            final[rows[b], n] = state
    return h, v_new, final


@check("chunk_gated_delta_rule_state", "vs float64 per-token loops; pool rows, partial chunk, gate mask, head map")
def _():
    HK, HV, K, V, C, B, T, POOL = 2, 4, 32, 16, 16, 2, 2 * 16 + 5, 5
    run = load("chunk_gated_delta_rule_state__chunk_state", gdn_consts("NUM_K_HEADS", HK, HV, K, V, C))
    assert params(run) == ["k", "w", "u", "g", "initial_state", "initial_state_indices"]
    torch.manual_seed(11)
    k, w, u = randn(B, T, HK, K, scale=0.3), randn(B, T, HV, K, scale=0.3), randn(B, T, HV, V)
    g = -torch.rand(B, T, HV, dtype=torch.float32) * 2 - 0.01  # not cumulative: lags of both signs
    pool = randn(POOL, HV, K, V, scale=0.5, dtype=torch.float32)
    rows = torch.tensor([3, 1], dtype=torch.int32)
    h, v_new, final = run(k, w, u, g, pool, rows)
    assert h.dtype == BF16 and h.shape == (B, 3, HV, K, V)
    assert v_new.dtype == BF16 and v_new.shape == (B, T, HV, V)
    assert final.dtype == torch.float32 and final.shape == (POOL, HV, K, V)
    for r in (0, 2, 4):
        assert torch.equal(final[r], pool[r]), f"pool row {r} is not a sequence's and must not change"
    assert torch.equal(h[:, 0], pool[rows.long()].to(BF16)), "h[0] is the initial state in bf16"
    h64, v64, final64 = state_pass_loops(k, w, u, g, pool, rows.tolist(), C)
    close(h, h64, atol=1e-3, rtol=2 ** -7, label="h")
    close(v_new, v64, atol=1e-3, rtol=2 ** -7, label="v_new")
    close(final, final64, atol=2e-3, rtol=1e-2, label="final_state")
    scale = final64.abs().max().item()
    _, _, unmasked = state_pass_loops(k, w, u, g, pool, rows.tolist(), C, mask=False)
    differs(final, unmasked, "positive-lag mask", 0.05 * scale)
    _, _, modulo = state_pass_loops(k, w, u, g, pool, rows.tolist(), C, head_of=lambda n: n % HK)
    differs(final, modulo, "key head h // (Hv / Hk)", 0.05 * scale)


# ----------------------------------------------------------------------------- output pass, loops
def output_loops(q, k, v, h, g, chunk, mask=True, diagonal=True):
    """Float64 loops over tokens: exp(g_i) q_i.h[c] + sum_j bf16(A_ij) v_j, scaled by K^-1/2."""
    batch, tokens, hq, kd = q.shape
    hv, vd = v.shape[2], v.shape[3]
    group = hv // hq
    o = torch.zeros(batch, tokens, hv, vd, dtype=torch.float64)
    for b in range(batch):
        for n in range(hv):
            for i in range(tokens):
                c = i // chunk
                qi = q[b, i, n // group].double()
                gi = float(g[b, i, n])
                total = math.exp(gi) * (qi @ h[b, c, n].double())
                for j in range(c * chunk, i + 1 if diagonal else i):
                    lag = gi - float(g[b, j, n])
                    factor = math.exp(lag) if (lag <= 0 or not mask) else 0.0
                    score = bf16(torch.tensor(float(qi @ k[b, j, n // group].double()) * factor))
                    total = total + score * v[b, j, n].double()
                o[b, i, n] = total / math.sqrt(kd)
    return o


@check("chunk_delta_rule_output", "vs float64 per-token loops; causal within chunk incl. diagonal, gate mask, chunk-local h")
def _():
    HQ, HV, K, V, C, B, T = 2, 4, 32, 16, 16, 2, 2 * 16 + 7
    run = load("chunk_delta_rule_output__chunk_output", gdn_consts("NUM_Q_HEADS", HQ, HV, K, V, C))
    assert params(run) == ["q", "k", "v", "h", "g"]
    torch.manual_seed(12)
    q, k, v = randn(B, T, HQ, K), randn(B, T, HQ, K), randn(B, T, HV, V)
    h = randn(B, 3, HV, K, V, scale=0.5)
    g = -torch.rand(B, T, HV, dtype=torch.float32) * 2 - 0.01
    o = run(q, k, v, h, g)
    assert o.dtype == BF16 and o.shape == (B, T, HV, V)
    expect = output_loops(q, k, v, h, g, C)
    scale = expect.abs().max().item()
    close(o, expect, atol=1e-3 * scale, rtol=2 ** -7, label="o")
    differs(o, output_loops(q, k, v, h, g, C, mask=False), "positive-lag mask", 0.05 * scale)
    differs(o, output_loops(q, k, v, h, g, C, diagonal=False), "diagonal term", 0.05 * scale)
    k2, v2 = k.clone(), v.clone()
    k2[:, T - 1], v2[:, T - 1] = randn(B, HQ, K), randn(B, HV, V)
    o2 = run(q, k2, v2, h, g)
    assert torch.equal(o2[:, :T - 1], o[:, :T - 1]), "a later token changed an earlier output"
    h2 = h.clone()
    h2[:, 1] = randn(B, HV, K, V)
    o3 = run(q, k, v, h2, g)
    assert torch.equal(o3[:, :C], o[:, :C]) and torch.equal(o3[:, 2 * C:], o[:, 2 * C:]), "h[1] is chunk 1's"
    differs(o3[:, C:2 * C], o[:, C:2 * C], "h[1] feeds chunk 1", 0.01 * scale)


# ----------------------------------------------------------------------------- both passes vs the recurrence
def wy_inputs(k, v, beta, G, chunk):
    """Float64 w, u of each chunk (FLA's WY form): T = (I + M)^-1 with M_ij = beta_i k_i.k_j
    exp(G_i - G_j) for j < i; u = T (beta v), w = T (beta exp(G) k)."""
    batch, tokens, heads, kd = k.shape
    w = torch.zeros(batch, tokens, heads, kd, dtype=torch.float64)
    u = torch.zeros(batch, tokens, heads, v.shape[3], dtype=torch.float64)
    for b in range(batch):
        for n in range(heads):
            for first in range(0, tokens, chunk):
                last = min(first + chunk, tokens)
                kc, vc = k[b, first:last, n].double(), v[b, first:last, n].double()
                bc, gc = beta[b, first:last, n], G[b, first:last, n].double()
                m = (bc[:, None] * (kc @ kc.T) * torch.exp(gc[:, None] - gc[None, :])).tril(-1)
                inverse = torch.linalg.inv(torch.eye(last - first, dtype=torch.float64) + m)
                u[b, first:last, n] = inverse @ (bc[:, None] * vc)
                w[b, first:last, n] = inverse @ (bc[:, None] * torch.exp(gc)[:, None] * kc)
    return w, u


@check("chunked gdn = recurrence", "state pass then output pass (WY inputs from float64) vs float64 token-by-token gated delta rule")
def _():
    H, K, V, C, B, T = 3, 32, 16, 16, 2, 3 * 16 + 9
    state_pass = load("chunk_gated_delta_rule_state__chunk_state", gdn_consts("NUM_K_HEADS", H, H, K, V, C))
    output_pass = load("chunk_delta_rule_output__chunk_output", gdn_consts("NUM_Q_HEADS", H, H, K, V, C))
    torch.manual_seed(13)
    q = F.normalize(randn(B, T, H, K, dtype=torch.float64), dim=-1).to(BF16)
    k = F.normalize(randn(B, T, H, K, dtype=torch.float64), dim=-1).to(BF16)
    v = randn(B, T, H, V)
    beta = torch.sigmoid(randn(B, T, H, dtype=torch.float64))
    log_gate = -(0.02 + 0.3 * torch.rand(B, T, H, dtype=torch.float64))
    G = torch.cat([log_gate[:, s:s + C].cumsum(dim=1) for s in range(0, T, C)], dim=1).float()
    pool = randn(3, H, K, V, scale=0.3, dtype=torch.float32)
    rows = torch.tensor([2, 0], dtype=torch.int32)
    w, u = wy_inputs(k, v, beta, G, C)
    h, v_new, final = state_pass(k, w.to(BF16), u.to(BF16), G, pool, rows)
    o = output_pass(q, k, v_new, h, G)
    # The recurrence, per token: S <- a S; d = beta (v - S^T k); S <- S + k d^T; o = S^T q / sqrt(K),
    # with a = exp(G_t - G_{t-1}) inside a chunk (exp(G_t) at its first token).
    expect_o = torch.zeros(B, T, H, V, dtype=torch.float64)
    expect_h = torch.zeros(B, 4, H, K, V, dtype=torch.float64)
    expect_final = pool.double().clone()
    for b in range(B):
        for n in range(H):
            state = pool[rows[b], n].double()
            for t in range(T):
                if t % C == 0:
                    expect_h[b, t // C, n] = state
                gt = float(G[b, t, n])
                state = state * math.exp(gt if t % C == 0 else gt - float(G[b, t - 1, n]))
                kt, qt = k[b, t, n].double(), q[b, t, n].double()
                delta = beta[b, t, n] * (v[b, t, n].double() - state.T @ kt)
                state = state + torch.outer(kt, delta)
                expect_o[b, t, n] = state.T @ qt / math.sqrt(K)
            expect_final[rows[b], n] = state
    scale = expect_o.abs().max().item()
    close(o, expect_o, atol=0.01 * scale, rtol=0.02, label="o")
    close(h, expect_h, atol=0.01 * expect_h.abs().max().item(), rtol=0.02, label="h")
    close(final, expect_final, atol=0.01 * expect_final.abs().max().item(), rtol=0.02, label="final_state")
    assert torch.equal(final[1], pool[1]), "unused pool row"
    wrong = output_pass(q, k, v_new, h, torch.zeros_like(G))  # gates dropped
    differs(o, wrong, "gates", 0.1 * scale)


# ----------------------------------------------------------------------------- causal_conv1d
@check("causal_conv1d", "vs float64 loop and F.conv1d; bf16 before silu; tap order, state order, state reach")
def _():
    D, W, T = 24, 4, 11
    run = load("causal_conv1d__causal_conv1d_silu", {"NUM_SEQUENCES": 1, "DIM": D, "WIDTH": W, "STATE_LEN": W - 1})
    assert params(run) == ["x", "weight", "bias", "initial_state"]
    torch.manual_seed(14)
    x, weight, bias, state = randn(D, T), randn(D, W, scale=0.7), randn(D, scale=0.5), randn(1, D, W - 1)
    out = run(x, weight, bias, state)
    assert out.dtype == BF16 and out.shape == (D, T)

    def loop(taps, history):
        y = torch.zeros(D, T, dtype=torch.float64)
        for c in range(D):
            for t in range(T):
                acc = float(bias[c])
                for j in range(W):
                    s = t + j - (W - 1)  # sample index: negative ones come from the state
                    sample = history[0, c, W - 1 + s] if s < 0 else x[c, s]
                    acc += float(taps[c, j]) * float(sample)
                y[c, t] = acc
        y = bf16(y)
        return y * torch.sigmoid(y)

    expect = loop(weight, state)
    close(out, expect, atol=1e-3, rtol=2 ** -6, label="out")
    full = torch.cat([state[0], x], dim=1).double()[None]
    conv = F.conv1d(full, weight.double()[:, None, :], bias.double(), groups=D)[0]
    assert conv.shape == (D, T)
    close(out, F.silu(bf16(conv)), atol=1e-3, rtol=2 ** -6, label="out vs F.conv1d")
    differs(out, loop(weight.flip(1), state), "tap order (correlation, not flipped)", 0.05)
    differs(out, loop(weight, state.flip(2)), "state order (oldest first)", 0.05)
    differs(out, bf16(conv), "silu", 0.05)
    out2 = run(x, weight, bias, randn(1, D, W - 1))
    assert torch.equal(out2[:, W - 1:], out[:, W - 1:]), "the state reaches only the first width - 1 outputs"
    differs(out2[:, :W - 1], out[:, :W - 1], "state used", 0.01)


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
