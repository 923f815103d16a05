// PyTorch `run` sources for the gemm definitions' "reference" field; solkit prepends the constants preamble.
#pragma once

#include <string_view>

namespace solkit::ops::gemm::torch_reference {

inline constexpr std::string_view gemm = R"py(@torch.no_grad()
def run(A, B):
    """GEMM against a row-major [N, K] weight: C = A @ B^T with fp32 accumulation.

    A: [M, K] f16
    B: [N, K] f16
    returns C [M, N] f16
    """
    assert A.dim() == 2 and A.shape[1] == K
    assert B.shape == (N, K)
    return (A.to(torch.float32) @ B.to(torch.float32).T).to(torch.float16)
)py";

}  // namespace solkit::ops::gemm::torch_reference
