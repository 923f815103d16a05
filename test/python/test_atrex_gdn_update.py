"""Checks the PyTorch reference of solkit's atrex-bench gated_delta_rule_update definitions.

The source is read from the raw string of include/solkit/ops/gated_delta_rule_update/
torch_reference.hpp (the text solkit writes into the definition's "reference"), exec()'d after a
preamble like solkit's with small constants, run on random CPU inputs (never zeros), and compared
with two oracles:
  - an independent float64 computation written differently: explicit loops over sequences and
    value heads, the state held v-first (M = S^T, [V, K]) as a matrix-vector recurrence, the gates
    in Python scalar math;
  - solkit's flashinfer-bench `gdn` prefill reference (k-last state, no L2 norm), fed q and k
    already normalised and the used pool rows transposed.
It also checks that the pool rows not indexed come back unchanged, and that the comparison
would catch plausible mistakes (output from the state before the update, an rsqrt(sum + eps)
normalisation, q/k heads tiled instead of grouped).

usage: test_atrex_gdn_update.py INCLUDE_DIR
"""
import math
import sys

import torch

from reference_harness import RESULTS, check, load, params

INPUTS = ["A_log", "a", "dt_bias", "q", "k", "v", "b", "initial_state", "initial_state_indices", "scale"]


def close(actual, expected, atol, rtol, label=""):
    actual, expected = actual.to(torch.float64), expected.to(torch.float64)
    assert actual.shape == expected.shape, f"{label} shape {tuple(actual.shape)} vs {tuple(expected.shape)}"
    assert not torch.isnan(actual).any(), f"{label} has NaN"
    err = (actual - expected).abs()
    bad = err > atol + rtol * expected.abs()
    assert not bad.any(), f"{label} max err {err.max().item():.3g} (atol {atol}, rtol {rtol})"


def randn(*shape, scale=1.0, dtype=torch.bfloat16):
    """Random values, none of them zero."""
    x = torch.randn(*shape, dtype=torch.float64)
    x = torch.where(x.abs() < 1e-3, torch.full_like(x, 1e-3), x)
    return (x * scale).to(dtype)


def consts(hq, hv, kd, vd):
    return {"NUM_Q_HEADS": hq, "NUM_K_HEADS": hq, "NUM_V_HEADS": hv, "KEY_DIM": kd, "VALUE_DIM": vd}


def make_inputs(batch, tokens, hq, hv, kd, vd, pool, slots, scale=1.0):
    """Inputs in the definition's order, scale aside; `scale` multiplies every random tensor."""
    return dict(A_log=randn(hv, scale=0.5 * scale, dtype=torch.float32),
                a=randn(batch, tokens, hv, scale=scale), dt_bias=randn(hv, scale=0.5 * scale),
                q=randn(batch, tokens, hq, kd, scale=scale), k=randn(batch, tokens, hq, kd, scale=scale),
                v=randn(batch, tokens, hv, vd, scale=scale), b=randn(batch, tokens, hv, scale=scale),
                initial_state=randn(pool, hv, kd, vd, scale=0.5 * scale, dtype=torch.float32),
                initial_state_indices=torch.tensor(slots, dtype=torch.int32))


def unit(x, eps_mode="max"):
    norm_sq = float((x * x).sum())
    if eps_mode == "max":  # the definition: x / max(|x|, 1e-6)
        return x / max(math.sqrt(norm_sq), 1e-6)
    return x / math.sqrt(norm_sq + 1e-6)  # a plausible mistake: rsqrt(sum + eps)


def oracle(inp, scale, hq, eps_mode="max", output_before_update=False, tiled_heads=False):
    """float64, token by token, one (sequence, value head) at a time, state v-first M [V, K]."""
    q, k, v = inp["q"].double(), inp["k"].double(), inp["v"].double()
    batch, tokens, hv, vd = v.shape
    group = hv // hq
    out = torch.zeros(batch, tokens, hv, vd, dtype=torch.float64)
    final = inp["initial_state"].double().clone()
    for i, slot in enumerate(inp["initial_state_indices"].tolist()):
        for h in range(hv):
            src = h % hq if tiled_heads else h // group
            M = inp["initial_state"][slot, h].double().T.clone()  # [V, K]
            for t in range(tokens):
                x = float(inp["a"][i, t, h]) + float(inp["dt_bias"][h])
                softplus = x if x > 20.0 else math.log1p(math.exp(x))
                decay = math.exp(-math.exp(float(inp["A_log"][h])) * softplus)
                beta = 1.0 / (1.0 + math.exp(-float(inp["b"][i, t, h])))
                qh, kh = unit(q[i, t, src], eps_mode), unit(k[i, t, src], eps_mode)
                M = decay * M
                if output_before_update:
                    out[i, t, h] = scale * (M @ qh)
                M = M + beta * torch.outer(v[i, t, h] - M @ kh, kh)
                if not output_before_update:
                    out[i, t, h] = scale * (M @ qh)
            final[slot, h] = M.T
    return out, final


def run_checked(run, inp, scale):
    """run() on copies, checking dtypes, shapes and that the inputs are left untouched."""
    before = {name: t.clone() for name, t in inp.items()}
    out, final = run(**inp, scale=scale)
    for name, t in inp.items():
        assert torch.equal(t, before[name]), f"input {name} modified"
    batch, tokens, hv, vd = inp["v"].shape
    assert out.dtype == torch.bfloat16 and out.shape == (batch, tokens, hv, vd)
    assert final.dtype == torch.float32 and final.shape == inp["initial_state"].shape
    assert not torch.isnan(out).any() and not torch.isnan(final).any()
    return out, final


@check("gated_delta_rule_update/prefill", "B=2, T=6, GVA 2->4, K=8 != V=6, pool 5 rows [3, 1]: float64 v-first loops")
def _():
    HQ, HV, K, V = 2, 4, 8, 6
    run = load("gated_delta_rule_update__update", consts(HQ, HV, K, V))
    assert params(run) == INPUTS
    torch.manual_seed(11)
    inp = make_inputs(2, 6, HQ, HV, K, V, pool=5, slots=[3, 1])
    inp["a"][1, 2, 0] = 30.0  # a + dt_bias above the softplus threshold (linear branch)
    inp["q"][0, 3, 1] = randn(K, scale=2e-7)  # |q| < 1e-6: the eps clamps the norm
    assert 1e-7 < float(inp["q"][0, 3, 1].double().norm()) < 1e-6
    out, final = run_checked(run, inp, 0.3)
    expect_out, expect_final = oracle(inp, 0.3, HQ)
    close(out, expect_out, atol=1e-3, rtol=2 ** -7, label="out")
    close(final, expect_final, atol=1e-5, rtol=1e-5, label="final_state")
    for row in (0, 2, 4):  # rows no sequence uses come back bit for bit
        assert torch.equal(final[row], inp["initial_state"][row]), f"pool row {row} changed"
    assert (final[3] - inp["initial_state"][3]).abs().max() > 0.05, "used row not updated"
    # The comparison distinguishes plausible mistakes.
    for label, kwargs in (("pre-update output", {"output_before_update": True}),
                          ("rsqrt(sum + eps)", {"eps_mode": "rsqrt"}), ("tiled heads", {"tiled_heads": True})):
        wrong, _ = oracle(inp, 0.3, HQ, **kwargs)
        assert (out.double() - wrong).abs().max() > 0.02, f"{label} not distinguished"


@check("gated_delta_rule_update/decode", "B=3, T=1, pool 4 rows [2, 0, 3]; scale None = 0 = K^-1/2; q, k x 4 cancel; duplicate index rejected")
def _():
    HQ, HV, K, V = 1, 3, 16, 16
    run = load("gated_delta_rule_update__update", consts(HQ, HV, K, V))
    torch.manual_seed(12)
    inp = make_inputs(3, 1, HQ, HV, K, V, pool=4, slots=[2, 0, 3])
    out, final = run_checked(run, inp, None)
    expect_out, expect_final = oracle(inp, K ** -0.5, HQ)
    close(out, expect_out, atol=1e-3, rtol=2 ** -7, label="out")
    close(final, expect_final, atol=1e-5, rtol=1e-5, label="final_state")
    assert torch.equal(final[1], inp["initial_state"][1]), "unused pool row changed"
    out0, final0 = run(**inp, scale=0.0)
    assert torch.equal(out0, out) and torch.equal(final0, final), "scale 0 is the default"
    scaled = inp | {"q": inp["q"] * 4, "k": inp["k"] * 4}  # L2 normalisation cancels the factor
    out4, final4 = run(**scaled, scale=None)
    close(out4, out.float(), atol=1e-3, rtol=2 ** -7, label="q, k scaled by 4")
    close(final4, final, atol=1e-5, rtol=1e-5, label="state with q, k scaled by 4")
    out2, _ = run(**inp, scale=2 * K ** -0.5)
    assert (out2.double() - 2 * out.double()).abs().max() <= 2 ** -6 * out.double().abs().max()
    try:
        run(**(inp | {"initial_state_indices": torch.tensor([2, 0, 2], dtype=torch.int32)}), scale=None)
    except AssertionError:
        pass
    else:
        raise AssertionError("duplicate indices accepted")


@check("gated_delta_rule_update/atrex_inputs", "atrex-like small inputs (~0.02), B=1, T=4, K=V=64, pool 2 rows [0]: float64 loops")
def _():
    HQ, HV, K, V = 2, 4, 64, 64
    run = load("gated_delta_rule_update__update", consts(HQ, HV, K, V))
    torch.manual_seed(13)
    inp = make_inputs(1, 4, HQ, HV, K, V, pool=2, slots=[0], scale=0.02)
    out, final = run_checked(run, inp, None)
    expect_out, expect_final = oracle(inp, K ** -0.5, HQ)
    close(out, expect_out, atol=1e-6, rtol=2 ** -7, label="out")
    close(final, expect_final, atol=1e-7, rtol=1e-5, label="final_state")
    assert torch.equal(final[1], inp["initial_state"][1])


@check("gated_delta_rule_update/vs_gdn", "vs solkit's gdn prefill reference: pre-normalised q/k, pool rows transposed to k-last")
def _():
    HQ, HV, D, B, T = 2, 4, 16, 2, 5
    run = load("gated_delta_rule_update__update", consts(HQ, HV, D, D))
    gdn = load("gdn__recurrence_common+gdn__prefill",
               {"NUM_Q_HEADS": HQ, "NUM_K_HEADS": HQ, "NUM_V_HEADS": HV, "HEAD_SIZE": D})
    torch.manual_seed(14)
    slots = [1, 3]
    inp = make_inputs(B, T, HQ, HV, D, D, pool=4, slots=slots)
    out, final = run_checked(run, inp, 0.25)

    def normalised(x):
        x = x.float()
        return (x / torch.linalg.vector_norm(x, dim=-1, keepdim=True).clamp_min(1e-6)).reshape(B * T, HQ, D)

    gdn_out, gdn_state = gdn(
        q=normalised(inp["q"]), k=normalised(inp["k"]), v=inp["v"].reshape(B * T, HV, D),
        state=inp["initial_state"][slots].transpose(-1, -2).contiguous(), A_log=inp["A_log"],
        a=inp["a"].reshape(B * T, HV), dt_bias=inp["dt_bias"].float(), b=inp["b"].reshape(B * T, HV),
        cu_seqlens=torch.tensor([0, T, 2 * T], dtype=torch.int64), scale=0.25)
    close(out.reshape(B * T, HV, D), gdn_out.float(), atol=2e-3, rtol=2 ** -7, label="out vs gdn")
    close(final[slots], gdn_state.transpose(-1, -2), atol=1e-5, rtol=1e-5, label="state vs gdn")


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
