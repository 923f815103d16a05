// PyTorch `run` source for the moe_topk_gating_softmax definitions' "reference" field; solkit
// prepends the constants preamble (NUM_EXPERTS, TOP_K).
#pragma once

#include <string_view>

namespace solkit::ops::moe_topk_gating_softmax::torch_reference {

inline constexpr std::string_view topk_gating_softmax = R"py(@torch.no_grad()
def run(gating_output):
    """Softmax over the experts, then the TOP_K most probable experts of each token (fp32).

    gating_output: [token_count, NUM_EXPERTS] f32 router logits
    returns topk_weights [token_count, TOP_K] f32 (softmax probabilities, largest first, NOT
    renormalised over the TOP_K) and topk_ids [token_count, TOP_K] int32 (their experts).
    """
    assert gating_output.dim() == 2 and gating_output.shape[1] == NUM_EXPERTS
    probs = torch.softmax(gating_output.to(torch.float32), dim=1)
    topk_weights, topk_ids = torch.topk(probs, TOP_K, dim=1, largest=True, sorted=True)
    return topk_weights, topk_ids.to(torch.int32)
)py";

}  // namespace solkit::ops::moe_topk_gating_softmax::torch_reference
