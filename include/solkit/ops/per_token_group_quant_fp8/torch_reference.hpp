// PyTorch `run` source for the per_token_group_quant_fp8 definitions' "reference" field; solkit
// prepends the constants preamble (HIDDEN_SIZE, GROUP_SIZE, NUM_GROUPS).
#pragma once

#include <string_view>

namespace solkit::ops::per_token_group_quant_fp8::torch_reference {

// float8_e4m3fn with its max 448: atrex-bench's choice on CUDA (on ROCm it used e4m3fnuz, 224).
inline constexpr std::string_view quant = R"py(@torch.no_grad()
def run(x):
    """Per-token-group quantisation to float8_e4m3fn, one scale per GROUP_SIZE channels (fp32).

    x: [token_count, HIDDEN_SIZE] bf16
    returns quantized [token_count, HIDDEN_SIZE] float8_e4m3fn and scales [token_count, NUM_GROUPS]
    f32 (token-major). Per group g of a row:
      scale = max(amax(|g|) / 448, 1e-10)        (the floor after the division)
      quantized = clamp(g / scale, -448, 448)    (a true division)
    """
    assert NUM_GROUPS * GROUP_SIZE == HIDDEN_SIZE
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    token_count = x.shape[0]
    fp8_max = torch.finfo(torch.float8_e4m3fn).max  # 448
    groups = x.to(torch.float32).reshape(token_count, NUM_GROUPS, GROUP_SIZE)
    scales = torch.clamp(groups.abs().amax(dim=2) / fp8_max, min=1e-10)
    quantized = torch.clamp(groups / scales[:, :, None], -fp8_max, fp8_max)
    return quantized.reshape(token_count, HIDDEN_SIZE).to(torch.float8_e4m3fn), scales
)py";

}  // namespace solkit::ops::per_token_group_quant_fp8::torch_reference
