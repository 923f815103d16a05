"""Checks the PyTorch references of solkit's atrex-bench MoE routing definitions.

moe_topk_gating_softmax, moe_align_block_size, moe_count_and_sort and moe_sum_reduce: each
source is read from the raw strings of include/solkit/ops/<op>/torch_reference.hpp (the text
solkit writes into the definition's "reference"), exec()'d after a preamble like solkit's
(imports plus one UPPER_CASE constant per const axis) with small constants, run on random CPU
inputs, and compared with an independent computation (plain Python loops, float64).
moe_align_block_size returns vLLM's max-size buffers: the used rows, then the sentinel
token_count * top_k (expert_ids: -1).

usage: test_atrex_moe_routing.py INCLUDE_DIR
"""
import math
import sys

import torch

from reference_harness import RESULTS, check, load, params


# ----------------------------------------------------------------------------- top-k gating
@check("moe_topk_gating_softmax", "vs float64 softmax by loops and a Python sort; weights not renormalised")
def _():
    E, K, T = 16, 4, 9
    run = load("moe_topk_gating_softmax__topk_gating_softmax", {"NUM_EXPERTS": E, "TOP_K": K})
    assert params(run) == ["gating_output"]
    torch.manual_seed(11)
    logits = torch.randn(T, E, dtype=torch.float32) * 2
    logits[3] += 1000.0  # a large shift: the softmax must subtract the maximum
    weights, ids = run(logits)
    assert weights.dtype == torch.float32 and weights.shape == (T, K)
    assert ids.dtype == torch.int32 and ids.shape == (T, K)
    assert not torch.isnan(weights).any()
    for t in range(T):
        row = [float(v) for v in logits[t]]
        peak = max(row)
        exps = [math.exp(v - peak) for v in row]
        total = sum(exps)
        probs = [x / total for x in exps]
        best = sorted(range(E), key=lambda e: -probs[e])[:K]
        assert ids[t].tolist() == best, f"row {t}: ids {ids[t].tolist()} vs {best}"
        for j, e in enumerate(best):
            assert abs(float(weights[t, j]) - probs[e]) <= 1e-6 * probs[e] + 1e-12, f"row {t} weight {j}"
    assert torch.all(weights[:, :-1] >= weights[:, 1:]), "descending order"
    sums = weights.double().sum(dim=1)
    assert torch.all(sums < 1 - 1e-3), "weights renormalised over the top k"
    renormalised = torch.softmax(torch.topk(logits, K, dim=1).values, dim=1)  # flashinfer-bench's order
    assert (weights - renormalised).abs().max() > 0.05, "softmax-then-top-k not distinguished"


# ----------------------------------------------------------------------------- block alignment
def align_by_loops(ids, E, B):
    """atrex-style compact result: per expert its pair indices, padded with n to a multiple of B."""
    flat = ids.reshape(-1).tolist()
    n = len(flat)
    rows, blocks = [], []
    for e in range(E):
        mine = [p for p in range(n) if flat[p] == e]
        if not mine:
            continue
        while len(mine) % B:
            mine.append(n)
        rows += mine
        blocks += [e] * (len(mine) // B)
    return rows, blocks


def align_cases(E, K, B):
    torch.manual_seed(12)
    yield "random", torch.randint(0, E, (11, K), dtype=torch.int32)  # duplicates within a token
    yield "one token", torch.randint(0, E, (1, K), dtype=torch.int32)
    # Expert 2 gets exactly B = 4 pairs (no padding block), expert 5 gets 5 (padded to 8).
    yield "exact multiple", torch.tensor([[2, 2, 2], [2, 5, 5], [5, 5, 5]], dtype=torch.int32)
    yield "one expert", torch.full((5, K), E - 1, dtype=torch.int32)


@check("moe_align_block_size", "vs per-expert Python loops: used prefix, sentinel tail n, expert_ids -1, P")
def _():
    E, K, B = 8, 3, 4
    run = load("moe_align_block_size__align_block_size", {"TOP_K": K, "NUM_EXPERTS": E, "BLOCK_SIZE": B})
    assert params(run) == ["topk_ids"]
    for label, ids in align_cases(E, K, B):
        n = ids.numel()
        sorted_ids, expert_ids, post_pad = run(ids)
        for name, t in (("sorted_token_ids", sorted_ids), ("expert_ids", expert_ids), ("num_tokens_post_pad", post_pad)):
            assert t.dtype == torch.int32, f"{label}: {name} dtype {t.dtype}"
        max_rows = n + E * (B - 1)
        assert sorted_ids.shape == (max_rows,), f"{label}: {tuple(sorted_ids.shape)}"
        assert expert_ids.shape == ((max_rows + B - 1) // B,) and post_pad.shape == (1,)
        rows, blocks = align_by_loops(ids, E, B)
        P = len(rows)
        assert post_pad.item() == P, f"{label}: P {post_pad.item()} vs {P}"
        assert sorted_ids[:P].tolist() == rows, f"{label}: used rows"
        assert torch.all(sorted_ids[P:] == n), f"{label}: sentinel tail"
        assert expert_ids[:P // B].tolist() == blocks, f"{label}: block experts"
        assert torch.all(expert_ids[P // B:] == -1), f"{label}: unused blocks"
        real = sorted_ids[sorted_ids < n]
        assert sorted(real.tolist()) == list(range(n)), f"{label}: every pair exactly once"
        if label == "exact multiple":
            assert P == 12 and blocks == [2, 5, 5], f"{label}: no padding block for a full group"


# ----------------------------------------------------------------------------- count and sort
@check("moe_count_and_sort", "vs Python loops: flat pairs grouped by expert (ascending), counts, exclusive cumsum")
def _():
    E, K = 8, 3
    run = load("moe_count_and_sort__count_and_sort", {"TOP_K": K, "NUM_EXPERTS": E, "LEN_CUMSUM": E + 1})
    assert params(run) == ["topk_ids"]
    torch.manual_seed(13)
    cases = [torch.randint(0, E, (13, K), dtype=torch.int32),
             torch.randint(0, E, (1, K), dtype=torch.int32),
             torch.tensor([[7, 7, 0], [0, 7, 3]], dtype=torch.int32)]
    for ids in cases:
        T = ids.shape[0]
        sorted_ids, counts, cumsum = run(ids)
        assert sorted_ids.dtype == counts.dtype == cumsum.dtype == torch.int32
        assert sorted_ids.shape == (T, K) and counts.shape == (E,) and cumsum.shape == (E + 1,)
        flat = ids.reshape(-1).tolist()
        expect_counts = [flat.count(e) for e in range(E)]
        expect_sorted = [p for e in range(E) for p in range(len(flat)) if flat[p] == e]
        running = [0]
        for c in expect_counts:
            running.append(running[-1] + c)
        assert counts.tolist() == expect_counts
        assert cumsum.tolist() == running, "exclusive prefix sum with a leading 0"
        assert sorted_ids.reshape(-1).tolist() == expect_sorted, "grouped by expert, ascending within"
    # The hand case: expert 0 has pairs 2, 3; expert 3 pair 5; expert 7 pairs 0, 1, 4.
    assert run(cases[2])[0].reshape(-1).tolist() == [2, 3, 5, 0, 1, 4]


# ----------------------------------------------------------------------------- sum reduce
@check("moe_sum_reduce", "vs float64 loops times the factor; fp32 accumulation, one rounding")
def _():
    K, H, T = 4, 16, 5
    run = load("moe_sum_reduce__sum_reduce", {"TOP_K": K, "HIDDEN_SIZE": H})
    assert params(run) == ["expert_outputs", "routed_scaling_factor"]
    torch.manual_seed(14)
    x = torch.randn(T, K, H, dtype=torch.float64)
    x = torch.where(x.abs() < 1e-3, torch.full_like(x, 1e-3), x)
    x = (x * 0.02).to(torch.bfloat16)
    for factor in (1.0, 2.5):
        out = run(x, factor)
        assert out.dtype == torch.bfloat16 and out.shape == (T, H)
        assert not torch.isnan(out).any()
        expect = torch.empty(T, H, dtype=torch.float64)
        for t in range(T):
            for h in range(H):
                expect[t, h] = factor * sum(float(x[t, j, h]) for j in range(K))
        err = (out.double() - expect).abs()
        assert torch.all(err <= expect.abs() * 2 ** -8 + 1e-6), f"factor {factor}: max err {err.max().item():.3g}"
    ratio = run(x, 2.5).double() / run(x, 1.0).double()
    assert (ratio - 2.5).abs().max() < 0.02, "the factor scales the sum"
    # 1 + 3 * 2^-9: summed in bf16 it stays 1.0; in fp32 it rounds once to 1 + 2^-7.
    y = torch.full((1, K, H), 2.0 ** -9, dtype=torch.bfloat16)
    y[:, 0, :] = 1.0
    assert torch.all(run(y, 1.0) == 1 + 2 ** -7), "fp32 accumulation"


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
