// PyTorch `run` sources for the rope definitions' "reference" field; solkit prepends the constants preamble.
#pragma once

#include <string_view>

namespace solkit::ops::rope::torch_reference {

inline constexpr std::string_view neox = R"py(def _rotate(x, cos, sin):
    """NeoX-style rotation of the first ROTARY_DIM dims of every head, in fp32.

    x: [num_tokens, heads, HEAD_SIZE]; cos, sin: [num_tokens, ROTARY_DIM // 2].
    Pair i is (x[i], x[i + ROTARY_DIM // 2]), rotated by the angle of column i;
    dims from ROTARY_DIM on pass through.
    """
    half = ROTARY_DIM // 2
    x = x.to(torch.float32)
    x1, x2 = x[..., :half], x[..., half:ROTARY_DIM]
    cos, sin = cos[:, None, :], sin[:, None, :]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin, x[..., ROTARY_DIM:]], dim=-1)


@torch.no_grad()
def run(q, k, cos_sin_cache, positions):
    """Rotary position embedding from a cos/sin cache, NeoX (half-split) style.

    q:             [num_tokens, num_qo_heads, HEAD_SIZE] bf16
    k:             [num_tokens, num_kv_heads, HEAD_SIZE] bf16
    cos_sin_cache: [max_seq_len, ROTARY_DIM] f32; row p holds cos of the ROTARY_DIM // 2
                   angles of position p, then their sin
    positions:     [num_tokens] i64, position of each token
    returns q_out, k_out (shapes of q and k, bf16): q and k with _rotate applied.
    """
    num_tokens = q.shape[0]
    assert q.dim() == 3 and q.shape[2] == HEAD_SIZE
    assert k.dim() == 3 and k.shape[0] == num_tokens and k.shape[2] == HEAD_SIZE
    assert cos_sin_cache.dim() == 2 and cos_sin_cache.shape[1] == ROTARY_DIM
    assert positions.shape == (num_tokens,)
    assert ROTARY_DIM % 2 == 0 and ROTARY_DIM <= HEAD_SIZE

    cos_sin = cos_sin_cache.to(torch.float32)[positions.to(torch.long)]
    cos, sin = cos_sin[:, : ROTARY_DIM // 2], cos_sin[:, ROTARY_DIM // 2 :]
    return _rotate(q, cos, sin).to(torch.bfloat16), _rotate(k, cos, sin).to(torch.bfloat16)
)py";

inline constexpr std::string_view gptj = R"py(def _rotate(x, cos, sin):
    """GPT-J-style rotation of the first ROTARY_DIM dims of every head, in fp32.

    x: [num_tokens, heads, HEAD_SIZE]; cos, sin: [num_tokens, ROTARY_DIM // 2].
    Pair i is (x[2i], x[2i + 1]), rotated by the angle of column i;
    dims from ROTARY_DIM on pass through.
    """
    x = x.to(torch.float32)
    x1, x2 = x[..., 0:ROTARY_DIM:2], x[..., 1:ROTARY_DIM:2]
    cos, sin = cos[:, None, :], sin[:, None, :]
    rotated = torch.stack([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1).flatten(-2)
    return torch.cat([rotated, x[..., ROTARY_DIM:]], dim=-1)


@torch.no_grad()
def run(q, k, cos_sin_cache, positions):
    """Rotary position embedding from a cos/sin cache, GPT-J (interleaved pairs) style.

    q:             [num_tokens, num_qo_heads, HEAD_SIZE] bf16
    k:             [num_tokens, num_kv_heads, HEAD_SIZE] bf16
    cos_sin_cache: [max_seq_len, ROTARY_DIM] f32; row p holds cos of the ROTARY_DIM // 2
                   angles of position p, then their sin
    positions:     [num_tokens] i64, position of each token
    returns q_out, k_out (shapes of q and k, bf16): q and k with _rotate applied.
    """
    num_tokens = q.shape[0]
    assert q.dim() == 3 and q.shape[2] == HEAD_SIZE
    assert k.dim() == 3 and k.shape[0] == num_tokens and k.shape[2] == HEAD_SIZE
    assert cos_sin_cache.dim() == 2 and cos_sin_cache.shape[1] == ROTARY_DIM
    assert positions.shape == (num_tokens,)
    assert ROTARY_DIM % 2 == 0 and ROTARY_DIM <= HEAD_SIZE

    cos_sin = cos_sin_cache.to(torch.float32)[positions.to(torch.long)]
    cos, sin = cos_sin[:, : ROTARY_DIM // 2], cos_sin[:, ROTARY_DIM // 2 :]
    return _rotate(q, cos, sin).to(torch.bfloat16), _rotate(k, cos, sin).to(torch.bfloat16)
)py";

}  // namespace solkit::ops::rope::torch_reference
