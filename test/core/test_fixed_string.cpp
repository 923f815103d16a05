// fixed_string: built, concatenated and formatted in constant expressions and at run time alike.

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>

#include <catch2/catch.hpp>

#include "solkit/core/fixed_string.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_core_test_fixed_string {

using solkit::fixed_string;
using solkit::to_fixed_string;

static_assert(fixed_string{"abc"}.size() == 3);
static_assert(fixed_string<8>{"ab"} + "cd" == "abcd");
static_assert(fixed_string<16>{"h"} + 32 + "_kv" + 8 == "h32_kv8");
static_assert(fixed_string{"ab"} + fixed_string{"cde"} == "abcde");
static_assert(decltype(fixed_string{"ab"} + fixed_string{"cde"})::capacity() == 5);
static_assert(to_fixed_string(0) == "0");
static_assert(to_fixed_string(-17) == "-17");
static_assert(to_fixed_string(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
static_assert(to_fixed_string(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
static_assert(fixed_string<4>{"abcd"}.c_str()[4] == '\0');

TEST_CASE("fixed_string formats integers at run time as at compile time", "[core][fixed_string]") {
  // Values from a run-time source, so nothing is folded at compile time.
  const auto value = GENERATE(std::int64_t{0}, std::int64_t{7}, std::int64_t{128256},
                              std::int64_t{-42}, std::numeric_limits<std::int64_t>::max());
  const auto text = to_fixed_string(value);
  CHECK(text.view() == std::to_string(value));
}

TEST_CASE("fixed_string refuses to outgrow its capacity", "[core][fixed_string]") {
  fixed_string<4> s{"abc"};
  s.append("d");
  CHECK(s == "abcd");
  CHECK_THROWS_AS(s.append("e"), std::length_error);
  CHECK(s == "abcd");  // unchanged by the failed append
  CHECK_THROWS_AS(fixed_string<2>{std::string_view{"abc"}}, std::length_error);
}

TEST_CASE("fixed_string compares with views and other capacities", "[core][fixed_string]") {
  const fixed_string<32> a{"rmsnorm_h4096"};
  const fixed_string<13> b{"rmsnorm_h4096"};
  CHECK(a == b);
  CHECK(a == std::string_view{"rmsnorm_h4096"});
  CHECK_FALSE(a == std::string_view{"rmsnorm_h409"});
  CHECK(a.str() == "rmsnorm_h4096");
}

}  // namespace solkit_test_core_test_fixed_string
