"""Checks the PyTorch references of solkit's atrex-bench elementwise definitions.

silu_and_mul, fp8_dynamic_per_token_quant, per_token_group_quant_fp8, fused_rmsnorm_quant,
fused_qkv_rope and mrope: each source is read from the raw strings of
include/solkit/ops/<op>/torch_reference.hpp (the text solkit writes into the definition's
"reference"), exec()'d after a preamble like solkit's (imports plus one UPPER_CASE constant per
const axis) with small constants, run on random CPU inputs (never zeros), and compared with an
independent computation. The fp8 definitions use float8_e4m3fn (max 448), not atrex-bench's
float8_e4m3fnuz: solkit targets NVIDIA.

usage: test_atrex_elementwise.py INCLUDE_DIR
"""
import sys

import torch
import torch.nn.functional as F

from reference_harness import RESULTS, check, load, params

FP8_MAX = 448.0


def close(actual, expected, atol, rtol, label=""):
    actual, expected = actual.to(torch.float64), expected.to(torch.float64)
    assert actual.shape == expected.shape, f"{label} shape {tuple(actual.shape)} vs {tuple(expected.shape)}"
    assert not torch.isnan(actual).any(), f"{label} has NaN"
    err = (actual - expected).abs()
    bad = err > atol + rtol * expected.abs()
    assert not bad.any(), f"{label} max err {err.max().item():.3g} (atol {atol}, rtol {rtol})"


def randn(*shape, scale=1.0, dtype=torch.bfloat16):
    """Random values, none of them zero (a zero hides scale and clamp mistakes)."""
    x = torch.randn(*shape, dtype=torch.float64)
    x = torch.where(x.abs() < 1e-3, torch.full_like(x, 1e-3), x)
    return (x * scale).to(dtype)


def fp8_dequant_error_ok(quantized, scale, x, label):
    """|quantized * scale - x| within half an e4m3 step: 2^-4 relative for normal values, 2^-10
    of the scale for subnormals (|x / scale| < 2^-6)."""
    assert quantized.dtype == torch.float8_e4m3fn, f"{label} dtype {quantized.dtype}"
    q = quantized.to(torch.float64)
    assert torch.isfinite(q).all() and q.abs().max() <= FP8_MAX, f"{label} out of range"
    x = x.to(torch.float64)
    err = (q * scale - x).abs()
    bound = torch.maximum(x.abs() * 2.0 ** -4, scale * 2.0 ** -10) * (1 + 1e-5)
    assert (err <= bound).all(), f"{label} dequantisation error {(err / bound).max().item():.3g} x bound"


# ----------------------------------------------------------------------------- silu_and_mul
@check("silu_and_mul", "vs F.silu of the gate rounded to bf16, times up; and float64")
def _():
    D = 24
    run = load("silu_and_mul__silu_and_mul", {"INTERMEDIATE_SIZE": D, "GATE_UP_SIZE": 2 * D})
    assert params(run) == ["x"]
    torch.manual_seed(1)
    x = randn(9, 2 * D, scale=3.0)
    out = run(x)
    assert out.dtype == torch.bfloat16 and out.shape == (9, D)
    gate, up = x[:, :D], x[:, D:]
    # vLLM's and atrex-bench's rounding points: silu(gate) -> bf16, then a bf16 product.
    assert torch.equal(out, F.silu(gate.float()).to(torch.bfloat16) * up)
    exact = gate.double() / (1 + torch.exp(-gate.double())) * up.double()
    close(out, exact, atol=1e-2, rtol=2 ** -7)
    swapped = F.silu(up.float()) * gate.float()  # halves the other way round
    assert (out.float() - swapped).abs().max() > 0.1, "gate and up not distinguished"


# ----------------------------------------------------------------------------- fp8 quantisation
@check("fp8_dynamic_per_token_quant", "per-row scale amax/448 (floor 1e-12) vs float64; e4m3fn dequantisation error")
def _():
    H = 32
    run = load("fp8_dynamic_per_token_quant__quant", {"HIDDEN_SIZE": H})
    assert params(run) == ["x"]
    torch.manual_seed(2)
    x = randn(6, H, scale=2.0)
    x[1] = randn(H, scale=300.0)  # beyond the fp8 range before scaling
    x[4] = randn(H, scale=1e-15)  # amax < 1e-12: the scale's floor applies
    q, scale = run(x)
    assert q.shape == (6, H) and scale.shape == (6,) and scale.dtype == torch.float32
    amax = x.double().abs().amax(dim=1)
    expect = torch.clamp(amax, min=1e-12) / FP8_MAX
    close(scale, expect, atol=0, rtol=1e-6, label="scale")
    assert abs(scale[4].item() / (1e-12 / FP8_MAX) - 1) <= 1e-6, "floor 1e-12"
    fp8_dequant_error_ok(q, scale.double()[:, None], x, "q")
    rows = [r for r in range(6) if r != 4]
    peak = q.to(torch.float64).abs().amax(dim=1)[rows]
    assert torch.all(peak == FP8_MAX), f"row maxima map to 448, got {peak.tolist()}"


@check("per_token_group_quant_fp8", "per-group scale max(amax/448, 1e-10) vs float64 loop; e4m3fn dequantisation error")
def _():
    H, G = 64, 16
    run = load("per_token_group_quant_fp8__quant", {"HIDDEN_SIZE": H, "GROUP_SIZE": G, "NUM_GROUPS": H // G})
    assert params(run) == ["x"]
    torch.manual_seed(3)
    x = randn(5, H, scale=1.5)
    x[2, 16:32] = randn(G, scale=1e-10)  # amax / 448 < 1e-10: the floor applies to this group only
    x[3, 48:64] = randn(G, scale=500.0)
    quantized, scales = run(x)
    assert quantized.shape == (5, H) and scales.shape == (5, H // G) and scales.dtype == torch.float32
    expect = torch.empty(5, H // G, dtype=torch.float64)
    for t in range(5):
        for g in range(H // G):
            amax = max(abs(float(v)) for v in x[t, g * G:(g + 1) * G])
            expect[t, g] = max(amax / FP8_MAX, 1e-10)
    close(scales, expect, atol=0, rtol=1e-6, label="scales")
    assert abs(scales[2, 1].item() - 1e-10) <= 1e-16, "floor 1e-10 after the division"
    fp8_dequant_error_ok(quantized, scales.double().repeat_interleave(G, dim=1), x, "quantized")
    # Groups are G consecutive channels of a row: a row-wide scale would not reach 448 per group.
    peaks = quantized.to(torch.float64).abs().reshape(5, H // G, G).amax(dim=2)
    peaks[2, 1] = FP8_MAX  # the floored group stays below 448
    assert torch.all(peaks == FP8_MAX), "every group's maximum maps to 448"


@check("fused_rmsnorm_quant", "residual_out = x + residual in bf16; scale from F.rms_norm (eps 1e-5); zero row -> scale 1")
def _():
    H = 48
    run = load("fused_rmsnorm_quant__fused_rmsnorm_quant", {"HIDDEN_SIZE": H})
    assert params(run) == ["x", "residual", "weight"]
    torch.manual_seed(4)
    x, residual, weight = randn(6, H, scale=2.0), randn(6, H), randn(H)
    residual[0] = -x[0]  # the sum of row 0 is zero, though no input is
    x[4], residual[4] = randn(H, scale=2e-3), randn(H, scale=2e-3)  # mean(r^2) ~ eps: pins eps 1e-5
    quantized, scale, residual_out = run(x, residual, weight)
    assert quantized.dtype == torch.float8_e4m3fn and quantized.shape == (6, H)
    assert scale.dtype == torch.float32 and scale.shape == (6,)
    assert residual_out.dtype == torch.bfloat16 and torch.equal(residual_out, x + residual)

    def normed(eps):
        return F.rms_norm(residual_out.double(), (H,), weight.double(), eps=eps)

    expect_normed = normed(1e-5)
    expect_scale = expect_normed.abs().amax(dim=1) / FP8_MAX
    expect_scale[0] = 1.0
    assert scale[0].item() == 1.0 and torch.all(quantized[0].to(torch.float32) == 0), "zero row"
    close(scale, expect_scale, atol=0, rtol=2 ** -7, label="scale")  # normed is rounded to bf16
    wrong_eps = normed(1e-6).abs().amax(dim=1) / FP8_MAX
    assert abs(wrong_eps[4].item() / scale[4].item() - 1) > 0.05, "eps not distinguished"
    bf16_normed = expect_normed.to(torch.bfloat16).double()
    err = (quantized.to(torch.float64) * scale.double()[:, None] - bf16_normed).abs()
    bound = torch.maximum(bf16_normed.abs() * (2.0 ** -4 + 2.0 ** -7), scale.double()[:, None] * 2.0 ** -9)
    assert (err <= bound).all(), "dequantised rows differ from the norm"


# ----------------------------------------------------------------------------- rotary embeddings
def rotate_complex(x, angles, rd, interleaved):
    """Rotation of the first rd channels of every head as a complex product with exp(i angle).

    x: [tokens, heads, head_size] float64; angles: [tokens, rd // 2] float64."""
    if interleaved:
        z = torch.complex(x[..., 0:rd:2], x[..., 1:rd:2])
    else:
        z = torch.complex(x[..., :rd // 2], x[..., rd // 2:rd])
    z = z * torch.polar(torch.ones_like(angles), angles)[:, None, :]
    if interleaved:
        rotated = torch.stack([z.real, z.imag], dim=-1).flatten(-2)
    else:
        rotated = torch.cat([z.real, z.imag], dim=-1)
    return torch.cat([rotated, x[..., rd:]], dim=-1)


for element_type in (torch.bfloat16, torch.float16):
    @check(f"fused_qkv_rope/{str(element_type)[6:]}", "split of packed qkv; NeoX rotation by pos * 10000^(-2i/rd) vs float64 complex product")
    def _(element_type=element_type):
        H, KV, D, RD, T = 4, 2, 16, 8, 7
        run = load("fused_qkv_rope__fused_qkv_rope",
                   {"NUM_HEADS": H, "NUM_KV_HEADS": KV, "HEAD_DIM": D, "ROPE_DIM": RD, "QKV_SIZE": (H + 2 * KV) * D})
        assert params(run) == ["qkv", "positions"]
        torch.manual_seed(5)
        qkv = randn(T, (H + 2 * KV) * D, dtype=element_type)
        positions = torch.randint(1, 4096, (T,), dtype=torch.int32)
        q, k, v = run(qkv, positions)
        for name, t, heads in (("q", q, H), ("k", k, KV), ("v", v, KV)):
            assert t.dtype == element_type and t.shape == (T, heads, D), f"{name} {t.dtype} {tuple(t.shape)}"
        heads = qkv.double().reshape(T, H + 2 * KV, D)
        inv_freq = 10000.0 ** (-torch.arange(0, RD, 2, dtype=torch.float64) / RD)
        angles = positions.double()[:, None] * inv_freq[None, :]
        close(q, rotate_complex(heads[:, :H], angles, RD, False), 2e-2, 1e-2, "q")
        close(k, rotate_complex(heads[:, H:H + KV], angles, RD, False), 2e-2, 1e-2, "k")
        assert torch.equal(v, qkv.reshape(T, H + 2 * KV, D)[:, H + KV:]), "v passes through"
        assert torch.equal(q[..., RD:], qkv.reshape(T, H + 2 * KV, D)[:, :H, RD:]), "channels from ROPE_DIM pass"
        gptj = rotate_complex(heads[:, :H], angles, RD, True)
        assert (q.double() - gptj).abs().max() > 0.1, "pairing not distinguished"


def mrope_streams(half, sections, interleaved):
    """Stream of each frequency, built as vLLM builds it: contiguous runs of the section sizes;
    interleaved: temporal everywhere, then height at 1, 4, 7, ... and width at 2, 5, 8, ...
    (each for as many frequencies as its section holds)."""
    t, h, w = sections
    if not interleaved:
        return [0] * t + [1] * h + [2] * w
    streams = [0] * half
    for f in range(1, 3 * h, 3):
        streams[f] = 1
    for f in range(2, 3 * w, 3):
        streams[f] = 2
    return streams[:half]


for interleaved, style in ((False, "neox"), (True, "neox"), (False, "gptj"), (True, "gptj")):
    layout = "interleaved" if interleaved else "contiguous"

    @check(f"mrope/{layout}_{style}", "per-frequency stream selection of cos/sin vs float64 complex product")
    def _(interleaved=interleaved, style=style, layout=layout):
        HQ, KV, D, RD, T = 3, 2, 40, 32, 9
        sections = (8, 4, 4)  # interleaved: height 1, 4, 7, 10 and width 2, 5, 8, 11; 12-15 temporal
        consts = {"NUM_QUERY_HEADS": HQ, "NUM_KV_HEADS": KV, "HEAD_SIZE": D, "ROTARY_DIM": RD,
                  "Q_SIZE": HQ * D, "K_SIZE": KV * D, "NUM_SECTIONS": 3, "HALF_ROTARY_DIM": RD // 2,
                  "MROPE_SECTION_T": sections[0], "MROPE_SECTION_H": sections[1], "MROPE_SECTION_W": sections[2]}
        run = load(f"rope__{style}+mrope__{layout}_sections+mrope__mrope", consts)
        assert params(run) == ["q", "k", "cos", "sin"]
        torch.manual_seed(6)
        q, k = randn(T, HQ * D), randn(T, KV * D)
        angles = torch.rand(3, T, RD // 2, dtype=torch.float64) * 6 - 3  # per stream, token, frequency
        cos, sin = angles.cos().float(), angles.sin().float()
        q_out, k_out = run(q, k, cos, sin)
        assert q_out.dtype == torch.bfloat16 and q_out.shape == (T, HQ * D)
        assert k_out.dtype == torch.bfloat16 and k_out.shape == (T, KV * D)
        streams = mrope_streams(RD // 2, sections, interleaved)
        used = torch.stack([angles[s, :, f] for f, s in enumerate(streams)], dim=1)  # [T, RD // 2]
        gptj = style == "gptj"
        expect_q = rotate_complex(q.double().reshape(T, HQ, D), used, RD, gptj).reshape(T, HQ * D)
        expect_k = rotate_complex(k.double().reshape(T, KV, D), used, RD, gptj).reshape(T, KV * D)
        close(q_out, expect_q, 2e-2, 1e-2, "q")
        close(k_out, expect_k, 2e-2, 1e-2, "k")
        assert torch.equal(q_out.reshape(T, HQ, D)[..., RD:], q.reshape(T, HQ, D)[..., RD:]), "pass-through"
        other = mrope_streams(RD // 2, sections, not interleaved)
        wrong = torch.stack([angles[s, :, f] for f, s in enumerate(other)], dim=1)
        wrong_q = rotate_complex(q.double().reshape(T, HQ, D), wrong, RD, gptj).reshape(T, HQ * D)
        assert (q_out.double() - wrong_q).abs().max() > 0.05, "section layout not distinguished"


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
