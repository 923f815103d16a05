// PyTorch `run` source for the block_scaled_mm definitions' "reference" field; solkit prepends
// the constants preamble (N, K, GROUP_N, GROUP_K, NUM_N_GROUPS, NUM_K_GROUPS).
#pragma once

#include <string_view>

namespace solkit::ops::block_scaled_mm::torch_reference {

inline constexpr std::string_view block_scaled_mm = R"py(@torch.no_grad()
def run(a, b, a_scales, b_scales):
    """FP8 block-scaled GEMM, fp32 math and output: one K block at a time.

    a: [m, K] float8_e4m3fn; b: [N, K] float8_e4m3fn
    a_scales: [m, NUM_K_GROUPS] f32; b_scales: [NUM_N_GROUPS, NUM_K_GROUPS] f32
    returns c [m, N] f32 with c[i, j] = sum over blocks g of
      a_scales[i, g] * b_scales[j // GROUP_N, g] * sum_{c in block g} a[i, c] * b[j, c]
    """
    assert NUM_N_GROUPS * GROUP_N == N and NUM_K_GROUPS * GROUP_K == K
    m = a.shape[0]
    assert a.shape == (m, K) and b.shape == (N, K)
    assert a_scales.shape == (m, NUM_K_GROUPS) and b_scales.shape == (NUM_N_GROUPS, NUM_K_GROUPS)
    b_scale_rows = b_scales.to(torch.float32).repeat_interleave(GROUP_N, dim=0)  # [N, NUM_K_GROUPS]
    c = torch.zeros(m, N, dtype=torch.float32, device=a.device)
    for g in range(NUM_K_GROUPS):
        block = slice(g * GROUP_K, (g + 1) * GROUP_K)
        partial = a[:, block].to(torch.float32) @ b[:, block].to(torch.float32).T  # [m, N]
        c += partial * a_scales[:, g, None].to(torch.float32) * b_scale_rows[None, :, g]
    return c
)py";

}  // namespace solkit::ops::block_scaled_mm::torch_reference
