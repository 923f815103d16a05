// PyTorch `run` sources for the mrope definitions' "reference" field; solkit prepends the
// constants preamble (the const axes and MROPE_SECTION_T/H/W). A definition's reference is the
// rope op type's _pairs() of its style, then the _stream_of() of its section layout, then mrope.
#pragma once

#include <string_view>

namespace solkit::ops::mrope::torch_reference {

inline constexpr std::string_view contiguous_sections = R"py(def _stream_of(device):
    """Position stream (0 temporal, 1 height, 2 width) of each of the HALF_ROTARY_DIM
    frequencies, in runs: MROPE_SECTION_T temporal, then MROPE_SECTION_H height, then the rest."""
    f = torch.arange(HALF_ROTARY_DIM, device=device)
    height_end = MROPE_SECTION_T + MROPE_SECTION_H
    return torch.where(f < MROPE_SECTION_T, 0, torch.where(f < height_end, 1, 2))
)py";

inline constexpr std::string_view interleaved_sections = R"py(def _stream_of(device):
    """Position stream (0 temporal, 1 height, 2 width) of each of the HALF_ROTARY_DIM
    frequencies, round-robin: f % 3 == 1 is height while f < 3 * MROPE_SECTION_H, f % 3 == 2 is
    width while f < 3 * MROPE_SECTION_W, every other frequency temporal."""
    f = torch.arange(HALF_ROTARY_DIM, device=device)
    height = (f % 3 == 1) & (f < 3 * MROPE_SECTION_H)
    width = (f % 3 == 2) & (f < 3 * MROPE_SECTION_W)
    return torch.where(height, 1, torch.where(width, 2, 0))
)py";

inline constexpr std::string_view mrope = R"py(@torch.no_grad()
def run(q, k, cos, sin):
    """Multimodal rotary embedding of q and k (fp32 math, bf16 out).

    q:        [token_count, Q_SIZE] bf16, NUM_QUERY_HEADS heads of HEAD_SIZE side by side
    k:        [token_count, K_SIZE] bf16, NUM_KV_HEADS heads of HEAD_SIZE
    cos, sin: [NUM_SECTIONS, token_count, HALF_ROTARY_DIM] f32; [s, t, f] is the cos (sin) of
              frequency f's angle in position stream s of token t
    returns q_out, k_out (shapes of q and k, bf16). Frequency f of token t uses stream
    _stream_of()[f]; pair f of _pairs() rotates by it:
      y1 = x1 cos - x2 sin,  y2 = x2 cos + x1 sin.
    Channels from ROTARY_DIM on pass through.
    """
    assert NUM_SECTIONS == 3 and HALF_ROTARY_DIM * 2 == ROTARY_DIM <= HEAD_SIZE
    assert MROPE_SECTION_T + MROPE_SECTION_H + MROPE_SECTION_W == HALF_ROTARY_DIM
    token_count = q.shape[0]
    assert q.shape == (token_count, Q_SIZE) and k.shape == (token_count, K_SIZE)
    assert cos.shape == (NUM_SECTIONS, token_count, HALF_ROTARY_DIM) and sin.shape == cos.shape
    # [1, token_count, HALF_ROTARY_DIM]: index [0, t, f] = stream of f, for gather along dim 0.
    stream = _stream_of(cos.device)[None, None, :].expand(1, token_count, HALF_ROTARY_DIM)
    c = torch.gather(cos.to(torch.float32), 0, stream)[0][:, None, :]  # [token_count, 1, half]
    s = torch.gather(sin.to(torch.float32), 0, stream)[0][:, None, :]
    first, second = _pairs()

    def rotate(x, heads):
        x = x.reshape(token_count, heads, HEAD_SIZE).to(torch.float32)
        x1, x2 = x[..., first], x[..., second]
        y = x.clone()
        y[..., first] = x1 * c - x2 * s
        y[..., second] = x2 * c + x1 * s
        return y.to(torch.bfloat16).reshape(token_count, heads * HEAD_SIZE)

    return rotate(q, NUM_QUERY_HEADS), rotate(k, NUM_KV_HEADS)
)py";

}  // namespace solkit::ops::mrope::torch_reference
