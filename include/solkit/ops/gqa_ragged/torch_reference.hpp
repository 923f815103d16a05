// PyTorch `run` sources for the gqa_ragged definitions' "reference" field: the shared batch loop
// (ragged_common), then the causal or the bidirectional `run`. solkit prepends the constants.
#pragma once

#include <string_view>

namespace solkit::ops::gqa_ragged::torch_reference {

inline constexpr std::string_view ragged_common = R"py(def _attend(q, k, v, sm_scale, causal):
    """GQA attention of one sequence, in fp32; with `causal` the mask is aligned bottom-right.

    q: [q_len, NUM_QO_HEADS, HEAD_DIM]; k, v: [kv_len, NUM_KV_HEADS, HEAD_DIM].
    Causal: query i sees kv token j iff j <= i + kv_len - q_len; otherwise every kv token.
    Query head h reads kv head h // (NUM_QO_HEADS // NUM_KV_HEADS).
    Returns output [q_len, NUM_QO_HEADS, HEAD_DIM] and base-2 lse [q_len, NUM_QO_HEADS];
    a query that sees no kv token gets output 0 and lse -inf.
    """
    q_len, kv_len = q.shape[0], k.shape[0]
    group = NUM_QO_HEADS // NUM_KV_HEADS
    k = k.repeat_interleave(group, dim=1)
    v = v.repeat_interleave(group, dim=1)
    logits = torch.einsum("qhd,khd->hqk", q, k) * sm_scale
    if causal:
        i = torch.arange(q_len, device=q.device)[:, None]
        j = torch.arange(kv_len, device=q.device)[None, :]
        logits = logits.masked_fill(j > i + (kv_len - q_len), -math.inf)
    lse = torch.logsumexp(logits, dim=-1)
    probs = torch.exp(logits - torch.where(torch.isfinite(lse), lse, 0.0)[..., None])
    output = torch.einsum("hqk,khd->qhd", probs, v)
    return output, (lse / math.log(2.0)).T


def _attend_batch(q, k, v, qo_indptr, kv_indptr, sm_scale, causal):
    """Every sequence of a ragged batch through _attend; bf16 output, fp32 lse."""
    total_q, total_kv = q.shape[0], k.shape[0]
    batch_size = qo_indptr.shape[0] - 1
    assert q.shape[1:] == (NUM_QO_HEADS, HEAD_DIM)
    assert k.shape[1:] == (NUM_KV_HEADS, HEAD_DIM)
    assert v.shape == k.shape
    assert kv_indptr.shape == qo_indptr.shape
    assert total_q == int(qo_indptr[-1]) and total_kv == int(kv_indptr[-1])
    sm_scale = float(sm_scale)

    output = torch.zeros(total_q, NUM_QO_HEADS, HEAD_DIM, dtype=torch.float32, device=q.device)
    lse = torch.full((total_q, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=q.device)
    for b in range(batch_size):
        q_start, q_end = int(qo_indptr[b]), int(qo_indptr[b + 1])
        kv_start, kv_end = int(kv_indptr[b]), int(kv_indptr[b + 1])
        if q_start == q_end or kv_start == kv_end:
            continue
        output[q_start:q_end], lse[q_start:q_end] = _attend(
            q[q_start:q_end].to(torch.float32),
            k[kv_start:kv_end].to(torch.float32),
            v[kv_start:kv_end].to(torch.float32),
            sm_scale,
            causal,
        )
    return output.to(torch.bfloat16), lse
)py";

inline constexpr std::string_view prefill_causal = R"py(@torch.no_grad()
def run(q, k, v, qo_indptr, kv_indptr, sm_scale):
    """Batched causal GQA prefill over ragged (packed) K/V.

    q:         [total_q, NUM_QO_HEADS, HEAD_DIM] bf16; sequence b owns the
               queries q[qo_indptr[b]:qo_indptr[b + 1]]
    k, v:      [total_kv, NUM_KV_HEADS, HEAD_DIM] bf16; sequence b owns the
               kv tokens k[kv_indptr[b]:kv_indptr[b + 1]]
    qo_indptr: [batch_size + 1] i32
    kv_indptr: [batch_size + 1] i32
    sm_scale:  softmax scale (number or 0-d tensor)
    The queries of a sequence are its last q_len tokens: query i sees kv token j
    iff j <= i + kv_len - q_len.
    returns output [total_q, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [total_q, NUM_QO_HEADS] f32 = log2(sum_{visible j} exp(sm_scale * q . k_j));
    a query that sees no kv token gets output 0 and lse -inf.
    """
    return _attend_batch(q, k, v, qo_indptr, kv_indptr, sm_scale, causal=True)
)py";

inline constexpr std::string_view prefill = R"py(@torch.no_grad()
def run(q, k, v, qo_indptr, kv_indptr, sm_scale):
    """Batched bidirectional GQA attention over ragged (packed) K/V: no mask.

    q:         [total_q, NUM_QO_HEADS, HEAD_DIM] bf16; sequence b owns the
               queries q[qo_indptr[b]:qo_indptr[b + 1]]
    k, v:      [total_kv, NUM_KV_HEADS, HEAD_DIM] bf16; sequence b owns the
               kv tokens k[kv_indptr[b]:kv_indptr[b + 1]]
    qo_indptr: [batch_size + 1] i32
    kv_indptr: [batch_size + 1] i32
    sm_scale:  softmax scale (number or 0-d tensor)
    Every query of a sequence sees every kv token of it.
    returns output [total_q, NUM_QO_HEADS, HEAD_DIM] bf16 and
            lse [total_q, NUM_QO_HEADS] f32 = log2(sum_j exp(sm_scale * q . k_j));
    a sequence without kv tokens gets output 0 and lse -inf.
    """
    return _attend_batch(q, k, v, qo_indptr, kv_indptr, sm_scale, causal=False)
)py";

}  // namespace solkit::ops::gqa_ragged::torch_reference
