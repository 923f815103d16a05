// PyTorch `run` sources for the rope definitions' "reference" field; solkit prepends the constants preamble.
// The styles differ only in which dims form a rotated pair: a definition's reference is its
// style's _pairs(), then rotation_common with run().
#pragma once

#include <string_view>

namespace solkit::ops::rope::torch_reference {

inline constexpr std::string_view neox = R"py(def _pairs():
    """NeoX (half-split) style: pair i is (x[i], x[i + ROTARY_DIM // 2])."""
    return slice(0, ROTARY_DIM // 2), slice(ROTARY_DIM // 2, ROTARY_DIM)
)py";

inline constexpr std::string_view gptj = R"py(def _pairs():
    """GPT-J (interleaved pairs) style: pair i is (x[2i], x[2i + 1])."""
    return slice(0, ROTARY_DIM, 2), slice(1, ROTARY_DIM, 2)
)py";

inline constexpr std::string_view rotation_common = R"py(def _rotate(x, cos, sin):
    """Rotation of the first ROTARY_DIM dims of every head, in fp32.

    x: [num_tokens, heads, HEAD_SIZE]; cos, sin: [num_tokens, ROTARY_DIM // 2].
    Pair i of _pairs is rotated by the angle of column i; dims from ROTARY_DIM on pass through.
    """
    first, second = _pairs()
    x = x.to(torch.float32)
    x1, x2 = x[..., first], x[..., second]
    cos, sin = cos[:, None, :], sin[:, None, :]
    rotated = x.clone()
    rotated[..., first] = x1 * cos - x2 * sin
    rotated[..., second] = x2 * cos + x1 * sin
    return rotated


@torch.no_grad()
def run(q, k, cos_sin_cache, positions):
    """Rotary position embedding from a cos/sin cache, pairing dims as _pairs does.

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
