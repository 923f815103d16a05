// PyTorch `run` sources for the gqa_paged definitions' "reference" field; solkit prepends the constants preamble.
#pragma once

#include <string_view>

namespace solkit::ops::gqa_paged::torch_reference {

inline constexpr std::string_view decode_ps1 = R"py(def _attend(q, k, v, sm_scale):
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


@torch.no_grad()
def run(q, k_cache, v_cache, kv_indptr, kv_indices, sm_scale):
    """Batched GQA decode over a paged KV cache with one token per page.

    q:                [batch_size, NUM_QO_HEADS, HEAD_DIM] bf16
    k_cache, v_cache: [num_pages, PAGE_SIZE (= 1), NUM_KV_HEADS, HEAD_DIM] bf16
    kv_indptr:        [batch_size + 1] i32; sequence b owns the pages
                      kv_indices[kv_indptr[b]:kv_indptr[b + 1]], in token order
    kv_indices:       [num_kv_indices] i32 page ids
    sm_scale:         softmax scale (number or 0-d tensor)
    returns output [batch_size, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [batch_size, NUM_QO_HEADS] f32 = log2(sum_j exp(sm_scale * q . k_j));
    a sequence without kv tokens gets output 0 and lse -inf.
    """
    batch_size = q.shape[0]
    assert PAGE_SIZE == 1
    assert q.shape[1:] == (NUM_QO_HEADS, HEAD_DIM)
    assert k_cache.shape[1:] == (PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM)
    assert v_cache.shape == k_cache.shape
    assert kv_indptr.shape == (batch_size + 1,)
    sm_scale = float(sm_scale)

    output = torch.zeros(batch_size, NUM_QO_HEADS, HEAD_DIM, dtype=torch.float32, device=q.device)
    lse = torch.full((batch_size, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=q.device)
    for b in range(batch_size):
        start, end = int(kv_indptr[b]), int(kv_indptr[b + 1])
        if start == end:
            continue
        pages = kv_indices[start:end].to(torch.long)
        k = k_cache[pages].flatten(0, 1).to(torch.float32)
        v = v_cache[pages].flatten(0, 1).to(torch.float32)
        output[b], lse[b] = _attend(q[b].to(torch.float32), k, v, sm_scale)
    return output.to(torch.bfloat16), lse
)py";

inline constexpr std::string_view decode = R"py(def _attend(q, k, v, sm_scale):
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


@torch.no_grad()
def run(q, k_cache, v_cache, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched GQA decode over a paged KV cache.

    q:                [batch_size, NUM_QO_HEADS, HEAD_DIM] bf16
    k_cache, v_cache: [num_pages, PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM] bf16
    kv_indptr:        [batch_size + 1] i32; sequence b owns the pages
                      kv_indices[kv_indptr[b]:kv_indptr[b + 1]], in token order
    kv_indices:       [num_kv_indices] i32 page ids
    kv_last_page_len: [batch_size] i32; tokens held by the last page of each
                      sequence (1..PAGE_SIZE), every other page is full
    sm_scale:         softmax scale (number or 0-d tensor)
    returns output [batch_size, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [batch_size, NUM_QO_HEADS] f32 = log2(sum_j exp(sm_scale * q . k_j));
    a sequence without pages gets output 0 and lse -inf.
    """
    batch_size = q.shape[0]
    assert q.shape[1:] == (NUM_QO_HEADS, HEAD_DIM)
    assert k_cache.shape[1:] == (PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM)
    assert v_cache.shape == k_cache.shape
    assert kv_indptr.shape == (batch_size + 1,)
    assert kv_last_page_len.shape == (batch_size,)
    sm_scale = float(sm_scale)

    output = torch.zeros(batch_size, NUM_QO_HEADS, HEAD_DIM, dtype=torch.float32, device=q.device)
    lse = torch.full((batch_size, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=q.device)
    for b in range(batch_size):
        start, end = int(kv_indptr[b]), int(kv_indptr[b + 1])
        if start == end:
            continue
        pages = kv_indices[start:end].to(torch.long)
        kv_len = (end - start - 1) * PAGE_SIZE + int(kv_last_page_len[b])
        k = k_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        v = v_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        output[b], lse[b] = _attend(q[b].to(torch.float32), k, v, sm_scale)
    return output.to(torch.bfloat16), lse
)py";

inline constexpr std::string_view prefill_causal_ps1 = R"py(def _attend_causal(q, k, v, sm_scale):
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


@torch.no_grad()
def run(q, k_cache, v_cache, qo_indptr, kv_indptr, kv_indices, sm_scale):
    """Batched causal GQA prefill over a paged KV cache with one token per page.

    q:                [total_q, NUM_QO_HEADS, HEAD_DIM] bf16; sequence b owns the
                      queries q[qo_indptr[b]:qo_indptr[b + 1]]
    k_cache, v_cache: [num_pages, PAGE_SIZE (= 1), NUM_KV_HEADS, HEAD_DIM] bf16
    qo_indptr:        [batch_size + 1] i32
    kv_indptr:        [batch_size + 1] i32; sequence b owns the pages
                      kv_indices[kv_indptr[b]:kv_indptr[b + 1]], in token order
    kv_indices:       [num_kv_indices] i32 page ids
    sm_scale:         softmax scale (number or 0-d tensor)
    The queries of a sequence are its last q_len tokens: query i sees kv token j
    iff j <= i + kv_len - q_len.
    returns output [total_q, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [total_q, NUM_QO_HEADS] f32 = log2(sum_{visible j} exp(sm_scale * q . k_j));
    a query that sees no kv token gets output 0 and lse -inf.
    """
    total_q = q.shape[0]
    batch_size = qo_indptr.shape[0] - 1
    assert PAGE_SIZE == 1
    assert q.shape[1:] == (NUM_QO_HEADS, HEAD_DIM)
    assert k_cache.shape[1:] == (PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM)
    assert v_cache.shape == k_cache.shape
    assert kv_indptr.shape == qo_indptr.shape
    assert total_q == int(qo_indptr[-1])
    sm_scale = float(sm_scale)

    output = torch.zeros(total_q, NUM_QO_HEADS, HEAD_DIM, dtype=torch.float32, device=q.device)
    lse = torch.full((total_q, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=q.device)
    for b in range(batch_size):
        q_start, q_end = int(qo_indptr[b]), int(qo_indptr[b + 1])
        kv_start, kv_end = int(kv_indptr[b]), int(kv_indptr[b + 1])
        if q_start == q_end or kv_start == kv_end:
            continue
        pages = kv_indices[kv_start:kv_end].to(torch.long)
        k = k_cache[pages].flatten(0, 1).to(torch.float32)
        v = v_cache[pages].flatten(0, 1).to(torch.float32)
        output[q_start:q_end], lse[q_start:q_end] = _attend_causal(
            q[q_start:q_end].to(torch.float32), k, v, sm_scale
        )
    return output.to(torch.bfloat16), lse
)py";

inline constexpr std::string_view prefill_causal = R"py(def _attend_causal(q, k, v, sm_scale):
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


@torch.no_grad()
def run(q, k_cache, v_cache, qo_indptr, kv_indptr, kv_indices, kv_last_page_len, sm_scale):
    """Batched causal GQA prefill over a paged KV cache.

    q:                [total_q, NUM_QO_HEADS, HEAD_DIM] bf16; sequence b owns the
                      queries q[qo_indptr[b]:qo_indptr[b + 1]]
    k_cache, v_cache: [num_pages, PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM] bf16
    qo_indptr:        [batch_size + 1] i32
    kv_indptr:        [batch_size + 1] i32; sequence b owns the pages
                      kv_indices[kv_indptr[b]:kv_indptr[b + 1]], in token order
    kv_indices:       [num_kv_indices] i32 page ids
    kv_last_page_len: [batch_size] i32; tokens held by the last page of each
                      sequence (1..PAGE_SIZE), every other page is full
    sm_scale:         softmax scale (number or 0-d tensor)
    The queries of a sequence are its last q_len tokens: query i sees kv token j
    iff j <= i + kv_len - q_len.
    returns output [total_q, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [total_q, NUM_QO_HEADS] f32 = log2(sum_{visible j} exp(sm_scale * q . k_j));
    a query that sees no kv token gets output 0 and lse -inf.
    """
    total_q = q.shape[0]
    batch_size = qo_indptr.shape[0] - 1
    assert q.shape[1:] == (NUM_QO_HEADS, HEAD_DIM)
    assert k_cache.shape[1:] == (PAGE_SIZE, NUM_KV_HEADS, HEAD_DIM)
    assert v_cache.shape == k_cache.shape
    assert kv_indptr.shape == qo_indptr.shape
    assert kv_last_page_len.shape == (batch_size,)
    assert total_q == int(qo_indptr[-1])
    sm_scale = float(sm_scale)

    output = torch.zeros(total_q, NUM_QO_HEADS, HEAD_DIM, dtype=torch.float32, device=q.device)
    lse = torch.full((total_q, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=q.device)
    for b in range(batch_size):
        q_start, q_end = int(qo_indptr[b]), int(qo_indptr[b + 1])
        kv_start, kv_end = int(kv_indptr[b]), int(kv_indptr[b + 1])
        if q_start == q_end or kv_start == kv_end:
            continue
        pages = kv_indices[kv_start:kv_end].to(torch.long)
        kv_len = (kv_end - kv_start - 1) * PAGE_SIZE + int(kv_last_page_len[b])
        k = k_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        v = v_cache[pages].flatten(0, 1)[:kv_len].to(torch.float32)
        output[q_start:q_end], lse[q_start:q_end] = _attend_causal(
            q[q_start:q_end].to(torch.float32), k, v, sm_scale
        )
    return output.to(torch.bfloat16), lse
)py";

}  // namespace solkit::ops::gqa_paged::torch_reference
