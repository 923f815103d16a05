// PyTorch `run` source for the fused_rmsnorm_quant definitions' "reference" field; solkit
// prepends the constants preamble (HIDDEN_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::fused_rmsnorm_quant::torch_reference {

// Rounding points follow atrex-bench: the sum is rounded to bf16 (it is an output, and the norm
// reads the rounded value), the norm is rounded to bf16 before its amax. The weight multiply is
// in fp32 with the norm, as fused kernels do (not a second bf16 product). float8_e4m3fn, not
// atrex's float8_e4m3fnuz: solkit targets NVIDIA (the description says so).
inline constexpr std::string_view fused_rmsnorm_quant = R"py(@torch.no_grad()
def run(x, residual, weight):
    """Residual add, RMSNorm (eps = 1e-5) and per-token float8_e4m3fn quantisation (fp32 math).

    x, residual: [token_count, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns quantized [token_count, HIDDEN_SIZE] float8_e4m3fn, scale [token_count] f32 and
    residual_out [token_count, HIDDEN_SIZE] bf16:
      residual_out = bf16(x + residual)
      normed       = bf16(residual_out * rsqrt(mean(residual_out^2) + 1e-5) * weight)
      scale        = amax(|normed|) / 448 per row, 1 where that is 0
      quantized    = normed / scale
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    assert residual.shape == x.shape and weight.shape == (HIDDEN_SIZE,)
    fp8_max = torch.finfo(torch.float8_e4m3fn).max  # 448
    residual_out = (x.to(torch.float32) + residual.to(torch.float32)).to(torch.bfloat16)
    r = residual_out.to(torch.float32)
    inv_rms = torch.rsqrt(r.square().mean(dim=1, keepdim=True) + 1e-5)
    normed = (r * inv_rms * weight.to(torch.float32)).to(torch.bfloat16).to(torch.float32)
    scale = normed.abs().amax(dim=1) / fp8_max
    scale = torch.where(scale == 0, torch.ones_like(scale), scale)
    # |normed / scale| <= 448 up to rounding; the clamp only keeps a last-bit overshoot finite.
    quantized = torch.clamp(normed / scale[:, None], -fp8_max, fp8_max)
    return quantized.to(torch.float8_e4m3fn), scale, residual_out
)py";

}  // namespace solkit::ops::fused_rmsnorm_quant::torch_reference
