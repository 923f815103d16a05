"""Checks the PyTorch references of solkit's atrex-bench MoE and GEMM definitions.

fused_moe, fp8_blockscale_fused_moe, block_scaled_mm and linear_sigmoid_mul: each source is read
from the raw strings of include/solkit/ops/<op>/torch_reference.hpp (the text solkit writes into
the definition's "reference"), exec()'d after a preamble like solkit's (imports plus one
UPPER_CASE constant per const axis) with small constants, run on random CPU inputs (never zeros),
and compared with an independent float64 computation (per-token loops, or dequantise-then-matmul).
fp8 is float8_e4m3fn (max 448), not atrex-bench's float8_e4m3fnuz: solkit targets NVIDIA.

usage: test_atrex_moe_gemm.py INCLUDE_DIR
"""
import sys

import torch

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
    """Random values, none of them zero (a zero hides scale and routing mistakes)."""
    x = torch.randn(*shape, dtype=torch.float64)
    x = torch.where(x.abs() < 1e-3, torch.full_like(x, 1e-3), x)
    return (x * scale).to(dtype)


def routing(tokens, experts, top_k, allowed):
    """Distinct experts per token, drawn among `allowed` (so the others receive nothing), and
    their weights renormalised to sum 1, as atrex's current input maker does."""
    logits = torch.randn(tokens, experts, dtype=torch.float64)
    logits[:, [e for e in range(experts) if e not in allowed]] = -1e9
    weights, ids = torch.topk(logits.softmax(dim=-1), top_k, dim=-1)
    return (weights / weights.sum(dim=-1, keepdim=True)).to(torch.float32), ids.to(torch.int32)


def moe_loop(x, w1, w2, weights, ids, inter):
    """out[t] = sum_j weights[t, j] * w2[e] (silu(gate) * up) per token and slot, float64."""
    out = torch.zeros(x.shape[0], w2.shape[1], dtype=torch.float64)
    for t in range(x.shape[0]):
        for j in range(ids.shape[1]):
            e = int(ids[t, j])
            projected = w1[e] @ x[t]
            gate, up = projected[:inter], projected[inter:]
            out[t] += float(weights[t, j]) * (w2[e] @ (gate / (1 + torch.exp(-gate)) * up))
    return out


# ----------------------------------------------------------------------------- fused_moe
@check("fused_moe", "vs a float64 per-token loop; unused expert; fp32 output; gate/up order; duplicate ids")
def _():
    E, K, H, I, T = 4, 2, 64, 32, 7
    run = load("fused_moe__fused_moe",
               {"NUM_EXPERTS": E, "TOP_K": K, "HIDDEN_SIZE": H, "INTERMEDIATE_SIZE": I, "GATE_UP_SIZE": 2 * I})
    assert params(run) == ["hidden_states", "w1", "w2", "topk_weights", "topk_ids"]
    torch.manual_seed(11)
    x = randn(T, H)
    w1, w2 = randn(E, 2 * I, H, scale=H ** -0.5), randn(E, H, I, scale=I ** -0.5)
    weights, ids = routing(T, E, K, allowed=(0, 1, 2))  # expert 3 receives no token
    out = run(x, w1, w2, weights, ids)
    assert out.dtype == torch.float32 and out.shape == (T, H), f"{out.dtype} {tuple(out.shape)}"
    expect = moe_loop(x.double(), w1.double(), w2.double(), weights.double(), ids, I)
    close(out, expect, atol=1e-5, rtol=1e-4)
    swapped = torch.cat([w1[:, I:], w1[:, :I]], dim=1)  # up rows first: the other convention
    wrong = moe_loop(x.double(), swapped.double(), w2.double(), weights.double(), ids, I)
    assert (out.double() - wrong).abs().max() > 10 * (out.double() - expect).abs().max() + 1e-3, "gate/up order"
    # A repeated id adds its expert once per slot (atrex sums the two weights: the same value).
    twice = torch.full((T, 2), 1, dtype=torch.int32)
    single = load("fused_moe__fused_moe", {"NUM_EXPERTS": E, "TOP_K": 1, "HIDDEN_SIZE": H,
                                           "INTERMEDIATE_SIZE": I, "GATE_UP_SIZE": 2 * I})
    once = single(x, w1, w2, weights.sum(dim=1, keepdim=True), twice[:, :1])
    close(run(x, w1, w2, weights, twice), once, atol=1e-5, rtol=1e-5, label="duplicate ids")


# ----------------------------------------------------------------------------- fp8 MoE
def quantize_blocks(w, rows, cols):
    """e4m3fn blocks of rows x cols over the last two dims, scale = amax / 448 (float64 loops)."""
    q = torch.empty(w.shape, dtype=torch.float8_e4m3fn)
    scales = torch.empty(*w.shape[:-2], w.shape[-2] // rows, w.shape[-1] // cols, dtype=torch.float32)
    for index in torch.cartesian_prod(*[torch.arange(s) for s in scales.shape]).reshape(-1, scales.dim()):
        *lead, r, c = index.tolist()
        block = w[(*lead, slice(r * rows, (r + 1) * rows), slice(c * cols, (c + 1) * cols))].double()
        scale = block.abs().max() / FP8_MAX
        scales[(*lead, r, c)] = scale
        q[(*lead, slice(r * rows, (r + 1) * rows), slice(c * cols, (c + 1) * cols))] = (block / scale).to(torch.float8_e4m3fn)
    return q, scales


def dequantize_blocks(q, scales, rows, cols):
    """q * the scale of each element's block, element by block in float64 loops."""
    w = q.to(torch.float64).clone()
    for index in torch.cartesian_prod(*[torch.arange(s) for s in scales.shape]).reshape(-1, scales.dim()):
        *lead, r, c = index.tolist()
        w[(*lead, slice(r * rows, (r + 1) * rows), slice(c * cols, (c + 1) * cols))] *= float(scales[(*lead, r, c)])
    return w


@check("fp8_blockscale_fused_moe", "e4m3fn blocks BN=32 (intermediate) x BK=64 (hidden) vs float64 dequantise-then-loop; bf16 out")
def _():
    E, K, H, I, T, BN, BK = 4, 2, 256, 128, 5, 32, 64
    consts = {"NUM_EXPERTS": E, "TOP_K": K, "HIDDEN_SIZE": H, "INTERMEDIATE_SIZE": I, "GATE_UP_SIZE": 2 * I,
              "SCALE_BLOCK_N": BN, "SCALE_BLOCK_K": BK, "NUM_HIDDEN_BLOCKS": H // BK,
              "NUM_INTERMEDIATE_BLOCKS": I // BN, "NUM_GATE_UP_BLOCKS": 2 * I // BN}
    run = load("fp8_blockscale_fused_moe__fp8_blockscale_fused_moe", consts)
    assert params(run) == ["hidden_states", "w1", "w2", "topk_weights", "topk_ids", "a_scale", "fc1_scale", "fc2_scale"]
    torch.manual_seed(12)
    # Block magnitudes spread over 2^-3..2^3 so a scale applied to the wrong block shows.
    def spread(shape, rows, cols, scale):
        mags = 2.0 ** torch.randint(-3, 4, (*shape[:-2], shape[-2] // rows, shape[-1] // cols)).double()
        mags = mags.repeat_interleave(rows, dim=-2).repeat_interleave(cols, dim=-1)
        return randn(*shape, scale=scale, dtype=torch.float64) * mags
    x_raw = spread((T, H), 1, BK, 0.1)
    w1_raw, w2_raw = spread((E, 2 * I, H), BN, BK, H ** -0.5), spread((E, H, I), BK, BN, I ** -0.5)
    x, a_scale = quantize_blocks(x_raw, 1, BK)
    w1, fc1_scale = quantize_blocks(w1_raw, BN, BK)
    w2, fc2_scale = quantize_blocks(w2_raw, BK, BN)
    assert a_scale.shape == (T, H // BK) and fc1_scale.shape == (E, 2 * I // BN, H // BK)
    assert fc2_scale.shape == (E, H // BK, I // BN)
    weights, ids = routing(T, E, K, allowed=(0, 2, 3))  # expert 1 receives no token
    out = run(x, w1, w2, weights, ids, a_scale, fc1_scale, fc2_scale)
    assert out.dtype == torch.bfloat16 and out.shape == (T, H), f"{out.dtype} {tuple(out.shape)}"
    dq = (dequantize_blocks(x, a_scale, 1, BK), dequantize_blocks(w1, fc1_scale, BN, BK),
          dequantize_blocks(w2, fc2_scale, BK, BN))
    expect = moe_loop(dq[0], dq[1], dq[2], weights.double(), ids, I)
    close(out, expect, atol=1e-3 * expect.abs().max().item(), rtol=2 ** -8)
    # The fp8 model matches the unquantised one only loosely: the scales are used, not ignored.
    plain = moe_loop(x_raw, w1_raw, w2_raw, weights.double(), ids, I)
    assert (out.double() - plain).abs().max() < 0.2 * plain.abs().max(), "far from the unquantised MoE"
    # Scales tiled (block index c -> c % blocks) instead of spread over their blocks.
    w1_tiled = w1.double() * fc1_scale.double().repeat(1, BN, BK)
    wrong = moe_loop(dq[0], w1_tiled, dq[2], weights.double(), ids, I)
    assert (out.double() - wrong).abs().max() > 0.1 * expect.abs().max(), "block layout of fc1_scale"


# ----------------------------------------------------------------------------- block_scaled_mm
@check("block_scaled_mm", "3 x 3 blocks of 32 x 64 vs float64 dequantise-then-matmul; fp32 out; b_scales row mapping")
def _():
    M, N, K_, GN, GK = 9, 96, 192, 32, 64
    consts = {"N": N, "K": K_, "GROUP_N": GN, "GROUP_K": GK, "NUM_N_GROUPS": N // GN, "NUM_K_GROUPS": K_ // GK}
    run = load("block_scaled_mm__block_scaled_mm", consts)
    assert params(run) == ["a", "b", "a_scales", "b_scales"]
    torch.manual_seed(13)
    a_raw = randn(M, K_, dtype=torch.float64) * 2.0 ** torch.randint(-4, 5, (M, K_ // GK)).double().repeat_interleave(GK, 1)
    b_raw = randn(N, K_, dtype=torch.float64) * 2.0 ** torch.randint(-4, 5, (N // GN, K_ // GK)).double() \
        .repeat_interleave(GN, 0).repeat_interleave(GK, 1)
    a, a_scales = quantize_blocks(a_raw, 1, GK)
    b, b_scales = quantize_blocks(b_raw, GN, GK)
    c = run(a, b, a_scales, b_scales)
    assert c.dtype == torch.float32 and c.shape == (M, N), f"{c.dtype} {tuple(c.shape)}"
    expect = dequantize_blocks(a, a_scales, 1, GK) @ dequantize_blocks(b, b_scales, GN, GK).T
    close(c, expect, atol=1e-6 * expect.abs().max().item(), rtol=1e-5)
    close(c, a_raw @ b_raw.T, atol=0.05 * expect.abs().max().item(), rtol=0.05, label="vs unquantised")
    # b_scales row j % NUM_N_GROUPS instead of j // GROUP_N.
    wrong_rows = b_scales.double().repeat(GN, 1)  # [N, K groups], row j -> group j % 3
    wrong = sum((a[:, g * GK:(g + 1) * GK].double() @ b[:, g * GK:(g + 1) * GK].double().T)
                * a_scales[:, g, None].double() * wrong_rows[None, :, g] for g in range(K_ // GK))
    assert (c.double() - wrong).abs().max() > 0.1 * expect.abs().max(), "b_scales row mapping"


# ----------------------------------------------------------------------------- linear_sigmoid_mul
@check("linear_sigmoid_mul", "vs float64 linear, gate rounded to bf16, sigmoid * post; bias used; rounding point")
def _():
    T, H, N = 6, 64, 48
    run = load("linear_sigmoid_mul__linear_sigmoid_mul", {"HIDDEN_SIZE": H, "OUT_FEATURES": N})
    assert params(run) == ["hidden_states", "weight", "bias", "post_mul_mat"]
    torch.manual_seed(14)
    x, weight = randn(T, H, scale=2.0), randn(N, H, scale=H ** -0.5)
    bias, post = randn(N), randn(T, N, scale=3.0)
    out = run(x, weight, bias, post)
    assert out.dtype == torch.bfloat16 and out.shape == (T, N), f"{out.dtype} {tuple(out.shape)}"
    gate = torch.nn.functional.linear(x.double(), weight.double(), bias.double())
    rounded = gate.to(torch.bfloat16).double()
    expect = 1 / (1 + torch.exp(-rounded)) * post.double()
    close(out, expect, atol=1e-3, rtol=2 ** -7)
    assert (out == expect.to(torch.bfloat16)).float().mean() > 0.97, "rounded-gate path"
    unbiased = 1 / (1 + torch.exp(-(x.double() @ weight.double().T))) * post.double()
    assert (out.double() - unbiased).abs().max() > 0.05, "bias not used"
    swapped = 1 / (1 + torch.exp(-post.double())) * rounded  # sigmoid of the other operand
    assert (out.double() - swapped).abs().max() > 0.1, "operands not distinguished"


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
