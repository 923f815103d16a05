// expect: fixed_string: capacity exceeded
// A name longer than its fixed_string's capacity is a compile error, never a silent truncation.
#include "solkit/core/fixed_string.hpp"

constexpr auto too_long = solkit::fixed_string<4>{"abcd"} + "e";
