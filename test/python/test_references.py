"""Checks solkit's PyTorch reference sources against independent computations.

The sources are read from the raw strings of include/solkit/ops/*/torch_reference.hpp (the text
solkit writes into every definition's "reference"). Each is exec()'d after a preamble like the
one solkit prepends (imports plus one UPPER_CASE constant per const axis), with small constants,
and run on small random CPU inputs. Then every definition file of the dataset given on the
command line is exec()'d as written, and its run() signature is compared with its inputs.

usage: test_references.py INCLUDE_DIR [DEFINITIONS_DIR]
"""
import glob
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

from reference_harness import RESULTS, check, load, params



def close(actual, expected, atol, rtol, label=""):
    actual = actual.to(torch.float64)
    expected = expected.to(torch.float64)
    assert actual.shape == expected.shape, f"{label} shape {tuple(actual.shape)} vs {tuple(expected.shape)}"
    inf_a, inf_e = torch.isinf(actual), torch.isinf(expected)
    assert torch.equal(inf_a, inf_e), f"{label} inf pattern differs"
    assert torch.equal(actual[inf_a], expected[inf_e]), f"{label} inf signs differ"
    a, e = actual[~inf_a], expected[~inf_e]
    assert not torch.isnan(a).any(), f"{label} has NaN"
    err = (a - e).abs()
    bad = err > atol + rtol * e.abs()
    assert not bad.any(), f"{label} max err {err.max().item():.3g} (atol {atol}, rtol {rtol})"


def bf16(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).to(torch.bfloat16)


# ----------------------------------------------------------------------------- rmsnorm / gemm
@check("rmsnorm/rmsnorm", "vs F.rms_norm (fp32) rounded to bf16")
def _():
    H = 96
    run = load("rmsnorm__common+rmsnorm__rmsnorm", {"HIDDEN_SIZE": H})
    assert params(run) == ["hidden_states", "weight"]
    x, w = bf16(7, H, scale=3.0), bf16(H)
    x[4:] = bf16(3, H, scale=0.004)  # mean(x^2) ~ eps: these rows pin eps = 1e-5
    out = run(x, w)
    assert out.dtype == torch.bfloat16
    ref = F.rms_norm(x.float(), (H,), w.float(), eps=1e-5)
    close(out, ref, atol=1e-2, rtol=1e-2)
    assert (out.float() - ref.to(torch.bfloat16).float()).abs().max() <= ref.abs().max() * 2 ** -7


@check("rmsnorm/fused_add_rmsnorm", "vs F.rms_norm of fp32 sum")
def _():
    H = 64
    run = load("rmsnorm__common+rmsnorm__fused_add_rmsnorm", {"HIDDEN_SIZE": H})
    assert params(run) == ["hidden_states", "residual", "weight"]
    x, r, w = bf16(5, H), bf16(5, H, scale=2.0), bf16(H)
    x[3:], r[3:] = bf16(2, H, scale=0.003), bf16(2, H, scale=0.003)  # rows where eps matters
    out = run(x, r, w)
    assert out.dtype == torch.bfloat16
    ref = F.rms_norm(x.float() + r.float(), (H,), w.float(), eps=1e-5)
    close(out, ref, atol=1e-2, rtol=1e-2)


@check("rmsnorm/gemma", "gemma_rmsnorm and gemma_fused_add_rmsnorm vs F.rms_norm (eps 1e-6) times (1 + weight)")
def _():
    H = 80
    plain = load("rmsnorm__common+rmsnorm__gemma_rmsnorm", {"HIDDEN_SIZE": H})
    fused = load("rmsnorm__common+rmsnorm__gemma_fused_add_rmsnorm", {"HIDDEN_SIZE": H})
    assert params(plain) == ["hidden_states", "weight"]
    assert params(fused) == ["hidden_states", "residual", "weight"]
    x, r, w = bf16(6, H, scale=2.0), bf16(6, H), bf16(H, scale=0.5)
    x[4:] = bf16(2, H, scale=0.001)  # mean(x^2) ~ 1e-6: these rows tell eps 1e-6 from 1e-5
    ref = F.rms_norm(x.float(), (H,), eps=1e-6) * (1.0 + w.float())
    close(plain(x, w), ref, atol=1e-2, rtol=1e-2)
    wrong_eps = F.rms_norm(x.float(), (H,), eps=1e-5) * (1.0 + w.float())
    assert (plain(x, w).float() - wrong_eps).abs().max() > 0.05, "eps not distinguished"
    ref_sum = F.rms_norm(x.float() + r.float(), (H,), eps=1e-6) * (1.0 + w.float())
    close(fused(x, r, w), ref_sum, atol=1e-2, rtol=1e-2)


@check("gemm/gemm", "vs float64 F.linear")
def _():
    M, N, K = 9, 48, 40
    run = load("gemm__gemm", {"N": N, "K": K})
    assert params(run) == ["A", "B"]
    A, B = torch.randn(M, K).half(), torch.randn(N, K).half()
    C = run(A, B)
    assert C.dtype == torch.float16
    close(C, F.linear(A.double(), B.double()), atol=1e-2, rtol=2e-3)


# ----------------------------------------------------------------------------- attention helpers
def brute_attention(q, k, v, scale, q_len, kv_len, head_of):
    """Loop oracle for one sequence: q [q_len,H,Dq], k [kv_len,Hk or 1,Dq], v [kv_len,Hk or 1,Dv]."""
    H = q.shape[1]
    out = torch.zeros(q_len, H, v.shape[-1], dtype=torch.float64)
    lse = torch.full((q_len, H), -math.inf, dtype=torch.float64)
    for i in range(q_len):
        last = i + kv_len - q_len  # last visible kv index
        for h in range(H):
            kh = head_of(h)
            logits = [scale * float(q[i, h].double() @ k[j, kh].double()) for j in range(0, last + 1) if j < kv_len]
            if not logits:
                continue
            m = max(logits)
            z = sum(math.exp(x - m) for x in logits)
            lse[i, h] = (m + math.log(z)) / math.log(2.0)
            acc = torch.zeros(v.shape[-1], dtype=torch.float64)
            for j, x in enumerate(logits):
                acc += math.exp(x - m) / z * v[j, kh].double()
            out[i, h] = acc
    return out, lse


def sdpa_attention(q, k, v, scale, group):
    """F.scaled_dot_product_attention with a bottom-right causal mask; rows seeing nothing -> 0."""
    q_len, kv_len = q.shape[0], k.shape[0]
    if kv_len == 0:
        return torch.zeros(q_len, q.shape[1], v.shape[-1], dtype=torch.float64)
    k = k.double().repeat_interleave(group, dim=1)
    v = v.double().repeat_interleave(group, dim=1)
    mask = torch.ones(q_len, kv_len, dtype=torch.bool).tril(diagonal=kv_len - q_len)
    out = F.scaled_dot_product_attention(
        q.double().transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1), attn_mask=mask, scale=scale
    ).transpose(0, 1)
    return torch.nan_to_num(out * mask.any(dim=1)[:, None, None], nan=0.0)


def make_ragged(lens, *tail, scale=1.0):
    return bf16(sum(lens), *tail, scale=scale)


def paginate(tokens_list, page_size, tail_shape, dtype=torch.bfloat16, seed=0):
    """Scatter per-sequence token tensors into a shuffled paged cache filled with garbage.

    tokens_list: list of [len_s, *tail_shape] tensors (one list entry per cache tensor group).
    Returns caches (one per entry of tokens_list[0]), kv_indptr, kv_indices, kv_last_page_len.
    """
    g = torch.Generator().manual_seed(seed)
    lens = [t[0].shape[0] for t in tokens_list]
    pages_per_seq = [(n + page_size - 1) // page_size for n in lens]
    num_pages = sum(pages_per_seq) + 3
    perm = torch.randperm(num_pages, generator=g)
    caches = [(torch.randn(num_pages, page_size, *shp, generator=g) * 7).to(dtype) for shp in tail_shape]
    indptr, indices, last = [0], [], []
    nxt = 0
    for seq, npages in zip(tokens_list, pages_per_seq):
        ids = perm[nxt:nxt + npages].tolist()
        nxt += npages
        for c, tok in zip(caches, seq):
            for j in range(tok.shape[0]):
                c[ids[j // page_size], j % page_size] = tok[j]
        indices += ids
        indptr.append(len(indices))
        n = seq[0].shape[0]
        last.append(0 if n == 0 else n - (npages - 1) * page_size)
    return (caches, torch.tensor(indptr, dtype=torch.int32), torch.tensor(indices, dtype=torch.int32),
            torch.tensor(last, dtype=torch.int32))


def split(x, lens):
    out, s = [], 0
    for n in lens:
        out.append(x[s:s + n])
        s += n
    return out


def indptr_of(lens):
    return torch.tensor([0] + list(torch.tensor(lens).cumsum(0).tolist()), dtype=torch.int32)


# ----------------------------------------------------------------------------- gqa
HQ, HKV, D = 6, 2, 16
GQA = {"NUM_QO_HEADS": HQ, "NUM_KV_HEADS": HKV, "HEAD_DIM": D}
# A paged definition's parts: paged_common, its mode's common, then its variant's run().
GQA_DECODE = "gqa_paged__paged_common+gqa_paged__decode_common+gqa_paged__"
GQA_PREFILL = "gqa_paged__paged_common+gqa_paged__prefill_causal_common+gqa_paged__"
DECODE_KV = [5, 1, 0, 8, 13, 4]
PREFILL = [(3, 7), (1, 1), (4, 4), (5, 2), (0, 3), (2, 0), (6, 13), (1, 9)]  # (q_len, kv_len)


def gqa_decode_case(page_size, seed):
    torch.manual_seed(seed)
    B = len(DECODE_KV)
    q = bf16(B, HQ, D)
    k, v = make_ragged(DECODE_KV, HKV, D), make_ragged(DECODE_KV, HKV, D)
    seqs = list(zip(split(k, DECODE_KV), split(v, DECODE_KV)))
    (kc, vc), indptr, indices, last = paginate(seqs, page_size, [(HKV, D), (HKV, D)], seed=seed)
    return q, k, v, kc, vc, indptr, indices, last


def gqa_decode_expected(q, k, v, scale):
    outs, lses = [], []
    for b, (kb, vb) in enumerate(zip(split(k, DECODE_KV), split(v, DECODE_KV))):
        o, l = brute_attention(q[b:b + 1], kb, vb, scale, 1, kb.shape[0], lambda h: h // (HQ // HKV))
        outs.append(o[0]); lses.append(l[0])
    return torch.stack(outs), torch.stack(lses)


@check("gqa_paged/decode_ps1", "vs brute-force loop oracle + SDPA on gathered dense K/V")
def _():
    run = load(GQA_DECODE + "decode_ps1", {**GQA, "PAGE_SIZE": 1})
    assert params(run) == ["q", "k_cache", "v_cache", "kv_indptr", "kv_indices", "sm_scale"]
    q, k, v, kc, vc, indptr, indices, _ = gqa_decode_case(1, 1)
    scale = 0.3
    out, lse = run(q, kc, vc, indptr, indices, torch.tensor(scale))
    assert out.dtype == torch.bfloat16 and lse.dtype == torch.float32
    eo, el = gqa_decode_expected(q, k, v, scale)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")
    for b, (kb, vb) in enumerate(zip(split(k, DECODE_KV), split(v, DECODE_KV))):
        close(out[b:b + 1], sdpa_attention(q[b:b + 1], kb, vb, scale, HQ // HKV), 2e-2, 2e-2, "sdpa")


@check("gqa_paged/decode", "vs brute-force oracle; equals decode_ps1 on same tokens (ps=4)")
def _():
    run = load(GQA_DECODE + "decode", {**GQA, "PAGE_SIZE": 4})
    run1 = load(GQA_DECODE + "decode_ps1", {**GQA, "PAGE_SIZE": 1})
    assert params(run) == ["q", "k_cache", "v_cache", "kv_indptr", "kv_indices", "kv_last_page_len", "sm_scale"]
    q, k, v, kc, vc, indptr, indices, last = gqa_decode_case(4, 2)
    out, lse = run(q, kc, vc, indptr, indices, last, 0.25)
    eo, el = gqa_decode_expected(q, k, v, 0.25)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")
    _, _, _, kc1, vc1, indptr1, indices1, _ = gqa_decode_case(1, 2)
    o1, l1 = run1(q, kc1, vc1, indptr1, indices1, 0.25)
    close(out, o1, 1e-2, 1e-2, "vs ps1"); close(lse, l1, 1e-5, 1e-5, "lse vs ps1")


def gqa_prefill_case(page_size, seed):
    torch.manual_seed(seed)
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    q = make_ragged(qlens, HQ, D)
    k, v = make_ragged(kvlens, HKV, D), make_ragged(kvlens, HKV, D)
    seqs = list(zip(split(k, kvlens), split(v, kvlens)))
    (kc, vc), indptr, indices, last = paginate(seqs, page_size, [(HKV, D), (HKV, D)], seed=seed)
    return q, k, v, kc, vc, indptr_of(qlens), indptr, indices, last


def gqa_prefill_expected(q, k, v, scale):
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    outs, lses = [], []
    for qb, kb, vb in zip(split(q, qlens), split(k, kvlens), split(v, kvlens)):
        o, l = brute_attention(qb, kb, vb, scale, qb.shape[0], kb.shape[0], lambda h: h // (HQ // HKV))
        outs.append(o); lses.append(l)
    return torch.cat(outs), torch.cat(lses)


@check("gqa_paged/prefill_causal_ps1", "vs brute-force oracle + SDPA (bottom-right causal)")
def _():
    run = load(GQA_PREFILL + "prefill_causal_ps1", {**GQA, "PAGE_SIZE": 1})
    assert params(run) == ["q", "k_cache", "v_cache", "qo_indptr", "kv_indptr", "kv_indices", "sm_scale"]
    q, k, v, kc, vc, qo, indptr, indices, _ = gqa_prefill_case(1, 3)
    out, lse = run(q, kc, vc, qo, indptr, indices, 0.3)
    eo, el = gqa_prefill_expected(q, k, v, 0.3)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    sd = torch.cat([sdpa_attention(qb, kb, vb, 0.3, HQ // HKV)
                    for qb, kb, vb in zip(split(q, qlens), split(k, kvlens), split(v, kvlens))])
    close(out, sd, 2e-2, 2e-2, "sdpa")


@check("gqa_paged/prefill_causal", "vs brute-force oracle; equals ps1 and gqa_ragged on same tokens (ps=4)")
def _():
    run = load(GQA_PREFILL + "prefill_causal", {**GQA, "PAGE_SIZE": 4})
    run1 = load(GQA_PREFILL + "prefill_causal_ps1", {**GQA, "PAGE_SIZE": 1})
    runr = load("gqa_ragged__ragged_common+gqa_ragged__prefill_causal", GQA)
    assert params(run) == ["q", "k_cache", "v_cache", "qo_indptr", "kv_indptr", "kv_indices",
                           "kv_last_page_len", "sm_scale"]
    q, k, v, kc, vc, qo, indptr, indices, last = gqa_prefill_case(4, 4)
    out, lse = run(q, kc, vc, qo, indptr, indices, last, torch.tensor(0.2))
    eo, el = gqa_prefill_expected(q, k, v, 0.2)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")
    _, _, _, kc1, vc1, qo1, indptr1, indices1, _ = gqa_prefill_case(1, 4)
    o1, l1 = run1(q, kc1, vc1, qo1, indptr1, indices1, 0.2)
    close(out, o1, 1e-2, 1e-2, "vs ps1"); close(lse, l1, 1e-5, 1e-5, "lse vs ps1")
    kvlens = [b for _, b in PREFILL]
    o2, l2 = runr(q, k, v, qo, indptr_of(kvlens), 0.2)
    close(out, o2, 1e-2, 1e-2, "vs ragged"); close(lse, l2, 1e-5, 1e-5, "lse vs ragged")


@check("gqa_ragged/prefill_causal", "vs brute-force oracle + SDPA")
def _():
    run = load("gqa_ragged__ragged_common+gqa_ragged__prefill_causal", GQA)
    assert params(run) == ["q", "k", "v", "qo_indptr", "kv_indptr", "sm_scale"]
    q, k, v, *_ = gqa_prefill_case(1, 5)
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    out, lse = run(q, k, v, indptr_of(qlens), indptr_of(kvlens), 0.35)
    eo, el = gqa_prefill_expected(q, k, v, 0.35)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")
    sd = torch.cat([sdpa_attention(qb, kb, vb, 0.35, HQ // HKV)
                    for qb, kb, vb in zip(split(q, qlens), split(k, kvlens), split(v, kvlens))])
    close(out, sd, 2e-2, 2e-2, "sdpa")


@check("gqa_ragged/prefill", "bidirectional: vs unmasked float64 SDPA and logsumexp; differs from causal")
def _():
    run = load("gqa_ragged__ragged_common+gqa_ragged__prefill", GQA)
    causal = load("gqa_ragged__ragged_common+gqa_ragged__prefill_causal", GQA)
    assert params(run) == ["q", "k", "v", "qo_indptr", "kv_indptr", "sm_scale"]
    q, k, v, *_ = gqa_prefill_case(1, 6)
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    out, lse = run(q, k, v, indptr_of(qlens), indptr_of(kvlens), 0.3)
    assert out.dtype == torch.bfloat16 and lse.dtype == torch.float32
    group = HQ // HKV
    for qb, kb, vb, ob, lb in zip(split(q, qlens), split(k, kvlens), split(v, kvlens),
                                  split(out, qlens), split(lse, qlens)):
        if qb.shape[0] == 0:
            continue
        if kb.shape[0] == 0:  # nothing to attend: zero output, lse -inf
            assert (ob == 0).all() and torch.isneginf(lb).all()
            continue
        kk = kb.double().repeat_interleave(group, dim=1).transpose(0, 1)
        vv = vb.double().repeat_interleave(group, dim=1).transpose(0, 1)
        qq = qb.double().transpose(0, 1)
        expect = F.scaled_dot_product_attention(qq, kk, vv, scale=0.3).transpose(0, 1)
        close(ob, expect, 2e-2, 2e-2, "sdpa")
        logits = torch.einsum("hqd,hkd->hqk", qq, kk) * 0.3
        close(lb, (torch.logsumexp(logits, dim=-1) / math.log(2.0)).T, 1e-4, 1e-4, "lse")
    masked, _ = causal(q, k, v, indptr_of(qlens), indptr_of(kvlens), 0.3)
    assert (masked.double() - out.double()).abs().max() > 0.05, "no mask and causal mask agree"


# ----------------------------------------------------------------------------- mla
MH, CKV, KPE = 4, 24, 8
MLA = {"NUM_QO_HEADS": MH, "HEAD_DIM_CKV": CKV, "HEAD_DIM_KPE": KPE}
MLA_DECODE = "mla_paged__paged_common+mla_paged__decode_common+mla_paged__"
MLA_PREFILL = "mla_paged__paged_common+mla_paged__prefill_causal_common+mla_paged__"


def mla_case(page_size, seed, qlens, kvlens):
    torch.manual_seed(seed)
    qn, qp = make_ragged(qlens, MH, CKV), make_ragged(qlens, MH, KPE)
    ckv, kpe = make_ragged(kvlens, CKV), make_ragged(kvlens, KPE)
    seqs = list(zip(split(ckv, kvlens), split(kpe, kvlens)))
    (cc, pc), indptr, indices, last = paginate(seqs, page_size, [(CKV,), (KPE,)], seed=seed)
    return qn, qp, ckv, kpe, cc, pc, indptr, indices, last


def mla_expected(qn, qp, ckv, kpe, scale, qlens, kvlens):
    """Brute-force MLA as MQA with k = [ckv, kpe], v = ckv, plus SDPA cross-check of the output."""
    outs, lses = [], []
    for a, b, c, d in zip(split(qn, qlens), split(qp, qlens), split(ckv, kvlens), split(kpe, kvlens)):
        q = torch.cat([a, b], dim=-1)
        k = torch.cat([c, d], dim=-1)[:, None, :]
        o, l = brute_attention(q, k, c[:, None, :], scale, q.shape[0], k.shape[0], lambda h: 0)
        close(o, sdpa_attention(q, k, c[:, None, :], scale, MH), 1e-9, 1e-9, "brute vs sdpa")
        outs.append(o); lses.append(l)
    return torch.cat(outs), torch.cat(lses)


@check("mla_paged/decode_ps1", "vs brute-force MQA oracle (k=[ckv,kpe], v=ckv) + SDPA")
def _():
    run = load(MLA_DECODE + "decode_ps1", {**MLA, "PAGE_SIZE": 1})
    assert params(run) == ["q_nope", "q_pe", "ckv_cache", "kpe_cache", "kv_indptr", "kv_indices", "sm_scale"]
    ones = [1] * len(DECODE_KV)
    qn, qp, ckv, kpe, cc, pc, indptr, indices, _ = mla_case(1, 6, ones, DECODE_KV)
    out, lse = run(qn, qp, cc, pc, indptr, indices, 0.15)
    eo, el = mla_expected(qn, qp, ckv, kpe, 0.15, ones, DECODE_KV)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")


@check("mla_paged/decode", "vs brute-force oracle; equals decode_ps1 (ps=4)")
def _():
    run = load(MLA_DECODE + "decode", {**MLA, "PAGE_SIZE": 4})
    run1 = load(MLA_DECODE + "decode_ps1", {**MLA, "PAGE_SIZE": 1})
    assert params(run) == ["q_nope", "q_pe", "ckv_cache", "kpe_cache", "kv_indptr", "kv_indices",
                           "kv_last_page_len", "sm_scale"]
    ones = [1] * len(DECODE_KV)
    qn, qp, ckv, kpe, cc, pc, indptr, indices, last = mla_case(4, 7, ones, DECODE_KV)
    out, lse = run(qn, qp, cc, pc, indptr, indices, last, torch.tensor(0.15))
    eo, el = mla_expected(qn, qp, ckv, kpe, 0.15, ones, DECODE_KV)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")
    *_, cc1, pc1, indptr1, indices1, _ = mla_case(1, 7, ones, DECODE_KV)
    o1, l1 = run1(qn, qp, cc1, pc1, indptr1, indices1, 0.15)
    close(out, o1, 1e-2, 1e-2, "vs ps1"); close(lse, l1, 1e-5, 1e-5, "lse vs ps1")


@check("mla_paged/prefill_causal_ps1", "vs brute-force causal oracle + SDPA")
def _():
    run = load(MLA_PREFILL + "prefill_causal_ps1", {**MLA, "PAGE_SIZE": 1})
    assert params(run) == ["q_nope", "q_pe", "ckv_cache", "kpe_cache", "qo_indptr", "kv_indptr",
                           "kv_indices", "sm_scale"]
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    qn, qp, ckv, kpe, cc, pc, indptr, indices, _ = mla_case(1, 8, qlens, kvlens)
    out, lse = run(qn, qp, cc, pc, indptr_of(qlens), indptr, indices, 0.15)
    eo, el = mla_expected(qn, qp, ckv, kpe, 0.15, qlens, kvlens)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")


@check("mla_paged/prefill_causal", "vs brute-force oracle; equals ps1 and mla_ragged (MHA form) (ps=4)")
def _():
    run = load(MLA_PREFILL + "prefill_causal", {**MLA, "PAGE_SIZE": 4})
    run1 = load(MLA_PREFILL + "prefill_causal_ps1", {**MLA, "PAGE_SIZE": 1})
    runr = load("mla_ragged__prefill_causal", {"NUM_QO_HEADS": MH, "NUM_KV_HEADS": MH,
                                               "QK_DIM": CKV + KPE, "VO_DIM": CKV})
    assert params(run) == ["q_nope", "q_pe", "ckv_cache", "kpe_cache", "qo_indptr", "kv_indptr",
                           "kv_indices", "kv_last_page_len", "sm_scale"]
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    qn, qp, ckv, kpe, cc, pc, indptr, indices, last = mla_case(4, 9, qlens, kvlens)
    out, lse = run(qn, qp, cc, pc, indptr_of(qlens), indptr, indices, last, 0.15)
    eo, el = mla_expected(qn, qp, ckv, kpe, 0.15, qlens, kvlens)
    close(out, eo, 2e-2, 2e-2, "output"); close(lse, el, 1e-4, 1e-4, "lse")
    *_, cc1, pc1, indptr1, indices1, _ = mla_case(1, 9, qlens, kvlens)
    o1, l1 = run1(qn, qp, cc1, pc1, indptr_of(qlens), indptr1, indices1, 0.15)
    close(out, o1, 1e-2, 1e-2, "vs ps1"); close(lse, l1, 1e-5, 1e-5, "lse vs ps1")
    k = torch.cat([ckv, kpe], dim=-1)[:, None, :].expand(-1, MH, -1).contiguous()
    v = ckv[:, None, :].expand(-1, MH, -1).contiguous()
    o2, l2 = runr(torch.cat([qn, qp], dim=-1), k, v, indptr_of(qlens), indptr_of(kvlens), 0.15)
    close(out, o2, 1e-2, 1e-2, "vs ragged"); close(lse, l2, 1e-5, 1e-5, "lse vs ragged")


@check("mla_ragged/prefill_causal", "vs brute-force oracle + SDPA (GQA grouping, vo_dim != qk_dim)")
def _():
    cfg = {"NUM_QO_HEADS": 4, "NUM_KV_HEADS": 2, "QK_DIM": 12, "VO_DIM": 8}
    run = load("mla_ragged__prefill_causal", cfg)
    assert params(run) == ["q", "k", "v", "qo_indptr", "kv_indptr", "sm_scale"]
    torch.manual_seed(10)
    qlens, kvlens = [a for a, _ in PREFILL], [b for _, b in PREFILL]
    q, k, v = make_ragged(qlens, 4, 12), make_ragged(kvlens, 2, 12), make_ragged(kvlens, 2, 8)
    out, lse = run(q, k, v, indptr_of(qlens), indptr_of(kvlens), 0.4)
    outs, lses, sds = [], [], []
    for qb, kb, vb in zip(split(q, qlens), split(k, kvlens), split(v, kvlens)):
        o, l = brute_attention(qb, kb, vb, 0.4, qb.shape[0], kb.shape[0], lambda h: h // 2)
        outs.append(o); lses.append(l); sds.append(sdpa_attention(qb, kb, vb, 0.4, 2))
    close(out, torch.cat(outs), 2e-2, 2e-2, "output"); close(lse, torch.cat(lses), 1e-4, 1e-4, "lse")
    close(out, torch.cat(sds), 2e-2, 2e-2, "sdpa")


# ----------------------------------------------------------------------------- dsa
@check("dsa_paged/sparse_attention", "vs brute-force over listed slots; all-slots row equals mla_paged decode")
def _():
    PS, TOPK = 4, 16
    cfg = {**MLA, "PAGE_SIZE": PS, "TOPK": TOPK}
    run = load("dsa_paged__sparse_attention", cfg)
    assert params(run) == ["q_nope", "q_pe", "ckv_cache", "kpe_cache", "sparse_indices", "sm_scale"]
    torch.manual_seed(11)
    T, num_pages = 5, 9
    qn, qp = bf16(T, MH, CKV), bf16(T, MH, KPE)
    cc, pc = bf16(num_pages, PS, CKV), bf16(num_pages, PS, KPE)
    idx = torch.full((T, TOPK), -1, dtype=torch.int32)
    counts = [16, 7, 0, 1, 11]
    for t, n in enumerate(counts):
        sel = torch.randperm(num_pages * PS)[:n]
        row = torch.full((TOPK,), -1, dtype=torch.int64)
        row[torch.randperm(TOPK)[:n]] = sel  # padding interleaved with valid slots
        idx[t] = row.to(torch.int32)
    out, lse = run(qn, qp, cc, pc, idx, 0.2)
    for t in range(T):
        slots = [int(s) for s in idx[t] if s != -1]
        if not slots:
            assert torch.all(out[t] == 0) and torch.all(torch.isneginf(lse[t]))
            continue
        c = torch.stack([cc[s // PS, s % PS] for s in slots])
        p = torch.stack([pc[s // PS, s % PS] for s in slots])
        q = torch.cat([qn[t:t + 1], qp[t:t + 1]], dim=-1)
        k = torch.cat([c, p], dim=-1)[:, None, :]
        # one query that sees every listed slot: q_len = 1, kv_len = len(slots)
        o, l = brute_attention(q, k, c[:, None, :], 0.2, 1, len(slots), lambda h: 0)
        close(out[t], o[0], 2e-2, 2e-2, f"output t={t}"); close(lse[t], l[0], 1e-4, 1e-4, f"lse t={t}")
    # sequence laid out in pages 6, 2, 7 (10 tokens): listing its slots == mla_paged decode
    pages, n = [6, 2, 7], 10
    slots = [pages[j // PS] * PS + j % PS for j in range(n)]
    row = torch.tensor(slots[::-1] + [-1] * (TOPK - n), dtype=torch.int32)[None]
    o1, l1 = run(qn[:1], qp[:1], cc, pc, row, 0.2)
    dec = load(MLA_DECODE + "decode", {**MLA, "PAGE_SIZE": PS})
    o2, l2 = dec(qn[:1], qp[:1], cc, pc, torch.tensor([0, 3], dtype=torch.int32),
                 torch.tensor(pages, dtype=torch.int32), torch.tensor([n - 2 * PS], dtype=torch.int32), 0.2)
    close(o1, o2, 1e-2, 1e-2, "vs mla decode"); close(l1, l2, 1e-5, 1e-5, "lse vs mla decode")


@check("dsa_paged/topk_indexer_fp8", "vs brute-force scoring of hand-packed deep_gemm cache; global slot ids")
def _():
    NH, HD, PS, TOPK = 4, 16, 4, 8
    cfg = {"NUM_INDEX_HEADS": NH, "INDEX_HEAD_DIM": HD, "PAGE_SIZE": PS, "TOPK": TOPK,
           "KV_CACHE_NUM_HEADS": 1, "HEAD_DIM_WITH_SCALE": HD + 4}
    run = load("dsa_paged__topk_indexer_fp8", cfg)
    assert params(run) == ["q_index_fp8", "k_index_cache_fp8", "weights", "seq_lens", "block_table"]
    torch.manual_seed(12)
    num_pages, B, max_pages = 10, 4, 4
    vals = torch.randn(num_pages, PS, HD).to(torch.float8_e4m3fn)
    scales = torch.rand(num_pages, PS) * 0.5 + 0.05
    raw = bytearray()
    for p in range(num_pages):  # per page: fp8 bytes (token-major), then one fp32 scale per token
        raw += vals[p].contiguous().view(torch.uint8).flatten().numpy().tobytes()
        raw += b"".join(struct.pack("<f", float(scales[p, s])) for s in range(PS))
    cache = torch.frombuffer(raw, dtype=torch.int8).clone().view(num_pages, PS, 1, HD + 4)
    q = torch.randn(B, NH, HD).to(torch.float8_e4m3fn)
    w = torch.rand(B, NH) + 0.1
    seq_lens = torch.tensor([13, 5, 0, 16], dtype=torch.int32)
    block_table = torch.stack([torch.randperm(num_pages)[:max_pages] for _ in range(B)]).to(torch.int32)
    got = run(q, cache, w, seq_lens, block_table)
    assert got.dtype == torch.int32 and got.shape == (B, TOPK)
    for b in range(B):
        n = int(seq_lens[b])
        score = {}
        for t in range(n):
            page, off = int(block_table[b, t // PS]), t % PS
            k = vals[page, off].double() * float(scales[page, off])
            score[page * PS + off] = sum(float(w[b, h]) * max(0.0, float(q[b, h].double() @ k)) for h in range(NH))
        m = min(TOPK, n)
        row = [int(x) for x in got[b]]
        assert row[m:] == [-1] * (TOPK - m), f"padding b={b}: {row}"
        chosen = row[:m]
        assert len(set(chosen)) == m and all(c in score for c in chosen), f"b={b} bad slots {chosen}"
        best = sorted(score.values(), reverse=True)[:m]
        assert all(abs(x - y) <= 1e-4 * max(1.0, abs(y)) for x, y in
                   zip(sorted((score[c] for c in chosen), reverse=True), best)), f"b={b} not top-k"


# ----------------------------------------------------------------------------- gdn
HQg, HKg, HVg, DS = 2, 2, 4, 8
GDN = {"NUM_Q_HEADS": HQg, "NUM_K_HEADS": HKg, "NUM_V_HEADS": HVg, "HEAD_SIZE": DS}


def gdn_oracle(q, k, v, S0, A_log, a, dt_bias, b, scale):
    """Token loop in float64, written in the k-first form of FIB's gdn.md:
    state = state * exp(g); v_new = (v - k @ state) * beta; state += k^T v_new; o = scale * q @ state.
    q, k: [T, H*, DS]; v: [T, HV, DS]; S0: [HV, V, K] k-last. Returns outputs [T, HV, DS], states per token."""
    T = q.shape[0]
    S = [S0[h].double().T.clone() for h in range(HVg)]  # k-first [K, V]
    outs = torch.zeros(T, HVg, DS, dtype=torch.float64)
    states = []
    for t in range(T):
        for h in range(HVg):
            qh = q[t, h // (HVg // HQg)].double()
            kh = k[t, h // (HVg // HKg)].double()
            x = float(a[t, h]) + float(dt_bias[h])
            softplus = math.log1p(math.exp(x))
            g = -math.exp(float(A_log[h])) * softplus
            beta = 1.0 / (1.0 + math.exp(-float(b[t, h])))
            S[h] = S[h] * math.exp(g)
            v_new = (v[t, h].double() - kh @ S[h]) * beta
            S[h] = S[h] + torch.outer(kh, v_new)
            outs[t, h] = scale * (qh @ S[h])
        states.append(torch.stack([s.T for s in S]))  # back to k-last
    return outs, states


def gdn_inputs(T, seed):
    torch.manual_seed(seed)
    q, k, v = bf16(T, HQg, DS, scale=0.5), bf16(T, HKg, DS, scale=0.5), bf16(T, HVg, DS)
    A_log = torch.randn(HVg) * 0.5
    a, b = bf16(T, HVg), bf16(T, HVg)
    dt_bias = torch.randn(HVg) * 0.5
    return q, k, v, A_log, a, dt_bias, b


@check("gdn/prefill", "vs float64 per-head loop of FIB gdn.md update; None state; empty seq keeps state")
def _():
    run = load("gdn__recurrence_common+gdn__prefill", GDN)
    assert params(run) == ["q", "k", "v", "state", "A_log", "a", "dt_bias", "b", "cu_seqlens", "scale"]
    lens = [3, 0, 5, 1]
    q, k, v, A_log, a, dt_bias, b = gdn_inputs(sum(lens), 13)
    state = torch.randn(len(lens), HVg, DS, DS) * 0.3
    cu = torch.tensor([0] + torch.tensor(lens).cumsum(0).tolist(), dtype=torch.int64)
    for st in (state, None):
        out, new_state = run(q, k, v, st, A_log, a, dt_bias, b, cu, 0.4)
        assert out.dtype == torch.bfloat16 and new_state.dtype == torch.float32
        s = 0
        for i, n in enumerate(lens):
            S0 = torch.zeros(HVg, DS, DS) if st is None else st[i]
            sl = slice(s, s + n)
            o, states = gdn_oracle(q[sl], k[sl], v[sl], S0, A_log, a[sl], dt_bias, b[sl], 0.4)
            close(out[sl], o, 2e-2, 2e-2, f"output seq {i}")
            close(new_state[i], states[-1] if n else S0, 1e-4, 1e-4, f"state seq {i}")
            s += n
    o_default, _ = run(q, k, v, state, A_log, a, dt_bias, b, cu, 0.0)
    o_explicit, _ = run(q, k, v, state, A_log, a, dt_bias, b, cu, torch.tensor(1 / math.sqrt(DS)))
    assert torch.equal(o_default, o_explicit)


@check("gdn/decode", "vs float64 oracle; None state; equals prefill with 1-token sequences")
def _():
    run = load("gdn__recurrence_common+gdn__decode", {**GDN, "SEQ_LEN": 1})
    pre = load("gdn__recurrence_common+gdn__prefill", GDN)
    assert params(run) == ["q", "k", "v", "state", "A_log", "a", "dt_bias", "b", "scale"]
    B = 3
    q, k, v, A_log, a, dt_bias, b = gdn_inputs(B, 14)
    state = torch.randn(B, HVg, DS, DS) * 0.3
    for st in (state, None):
        out, new_state = run(q[:, None], k[:, None], v[:, None], st, A_log, a[:, None], dt_bias, b[:, None], 0.5)
        assert out.shape == (B, 1, HVg, DS) and out.dtype == torch.bfloat16
        for i in range(B):
            S0 = torch.zeros(HVg, DS, DS) if st is None else st[i]
            o, states = gdn_oracle(q[i:i + 1], k[i:i + 1], v[i:i + 1], S0, A_log, a[i:i + 1], dt_bias,
                                   b[i:i + 1], 0.5)
            close(out[i], o, 2e-2, 2e-2, "output"); close(new_state[i], states[-1], 1e-4, 1e-4, "state")
    o2, s2 = pre(q, k, v, state, A_log, a, dt_bias, b, torch.arange(B + 1, dtype=torch.int64), 0.5)
    out, new_state = run(q[:, None], k[:, None], v[:, None], state, A_log, a[:, None], dt_bias, b[:, None], 0.5)
    close(out[:, 0], o2, 1e-2, 1e-2, "vs prefill"); close(new_state, s2, 1e-5, 1e-5, "state vs prefill")


@check("gdn/mtp", "vs float64 oracle from pooled states; final_state == pool; buffer[slot, t] = state after t")
def _():
    run = load("gdn__recurrence_common+gdn__mtp", GDN)
    assert params(run) == ["q", "k", "v", "initial_state", "initial_state_indices", "A_log", "a", "dt_bias",
                           "b", "scale", "intermediate_states_buffer"]
    B, T, pool = 3, 3, 5
    q, k, v, A_log, a, dt_bias, b = gdn_inputs(B * T, 15)
    shape = lambda x: x.view(B, T, *x.shape[1:])  # noqa: E731
    pool_state = torch.randn(pool, HVg, DS, DS) * 0.3
    slots = torch.tensor([4, 0, 2], dtype=torch.int32)
    sentinel = 123.0
    buf = torch.full((pool, T, HVg, DS, DS), sentinel)
    out, final = run(shape(q), shape(k), shape(v), pool_state, slots, A_log, shape(a), dt_bias, shape(b), 0.3, buf)
    assert out.shape == (B, T, HVg, DS) and final.dtype == torch.float32
    assert torch.equal(final, pool_state), "final_state must be the unchanged pool"
    for i in range(B):
        sl = slice(i * T, (i + 1) * T)
        o, states = gdn_oracle(q[sl], k[sl], v[sl], pool_state[int(slots[i])], A_log, a[sl], dt_bias, b[sl], 0.3)
        close(out[i], o, 2e-2, 2e-2, "output")
        for t in range(T):
            close(buf[int(slots[i]), t], states[t], 1e-4, 1e-4, f"buffer t={t}")
    untouched = [s for s in range(pool) if s not in slots.tolist()]
    assert torch.all(buf[untouched] == sentinel)
    out2, final2 = run(shape(q), shape(k), shape(v), pool_state, slots, A_log, shape(a), dt_bias, shape(b), 0.3)
    assert torch.equal(out2, out) and torch.equal(final2, pool_state)


# ----------------------------------------------------------------------------- mamba
@check("mamba_ssu/decode", "vs float64 element loop; padding slot; untouched slots preserved")
def _():
    NH, HD, DSt, NG = 4, 3, 5, 2
    run = load("mamba_ssu__decode", {"NHEADS": NH, "HEAD_DIM": HD, "DSTATE": DSt, "NGROUPS": NG})
    assert params(run) == ["state", "x", "dt", "A", "B", "C", "D", "dt_bias", "state_batch_indices"]
    torch.manual_seed(16)
    Bsz, cache = 4, 6
    state = bf16(cache, NH, HD, DSt)
    x, dt = bf16(Bsz, NH, HD), bf16(Bsz, NH, HD)
    A = -torch.rand(NH, HD, DSt) * 2
    Bm, Cm = bf16(Bsz, NG, DSt), bf16(Bsz, NG, DSt)
    Dm, dt_bias = bf16(NH, HD), bf16(NH, HD)
    idx = torch.tensor([5, -1, 0, 3], dtype=torch.int32)
    out, new_state = run(state, x, dt, A, Bm, Cm, Dm, dt_bias, idx)
    assert out.dtype == torch.bfloat16 and new_state.dtype == torch.bfloat16
    exp_state = state.double().clone()
    exp_out = torch.zeros(Bsz, NH, HD, dtype=torch.float64)
    for i in range(Bsz):
        s = int(idx[i])
        if s < 0:
            continue
        for h in range(NH):
            g = h // (NH // NG)
            for p in range(HD):
                delta = math.log1p(math.exp(float(dt[i, h, p]) + float(dt_bias[h, p])))
                acc = 0.0
                for n in range(DSt):
                    val = float(state[s, h, p, n]) * math.exp(delta * float(A[h, p, n])) \
                        + delta * float(x[i, h, p]) * float(Bm[i, g, n])
                    exp_state[s, h, p, n] = val
                    acc += val * float(Cm[i, g, n])
                exp_out[i, h, p] = acc + float(Dm[h, p]) * float(x[i, h, p])
    close(out, exp_out, 2e-2, 2e-2, "output"); close(new_state, exp_state, 1e-2, 1e-2, "state")
    assert torch.all(out[1] == 0)
    for s in (1, 2, 4):
        assert torch.equal(new_state[s], state[s])


# ----------------------------------------------------------------------------- moe
def fp8_block_inputs(seq_len, E_local, H, I, seed):
    torch.manual_seed(seed)
    hs = torch.randn(seq_len, H).to(torch.float8_e4m3fn)
    hs_scale = torch.rand(H // 128, seq_len) * 0.5 + 0.5
    w1 = (torch.randn(E_local, 2 * I, H) * 0.5).to(torch.float8_e4m3fn)
    w1s = torch.rand(E_local, 2 * I // 128, H // 128) * 0.02 + 0.01
    w2 = (torch.randn(E_local, H, I) * 0.5).to(torch.float8_e4m3fn)
    w2s = torch.rand(E_local, H // 128, I // 128) * 0.02 + 0.01
    return hs, hs_scale, w1, w1s, w2, w2s


def block_dequant(w, s):
    """Explicit per-block loop dequantisation, float64."""
    out = w.double().clone()
    for r in range(s.shape[0]):
        for c in range(s.shape[1]):
            out[r * 128:(r + 1) * 128, c * 128:(c + 1) * 128] *= float(s[r, c])
    return out


def moe_oracle(choices, hs, hs_scale, w1, w1s, w2, w2s, offset, E_local, I):
    """choices: per token list of (global expert, weight). gemm1 rows [0, I) = up, [I, 2I) = gate."""
    T, H = hs.shape
    out = torch.zeros(T, H, dtype=torch.float64)
    for t in range(T):
        x = torch.tensor([float(hs[t, c]) * float(hs_scale[c // 128, t]) for c in range(H)], dtype=torch.float64)
        for e, wt in choices[t]:
            le = e - offset
            if not 0 <= le < E_local:
                continue
            h = block_dequant(w1[le], w1s[le]) @ x
            up, gate = h[:I], h[I:]
            act = gate / (1.0 + torch.exp(-gate)) * up
            out[t] += wt * (block_dequant(w2[le], w2s[le]) @ act)
    return out


@check("moe/ds_routing", "vs per-token Python DeepSeek-V3 routing + float64 block-loop dequant experts (EP offsets)")
def _():
    E, EL, H, I, TOPK, NG, KG = 16, 8, 256, 128, 4, 4, 2
    cfg = {"NUM_EXPERTS": E, "NUM_LOCAL_EXPERTS": EL, "HIDDEN_SIZE": H, "INTERMEDIATE_SIZE": I,
           "GEMM1_OUT_SIZE": 2 * I, "NUM_HIDDEN_BLOCKS": H // 128, "NUM_INTERMEDIATE_BLOCKS": I // 128,
           "NUM_GEMM1_OUT_BLOCKS": 2 * I // 128, "TOP_K": TOPK, "N_GROUP": NG, "TOPK_GROUP": KG, "BLOCK_SIZE": 128}
    run = load("moe__experts_common+moe__ds_routing", cfg)
    assert params(run) == ["routing_logits", "routing_bias", "hidden_states", "hidden_states_scale",
                           "gemm1_weights", "gemm1_weights_scale", "gemm2_weights", "gemm2_weights_scale",
                           "local_expert_offset", "routed_scaling_factor"]
    T = 6
    hs, hs_scale, w1, w1s, w2, w2s = fp8_block_inputs(T, EL, H, I, 17)
    logits = torch.randn(T, E) * 2
    bias = bf16(E, scale=0.5)
    choices = []
    for t in range(T):
        s = [1.0 / (1.0 + math.exp(-float(logits[t, e]))) for e in range(E)]
        sb = [s[e] + float(bias[e]) for e in range(E)]
        gsize = E // NG
        gscore = [sum(sorted(sb[g * gsize:(g + 1) * gsize], reverse=True)[:2]) for g in range(NG)]
        kept = sorted(range(NG), key=lambda g: -gscore[g])[:KG]
        cands = [e for e in range(E) if e // gsize in kept]
        top = sorted(cands, key=lambda e: -sb[e])[:TOPK]
        tot = sum(s[e] for e in top)
        choices.append([(e, s[e] / tot * 2.5) for e in top])
    for offset in (0, 8):
        out = run(logits, bias, hs, hs_scale, w1, w1s, w2, w2s, torch.tensor(offset, dtype=torch.int32),
                  torch.tensor(2.5))
        assert out.dtype == torch.bfloat16
        exp = moe_oracle(choices, hs, hs_scale, w1, w1s, w2, w2s, offset, EL, I)
        assert exp.abs().max() > 0
        close(out, exp, 2e-2 * exp.abs().max().item(), 2e-2, f"offset {offset}")
    out_plain = run(logits, bias, hs, hs_scale, w1, w1s, w2, w2s, 8, 2.5)
    assert torch.equal(out_plain, out)


@check("moe/renorm", "vs per-token Python top-k + softmax routing + float64 experts (EP=1 and EP offset)")
def _():
    H, I, TOPK = 256, 128, 3
    base = {"HIDDEN_SIZE": H, "INTERMEDIATE_SIZE": I, "GEMM1_OUT_SIZE": 2 * I, "TOP_K": TOPK,
            "NUM_HIDDEN_BLOCKS": H // 128, "NUM_INTERMEDIATE_BLOCKS": I // 128,
            "NUM_GEMM1_OUT_BLOCKS": 2 * I // 128, "BLOCK_SIZE": 128}
    T = 5
    for E, EL, offset in ((8, 8, None), (12, 6, 6)):
        variant = "moe__renorm" if offset is None else "moe__renorm_expert_parallel"
        run = load("moe__experts_common+moe__renorm_common+" + variant,
                   {**base, "NUM_EXPERTS": E, "NUM_LOCAL_EXPERTS": EL})
        expected_params = ["routing_logits", "hidden_states", "hidden_states_scale", "gemm1_weights",
                           "gemm1_weights_scale", "gemm2_weights", "gemm2_weights_scale"]
        if offset is not None:
            expected_params.append("local_expert_offset")
        assert params(run) == expected_params
        hs, hs_scale, w1, w1s, w2, w2s = fp8_block_inputs(T, EL, H, I, 18 + E)
        logits = bf16(T, E, scale=2.0)
        choices = []
        for t in range(T):
            top = sorted(range(E), key=lambda e: -float(logits[t, e]))[:TOPK]
            z = sum(math.exp(float(logits[t, e])) for e in top)
            choices.append([(e, math.exp(float(logits[t, e])) / z) for e in top])
        args = (logits, hs, hs_scale, w1, w1s, w2, w2s)
        out = run(*args) if offset is None else run(*args, offset)
        exp = moe_oracle(choices, hs, hs_scale, w1, w1s, w2, w2s, offset or 0, EL, I)
        assert exp.abs().max() > 0
        close(out, exp, 2e-2 * exp.abs().max().item(), 2e-2, f"E={E}")


# ----------------------------------------------------------------------------- sampling
V = 40


def sample_rows(run, row, n, *per_row):
    probs = row[None].expand(n, -1).contiguous()
    args = [torch.full((n,), val, dtype=dt) for val, dt in per_row]
    s = run(probs, *args)
    assert s.dtype == torch.int64 and s.shape == (n,)
    return torch.bincount(s, minlength=V).double() / n


def nucleus(dist, p):
    """Explicit loop: smallest prefix (by descending prob) whose cumulative mass reaches p."""
    order = sorted(range(V), key=lambda i: (-float(dist[i]), i))
    kept, mass = [], 0.0
    for i in order:
        if mass >= p:
            break
        kept.append(i)
        mass += float(dist[i])
    return kept


def restrict(dist, kept):
    out = torch.zeros(V, dtype=torch.float64)
    out[kept] = dist.double()[kept]
    return out / out.sum()


def sampling_row(seed):
    torch.manual_seed(seed)
    return torch.softmax(torch.randn(V) * 1.5, dim=0)


@check("sampling/top_k", "empirical frequencies (40k draws) vs explicitly filtered distribution; k<=0, k>=V")
def _():
    run = load("sampling__sampling_common+sampling__top_k", {"VOCAB_SIZE": V})
    assert params(run) == ["probs", "top_k"]
    row = sampling_row(19)
    top5 = sorted(range(V), key=lambda i: -float(row[i]))[:5]
    torch.manual_seed(0)
    for k, expect in ((5, restrict(row, top5)), (0, row.double()), (V, row.double()), (-3, row.double())):
        freq = sample_rows(run, row, 40000, (k, torch.int32))
        assert torch.all(freq[expect == 0] == 0), f"k={k} sampled filtered token"
        assert (freq - expect).abs().max() < 0.015, f"k={k} freq mismatch {(freq - expect).abs().max():.3f}"


@check("sampling/top_p", "empirical frequencies vs explicit nucleus loop; p<=0 argmax; p>=1 full")
def _():
    run = load("sampling__sampling_common+sampling__top_p", {"VOCAB_SIZE": V})
    assert params(run) == ["probs", "top_p"]
    row = sampling_row(20)
    torch.manual_seed(0)
    for p in (0.3, 0.75, 1.0):
        expect = restrict(row, nucleus(row, p))
        freq = sample_rows(run, row, 40000, (p, torch.float32))
        assert torch.all(freq[expect == 0] == 0), f"p={p} sampled filtered token"
        assert (freq - expect).abs().max() < 0.015, f"p={p} freq mismatch"
    for p in (0.0, -1.0):
        freq = sample_rows(run, row, 100, (p, torch.float32))
        assert freq[int(row.argmax())] == 1.0
    mixed = torch.stack([row, sampling_row(21)])
    s = run(mixed, torch.tensor([0.0, 0.0]))
    assert s.tolist() == [int(row.argmax()), int(mixed[1].argmax())]


@check("sampling/top_k_top_p", "empirical frequencies vs explicit top-k -> renormalise -> nucleus")
def _():
    run = load("sampling__sampling_common+sampling__top_k_top_p", {"VOCAB_SIZE": V})
    assert params(run) == ["probs", "top_k", "top_p"]
    row = sampling_row(22)
    torch.manual_seed(0)
    for k, p in ((10, 0.6), (10, 1.0), (0, 0.5), (4, 0.0), (V, 0.9)):
        kept_k = sorted(range(V), key=lambda i: -float(row[i]))[:k] if 0 < k < V else list(range(V))
        after_k = restrict(row, kept_k)
        expect = after_k if p >= 1 else restrict(after_k, nucleus(after_k, p)) if p > 0 else \
            restrict(row, [int(row.argmax())])
        freq = sample_rows(run, row, 40000, (k, torch.int32), (p, torch.float32))
        assert torch.all(freq[expect == 0] == 0), f"k={k} p={p} sampled filtered token"
        assert (freq - expect).abs().max() < 0.015, f"k={k} p={p} freq mismatch"


# ----------------------------------------------------------------------------- rope
def rope_case(seed, hs, rd):
    torch.manual_seed(seed)
    T, max_len = 7, 32
    q, k = bf16(T, 3, hs), bf16(T, 2, hs)
    inv_freq = 1.0 / (10000 ** (torch.arange(0, rd, 2, dtype=torch.float64) / rd))
    ang = torch.arange(max_len, dtype=torch.float64)[:, None] * inv_freq[None]
    cache = torch.cat([ang.cos(), ang.sin()], dim=-1).float()
    pos = torch.randint(0, max_len, (T,), dtype=torch.int64)
    return q, k, cache, pos, ang


def rope_complex(x, ang, pos, rd, interleaved):
    """Rotation as complex multiplication by exp(i * angle)."""
    x = x.double()
    if interleaved:
        z = torch.complex(x[..., 0:rd:2], x[..., 1:rd:2])
    else:
        z = torch.complex(x[..., :rd // 2], x[..., rd // 2:rd])
    z = z * torch.polar(torch.ones_like(ang[pos]), ang[pos])[:, None, :]
    rot = torch.stack([z.real, z.imag], dim=-1).flatten(-2) if interleaved else torch.cat([z.real, z.imag], dim=-1)
    return torch.cat([rot, x[..., rd:]], dim=-1)


for style, interleaved in (("neox", False), ("gptj", True)):
    @check(f"rope/{style}", "vs complex-multiplication rotation (float64); partial rotary dims pass through")
    def _(style=style, interleaved=interleaved):
        HS, RD = 16, 8
        run = load(f"rope__{style}+rope__rotation_common", {"HEAD_SIZE": HS, "ROTARY_DIM": RD})
        assert params(run) == ["q", "k", "cos_sin_cache", "positions"]
        q, k, cache, pos, ang = rope_case(23, HS, RD)
        qo, ko = run(q, k, cache, pos)
        assert qo.dtype == torch.bfloat16 and ko.dtype == torch.bfloat16
        close(qo, rope_complex(q, ang, pos, RD, interleaved), 2e-2, 1e-2, "q")
        close(ko, rope_complex(k, ang, pos, RD, interleaved), 2e-2, 1e-2, "k")
        assert torch.equal(qo[..., RD:], q[..., RD:]) and torch.equal(ko[..., RD:], k[..., RD:])
        other = rope_complex(q, ang, pos, RD, not interleaved)
        assert (qo.double() - other).abs().max() > 0.1, "style not distinguished"


def check_dataset_files(definitions_dir):
    """Each definition file's reference runs as written: exec succeeds and run() takes the inputs."""
    files = sorted(glob.glob(os.path.join(definitions_dir, "*", "*.json")))
    assert files, f"no definition files under {definitions_dir}"
    for path in files:
        definition = json.load(open(path))
        ns = {"__name__": "dataset_reference"}
        exec(compile(definition["reference"], path, "exec"), ns)
        assert params(ns["run"]) == list(definition["inputs"]), f"{path}: run() signature"
    return len(files)


if len(sys.argv) > 2:
    @check("dataset", "every definition file's reference executes and run() takes its inputs")
    def _():
        count = check_dataset_files(sys.argv[2])
        print(f"executed the references of {count} definition files")


if __name__ == "__main__":
    width = max(len(n) for n, *_ in RESULTS)
    for name, what, status, err in RESULTS:
        print(f"{status}  {name:<{width}}  {what}" + (f"\n      {err}" if err else ""))
    failed = sum(s == "FAIL" for _, _, s, _ in RESULTS)
    print(f"\n{len(RESULTS) - failed}/{len(RESULTS)} passed")
    sys.exit(1 if failed else 0)
