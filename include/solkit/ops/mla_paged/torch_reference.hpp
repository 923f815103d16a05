// PyTorch `run` sources for the mla_paged definitions' "reference" field; solkit prepends the constants preamble.
// A definition's reference is paged_common, then decode_common or prefill_causal_common, then its run().
#pragma once

#include <string_view>

namespace solkit::ops::mla_paged::torch_reference {

// Reading a sequence's latent cache out of the pages, shared by decode and prefill.
inline constexpr std::string_view paged_common = R"py(def _paged_kv(ckv_cache, kpe_cache, kv_indptr, kv_indices, kv_last_page_len):
    """ckv and kpe of every sequence that owns pages, read from the paged caches in fp32.

    ckv_cache:        [num_pages, PAGE_SIZE, HEAD_DIM_CKV] bf16 (keys and values)
    kpe_cache:        [num_pages, PAGE_SIZE, HEAD_DIM_KPE] bf16
    kv_indptr:        [batch_size + 1] i32; sequence b owns the pages
                      kv_indices[kv_indptr[b]:kv_indptr[b + 1]], in token order
    kv_indices:       [num_kv_indices] i32 page ids
    kv_last_page_len: [batch_size] i32; tokens held by the last page of each
                      sequence (1..PAGE_SIZE), every other page is full
    Yields (b, ckv, kpe), ckv [kv_len, HEAD_DIM_CKV] and kpe [kv_len, HEAD_DIM_KPE] with
    kv_len >= 1, for each sequence b that owns pages.
    """
    batch_size = kv_indptr.shape[0] - 1
    assert ckv_cache.shape[1:] == (PAGE_SIZE, HEAD_DIM_CKV)
    assert kpe_cache.shape == (ckv_cache.shape[0], PAGE_SIZE, HEAD_DIM_KPE)
    assert kv_last_page_len.shape == (batch_size,)
    for b in range(batch_size):
        start, end = int(kv_indptr[b]), int(kv_indptr[b + 1])
        if start == end:
            continue
        pages = kv_indices[start:end].to(torch.long)
        kv_len = (end - start - 1) * PAGE_SIZE + int(kv_last_page_len[b])
        ckv = ckv_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        kpe = kpe_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        yield b, ckv, kpe
)py";

// The decode computation behind both decode run() signatures below.
inline constexpr std::string_view decode_common = R"py(def _attend(q_nope, q_pe, ckv, kpe, sm_scale):
    """Absorbed-MLA attention of one decode query over its sequence, in fp32.

    q_nope: [NUM_QO_HEADS, HEAD_DIM_CKV]; q_pe: [NUM_QO_HEADS, HEAD_DIM_KPE];
    ckv: [kv_len, HEAD_DIM_CKV]; kpe: [kv_len, HEAD_DIM_KPE] with kv_len >= 1.
    logits = sm_scale * (q_nope . ckv_j + q_pe . kpe_j); the values are ckv.
    Returns output [NUM_QO_HEADS, HEAD_DIM_CKV] and base-2 lse [NUM_QO_HEADS].
    """
    logits = (q_nope @ ckv.T + q_pe @ kpe.T) * sm_scale
    lse = torch.logsumexp(logits, dim=-1)
    return torch.softmax(logits, dim=-1) @ ckv, lse / math.log(2.0)


def _decode(q_nope, q_pe, ckv_cache, kpe_cache, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched MLA decode (absorbed weights) over a paged cache (the cache inputs as in _paged_kv).

    q_nope:   [batch_size, NUM_QO_HEADS, HEAD_DIM_CKV] bf16, one query per sequence
    q_pe:     [batch_size, NUM_QO_HEADS, HEAD_DIM_KPE] bf16
    sm_scale: softmax scale (number or 0-d tensor)
    returns output [batch_size, NUM_QO_HEADS, HEAD_DIM_CKV] bf16 = softmax(logits) @ ckv and
            lse [batch_size, NUM_QO_HEADS] f32 = log2(sum_j exp(logits_j)), where
            logits_j = sm_scale * (q_nope . ckv_j + q_pe . kpe_j);
    a sequence without pages gets output 0 and lse -inf.
    """
    batch_size = q_nope.shape[0]
    assert q_nope.shape[1:] == (NUM_QO_HEADS, HEAD_DIM_CKV)
    assert q_pe.shape == (batch_size, NUM_QO_HEADS, HEAD_DIM_KPE)
    assert kv_indptr.shape == (batch_size + 1,)
    sm_scale = float(sm_scale)

    device = q_nope.device
    output = torch.zeros(batch_size, NUM_QO_HEADS, HEAD_DIM_CKV, dtype=torch.float32, device=device)
    lse = torch.full((batch_size, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=device)
    for b, ckv, kpe in _paged_kv(ckv_cache, kpe_cache, kv_indptr, kv_indices, kv_last_page_len):
        output[b], lse[b] = _attend(
            q_nope[b].to(torch.float32), q_pe[b].to(torch.float32), ckv, kpe, sm_scale
        )
    return output.to(torch.bfloat16), lse
)py";

// The causal prefill computation behind both prefill run() signatures below.
inline constexpr std::string_view prefill_causal_common = R"py(def _attend_causal(q_nope, q_pe, ckv, kpe, sm_scale):
    """Causal absorbed-MLA attention of one sequence, in fp32, mask aligned bottom-right.

    q_nope: [q_len, NUM_QO_HEADS, HEAD_DIM_CKV]; q_pe: [q_len, NUM_QO_HEADS, HEAD_DIM_KPE];
    ckv: [kv_len, HEAD_DIM_CKV]; kpe: [kv_len, HEAD_DIM_KPE].
    logits = sm_scale * (q_nope . ckv_j + q_pe . kpe_j); the values are ckv.
    Query i sees kv token j iff j <= i + kv_len - q_len.
    Returns output [q_len, NUM_QO_HEADS, HEAD_DIM_CKV] and base-2 lse [q_len, NUM_QO_HEADS];
    a query that sees no kv token gets output 0 and lse -inf.
    """
    q_len, kv_len = q_nope.shape[0], ckv.shape[0]
    logits = (torch.einsum("qhd,kd->qhk", q_nope, ckv) + torch.einsum("qhd,kd->qhk", q_pe, kpe)) * sm_scale
    i = torch.arange(q_len, device=ckv.device)[:, None, None]
    j = torch.arange(kv_len, device=ckv.device)[None, None, :]
    logits = logits.masked_fill(j > i + (kv_len - q_len), -math.inf)
    lse = torch.logsumexp(logits, dim=-1)
    probs = torch.exp(logits - torch.where(torch.isfinite(lse), lse, 0.0)[..., None])
    return probs @ ckv, lse / math.log(2.0)


def _prefill_causal(q_nope, q_pe, ckv_cache, kpe_cache, qo_indptr, kv_indptr, kv_indices, kv_last_page_len,
                    sm_scale):
    """Batched causal MLA prefill (absorbed weights) over a paged cache (the cache inputs as in
    _paged_kv).

    q_nope:    [total_q, NUM_QO_HEADS, HEAD_DIM_CKV] bf16; sequence b owns the queries
               q_nope[qo_indptr[b]:qo_indptr[b + 1]], which are its last q_len tokens
    q_pe:      [total_q, NUM_QO_HEADS, HEAD_DIM_KPE] bf16
    qo_indptr: [batch_size + 1] i32
    sm_scale:  softmax scale (number or 0-d tensor)
    Query i of a sequence sees kv token j iff j <= i + kv_len - q_len.
    returns output [total_q, NUM_QO_HEADS, HEAD_DIM_CKV] bf16 = softmax(logits) @ ckv and
            lse [total_q, NUM_QO_HEADS] f32 = log2(sum_{visible j} exp(logits_j)), where
            logits_j = sm_scale * (q_nope . ckv_j + q_pe . kpe_j);
    a query that sees no kv token gets output 0 and lse -inf.
    """
    total_q = q_nope.shape[0]
    assert q_nope.shape[1:] == (NUM_QO_HEADS, HEAD_DIM_CKV)
    assert q_pe.shape == (total_q, NUM_QO_HEADS, HEAD_DIM_KPE)
    assert kv_indptr.shape == qo_indptr.shape
    assert total_q == int(qo_indptr[-1])
    sm_scale = float(sm_scale)

    device = q_nope.device
    output = torch.zeros(total_q, NUM_QO_HEADS, HEAD_DIM_CKV, dtype=torch.float32, device=device)
    lse = torch.full((total_q, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=device)
    for b, ckv, kpe in _paged_kv(ckv_cache, kpe_cache, kv_indptr, kv_indices, kv_last_page_len):
        rows = slice(int(qo_indptr[b]), int(qo_indptr[b + 1]))
        output[rows], lse[rows] = _attend_causal(
            q_nope[rows].to(torch.float32), q_pe[rows].to(torch.float32), ckv, kpe, sm_scale
        )
    return output.to(torch.bfloat16), lse
)py";

// run() of the decode definition with page size 1, which has no kv_last_page_len input.
inline constexpr std::string_view decode_ps1 = R"py(@torch.no_grad()
def run(q_nope, q_pe, ckv_cache, kpe_cache, kv_indptr, kv_indices, sm_scale):
    """Batched MLA decode (see _decode) over pages of one token: every last page is full."""
    assert PAGE_SIZE == 1
    last_page_len = torch.ones(q_nope.shape[0], dtype=torch.int32)
    return _decode(q_nope, q_pe, ckv_cache, kpe_cache, kv_indptr, kv_indices, last_page_len, sm_scale)
)py";

// run() of the decode definition with page size > 1.
inline constexpr std::string_view decode = R"py(@torch.no_grad()
def run(q_nope, q_pe, ckv_cache, kpe_cache, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched MLA decode over a paged cache (see _decode)."""
    return _decode(q_nope, q_pe, ckv_cache, kpe_cache, kv_indptr, kv_indices, kv_last_page_len, sm_scale)
)py";

// run() of the prefill definition with page size 1, which has no kv_last_page_len input.
inline constexpr std::string_view prefill_causal_ps1 = R"py(@torch.no_grad()
def run(q_nope, q_pe, ckv_cache, kpe_cache, qo_indptr, kv_indptr, kv_indices, sm_scale):
    """Batched causal MLA prefill (see _prefill_causal) over pages of one token: every last page is full."""
    assert PAGE_SIZE == 1
    last_page_len = torch.ones(qo_indptr.shape[0] - 1, dtype=torch.int32)
    return _prefill_causal(q_nope, q_pe, ckv_cache, kpe_cache, qo_indptr, kv_indptr, kv_indices, last_page_len,
                           sm_scale)
)py";

// run() of the prefill definition with page size > 1.
inline constexpr std::string_view prefill_causal = R"py(@torch.no_grad()
def run(q_nope, q_pe, ckv_cache, kpe_cache, qo_indptr, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched causal MLA prefill over a paged cache (see _prefill_causal)."""
    return _prefill_causal(q_nope, q_pe, ckv_cache, kpe_cache, qo_indptr, kv_indptr, kv_indices,
                           kv_last_page_len, sm_scale)
)py";

}  // namespace solkit::ops::mla_paged::torch_reference
