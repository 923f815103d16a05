#pragma once
// Which definitions have a CUDA kernel, visible to host-only code (solkit-codegen, which decides
// what the generated benchmarks and launcher tables contain, and the coverage document). An op
// family's definition header specialises `kernel_exists<its_axes>` to true in the same commit
// that adds its kernel (`solkit::kernel<Definition>` in the family's kernel.cuh); every shape of
// such an axes type must then instantiate and run.

namespace solkit {

template <class Axes>
inline constexpr bool kernel_exists = false;

}  // namespace solkit
