#pragma once
// The shared-memory layout the wgmma attention engine's tiles use, and the matrix descriptor that
// tells the tensor cores about it: plain integer functions, usable on the host (tests) and the
// device (wgmma_ptx.cuh, attention_prefill_wgmma.cuh).
//
// 128-byte swizzle (descriptor layout type 1): a [rows x columns] bf16 tile is cut into 64-column
// blocks; each block is [rows][128 bytes], and 16-byte chunk c of row r sits at chunk position
// c ^ (r % 8). The hardware undoes the XOR from address bits 7-9 (the row within an 8-row,
// 1024-byte atom), so every block must start on a 1024-byte boundary. The 8 rows an 8x8 matrix
// read touches then cover all 32 banks.

#include <cstdint>

#include "solkit/core/config.hpp"

namespace solkit::ops::wgmma {

/// Byte offset of 16-byte chunk `chunk` (columns 8 chunk .. 8 chunk + 7) of row `row` in a
/// 128-byte-swizzled tile of `rows` rows.
SOLKIT_HOST_DEVICE constexpr int swizzled_offset(int row, int chunk, int rows) {
  return (chunk / 8) * rows * 128 + row * 128 + (((chunk % 8) ^ (row % 8)) * 16);
}

/// Matrix descriptor (PTX ISA "matrix descriptor format") of a 128-byte-swizzled operand at
/// shared address `address` (16-byte aligned; its atom 1024-byte aligned, so base offset 0):
/// bits 0-13 address >> 4, 16-29 leading byte offset >> 4, 32-45 stride byte offset >> 4,
/// 62-63 layout type (1: 128-byte swizzle).
/// K-major operand: `leading_bytes` unused by the hardware (16 by convention), `stride_bytes`
/// the distance between groups of 8 rows (1024 in a dense tile). MN-major operand (read
/// transposed): `leading_bytes` the distance between 64-element column blocks, `stride_bytes`
/// the distance between groups of 8 K rows.
SOLKIT_HOST_DEVICE constexpr std::uint64_t descriptor(std::uint32_t address, std::uint32_t leading_bytes,
                                                      std::uint32_t stride_bytes) {
  return static_cast<std::uint64_t>((address & 0x3FFFFu) >> 4) |
         static_cast<std::uint64_t>((leading_bytes >> 4) & 0x3FFFu) << 16 |
         static_cast<std::uint64_t>((stride_bytes >> 4) & 0x3FFFu) << 32 | std::uint64_t{1} << 62;
}

/// Start address of the K-major operand of one m64nNk16 step `k_step` (columns 16 k_step ..
/// + 15) over rows first_row .. of a swizzled tile of `rows` rows at `tile`: the 64-column
/// block k_step / 4, then 32 bytes a step inside the block's 128-byte lines (the hardware applies
/// the swizzle to the address it forms, so the start may sit inside an atom). first_row: a
/// multiple of 8.
SOLKIT_HOST_DEVICE constexpr std::uint32_t k_major_start(std::uint32_t tile, int k_step, int rows, int first_row) {
  return tile + static_cast<std::uint32_t>((k_step / 4) * rows * 128 + first_row * 128 + (k_step % 4) * 32);
}

/// Start address of the MN-major (transposed) operand of step `k_step` (tile rows 16 k_step ..
/// + 15 are the K of the product, the tile's columns its N): 16 rows of 128 bytes a step; the
/// descriptor's leading byte offset (rows x 128) reaches the next 64-column block.
SOLKIT_HOST_DEVICE constexpr std::uint32_t mn_major_start(std::uint32_t tile, int k_step) {
  return tile + static_cast<std::uint32_t>(k_step * 16 * 128);
}

}  // namespace solkit::ops::wgmma
