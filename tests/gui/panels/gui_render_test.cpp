// Offscreen renders of the whole window, read back and checked pixel by pixel at
// the places the layout recording says things were drawn: the focus colour on the
// cells the timeline highlights, grey hatching on padding, text in the panels, the
// stage unchanged by an invalid edit, byte-identical PNGs for the same step.
// Needs a display (Xvfb under scripts/test.sh); skips without one.
#include <gtest/gtest.h>

#include "support/hidden_window_test.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "gui/state/app_state.h"
#include "gui/panels/frame.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/widgets/theme.h"
#include "im2col/timeline.h"
#include "io/atomic_file.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
namespace fs = std::filesystem;

struct Rgb {
  int r, g, b;
};

struct Frame {
  RgbImage image;
  std::vector<LayoutItem> layout;

  const LayoutItem* Find(const std::string& id) const {
    for (const LayoutItem& item : layout) {
      if (item.id == id) return &item;
    }
    return nullptr;
  }
  Rgb At(int x, int y) const {
    x = std::clamp(x, 0, image.width - 1);
    y = std::clamp(y, 0, image.height - 1);
    const size_t at = (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 3;
    return {image.rgb[at], image.rgb[at + 1], image.rgb[at + 2]};
  }
};

Rgb ToRgb(ImU32 colour) {
  return {static_cast<int>((colour >> IM_COL32_R_SHIFT) & 0xFF), static_cast<int>((colour >> IM_COL32_G_SHIFT) & 0xFF),
          static_cast<int>((colour >> IM_COL32_B_SHIFT) & 0xFF)};
}
bool Near(Rgb a, Rgb b, int tolerance) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}
int Luma(Rgb c) { return (c.r * 299 + c.g * 587 + c.b * 114) / 1000; }

// Fraction of the pixels in a 3 px ring just outside `item` that are near `colour`
// (where the stage draws its focus outline).
double RingFraction(const Frame& frame, const LayoutItem& item, ImU32 colour) {
  const int x0 = static_cast<int>(item.x), y0 = static_cast<int>(item.y);
  const int x1 = static_cast<int>(item.x + item.w), y1 = static_cast<int>(item.y + item.h);
  int total = 0, hits = 0;
  for (int y = y0 - 3; y < y1 + 3; ++y) {
    for (int x = x0 - 3; x < x1 + 3; ++x) {
      if (x >= x0 && x < x1 && y >= y0 && y < y1) continue;
      ++total;
      if (Near(frame.At(x, y), ToRgb(colour), 40)) ++hits;
    }
  }
  return total ? static_cast<double>(hits) / total : 0.0;
}

// Fraction of the pixels inside `item` (1 px in from its edges) near `colour`.
double InsideFraction(const Frame& frame, const LayoutItem& item, ImU32 colour, int tolerance = 24) {
  int total = 0, hits = 0;
  for (int y = static_cast<int>(item.y) + 1; y < static_cast<int>(item.y + item.h) - 1; ++y) {
    for (int x = static_cast<int>(item.x) + 1; x < static_cast<int>(item.x + item.w) - 1; ++x) {
      ++total;
      if (Near(frame.At(x, y), ToRgb(colour), tolerance)) ++hits;
    }
  }
  return total ? static_cast<double>(hits) / total : 0.0;
}

// Pixels that differ between two frames inside a rectangle.
int DifferingPixels(const Frame& a, const Frame& b, const LayoutItem& item) {
  int count = 0;
  for (int y = static_cast<int>(item.y); y < static_cast<int>(item.y + item.h); ++y) {
    for (int x = static_cast<int>(item.x); x < static_cast<int>(item.x + item.w); ++x) {
      if (!Near(a.At(x, y), b.At(x, y), 0)) ++count;
    }
  }
  return count;
}

std::string XColId(Index r, Index j) { return "x_col[" + std::to_string(r) + "," + std::to_string(j) + "]"; }

// One hidden window for the whole suite (tests/support/hidden_window_test.h).
class RenderTest : public im2col::testing::HiddenWindowTest {
 protected:
  static Frame Render(AppState& state, int width = 1920, int height = 1080) {
    Frame frame;
    std::string error;
    EXPECT_TRUE(RenderStateToImage(*platform_, state, width, height, &frame.image, &frame.layout, &error)) << error;
    return frame;
  }

  // Keeps a copy for people to look at (build-dir/tests/gui/screenshots).
  static void Save(const Frame& frame, const std::string& name) {
    fs::create_directories(IM2COL_GUI_TEST_OUT);
    io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/" + name + ".png", EncodePng(frame.image));
  }

};

TEST_F(RenderTest, EveryPanelIsDrawnInsideTheWindowWithoutOverlap) {
  for (const auto& [width, height, scale] : {std::tuple{1920, 1080, 1.0f}, std::tuple{1280, 720, 1.0f},
                                             std::tuple{1920, 1080, 1.5f}, std::tuple{1280, 720, 0.8f}}) {
    AppState state = StateAtStep(Scenario{}, 14);
    state.font_scale = scale;
    const Frame frame = Render(state, width, height);
    Save(frame, "panels_" + std::to_string(width) + "x" + std::to_string(height) + "_" +
                    std::to_string(static_cast<int>(scale * 100)));
    const char* names[] = {"panel:toolbar", "panel:shape", "panel:stage", "panel:step", "panel:playback"};
    std::vector<const LayoutItem*> panels;
    for (const char* name : names) {
      const LayoutItem* item = frame.Find(name);
      ASSERT_NE(item, nullptr) << name << " at " << width << "x" << height;
      EXPECT_GE(item->x, 0.0f) << name;
      EXPECT_GE(item->y, 0.0f) << name;
      EXPECT_LE(item->x + item->w, width + 0.5f) << name;
      EXPECT_LE(item->y + item->h, height + 0.5f) << name;
      EXPECT_GT(item->w, 100.0f) << name;
      EXPECT_GT(item->h, 30.0f) << name;
      panels.push_back(item);
    }
    for (size_t i = 0; i < panels.size(); ++i) {
      for (size_t k = i + 1; k < panels.size(); ++k) {
        const LayoutItem& a = *panels[i];
        const LayoutItem& b = *panels[k];
        const bool apart = a.x + a.w <= b.x + 0.5f || b.x + b.w <= a.x + 0.5f || a.y + a.h <= b.y + 0.5f ||
                           b.y + b.h <= a.y + 0.5f;
        EXPECT_TRUE(apart) << a.id << " overlaps " << b.id << " at " << width << "x" << height << " scale " << scale;
      }
    }
    // The stage gets the largest share of the width.
    EXPECT_GT(frame.Find("panel:stage")->w, frame.Find("panel:shape")->w);
    EXPECT_GT(frame.Find("panel:stage")->w, frame.Find("panel:step")->w);
  }
}

TEST_F(RenderTest, FocusColourSitsOnTheCellsTheTimelineHighlights) {
  const Scenario scenario;
  for (Index step : {Index{0}, Index{14}, Index{40}, Index{100}}) {
    AppState state = StateAtStep(scenario, step);
    // What the timeline says, asked of core directly (not of the state being drawn).
    const Computation computation = Compute(scenario);
    const FrameState expected = StateAt(computation, Timeline(scenario.shape), step);
    ASSERT_EQ(expected.step.phase, Phase::Extract);
    ASSERT_TRUE(expected.focus_cell);
    const Frame frame = Render(state);
    const Cell focus = *expected.focus_cell;
    const LayoutItem* cell = frame.Find(XColId(focus.r, focus.j));
    ASSERT_NE(cell, nullptr) << XColId(focus.r, focus.j);
    const ImU32 orange = ActivePalette().focus;
    EXPECT_GT(RingFraction(frame, *cell, orange), 0.5) << "step " << step << " " << cell->id;
    // A cell far from the focus carries no focus outline.
    const Index far_r = focus.r < 6 ? 11 : 0, far_j = focus.j < 4 ? 8 : 0;
    const LayoutItem* other = frame.Find(XColId(far_r, far_j));
    ASSERT_NE(other, nullptr);
    EXPECT_LT(RingFraction(frame, *other, orange), 0.05) << "step " << step << " " << other->id;
    // The source pixel in the input grid is outlined too.
    ASSERT_TRUE(expected.focus_pixel);
    const Pixel& p = *expected.focus_pixel;
    const std::string input_id = "input[" + std::to_string(p.n) + "," + std::to_string(p.c) + "," +
                                 std::to_string(p.y) + "," + std::to_string(p.x) + "]";
    const LayoutItem* source = frame.Find(input_id);
    ASSERT_NE(source, nullptr) << input_id;
    EXPECT_GT(RingFraction(frame, *source, orange), 0.3) << "step " << step << " " << input_id;
  }
}

TEST_F(RenderTest, MultiplyFocusIsOnTheOutputCellBeingComputed) {
  const Scenario scenario;
  const Timeline timeline(scenario.shape);
  const Index step = timeline.PhaseBegin(Phase::Multiply) + 4;
  AppState state = StateAtStep(scenario, step);
  const FrameState expected = StateAt(Compute(scenario), timeline, step);
  ASSERT_TRUE(expected.focus_cell);
  const Frame frame = Render(state);
  Save(frame, "multiply_step_" + std::to_string(step));
  const std::string id =
      "y_mat[" + std::to_string(expected.focus_cell->r) + "," + std::to_string(expected.focus_cell->j) + "]";
  const LayoutItem* cell = frame.Find(id);
  ASSERT_NE(cell, nullptr) << id;
  EXPECT_GT(RingFraction(frame, *cell, ActivePalette().focus), 0.5) << id;
}

TEST_F(RenderTest, ConsecutiveStepsDifferWhereTheTimelineSays) {
  const Scenario scenario;
  AppState before_state = StateAtStep(scenario, 20);
  AppState after_state = StateAtStep(scenario, 21);
  const Frame before = Render(before_state);
  const Frame after = Render(after_state);
  // Step 21 fills exactly one more X_col cell: its own.
  ASSERT_TRUE(after_state.frame.focus_cell);
  const Cell filled = *after_state.frame.focus_cell;
  EXPECT_FALSE(before_state.frame.XColFilled(filled.r, filled.j));
  EXPECT_TRUE(after_state.frame.XColFilled(filled.r, filled.j));
  const LayoutItem* cell = after.Find(XColId(filled.r, filled.j));
  ASSERT_NE(cell, nullptr);
  EXPECT_GT(DifferingPixels(before, after, *cell), static_cast<int>(cell->w * cell->h * 0.2)) << cell->id;
  // A cell filled at neither step and far from both focuses is pixel-identical.
  const LayoutItem* untouched = after.Find(XColId(11, 8));
  ASSERT_NE(untouched, nullptr);
  EXPECT_EQ(DifferingPixels(before, after, *untouched), 0);
  // The explanation panel changes with the step; the SHAPE panel does not.
  EXPECT_GT(DifferingPixels(before, after, *after.Find("panel:step")), 50);
  EXPECT_EQ(DifferingPixels(before, after, *after.Find("panel:shape")), 0);
}

TEST_F(RenderTest, PaddingCellsAreGreyWithHatching) {
  Scenario scenario;
  scenario.shape.padding = {1, 1};
  AppState state = StateAtStep(scenario, 30);
  const Frame frame = Render(state);
  Save(frame, "padding1_step_30");
  const Palette& p = ActivePalette();
  const LayoutItem* corner = frame.Find("input[0,0,-1,-1]");
  ASSERT_NE(corner, nullptr);
  EXPECT_GT(InsideFraction(frame, *corner, p.padding), 0.3) << "padding grey";
  EXPECT_GT(InsideFraction(frame, *corner, p.padding_hatch, 40), 0.03) << "hatch lines";
  // An image pixel is an input tint, never hatched.
  const LayoutItem* pixel = frame.Find("input[0,0,1,1]");
  ASSERT_NE(pixel, nullptr);
  EXPECT_LT(InsideFraction(frame, *pixel, p.padding_hatch, 20), 0.01);
  EXPECT_LT(InsideFraction(frame, *pixel, p.padding, 8), 0.05);
}

TEST_F(RenderTest, PanelsContainText) {
  AppState state = StateAtStep(Scenario{}, 14);
  const Frame frame = Render(state);
  for (const char* name : {"panel:toolbar", "panel:shape", "panel:step", "panel:playback"}) {
    const LayoutItem* panel = frame.Find(name);
    ASSERT_NE(panel, nullptr) << name;
    int dark = 0;
    for (int y = static_cast<int>(panel->y); y < static_cast<int>(panel->y + panel->h); ++y) {
      for (int x = static_cast<int>(panel->x); x < static_cast<int>(panel->x + panel->w); ++x) {
        if (Luma(frame.At(x, y)) < 80) ++dark;
      }
    }
    // Glyph strokes: thousands of dark pixels in a panel full of labels.
    EXPECT_GT(dark, 1500) << name;
  }
}

TEST_F(RenderTest, InvalidEditShowsAMessageAndTheStageKeepsTheLastValidScenario) {
  AppState valid = StateAtStep(Scenario{}, 14);
  AppState invalid = StateAtStep(Scenario{}, 14);
  PushIntent(invalid, intent::SetShapeField{ShapeField::KernelH, 9});
  ApplyIntents(invalid);
  ASSERT_FALSE(invalid.errors.empty());
  const Frame good = Render(valid);
  const Frame bad = Render(invalid);
  Save(bad, "invalid_kernel_9");
  EXPECT_EQ(DifferingPixels(good, bad, *good.Find("panel:stage")), 0);
  EXPECT_EQ(DifferingPixels(good, bad, *good.Find("panel:step")), 0);
  EXPECT_GT(DifferingPixels(good, bad, *good.Find("panel:shape")), 2000);
}

TEST_F(RenderTest, WhileAnImageLoadsTheShapePanelSaysSoAndTheStageKeepsTheScenario) {
  std::atomic<bool> decoded{false};  // outlives the state, whose worker waits on it
  AppState shown = StateAtStep(Scenario{}, 14);
  AppState loading = StateAtStep(Scenario{}, 14);
  // A decode that lasts until the frame is drawn: the state is "loading" for certain.
  loading.image_task = std::make_shared<LatestTask<DecodedImage>>();
  loading.classroom.image_loading = "/photos/class photo.png";
  loading.image_task->Start([&decoded](const std::atomic<bool>& cancelled) {
    while (!decoded && !cancelled) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return DecodedImage{"/photos/class photo.png", Shape{}, {}, "not needed"};
  });
  const Frame frame = Render(loading);
  decoded = true;
  Save(frame, "loading_image");
  const LayoutItem* line = frame.Find("text:loading-image");
  ASSERT_NE(line, nullptr) << "the SHAPE panel must say an image is loading";
  const LayoutItem* panel = frame.Find("panel:shape");
  ASSERT_NE(panel, nullptr);
  EXPECT_GE(line->y, panel->y);
  EXPECT_EQ(DifferingPixels(Render(shown), frame, *frame.Find("panel:stage")), 0) << "the views keep the scenario";
}

TEST_F(RenderTest, HoverInspectorDescribesThePointedCell) {
  const Scenario scenario;
  AppState plain = StateAtStep(scenario, 145);
  AppState hovered = StateAtStep(scenario, 145);
  PushIntent(hovered, intent::SetHover{HoverTarget::Tensor(HoverTarget::Kind::InputPixel, 0, 0, 1, 1)});
  ApplyIntents(hovered);
  const Frame a = Render(plain);
  const Frame b = Render(hovered);
  Save(b, "hover_input_pixel_step_145");
  // The THIS STEP panel now shows the pixel, its value and its copies.
  EXPECT_GT(DifferingPixels(a, b, *a.Find("panel:step")), 500);
  // Its copies in X_col are marked on the stage.
  EXPECT_GT(DifferingPixels(a, b, *a.Find("panel:stage")), 200);
}

TEST_F(RenderTest, ThemesChangeTheBackgroundNotTheMeanings) {
  for (ThemeId theme : {ThemeId::Dark, ThemeId::HighContrast}) {
    AppState state = StateAtStep(Scenario{}, 14);
    state.theme = theme;
    const Frame frame = Render(state);
    Save(frame, std::string("theme_") + ToString(theme));
    const LayoutItem* stage = frame.Find("panel:stage");
    ASSERT_NE(stage, nullptr);
    // Just inside the stage's border: the theme's canvas colour.
    EXPECT_TRUE(Near(frame.At(static_cast<int>(stage->x) + 4, static_cast<int>(stage->y + stage->h) - 20),
                     ToRgb(PaletteFor(theme).background), 2))
        << ToString(theme);
    const Cell focus = *state.frame.focus_cell;
    const LayoutItem* cell = frame.Find(XColId(focus.r, focus.j));
    ASSERT_NE(cell, nullptr);
    EXPECT_GT(RingFraction(frame, *cell, PaletteFor(theme).focus), 0.5) << ToString(theme);
  }
  // Back to the default for the other tests.
  AppState state = StateAtStep(Scenario{}, 0);
  Render(state);
}

// [SECTION] Real input: the pointer clicks the real widgets, keys press the shortcuts.

class InputTest : public RenderTest {
 protected:
  // One frame as the window loop runs it: draw (recording where controls are), then
  // apply the intents the frame queued.
  void Step(AppState& state, OffscreenPointer pointer = {}) {
    std::string error;
    ASSERT_TRUE(platform_->EnsureStyle(state.theme, state.font_scale, &error)) << error;
    BeginLayoutRecording();
    platform_->BeginFrame(/*offscreen=*/true, 1920, 1080, pointer);
    DrawAppFrame(state, &platform_->gpu());
    platform_->RenderFrame(ActivePalette().background, 1920, 1080);
    layout_ = EndLayoutRecording();
    ApplyIntents(state);
  }
  ImVec2 CentreOf(const std::string& id) const {
    for (const LayoutItem& item : layout_) {
      if (item.id == id) return ImVec2(item.x + item.w * 0.5f, item.y + item.h * 0.5f);
    }
    ADD_FAILURE() << "no control " << id;
    return ImVec2(-1e30f, -1e30f);
  }
  // Press and release the left button on a control, as a person would.
  void Click(AppState& state, const std::string& id) {
    Step(state);  // ImGui settles its layout (scrollbars appear) over two frames
    Step(state);
    const ImVec2 at = CentreOf(id);
    Step(state, {at.x, at.y, false});
    Step(state, {at.x, at.y, true});
    Step(state, {at.x, at.y, false});
    Step(state);  // pointer gone
  }
  void Press(AppState& state, int key) {
    ImGui::GetIO().KeysDown[key] = true;
    Step(state);
    ImGui::GetIO().KeysDown[key] = false;
    Step(state);
  }
  std::vector<LayoutItem> layout_;
};

TEST_F(InputTest, ClickingPlusOnTheKernelRowMakesItThree) {
  AppState state = MakeAppState(Scenario{});
  Click(state, "control:kernel +");
  EXPECT_EQ(state.scenario.shape.kernel.h, 3);
  EXPECT_EQ(state.scenario.shape.kernel.w, 3);
  EXPECT_EQ(state.computation->x_col.rows(), 27);
  EXPECT_TRUE(state.errors.empty());
  // Twice more: K 5 does not fit a 4x4 input: refused, message, K 4 still shown.
  Click(state, "control:kernel +");
  Click(state, "control:kernel +");
  EXPECT_EQ(state.edited.shape.kernel.h, 5);
  EXPECT_EQ(state.scenario.shape.kernel.h, 4);
  EXPECT_FALSE(state.errors.empty());
}

TEST_F(InputTest, TransportAndPhaseButtonsMoveTheStep) {
  AppState state = MakeAppState(Scenario{});
  Click(state, "control:forward");
  EXPECT_EQ(state.playback.step, 1);
  Click(state, "control:forward");
  Click(state, "control:back");
  EXPECT_EQ(state.playback.step, 1);
  Click(state, "control:phase:col2im");
  EXPECT_EQ(state.playback.step, state.timeline->PhaseBegin(Phase::Col2im));
  Click(state, "control:prev-phase");
  EXPECT_EQ(state.playback.step, state.timeline->PhaseBegin(Phase::GradXCol));
  Click(state, "control:play");
  EXPECT_TRUE(state.playback.playing);
  Click(state, "control:play");
  EXPECT_FALSE(state.playback.playing);
}

TEST_F(InputTest, KeyboardShortcutsDriveThePlayback) {
  AppState state = MakeAppState(Scenario{});
  Step(state);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_RightArrow));
  EXPECT_EQ(state.playback.step, 1);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_LeftArrow));
  EXPECT_EQ(state.playback.step, 0);
  Press(state, '3');
  EXPECT_EQ(CurrentPhase(state), Phase::Multiply);
  EXPECT_EQ(state.playback.step, state.timeline->PhaseBegin(Phase::Multiply));
  Press(state, ImGui::GetKeyIndex(ImGuiKey_End));
  EXPECT_EQ(state.playback.step, 149);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Home));
  EXPECT_EQ(state.playback.step, 0);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Space));
  EXPECT_TRUE(state.playback.playing);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Space));
  EXPECT_FALSE(state.playback.playing);
}

// RenderToFiles opens its own window, so these run without the suite's platform.
TEST(RenderToFilesTest, SameStepGivesByteIdenticalFiles) {
  const fs::path dir = fs::temp_directory_path() / ("im2col_gui_render_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  RenderRequest request;
  request.step = 37;
  request.width = 1280;
  request.height = 720;
  std::string bytes[2], layouts[2];
  for (int i = 0; i < 2; ++i) {
    request.out_png = (dir / ("frame" + std::to_string(i) + ".png")).string();
    request.layout_json = (dir / ("frame" + std::to_string(i) + ".json")).string();
    const RenderResult result = RenderToFiles(request);
    if (result.status == RenderStatus::Failed && result.error.rfind("no display", 0) == 0) {
      fs::remove_all(dir);
      GTEST_SKIP() << "no display: " << result.error;
    }
    ASSERT_EQ(result.status, RenderStatus::Ok) << result.error;
    std::string error;
    bytes[i] = io::ReadWholeFile(request.out_png, error).value_or("");
    layouts[i] = io::ReadWholeFile(request.layout_json, error).value_or("");
  }
  EXPECT_GT(bytes[0].size(), 10000u);
  EXPECT_EQ(bytes[0].substr(1, 3), "PNG");
  EXPECT_TRUE(bytes[0] == bytes[1]) << "two renders of step 37 differ";
  EXPECT_EQ(layouts[0], layouts[1]);
  EXPECT_NE(layouts[0].find("\"width\": 1280, \"height\": 720"), std::string::npos);
  EXPECT_NE(layouts[0].find("\"id\": \"panel:stage\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(RenderToFilesTest, BadRequestsNameTheOptionAndWriteNothing) {
  const fs::path dir = fs::temp_directory_path() / ("im2col_gui_badrender_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  RenderRequest request;
  request.out_png = (dir / "never.png").string();
  struct Case {
    const char* expect;
    void (*change)(RenderRequest&);
  };
  const Case cases[] = {
      {"--step", [](RenderRequest& r) { r.step = 150; }},
      {"--step", [](RenderRequest& r) { r.step = -1; }},
      {"--size", [](RenderRequest& r) { r.width = 10; }},
      {"--size", [](RenderRequest& r) { r.height = 100000; }},
      {"--font-scale", [](RenderRequest& r) { r.font_scale = std::nanf(""); }},
      {"--font-scale", [](RenderRequest& r) { r.font_scale = 9.0f; }},
      {"--out", [](RenderRequest& r) { r.out_png.clear(); }},
      {"kernel", [](RenderRequest& r) { r.scenario.shape.kernel = {7, 7}; }},
  };
  for (const Case& c : cases) {
    RenderRequest bad = request;
    c.change(bad);
    const RenderResult result = RenderToFiles(bad);
    EXPECT_EQ(result.status, RenderStatus::BadInput) << c.expect;
    EXPECT_NE(result.error.find(c.expect), std::string::npos) << result.error;
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

}  // namespace
