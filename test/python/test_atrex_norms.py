"""Checks the PyTorch references of solkit's atrex-bench norm definitions against independent
torch computations: rms_norm, fused_add_rms_norm, gated_rms_norm, fused_qk_rmsnorm, l2_norm and
layer_norm.

The sources are read from the raw strings of include/solkit/ops/<op>/torch_reference.hpp (the
text solkit writes into each definition's "reference"), exec()'d after a preamble like solkit's
(imports plus one UPPER_CASE constant per const axis) with small constants, and run on random
CPU inputs (never zeros). Each check includes rows whose mean square (or sum of squares, or
variance) is of the order of eps, so that the eps fixed by the definition is pinned: the same
rows computed with a neighbouring eps must differ.

usage: test_atrex_norms.py INCLUDE_DIR
"""
import sys

import torch
import torch.nn.functional as F

from reference_harness import RESULTS, check, load, params

OPS = ("rms_norm", "fused_add_rms_norm", "gated_rms_norm", "fused_qk_rmsnorm", "l2_norm", "layer_norm")


def randn(*shape, scale=1.0, dtype=torch.bfloat16):
    """Random values, none of them zero (a zero row would hide eps and scale errors)."""
    x = torch.randn(*shape) * scale
    x = torch.where(x.abs() < 1e-3 * scale, torch.full_like(x, 1e-3 * scale), x)
    return x.to(dtype)


def ulp_close(actual, expected, dtype, ulps, label):
    """actual (already rounded to dtype) within `ulps` units in the last place of expected."""
    assert actual.dtype == dtype, f"{label}: dtype {actual.dtype}, want {dtype}"
    assert actual.shape == expected.shape, f"{label}: shape {tuple(actual.shape)} vs {tuple(expected.shape)}"
    a, e = actual.to(torch.float64), expected.to(torch.float64)
    assert torch.isfinite(a).all(), f"{label}: not finite"
    mantissa = 8 if dtype == torch.bfloat16 else 11  # bits of precision
    tiny = torch.finfo(dtype).tiny
    ulp = torch.clamp(e.abs(), min=tiny) * 2.0 ** (1 - mantissa)
    err = (a - e).abs()
    assert (err <= ulps * ulp).all(), f"{label}: max err {err.max().item():.3g}, {(err / ulp).max().item():.2f} ulp"


def agreement(a, b):
    """Fraction of elements where two tensors of one dtype are bit-for-bit equal."""
    return (a == b).float().mean().item()


def differs(actual, other, rows, label):
    """The eps-sensitive rows of `actual` differ clearly from a computation with another eps."""
    gap = (actual[rows].to(torch.float64) - other[rows].to(torch.float64)).abs().max().item()
    assert gap > 0.05, f"{label}: eps not distinguished (max gap {gap:.3g})"


# ----------------------------------------------------------------------------- RMS norms
@check("rms_norm", "vs F.rms_norm (eps 1e-6), fp32, one bf16 rounding")
def _():
    torch.manual_seed(1)
    H = 96
    run = load("rms_norm__run", {"HIDDEN_SIZE": H})
    assert params(run) == ["x", "weight"]
    x, w = randn(8, H, scale=2.0), randn(H, scale=0.5) + 1.0
    x[5:] = randn(3, H, scale=0.001)  # mean(x^2) ~ 1e-6: these rows pin eps
    out = run(x, w)
    ref = F.rms_norm(x.float(), (H,), w.float(), eps=1e-6)
    ulp_close(out, ref, torch.bfloat16, 1, "out")
    differs(out, F.rms_norm(x.float(), (H,), w.float(), eps=1e-5), slice(5, None), "out")


@check("fused_add_rms_norm", "residual_out = bf16(x + residual); out vs F.rms_norm of it (eps 1e-6)")
def _():
    torch.manual_seed(2)
    H = 64
    run = load("fused_add_rms_norm__run", {"HIDDEN_SIZE": H})
    assert params(run) == ["x", "residual", "weight"]
    x, r, w = randn(64, H, scale=0.5), randn(64, H, scale=2.0), randn(H, scale=0.1) + 1.0
    x[60:], r[60:] = randn(4, H, scale=0.0007), randn(4, H, scale=0.0007)  # rows where eps matters
    out, residual_out = run(x, r, w)
    assert residual_out.dtype == torch.bfloat16
    assert torch.equal(residual_out, x + r), "residual_out is not the bf16 sum"
    # The norm reads the ROUNDED sum: compare with F.rms_norm of residual_out, not of x + r in fp32.
    ref = F.rms_norm(residual_out.float(), (H,), w.float(), eps=1e-6)
    ulp_close(out, ref, torch.bfloat16, 1, "out")
    differs(out, F.rms_norm(residual_out.float(), (H,), w.float(), eps=1e-5), slice(60, None), "out")
    # Rounding order: out is the rounded norm of the rounded sum (bit-exact here), and a norm of
    # the fp32 sum rounds differently in a good share of the elements.
    assert agreement(out, ref.to(torch.bfloat16)) > 0.99, "out is not the norm of residual_out"
    fp32_sum = F.rms_norm(x.float() + r.float(), (H,), w.float(), eps=1e-6).to(torch.bfloat16)
    assert agreement(out, fp32_sum) < 0.95, "the sum's rounding is not distinguished"


@check("gated_rms_norm", "vs F.rms_norm (eps 1e-6) * F.silu(z), norm before gate")
def _():
    torch.manual_seed(3)
    H = 128
    run = load("gated_rms_norm__run", {"HIDDEN_SIZE": H})
    assert params(run) == ["x", "weight", "z"]
    x, w, z = randn(9, H, scale=0.02), randn(H, scale=0.02) + 1.0, randn(9, H, scale=2.0)
    x[6:] = randn(3, H, scale=0.001)  # mean(x^2) ~ 1e-6
    out = run(x, w, z)
    ref = F.rms_norm(x.float(), (H,), w.float(), eps=1e-6) * F.silu(z.float())
    ulp_close(out, ref, torch.bfloat16, 1, "out")
    differs(out, F.rms_norm(x.float(), (H,), w.float(), eps=1e-5) * F.silu(z.float()), slice(6, None), "out")
    # Gate after the norm, not before: silu(z) * x normalised differs.
    gate_first = F.rms_norm(x.float() * F.silu(z.float()), (H,), w.float(), eps=1e-6)
    assert (out.float() - gate_first).abs().max() > 0.1, "gate order not distinguished"


@check("fused_qk_rmsnorm", "per-head F.rms_norm (eps 1e-6) rounded to fp16, then * weight in fp16; v copied")
def _():
    torch.manual_seed(4)
    HQ, HK, D = 4, 2, 16
    hidden = (HQ + 2 * HK) * D
    run = load("fused_qk_rmsnorm__head_rms_norm+fused_qk_rmsnorm__run",
               {"NUM_QO_HEADS": HQ, "NUM_KV_HEADS": HK, "HEAD_DIM": D, "HIDDEN_SIZE": hidden})
    assert params(run) == ["hidden_states", "q_weight", "k_weight"]
    T = 64
    hs = randn(T, hidden, scale=1.5, dtype=torch.float16)
    hs[60:] = randn(4, hidden, scale=0.001, dtype=torch.float16)  # mean(x^2) ~ 1e-6 in every head
    qw, kw = randn(D, dtype=torch.float16), randn(D, scale=3.0, dtype=torch.float16)
    out = run(hs, qw, kw)
    assert out.dtype == torch.float16 and out.shape == (T, hidden)

    def independent(eps):
        q = hs[:, : HQ * D].reshape(T, HQ, D)
        k = hs[:, HQ * D : (HQ + HK) * D].reshape(T, HK, D)
        qn = F.rms_norm(q.float(), (D,), eps=eps).to(torch.float16) * qw  # fp16 product
        kn = F.rms_norm(k.float(), (D,), eps=eps).to(torch.float16) * kw
        return torch.cat([qn.reshape(T, -1), kn.reshape(T, -1), hs[:, (HQ + HK) * D :]], dim=-1)

    ref = independent(1e-6)
    ulp_close(out, ref.float(), torch.float16, 1, "out")
    assert torch.equal(out[:, (HQ + HK) * D :], hs[:, (HQ + HK) * D :]), "v heads changed"
    differs(out, independent(1e-5), slice(60, None), "out")
    # Two roundings (normalised head, then the fp16 product), bit-exact here; a single rounding
    # of the fp32 product differs in a good share of the elements.
    assert agreement(out, ref) > 0.99, "not the twice-rounded per-head norm"
    q = hs[:, : HQ * D].reshape(T, HQ, D)
    once = (F.rms_norm(q.float(), (D,), eps=1e-6) * qw.float()).to(torch.float16).reshape(T, -1)
    assert agreement(out[:, : HQ * D], once) < 0.95, "the rounding before the weight is not distinguished"
    # Each head is normalised on its own: a norm over the whole q block differs.
    whole = F.rms_norm(hs[:, : HQ * D].float(), (HQ * D,), eps=1e-6)
    assert (out[:, : HQ * D].float() - whole * qw.float().repeat(HQ)).abs().max() > 0.05, "per-head split"


@check("l2_norm", "vs F.normalize on ordinary rows, x / sqrt(|x|^2 + 1e-6) where eps matters")
def _():
    torch.manual_seed(5)
    H = 64
    run = load("l2_norm__run", {"HIDDEN_SIZE": H})
    assert params(run) == ["x"]
    x = randn(8, H, scale=1.0)
    x[6:] = randn(2, H, scale=1.25e-4)  # sum(x^2) ~ 1e-6: eps is added to the SUM of squares
    out = run(x)
    # Ordinary rows: sum(x^2) ~ 64, so eps is far below rounding and F.normalize agrees.
    ulp_close(out[:6], F.normalize(x[:6].float(), dim=-1), torch.bfloat16, 1, "out")
    norm_sq = torch.linalg.vector_norm(x.double(), dim=-1, keepdim=True) ** 2
    ulp_close(out, x.double() / torch.sqrt(norm_sq + 1e-6), torch.bfloat16, 1, "out")
    differs(out, F.normalize(x.float(), dim=-1), slice(6, None), "out (eps vs none)")
    differs(out, x.double() / torch.sqrt(norm_sq / H + 1e-6), slice(0, None), "out (sum, not mean)")


@check("layer_norm", "vs F.layer_norm (eps 1e-5), biased variance, one bf16 rounding")
def _():
    torch.manual_seed(6)
    H = 80
    run = load("layer_norm__run", {"HIDDEN_SIZE": H})
    assert params(run) == ["x", "weight", "bias"]
    x, w, b = randn(9, H, scale=2.0), randn(H), randn(H)
    x[2] = (randn(H, scale=0.5).float() + 3.0).to(torch.bfloat16)  # a mean far from 0
    x[6:] = randn(3, H, scale=0.003)  # var ~ 1e-5: these rows pin eps
    out = run(x, w, b)
    ref = F.layer_norm(x.float(), (H,), w.float(), b.float(), eps=1e-5)
    # The affine adds bias after the product, so compare with an absolute floor of a bf16 ulp
    # of the larger of the two terms, not of their (possibly cancelling) sum.
    scale = (F.layer_norm(x.float(), (H,), eps=1e-5) * w.float()).abs() + b.float().abs()
    err = (out.double() - ref.double()).abs()
    assert out.dtype == torch.bfloat16
    assert (err <= scale.double() * 2.0 ** -7).all(), f"max err {err.max().item():.3g}"
    differs(out, F.layer_norm(x.float(), (H,), w.float(), b.float(), eps=1e-6), slice(6, None), "out")


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
