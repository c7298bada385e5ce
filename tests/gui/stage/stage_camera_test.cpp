// The camera that follows the lesson (app/gui/stage/stage_camera.h): at every window size
// a teacher meets, in presentation mode and out of it, the cell the step writes (and the
// blocks it reads) are inside the visible stage, and presentation digits are large.
// Expected cells come from core's StateAt, not from the stage.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gui/platform/offscreen.h"
#include "gui/stage/stage_camera.h"
#include "im2col/indexing.h"
#include "im2col/timeline.h"
#include "io/atomic_file.h"
#include "support/hidden_window_test.h"

namespace im2col::gui {
namespace {

using testing::HiddenWindowTest;

struct Rect {
  float x0, y0, x1, y1;
};

std::optional<Rect> Find(const std::vector<LayoutItem>& items, const std::string& id) {
  for (const LayoutItem& i : items) {
    if (i.id == id) return Rect{i.x, i.y, i.x + i.w, i.y + i.h};
  }
  return std::nullopt;
}

bool Inside(const Rect& r, const Rect& view) {
  constexpr float kSlack = 1.5f;  // outlines are drawn half a pixel out
  return r.x0 >= view.x0 - kSlack && r.y0 >= view.y0 - kSlack && r.x1 <= view.x1 + kSlack && r.y1 <= view.y1 + kSlack;
}

// The layout id of canonical cell (r, j) of matrix `prefix` as displayed.
std::string CellId(const std::string& prefix, Index r, Index j, bool transposed) {
  if (transposed) std::swap(r, j);
  return prefix + "[" + std::to_string(r) + "," + std::to_string(j) + "]";
}

// The cell the step writes, as core says: X_col in extract, Y in multiply, dW_row in
// dW; none otherwise (dX_col and col2im move a whole column: see FocusColumnCells).
std::optional<std::string> WrittenCell(const AppState& state) {
  const FrameState& f = state.frame;
  const Layout layout = state.scenario.layout;
  switch (f.step.phase) {
    case Phase::Extract:
      return CellId("x_col", f.focus_cell->r, f.focus_cell->j, IsTransposedInLayout(MatrixId::XCol, layout));
    case Phase::Multiply:
      return CellId("y_mat", f.focus_cell->r, f.focus_cell->j, IsTransposedInLayout(MatrixId::YMat, layout));
    case Phase::GradWeights:
      return CellId("grad_w_row", f.focus_cell->r, f.focus_cell->j, IsTransposedInLayout(MatrixId::GradWRow, layout));
    default:
      return std::nullopt;
  }
}

// The input pixel (or padding position) an extract step copies, as core says.
std::string SourceCell(const AppState& state) {
  const Cell& cell = *state.frame.focus_cell;
  const SourceCoord s = SourceOf(state.computation->shape, state.scenario.order, cell.r, cell.j);
  return "input[" + std::to_string(s.n) + "," + std::to_string(s.c) + "," + std::to_string(s.y) + "," +
         std::to_string(s.x) + "]";
}

// The block the step writes into, for the phases that write a whole row or map.
std::string ResultPanel(Phase phase) {
  switch (phase) {
    case Phase::Flatten: return "panel:w_row";
    case Phase::Reshape: return "panel:output";
    case Phase::GradOutput: return "panel:dy_mat";
    default: return "";
  }
}

struct Case {
  std::string name;
  Scenario scenario;
  bool overwrite = false;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  cases.push_back({"chapter", Scenario{}});
  Scenario rows;
  rows.layout = Layout::Rows;
  rows.order = Order::ColumnMajor;
  cases.push_back({"rows-column-major", rows});
  cases.push_back({"overwrite", Scenario{}, true});
  Scenario batch2;
  batch2.shape.batch = 2;
  batch2.shape.filters = 2;
  batch2.shape.padding = {1, 1};
  cases.push_back({"batch2-padding", batch2});
  return cases;
}

class StageCameraTest : public HiddenWindowTest {
 protected:
  // Draws `state` at w x h (the picture in image_) and returns where everything went.
  std::vector<LayoutItem> Render(AppState& state, int w, int h) {
    std::vector<LayoutItem> layout;
    std::string error;
    if (!RenderStateToImage(platform(), state, w, h, &image_, &layout, &error)) ADD_FAILURE() << error;
    return layout;
  }
  RgbImage image_;
};

TEST_F(StageCameraTest, TheWrittenCellIsInsideTheVisibleStageAtEveryScreenSizeInEveryPhase) {
  const std::pair<int, int> sizes[] = {{1280, 720}, {1600, 900}, {1920, 1080}};
  int checked = 0;
  for (const Case& c : Cases()) {
    AppState probe = MakeAppState(c.scenario);
    const Index steps = probe.timeline->StepCount();
    for (const bool presentation : {false, true}) {
      for (const auto& [w, h] : sizes) {
        // A step in the middle of every phase, and the last step.
        std::vector<Index> picks;
        for (const Phase phase : kAllPhases) {
          const Index begin = probe.timeline->PhaseBegin(phase), length = probe.timeline->PhaseLength(phase);
          if (length > 0) picks.push_back(begin + length * 2 / 3);
        }
        // The last extract steps copy from the far corner of x into X_col's last column.
        picks.push_back(probe.timeline->PhaseBegin(Phase::Extract) + probe.timeline->PhaseLength(Phase::Extract) - 2);
        picks.push_back(steps - 1);
        for (const Index step : picks) {
          AppState state = StateAtStep(c.scenario, step);
          state.overwrite_mode = c.overwrite;
          state.classroom.presentation = presentation;
          state.theme = static_cast<ThemeId>((checked + w) % kThemeCount);  // themes change colours, not places
          const std::vector<LayoutItem> layout = Render(state, w, h);
          const std::string where = c.name + (presentation ? " F5" : "") + " " + std::to_string(w) + "x" +
                                    std::to_string(h) + " step " + std::to_string(step) + " (" +
                                    ToString(state.frame.step.phase) + ")";
          const auto view = Find(layout, "panel:stage_view");
          ASSERT_TRUE(view) << where;
          const Phase phase = state.frame.step.phase;
          if ((phase == Phase::GradXCol || phase == Phase::Col2im) && state.frame.focus_column) {
            // The column in focus: taller than a small view, but at least part of it in sight.
            const bool transposed = IsTransposedInLayout(MatrixId::GradXCol, state.scenario.layout);
            int in_view = 0;
            for (Index r = 0; r < state.computation->shape.PatchSize(); ++r) {
              const auto cell = Find(layout, CellId("grad_x_col", r, *state.frame.focus_column, transposed));
              if (cell && Inside(*cell, *view)) ++in_view;
            }
            EXPECT_GE(in_view, 3) << where << ": the focus column of dX_col is out of view";
            ++checked;
          } else if (const auto id = WrittenCell(state)) {
            const auto cell = Find(layout, *id);
            ASSERT_TRUE(cell) << where << ": " << *id << " was not drawn";
            EXPECT_TRUE(Inside(*cell, *view)) << where << ": " << *id << " is outside the visible stage";
            // And the pixel it copies, beside it, when X_col is no wider than the chapter's
            // (12 x 9): a wider X_col (batch 2, 50 columns) puts its late columns further
            // from x than any view is wide, and the written cell wins.
            if (phase == Phase::Extract && state.computation->shape.ColumnCount() <= 9) {
              const std::string source = SourceCell(state);
              const auto pixel = Find(layout, source);
              ASSERT_TRUE(pixel) << where << ": " << source << " was not drawn";
              EXPECT_TRUE(Inside(*pixel, *view)) << where << ": " << source << " (copied into " << *id
                                                 << ") is outside the visible stage";
            }
            ++checked;
          } else if (const std::string panel = ResultPanel(state.frame.step.phase); !panel.empty()) {
            const auto block = Find(layout, panel);
            ASSERT_TRUE(block) << where << ": " << panel;
            EXPECT_TRUE(block->x0 < view->x1 && block->x1 > view->x0 && block->y0 < view->y1 && block->y1 > view->y0)
                << where << ": " << panel << " is out of view";
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 150);
}

Scenario AlexNetConv1() {
  Scenario alexnet;
  alexnet.shape.channels = 3;
  alexnet.shape.height = alexnet.shape.width = 227;
  alexnet.shape.filters = 96;
  alexnet.shape.kernel = {11, 11};
  alexnet.shape.stride = {4, 4};
  alexnet.input.fill = alexnet.weights.fill = Fill::Random;
  return alexnet;
}

// AlexNet's big matrices are GPU pictures: the picture the step writes into is on screen.
TEST_F(StageCameraTest, AlexNetPicturesOfTheStepAreInView) {
  const Scenario alexnet = AlexNetConv1();
  AppState probe = MakeAppState(alexnet);
  const std::pair<Phase, const char*> pictures[] = {
      {Phase::Extract, "picture:x_col"}, {Phase::Multiply, "picture:y_mat"}, {Phase::GradWeights, "picture:grad_w_row"},
      {Phase::GradXCol, "picture:grad_x_col"}, {Phase::Col2im, "picture:grad_x_col"}};
  for (const bool presentation : {false, true}) {
    for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1920, 1080}}) {
      for (const auto& [phase, id] : pictures) {
        AppState state = StateAtStep(alexnet, probe.timeline->PhaseBegin(phase) + probe.timeline->PhaseLength(phase) / 2);
        state.classroom.presentation = presentation;
        const std::vector<LayoutItem> layout = Render(state, w, h);
        const auto view = Find(layout, "panel:stage_view");
        const auto picture = Find(layout, id);
        ASSERT_TRUE(view && picture) << id << " at " << w << "x" << h << (presentation ? " F5" : "");
        const float visible_w = std::min(picture->x1, view->x1) - std::max(picture->x0, view->x0);
        const float visible_h = std::min(picture->y1, view->y1) - std::max(picture->y0, view->y0);
        EXPECT_GT(visible_w * visible_h, 0.5f * (picture->x1 - picture->x0) * (picture->y1 - picture->y0))
            << id << " mostly out of view at " << w << "x" << h << (presentation ? " F5" : "");
        // Presentation mode shows the phase's operands and result side by side: all of each
        // block (title and picture) in view, at 720p too (W_row was off to the left).
        const std::map<Phase, std::vector<std::string>> operands = {
            {Phase::Multiply, {"panel:w_row", "panel:x_col", "panel:y_mat"}},
            {Phase::GradWeights, {"panel:dy_mat", "panel:x_col", "panel:grad_w_row"}}};
        if (presentation && operands.count(phase)) {
          for (const std::string& panel : operands.at(phase)) {
            const auto block = Find(layout, panel);
            ASSERT_TRUE(block) << panel << " not drawn in F5 at " << w << "x" << h;
            EXPECT_TRUE(Inside(*block, *view)) << panel << " not wholly in view in F5 at " << w << "x" << h;
          }
        }
        // At 1080p the pictures fit with room to spare: the phase's title line above them is
        // readable too, at most a sliver of its top cut (at 720p the input's three planes
        // are taller than the view).
        if (presentation && h == 1080) {
          const auto title = Find(layout, "stage:title");
          ASSERT_TRUE(title);
          EXPECT_GE(title->y0, view->y0 - 0.1f * (title->y1 - title->y0))
              << "the title is cut at " << w << "x" << h << " in " << ToString(phase);
        }
      }
    }
  }
}

// Zoomed into AlexNet's pictures, each one's Fit button and minimap are where the teacher
// can reach them: inside the visible stage, even when the picture runs past its edge.
TEST_F(StageCameraTest, AlexNetZoomControlsLieInsideTheVisibleStage) {
  const Scenario alexnet = AlexNetConv1();
  AppState probe = MakeAppState(alexnet);
  int checked = 0;
  for (const Phase phase : {Phase::Extract, Phase::Multiply, Phase::Col2im}) {
    const Index step = probe.timeline->PhaseBegin(phase) + probe.timeline->PhaseLength(phase) * 2 / 3;
    for (const bool presentation : {false, true}) {
      for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1600, 900}, std::pair{1920, 1080}}) {
        const std::string where =
            ToString(phase) + " " + std::to_string(w) + "x" + std::to_string(h) + (presentation ? " F5" : "");
        AppState state = StateAtStep(alexnet, step);
        state.classroom.presentation = presentation;
        std::vector<LayoutItem> layout = Render(state, w, h);
        // Zoomed in by hand (as the wheel would) on every picture in sight: cells 24 px.
        const auto view = Find(layout, "panel:stage_view");
        ASSERT_TRUE(view) << where;
        std::vector<std::string> zoomed;
        for (const LayoutItem& item : layout) {
          if (item.id.rfind("picture:", 0) != 0) continue;
          const Rect r{item.x, item.y, item.x + item.w, item.y + item.h};
          if (r.x1 <= view->x0 || r.x0 >= view->x1 || r.y1 <= view->y0 || r.y0 >= view->y1) continue;  // out of sight
          const std::string name = item.id.substr(8);
          ZoomView& zoom = state.stage.zoom[name];
          zoom.follow_fit = false;
          zoom.cell_w = zoom.cell_h = 24.0f;
          zoomed.push_back(name);
        }
        ASSERT_FALSE(zoomed.empty()) << where;
        layout = Render(state, w, h);
        std::filesystem::create_directories(IM2COL_GUI_TEST_OUT);
        io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/alexnet_zoomed_" + ToString(phase) + "_" +
                                    std::to_string(w) + "x" + std::to_string(h) + (presentation ? "_f5" : "") + ".png",
                                EncodePng(image_));
        for (const std::string& name : zoomed) {
          for (const std::string& id : {"control:fit:" + name, "minimap:" + name}) {
            const auto control = Find(layout, id);
            if (!control) continue;  // a picture the camera moved out of sight
            ++checked;
            EXPECT_TRUE(Inside(*control, *view)) << where << ": " << id << " [" << control->x0 << "," << control->y0
                                                 << " - " << control->x1 << "," << control->y1
                                                 << "] outside the visible stage [" << view->x0 << "," << view->y0
                                                 << " - " << view->x1 << "," << view->y1 << "]";
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 18);
}

TEST_F(StageCameraTest, PresentationDigitsAreAtLeast24PixelsAt1280x720) {
  for (const Phase phase : kAllPhases) {
    AppState probe = MakeAppState(Scenario{});
    AppState state = StateAtStep(Scenario{}, probe.timeline->PhaseBegin(phase));
    state.classroom.presentation = true;
    const std::vector<LayoutItem> layout = Render(state, 1280, 720);
    const auto digits = Find(layout, "metric:number_px");
    ASSERT_TRUE(digits);
    EXPECT_GE(digits->y1 - digits->y0, 24.0f) << ToString(phase);
    // Only the phase's blocks are drawn: the forward band's W never shows in col2im.
    if (phase == Phase::Col2im) {
      EXPECT_FALSE(Find(layout, "panel:weights")) << "col2im shows the forward band";
    }
  }
}

// F5 on a 720p projector, the chapter example: every block of the phase (the input's three
// channels and all twelve rows of X_col, W_row beside the multiply) wholly on screen, with
// digits still at the back row's 24 px. The blocks used to run off the top and bottom.
TEST_F(StageCameraTest, PresentationShowsEveryBlockOfThePhaseWholeAt1280x720) {
  const std::vector<std::string> frame_panels = {"panel:stage", "panel:stage_view", "panel:step"};
  AppState probe = MakeAppState(Scenario{});
  for (const Phase phase : kAllPhases) {
    const Index length = probe.timeline->PhaseLength(phase);
    if (length == 0) continue;
    AppState state = StateAtStep(Scenario{}, probe.timeline->PhaseBegin(phase) + length / 2);
    state.classroom.presentation = true;
    const std::vector<LayoutItem> layout = Render(state, 1280, 720);
    const auto view = Find(layout, "panel:stage_view");
    ASSERT_TRUE(view) << ToString(phase);
    int blocks = 0;
    for (const LayoutItem& item : layout) {
      if (item.id.rfind("panel:", 0) != 0 ||
          std::find(frame_panels.begin(), frame_panels.end(), item.id) != frame_panels.end()) {
        continue;
      }
      ++blocks;
      const Rect block{item.x, item.y, item.x + item.w, item.y + item.h};
      EXPECT_TRUE(Inside(block, *view)) << ToString(phase) << ": " << item.id << " [" << block.x0 << "," << block.y0
                                        << " - " << block.x1 << "," << block.y1 << "] not wholly inside the stage ["
                                        << view->x0 << "," << view->y0 << " - " << view->x1 << "," << view->y1 << "]";
    }
    EXPECT_GE(blocks, 2) << ToString(phase) << ": the phase's operands and result";
    const auto digits = Find(layout, "metric:number_px");
    ASSERT_TRUE(digits);
    EXPECT_GE(digits->y1 - digits->y0, 24.0f) << ToString(phase);
  }
}

TEST(CameraScrollTest, CentresWhatFitsKeepsTheFocusOtherwiseAndTheResultLast) {
  using stage::CameraScroll;
  using stage::Rect;
  const ImVec2 view(500, 400), content(2000, 1000);
  // Fits: centred.
  ImVec2 s = CameraScroll(Rect{{600, 100}, {900, 300}}, Rect{{700, 150}, {720, 170}}, Rect{{700, 150}, {720, 170}}, view,
                          content);
  EXPECT_FLOAT_EQ(s.x, 500.0f);
  EXPECT_FLOAT_EQ(s.y, 0.0f);
  // Too wide: the start shown as far as the focus allows.
  s = CameraScroll(Rect{{100, 0}, {1500, 300}}, Rect{{300, 0}, {700, 20}}, Rect{{680, 0}, {700, 20}}, view, content);
  EXPECT_FLOAT_EQ(s.x, 200.0f);  // focus right end 700 at the view's right edge
  // Focus too wide as well: the result's cell in view with as much of the focus as fits.
  s = CameraScroll(Rect{{100, 0}, {1500, 300}}, Rect{{100, 0}, {1400, 20}}, Rect{{1380, 0}, {1400, 20}}, view, content);
  EXPECT_FLOAT_EQ(s.x, 900.0f);
  // Even the result's focus too tall (a long column): its top, with a little above it.
  s = CameraScroll(Rect{{0, 0}, {400, 900}}, Rect{{0, 100}, {400, 900}}, Rect{{0, 100}, {400, 900}}, view, content);
  EXPECT_FLOAT_EQ(s.y, 20.0f);  // 100 - 0.2 * 400
  // Never past the content.
  s = CameraScroll(Rect{{1800, 0}, {1990, 300}}, Rect{{1800, 0}, {1990, 300}}, Rect{{1800, 0}, {1990, 300}}, view,
                   content);
  EXPECT_FLOAT_EQ(s.x, 1500.0f);
}

}  // namespace
}  // namespace im2col::gui
