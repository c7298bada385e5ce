// AdviseHugePages (core/src/memory.cpp): a hint that never changes what a buffer holds,
// whatever its size and alignment.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "im2col/memory.h"

namespace {

TEST(MemoryTest, AdvisingKeepsEveryValueWritten) {
  for (const size_t count : {size_t{0}, size_t{1}, size_t{1000}, size_t{3} << 20}) {
    SCOPED_TRACE(count);
    std::vector<double> values;
    values.reserve(count);
    im2col::AdviseHugePages(values.data(), count * sizeof(double));  // before the first write
    for (size_t i = 0; i < count; ++i) values.push_back(static_cast<double>(i % 977) - 400.0);
    im2col::AdviseHugePages(values.data(), count * sizeof(double));  // and again, after it
    for (size_t i = 0; i < count; ++i) ASSERT_EQ(values[i], static_cast<double>(i % 977) - 400.0) << i;
  }
}

TEST(MemoryTest, NullAndOddRangesAreHarmless) {
  im2col::AdviseHugePages(nullptr, 0);
  im2col::AdviseHugePages(nullptr, size_t{8} << 20);
  std::vector<std::uint8_t> bytes((size_t{5} << 20) + 3, 9);
  im2col::AdviseHugePages(bytes.data() + 1, bytes.size() - 2);  // unaligned both ends
  for (const std::uint8_t b : bytes) ASSERT_EQ(b, 9);
}

}  // namespace
