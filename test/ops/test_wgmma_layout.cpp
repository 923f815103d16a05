// The wgmma attention engine's host-checkable parts: the 128-byte-swizzled tile layout its
// cp.async writes use, the matrix descriptors that describe that layout to the tensor cores, and
// the engine setting's parsing. (The kernels themselves run only in the GPU test.)

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>

#include "solkit/ops/common/prefill_engine.hpp"
#include "solkit/ops/common/wgmma_layout.hpp"

namespace wgmma_layout = solkit::ops::wgmma;  // (a unity build shares file scope: no using-declarations)

TEST_CASE("swizzled tile: every chunk has its own 16 bytes, in its row's 128-byte line of its block") {
  for (const int rows : {64, 128}) {
    for (const int columns : {64, 128, 192, 256}) {
      const int chunks = columns / 8;
      std::set<int> seen;
      for (int row = 0; row < rows; ++row) {
        for (int chunk = 0; chunk < chunks; ++chunk) {
          const int offset = wgmma_layout::swizzled_offset(row, chunk, rows);
          REQUIRE(offset % 16 == 0);
          REQUIRE(offset >= 0);
          REQUIRE(offset < rows * columns * 2);
          REQUIRE(offset / 128 == (chunk / 8) * rows + row);  // block chunk / 8, line `row`
          REQUIRE(seen.insert(offset).second);
        }
      }
      REQUIRE(static_cast<int>(seen.size()) == rows * chunks);
    }
  }
}

TEST_CASE("swizzled tile: the hardware's XOR of address bits 7-9 into bits 4-6 recovers the chunk") {
  // From a 1024-byte-aligned base, bits 7-9 of the offset are the row within its 8-row atom and
  // bits 4-6 the stored chunk position; the tensor cores read logical chunk (bits 4-6) ^ (7-9).
  for (int row = 0; row < 128; ++row) {
    for (int chunk = 0; chunk < 16; ++chunk) {
      const int offset = wgmma_layout::swizzled_offset(row, chunk, 128);
      REQUIRE((((offset >> 4) & 7) ^ ((offset >> 7) & 7)) == chunk % 8);
      REQUIRE(((offset >> 7) & 7) == row % 8);
    }
  }
}

TEST_CASE("swizzled tile: 8 consecutive rows of one chunk cover all 32 banks (conflict-free 8x8 reads)") {
  for (int first = 0; first < 128; first += 8) {
    for (int chunk = 0; chunk < 16; ++chunk) {
      std::set<int> bank_groups;  // a 16-byte chunk covers banks 4 p .. 4 p + 3, p = (offset / 16) % 8
      for (int row = first; row < first + 8; ++row) bank_groups.insert((wgmma_layout::swizzled_offset(row, chunk, 128) / 16) % 8);
      REQUIRE(bank_groups.size() == 8);
    }
  }
}

TEST_CASE("matrix descriptor: fields where the PTX ISA puts them") {
  // K-major operand at 0x12340: address >> 4 in bits 0-13, LBO 16 >> 4 = 1 in 16-29, SBO
  // 1024 >> 4 = 64 in 32-45, layout type 1 (128-byte swizzle) in 62-63.
  constexpr std::uint64_t k_major = wgmma_layout::descriptor(0x12340, 16, 1024);
  STATIC_REQUIRE(k_major == (0x1234ull | 1ull << 16 | 64ull << 32 | 1ull << 62));
  // MN-major V tile of 128 keys: column blocks 128 x 128 bytes apart -> LBO field 1024.
  constexpr std::uint64_t mn_major = wgmma_layout::descriptor(0x8000, 128 * 128, 1024);
  STATIC_REQUIRE(((mn_major >> 16) & 0x3FFF) == 1024);
  STATIC_REQUIRE(((mn_major >> 32) & 0x3FFF) == 64);
  STATIC_REQUIRE((mn_major & 0x3FFF) == 0x800);
  // Only shared-window address bits 4-17 are kept; base offset (bits 49-51) stays 0.
  STATIC_REQUIRE((wgmma_layout::descriptor(0x40010, 16, 1024) & 0x3FFF) == 1);
  STATIC_REQUIRE(((wgmma_layout::descriptor(0x3FFF0, 16, 1024) >> 49) & 7) == 0);
  // Stepping 16 columns inside a swizzle atom moves the address field by 32 bytes (2 units).
  STATIC_REQUIRE(wgmma_layout::descriptor(0x12340 + 32, 16, 1024) - k_major == 2);
}

TEST_CASE("prefill engine setting: names parse, anything else leaves the engine alone") {
  using solkit::attention::prefill_engine_kind;
  prefill_engine_kind engine = prefill_engine_kind::mma_sync;
  REQUIRE(solkit::attention::parse_prefill_engine("wgmma", engine));
  REQUIRE(engine == prefill_engine_kind::wgmma);
  REQUIRE(solkit::attention::parse_prefill_engine("automatic", engine));
  REQUIRE(engine == prefill_engine_kind::automatic);
  REQUIRE(solkit::attention::parse_prefill_engine("mma_sync", engine));
  REQUIRE(engine == prefill_engine_kind::mma_sync);
  for (const char* bad : {"", "WGMMA", "mma", "wgmma ", "auto"}) {
    REQUIRE_FALSE(solkit::attention::parse_prefill_engine(bad, engine));
    REQUIRE(engine == prefill_engine_kind::mma_sync);
  }
  REQUIRE(solkit::attention::initial_prefill_engine(nullptr) == prefill_engine_kind::automatic);
  REQUIRE(solkit::attention::initial_prefill_engine("wgmma") == prefill_engine_kind::wgmma);
  REQUIRE(solkit::attention::initial_prefill_engine("fast") == prefill_engine_kind::automatic);
}

namespace {

/// The byte address the tensor cores read for element (mn, k) of one m64nNk16 operand (16 K
/// values) described by `descriptor`, 128-byte swizzle, bf16: the canonical layouts of the PTX
/// ISA's matrix-descriptor section (as CUTLASS's make_gmma_desc documents them, in 16-byte
/// units), then the swizzle, which XORs address bits 7-9 into bits 4-6.
/// K-major: ((8 rows, m groups), (2 chunks)) : ((128 B, SBO), 16 B).
/// MN-major: ((8 chunks, n blocks), (8 K rows, k groups)) : ((16 B, LBO), (128 B, SBO)).
std::uint32_t tensor_core_reads(std::uint64_t descriptor, bool k_major, int mn, int k) {
  const std::uint32_t start = static_cast<std::uint32_t>(descriptor & 0x3FFF) << 4;
  const std::uint32_t leading = static_cast<std::uint32_t>((descriptor >> 16) & 0x3FFF) << 4;
  const std::uint32_t stride = static_cast<std::uint32_t>((descriptor >> 32) & 0x3FFF) << 4;
  REQUIRE((descriptor >> 62) == 1);  // 128-byte swizzle
  std::uint32_t linear = start;
  if (k_major) {
    linear += static_cast<std::uint32_t>((mn % 8) * 128 + (mn / 8) * stride + (k / 8) * 16 + (k % 8) * 2);
  } else {
    linear += static_cast<std::uint32_t>((mn % 64) * 2 + (mn / 64) * leading + (k % 8) * 128 + (k / 8) * stride);
  }
  return linear ^ (((linear >> 7) & 7) << 4);
}

/// Where the kernel's cp.async put element (row, column) of a swizzled tile at `tile`.
std::uint32_t stored_at(std::uint32_t tile, int row, int column, int rows) {
  return tile + static_cast<std::uint32_t>(wgmma_layout::swizzled_offset(row, column / 8, rows) + (column % 8) * 2);
}

}  // namespace

TEST_CASE("wgmma prefill operands: every descriptor the kernel builds reads the element it means") {
  // The kernel's shapes: 2 warpgroups x 64 query rows; K/V tiles of 128 keys up to head_dim 128,
  // 64 above; tiles at 1024-byte-aligned shared addresses.
  for (const int head_dim : {64, 128, 192, 256}) {
    const int block_m = 128, block_n = head_dim <= 128 ? 128 : 64;
    const std::uint32_t sq = 0x400, sk = sq + block_m * head_dim * 2, sv = sk + 2 * block_n * head_dim * 2;
    for (int k_step = 0; k_step < head_dim / 16; ++k_step) {
      for (int warpgroup = 0; warpgroup < 2; ++warpgroup) {
        // S = Q K^T, A = Q rows of this warpgroup, columns 16 k_step ..
        const std::uint64_t a = wgmma_layout::descriptor(wgmma_layout::k_major_start(sq, k_step, block_m, warpgroup * 64), 16, 1024);
        for (int m = 0; m < 64; ++m) {
          for (int k = 0; k < 16; ++k) {
            REQUIRE(tensor_core_reads(a, true, m, k) == stored_at(sq, warpgroup * 64 + m, k_step * 16 + k, block_m));
          }
        }
      }
      // B = K^T: element (k, n) is K[key n][column 16 k_step + k].
      const std::uint64_t b = wgmma_layout::descriptor(wgmma_layout::k_major_start(sk, k_step, block_n, 0), 16, 1024);
      for (int n = 0; n < block_n; ++n) {
        for (int k = 0; k < 16; ++k) {
          REQUIRE(tensor_core_reads(b, true, n, k) == stored_at(sk, n, k_step * 16 + k, block_n));
        }
      }
    }
    // O += P V, B = V: element (k, n) is V[key 16 step + k][column n], read MN-major.
    for (int step = 0; step < block_n / 16; ++step) {
      const std::uint64_t b = wgmma_layout::descriptor(wgmma_layout::mn_major_start(sv, step), block_n * 128, 1024);
      for (int n = 0; n < head_dim; ++n) {
        for (int k = 0; k < 16; ++k) {
          REQUIRE(tensor_core_reads(b, false, n, k) == stored_at(sv, step * 16 + k, n, block_n));
        }
      }
    }
  }
}
