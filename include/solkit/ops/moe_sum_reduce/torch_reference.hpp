// PyTorch `run` source for the moe_sum_reduce definitions' "reference" field; solkit prepends
// the constants preamble (TOP_K, HIDDEN_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::moe_sum_reduce::torch_reference {

inline constexpr std::string_view sum_reduce = R"py(@torch.no_grad()
def run(expert_outputs, routed_scaling_factor):
    """Scaled sum of each token's TOP_K expert outputs, in fp32, rounded once to bf16.

    expert_outputs: [token_count, TOP_K, HIDDEN_SIZE] bf16 (already weighted)
    routed_scaling_factor: float
    returns out [token_count, HIDDEN_SIZE] bf16 = routed_scaling_factor * sum over TOP_K.
    """
    assert expert_outputs.dim() == 3
    assert expert_outputs.shape[1] == TOP_K and expert_outputs.shape[2] == HIDDEN_SIZE
    total = expert_outputs.to(torch.float32).sum(dim=1)
    return (total * float(routed_scaling_factor)).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::moe_sum_reduce::torch_reference
