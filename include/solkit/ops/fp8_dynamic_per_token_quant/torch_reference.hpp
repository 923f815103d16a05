// PyTorch `run` source for the fp8_dynamic_per_token_quant definitions' "reference" field;
// solkit prepends the constants preamble (HIDDEN_SIZE).
#pragma once

#include <string_view>

namespace solkit::ops::fp8_dynamic_per_token_quant::torch_reference {

// float8_e4m3fn, not atrex-bench's float8_e4m3fnuz: solkit targets NVIDIA (the description says so).
inline constexpr std::string_view quant = R"py(@torch.no_grad()
def run(x):
    """Dynamic per-token quantisation to float8_e4m3fn (fp32 math).

    x: [token_count, HIDDEN_SIZE] bf16
    returns q [token_count, HIDDEN_SIZE] float8_e4m3fn and scale [token_count] f32:
      scale = max(amax(|row|), 1e-12) / 448
      q     = clamp(row * (1 / scale), -448, 448)   (multiplied by the reciprocal, as atrex-bench)
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    fp8_max = torch.finfo(torch.float8_e4m3fn).max  # 448
    rows = x.to(torch.float32)
    scale = torch.clamp(rows.abs().amax(dim=1), min=1e-12) / fp8_max
    q = torch.clamp(rows * torch.reciprocal(scale)[:, None], -fp8_max, fp8_max)
    return q.to(torch.float8_e4m3fn), scale
)py";

}  // namespace solkit::ops::fp8_dynamic_per_token_quant::torch_reference
