#pragma once
// One row of a wide [batch, V] fp32 matrix held in the shared memory of a thread-block cluster,
// and the selections that the sampling and top-k filter kernels make on it without sorting:
// radix select by count (the k-th largest) or by mass (where the mass from the top reaches a
// target), over order-preserving 32-bit keys.
//
// Why a cluster: a vocabulary row is 128 KB to 1 MB, more than one SM's shared memory, and the
// selections need several passes over it. Read from HBM once into the shared memory of C <= 8
// CTAs (a contiguous slice each), every later pass costs shared-memory bandwidth only; the CTAs
// combine their histograms and scalars through distributed shared memory (DSMEM).
//
// Radix select: four rounds of 8 key bits from the top (256 bins). Each CTA histograms the
// elements of its slice that match the prefix chosen so far, the cluster sync makes every
// histogram visible, and every CTA sums the C histograms (in rank order) and runs the same CUB
// BlockScan from the largest bin down to choose the next digit. Masses are histogrammed in 64-bit
// fixed point (integer atomics: the sums, and so the selection, do not depend on the order in
// which threads add), so a launch replays bit for bit. Histograms are double-buffered: a buffer
// is rewritten two rounds later, after a cluster sync that every reader of the earlier round has
// passed.

#include <cstdint>
#include <string>
#include <string_view>

#include <cooperative_groups.h>
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>
#include <cuda_runtime.h>

#include "solkit/core/cuda_checks.cuh"
#include "solkit/core/launch_status.hpp"

namespace solkit::ops::cluster_row {

namespace cg = cooperative_groups;

constexpr int threads = 512;  // per CTA
constexpr int warps = threads / 32;
constexpr int max_cluster = 8;  // the portable cluster size
constexpr int radix_bits = 8, rounds = 32 / radix_bits, bins = 1 << radix_bits;  // threads t < bins own bin t
static_assert(bins <= threads);

/// Scalars one CTA publishes to its cluster; each field is written once per row (one phase each),
/// so no CTA overwrites a value another may still be reading.
struct published {
  float sum;         // mass of the slice (sampling) or unused
  float max_value;   // the slice's largest value and its lowest index (argmax)
  int max_index;
  float survivor_mass;  // mass the top-k filter keeps in this slice
  int ties;          // elements equal to the final threshold key in this slice
  float kept_mass;   // mass the final filter keeps in this slice
};

struct shared_state {
  unsigned count[2][bins];                // histogram: elements per digit
  unsigned long long mass[2][bins];       // histogram: their mass in fixed point (mass selections only)
  published mine;
  union {
    cub::BlockScan<unsigned, threads>::TempStorage scan_count;
    cub::BlockScan<unsigned long long, threads>::TempStorage scan_mass;
    cub::BlockReduce<int, threads>::TempStorage reduce_int;
    cub::BlockReduce<float, threads>::TempStorage reduce_float;
  } cub;
  float warp_float[warps];
  int warp_int[warps];
  // The chosen bin of a radix round, broadcast from the thread that found it.
  int chosen_bin;
  unsigned chosen_count;
  unsigned long long chosen_above_mass;
  unsigned chosen_above_count;
  float broadcast_float;
  int broadcast_int;
};

/// The slice of the row this CTA holds: global columns [first, first + count).
struct slice {
  float* values;  // [count] in shared memory
  int first;
  int count;
};

/// CTA `rank`'s slice of a row of `columns` cut into slices of `slice_columns`, staged at `shared`.
__device__ inline slice slice_of(float* shared, std::int64_t columns, int slice_columns, int rank) {
  const int first = rank * slice_columns;
  const std::int64_t left = columns - first;
  return {shared, first, left <= 0 ? 0 : left < slice_columns ? static_cast<int>(left) : slice_columns};
}

/// The row this CTA's cluster holds (one cluster per row) and this CTA's slice of it, staged in
/// the dynamic shared memory `shared`.
struct row_slice {
  std::int64_t row;
  slice mine;
};
__device__ inline row_slice this_row_slice(float* shared, std::int64_t columns, int slice_columns) {
  cg::cluster_group cluster = cg::this_cluster();
  return {static_cast<std::int64_t>(blockIdx.x / cluster.num_blocks()),
          slice_of(shared, columns, slice_columns, static_cast<int>(cluster.block_rank()))};
}

/// Columns per CTA for a row of `columns` split over `cluster` CTAs: a multiple of 4 (16-byte
/// vectors), so every slice but the last is full.
__host__ __device__ constexpr int slice_columns(std::int64_t columns, int cluster) {
  return static_cast<int>(((columns + cluster - 1) / cluster + 3) / 4 * 4);
}

/// CTAs per row: enough that a slice is at most 64 KB (two or three CTAs an SM), at most 8.
inline int cluster_size(std::int64_t columns) {
  int cluster = 1;
  while (cluster < max_cluster && columns * 4 > std::int64_t{65536} * cluster) cluster *= 2;
  return cluster;
}

/// Launches `kernel` (threads CTAs, a slice of `slice_columns` floats of dynamic shared memory
/// each) as `rows` clusters of cluster_size(columns) CTAs, one per row. Refuses rows too wide for
/// the device's shared memory, naming `name` and vocab_size.
template <auto kernel, class Params>
launch_status launch_row_clusters(std::string_view name, std::int64_t rows, std::int64_t columns, int slice_columns,
                                  const Params& p, cudaStream_t stream) {
  int max_dynamic = 0;  // the most the device allows: slices are sized by the row, up to it
  const launch_status raised = solkit::detail::raise_dynamic_shared_memory<kernel>(name, max_dynamic);
  if (!raised.ok()) return raised;
  const std::size_t slice_bytes = static_cast<std::size_t>(slice_columns) * sizeof(float);
  if (slice_bytes > static_cast<std::size_t>(max_dynamic)) {
    return launch_status::failure(launch_error_code::bad_size, name, "vocab_size",
                                  "is " + std::to_string(columns) + ": a slice of " + std::to_string(slice_bytes) +
                                      " bytes per CTA exceeds the " + std::to_string(max_dynamic) +
                                      " bytes of shared memory a CTA may have");
  }
  cudaLaunchConfig_t config{};
  config.gridDim = dim3(static_cast<unsigned>(rows * cluster_size(columns)));
  config.blockDim = dim3(threads);
  config.dynamicSmemBytes = slice_bytes;
  config.stream = stream;
  cudaLaunchAttribute attribute{};
  attribute.id = cudaLaunchAttributeClusterDimension;
  attribute.val.clusterDim.x = static_cast<unsigned>(cluster_size(columns));
  attribute.val.clusterDim.y = 1;
  attribute.val.clusterDim.z = 1;
  config.attrs = &attribute;
  config.numAttrs = 1;
  if (const cudaError_t status = cudaLaunchKernelEx(&config, kernel, p); status != cudaSuccess) {
    return solkit::detail::cuda_failure(name, "launch the cluster kernel", status);
  }
  return {};
}

/// Sum over the cluster of one value each CTA published (read through DSMEM in rank order, so
/// every CTA gets the same bits). Call after a cluster sync that follows the writes.
template <class Field>
__device__ auto cluster_sum(shared_state& s, Field field) {
  cg::cluster_group cluster = cg::this_cluster();
  decltype(field(s.mine)) total{};
  for (unsigned rank = 0; rank < cluster.num_blocks(); ++rank) total += field(*cluster.map_shared_rank(&s.mine, rank));
  return total;
}

/// Sum over the CTA's threads; the result reaches every thread.
__device__ inline float block_sum(shared_state& s, float value) {
  const float total = cub::BlockReduce<float, threads>(s.cub.reduce_float).Sum(value);
  if (threadIdx.x == 0) s.broadcast_float = total;
  __syncthreads();
  const float result = s.broadcast_float;
  __syncthreads();
  return result;
}

/// Fixed-point masses: value x counts as x * 2^shift, truncated to an integer. With 2^shift =
/// 2^40 / (a power of two >= the row's mass), every element is below 2^40 and a whole row's sum
/// below 2^41, so 64-bit sums cannot overflow; resolution 2^-40 of the row's mass. The factor is
/// applied as two powers of two, each a normal float, so a row of tiny mass (below 2^-88, where
/// 2^shift itself would overflow a float) scales exactly too.
struct fixed_point {
  float high = 1.0f, low = 1.0f;  // 2^shift = high * low
  /// x * 2^shift as a float (exact for a power-of-two scaling that stays normal).
  __device__ float scaled(float x) const { return x * high * low; }
  __device__ unsigned long long of(float x) const { return static_cast<unsigned long long>(scaled(x)); }
};
/// 2^e as a float, exactly, for e in [-126, 127] (built from its bits).
__device__ inline float power_of_two(int e) { return __int_as_float((127 + e) << 23); }
__device__ inline fixed_point fixed_point_for(float row_mass) {
  int exponent = 0;
  frexpf(row_mass, &exponent);  // row_mass < 2^exponent; exponent in [-148, 128] for a positive float
  const int shift = 40 - exponent;  // in [-88, 188]
  const int high = min(shift, 100);  // x * 2^high stays finite: x < 2^exponent <= 2^(-60) when shift > 100
  return {power_of_two(high), power_of_two(shift - high)};
}

/// What a radix select found: the key, how much of the target is left inside that key (the
/// target minus the count or mass of all larger keys), and how many elements have that key.
struct selection {
  unsigned key;
  unsigned left_count;             // by count
  unsigned long long left_mass;    // by mass, fixed point
  unsigned key_count;
};

/// Radix select over the cluster's row. By count (`by_mass` false): the key of the target-th
/// largest element (1 <= target <= elements taking part); left_count is then its rank among the
/// elements with that key (1-based). By mass: the smallest key whose strictly larger keys hold
/// at most `target_mass` (fixed point); the largest key always qualifies, so a target of 0
/// selects it (left_mass 0). Only elements with key >= min_key take part (at least one must).
/// `key_of(x)` is an element's key, `fixed.of(x)` its mass. Every thread of every CTA of the
/// cluster calls it; all get the same result. `buffer` is the histogram buffer toggle, carried
/// from one call to the next.
template <bool by_mass, class KeyOf>
__device__ selection radix_select(shared_state& s, const slice& mine, KeyOf key_of, unsigned min_key,
                                  unsigned target_count, unsigned long long target_mass, fixed_point fixed,
                                  int& buffer) {
  cg::cluster_group cluster = cg::this_cluster();
  unsigned prefix = 0;
  selection found{};
#pragma unroll 1
  for (int round = 0; round < rounds; ++round) {
    const int shift = 32 - radix_bits * (round + 1);
    const int b = buffer;
    buffer ^= 1;
    if (threadIdx.x < bins) {
      s.count[b][threadIdx.x] = 0;
      if (by_mass) s.mass[b][threadIdx.x] = 0;
    }
    __syncthreads();
    for (int i = threadIdx.x; i < mine.count; i += threads) {
      const float x = mine.values[i];
      const unsigned key = key_of(x);
      if (key < min_key || (round > 0 && (key >> (shift + radix_bits)) != prefix)) continue;
      const unsigned digit = (key >> shift) & (bins - 1);
      atomicAdd(&s.count[b][digit], 1u);
      if (by_mass) atomicAdd(&s.mass[b][digit], fixed.of(x));
    }
    cluster.sync();  // every CTA's histogram of this round is complete

    // Thread t < bins holds position t from the top: bin (bins - 1 - t), summed over the cluster.
    unsigned count = 0;
    unsigned long long mass = 0;
    if (threadIdx.x < bins) {
      const int bin = bins - 1 - static_cast<int>(threadIdx.x);
      for (unsigned rank = 0; rank < cluster.num_blocks(); ++rank) {
        count += cluster.map_shared_rank(&s.count[b][0], rank)[bin];
        if (by_mass) mass += cluster.map_shared_rank(&s.mass[b][0], rank)[bin];
      }
    }
    unsigned above_count = 0;
    unsigned long long above_mass = 0;
    bool qualifies = false;  // non-empty, and the larger bins hold less than the target count
    if (by_mass) {             // (by mass: at most the target mass)
      cub::BlockScan<unsigned long long, threads>(s.cub.scan_mass).ExclusiveSum(mass, above_mass);
      qualifies = count > 0 && above_mass <= target_mass;
    } else {
      cub::BlockScan<unsigned, threads>(s.cub.scan_count).ExclusiveSum(count, above_count);
      qualifies = count > 0 && above_count < target_count;
    }
    __syncthreads();  // the scan's storage is reused by the reduction
    const int candidate = qualifies ? static_cast<int>(threadIdx.x) : -1;
    const int chosen =
        cub::BlockReduce<int, threads>(s.cub.reduce_int).Reduce(candidate, [](int x, int y) { return x > y ? x : y; });
    if (threadIdx.x == 0) s.chosen_bin = chosen;
    __syncthreads();
    // Some bin always qualifies (the top non-empty one: nothing above it); -1 would mean no
    // element takes part, which callers rule out. Keep the state defined all the same.
    const int position = s.chosen_bin < 0 ? 0 : s.chosen_bin;
    if (static_cast<int>(threadIdx.x) == position) {
      s.chosen_count = count;
      s.chosen_above_mass = above_mass;
      s.chosen_above_count = above_count;
    }
    __syncthreads();
    prefix = (prefix << radix_bits) | static_cast<unsigned>(bins - 1 - position);
    found.key_count = s.chosen_count;
    if (by_mass) target_mass = target_mass > s.chosen_above_mass ? target_mass - s.chosen_above_mass : 0;
    else target_count -= s.chosen_above_count;
    __syncthreads();  // everyone has read the broadcast before the next round writes it
  }
  found.key = prefix;
  found.left_count = target_count;
  found.left_mass = target_mass;
  return found;
}

/// The columns of this CTA's slice that warp `warp` walks, in index order (chunks of 32).
struct warp_segment {
  int begin, end;
};
__device__ inline warp_segment segment_of(const slice& mine, int warp) {
  const int per_warp = ((mine.count + warps - 1) / warps + 31) / 32 * 32;
  const int begin = min(mine.count, warp * per_warp);
  return {begin, min(mine.count, begin + per_warp)};
}

/// Inclusive prefix sum over the warp's lanes.
__device__ inline float warp_inclusive_sum(float x) {
  const int lane = threadIdx.x % 32;
#pragma unroll
  for (int offset = 1; offset < 32; offset *= 2) {
    const float y = __shfl_up_sync(0xffffffffu, x, offset);
    if (lane >= offset) x += y;
  }
  return x;
}

}  // namespace solkit::ops::cluster_row
