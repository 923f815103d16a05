// First kernel benchmark (Google Benchmark): rmsnorm_h{H} on flashinfer-bench-like shapes,
// timed with CUDA events around back-to-back launches over rotated buffers (two 256 MB pools,
// 10x the 50 MB L2, so no launch reads what the previous one left in L2), reported
// against T_SOL of the GPU it runs on: counters T_us (per launch), T_SOL_us, S = T_SOL / T
// and GB_per_s.
// The generated per-plan and per-suite binaries of issue 5 will replace this hand list.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "solkit/ops/rmsnorm/cost.hpp"
#include "solkit/ops/rmsnorm/kernel.cuh"
#include "solkit/roofline/hardware.hpp"
#include "solkit/roofline/sol.hpp"

namespace {

const solkit::roofline::hardware& this_gpu() {
  cudaDeviceProp properties{};
  cudaGetDeviceProperties(&properties, 0);
  const std::string name = properties.name;
  return name.find("H200") != std::string::npos ? solkit::roofline::h200_sxm : solkit::roofline::h100_sxm;
}

template <class Definition>
void bench_rmsnorm(benchmark::State& state) {
  constexpr std::int64_t hidden = Definition::axes.hidden_size;
  const std::int64_t batch = state.range(0);
  const std::int64_t row_bytes = batch * hidden * 2;
  // Rows rotated through two 256 MB pools (input, output): consecutive launches read and write
  // disjoint memory, and the pools together are 10x the 50 MB L2.
  constexpr std::int64_t pool_bytes = std::int64_t{256} << 20;
  const std::int64_t stride = (row_bytes + 255) / 256 * 256;  // 256-byte aligned slots
  const int sets = static_cast<int>(std::max<std::int64_t>(1, pool_bytes / stride));
  __nv_bfloat16 *input_pool = nullptr, *output_pool = nullptr, *weight = nullptr;
  cudaMalloc(&input_pool, std::max(pool_bytes, stride));
  cudaMalloc(&output_pool, std::max(pool_bytes, stride));
  cudaMalloc(&weight, hidden * 2);
  cudaMemset(weight, 0x3F, hidden * 2);  // 0x3F3F: about 0.75
  cudaMemset(input_pool, 0x3F, std::max(pool_bytes, stride));
  const auto slot = [&](__nv_bfloat16* pool, int i) { return pool + i * (stride / 2); };
  const solkit::roofline::cost cost = cost_of(Definition::axes, solkit::rmsnorm_workload{batch});
  const auto sol = solkit::roofline::sol(cost, this_gpu());
  // Enough launches between two events that the timed span is >= ~100 us: launch overhead of a
  // single small kernel (about 7 us here) is not mistaken for its time.
  const int launches = static_cast<int>(std::clamp(100e-6 / sol.seconds, 1.0, 2000.0));
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  int next = 0;
  for (int warm = 0; warm < std::min(3 * sets, 3000); ++warm, next = (next + 1) % sets) {
    solkit::launch_rmsnorm<Definition>(slot(input_pool, next), weight, slot(output_pool, next), batch);
  }
  // Google Benchmark's time is that of one event pair (`launches` launches): it sizes the
  // iteration count by it. The per-launch time, S and GB/s are computed here from the totals.
  double total_seconds = 0;
  std::int64_t total_launches = 0;
  for (auto _ : state) {
    cudaEventRecord(start);
    for (int i = 0; i < launches; ++i, next = (next + 1) % sets) {
      const auto status = solkit::launch_rmsnorm<Definition>(slot(input_pool, next), weight,
                                                             slot(output_pool, next), batch);
      if (!status.ok()) {
        state.SkipWithError(status.message.c_str());
        break;
      }
    }
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    float milliseconds = 0;
    cudaEventElapsedTime(&milliseconds, start, stop);
    state.SetIterationTime(milliseconds * 1e-3);
    total_seconds += milliseconds * 1e-3;
    total_launches += launches;
  }
  const double per_launch = total_seconds / static_cast<double>(std::max<std::int64_t>(1, total_launches));
  state.counters["T_us"] = per_launch * 1e6;
  state.counters["T_SOL_us"] = sol.seconds * 1e6;
  state.counters["S"] = sol.score(per_launch);
  state.counters["GB_per_s"] = solkit::roofline::achieved_bandwidth(cost, per_launch) * 1e-9;
  state.counters["bytes"] = cost.bytes();
  state.counters["launches_per_event_pair"] = launches;
  state.SetLabel(std::string{Definition::name.view()} + "/batch_" + std::to_string(batch) + " on " +
                 std::string{this_gpu().name});
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  cudaFree(input_pool);
  cudaFree(output_pool);
  cudaFree(weight);
}

template <std::int64_t hidden>
using rmsnorm_of = solkit::rmsnorm<solkit::rmsnorm_axes{hidden}>;

}  // namespace

BENCHMARK(bench_rmsnorm<rmsnorm_of<4096>>)->Arg(1)->Arg(128)->Arg(2048)->Arg(8192)->Arg(65536)->UseManualTime();
BENCHMARK(bench_rmsnorm<rmsnorm_of<7168>>)->Arg(1)->Arg(4096)->Arg(32768)->UseManualTime();
BENCHMARK(bench_rmsnorm<rmsnorm_of<2048>>)->Arg(16384)->Arg(131072)->UseManualTime();
BENCHMARK(bench_rmsnorm<rmsnorm_of<128>>)->Arg(505888)->UseManualTime();
BENCHMARK(bench_rmsnorm<rmsnorm_of<8192>>)->Arg(32768)->UseManualTime();

BENCHMARK_MAIN();
