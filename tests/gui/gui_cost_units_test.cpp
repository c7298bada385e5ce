// "Measure loops vs im2col" at the chapter's size: every row a time that is not zero,
// in a unit that fits (ns, µs), each sample long enough for the clock to resolve.
#include <gtest/gtest.h>

#include <string>

#include "gui/widgets/ui_helpers.h"
#include "im2col/fast_conv.h"
#include "im2col/shape.h"

namespace {

using namespace im2col;
using im2col::gui::FormatDuration;

TEST(CostUnits, DurationsUseAUnitThatFits) {
  EXPECT_EQ(FormatDuration(0.00042), "420 ns");
  EXPECT_EQ(FormatDuration(0.0000005), "0.50 ns");
  EXPECT_EQ(FormatDuration(0.0125), "12.5 \u00b5s");
  EXPECT_EQ(FormatDuration(0.0009996), "1.00 \u00b5s");  // rounding carries into the next unit
  EXPECT_EQ(FormatDuration(3.4), "3.40 ms");
  EXPECT_EQ(FormatDuration(180.0), "180 ms");
  EXPECT_EQ(FormatDuration(1250.0), "1.25 s");
  EXPECT_EQ(FormatDuration(0.0), "0 ns");
  EXPECT_EQ(FormatDuration(-1.0), "?");
}

TEST(CostUnits, TheChapterSizeMeasuresEveryRowAboveZero) {
  const Shape chapter;  // 4x4x3, K 2, F 1
  const TimingReport report = MeasureLoopsVsIm2col(chapter, 3, 1);
  ASSERT_EQ(report.entries.size(), 6u);
  int batched = 0;
  for (const TimingEntry& entry : report.entries) {
    EXPECT_GT(entry.ms, 0.0) << entry.name;
    // Runs far below a millisecond are timed many together (a busy machine may stretch
    // one calibration sample, so not necessarily every row).
    batched += entry.runs_per_sample > 1;
    const std::string shown = FormatDuration(entry.ms);
    EXPECT_EQ(shown.find("0.00"), std::string::npos) << entry.name << ": " << shown;
    EXPECT_EQ(shown.find(" ms"), std::string::npos) << entry.name << " at this size is far below a millisecond: " << shown;
  }
  EXPECT_GE(batched, 3);
}

}  // namespace
