// "Measure loops vs im2col" at the chapter's size: every row a time that is not zero,
// in a unit that fits (ns, µs), each sample long enough for the clock to resolve.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include <imgui.h>

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

TEST(TextWrap, IndicesAreNeverSplitMidBracket) {
  ImGuiContext* context = ImGui::CreateContext();
  ImGui::GetIO().Fonts->Build();
  ImGui::GetIO().DisplaySize = ImVec2(800, 600);
  ImGui::NewFrame();
  const std::string label = "copy x[0,0,1,1] into X_col[3,0] and then x[0,1,2,3] into X_col[11,4]";
  for (float width = 40.0f; width < 600.0f; width += 7.0f) {
    const std::string wrapped = im2col::gui::BreakAtSpaces(label, width);
    int depth = 0;
    for (char c : wrapped) {
      depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      EXPECT_FALSE(c == '\n' && depth > 0) << "width " << width << ": " << wrapped;
    }
    // Only spaces became line breaks: the text is otherwise unchanged.
    std::string joined = wrapped;
    for (char& c : joined) c = c == '\n' ? ' ' : c;
    EXPECT_EQ(joined, label);
    // Every line that has a space fits the width.
    size_t start = 0;
    while (start < wrapped.size()) {
      const size_t end = std::min(wrapped.find('\n', start), wrapped.size());
      const std::string line = wrapped.substr(start, end - start);
      if (line.find(' ') != std::string::npos) EXPECT_LE(ImGui::CalcTextSize(line.c_str()).x, width) << line;
      start = end + 1;
    }
  }
  ImGui::EndFrame();
  ImGui::DestroyContext(context);
}

}  // namespace
