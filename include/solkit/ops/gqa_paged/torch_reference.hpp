// PyTorch `run` sources for the gqa_paged definitions' "reference" field; solkit prepends the constants preamble.
// A definition's reference is paged_common, then decode_common or prefill_causal_common, then its run().
#pragma once

#include <string_view>

namespace solkit::ops::gqa_paged::torch_reference {

// Reading a sequence's K and V out of the paged caches, shared by decode and prefill.
inline constexpr std::string_view paged_common = R"py(def _paged_kv(k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len):
    """K and V of every sequence that owns pages, read from the paged caches in fp32.

    k_cache, v_cache: [num_pages, PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM] bf16
    kv_indptr:        [batch_size + 1] i32; sequence b owns the pages
                      kv_indices[kv_indptr[b]:kv_indptr[b + 1]], in token order
    kv_indices:       [num_kv_indices] i32 page ids
    kv_last_page_len: [batch_size] i32; tokens held by the last page of each
                      sequence (1..PAGE_SIZE), every other page is full
    Yields (b, k, v), k and v [kv_len, NUM_KV_HEADS, HEAD_DIM] with kv_len >= 1, for each
    sequence b that owns pages.
    """
    batch_size = kv_indptr.shape[0] - 1
    assert k_cache.shape[1:] == (PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM)
    assert v_cache.shape == k_cache.shape
    assert kv_last_page_len.shape == (batch_size,)
    for b in range(batch_size):
        start, end = int(kv_indptr[b]), int(kv_indptr[b + 1])
        if start == end:
            continue
        pages = kv_indices[start:end].to(torch.long)
        kv_len = (end - start - 1) * PAGE_SIZE + int(kv_last_page_len[b])
        k = k_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        v = v_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        yield b, k, v
)py";

// The decode computation behind both decode run() signatures below.
inline constexpr std::string_view decode_common = R"py(def _attend(q, k, v, sm_scale):
    """Attention of one decode query over all kv tokens of its sequence, in fp32.

    q: [NUM_QO_HEADS, HEAD_DIM]; k, v: [kv_len, NUM_KV_HEADS, HEAD_DIM] with kv_len >= 1.
    Query head h reads kv head h // (NUM_QO_HEADS // NUM_KV_HEADS).
    Returns output [NUM_QO_HEADS, HEAD_DIM] and base-2 lse [NUM_QO_HEADS].
    """
    group = NUM_QO_HEADS // NUM_KV_HEADS
    k = k.repeat_interleave(group, dim=1)
    v = v.repeat_interleave(group, dim=1)
    logits = torch.einsum("hd,khd->hk", q, k) * sm_scale
    lse = torch.logsumexp(logits, dim=-1)
    output = torch.einsum("hk,khd->hd", torch.softmax(logits, dim=-1), v)
    return output, lse / math.log(2.0)


def _decode(q, k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched GQA decode over a paged KV cache (the cache inputs as in _paged_kv).

    q:        [batch_size, NUM_QO_HEADS, HEAD_DIM] bf16, one query per sequence
    sm_scale: softmax scale (number or 0-d tensor)
    returns output [batch_size, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [batch_size, NUM_QO_HEADS] f32 = log2(sum_j exp(sm_scale * q . k_j));
    a sequence without pages gets output 0 and lse -inf.
    """
    batch_size = q.shape[0]
    assert q.shape[1:] == (NUM_QO_HEADS, HEAD_DIM)
    assert kv_indptr.shape == (batch_size + 1,)
    sm_scale = float(sm_scale)

    output = torch.zeros(batch_size, NUM_QO_HEADS, HEAD_DIM, dtype=torch.float32, device=q.device)
    lse = torch.full((batch_size, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=q.device)
    for b, k, v in _paged_kv(k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len):
        output[b], lse[b] = _attend(q[b].to(torch.float32), k, v, sm_scale)
    return output.to(torch.bfloat16), lse
)py";

// The causal prefill computation behind both prefill run() signatures below.
inline constexpr std::string_view prefill_causal_common = R"py(def _attend_causal(q, k, v, sm_scale):
    """Causal GQA attention of one sequence, in fp32, mask aligned bottom-right.

    q: [q_len, NUM_QO_HEADS, HEAD_DIM]; k, v: [kv_len, NUM_KV_HEADS, HEAD_DIM].
    Query i sees kv token j iff j <= i + kv_len - q_len; query head h reads
    kv head h // (NUM_QO_HEADS // NUM_KV_HEADS).
    Returns output [q_len, NUM_QO_HEADS, HEAD_DIM] and base-2 lse [q_len, NUM_QO_HEADS];
    a query that sees no kv token gets output 0 and lse -inf.
    """
    q_len, kv_len = q.shape[0], k.shape[0]
    group = NUM_QO_HEADS // NUM_KV_HEADS
    k = k.repeat_interleave(group, dim=1)
    v = v.repeat_interleave(group, dim=1)
    logits = torch.einsum("qhd,khd->hqk", q, k) * sm_scale
    i = torch.arange(q_len, device=q.device)[:, None]
    j = torch.arange(kv_len, device=q.device)[None, :]
    logits = logits.masked_fill(j > i + (kv_len - q_len), -math.inf)
    lse = torch.logsumexp(logits, dim=-1)
    probs = torch.exp(logits - torch.where(torch.isfinite(lse), lse, 0.0)[..., None])
    output = torch.einsum("hqk,khd->qhd", probs, v)
    return output, (lse / math.log(2.0)).T


def _prefill_causal(q, k_cache, v_cache, qo_indptr, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched causal GQA prefill over a paged KV cache (the cache inputs as in _paged_kv).

    q:         [total_q, NUM_QO_HEADS, HEAD_DIM] bf16; sequence b owns the queries
               q[qo_indptr[b]:qo_indptr[b + 1]], which are its last q_len tokens
    qo_indptr: [batch_size + 1] i32
    sm_scale:  softmax scale (number or 0-d tensor)
    Query i of a sequence sees kv token j iff j <= i + kv_len - q_len.
    returns output [total_q, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [total_q, NUM_QO_HEADS] f32 = log2(sum_{visible j} exp(sm_scale * q . k_j));
    a query that sees no kv token gets output 0 and lse -inf.
    """
    total_q = q.shape[0]
    assert q.shape[1:] == (NUM_QO_HEADS, HEAD_DIM)
    assert kv_indptr.shape == qo_indptr.shape
    assert total_q == int(qo_indptr[-1])
    sm_scale = float(sm_scale)

    output = torch.zeros(total_q, NUM_QO_HEADS, HEAD_DIM, dtype=torch.float32, device=q.device)
    lse = torch.full((total_q, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=q.device)
    for b, k, v in _paged_kv(k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len):
        rows = slice(int(qo_indptr[b]), int(qo_indptr[b + 1]))
        output[rows], lse[rows] = _attend_causal(q[rows].to(torch.float32), k, v, sm_scale)
    return output.to(torch.bfloat16), lse
)py";

// run() of the decode definition with page size 1, which has no kv_last_page_len input.
inline constexpr std::string_view decode_ps1 = R"py(@torch.no_grad()
def run(q, k_cache, v_cache, kv_indptr, kv_indices, sm_scale):
    """Batched GQA decode (see _decode) over pages of one token: every last page is full."""
    assert PAGE_SIZE == 1
    last_page_len = torch.ones(q.shape[0], dtype=torch.int32)
    return _decode(q, k_cache, v_cache, kv_indptr, kv_indices, last_page_len, sm_scale)
)py";

// run() of the decode definition with page size > 1.
inline constexpr std::string_view decode = R"py(@torch.no_grad()
def run(q, k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched GQA decode over a paged KV cache (see _decode)."""
    return _decode(q, k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len, sm_scale)
)py";

// run() of the prefill definition with page size 1, which has no kv_last_page_len input.
inline constexpr std::string_view prefill_causal_ps1 = R"py(@torch.no_grad()
def run(q, k_cache, v_cache, qo_indptr, kv_indptr, kv_indices, sm_scale):
    """Batched causal GQA prefill (see _prefill_causal) over pages of one token: every last page is full."""
    assert PAGE_SIZE == 1
    last_page_len = torch.ones(qo_indptr.shape[0] - 1, dtype=torch.int32)
    return _prefill_causal(q, k_cache, v_cache, qo_indptr, kv_indptr, kv_indices, last_page_len, sm_scale)
)py";

// run() of the prefill definition with page size > 1.
inline constexpr std::string_view prefill_causal = R"py(@torch.no_grad()
def run(q, k_cache, v_cache, qo_indptr, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched causal GQA prefill over a paged KV cache (see _prefill_causal)."""
    return _prefill_causal(q, k_cache, v_cache, qo_indptr, kv_indptr, kv_indices, kv_last_page_len, sm_scale)
)py";

}  // namespace solkit::ops::gqa_paged::torch_reference
