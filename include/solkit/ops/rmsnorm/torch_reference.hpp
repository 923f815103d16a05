// PyTorch `run` sources for the rmsnorm definitions' "reference" field; solkit prepends the
// constants preamble and the shared `common` part.
#pragma once

#include <string_view>

namespace solkit::ops::rmsnorm::torch_reference {

// The norm every variant shares; the variants differ in eps, scale and the residual add.
inline constexpr std::string_view common = R"py(def _rms_norm(x, scale, eps):
    """x / sqrt(mean(x^2) + eps) * scale over the last dim, in fp32, cast to bf16.

    x:     [batch_size, HIDDEN_SIZE] fp32
    scale: [HIDDEN_SIZE] fp32
    """
    assert x.dim() == 2 and x.shape[1] == HIDDEN_SIZE
    assert scale.shape == (HIDDEN_SIZE,)
    inv_rms = torch.rsqrt(x.square().mean(dim=-1, keepdim=True) + eps)
    return (x * inv_rms * scale).to(torch.bfloat16)
)py";

inline constexpr std::string_view rmsnorm = R"py(@torch.no_grad()
def run(hidden_states, weight):
    """RMSNorm with eps = 1e-5: output = x / sqrt(mean(x^2) + eps) * weight (fp32 math).

    hidden_states: [batch_size, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns output [batch_size, HIDDEN_SIZE] bf16
    """
    return _rms_norm(hidden_states.to(torch.float32), weight.to(torch.float32), 1e-5)
)py";

inline constexpr std::string_view fused_add_rmsnorm = R"py(@torch.no_grad()
def run(hidden_states, residual, weight):
    """RMSNorm (eps = 1e-5) of hidden_states + residual, the sum in fp32.

    hidden_states, residual: [batch_size, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns output [batch_size, HIDDEN_SIZE] bf16
    """
    assert residual.shape == hidden_states.shape
    x = hidden_states.to(torch.float32) + residual.to(torch.float32)
    return _rms_norm(x, weight.to(torch.float32), 1e-5)
)py";

inline constexpr std::string_view gemma_rmsnorm = R"py(@torch.no_grad()
def run(hidden_states, weight):
    """Gemma-style RMSNorm: eps = 1e-6 and scale (1 + weight) (fp32 math).

    hidden_states: [batch_size, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns output [batch_size, HIDDEN_SIZE] bf16
    """
    return _rms_norm(hidden_states.to(torch.float32), 1.0 + weight.to(torch.float32), 1e-6)
)py";

inline constexpr std::string_view gemma_fused_add_rmsnorm = R"py(@torch.no_grad()
def run(hidden_states, residual, weight):
    """Gemma-style RMSNorm (eps = 1e-6, scale 1 + weight) of hidden_states + residual in fp32.

    hidden_states, residual: [batch_size, HIDDEN_SIZE] bf16; weight: [HIDDEN_SIZE] bf16
    returns output [batch_size, HIDDEN_SIZE] bf16
    """
    assert residual.shape == hidden_states.shape
    x = hidden_states.to(torch.float32) + residual.to(torch.float32)
    return _rms_norm(x, 1.0 + weight.to(torch.float32), 1e-6)
)py";

}  // namespace solkit::ops::rmsnorm::torch_reference
