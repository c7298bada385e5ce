// Screenshots for the classroom: every theme at 1280x720 and font scale 1 and 2,
// presentation mode at 1920x1080, the shortcuts overlay. Checked from the layout
// recording and the pixels: nothing clipped (every item inside its panel and the
// window) and the numbers readable (WCAG AA, >= 4.5:1, measured on the pixels of
// each numbered cell). Needs a display (xvfb-run); skips without one.
#include <gtest/gtest.h>

#include "im2col/fast_conv.h"
#include "io/presets.h"

#include "support/hidden_window_test.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gui/panels/panel_playback.h"
#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/widgets/theme.h"
#include "io/atomic_file.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
namespace fs = std::filesystem;

struct Shot {
  RgbImage image;
  std::vector<LayoutItem> layout;
  const LayoutItem* Find(const std::string& id) const {
    for (const LayoutItem& item : layout)
      if (item.id == id) return &item;
    return nullptr;
  }
  ImU32 At(int x, int y) const {
    const size_t at = (static_cast<size_t>(y) * image.width + x) * 3;
    return IM_COL32(image.rgb[at], image.rgb[at + 1], image.rgb[at + 2], 255);
  }
};

bool Inside(const LayoutItem& a, const LayoutItem& outer, float slack = 1.0f) {
  return a.x >= outer.x - slack && a.y >= outer.y - slack && a.x + a.w <= outer.x + outer.w + slack &&
         a.y + a.h <= outer.y + outer.h + slack;
}

bool IsNumberedCell(const std::string& id) {
  for (const char* prefix : {"input[", "weights[", "x_col[", "w_row[", "y_mat[", "output[", "grad_output[", "grad_input["}) {
    if (id.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// Contrast of the text in a cell: its background is the most common colour inside,
// its text the pixel that differs most from it (glyph stems reach the full colour).
// 0 when the cell has no text pixels (nothing to read).
float CellTextContrast(const Shot& shot, const LayoutItem& cell) {
  std::map<ImU32, int> counts;
  const int x0 = static_cast<int>(std::ceil(cell.x)) + 4, x1 = static_cast<int>(cell.x + cell.w) - 4;
  const int y0 = static_cast<int>(std::ceil(cell.y)) + 4, y1 = static_cast<int>(cell.y + cell.h) - 4;
  if (x1 <= x0 || y1 <= y0) return 0.0f;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) ++counts[shot.At(x, y)];
  const ImU32 background =
      std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
  float best = 1.0f;
  for (const auto& [colour, count] : counts) best = std::max(best, ContrastRatio(colour, background));
  return best;
}

class ClassroomRender : public im2col::testing::HiddenWindowTest {
 protected:
  static AppState StateAt(const Scenario& scenario, Index step) { return StateAtStep(scenario, step); }
  static Shot Render(AppState& state, int width, int height, const std::string& name) {
    Shot shot;
    std::string error;
    EXPECT_TRUE(RenderStateToImage(*platform_, state, width, height, &shot.image, &shot.layout, &error)) << error;
    fs::create_directories(IM2COL_CLASSROOM_OUT);
    io::WriteFileAtomically(std::string(IM2COL_CLASSROOM_OUT) + "/" + name + ".png", EncodePng(shot.image));
    io::WriteFileAtomically(std::string(IM2COL_CLASSROOM_OUT) + "/" + name + ".json",
                            LayoutJson(width, height, shot.layout));
    return shot;
  }

  // Nothing clipped: the shell's panels inside the window; every control inside the
  // panel its left edge starts in (the toolbar and playback bar do not scroll, so
  // wholly; the side panels scroll vertically, so horizontally). Stage cells may be
  // scrolled out of view (the stage scrolls both ways), so they are not checked here.
  static void ExpectNothingClipped(const Shot& shot, const std::string& name, bool expect_cells) {
    const LayoutItem window{"window", 0, 0, static_cast<float>(shot.image.width), static_cast<float>(shot.image.height)};
    const LayoutItem* stage = shot.Find("panel:stage");
    ASSERT_NE(stage, nullptr) << name;
    const char* shell[] = {"panel:toolbar", "panel:shape", "panel:step", "panel:playback", "panel:shortcuts"};
    int cells = 0;
    for (const LayoutItem& item : shot.layout) {
      if (item.w <= 0 || item.h <= 0) continue;
      if (item.id == "panel:stage" || std::find(std::begin(shell), std::end(shell), item.id) != std::end(shell)) {
        EXPECT_TRUE(Inside(item, window)) << name << ": " << item.id << " leaves the window";
      } else if (IsNumberedCell(item.id)) {
        if (Inside(item, *stage)) ++cells;
      } else if (item.id.rfind("text:", 0) == 0) {
        // Text in a side panel, maybe scrolled below its fold: it must not run past the
        // panel's right edge (cut off, since side panels only scroll vertically).
        const LayoutItem* home = nullptr;
        for (const char* id : {"panel:shape", "panel:step"}) {
          const LayoutItem* panel = shot.Find(id);
          if (panel && item.x >= panel->x && item.x < panel->x + panel->w) home = panel;
        }
        if (home == nullptr) {
          ADD_FAILURE() << name << ": " << item.id << " is not in a side panel (" << item.x << "," << item.y << ")";
          continue;
        }
        EXPECT_LE(item.x + item.w, home->x + home->w - 1) << name << ": " << item.id << " is cut by " << home->id;
      } else if (item.id.rfind("control:", 0) == 0) {
        const LayoutItem* home = nullptr;
        for (const char* id : shell) {
          const LayoutItem* panel = shot.Find(id);
          if (panel && item.x >= panel->x && item.x < panel->x + panel->w && item.y >= panel->y &&
              item.y < panel->y + panel->h) {
            home = panel;
          }
        }
        if (home == nullptr) {
          ADD_FAILURE() << name << ": " << item.id << " is not inside any panel (" << item.x << "," << item.y << ")";
          continue;
        }
        const bool scrolls = home->id == "panel:shape" || home->id == "panel:step";
        const bool inside = scrolls ? item.x + item.w <= home->x + home->w + 1 : Inside(item, *home);
        EXPECT_TRUE(inside) << name << ": " << item.id << " is cut by " << home->id;
      }
    }
    if (expect_cells) {
      EXPECT_GT(cells, 0) << name << ": no cell visible on the stage";
    }
  }

  static void ExpectReadableNumbers(const Shot& shot, const std::string& name) {
    const LayoutItem* stage = shot.Find("panel:stage");
    ASSERT_NE(stage, nullptr);
    int measured = 0;
    float worst = 100.0f;
    std::string worst_id;
    for (const LayoutItem& item : shot.layout) {
      // Inside the stage less its scrollbars, so no cell is measured under a scrollbar.
      const LayoutItem view{"view", stage->x, stage->y, stage->w - 24.0f, stage->h - 24.0f};
      if (!IsNumberedCell(item.id) || !Inside(item, view) || item.w < 16 || item.h < 16) continue;
      const float contrast = CellTextContrast(shot, item);
      if (contrast <= 1.5f) continue;  // an empty (e.g. not yet filled) cell: no text
      ++measured;
      if (contrast < worst) {
        worst = contrast;
        worst_id = item.id;
      }
    }
    EXPECT_GT(measured, 10) << name << ": too few numbered cells measured";
    EXPECT_GE(worst, 4.5f) << name << ": " << worst_id << " text contrast " << worst;
  }

};

const ThemeId kThemes[] = {ThemeId::Light, ThemeId::Dark, ThemeId::HighContrast};

TEST_F(ClassroomRender, EveryThemeAt1280x720NothingClippedNumbersReadable) {
  for (const ThemeId theme : kThemes) {
    AppState state = StateAt(Scenario{}, 3);
    state.theme = theme;
    const std::string name = std::string("theme_") + ToString(theme) + "_scale1_1280x720";
    const Shot shot = Render(state, 1280, 720, name);
    ExpectNothingClipped(shot, name, true);
    ExpectReadableNumbers(shot, name);
  }
}

// Before the 1280x720 one: the stage keeps its scroll position in ImGui storage.
TEST_F(ClassroomRender, FontScale2At1920x1080NumbersReadable) {
  for (const ThemeId theme : kThemes) {
    AppState state = StateAt(Scenario{}, 3);
    state.theme = theme;
    state.font_scale = 2.0f;
    const std::string name = std::string("theme_") + ToString(theme) + "_scale2_1920x1080";
    const Shot shot = Render(state, 1920, 1080, name);
    ExpectNothingClipped(shot, name, true);
    ExpectReadableNumbers(shot, name);
  }
}

// A short window for its text: the phases become one combo and the layout / order /
// col2im toggles move into the shape panel, so nothing falls off the bottom.
TEST_F(ClassroomRender, FontScale2At1280x720NothingClipped) {
  for (const ThemeId theme : kThemes) {
    AppState state = StateAt(Scenario{}, 3);
    state.theme = theme;
    state.font_scale = 2.0f;
    const std::string name = std::string("theme_") + ToString(theme) + "_scale2_1280x720";
    const Shot shot = Render(state, 1280, 720, name);
    ExpectNothingClipped(shot, name, /*expect_cells=*/false);
    EXPECT_NE(shot.Find("control:phase-combo"), nullptr) << name << ": the phases must still be reachable";
  }
}

TEST_F(ClassroomRender, PresentationModeShowsOnlyStageAndExplanationLarge) {
  AppState normal = StateAt(Scenario{}, 3);
  const Shot before = Render(normal, 1920, 1080, "normal_1920x1080");
  AppState state = StateAt(Scenario{}, 3);
  PushIntent(state, intent::Classroom{classroom_action::TogglePresentation{}});
  ApplyIntents(state);
  const Shot shot = Render(state, 1920, 1080, "presentation_1920x1080");
  EXPECT_EQ(shot.Find("panel:shape"), nullptr);
  EXPECT_EQ(shot.Find("panel:toolbar"), nullptr);
  EXPECT_EQ(shot.Find("panel:playback"), nullptr);
  ASSERT_NE(shot.Find("panel:step"), nullptr);
  ASSERT_NE(shot.Find("panel:stage"), nullptr);
  ExpectNothingClipped(shot, "presentation", true);
  ExpectReadableNumbers(shot, "presentation");
  // The stage is wider and its cells larger than in the normal window.
  EXPECT_GT(shot.Find("panel:stage")->w, before.Find("panel:stage")->w);
  // Its digits are larger than the normal window's (both pick the largest that fits).
  const LayoutItem* digits = shot.Find("metric:number_px");
  const LayoutItem* normal_digits = before.Find("metric:number_px");
  ASSERT_NE(digits, nullptr);
  ASSERT_NE(normal_digits, nullptr);
  EXPECT_GT(digits->h, normal_digits->h * 1.2f);
}

TEST_F(ClassroomRender, ShortcutsOverlayFitsInEveryTheme) {
  for (const ThemeId theme : kThemes) {
    AppState state = StateAt(Scenario{}, 0);
    state.theme = theme;
    state.font_scale = 2.0f;
    state.classroom.show_shortcuts = true;
    const std::string name = std::string("shortcuts_") + ToString(theme) + "_scale2_1280x720";
    const Shot shot = Render(state, 1280, 720, name);
    const LayoutItem* overlay = shot.Find("panel:shortcuts");
    ASSERT_NE(overlay, nullptr) << name;
    EXPECT_TRUE(Inside(*overlay, LayoutItem{"w", 0, 0, 1280, 720})) << name;
    EXPECT_GT(overlay->h, 200.0f) << name;
  }
}

// Text 2 at the smallest screen: the blow-up line and the Cost rows wrap, never cut.
TEST_F(ClassroomRender, LongLinesWrapAtLargeTextOnSmallScreens) {
  for (const float scale : {1.5f, 2.0f}) {
    AppState state = StateAt(Scenario{}, 3);
    state.font_scale = scale;
    state.cost.report = MeasureLoopsVsIm2col(Scenario{}.shape, 1, 1);
    const std::string name = "long_lines_scale" + std::to_string(static_cast<int>(scale * 10)) + "_1280x720";
    const Shot shot = Render(state, 1280, 720, name);
    ExpectNothingClipped(shot, name, /*expect_cells=*/false);
    EXPECT_NE(shot.Find("text:x-col-blow-up"), nullptr) << name;
    EXPECT_NE(shot.Find("text:cost:im2col-gemm-forward"), nullptr) << name;
  }
}

// The common classroom screens, at the sizes the window opens at on them: nothing
// clipped, for the chapter example and AlexNet, at text scale 1 and 1.5.
TEST_F(ClassroomRender, CommonScreenSizesNothingClipped) {
  const std::pair<int, int> sizes[] = {{1280, 720}, {1366, 768}, {1600, 900}, {1920, 1080}, {2560, 1440}};
  const io::ScenarioReadResult alexnet = io::LoadPreset("alexnet-conv1");
  ASSERT_TRUE(alexnet.ok()) << alexnet.error;
  for (const auto& [w, h] : sizes) {
    for (const float scale : {1.0f, 1.5f}) {
      for (const bool big : {false, true}) {
        AppState state = StateAt(big ? alexnet.document->scenario : Scenario{}, 3);
        state.font_scale = scale;
        // A measurement on show, so the Cost rows are drawn (and checked) too.
        state.cost.report = MeasureLoopsVsIm2col(Scenario{}.shape, 1, 1);
        const std::string name = std::string(big ? "alexnet" : "chapter") + "_scale" +
                                 std::to_string(static_cast<int>(scale * 10)) + "_" + std::to_string(w) + "x" +
                                 std::to_string(h);
        const Shot shot = Render(state, w, h, name);
        ExpectNothingClipped(shot, name, /*expect_cells=*/!big);
      }
    }
  }
}

// The scrubber and presentation mode's footer count the same way, from 1: the last step
// is "step 150 of 150" in both (the footer said "149 / 150").
TEST(StepCounter, CountsFromOneToTheStepCount) {
  AppState state = MakeAppState(Scenario{});
  const Index count = state.timeline->StepCount();
  PushIntent(state, intent::SetStep{count - 1});
  ApplyIntents(state);
  EXPECT_EQ(StepCounterText(state), "step " + std::to_string(count) + " of " + std::to_string(count));
  PushIntent(state, intent::SetStep{0});
  ApplyIntents(state);
  EXPECT_EQ(StepCounterText(state), "step 1 of " + std::to_string(count));
}

}  // namespace
