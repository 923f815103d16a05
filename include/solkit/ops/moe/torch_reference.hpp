// PyTorch `run` sources for the moe definitions' "reference" field; solkit prepends the constants preamble.
// A definition's reference is experts_common, then (renorm only) renorm_common, then its run().
#pragma once

#include <string_view>

namespace solkit::ops::moe::torch_reference {

// The expert computation shared by both routings.
inline constexpr std::string_view experts_common = R"py(def _dequant(w, scale):
    """Block-scale dequantisation: w[r, c] * scale[r // BLOCK_SIZE, c // BLOCK_SIZE], in fp32."""
    scale = scale.to(torch.float32).repeat_interleave(BLOCK_SIZE, dim=0).repeat_interleave(BLOCK_SIZE, dim=1)
    return w.to(torch.float32) * scale


def _expert(x, w1, w1_scale, w2, w2_scale):
    """One expert MLP on fp32 tokens x [n, HIDDEN_SIZE].

    gemm1 gives [n, GEMM1_OUT_SIZE]; its first INTERMEDIATE_SIZE columns are the up
    projection and the last INTERMEDIATE_SIZE the gate: act = silu(gate) * up; gemm2
    maps act back to [n, HIDDEN_SIZE].
    """
    h = x @ _dequant(w1, w1_scale).T
    up, gate = h[:, :INTERMEDIATE_SIZE], h[:, INTERMEDIATE_SIZE:]
    return (torch.nn.functional.silu(gate) * up) @ _dequant(w2, w2_scale).T


def _moe(experts, weights, hidden_states, hidden_states_scale,
         gemm1_weights, gemm1_weights_scale, gemm2_weights, gemm2_weights_scale, local_expert_offset):
    """FP8 block-scale MoE after routing: this rank computes its local experts only.

    experts, weights:    [seq_len, k] global ids of each token's chosen experts and their weights
    hidden_states:       [seq_len, HIDDEN_SIZE] float8_e4m3fn
    hidden_states_scale: [NUM_HIDDEN_BLOCKS, seq_len] f32 (transposed): token t, hidden
                         column c is scaled by hidden_states_scale[c // BLOCK_SIZE, t]
    gemm1_weights:       [NUM_LOCAL_EXPERTS, GEMM1_OUT_SIZE, HIDDEN_SIZE] fp8,
                         scale [NUM_LOCAL_EXPERTS, NUM_GEMM1_OUT_BLOCKS, NUM_HIDDEN_BLOCKS] f32
    gemm2_weights:       [NUM_LOCAL_EXPERTS, HIDDEN_SIZE, INTERMEDIATE_SIZE] fp8,
                         scale [NUM_LOCAL_EXPERTS, NUM_HIDDEN_BLOCKS, NUM_INTERMEDIATE_BLOCKS] f32
    local_expert_offset: global id of local expert 0 (int or 0-d tensor)
    output[t] = sum over chosen experts e that are local of weight_e * expert_e(x_t) (_expert);
    experts of other ranks contribute nothing.
    returns output [seq_len, HIDDEN_SIZE] bf16
    """
    seq_len = hidden_states.shape[0]
    assert hidden_states.shape == (seq_len, HIDDEN_SIZE)
    assert hidden_states_scale.shape == (NUM_HIDDEN_BLOCKS, seq_len)
    assert gemm1_weights.shape == (NUM_LOCAL_EXPERTS, GEMM1_OUT_SIZE, HIDDEN_SIZE)
    assert gemm1_weights_scale.shape == (NUM_LOCAL_EXPERTS, NUM_GEMM1_OUT_BLOCKS, NUM_HIDDEN_BLOCKS)
    assert gemm2_weights.shape == (NUM_LOCAL_EXPERTS, HIDDEN_SIZE, INTERMEDIATE_SIZE)
    assert gemm2_weights_scale.shape == (NUM_LOCAL_EXPERTS, NUM_HIDDEN_BLOCKS, NUM_INTERMEDIATE_BLOCKS)
    assert GEMM1_OUT_SIZE == 2 * INTERMEDIATE_SIZE
    assert HIDDEN_SIZE == NUM_HIDDEN_BLOCKS * BLOCK_SIZE
    assert INTERMEDIATE_SIZE == NUM_INTERMEDIATE_BLOCKS * BLOCK_SIZE
    local_expert_offset = int(local_expert_offset)

    x = hidden_states.to(torch.float32).view(seq_len, NUM_HIDDEN_BLOCKS, BLOCK_SIZE)
    x = (x * hidden_states_scale.to(torch.float32).T[:, :, None]).view(seq_len, HIDDEN_SIZE)
    output = torch.zeros(seq_len, HIDDEN_SIZE, dtype=torch.float32, device=x.device)
    for e in range(NUM_LOCAL_EXPERTS):
        tokens, rank = (experts == local_expert_offset + e).nonzero(as_tuple=True)
        if tokens.numel() == 0:
            continue
        y = _expert(x[tokens], gemm1_weights[e], gemm1_weights_scale[e], gemm2_weights[e], gemm2_weights_scale[e])
        output.index_add_(0, tokens, y * weights[tokens, rank][:, None])
    return output.to(torch.bfloat16)
)py";

inline constexpr std::string_view ds_routing = R"py(@torch.no_grad()
def run(routing_logits, routing_bias, hidden_states, hidden_states_scale,
        gemm1_weights, gemm1_weights_scale, gemm2_weights, gemm2_weights_scale,
        local_expert_offset, routed_scaling_factor):
    """FP8 block-scale MoE with DeepSeek-V3 routing; this rank computes its local experts only.

    routing_logits:        [seq_len, NUM_EXPERTS] f32
    routing_bias:          [NUM_EXPERTS] bf16
    routed_scaling_factor: float or 0-d tensor
    the other inputs and the output as in _moe.
    Routing per token: s = sigmoid(logits), s_b = s + bias; the N_GROUP groups of
    consecutive experts are scored by the sum of their two largest s_b; the TOPK_GROUP
    best groups are kept, and the TOP_K experts with largest s_b among them are chosen.
    Their weights are s (without bias) normalised to sum 1, times routed_scaling_factor.
    """
    seq_len = hidden_states.shape[0]
    assert routing_logits.shape == (seq_len, NUM_EXPERTS)
    assert routing_bias.shape == (NUM_EXPERTS,)
    assert NUM_EXPERTS % N_GROUP == 0
    routed_scaling_factor = float(routed_scaling_factor)

    s = torch.sigmoid(routing_logits.to(torch.float32))
    s_b = s + routing_bias.to(torch.float32)
    group_size = NUM_EXPERTS // N_GROUP
    group_scores = s_b.view(seq_len, N_GROUP, group_size).topk(2, dim=-1).values.sum(dim=-1)
    kept_groups = group_scores.topk(TOPK_GROUP, dim=-1).indices
    group_kept = torch.zeros(seq_len, N_GROUP, dtype=torch.bool, device=s.device)
    group_kept.scatter_(1, kept_groups, True)
    candidates = s_b.masked_fill(~group_kept.repeat_interleave(group_size, dim=1), -math.inf)
    experts = candidates.topk(TOP_K, dim=-1).indices
    weights = s.gather(1, experts)
    weights = weights / weights.sum(dim=-1, keepdim=True) * routed_scaling_factor
    return _moe(experts, weights, hidden_states, hidden_states_scale, gemm1_weights,
                gemm1_weights_scale, gemm2_weights, gemm2_weights_scale, local_expert_offset)
)py";

// The Renormalize routing shared by the two renorm run() signatures below.
inline constexpr std::string_view renorm_common = R"py(def _renorm_moe(routing_logits, hidden_states, hidden_states_scale,
                gemm1_weights, gemm1_weights_scale, gemm2_weights, gemm2_weights_scale,
                local_expert_offset):
    """FP8 block-scale MoE with Renormalize routing (top-k, then softmax over the k).

    routing_logits:      [seq_len, NUM_EXPERTS] bf16 (NUM_EXPERTS == NUM_LOCAL_EXPERTS
                         unless experts are split across ranks)
    local_expert_offset: passed only when experts are split across ranks
    the other inputs and the output as in _moe.
    Routing per token: the TOP_K largest logits are chosen and their weights are the
    softmax of those TOP_K logits.
    """
    assert routing_logits.shape == (hidden_states.shape[0], NUM_EXPERTS)
    top_logits, experts = routing_logits.to(torch.float32).topk(TOP_K, dim=-1)
    weights = torch.softmax(top_logits, dim=-1)
    return _moe(experts, weights, hidden_states, hidden_states_scale, gemm1_weights,
                gemm1_weights_scale, gemm2_weights, gemm2_weights_scale, local_expert_offset)
)py";

// run() of the renorm definition without expert parallelism: every expert is local.
inline constexpr std::string_view renorm = R"py(@torch.no_grad()
def run(routing_logits, hidden_states, hidden_states_scale,
        gemm1_weights, gemm1_weights_scale, gemm2_weights, gemm2_weights_scale):
    """Renormalize-routed MoE over all NUM_EXPERTS experts, all held here (see _renorm_moe)."""
    return _renorm_moe(routing_logits, hidden_states, hidden_states_scale, gemm1_weights,
                       gemm1_weights_scale, gemm2_weights, gemm2_weights_scale, 0)
)py";

// run() of the renorm definition under expert parallelism: this rank holds NUM_LOCAL_EXPERTS
// experts starting at local_expert_offset.
inline constexpr std::string_view renorm_expert_parallel = R"py(@torch.no_grad()
def run(routing_logits, hidden_states, hidden_states_scale,
        gemm1_weights, gemm1_weights_scale, gemm2_weights, gemm2_weights_scale,
        local_expert_offset):
    """Renormalize-routed MoE of this rank's experts (see _renorm_moe)."""
    return _renorm_moe(routing_logits, hidden_states, hidden_states_scale, gemm1_weights,
                       gemm1_weights_scale, gemm2_weights, gemm2_weights_scale,
                       local_expert_offset)
)py";

}  // namespace solkit::ops::moe::torch_reference
