// Turns fuzz bytes into typed choices, front to back (zeros once the bytes run out).
// Our own, so the same targets build with gcc for the regression replay in ctest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace im2col::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  // An integer in [min, max], from as many bytes as the range needs.
  template <typename T>
  T IntInRange(T min, T max) {
    static_assert(std::is_integral_v<T>, "integers only");
    using U = std::make_unsigned_t<T>;
    const U range = static_cast<U>(static_cast<U>(max) - static_cast<U>(min));
    std::uint64_t bits = 0;
    for (U covered = 0; covered < range && offset_ < size_; covered = static_cast<U>((covered << 8) | 0xFF)) {
      bits = (bits << 8) | data_[offset_++];
      if (covered > (std::numeric_limits<U>::max() >> 8)) break;
    }
    if (range == std::numeric_limits<U>::max()) return static_cast<T>(static_cast<U>(min) + static_cast<U>(bits));
    return static_cast<T>(static_cast<U>(min) + static_cast<U>(bits % (static_cast<std::uint64_t>(range) + 1)));
  }

  template <typename T>
  T Int() {
    return IntInRange<T>(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  }

  bool Bool() { return (IntInRange<std::uint8_t>(0, 255) & 1) != 0; }

  template <typename T, std::size_t N>
  const T& Pick(const T (&choices)[N]) {
    return choices[IntInRange<std::size_t>(0, N - 1)];
  }

  std::size_t remaining() const { return size_ - offset_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t offset_ = 0;
};

}  // namespace im2col::fuzz
