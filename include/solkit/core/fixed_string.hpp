#pragma once
// A string that lives in constant expressions: definition names are computed from axes at
// compile time (and by the same function at run time), so they need a string type that can be
// built, concatenated and compared inside constexpr functions and stored in static members.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace solkit {

/// A null-terminated string of at most `Capacity` characters, usable as a literal type and a
/// structural type (all members public), so it can be a `static constexpr` member.
/// Appending past the capacity throws: a compile error in constant evaluation, an exception at
/// run time; never a silent truncation.
template <std::size_t Capacity>
struct fixed_string {
  char chars[Capacity + 1]{};  // [Capacity + 1], null-terminated
  std::size_t length = 0;

  constexpr fixed_string() = default;

  template <std::size_t N>
    requires(N - 1 <= Capacity)
  constexpr fixed_string(const char (&literal)[N]) {  // NOLINT: implicit from a literal on purpose
    append(std::string_view{literal, N - 1});
  }

  constexpr explicit fixed_string(std::string_view text) { append(text); }

  template <std::size_t Other>
    requires(Other <= Capacity)
  constexpr fixed_string(const fixed_string<Other>& other) {  // NOLINT: widening is lossless
    append(other.view());
  }

  static constexpr std::size_t capacity() { return Capacity; }
  constexpr std::size_t size() const { return length; }
  constexpr bool empty() const { return length == 0; }
  constexpr const char* c_str() const { return chars; }
  constexpr const char* data() const { return chars; }
  constexpr std::string_view view() const { return {chars, length}; }
  constexpr operator std::string_view() const { return view(); }  // NOLINT
  std::string str() const { return std::string{view()}; }

  constexpr fixed_string& append(std::string_view text) {
    if (text.size() > Capacity - length) {
      throw std::length_error("solkit::fixed_string: capacity exceeded");
    }
    std::copy(text.begin(), text.end(), chars + length);
    length += text.size();
    chars[length] = '\0';
    return *this;
  }

  /// Appends the decimal form of an integer (the name rules of flashinfer-bench use plain
  /// decimal: `h32`, `ps64`, `v128256`).
  constexpr fixed_string& append(std::integral auto value) {
    char digits[24]{};
    std::size_t count = 0;
    const bool negative = value < 0;
    // Work in unsigned to format the most negative value without overflow.
    auto magnitude = negative ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(value)
                              : static_cast<std::uint64_t>(value);
    do {
      digits[count++] = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude != 0);
    if (negative) digits[count++] = '-';
    std::reverse(digits, digits + count);
    return append(std::string_view{digits, count});
  }

  friend constexpr bool operator==(const fixed_string& a, std::string_view b) {
    return a.view() == b;
  }
  template <std::size_t Other>
  friend constexpr bool operator==(const fixed_string& a, const fixed_string<Other>& b) {
    return a.view() == b.view();
  }

  friend std::ostream& operator<<(std::ostream& out, const fixed_string& s) {
    return out << s.view();
  }
};

template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N - 1>;

/// `s + "text"` and `s + 42` keep the capacity of `s`: names are built into a string sized for
/// the longest name, then appended to.
template <std::size_t Capacity>
constexpr fixed_string<Capacity> operator+(fixed_string<Capacity> s, std::string_view text) {
  return s.append(text);
}
template <std::size_t Capacity, std::size_t N>
constexpr fixed_string<Capacity> operator+(fixed_string<Capacity> s, const char (&text)[N]) {
  return s.append(std::string_view{text, N - 1});
}
template <std::size_t Capacity>
constexpr fixed_string<Capacity> operator+(fixed_string<Capacity> s, std::integral auto value) {
  return s.append(value);
}
/// Two fixed strings concatenate into one whose capacity is the sum.
template <std::size_t A, std::size_t B>
constexpr fixed_string<A + B> operator+(const fixed_string<A>& a, const fixed_string<B>& b) {
  fixed_string<A + B> joined{a};
  return joined.append(b.view());
}

/// The decimal form of an integer as a fixed string.
constexpr fixed_string<20> to_fixed_string(std::integral auto value) {
  return fixed_string<20>{}.append(value);
}

/// Capacity of every definition name; the longest public name
/// (`moe_fp8_block_scale_ds_routing_topk8_ng8_kg4_e256_h7168_i2048`) has 61 characters.
inline constexpr std::size_t definition_name_capacity = 96;
using definition_name = fixed_string<definition_name_capacity>;

}  // namespace solkit
