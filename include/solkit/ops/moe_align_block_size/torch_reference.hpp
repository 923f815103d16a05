// PyTorch `run` source for the moe_align_block_size definitions' "reference" field; solkit
// prepends the constants preamble (TOP_K, NUM_EXPERTS, BLOCK_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::moe_align_block_size::torch_reference {

inline constexpr std::string_view align_block_size = R"py(@torch.no_grad()
def run(topk_ids):
    """Pairs grouped by expert and padded to BLOCK_SIZE rows per expert, in vLLM's buffers.

    topk_ids: [token_count, TOP_K] int32, ids in [0, NUM_EXPERTS); pair p = t * TOP_K + j.
    returns, all int32 (pairs = token_count * TOP_K, P = rows used):
      sorted_token_ids [pairs + NUM_EXPERTS * (BLOCK_SIZE - 1)]: per expert in order, its pairs
        ascending, then the sentinel `pairs` up to a multiple of BLOCK_SIZE (an expert without
        pairs takes no rows); the sentinel also fills every row from P on
      expert_ids [ceil(len(sorted_token_ids) / BLOCK_SIZE)]: expert of each used block, then -1
      num_tokens_post_pad [1]: P
    """
    assert topk_ids.dim() == 2 and topk_ids.shape[1] == TOP_K
    device = topk_ids.device
    experts = topk_ids.reshape(-1).to(torch.int64)
    pairs = experts.numel()
    if pairs > 0:
        assert int(experts.min()) >= 0 and int(experts.max()) < NUM_EXPERTS
    counts = torch.bincount(experts, minlength=NUM_EXPERTS)
    rows = (counts + BLOCK_SIZE - 1) // BLOCK_SIZE * BLOCK_SIZE
    first_row = torch.cumsum(rows, 0) - rows      # of each expert's group, padded
    first_pair = torch.cumsum(counts, 0) - counts  # of each expert's group, unpadded
    order = torch.sort(experts, stable=True).indices
    grouped = experts[order]
    row = first_row[grouped] + torch.arange(pairs, device=device) - first_pair[grouped]
    max_rows = pairs + NUM_EXPERTS * (BLOCK_SIZE - 1)
    sorted_token_ids = torch.full((max_rows,), pairs, dtype=torch.int32, device=device)
    sorted_token_ids[row] = order.to(torch.int32)
    blocks = rows // BLOCK_SIZE
    expert_ids = torch.full(((max_rows + BLOCK_SIZE - 1) // BLOCK_SIZE,), -1, dtype=torch.int32,
                            device=device)
    used = torch.repeat_interleave(torch.arange(NUM_EXPERTS, device=device), blocks)
    expert_ids[:used.numel()] = used.to(torch.int32)
    num_tokens_post_pad = rows.sum().reshape(1).to(torch.int32)
    return sorted_token_ids, expert_ids, num_tokens_post_pad
)py";

}  // namespace solkit::ops::moe_align_block_size::torch_reference
