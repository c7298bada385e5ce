// ZoomView: screen <-> cell conversions, fit, zoom about a point, pan limits, and the
// real ImGui interaction (wheel, '+'/'-'/'0', drag, Fit button, minimap, hover) driven
// through scripted input frames.
#include <gtest/gtest.h>

#include <cmath>

#include "gl_test_harness.h"
#include "gui/gpu/gpu_context.h"
#include "gui/gpu/matrix_picture.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/gpu/matrix_view.h"
#include "gui/widgets/theme.h"
#include "gui/gpu/zoom_view.h"

namespace im2col::gui {
namespace {

using gpu_test::Harness;
using gpu_test::Input;

constexpr Index kRows = 363, kCols = 3025;  // AlexNet's X_col

// The overlay geometry measures text, so even the arithmetic tests need an ImGui context.
class ZoomViewTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Harness::Get().ok()) << Harness::Get().error(); }
};

TEST_F(ZoomViewTest, FitKeepsSquareCellsAndCentresTheMatrix) {
  ZoomView view;
  const ImRect area(60, 100, 1860, 400);
  SyncZoomView(view, area, kRows, kCols);
  EXPECT_TRUE(view.follow_fit);
  EXPECT_FLOAT_EQ(view.cell_w, 1800.0f / 3025.0f);
  EXPECT_FLOAT_EQ(view.cell_h, view.cell_w);
  const ImRect m = MatrixRect(view, area);
  EXPECT_NEAR(m.Min.x, 60.0f, 1e-3f);
  EXPECT_NEAR(m.Max.x, 1860.0f, 1e-2f);
  EXPECT_NEAR(m.GetCenter().y, area.GetCenter().y, 1e-2f);
  const CellSpan all = VisibleCells(view, area);
  EXPECT_EQ(all.row0, 0);
  EXPECT_EQ(all.col0, 0);
  EXPECT_EQ(all.row1, kRows);
  EXPECT_EQ(all.col1, kCols);
  EXPECT_FALSE(MinimapVisible(view, area));
  EXPECT_FALSE(FitButtonVisible(view));
}

TEST_F(ZoomViewTest, StretchFillsTheArea) {
  ZoomView view;
  view.fit_mode = FitMode::Stretch;
  const ImRect area(0, 0, 1210, 726);
  SyncZoomView(view, area, kRows, kCols);
  EXPECT_FLOAT_EQ(view.cell_w, 1210.0f / 3025.0f);
  EXPECT_FLOAT_EQ(view.cell_h, 726.0f / 363.0f);
  EXPECT_NEAR(MatrixRect(view, area).Max.y, 726.0f, 1e-3f);
}

TEST_F(ZoomViewTest, ScreenAndCellCoordinatesRoundTrip) {
  ZoomView view;
  view.follow_fit = false;
  const ImRect area(60, 100, 1860, 1000);
  SyncZoomView(view, area, kRows, kCols);
  view.cell_w = view.cell_h = 37.5f;
  view.first = {1234.25, 77.5};
  for (const CellPoint cell : {CellPoint{1234.25, 77.5}, CellPoint{1250.5, 80.75}, CellPoint{1280.0, 100.0}}) {
    const CellPoint back = ScreenToCell(view, CellToScreen(view, cell, area), area);
    EXPECT_NEAR(back.col, cell.col, 1e-3);
    EXPECT_NEAR(back.row, cell.row, 1e-3);
  }
  const ImRect box = CellRect(view, 80, 1250, area);
  EXPECT_NEAR(box.Min.x, 60.0f + (1250 - 1234.25f) * 37.5f, 1e-2f);
  EXPECT_NEAR(box.GetWidth(), 37.5f, 1e-4f);
  const auto cell = DisplayedCellAt(view, area, ImVec2(box.Min.x + 3, box.Min.y + 3));
  ASSERT_TRUE(cell);
  EXPECT_EQ(cell->row, 80);
  EXPECT_EQ(cell->col, 1250);
  EXPECT_FALSE(DisplayedCellAt(view, area, ImVec2(10, 10))) << "outside the area";
}

TEST_F(ZoomViewTest, ZoomKeepsTheAnchorCellUnderThePointerAndClamps) {
  ZoomView view;
  const ImRect area(60, 100, 1860, 1000);
  SyncZoomView(view, area, kRows, kCols);
  const float fit = view.cell_w;
  const ImVec2 anchor(900, 500);
  const CellPoint before = ScreenToCell(view, anchor, area);
  ZoomAbout(view, anchor, 8.0f, area);
  EXPECT_FALSE(view.follow_fit);
  EXPECT_FLOAT_EQ(view.cell_w, fit * 8.0f);
  const CellPoint after = ScreenToCell(view, anchor, area);
  EXPECT_NEAR(after.col, before.col, 1e-6);
  EXPECT_NEAR(after.row, before.row, 1e-6);
  EXPECT_TRUE(FitButtonVisible(view));
  EXPECT_TRUE(MinimapVisible(view, area));

  ZoomAbout(view, anchor, 1e6f, area);
  EXPECT_FLOAT_EQ(view.cell_w, kMaxCellPixels);
  ZoomAbout(view, anchor, 1e-9f, area);  // out past the fit: back to following the fit
  EXPECT_TRUE(view.follow_fit);
  EXPECT_FLOAT_EQ(view.cell_w, fit);
}

TEST_F(ZoomViewTest, PanStopsAtTheMatrixEdges) {
  ZoomView view;
  const ImRect area(0, 0, 1000, 500);
  SyncZoomView(view, area, kRows, kCols);
  ZoomAbout(view, ImVec2(0, 0), 100.0f, area);
  PanBy(view, ImVec2(5000, 5000), area);  // drag right/down: towards the top-left corner
  EXPECT_EQ(view.first.col, 0.0);
  EXPECT_EQ(view.first.row, 0.0);
  PanBy(view, ImVec2(-1e7f, -1e7f), area);
  const ImRect m = MatrixRect(view, area);
  EXPECT_NEAR(m.Max.x, area.Max.x, 1e-2f);
  EXPECT_NEAR(m.Max.y, area.Max.y, 1e-2f);
}

TEST_F(ZoomViewTest, FollowFitRefitsOnResizeAndAZoomedViewClampsToASmallerMatrix) {
  ZoomView view;
  SyncZoomView(view, ImRect(0, 0, 1000, 500), kRows, kCols);
  SyncZoomView(view, ImRect(0, 0, 2000, 500), kRows, kCols);
  EXPECT_FLOAT_EQ(view.cell_w, std::min(2000.0f / 3025.0f, 500.0f / 363.0f));

  const ImRect area(0, 0, 1000, 500);
  ZoomAbout(view, ImVec2(900, 400), 50.0f, area);
  ASSERT_FALSE(view.follow_fit);
  SyncZoomView(view, area, 12, 9);  // a new, small scenario
  const ImRect m = MatrixRect(view, area);
  EXPECT_TRUE(m.Overlaps(area));
  EXPECT_NEAR(m.GetCenter().x, area.GetCenter().x, 1.0f) << "a matrix smaller than the area is centred";
}

// ---------------------------------------------------------------------------------
// Through Dear ImGui: scripted frames with a mouse and keys.
// ---------------------------------------------------------------------------------

class ZoomInteractionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Harness::Get().ok()) << Harness::Get().error();
    Matrix m(kRows, kCols);
    for (Index r = 0; r < kRows; ++r)
      for (Index j = 0; j < kCols; ++j) m(r, j) = static_cast<double>((r * 7 + j * 3) % 9) - 4.0;
    std::string error;
    ASSERT_TRUE(texture_.Upload(Harness::Get().gpu(), MatrixUpload::FromMatrix(m, false, 1), &error)) << error;
    const Palette& p = ActivePalette();
    style_ = MatrixStyle::Tinted(p.input_tint, p.input);
  }

  // One frame of the matrix view with `input`; returns the view's result.
  MatrixViewResult Step(const Input& input) {
    MatrixViewResult result;
    Harness::Get().Frame([&] { result = DrawZoomableMatrix(Harness::Get().gpu(), "x_col_view", texture_, view_, area_, mask_, style_); },
                         input, false);
    return result;
  }
  Input At(ImVec2 mouse, bool down = false) {
    Input in;
    in.mouse = mouse;
    in.left_down = down;
    return in;
  }

  MatrixTexture texture_;
  MatrixStyle style_;
  MaskState mask_;
  ZoomView view_;
  const ImRect area_{60, 100, 1860, 1000};
};

TEST_F(ZoomInteractionTest, WheelZoomsAboutThePointer) {
  const ImVec2 mouse(700, 550);
  Step(At(mouse));
  Step(At(mouse));  // hover is known from the previous frame
  const float before_cell = view_.cell_w;
  const CellPoint before = ScreenToCell(view_, mouse, area_);
  Input wheel = At(mouse);
  wheel.wheel = 2.0f;
  const MatrixViewResult r = Step(wheel);
  EXPECT_TRUE(r.area_hovered);
  EXPECT_TRUE(r.view_changed);
  EXPECT_NEAR(view_.cell_w, before_cell * kZoomStep * kZoomStep, 1e-4f);
  const CellPoint after = ScreenToCell(view_, mouse, area_);
  EXPECT_NEAR(after.col, before.col, 1e-4);
  EXPECT_NEAR(after.row, before.row, 1e-4);
}

TEST_F(ZoomInteractionTest, KeysZoomAndFit) {
  const ImVec2 mouse(700, 550);
  Step(At(mouse));
  Step(At(mouse));
  const float fit = view_.cell_w;
  Input plus = At(mouse);
  plus.characters = "++";
  Step(plus);
  EXPECT_NEAR(view_.cell_w, fit * kZoomStep * kZoomStep, 1e-4f);
  Input minus = At(mouse);
  minus.characters = "-";
  Step(minus);
  EXPECT_NEAR(view_.cell_w, fit * kZoomStep, 1e-4f);
  Input zero = At(mouse);
  zero.characters = "0";
  Step(zero);
  EXPECT_TRUE(view_.follow_fit);
  EXPECT_FLOAT_EQ(view_.cell_w, fit);
}

TEST_F(ZoomInteractionTest, DragPansFitButtonFitsMinimapMovesTheView) {
  const ImVec2 mouse(700, 550);
  Step(At(mouse));
  Step(At(mouse));
  Input wheel = At(mouse);
  wheel.wheel = 20.0f;  // far in
  Step(wheel);
  ASSERT_FALSE(view_.follow_fit);
  const CellPoint start = view_.first;
  Step(At(mouse, true));                                    // press
  Step(At(ImVec2(mouse.x - 200, mouse.y - 100), true));     // drag left/up: the view moves right/down
  Step(At(ImVec2(mouse.x - 200, mouse.y - 100), false));    // release
  EXPECT_NEAR(view_.first.col, start.col + 200.0 / view_.cell_w, 1e-3);
  EXPECT_NEAR(view_.first.row, start.row + 100.0 / view_.cell_h, 1e-3);

  // A click on the minimap centres the view on that part of the matrix.
  ASSERT_TRUE(MinimapVisible(view_, area_));
  mask_.focus_column = 2000;
  mask_.hover_row = 180;
  const gpu_test::Image zoomed = Harness::Get().Frame(
      [&] { DrawZoomableMatrix(Harness::Get().gpu(), "x_col_view", texture_, view_, area_, mask_, style_); }, At(mouse, false));
  EXPECT_TRUE(gpu_test::WritePng(std::string(IM2COL_GPU_TEST_OUT) + "/zoom_minimap.png", zoomed));
  // The minimap shows the whole matrix with the focus column; the Fit button is drawn.
  const ImRect mini_box = MinimapRect(view_, area_);
  const ZoomView mini_view_now = MinimapView(view_, area_);
  const float focus_x = CellToScreen(mini_view_now, {2000.5, 0.0}, mini_box).x;
  EXPECT_LE(gpu_test::ColourDistance(zoomed.At(static_cast<int>(focus_x), static_cast<int>(mini_box.GetCenter().y)),
                                     ActivePalette().focus),
            2);
  const ImRect fit_button = FitButtonRect(area_);
  EXPECT_LE(gpu_test::ColourDistance(zoomed.At(static_cast<int>(fit_button.Min.x) + 3, static_cast<int>(fit_button.GetCenter().y)),
                                     ActivePalette().panel),
            2);
  const ImRect mini = MinimapRect(view_, area_);
  const ImVec2 target(mini.Min.x + mini.GetWidth() * 0.75f, mini.Min.y + mini.GetHeight() * 0.5f);
  Step(At(target));
  Step(At(target, true));
  Step(At(target, false));
  // ImGui floors the mouse position: allow one and a half minimap pixels.
  const ZoomView mini_view = MinimapView(view_, area_);
  const CellPoint centre = ScreenToCell(view_, area_.GetCenter(), area_);
  EXPECT_NEAR(centre.col, 0.75 * kCols, 1.5 / mini_view.cell_w);
  EXPECT_NEAR(centre.row, 0.5 * kRows, 1.5 / mini_view.cell_h);

  // The Fit button returns to the whole matrix.
  ASSERT_TRUE(FitButtonVisible(view_));
  const ImVec2 button = FitButtonRect(area_).GetCenter();
  EXPECT_FALSE(DisplayedCellAt(view_, area_, button)) << "no cell is hovered through the button";
  Step(At(button));
  Step(At(button, true));
  Step(At(button, false));
  EXPECT_TRUE(view_.follow_fit);
  EXPECT_FALSE(FitButtonVisible(view_));
}

TEST_F(ZoomInteractionTest, HoveredCellFollowsTheZoom) {
  const ImVec2 mouse(700, 550);
  Step(At(mouse));
  MatrixViewResult r = Step(At(mouse));
  const float fit = view_.cell_w;
  ASSERT_TRUE(r.hovered);
  CellPoint p = ScreenToCell(view_, mouse, area_);
  EXPECT_EQ(r.hovered->col, static_cast<Index>(p.col));
  EXPECT_EQ(r.hovered->row, static_cast<Index>(p.row));
  Input wheel = At(mouse);
  wheel.wheel = 12.0f;
  Step(wheel);
  const ImVec2 elsewhere(1500, 300);
  Step(At(elsewhere));
  r = Step(At(elsewhere));
  ASSERT_TRUE(r.hovered);
  p = ScreenToCell(view_, elsewhere, area_);
  EXPECT_EQ(r.hovered->col, static_cast<Index>(p.col));
  EXPECT_EQ(r.hovered->row, static_cast<Index>(p.row));
  EXPECT_NEAR(view_.cell_w, fit * std::pow(kZoomStep, 12.0f), 1e-3f);
  r = Step(At(ImVec2(20, 20)));
  EXPECT_FALSE(r.hovered) << "outside the area";
  EXPECT_FALSE(r.area_hovered);
}

}  // namespace
}  // namespace im2col::gui
