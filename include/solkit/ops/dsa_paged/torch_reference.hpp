// PyTorch `run` sources for the dsa_paged definitions' "reference" field; solkit prepends the constants preamble.
#pragma once

#include <string_view>

namespace solkit::ops::dsa_paged::torch_reference {

inline constexpr std::string_view topk_indexer_fp8 = R"py(def _dequant_index_keys(k_index_cache_fp8):
    """Unpack the deep_gemm FP8 index-key cache into fp32 keys [num_pages, PAGE_SIZE, INDEX_HEAD_DIM].

    Each page is one byte block of PAGE_SIZE * HEAD_DIM_WITH_SCALE bytes: first the
    PAGE_SIZE * INDEX_HEAD_DIM fp8 e4m3 key bytes (token-major), then PAGE_SIZE fp32
    scales, one per token. The key of a token is its fp8 values times its scale.
    """
    num_pages = k_index_cache_fp8.shape[0]
    page_bytes = k_index_cache_fp8.view(torch.uint8).reshape(num_pages, PAGE_SIZE * HEAD_DIM_WITH_SCALE)
    split = PAGE_SIZE * INDEX_HEAD_DIM
    values = page_bytes[:, :split].contiguous().view(torch.float8_e4m3fn).to(torch.float32)
    scales = page_bytes[:, split:].contiguous().view(torch.float32)
    return values.view(num_pages, PAGE_SIZE, INDEX_HEAD_DIM) * scales.view(num_pages, PAGE_SIZE, 1)


@torch.no_grad()
def run(q_index_fp8, k_index_cache_fp8, weights, seq_lens, block_table):
    """DeepSeek V3.2 sparse-attention indexer: top-k kv tokens per sequence.

    q_index_fp8:       [batch_size, NUM_INDEX_HEADS, INDEX_HEAD_DIM] float8_e4m3fn
    k_index_cache_fp8: [num_pages, PAGE_SIZE, KV_CACHE_NUM_HEADS (= 1), HEAD_DIM_WITH_SCALE] int8,
                       deep_gemm layout (see _dequant_index_keys)
    weights:           [batch_size, NUM_INDEX_HEADS] f32
    seq_lens:          [batch_size] i32, kv tokens of each sequence
    block_table:       [batch_size, max_num_pages] i32; token t of sequence b lives in
                       page block_table[b, t // PAGE_SIZE] at offset t % PAGE_SIZE
    For every token t < seq_lens[b]:
        score[t] = sum_h weights[b, h] * relu(q[b, h] . k_t)   (k_t dequantised with its scale)
    returns topk_indices [batch_size, TOPK] i32: the min(TOPK, seq_len) best tokens as
    global cache slots page_id * PAGE_SIZE + offset (the sparse_indices convention of
    sparse_attention), in no particular order, padded with -1.
    """
    batch_size = q_index_fp8.shape[0]
    assert q_index_fp8.shape[1:] == (NUM_INDEX_HEADS, INDEX_HEAD_DIM)
    assert k_index_cache_fp8.shape[1:] == (PAGE_SIZE, KV_CACHE_NUM_HEADS, HEAD_DIM_WITH_SCALE)
    assert KV_CACHE_NUM_HEADS == 1 and HEAD_DIM_WITH_SCALE == INDEX_HEAD_DIM + 4
    assert weights.shape == (batch_size, NUM_INDEX_HEADS)
    assert seq_lens.shape == (batch_size,)
    assert block_table.dim() == 2 and block_table.shape[0] == batch_size

    keys = _dequant_index_keys(k_index_cache_fp8)
    q = q_index_fp8.to(torch.float32)
    topk_indices = torch.full((batch_size, TOPK), -1, dtype=torch.int32, device=q.device)
    for b in range(batch_size):
        seq_len = int(seq_lens[b])
        if seq_len == 0:
            continue
        pages = block_table[b, : (seq_len + PAGE_SIZE - 1) // PAGE_SIZE].to(torch.long)
        k = keys[pages].flatten(0, 1)[:seq_len]
        scores = (torch.relu(q[b] @ k.T) * weights[b].to(torch.float32)[:, None]).sum(dim=0)
        best = torch.topk(scores, min(TOPK, seq_len)).indices
        slots = pages[best // PAGE_SIZE] * PAGE_SIZE + best % PAGE_SIZE
        topk_indices[b, : best.numel()] = slots.to(torch.int32)
    return topk_indices
)py";

inline constexpr std::string_view sparse_attention = R"py(@torch.no_grad()
def run(q_nope, q_pe, ckv_cache, kpe_cache, sparse_indices, sm_scale):
    """DeepSeek V3.2 sparse MLA attention (absorbed weights) over selected cache slots.

    q_nope:         [num_tokens, NUM_QO_HEADS, HEAD_DIM_CKV] bf16
    q_pe:           [num_tokens, NUM_QO_HEADS, HEAD_DIM_KPE] bf16
    ckv_cache:      [num_pages, PAGE_SIZE, HEAD_DIM_CKV] bf16 (keys and values)
    kpe_cache:      [num_pages, PAGE_SIZE, HEAD_DIM_KPE] bf16
    sparse_indices: [num_tokens, TOPK] i32; slot page_id * PAGE_SIZE + offset, -1 = padding
    sm_scale:       softmax scale (number or 0-d tensor)
    Token t attends to the slots listed in its row of sparse_indices, with
    logits_j = sm_scale * (q_nope . ckv_j + q_pe . kpe_j) and values ckv_j.
    returns output [num_tokens, NUM_QO_HEADS, HEAD_DIM_CKV] bf16 and
            lse [num_tokens, NUM_QO_HEADS] f32 = log2(sum_j exp(logits_j));
    a token whose row is all padding gets output 0 and lse -inf.
    """
    num_tokens = q_nope.shape[0]
    assert q_nope.shape[1:] == (NUM_QO_HEADS, HEAD_DIM_CKV)
    assert q_pe.shape == (num_tokens, NUM_QO_HEADS, HEAD_DIM_KPE)
    assert ckv_cache.shape[1:] == (PAGE_SIZE, HEAD_DIM_CKV)
    assert kpe_cache.shape == (ckv_cache.shape[0], PAGE_SIZE, HEAD_DIM_KPE)
    assert sparse_indices.shape == (num_tokens, TOPK)
    sm_scale = float(sm_scale)

    ckv_slots = ckv_cache.flatten(0, 1)
    kpe_slots = kpe_cache.flatten(0, 1)
    device = q_nope.device
    output = torch.zeros(num_tokens, NUM_QO_HEADS, HEAD_DIM_CKV, dtype=torch.float32, device=device)
    lse = torch.full((num_tokens, NUM_QO_HEADS), -math.inf, dtype=torch.float32, device=device)
    for t in range(num_tokens):
        slots = sparse_indices[t]
        slots = slots[slots != -1].to(torch.long)
        if slots.numel() == 0:
            continue
        ckv = ckv_slots[slots].to(torch.float32)
        kpe = kpe_slots[slots].to(torch.float32)
        logits = (q_nope[t].to(torch.float32) @ ckv.T + q_pe[t].to(torch.float32) @ kpe.T) * sm_scale
        lse[t] = torch.logsumexp(logits, dim=-1) / math.log(2.0)
        output[t] = torch.softmax(logits, dim=-1) @ ckv
    return output.to(torch.bfloat16), lse
)py";

}  // namespace solkit::ops::dsa_paged::torch_reference
