// Text in every theme meets WCAG AA (4.5:1) on whatever it is drawn on: body and
// muted text, numbers on every cell fill, and labels in the meaning colours (the orange
// of "this step" as an arrow label on white was 2.2:1 in the high-contrast theme).
#include <gtest/gtest.h>

#include <imgui.h>

#include "gui/widgets/theme.h"

namespace {

using namespace im2col::gui;

class Contrast : public ::testing::Test {
 protected:
  void SetUp() override { context_ = ImGui::CreateContext(); }
  void TearDown() override { ImGui::DestroyContext(context_); }
  ImGuiContext* context_ = nullptr;
};

TEST_F(Contrast, EveryTextColourMeetsAaOnItsBackgroundInEveryTheme) {
  const std::pair<const char*, Palette> themes[] = {
      {"light", MakeLightPalette()}, {"dark", MakeDarkPalette()}, {"high-contrast", MakeHighContrastPalette()}};
  for (const auto& [name, palette] : themes) {
    const std::vector<TextUse> uses = TextUses(palette);
    EXPECT_GT(uses.size(), 30u);
    for (const TextUse& use : uses) {
      EXPECT_GE(ContrastRatio(use.text, use.background), kMinTextContrast)
          << name << ": " << use.what << " " << std::hex << use.text << " on " << use.background;
    }
  }
}

TEST_F(Contrast, LabelsKeepTheirHueAndOnlyDarkenWhenNeeded) {
  const Palette hc = MakeHighContrastPalette();
  EXPECT_LT(ContrastRatio(hc.focus, hc.background), 3.0f);  // the raw orange on white
  const ImU32 label = LabelColour(hc.focus, hc);
  EXPECT_GE(ContrastRatio(label, hc.background), kMinTextContrast);
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(label);
  EXPECT_GT(c.x, c.y);  // still orange: red over green over blue
  EXPECT_GT(c.y, c.z);
  // Black text on white needs nothing.
  EXPECT_EQ(ReadableOn(IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255)), IM_COL32(0, 0, 0, 255));
}

}  // namespace
