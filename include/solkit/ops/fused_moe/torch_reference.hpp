// PyTorch `run` source for the fused_moe definitions' "reference" field; solkit prepends the
// constants preamble (NUM_EXPERTS, TOP_K, HIDDEN_SIZE, INTERMEDIATE_SIZE, GATE_UP_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::fused_moe::torch_reference {

inline constexpr std::string_view fused_moe = R"py(@torch.no_grad()
def run(hidden_states, w1, w2, topk_weights, topk_ids):
    """MoE expert FFN on pre-routed tokens, fp32 math, fp32 output.

    hidden_states: [token_count, HIDDEN_SIZE] bf16
    w1: [NUM_EXPERTS, GATE_UP_SIZE, HIDDEN_SIZE] bf16 (gate rows first, then up)
    w2: [NUM_EXPERTS, HIDDEN_SIZE, INTERMEDIATE_SIZE] bf16
    topk_weights: [token_count, TOP_K] f32; topk_ids: [token_count, TOP_K] int32
    returns out [token_count, HIDDEN_SIZE] f32 = sum over slots j of
      topk_weights[t, j] * w2[e] (silu(gate) * up),  [gate, up] = w1[e] x_t, e = topk_ids[t, j]
    """
    assert GATE_UP_SIZE == 2 * INTERMEDIATE_SIZE
    token_count = hidden_states.shape[0]
    assert hidden_states.shape == (token_count, HIDDEN_SIZE)
    assert w1.shape == (NUM_EXPERTS, GATE_UP_SIZE, HIDDEN_SIZE)
    assert w2.shape == (NUM_EXPERTS, HIDDEN_SIZE, INTERMEDIATE_SIZE)
    assert topk_ids.shape == (token_count, TOP_K) and topk_weights.shape == (token_count, TOP_K)
    x = hidden_states.to(torch.float32)
    out = torch.zeros(token_count, HIDDEN_SIZE, dtype=torch.float32, device=x.device)
    for expert in range(NUM_EXPERTS):
        tokens, slots = torch.nonzero(topk_ids == expert, as_tuple=True)
        if tokens.numel() == 0:
            continue
        projected = x[tokens] @ w1[expert].to(torch.float32).T  # [pairs, GATE_UP_SIZE]
        gate = projected[:, :INTERMEDIATE_SIZE]
        up = projected[:, INTERMEDIATE_SIZE:]
        y = (torch.nn.functional.silu(gate) * up) @ w2[expert].to(torch.float32).T
        weight = topk_weights[tokens, slots].to(torch.float32)
        out.index_add_(0, tokens, y * weight[:, None])
    return out
)py";

}  // namespace solkit::ops::fused_moe::torch_reference
