// The stage drawn offscreen and checked by its pixels and its layout rectangles:
// nothing overlaps and every cell is readable at 1920x1080 and 1280x720 for every
// preset; the focus outline is on the cell the timeline names; overwrite (=) marks
// exactly the wrong pixels; the overlap heat is brightest where the count is
// highest; hovering a pixel outlines its copies in X_col. Needs a display (Xvfb);
// skips without one.
#include <gtest/gtest.h>

#include "support/hidden_window_test.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/state/hover.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "io/atomic_file.h"
#include "io/presets.h"

namespace im2col::gui {
namespace {

struct Rect {
  float x, y, w, h;
};

class StageRender : public im2col::testing::HiddenWindowTest {
 protected:
  // Renders `state` and keeps the image and the recorded rectangles by id.
  void Render(AppState& state, int width = 1920, int height = 1080, OffscreenPointer pointer = {}) {
    std::vector<LayoutItem> layout;
    std::string error;
    ASSERT_TRUE(RenderStateToImage(*platform_, state, width, height, &image_, &layout, &error, pointer)) << error;
    items_.clear();
    for (const LayoutItem& item : layout) items_[item.id] = Rect{item.x, item.y, item.w, item.h};
  }
  const Rect* Item(const std::string& id) const {
    auto it = items_.find(id);
    return it == items_.end() ? nullptr : &it->second;
  }
  ImU32 Pixel(int x, int y) const {
    const size_t k = (static_cast<size_t>(y) * static_cast<size_t>(image_.width) + static_cast<size_t>(x)) * 3;
    return IM_COL32(image_.rgb[k], image_.rgb[k + 1], image_.rgb[k + 2], 255);
  }
  static bool Near(ImU32 a, ImU32 b, int tolerance = 40) {
    for (int shift : {IM_COL32_R_SHIFT, IM_COL32_G_SHIFT, IM_COL32_B_SHIFT}) {
      if (std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((b >> shift) & 0xFF)) > tolerance) return false;
    }
    return true;
  }
  // How many pixels on the ring `inset` pixels inside a rectangle are near `color`.
  int RingCount(const Rect& r, float inset, ImU32 color, int tolerance = 40) const {
    int count = 0;
    const int x0 = static_cast<int>(r.x + inset), x1 = static_cast<int>(r.x + r.w - inset - 1);
    const int y0 = static_cast<int>(r.y + inset), y1 = static_cast<int>(r.y + r.h - inset - 1);
    for (int x = x0; x <= x1; ++x) count += Near(Pixel(x, y0), color, tolerance) + Near(Pixel(x, y1), color, tolerance);
    for (int y = y0 + 1; y < y1; ++y) count += Near(Pixel(x0, y), color, tolerance) + Near(Pixel(x1, y), color, tolerance);
    return count;
  }
  static float Luminance(ImU32 c) {
    return 0.2126f * static_cast<float>((c >> IM_COL32_R_SHIFT) & 0xFF) +
           0.7152f * static_cast<float>((c >> IM_COL32_G_SHIFT) & 0xFF) +
           0.0722f * static_cast<float>((c >> IM_COL32_B_SHIFT) & 0xFF);
  }

  static AppState StateAtStep(const Scenario& scenario, Index step, bool overwrite = false) {
    AppState state = MakeAppState(scenario);
    PushIntent(state, intent::SetStep{step});
    ApplyIntents(state);
    state.overwrite_mode = overwrite;
    return state;
  }

  RgbImage image_;
  std::map<std::string, Rect> items_;
};


const ImU32 kFocus = IM_COL32(0xE6, 0x9F, 0x00, 255);
const ImU32 kBlack = IM_COL32(0, 0, 0, 255);

bool IsStageCell(const std::string& id) {
  for (const char* prefix : {"input[", "weights[", "w_row[", "x_col[", "y_mat[", "output[", "grad_weights[",
                             "grad_w_row[", "grad_input", "overlap[", "grad_x_col[", "dy_mat[", "grad_output[", "x_mat[",
                             "grad_x_mat["}) {
    if (id.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool IsStageBlock(const std::string& id) {
  for (const char* name : {"panel:weights", "panel:w_row", "panel:input", "panel:x_col", "panel:y_mat",
                           "panel:output", "panel:grad_weights", "panel:grad_w_row", "panel:grad_input",
                           "panel:grad_input_right", "panel:overlap", "panel:grad_x_col", "panel:dy_mat",
                           "panel:grad_output", "panel:x_mat", "panel:grad_x_mat"}) {
    if (id == name) return true;
  }
  return false;
}

float Overlap(const Rect& a, const Rect& b) {
  const float w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const float h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0.0f;
}

TEST_F(StageRender, NothingOverlapsAndCellsStayReadableForEveryPreset) {
  for (const io::PresetInfo& preset : io::ListPresets()) {
    const io::ScenarioReadResult loaded = io::LoadPreset(preset.name);
    ASSERT_TRUE(loaded.ok()) << loaded.error;
    const Scenario& sc = loaded.document->scenario;
    const bool transposed = sc.shape.op == Op::Transposed;
    const Timeline timeline(sc.shape);
    const std::vector<Phase> phases = transposed ? std::vector<Phase>{Phase::Multiply, Phase::Col2im, Phase::GradInput}
                                                 : std::vector<Phase>{Phase::Extract, Phase::Multiply, Phase::Col2im};
    for (const Phase phase : phases) {
      const Index step = timeline.PhaseBegin(phase) + timeline.PhaseLength(phase) / 2;
      for (const auto& [w, h] : {std::pair{1920, 1080}, std::pair{1280, 720}}) {
        AppState state = StateAtStep(sc, step);
        Render(state, w, h);
        SCOPED_TRACE(preset.name + " step " + std::to_string(step) + " at " + std::to_string(w) + "x" + std::to_string(h));
        const Rect* stage = Item("panel:stage");
        ASSERT_NE(stage, nullptr);
        std::vector<std::pair<std::string, Rect>> cells, blocks;
        for (const auto& [id, r] : items_) {
          if (IsStageCell(id)) cells.emplace_back(id, r);
          if (IsStageBlock(id)) blocks.emplace_back(id, r);
        }
        // Every block of both bands, or (when they cannot all show the step's blocks large
        // enough) just the phase's blocks, side by side.
        EXPECT_GE(blocks.size(), Item("stage:focused") != nullptr ? 2u : transposed ? 12u : 13u);
        for (size_t a = 0; a < blocks.size(); ++a)
          for (size_t b = a + 1; b < blocks.size(); ++b)
            EXPECT_LT(Overlap(blocks[a].second, blocks[b].second), 1.0f) << blocks[a].first << " / " << blocks[b].first;
        for (size_t a = 0; a < cells.size(); ++a) {
          // Numbers at >= 18 px need cells at least this big.
          EXPECT_GE(cells[a].second.w, 24.0f) << cells[a].first;
          EXPECT_GE(cells[a].second.h, 24.0f) << cells[a].first;
          for (size_t b = a + 1; b < cells.size(); ++b)
            EXPECT_LT(Overlap(cells[a].second, cells[b].second), 1.0f) << cells[a].first << " / " << cells[b].first;
        }
      }
    }
  }
}

TEST_F(StageRender, FocusOutlineIsOnTheCellTheStepCopies) {
  const Scenario sc;  // the chapter's 4x4x3 example
  // Extract step 20 copies x[2,0,1] into X_col[8,1] (column by column, rows in order).
  AppState state = StateAtStep(sc, 20);
  Render(state);
  const Rect* focus = Item("x_col[8,1]");
  const Rect* other = Item("x_col[7,1]");
  ASSERT_TRUE(focus && other);
  EXPECT_GT(RingCount(*focus, -1.5f, kFocus), static_cast<int>(focus->w));  // the 3 px outline
  EXPECT_EQ(RingCount(*other, 4.0f, kFocus), 0);
  // The receptive field of column 1 is outlined in the input, the pixel beside it is not.
  const Rect* in_window = Item("input[0,2,0,1]");
  const Rect* outside = Item("input[0,2,0,3]");
  ASSERT_TRUE(in_window && outside);
  EXPECT_GT(RingCount(*in_window, -1.5f, kFocus), static_cast<int>(in_window->w));
  EXPECT_EQ(RingCount(*outside, 4.0f, kFocus), 0);
}

TEST_F(StageRender, OverwriteMarksExactlyTheWrongPixels) {
  const Scenario sc;
  const Timeline timeline(sc.shape);
  AppState state = StateAtStep(sc, timeline.StepCount() - 1, /*overwrite=*/true);
  Render(state);
  const Computation& c = *state.computation;
  int checked_wrong = 0, checked_right = 0;
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 4; ++x) {
      const Rect* cell = Item("grad_input[0,0," + std::to_string(y) + "," + std::to_string(x) + "]");
      ASSERT_NE(cell, nullptr);
      const bool wrong = c.grad_input_overwrite(0, 0, y, x) != c.grad_input(0, 0, y, x);
      const int black = RingCount(*cell, 2.5f, kBlack, 30);
      if (wrong) {
        // At least a side and a half of the black ring (the focus outline of a
        // neighbouring window cell may cover part of it).
        EXPECT_GT(black, static_cast<int>(cell->w * 0.4f)) << y << "," << x;
        ++checked_wrong;
      } else {
        EXPECT_LT(black, 4) << y << "," << x;
        ++checked_right;
      }
    }
  }
  EXPECT_EQ(checked_wrong, 12);  // every pixel copied more than once: all but the 4 corners
  EXPECT_EQ(checked_right, 4);
}

TEST_F(StageRender, OverlapHeatIsBrightestWhereTheCountIsHighest) {
  const Scenario sc;
  const Timeline timeline(sc.shape);
  AppState state = StateAtStep(sc, timeline.StepCount() - 1);
  Render(state);
  const Rect* four = Item("overlap[0,0,1,1]");  // copied 4 times
  const Rect* one = Item("overlap[0,0,0,0]");   // copied once
  ASSERT_TRUE(four && one);
  // Sample a pixel near the corner (away from the count text).
  const float lum_four = Luminance(Pixel(static_cast<int>(four->x + 4), static_cast<int>(four->y + 4)));
  const float lum_one = Luminance(Pixel(static_cast<int>(one->x + 4), static_cast<int>(one->y + 4)));
  EXPECT_GT(lum_four, lum_one + 80.0f);
}

TEST_F(StageRender, HoveringAPixelOutlinesEveryCopyInXCol) {
  const Scenario sc;
  AppState state = StateAtStep(sc, 107);  // extract complete
  state.hover = HoverTarget::Tensor(HoverTarget::Kind::InputPixel, 0, 0, 1, 1);  // x = 6, copied 4 times
  Render(state);
  const ImU32 dash = ActivePalette().text;
  for (const char* id : {"x_col[3,0]", "x_col[2,1]", "x_col[1,3]", "x_col[0,4]"}) {
    const Rect* cell = Item(id);
    ASSERT_NE(cell, nullptr) << id;
    EXPECT_GT(RingCount(*cell, 3.0f, dash, 50), 8) << id;
  }
  const Rect* unlinked = Item("x_col[3,1]");
  ASSERT_NE(unlinked, nullptr);
  EXPECT_LT(RingCount(*unlinked, 3.0f, dash, 50), 3);
}

// The pointer on a pixel of x: the badge names it with its value, beside the cell (not
// over it, nor over the X_col cells it links), inside the visible stage, at every size.
TEST_F(StageRender, HoverBadgeSitsBesideTheCellAndItsLinks) {
  const Scenario sc;
  // In the last window's channel: in view at the last extract step at every size.
  const HoverTarget pixel = HoverTarget::Tensor(HoverTarget::Kind::InputPixel, 0, 2, 2, 2);
  const HoverLinks links = LinksOf(Compute(sc), pixel);
  ASSERT_EQ(links.copy_count, 4);
  for (const bool presentation : {false, true}) {
    for (const auto& [w, h] : {std::pair{1920, 1080}, std::pair{1280, 720}}) {
      const std::string where = std::to_string(w) + "x" + std::to_string(h) + (presentation ? " F5" : "");
      AppState state = StateAtStep(sc, 107);  // extract complete: x and X_col side by side
      state.classroom.presentation = presentation;
      Render(state, w, h);
      const Rect* cell = Item("input[0,2,2,2]");
      ASSERT_NE(cell, nullptr) << where;
      const Rect at = *cell;
      state.hover = pixel;  // what last frame's pointer reported
      Render(state, w, h, OffscreenPointer{at.x + at.w * 0.5f, at.y + at.h * 0.5f, false});
      const Rect* badge = Item("stage:hover_badge");
      const Rect* view = Item("panel:stage_view");
      ASSERT_TRUE(badge && view) << where << ": no hover badge";
      EXPECT_EQ(Overlap(*badge, at), 0.0f) << where << ": the badge covers the hovered cell";
      for (const Cell& copy : links.x_col_cells) {
        const std::string id = "x_col[" + std::to_string(copy.r) + "," + std::to_string(copy.j) + "]";
        if (const Rect* linked = Item(id)) {
          EXPECT_EQ(Overlap(*badge, *linked), 0.0f) << where << ": covers " << id;
        }
      }
      EXPECT_GE(badge->x, view->x - 0.5f) << where;
      EXPECT_GE(badge->y, view->y - 0.5f) << where;
      EXPECT_LE(badge->x + badge->w, view->x + view->w + 0.5f) << where;
      EXPECT_LE(badge->y + badge->h, view->y + view->h + 0.5f) << where;
      std::filesystem::create_directories(IM2COL_GUI_TEST_OUT);
      io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/hover_badge_" + std::to_string(w) + "x" +
                                  std::to_string(h) + (presentation ? "_f5" : "") + ".png",
                              EncodePng(image_));
    }
  }
}

}  // namespace
}  // namespace im2col::gui
