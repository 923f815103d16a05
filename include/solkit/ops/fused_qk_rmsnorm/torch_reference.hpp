// PyTorch `run` source for the fused_qk_rmsnorm definitions' "reference" field; solkit
// prepends the constants preamble (NUM_QO_HEADS, NUM_KV_HEADS, HEAD_DIM, HIDDEN_SIZE,
// `import math`, `import torch`) and the `head_rms_norm` helper.
#pragma once

#include <string_view>

namespace solkit::ops::fused_qk_rmsnorm::torch_reference {

// Two roundings, as rtp-llm's kernel does: the normalised head is rounded to fp16, then the
// product with the fp16 weight is rounded again (fp16 x fp16 is computed in fp32 and rounded).
inline constexpr std::string_view head_rms_norm = R"py(def _head_rms_norm(heads, weight):
    """fp16(weight * fp16(x / sqrt(mean(x^2) + 1e-6))) over the last dim, fp32 math.

    heads:  [rows, HEAD_DIM] fp16
    weight: [HEAD_DIM] fp16
    """
    assert heads.dim() == 2 and heads.shape[1] == HEAD_DIM
    assert weight.shape == (HEAD_DIM,)
    x = heads.to(torch.float32)
    normed = (x * torch.rsqrt(x.square().mean(dim=-1, keepdim=True) + 1e-6)).to(torch.float16)
    return (weight.to(torch.float32) * normed.to(torch.float32)).to(torch.float16)
)py";

inline constexpr std::string_view run = R"py(@torch.no_grad()
def run(hidden_states, q_weight, k_weight):
    """atrex fused_qk_rmsnorm: per-head RMSNorm (eps 1e-6) of the q and k heads, v copied.

    hidden_states: [num_tokens, HIDDEN_SIZE] fp16, per token NUM_QO_HEADS q heads, then
                   NUM_KV_HEADS k heads, then NUM_KV_HEADS v heads of HEAD_DIM
    q_weight, k_weight: [HEAD_DIM] fp16
    returns out [num_tokens, HIDDEN_SIZE] fp16
    """
    assert hidden_states.dim() == 2 and hidden_states.shape[1] == HIDDEN_SIZE
    assert HIDDEN_SIZE == (NUM_QO_HEADS + 2 * NUM_KV_HEADS) * HEAD_DIM
    num_tokens = hidden_states.shape[0]
    q_size = NUM_QO_HEADS * HEAD_DIM
    kv_size = NUM_KV_HEADS * HEAD_DIM
    q, k, v = hidden_states.split([q_size, kv_size, kv_size], dim=-1)
    q_out = _head_rms_norm(q.reshape(-1, HEAD_DIM), q_weight).reshape(num_tokens, q_size)
    k_out = _head_rms_norm(k.reshape(-1, HEAD_DIM), k_weight).reshape(num_tokens, kv_size)
    return torch.cat([q_out, k_out, v], dim=-1)
)py";

}  // namespace solkit::ops::fused_qk_rmsnorm::torch_reference
