// PyTorch `run` source for the moe_count_and_sort definitions' "reference" field; solkit
// prepends the constants preamble (TOP_K, NUM_EXPERTS, LEN_CUMSUM).
#pragma once

#include <string_view>

namespace solkit::ops::moe_count_and_sort::torch_reference {

inline constexpr std::string_view count_and_sort = R"py(@torch.no_grad()
def run(topk_ids):
    """Pairs counted per expert and grouped by expert, without padding.

    topk_ids: [token_count, TOP_K] int32, ids in [0, NUM_EXPERTS); pair p = t * TOP_K + j.
    returns, all int32:
      sorted_token_ids [token_count, TOP_K]: read flat, the pairs of expert 0 ascending, then
        those of expert 1, ...
      expert_token_counts [NUM_EXPERTS]: pairs per expert
      cumsum [LEN_CUMSUM = NUM_EXPERTS + 1]: 0, then the running total of the counts
    """
    assert topk_ids.dim() == 2 and topk_ids.shape[1] == TOP_K
    assert LEN_CUMSUM == NUM_EXPERTS + 1
    experts = topk_ids.reshape(-1).to(torch.int64)
    if experts.numel() > 0:
        assert int(experts.min()) >= 0 and int(experts.max()) < NUM_EXPERTS
    counts = torch.bincount(experts, minlength=NUM_EXPERTS)
    cumsum = torch.zeros(LEN_CUMSUM, dtype=torch.int64, device=topk_ids.device)
    cumsum[1:] = torch.cumsum(counts, 0)
    order = torch.sort(experts, stable=True).indices
    sorted_token_ids = order.to(torch.int32).reshape(topk_ids.shape)
    return sorted_token_ids, counts.to(torch.int32), cumsum.to(torch.int32)
)py";

}  // namespace solkit::ops::moe_count_and_sort::torch_reference
