#include "gui/widgets/number_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace im2col::gui {

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return value != value ? "nan" : (value > 0 ? "inf" : "-inf");
  const double rounded = std::round(value);
  char buffer[64];
  if (std::fabs(value - rounded) < 1e-9 * std::max(1.0, std::fabs(value))) {
    std::snprintf(buffer, sizeof buffer, "%.0f", rounded == 0.0 ? 0.0 : rounded);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text == "0" || text == "-0") {  // tiny but not zero: keep it visibly non-zero
    std::snprintf(buffer, sizeof buffer, "%.1e", value);
    return buffer;
  }
  return text;
}

std::string FormatFull(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::size_t LongestNumber(const double* values, Index count) {
  std::size_t longest = 1;
  const Index stride = std::max<Index>(1, count / 1024);
  for (Index k = 0; k < count; k += stride) longest = std::max(longest, FormatNumber(values[k]).size());
  return longest;
}

}  // namespace im2col::gui
