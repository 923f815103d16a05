"""Checks the PyTorch references of solkit's atrex-bench reshape_and_cache and topk_filter
definitions.

Each source is read from the raw strings of include/solkit/ops/<op>/torch_reference.hpp (the text
solkit writes into the definition's "reference"), exec()'d after a preamble like solkit's with
small constants, run on random CPU inputs (never zeros), and compared with an independent
computation: reshape_and_cache against a token-by-token loop over the flattened cache (the
reference indexes [block, position]); topk_filter against a per-row Python loop over the sorted
row and against torch.topk's k-th value (the reference uses torch.kthvalue). Tie rows and padding
(negative) slots are included.

usage: test_atrex_cache_filter.py INCLUDE_DIR
"""
import sys

import torch

from reference_harness import RESULTS, check, load, params


def randn(*shape, dtype=torch.bfloat16):
    """Random values, none of them zero (a zero hides a row that was not written)."""
    x = torch.randn(*shape, dtype=torch.float64)
    x = torch.where(x.abs() < 1e-3, torch.full_like(x, 1e-3), x)
    return x.to(dtype)


# ----------------------------------------------------------------------------- reshape_and_cache
BS, HKV, D = 4, 3, 8  # block_size differs from num_blocks: a swapped block/position shows
CACHE_CONSTS = {"BLOCK_SIZE": BS, "NUM_KV_HEADS": HKV, "HEAD_SIZE": D}


def scatter_loop(cache, rows, slot_mapping):
    """Token by token into the cache seen as [num_blocks * BS] slots of [HKV, D]."""
    out = cache.clone()
    flat = out.view(-1, HKV, D)
    for t, slot in enumerate(slot_mapping.tolist()):
        if slot >= 0:
            flat[slot] = rows[t]
    return out


@check("reshape_and_cache/scatter", "random distinct slots with padding vs a loop over the flat cache; inputs untouched")
def _():
    run = load("reshape_and_cache__reshape_and_cache", CACHE_CONSTS)
    assert params(run) == ["key", "value", "key_cache", "value_cache", "slot_mapping"]
    torch.manual_seed(11)
    num_blocks, n = 5, 9
    key, value = randn(n, HKV, D), randn(n, HKV, D)
    key_cache, value_cache = randn(num_blocks, BS, HKV, D), randn(num_blocks, BS, HKV, D)
    slots = torch.randperm(num_blocks * BS - 1)[:n]  # the last slot is never a target
    slots[[2, 6]] = torch.tensor([-1, -7])  # padding tokens
    slot_mapping = slots.to(torch.int64)
    before_k, before_v = key_cache.clone(), value_cache.clone()
    new_k, new_v = run(key, value, key_cache, value_cache, slot_mapping)
    for name, t in (("new_key_cache", new_k), ("new_value_cache", new_v)):
        assert t.dtype == torch.bfloat16 and t.shape == (num_blocks, BS, HKV, D), f"{name} {t.dtype} {tuple(t.shape)}"
        assert not torch.isnan(t.float()).any(), f"{name} has NaN"
    assert torch.equal(new_k, scatter_loop(key_cache, key, slot_mapping)), "key cache differs from the loop"
    assert torch.equal(new_v, scatter_loop(value_cache, value, slot_mapping)), "value cache differs from the loop"
    assert torch.equal(key_cache, before_k) and torch.equal(value_cache, before_v), "inputs modified"
    # Python's index -1 would hit the last slot: padding must not write it.
    assert torch.equal(new_k[-1, -1], key_cache[-1, -1]) and torch.equal(new_v[-1, -1], value_cache[-1, -1])
    # Explicit [block, position] of one token; a position-major mistake ([slot % num_blocks,
    # slot // num_blocks]) gives another cache.
    s = int(slot_mapping[0])
    assert torch.equal(new_k[s // BS, s % BS], key[0]), "token 0 not at [slot // BS, slot % BS]"
    swapped = key_cache.clone()
    for t, slot in enumerate(slot_mapping.tolist()):
        if slot >= 0:
            swapped[slot % num_blocks, slot // num_blocks] = key[t]
    assert not torch.equal(new_k, swapped), "block/position order not distinguished"
    written = (new_k != key_cache).any(dim=(2, 3)).sum().item()
    assert written == n - 2, f"{written} slots changed, expected {n - 2}"


@check("reshape_and_cache/atrex_inputs", "atrex's input maker: arange slots into ceil(N/BS) zero blocks == key padded")
def _():
    run = load("reshape_and_cache__reshape_and_cache", CACHE_CONSTS)
    torch.manual_seed(12)
    n = 10
    num_blocks = (n + BS - 1) // BS
    key, value = randn(n, HKV, D), randn(n, HKV, D)
    zeros = torch.zeros(num_blocks, BS, HKV, D, dtype=torch.bfloat16)
    new_k, new_v = run(key, value, zeros, zeros.clone(), torch.arange(n, dtype=torch.int64))
    pad = torch.zeros(num_blocks * BS - n, HKV, D, dtype=torch.bfloat16)
    assert torch.equal(new_k.reshape(-1, HKV, D), torch.cat([key, pad])), "keys not in slot order"
    assert torch.equal(new_v.reshape(-1, HKV, D), torch.cat([value, pad])), "values not in slot order"
    assert not torch.equal(new_k, new_v), "key and value caches not distinguished"


@check("reshape_and_cache/all_padding", "every slot negative: caches returned unchanged (as copies)")
def _():
    run = load("reshape_and_cache__reshape_and_cache", CACHE_CONSTS)
    torch.manual_seed(13)
    key, value = randn(3, HKV, D), randn(3, HKV, D)
    key_cache, value_cache = randn(2, BS, HKV, D), randn(2, BS, HKV, D)
    new_k, new_v = run(key, value, key_cache, value_cache, torch.full((3,), -1, dtype=torch.int64))
    assert torch.equal(new_k, key_cache) and torch.equal(new_v, value_cache)
    assert new_k.data_ptr() != key_cache.data_ptr(), "the reference must return a copy"


# ----------------------------------------------------------------------------- topk_filter
V, K = 64, 5


def mask_loop(logits, k):
    """Row by row: threshold = the k-th entry of the row sorted descending (float64)."""
    out = torch.empty(logits.shape, dtype=torch.float64)
    for r, row in enumerate(logits.double().tolist()):
        threshold = sorted(row, reverse=True)[k - 1]
        out[r] = torch.tensor([v if v >= threshold else float("-inf") for v in row], dtype=torch.float64)
    return out


def same_masked(actual, expected, label):
    assert actual.dtype == torch.float32 and actual.shape == expected.shape, f"{label} {actual.dtype} {tuple(actual.shape)}"
    assert not torch.isnan(actual).any(), f"{label} has NaN"
    assert torch.equal(actual.double(), expected), f"{label} differs"


@check("topk_filter/random", "random rows vs a sorted-row loop and torch.topk's k-th value; exactly k kept")
def _():
    run = load("topk_filter__topk_filter", {"VOCAB_SIZE": V, "TOP_K": K})
    assert params(run) == ["logits"]
    torch.manual_seed(21)
    logits = randn(7, V, dtype=torch.float32) * 3
    logits[3] -= 50  # an all-negative row
    out = run(logits)
    same_masked(out, mask_loop(logits, K), "vs loop")
    threshold = torch.topk(logits, K, dim=1).values[:, -1:]
    expect = logits.masked_fill(logits < threshold, float("-inf"))
    assert torch.equal(out, expect), "differs from torch.topk's threshold"
    assert (torch.isfinite(out).sum(dim=1) == K).all(), "distinct values: exactly k kept"
    kept = torch.isfinite(out)
    assert torch.equal(out[kept], logits[kept]), "kept values must pass unchanged"
    # The k-th smallest instead of the k-th largest (a kthvalue off-by-direction) keeps V - K + 1.
    wrong = torch.kthvalue(logits, K, dim=1, keepdim=True).values
    assert not torch.equal(out, logits.masked_fill(logits < wrong, float("-inf"))), "direction not distinguished"


@check("topk_filter/ties", "ties at the k-th value all kept (more than k); an index-based top-k would drop them")
def _():
    run = load("topk_filter__topk_filter", {"VOCAB_SIZE": V, "TOP_K": K})
    torch.manual_seed(22)
    logits = torch.randint(-8, 9, (6, V)).to(torch.float32) + 0.5  # few distinct values: many ties
    logits[0] = 1.25  # a constant row keeps everything
    logits[1] = torch.linspace(-3, 3, V)
    logits[1, 10:13] = 10.0  # three maxima ...
    logits[1, 20:25] = 7.0   # ... then five tied at the 5th place: 8 kept
    out = run(logits)
    same_masked(out, mask_loop(logits, K), "vs loop")
    counts = torch.isfinite(out).sum(dim=1)
    assert counts[0] == V and counts[1] == 8, f"kept {counts.tolist()}"
    assert (counts >= K).all() and (counts > K).any(), f"ties not kept: {counts.tolist()}"
    by_index = torch.full_like(logits, float("-inf"))
    idx = torch.topk(logits, K, dim=1).indices
    by_index.scatter_(1, idx, logits.gather(1, idx))
    assert not torch.equal(out, by_index), "exactly-k selection not distinguished"


@check("topk_filter/edges", "top_k = vocab keeps all, top_k = 1 keeps the maxima; -inf inputs")
def _():
    torch.manual_seed(23)
    logits = randn(4, V, dtype=torch.float32)
    logits[2, :V // 2] = float("-inf")  # masked already: still only the top k of the rest kept
    keep_all = load("topk_filter__topk_filter", {"VOCAB_SIZE": V, "TOP_K": V})(logits)
    assert torch.equal(keep_all, logits), "top_k == vocab keeps every value"
    top1 = load("topk_filter__topk_filter", {"VOCAB_SIZE": V, "TOP_K": 1})(logits)
    same_masked(top1, mask_loop(logits, 1), "top_k 1")
    assert torch.equal(top1.argmax(dim=1), logits.argmax(dim=1)) and (torch.isfinite(top1).sum(dim=1) == 1).all()
    out = load("topk_filter__topk_filter", {"VOCAB_SIZE": V, "TOP_K": K})(logits)
    same_masked(out, mask_loop(logits, K), "with -inf")


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
