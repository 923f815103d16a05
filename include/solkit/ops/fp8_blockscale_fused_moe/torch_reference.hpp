// PyTorch `run` source for the fp8_blockscale_fused_moe definitions' "reference" field; solkit
// prepends the constants preamble (NUM_EXPERTS, TOP_K, HIDDEN_SIZE, INTERMEDIATE_SIZE,
// GATE_UP_SIZE, SCALE_BLOCK_N, SCALE_BLOCK_K, NUM_HIDDEN_BLOCKS, NUM_INTERMEDIATE_BLOCKS,
// NUM_GATE_UP_BLOCKS).
#pragma once

#include <string_view>

namespace solkit::ops::fp8_blockscale_fused_moe::torch_reference {

inline constexpr std::string_view fp8_blockscale_fused_moe = R"py(@torch.no_grad()
def run(hidden_states, w1, w2, topk_weights, topk_ids, a_scale, fc1_scale, fc2_scale):
    """FP8 block-scale MoE FFN on pre-routed tokens: fp32 math on dequantized values, bf16 out.

    hidden_states: [token_count, HIDDEN_SIZE] float8_e4m3fn
    w1: [NUM_EXPERTS, GATE_UP_SIZE, HIDDEN_SIZE] float8_e4m3fn (gate rows first, then up)
    w2: [NUM_EXPERTS, HIDDEN_SIZE, INTERMEDIATE_SIZE] float8_e4m3fn
    topk_weights: [token_count, TOP_K] f32; topk_ids: [token_count, TOP_K] int32
    a_scale: [token_count, NUM_HIDDEN_BLOCKS] f32 (per token, per SCALE_BLOCK_K channels)
    fc1_scale: [NUM_EXPERTS, NUM_GATE_UP_BLOCKS, NUM_HIDDEN_BLOCKS] f32
    fc2_scale: [NUM_EXPERTS, NUM_HIDDEN_BLOCKS, NUM_INTERMEDIATE_BLOCKS] f32
    Blocks are SCALE_BLOCK_N along the intermediate dimension, SCALE_BLOCK_K along the hidden one.
    returns out [token_count, HIDDEN_SIZE] bf16 = bf16(sum over slots j of
      topk_weights[t, j] * W2[e] (silu(gate) * up)),  [gate, up] = W1[e] x_t, e = topk_ids[t, j]
    """
    assert GATE_UP_SIZE == 2 * INTERMEDIATE_SIZE
    assert NUM_HIDDEN_BLOCKS * SCALE_BLOCK_K == HIDDEN_SIZE
    assert NUM_INTERMEDIATE_BLOCKS * SCALE_BLOCK_N == INTERMEDIATE_SIZE
    token_count = hidden_states.shape[0]
    assert hidden_states.shape == (token_count, HIDDEN_SIZE)
    assert a_scale.shape == (token_count, NUM_HIDDEN_BLOCKS)
    assert w1.shape == (NUM_EXPERTS, GATE_UP_SIZE, HIDDEN_SIZE)
    assert fc1_scale.shape == (NUM_EXPERTS, NUM_GATE_UP_BLOCKS, NUM_HIDDEN_BLOCKS)
    assert w2.shape == (NUM_EXPERTS, HIDDEN_SIZE, INTERMEDIATE_SIZE)
    assert fc2_scale.shape == (NUM_EXPERTS, NUM_HIDDEN_BLOCKS, NUM_INTERMEDIATE_BLOCKS)
    assert topk_ids.shape == (token_count, TOP_K) and topk_weights.shape == (token_count, TOP_K)
    x = hidden_states.to(torch.float32).reshape(token_count, NUM_HIDDEN_BLOCKS, SCALE_BLOCK_K)
    x = (x * a_scale.to(torch.float32)[:, :, None]).reshape(token_count, HIDDEN_SIZE)
    out = torch.zeros(token_count, HIDDEN_SIZE, dtype=torch.float32, device=x.device)
    for expert in range(NUM_EXPERTS):
        tokens, slots = torch.nonzero(topk_ids == expert, as_tuple=True)
        if tokens.numel() == 0:
            continue
        # Dequantize this expert only: scale [rows / block, cols / block] spread over its blocks.
        gate_up = w1[expert].to(torch.float32).reshape(
            NUM_GATE_UP_BLOCKS, SCALE_BLOCK_N, NUM_HIDDEN_BLOCKS, SCALE_BLOCK_K)
        gate_up = (gate_up * fc1_scale[expert][:, None, :, None]).reshape(GATE_UP_SIZE, HIDDEN_SIZE)
        down = w2[expert].to(torch.float32).reshape(
            NUM_HIDDEN_BLOCKS, SCALE_BLOCK_K, NUM_INTERMEDIATE_BLOCKS, SCALE_BLOCK_N)
        down = (down * fc2_scale[expert][:, None, :, None]).reshape(HIDDEN_SIZE, INTERMEDIATE_SIZE)
        projected = x[tokens] @ gate_up.T  # [pairs, GATE_UP_SIZE]
        gate = projected[:, :INTERMEDIATE_SIZE]
        up = projected[:, INTERMEDIATE_SIZE:]
        y = (torch.nn.functional.silu(gate) * up) @ down.T
        weight = topk_weights[tokens, slots].to(torch.float32)
        out.index_add_(0, tokens, y * weight[:, None])
    return out.to(torch.bfloat16)
)py";

}  // namespace solkit::ops::fp8_blockscale_fused_moe::torch_reference
