#pragma once
// The benchmark harness every generated benchmark binary uses (Google Benchmark). One benchmark
// per definition x workload, named `definition/workload`, timing the definition's kernel through
// its type-erased entry point (solkit/core/kernel.cuh) against the T_SOL of the GPU it runs on.
//
// Method (docs/benchmarks.md):
// - Tensors are sized from the definition's spec and the workload's var axes; inputs hold random
//   values (integer inputs within the kernel's `index_bound`), never zeros.
// - Whole argument sets are rotated: enough copies that consecutive launches touch disjoint
//   memory and the copies together exceed 4x the L2, so no launch reads what the last left in
//   L2 (at most 1 GiB of copies; a single set larger than that is larger than the L2 anyway).
// - Warm-up, then each iteration times `launches` back-to-back launches between two CUDA events;
//   `launches` is chosen so the span is >= 100 us (the launch overhead of one small kernel,
//   about 7 us, is not mistaken for its time). Google Benchmark's iteration time is the whole
//   span; T_us is the median over iterations of span / launches.
// - For workloads whose T_SOL is under 10 us the same launches are also captured in a CUDA graph
//   and replayed (T_graph_us): what an engine that graphs its decode step would see.
// Counters: T_us, T_SOL_us, S = T_SOL / T, GB_per_s, TFLOP_per_s, bytes, launches_per_event_pair,
// argument_sets; the label holds the bound and the GPU's SOL table entry.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <cuda_runtime.h>

#include "solkit/bench/device_buffers.cuh"
#include "solkit/core/kernel.cuh"
#include "solkit/roofline/hardware.hpp"
#include "solkit/roofline/sol.hpp"

namespace solkit::bench {

/// The SOL table entry of the current GPU, or nullptr when the table has none.
inline const roofline::hardware* this_gpu() {
  int device = 0;
  cudaDeviceProp properties{};
  if (cudaGetDevice(&device) != cudaSuccess || cudaGetDeviceProperties(&properties, device) != cudaSuccess) {
    return nullptr;
  }
  const std::string_view name = properties.name;
  if (name.find("H200") != std::string_view::npos) return &roofline::h200_sxm;
  if (name.find("H100") != std::string_view::npos && name.find("PCIe") == std::string_view::npos) {
    return &roofline::h100_sxm;
  }
  return nullptr;
}

/// GPU name, clocks, driver and runtime versions, L2 size and solkit's commit, in the JSON's
/// context. `commit` comes from the build (SOLKIT_COMMIT).
inline void add_context(std::string_view commit) {
  int device = 0, sm_khz = 0, memory_khz = 0, bus_bits = 0, driver = 0, runtime = 0, l2 = 0, sms = 0;
  cudaDeviceProp properties{};
  if (cudaGetDevice(&device) == cudaSuccess && cudaGetDeviceProperties(&properties, device) == cudaSuccess) {
    cudaDeviceGetAttribute(&sm_khz, cudaDevAttrClockRate, device);
    cudaDeviceGetAttribute(&memory_khz, cudaDevAttrMemoryClockRate, device);
    cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, device);
    cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    benchmark::AddCustomContext("gpu", properties.name);
  } else {
    benchmark::AddCustomContext("gpu", "none");
  }
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  benchmark::AddCustomContext("gpu_max_sm_clock_mhz", std::to_string(sm_khz / 1000));
  benchmark::AddCustomContext("gpu_max_memory_clock_mhz", std::to_string(memory_khz / 1000));
  benchmark::AddCustomContext("gpu_memory_bus_bits", std::to_string(bus_bits));
  benchmark::AddCustomContext("gpu_sms", std::to_string(sms));
  benchmark::AddCustomContext("gpu_l2_bytes", std::to_string(l2));
  benchmark::AddCustomContext("cuda_driver", std::to_string(driver));
  benchmark::AddCustomContext("cuda_runtime", std::to_string(runtime));
  benchmark::AddCustomContext("solkit_commit", std::string{commit});
  const roofline::hardware* gpu = this_gpu();
  benchmark::AddCustomContext("sol_table_entry", gpu != nullptr ? std::string{gpu->name} : "none");
}

namespace detail {

inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
}

/// Seconds between two events around `enqueue()`, which issues the launches on `stream`.
template <class Enqueue>
double timed_span(cudaStream_t stream, cudaEvent_t start, cudaEvent_t stop, Enqueue&& enqueue) {
  cudaEventRecord(start, stream);
  enqueue();
  cudaEventRecord(stop, stream);
  cudaEventSynchronize(stop);
  float milliseconds = 0;
  cudaEventElapsedTime(&milliseconds, start, stop);
  return milliseconds * 1e-3;
}

}  // namespace detail

/// Times `Definition` on one workload: `var_axes` in the order of the definition's var axes,
/// `cost` its cost_of for that workload (codegen computes it; the harness only divides).
template <class Definition>
  requires has_kernel<Definition>
void run_benchmark(benchmark::State& state, const std::vector<std::int64_t>& var_axes, const roofline::cost& cost) {
  const roofline::hardware* gpu = this_gpu();
  if (gpu == nullptr) {
    state.SkipWithError("no SOL table entry for this GPU (solkit knows H100 SXM and H200 SXM here)");
    return;
  }
  argument_sets<Definition> sets{var_axes};
  if (!sets.error().empty()) {
    state.SkipWithError(sets.error().c_str());
    return;
  }
  cudaStream_t stream = nullptr;
  cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  const kernel_arguments first{sets.tensors(0), var_axes};
  if (const launch_status status = kernel<Definition>::launch(first, stream); !status.ok()) {
    state.SkipWithError(status.message.c_str());
    cudaStreamDestroy(stream);
    return;
  }
  const roofline::sol_result sol = roofline::sol(cost, *gpu);
  const int launches = static_cast<int>(std::clamp(100e-6 / std::max(sol.seconds, 1e-9), 1.0, 2000.0));
  std::size_t next = 0;
  const auto enqueue = [&] {
    for (int i = 0; i < launches; ++i) {
      kernel<Definition>::launch({sets.tensors(next), var_axes}, stream);
      next = (next + 1) % sets.count();
    }
  };
  // Warm-up: every argument set once and at least three event spans' worth of launches.
  const std::size_t warm_spans = std::max<std::size_t>(3, (sets.count() + launches - 1) / launches);
  for (std::size_t i = 0; i < warm_spans; ++i) enqueue();
  cudaStreamSynchronize(stream);

  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  std::vector<double> per_launch;
  for (auto _ : state) {
    const double seconds = detail::timed_span(stream, start, stop, enqueue);
    state.SetIterationTime(seconds);
    per_launch.push_back(seconds / launches);
  }
  const double t = detail::median(per_launch);
  if (const cudaError_t error = cudaGetLastError(); error != cudaSuccess) {
    state.SkipWithError((std::string{"CUDA error: "} + cudaGetErrorString(error)).c_str());
  }

  if (sol.seconds < 10e-6 && launches > 1) {
    // The same launches as a CUDA graph, replayed: launch overhead of the host removed.
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t graph_exec = nullptr;
    cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal);
    enqueue();
    cudaStreamEndCapture(stream, &graph);
    if (graph != nullptr && cudaGraphInstantiate(&graph_exec, graph, 0) == cudaSuccess) {
      std::vector<double> graph_per_launch;
      cudaGraphLaunch(graph_exec, stream);  // warm-up
      for (int i = 0; i < 20; ++i) {
        graph_per_launch.push_back(
            detail::timed_span(stream, start, stop, [&] { cudaGraphLaunch(graph_exec, stream); }) / launches);
      }
      state.counters["T_graph_us"] = detail::median(graph_per_launch) * 1e6;
      cudaGraphExecDestroy(graph_exec);
    }
    if (graph != nullptr) cudaGraphDestroy(graph);
    cudaGetLastError();
  }

  state.counters["T_us"] = t * 1e6;
  state.counters["T_SOL_us"] = sol.seconds * 1e6;
  state.counters["S"] = sol.score(t);
  state.counters["GB_per_s"] = roofline::achieved_bandwidth(cost, t) * 1e-9;
  state.counters["TFLOP_per_s"] = cost.total_flops() / t * 1e-12;
  state.counters["bytes"] = cost.bytes();
  state.counters["launches_per_event_pair"] = launches;
  state.counters["argument_sets"] = static_cast<double>(sets.count());
  state.SetLabel("bound=" + std::string{sol.bound()} + " sol_table=" + std::string{gpu->name});
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  cudaStreamDestroy(stream);
}

/// Registers `definition/workload` for `Definition`.
template <class Definition>
  requires has_kernel<Definition>
void register_benchmark(std::string_view workload, std::vector<std::int64_t> var_axes, roofline::cost cost) {
  const std::string name = std::string{Definition::name.view()} + "/" + std::string{workload};
  benchmark::RegisterBenchmark(name.c_str(), [var_axes, cost](benchmark::State& state) {
    run_benchmark<Definition>(state, var_axes, cost);
  })->UseManualTime()->Unit(benchmark::kMicrosecond);
}

}  // namespace solkit::bench
