// PyTorch `run` source for the fused_qkv_rope definitions' "reference" field; solkit prepends
// the constants preamble (NUM_HEADS, NUM_KV_HEADS, HEAD_DIM, ROPE_DIM, QKV_SIZE). One source
// serves bf16 and fp16: the outputs take qkv's dtype.
#pragma once

#include <string_view>

namespace solkit::ops::fused_qkv_rope::torch_reference {

inline constexpr std::string_view fused_qkv_rope = R"py(@torch.no_grad()
def run(qkv, positions):
    """Split of packed qkv, NeoX rotary embedding of q and k with base 10000 (fp32 math).

    qkv:       [total_tokens, QKV_SIZE] bf16 or fp16: NUM_HEADS q heads, NUM_KV_HEADS k heads,
               NUM_KV_HEADS v heads, HEAD_DIM channels each
    positions: [total_tokens] i32
    returns q [total_tokens, NUM_HEADS, HEAD_DIM], k and v [total_tokens, NUM_KV_HEADS, HEAD_DIM],
    in qkv's dtype. Frequency i < ROPE_DIM // 2 turns by
    angle = float(position) * 10000 ** (-2i / ROPE_DIM) (fp32, computed here, no cache);
    channels i and i + ROPE_DIM // 2 of a head rotate together:
      y[i] = x[i] cos - x[i + half] sin,  y[i + half] = x[i + half] cos + x[i] sin.
    Channels from ROPE_DIM on, and v, pass through.
    """
    assert QKV_SIZE == (NUM_HEADS + 2 * NUM_KV_HEADS) * HEAD_DIM
    assert ROPE_DIM % 2 == 0 and ROPE_DIM <= HEAD_DIM
    assert qkv.dim() == 2 and qkv.shape[1] == QKV_SIZE
    total_tokens = qkv.shape[0]
    assert positions.shape == (total_tokens,)
    heads = qkv.reshape(total_tokens, NUM_HEADS + 2 * NUM_KV_HEADS, HEAD_DIM)
    q, k, v = torch.split(heads, [NUM_HEADS, NUM_KV_HEADS, NUM_KV_HEADS], dim=1)

    half = ROPE_DIM // 2
    exponents = torch.arange(0, ROPE_DIM, 2, dtype=torch.float32, device=qkv.device) / ROPE_DIM
    inv_freq = 1.0 / torch.pow(10000.0, exponents)
    angles = positions.to(torch.float32)[:, None] * inv_freq[None, :]  # [total_tokens, half]
    cos, sin = torch.cos(angles)[:, None, :], torch.sin(angles)[:, None, :]

    def rotate(x):
        x = x.to(torch.float32)
        x1, x2 = x[..., :half], x[..., half:ROPE_DIM]
        y = torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin, x[..., ROPE_DIM:]], dim=-1)
        return y.to(qkv.dtype)

    return rotate(q), rotate(k), v.clone(memory_format=torch.contiguous_format)
)py";

}  // namespace solkit::ops::fused_qkv_rope::torch_reference
