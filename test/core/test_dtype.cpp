// dtype: flashinfer-bench's enum, its JSON names and exact element sizes.

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "solkit/core/dtype.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_core_test_dtype {

using solkit::dtype;

static_assert(solkit::size_bits(dtype::float4_e2m1) == 4);
static_assert(solkit::size_bytes(dtype::float4_e2m1, 3) == 2);  // 12 bits round up to 2 bytes
static_assert(solkit::size_bytes(dtype::bfloat16, 4096) == 8192);
static_assert(solkit::json_name(dtype::boolean) == "bool");

TEST_CASE("dtype names are flashinfer-bench's, each parsed back to itself", "[core][dtype]") {
  const std::set<std::string> expected{"float32", "float16",     "bfloat16", "float8_e4m3fn",
                                       "float8_e5m2", "float4_e2m1", "int64", "int32",
                                       "int16",   "int8",        "bool"};
  std::set<std::string> seen;
  for (dtype type : solkit::all_dtypes) {
    const std::string name{solkit::json_name(type)};
    seen.insert(name);
    REQUIRE(solkit::parse_dtype(name) == type);
  }
  CHECK(seen == expected);
  CHECK_FALSE(solkit::parse_dtype("float8_e4m3"));  // the old spelling is not in the schema
  CHECK_FALSE(solkit::parse_dtype("float64"));
  CHECK_FALSE(solkit::parse_dtype(""));
}

TEST_CASE("dtype sizes", "[core][dtype]") {
  CHECK(solkit::size_bytes(dtype::float32, 10) == 40);
  CHECK(solkit::size_bytes(dtype::float8_e4m3fn, 10) == 10);
  CHECK(solkit::size_bytes(dtype::int64, 3) == 24);
  CHECK(solkit::size_bytes(dtype::float4_e2m1, 4096) == 2048);
  CHECK(solkit::size_bytes(dtype::boolean, 5) == 5);
}

}  // namespace solkit_test_core_test_dtype
