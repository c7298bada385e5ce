// The operator family in the window: the op / groups / output-padding intents (bad
// combinations keep the last valid scenario and show core's message), the grouped
// W_row's structural zeros, the transposed convolution's overlap heat (the stride-2
// checkerboard) and its timeline played through every phase in both layouts.
// The render tests need a display (Xvfb) and skip without one.
#include <gtest/gtest.h>

#include "support/hidden_window_test.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/stage/stage_blocks.h"
#include "gui/stage/stage_layout.h"
#include "gui/stage/stage_transposed.h"
#include "gui/state/app_state.h"
#include "gui/widgets/theme.h"
#include "io/atomic_file.h"
#include "io/presets.h"

namespace im2col::gui {
namespace {

struct Rect {
  float x, y, w, h;
};

Scenario Preset(const std::string& name) {
  const io::ScenarioReadResult loaded = io::LoadPreset(name);
  EXPECT_TRUE(loaded.ok()) << loaded.error;
  return loaded.ok() ? loaded.document->scenario : Scenario{};
}

void Apply(AppState& state, Intent intent) {
  PushIntent(state, std::move(intent));
  ApplyIntents(state);
}

// [SECTION] intents (no display needed)

TEST(StageFamilyState, OpSwitchAndGroupsGoThroughIntents) {
  Scenario start;
  start.shape.channels = 4;
  start.shape.filters = 4;
  AppState state = MakeAppState(start);
  ASSERT_TRUE(state.errors.empty());
  Apply(state, intent::SetShapeField{ShapeField::Groups, 2});
  EXPECT_TRUE(state.errors.empty());
  EXPECT_EQ(state.scenario.shape.groups, 2);
  Apply(state, intent::SetShapeField{ShapeField::Groups, 4});  // depthwise
  EXPECT_EQ(state.scenario.shape.groups, 4);
  Apply(state, intent::SetOp{Op::Transposed});
  EXPECT_TRUE(state.errors.empty()) << state.errors.front();
  EXPECT_EQ(state.scenario.shape.op, Op::Transposed);
  ASSERT_TRUE(state.computation);
  EXPECT_EQ(state.computation->x_mat.rows(), 4);
  Apply(state, intent::SetOp{Op::Conv});
  EXPECT_EQ(state.scenario.shape.op, Op::Conv);
}

TEST(StageFamilyState, BadCombinationsKeepTheLastValidScenario) {
  AppState state = MakeAppState(Scenario{});  // C = 3, F = 1
  const Scenario valid = state.scenario;
  Apply(state, intent::SetShapeField{ShapeField::Groups, 2});
  ASSERT_FALSE(state.errors.empty());
  EXPECT_NE(state.errors.front().find("groups 2"), std::string::npos) << state.errors.front();
  EXPECT_EQ(state.scenario, valid);
  EXPECT_EQ(state.edited.shape.groups, 2);
  // Output padding belongs to transposed, and must stay below stride or dilation.
  Apply(state, intent::SetShapeField{ShapeField::Groups, 1});
  EXPECT_TRUE(state.errors.empty());
  Apply(state, intent::SetShapeField{ShapeField::OutputPaddingH, 1});
  ASSERT_FALSE(state.errors.empty());
  EXPECT_NE(state.errors.front().find("output_padding"), std::string::npos) << state.errors.front();
  EXPECT_EQ(state.scenario.shape.op, Op::Conv);
  Apply(state, intent::SetOp{Op::Transposed});  // output padding 1 with stride 1: still invalid
  ASSERT_FALSE(state.errors.empty());
  EXPECT_EQ(state.scenario, valid);
  Apply(state, intent::SetShapeField{ShapeField::StrideH, 2});  // now 1 < stride 2 on both axes
  EXPECT_TRUE(state.errors.empty()) << state.errors.front();
  EXPECT_EQ(state.scenario.shape.op, Op::Transposed);
  EXPECT_EQ(state.scenario.shape.output_padding, (Pair{1, 1}));
  // Back to conv clears the output padding instead of leaving an error to chase.
  Apply(state, intent::SetOp{Op::Conv});
  EXPECT_TRUE(state.errors.empty());
  EXPECT_EQ(state.scenario.shape.output_padding, (Pair{0, 0}));
}

TEST(StageFamilyState, EveryFamilyPresetLoadsFromThePresetBox) {
  for (const char* name : {"transposed-k3s2", "transposed-of-3x3-by-2x2", "depthwise-3x3", "alexnet-conv2-groups2",
                           "mobilenet-depthwise"}) {
    AppState state = MakeAppState(Scenario{});
    Apply(state, intent::LoadPreset{name});
    EXPECT_FALSE(state.status_is_error) << name << ": " << state.status;
    EXPECT_TRUE(state.errors.empty()) << name;
    EXPECT_EQ(state.scenario, Preset(name)) << name;
  }
}

TEST(StageFamilyState, CheckerboardNoteNamesTheCounts) {
  const Scenario sc = Preset("transposed-k3s2");
  const Computation c = Compute(sc);
  EXPECT_EQ(stage::CheckerboardNote(sc.shape, c.overlap),
            "kernel 3 is not a multiple of stride 2: output pixels receive 1, 2 or 4 contributions (the checkerboard).");
  Shape even = sc.shape;  // kernel 2, stride 2: every pixel gets exactly one
  even.kernel = Pair{2, 2};
  Scenario tiled = sc;
  tiled.shape = even;
  EXPECT_EQ(stage::CheckerboardNote(even, Compute(tiled).overlap), "");
}

TEST(StageFamilyState, StructuralZerosAreTheOtherGroupsBlocks) {
  const Scenario sc = Preset("depthwise-3x3");
  const Computation c = Compute(sc);
  for (Index f = 0; f < c.w_row.rows(); ++f) {
    for (Index r = 0; r < c.w_row.cols(); ++r) {
      const bool structural = stage::StructuralZero(sc.shape, sc.order, f, r);
      if (structural) {
        EXPECT_EQ(c.w_row(f, r), 0.0) << f << "," << r;
      }
      EXPECT_EQ(structural, sc.shape.GroupOfWeightRow(f) != sc.shape.GroupOfPatchChannel(PatchOffsetOf(sc.shape, sc.order, r).c));
    }
  }
  EXPECT_FALSE(stage::StructuralZero(Scenario{}.shape, Order::RowMajor, 0, 5));  // G = 1: none
}

// The band headers follow the layout: in the rows layout every matrix is the columns
// layout's transpose, so x_row = x_matᵀ · W_row and dX_matᵀ = grad_x_row · W_rowᵀ.
TEST(StageFamilyState, TransposedHeadersWriteTheRowsLayoutFormulas) {
  for (const Layout layout : {Layout::Columns, Layout::Rows}) {
    Scenario sc = Preset("transposed-k3s2");
    sc.layout = layout;
    const AppState state = MakeAppState(sc);
    const Computation c = Compute(sc);
    const FrameState frame = StateAt(c, Timeline(c.shape), 0);
    const stage::Context ctx(state, c, frame, HoverLinks{});
    stage::Placed placed;
    stage::ApplyFamilyHeaders(ctx, placed);
    const bool rows = layout == Layout::Rows;
    auto has = [](const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; };
    EXPECT_EQ(has(placed.fwd_equation, "x_row = x_mat\u1D40 \u00b7 W_row"), rows) << placed.fwd_equation;
    EXPECT_EQ(has(placed.fwd_equation, "x_col = W_row\u1D40 \u00b7 x_mat"), !rows) << placed.fwd_equation;
    EXPECT_EQ(has(placed.fwd_note, "a row of x_mat\u1D40"), rows) << placed.fwd_note;
    EXPECT_EQ(has(placed.bwd_equation, "dX_mat\u1D40 = grad_x_row \u00b7 W_row\u1D40"), rows) << placed.bwd_equation;
    EXPECT_EQ(has(placed.bwd_equation, "dW_row = x_mat \u00b7 grad_x_row"), rows) << placed.bwd_equation;
    EXPECT_EQ(has(placed.bwd_equation + placed.fwd_note, "_col"), !rows) << placed.bwd_equation << placed.fwd_note;
  }
}

// The window's "step by" control on a transposed timeline: a patch is one column of x_col
// (R steps), a row a row of input pixels (W columns row-major, H column-major), and back
// returns to where it came from.
TEST(StageFamilyState, StepUnitsOfTheTransposedMultiplyAreItsColumnsAndPixelRows) {
  for (const Order order : {Order::RowMajor, Order::ColumnMajor}) {
    Scenario sc = Preset("transposed-of-3x3-by-2x2");
    sc.order = order;
    AppState state = MakeAppState(sc);
    ASSERT_TRUE(state.errors.empty());
    const Timeline timeline(sc.shape);
    const Index begin = timeline.PhaseBegin(Phase::Multiply), R = sc.shape.PatchSize();
    const Index pixel_row = order == Order::RowMajor ? sc.shape.width : sc.shape.height;
    Apply(state, intent::JumpToPhase{Phase::Multiply});
    ASSERT_EQ(state.playback.step, begin);
    Apply(state, intent::SetGranularity{Granularity::Patch});
    Apply(state, intent::StepUnit{+1});
    EXPECT_EQ(state.playback.step, begin + R);
    Apply(state, intent::SetGranularity{Granularity::Row});
    Apply(state, intent::StepUnit{-1});
    EXPECT_EQ(state.playback.step, begin);
    Apply(state, intent::StepUnit{+1});
    EXPECT_EQ(state.playback.step, begin + R * pixel_row);
  }
}

// [SECTION] renders

class StageFamilyRender : public im2col::testing::HiddenWindowTest {
 protected:
  void Render(AppState& state, int width = 1920, int height = 1080) {
    std::vector<LayoutItem> layout;
    std::string error;
    ASSERT_TRUE(RenderStateToImage(*platform_, state, width, height, &image_, &layout, &error)) << error;
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
  static float Luminance(ImU32 c) {
    return 0.2126f * static_cast<float>((c >> IM_COL32_R_SHIFT) & 0xFF) +
           0.7152f * static_cast<float>((c >> IM_COL32_G_SHIFT) & 0xFF) +
           0.0722f * static_cast<float>((c >> IM_COL32_B_SHIFT) & 0xFF);
  }
  // Pixels of the cell's inner area darker than text-on-tint (digits are drawn dark).
  int DarkPixels(const Rect& r) const {
    int dark = 0;
    for (int y = static_cast<int>(r.y + 3); y < static_cast<int>(r.y + r.h - 3); ++y)
      for (int x = static_cast<int>(r.x + 3); x < static_cast<int>(r.x + r.w - 3); ++x) dark += Luminance(Pixel(x, y)) < 90.0f;
    return dark;
  }
  // How many pixels on the ring `inset` pixels inside a rectangle are near `color`.
  int RingCount(const Rect& r, float inset, ImU32 color, int tolerance = 50) const {
    auto near = [&](ImU32 a) {
      for (int shift : {IM_COL32_R_SHIFT, IM_COL32_G_SHIFT, IM_COL32_B_SHIFT}) {
        if (std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((color >> shift) & 0xFF)) > tolerance) return false;
      }
      return true;
    };
    int count = 0;
    const int x0 = static_cast<int>(r.x + inset), x1 = static_cast<int>(r.x + r.w - inset - 1);
    const int y0 = static_cast<int>(r.y + inset), y1 = static_cast<int>(r.y + r.h - inset - 1);
    for (int x = x0; x <= x1; ++x) count += near(Pixel(x, y0)) + near(Pixel(x, y1));
    for (int y = y0 + 1; y < y1; ++y) count += near(Pixel(x0, y)) + near(Pixel(x1, y));
    return count;
  }
  static AppState StateAtStep(const Scenario& scenario, Index step) {
    AppState state = MakeAppState(scenario);
    PushIntent(state, intent::SetStep{step});
    ApplyIntents(state);
    return state;
  }

  RgbImage image_;
  std::map<std::string, Rect> items_;
};

TEST_F(StageFamilyRender, TransposedK3S2ShowsTheCheckerboardHeat) {
  const Scenario sc = Preset("transposed-k3s2");
  const Timeline timeline(sc.shape);
  const Computation c = Compute(sc);
  AppState state = StateAtStep(sc, timeline.PhaseBegin(Phase::Col2im) + timeline.PhaseLength(Phase::Col2im) - 1);
  Render(state);
  // One pixel of each count 1, 2, 4 (core's overlap), and the heat gets brighter with the count.
  std::map<int, std::pair<int, int>> where;
  for (int y = 0; y < c.overlap.rows(); ++y)
    for (int x = 0; x < c.overlap.cols(); ++x) where.emplace(c.overlap(y, x), std::make_pair(y, x));
  ASSERT_EQ(where.size(), 3u);
  EXPECT_EQ(where.begin()->first, 1);
  EXPECT_EQ(where.rbegin()->first, 4);
  std::vector<float> lum;
  for (const auto& [count, yx] : where) {
    const Rect* cell = Item("overlap[0,0," + std::to_string(yx.first) + "," + std::to_string(yx.second) + "]");
    ASSERT_NE(cell, nullptr) << count;
    lum.push_back(Luminance(Pixel(static_cast<int>(cell->x + 4), static_cast<int>(cell->y + 4))));
  }
  EXPECT_LT(lum[0] + 30.0f, lum[1]);
  EXPECT_LT(lum[1] + 30.0f, lum[2]);
  // The output and x_col are drawn cell by cell; the output cells hold core's values.
  EXPECT_NE(Item("x_col[0,0]"), nullptr);
  EXPECT_NE(Item("x_mat[0,0]"), nullptr);
  EXPECT_NE(Item("output[0,0,0,0]"), nullptr);
  // Nothing of the stage's text is clipped: every block lies inside the canvas's content.
  const Rect* out = Item("panel:output");
  ASSERT_NE(out, nullptr);
  EXPECT_GT(out->w, 0.0f);
}

TEST_F(StageFamilyRender, GroupedWRowDrawsStructuralZerosWithoutNumbers) {
  const Scenario sc = Preset("depthwise-3x3");
  const Timeline timeline(sc.shape);
  AppState state = StateAtStep(sc, timeline.PhaseBegin(Phase::Multiply) - 1);  // flatten done, W_row in view
  Render(state);
  int structural = 0, valued = 0, checked = 0;
  for (Index f = 0; f < sc.shape.filters; ++f) {
    for (Index r = 0; r < sc.shape.PatchSize(); ++r) {
      const Rect* cell = Item("w_row[" + std::to_string(f) + "," + std::to_string(r) + "]");
      if (cell == nullptr) continue;
      ++checked;
      if (stage::StructuralZero(sc.shape, sc.order, f, r)) {
        EXPECT_EQ(DarkPixels(*cell), 0) << "w_row[" << f << "," << r << "] is a structural zero: no number";
        ++structural;
      } else {
        valued += DarkPixels(*cell) > 0;
      }
    }
  }
  ASSERT_GT(checked, 0) << "W_row is drawn cell by cell";
  EXPECT_EQ(structural, checked * 2 / 3);  // depthwise, 3 groups: two blocks of three are zeros
  EXPECT_GT(valued, 0);
}

TEST_F(StageFamilyRender, TransposedTimelinePlaysThroughEveryPhaseInBothLayouts) {
  for (const char* name : {"transposed-k3s2", "transposed-of-3x3-by-2x2"}) {
    for (const Layout layout : {Layout::Columns, Layout::Rows}) {
      Scenario sc = Preset(name);
      sc.layout = layout;
      const Timeline timeline(sc.shape);
      AppState state = MakeAppState(sc);
      ASSERT_TRUE(state.errors.empty()) << name;
      std::set<Phase> seen;
      const Index stride = std::max<Index>(1, timeline.StepCount() / 24);
      for (Index step = 0; step < timeline.StepCount(); step += stride) {
        Apply(state, intent::SetStep{step});
        Apply(state, intent::StepBy{1});  // a forward single step: its transition and flights
        AdvancePlayback(state, kTransitionSeconds * 0.5f);
        Render(state, 1280, 720);
        seen.insert(CurrentPhase(state));
        ASSERT_NE(Item("panel:output"), nullptr) << name << " step " << step;
        // Every block recorded has a name (the band's unbuilt blocks are not drawn).
        EXPECT_EQ(Item("panel:"), nullptr) << name << " step " << step << ": a block recorded without a name";
      }
      for (Phase p : kTransposedPhases) {
        Apply(state, intent::JumpToPhase{p});
        Render(state, 1280, 720);
        seen.insert(CurrentPhase(state));
      }
      EXPECT_EQ(seen.size(), static_cast<size_t>(kTransposedPhaseCount)) << name;
    }
  }
}

TEST_F(StageFamilyRender, SameAsTheConvsDxMarksBothRoadsEqual) {
  const Scenario sc = Preset("transposed-of-3x3-by-2x2");
  const Timeline timeline(sc.shape);
  AppState state = StateAtStep(sc, timeline.PhaseBegin(Phase::GradOutput) - 1);  // col2im done
  Apply(state, intent::SetShowEquivalence{true});
  EXPECT_TRUE(state.show_equivalence);
  Render(state, 1920, 1440);
  std::filesystem::create_directories(IM2COL_GUI_TEST_OUT);
  io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/transposed_equivalence.png", EncodePng(image_));
  const Computation& c = *state.computation;
  // Every output cell has its counterpart in both other roads, none crossed (equal).
  for (const char* road : {"conv_dx", "zero_output"}) {
    for (int y = 0; y < c.output.h; ++y)
      for (int x = 0; x < c.output.w; ++x)
        EXPECT_NE(Item(std::string(road) + "[0,0," + std::to_string(y) + "," + std::to_string(x) + "]"), nullptr) << road;
  }
  const std::shared_ptr<const EquivalenceView> view = ComputeEquivalence(c);
  ASSERT_TRUE(view);
  ASSERT_TRUE(view->conv);
  EXPECT_EQ(view->equal_conv, view->cells);
  EXPECT_EQ(view->equal_zero, view->cells);
  EXPECT_EQ(view->equal_x_col, view->x_col_cells);  // the conv's dX_col is this x_col
  EXPECT_GT(view->x_col_cells, 0);
  EXPECT_NE(Item("conv_dx_col[0,0]"), nullptr);
  // The zero-inserted input is drawn: stride 1 here, so only the border is zeros.
  EXPECT_NE(Item("zero_input[0,0,0,0]"), nullptr);
  // Off again: the extra roads leave the stage.
  Apply(state, intent::SetShowEquivalence{false});
  Render(state);
  EXPECT_EQ(Item("conv_dx[0,0,0,0]"), nullptr);
}

TEST(StageFamilyState, EquivalenceCountsACellThatDiffers) {
  Computation c = Compute(Preset("transposed-k3s2"));
  const std::shared_ptr<const EquivalenceView> right = ComputeEquivalence(c);
  ASSERT_TRUE(right && right->conv);
  EXPECT_EQ(right->equal_conv, right->cells);
  c.output(0, 0, 3, 3) += 1.0;  // a wrong output: both roads disagree with it in one cell
  const std::shared_ptr<const EquivalenceView> wrong = ComputeEquivalence(c);
  EXPECT_EQ(wrong->equal_conv, wrong->cells - 1);
  EXPECT_EQ(wrong->equal_zero, wrong->cells - 1);
  EXPECT_EQ(wrong->equal_x_col, wrong->x_col_cells);
  c.x_col(2, 3) -= 1.0;  // a wrong x_col: the conv's dX_col disagrees in that cell
  EXPECT_EQ(ComputeEquivalence(c)->equal_x_col, wrong->x_col_cells - 1);
  EXPECT_FALSE(ComputeEquivalence(Compute(Scenario{})));  // conv: nothing to compare
}

TEST_F(StageFamilyRender, HoverLinksXColCellsAndTheOutputPixelsTheyAddInto) {
  const Scenario sc = Preset("transposed-k3s2");
  const Timeline timeline(sc.shape);
  const Index done = timeline.PhaseBegin(Phase::GradOutput) - 1;  // col2im complete
  const ImU32 line = ActivePalette().text;
  // An x_col cell outlines the output pixel it adds into (core's SourceOf).
  {
    AppState state = StateAtStep(sc, done);
    const Index r = 4, j = 4;  // (f 0, ky 1, kx 1) of input pixel (1, 1): output (3, 3)
    const SourceCoord target = SourceOf(sc.shape, sc.order, r, j);
    ASSERT_TRUE(target.in_image);
    state.hover = HoverTarget::Matrix(HoverTarget::Kind::XColCell, r, j);
    Render(state);
    const std::string id = "output[0,0," + std::to_string(target.y) + "," + std::to_string(target.x) + "]";
    const Rect* linked = Item(id);
    const Rect* other = Item("output[0,0,0,0]");
    ASSERT_TRUE(linked && other) << id;
    EXPECT_GT(RingCount(*linked, 3.0f, line), 8) << id;
    EXPECT_LT(RingCount(*other, 3.0f, line), 3);
  }
  // An output pixel outlines every x_col cell adding into it (core's CopiesOf): 4 at (2, 2).
  {
    AppState state = StateAtStep(sc, done);
    state.hover = HoverTarget::Tensor(HoverTarget::Kind::OutputCell, 0, 0, 2, 2);
    Render(state);
    const std::vector<Cell> cells = CopiesOf(sc.shape, sc.order, im2col::Pixel{0, 0, 2, 2});
    ASSERT_EQ(cells.size(), 4u);
    for (const Cell& cell : cells) {
      const Rect* rect = Item("x_col[" + std::to_string(cell.r) + "," + std::to_string(cell.j) + "]");
      ASSERT_NE(rect, nullptr);
      EXPECT_GT(RingCount(*rect, 3.0f, line), 8) << cell.r << "," << cell.j;
    }
  }
}

TEST_F(StageFamilyRender, LargeGroupedPresetStillDraws) {
  const Scenario sc = Preset("alexnet-conv2-groups2");
  const Timeline timeline(sc.shape);
  AppState state = StateAtStep(sc, timeline.PhaseBegin(Phase::Multiply) + 5);
  Render(state);
  EXPECT_NE(Item("panel:w_row"), nullptr);
  EXPECT_NE(Item("panel:x_col"), nullptr);
}

}  // namespace
}  // namespace im2col::gui
