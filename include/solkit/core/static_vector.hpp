#pragma once
// A vector of fixed capacity that works in constant expressions: a definition's axes, tensors
// and constraints are built by constexpr functions, and std::vector cannot outlive constant
// evaluation into a static member.

#include <cstddef>
#include <initializer_list>
#include <stdexcept>

namespace solkit {

template <class T, std::size_t Capacity>
struct static_vector {
  T items[Capacity]{};  // [Capacity]; the first `count` are live
  std::size_t count = 0;

  constexpr static_vector() = default;
  constexpr static_vector(std::initializer_list<T> values) {
    for (const T& value : values) push_back(value);
  }

  constexpr void push_back(const T& value) {
    if (count == Capacity) throw std::length_error("solkit::static_vector: capacity exceeded");
    items[count++] = value;
  }

  static constexpr std::size_t capacity() { return Capacity; }
  constexpr std::size_t size() const { return count; }
  constexpr bool empty() const { return count == 0; }
  constexpr const T& operator[](std::size_t i) const { return items[i]; }
  constexpr T& operator[](std::size_t i) { return items[i]; }
  constexpr const T* begin() const { return items; }
  constexpr const T* end() const { return items + count; }
  constexpr T* begin() { return items; }
  constexpr T* end() { return items + count; }
};

}  // namespace solkit
