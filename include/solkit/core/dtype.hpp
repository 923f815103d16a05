#pragma once
// The element types of flashinfer-bench's definition schema, with their JSON names and sizes.
// The sizes feed the speed-of-light byte counts, so they are exact (float4_e2m1 is half a byte).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "solkit/core/config.hpp"

namespace solkit {

enum class dtype : std::uint8_t {
  float32,
  float16,
  bfloat16,
  float8_e4m3fn,
  float8_e5m2,
  float4_e2m1,
  int64,
  int32,
  int16,
  int8,
  boolean,  // "bool" in JSON; `bool` is a keyword here
};

/// Every dtype, in the order of flashinfer-bench's enum.
inline constexpr std::array all_dtypes{
    dtype::float32, dtype::float16,     dtype::bfloat16, dtype::float8_e4m3fn,
    dtype::float8_e5m2, dtype::float4_e2m1, dtype::int64, dtype::int32,
    dtype::int16,   dtype::int8,        dtype::boolean,
};

/// The name flashinfer-bench's JSON uses for the dtype.
constexpr std::string_view json_name(dtype type) {
  switch (type) {
    case dtype::float32: return "float32";
    case dtype::float16: return "float16";
    case dtype::bfloat16: return "bfloat16";
    case dtype::float8_e4m3fn: return "float8_e4m3fn";
    case dtype::float8_e5m2: return "float8_e5m2";
    case dtype::float4_e2m1: return "float4_e2m1";
    case dtype::int64: return "int64";
    case dtype::int32: return "int32";
    case dtype::int16: return "int16";
    case dtype::int8: return "int8";
    case dtype::boolean: return "bool";
  }
  return "";  // unreachable for a valid enumerator
}

/// The dtype a JSON name stands for, or nothing when the name is not in the schema's enum.
constexpr std::optional<dtype> parse_dtype(std::string_view name) {
  for (dtype type : all_dtypes) {
    if (json_name(type) == name) return type;
  }
  return std::nullopt;
}

/// Storage size of one element in bits (float4_e2m1 packs two elements per byte).
SOLKIT_HOST_DEVICE constexpr std::size_t size_bits(dtype type) {
  switch (type) {
    case dtype::float32: return 32;
    case dtype::float16: return 16;
    case dtype::bfloat16: return 16;
    case dtype::float8_e4m3fn: return 8;
    case dtype::float8_e5m2: return 8;
    case dtype::float4_e2m1: return 4;
    case dtype::int64: return 64;
    case dtype::int32: return 32;
    case dtype::int16: return 16;
    case dtype::int8: return 8;
    case dtype::boolean: return 8;
  }
  return 0;
}

/// Bytes that `count` elements occupy, rounded up to whole bytes.
SOLKIT_HOST_DEVICE constexpr std::uint64_t size_bytes(dtype type, std::uint64_t count) {
  return (count * size_bits(type) + 7) / 8;
}

}  // namespace solkit
