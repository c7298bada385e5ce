// GPU drawing of large matrices, checked on real pixels read back from an offscreen
// framebuffer (Mesa llvmpipe under Xvfb): the chapter's AlexNet X_col (363 x 3025)
// with the timeline's fill and focus, zoomed-in numbers, padding hatching, the rows
// layout (transposed display), the heat colours, layout recording, shader errors that
// name the file, the picture cache and the headless fallback. Frame times are in
// gpu_frame_time_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "gl_test_harness.h"
#include "gpu_test_scenarios.h"
#include "gui/gpu/gl_shader.h"
#include "gui/state/hover.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/gpu/gpu_context.h"
#include "gui/gpu/matrix_picture.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/gpu/matrix_view.h"
#include "gui/widgets/theme.h"
#include "gui/gpu/zoom_view.h"
#include "im2col/convolution.h"
#include "im2col/timeline.h"

namespace im2col::gui {
namespace {

using gpu_test::AlexNet;
using gpu_test::ColourDistance;
using gpu_test::Harness;
using gpu_test::Hex;
using gpu_test::Image;

constexpr int kTolerance = 2;  // 8-bit rounding of float colours

std::string ScreenshotPath(const std::string& name) { return std::string(IM2COL_GPU_TEST_OUT) + "/" + name; }

class GpuMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Harness::Get().ok()) << Harness::Get().error(); }
};

void Upload(MatrixTexture& texture, const Matrix& m, bool transposed, std::uint64_t key,
            const std::vector<std::uint8_t>* padding = nullptr) {
  std::string error;
  ASSERT_TRUE(texture.Upload(Harness::Get().gpu(), MatrixUpload::FromMatrix(m, transposed, key, padding), &error)) << error;
}

// Pixels in [min, max) whose colour is farther than `threshold` from `colour`.
int CountDifferent(const Image& image, ImVec2 min, ImVec2 max, ImU32 colour, int threshold) {
  int count = 0;
  for (int y = static_cast<int>(min.y); y < static_cast<int>(max.y); ++y) {
    for (int x = static_cast<int>(min.x); x < static_cast<int>(max.x); ++x) {
      if (ColourDistance(image.At(x, y), colour) > threshold) ++count;
    }
  }
  return count;
}

TEST_F(GpuMatrixTest, AlexNetXColFitShowsFillFocusAndTheShadersColours) {
  const Computation& c = AlexNet();
  ASSERT_EQ(c.x_col.rows(), 363);
  ASSERT_EQ(c.x_col.cols(), 3025);
  const Index R = 363, focus_j = 1500, focus_r = 100;
  const Timeline timeline(c.shape);
  const FrameState frame = StateAt(c, timeline, focus_j * R + focus_r);
  ASSERT_EQ(frame.step.phase, Phase::Extract);
  ASSERT_EQ(frame.x_col_cells, focus_j * R + focus_r + 1);
  const MaskState mask = MaskFor(MatrixId::XCol, frame, c.shape);
  ASSERT_EQ(mask.focus_column, std::optional<Index>(focus_j));

  MatrixTexture texture;
  Upload(texture, c.x_col, false, 1);
  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  ZoomView view;
  const ImRect area(60, 100, 1860, 400);
  const Image image = Harness::Get().Frame([&] {
    SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
    DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style, "x_col");
  });
  EXPECT_TRUE(gpu_test::WritePng(ScreenshotPath("xcol_fit_extract.png"), image));
  EXPECT_TRUE(MatrixRendererError(Harness::Get().gpu()).empty()) << MatrixRendererError(Harness::Get().gpu());

  // Fit keeps cells square: 1800 px for 3025 columns.
  EXPECT_NEAR(view.cell_w, 1800.0f / 3025.0f, 1e-4f);
  EXPECT_EQ(view.cell_w, view.cell_h);
  const ImRect matrix = MatrixRect(view, area);
  EXPECT_NEAR(matrix.GetHeight(), 363.0f * view.cell_w, 0.01f);

  // The focus column is orange over its whole height, although it is 0.6 px wide.
  const float focus_x = CellToScreen(view, {focus_j + 0.5, 0.0}, area).x;
  for (float y = matrix.Min.y + 5.0f; y < matrix.Max.y - 5.0f; y += 25.0f) {
    const ImU32 got = image.At(static_cast<int>(focus_x), static_cast<int>(y));
    EXPECT_LE(ColourDistance(got, p.focus), kTolerance) << "focus column at y " << y << ": " << Hex(got);
  }
  // A column well before the focus is not orange; columns after it are not filled: grey.
  for (Index col : {Index{2200}, Index{2600}, Index{3000}}) {
    const float x = CellToScreen(view, {col + 0.5, 0.0}, area).x;
    for (float y = matrix.Min.y + 3.0f; y < matrix.Max.y - 3.0f; y += 40.0f) {
      const ImU32 got = image.At(static_cast<int>(x), static_cast<int>(y));
      EXPECT_LE(ColourDistance(got, style.empty), kTolerance) << "unfilled column " << col << ": " << Hex(got);
    }
  }
  // Filled pixels: exactly the CPU twin's colour of the cell under the pixel centre.
  int checked = 0, tinted = 0;
  for (int y = static_cast<int>(matrix.Min.y) + 2; y < static_cast<int>(matrix.Max.y) - 2; y += 7) {
    for (int x = static_cast<int>(matrix.Min.x) + 2; x < static_cast<int>(focus_x) - 10; x += 13) {
      const CellPoint cell = ScreenToCell(view, ImVec2(x + 0.5f, y + 0.5f), area);
      const double fx = cell.col - std::floor(cell.col), fy = cell.row - std::floor(cell.row);
      if (fx < 0.02 || fx > 0.98 || fy < 0.02 || fy > 0.98) continue;  // too close to a cell edge
      const CellRef ref{static_cast<Index>(cell.row), static_cast<Index>(cell.col)};
      const ImU32 expected = CellFillColour(texture, mask, style, ref);
      const ImU32 got = image.At(x, y);
      ASSERT_LE(ColourDistance(got, expected), kTolerance)
          << "pixel (" << x << "," << y << ") cell (" << ref.row << "," << ref.col << ") value "
          << texture.Value(ref.row, ref.col) << ": got " << Hex(got) << " expected " << Hex(expected);
      ++checked;
      if (ColourDistance(got, style.empty) > 20) ++tinted;
    }
  }
  EXPECT_GT(checked, 1500);
  EXPECT_GT(tinted, checked / 2) << "filled cells should carry the input tint";
}

TEST_F(GpuMatrixTest, ZoomedInShowsNumbersStrongTintForLargeValuesAndGridLines) {
  const Computation& c = AlexNet();
  const Index R = 363, focus_j = 1500, focus_r = 100;
  const Timeline timeline(c.shape);
  const MaskState mask = MaskFor(MatrixId::XCol, StateAt(c, timeline, focus_j * R + focus_r), c.shape);
  MatrixTexture texture;
  Upload(texture, c.x_col, false, 1);
  const Palette& p = ActivePalette();
  MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  const ImRect area(60, 100, 1860, 1000);
  ZoomView view;
  view.follow_fit = false;
  view.cell_w = view.cell_h = 44.0f;
  view.first = {1490.0, 90.0};
  auto draw = [&] {
    SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
    DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style, "x_col");
  };
  const Image with_numbers = Harness::Get().Frame(draw);
  EXPECT_TRUE(gpu_test::WritePng(ScreenshotPath("xcol_zoomed_numbers.png"), with_numbers));
  style.show_numbers = false;
  const Image without_numbers = Harness::Get().Frame(draw);
  ASSERT_EQ(view.first.col, 1490.0);  // not moved by clamping
  ASSERT_EQ(view.cell_w, 44.0f);

  // Largest |value| and a zero among the filled cells left of the focus column.
  std::optional<CellRef> strongest, zero;
  for (Index row = 91; row < 108; ++row) {
    for (Index col = 1491; col < 1499; ++col) {
      const double v = texture.Value(row, col);
      if (std::abs(v) == texture.max_abs() && !strongest) strongest = CellRef{row, col};
      if (v == 0.0 && !zero) zero = CellRef{row, col};
    }
  }
  ASSERT_TRUE(strongest && zero) << "random fill should have both a +-max and a 0 in view";
  auto corner = [&](CellRef ref) {  // inside the cell, past its grid line, away from the centred number
    const ImRect box = CellRect(view, ref.row, ref.col, area);
    return with_numbers.At(static_cast<int>(box.Min.x) + 4, static_cast<int>(box.Min.y) + 4);
  };
  EXPECT_LE(ColourDistance(corner(*strongest), p.input), kTolerance)
      << "max |value| gets the full meaning colour, got " << Hex(corner(*strongest));
  EXPECT_LE(ColourDistance(corner(*zero), p.input_tint), kTolerance)
      << "zero gets the light tint, got " << Hex(corner(*zero));

  // Numbers: text pixels inside filled cells with numbers on, none with numbers off.
  int cells_with_text = 0;
  for (Index col = 1491; col < 1499; ++col) {
    const CellRef ref{95, col};
    const ImRect box = CellRect(view, ref.row, ref.col, area);
    const ImU32 fill = CellFillColour(texture, mask, style, ref);
    const ImVec2 in_min(box.Min.x + 3.0f, box.Min.y + 3.0f), in_max(box.Max.x - 3.0f, box.Max.y - 3.0f);
    EXPECT_EQ(CountDifferent(without_numbers, in_min, in_max, fill, kTolerance), 0) << "column " << col;
    if (CountDifferent(with_numbers, in_min, in_max, fill, 60) >= 15) ++cells_with_text;
  }
  EXPECT_EQ(cells_with_text, 8) << "every filled cell shows its number at 44 px";
  // Unfilled cells (right of the focus column) are grey and show no number.
  const ImRect unfilled = CellRect(view, 95, 1505, area);
  EXPECT_EQ(CountDifferent(with_numbers, ImVec2(unfilled.Min.x + 2, unfilled.Min.y + 2),
                           ImVec2(unfilled.Max.x - 2, unfilled.Max.y - 2), style.empty, kTolerance),
            0);
  // Grid lines on cell edges (44 px cells >= the 6 px threshold).
  const ImRect box = CellRect(view, 95, 1495, area);
  EXPECT_LE(ColourDistance(with_numbers.At(static_cast<int>(box.Min.x), static_cast<int>(box.Min.y) + 10), p.grid_line),
            kTolerance);
  // The focus column's outline: 3 px orange just inside its left edge.
  const ImRect focus_box = CellRect(view, 96, focus_j, area);
  EXPECT_LE(ColourDistance(with_numbers.At(static_cast<int>(focus_box.Min.x) + 1, static_cast<int>(focus_box.GetCenter().y)),
                           p.focus),
            kTolerance);
}

TEST_F(GpuMatrixTest, TheWindowsFramebufferShowsTheSamePixelsAsTheOffscreenOne) {
  // The pictures are copied into whatever framebuffer ImGui draws to: the app's window
  // (another pixel format) must look like the offscreen renders the tests check.
  const Computation& c = AlexNet();
  MatrixTexture texture;
  Upload(texture, c.x_col, false, 1);
  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  MaskState mask;
  mask.fill_order = FillOrder::ColumnMajor;
  mask.filled_count = 363 * 1500 + 100;
  mask.focus_column = 1500;
  const ImRect area(60.5f, 100.25f, 1860, 700);  // fractional on purpose
  ZoomView view;
  view.follow_fit = false;
  view.cell_w = view.cell_h = 13.0f;
  view.first = {1460.3, 20.6};
  auto draw = [&] {
    SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
    DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style, "x_col");
  };
  const Image offscreen = Harness::Get().Frame(draw);
  Harness::Get().SetTarget(Harness::Target::Window);
  ASSERT_TRUE(Harness::Get().ok()) << Harness::Get().error();
  const Image window = Harness::Get().Frame(draw);
  Harness::Get().SetTarget(Harness::Target::Offscreen);
  EXPECT_TRUE(gpu_test::WritePng(ScreenshotPath("xcol_window_framebuffer.png"), window));
  int differing = 0;
  for (int y = 90; y < 710; ++y) {
    for (int x = 50; x < 1870; ++x) {
      if (offscreen.At(x, y) != window.At(x, y)) ++differing;
    }
  }
  EXPECT_EQ(differing, 0);
  // And it is the picture, not the clear colour: a filled cell has its colour.
  const ImRect box = CellRect(view, 30, 1480, area);
  EXPECT_LE(ColourDistance(window.At(static_cast<int>(box.Min.x) + 4, static_cast<int>(box.Min.y) + 4),
                           CellFillColour(texture, mask, style, {30, 1480})),
            kTolerance);
}

TEST_F(GpuMatrixTest, PaddingCellsAreGreyWithHatching) {
  Scenario sc;
  sc.shape.channels = 1;
  sc.shape.height = 6;
  sc.shape.width = 6;
  sc.shape.kernel = {3, 3};
  sc.shape.padding = {1, 1};
  const Computation c = Compute(sc);
  ASSERT_EQ(c.x_col.rows(), 9);
  ASSERT_EQ(c.x_col.cols(), 36);
  const std::vector<std::uint8_t> padding = XColPaddingMask(c);
  // Independent count: windows at (oy, ox) over a 6x6 image padded by 1, 3x3 kernel.
  int expected_padding = 0;
  for (int oy = 0; oy < 6; ++oy)
    for (int ox = 0; ox < 6; ++ox)
      for (int ky = 0; ky < 3; ++ky)
        for (int kx = 0; kx < 3; ++kx) {
          const int y = oy - 1 + ky, x = ox - 1 + kx;
          if (y < 0 || y >= 6 || x < 0 || x >= 6) ++expected_padding;
        }
  EXPECT_EQ(std::count(padding.begin(), padding.end(), 1), expected_padding);
  ASSERT_EQ(padding[0], 1) << "X_col(0, 0) reads y = -1: padding";
  ASSERT_EQ(padding[4 * 36 + 7], 0) << "the kernel centre is always inside the image";

  MatrixTexture texture;
  Upload(texture, c.x_col, false, 1, &padding);
  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  const MaskState mask;  // everything filled
  ZoomView view;
  const ImRect area(60, 100, 1860, 1000);
  const Image image = Harness::Get().Frame([&] {
    SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
    DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style, "x_col");
  });
  EXPECT_TRUE(gpu_test::WritePng(ScreenshotPath("xcol_padding.png"), image));
  ASSERT_EQ(view.cell_w, 50.0f);

  // A corner strip of cell (0, 0): only padding grey and hatch lines, and both.
  const ImRect pad_box = CellRect(view, 0, 0, area);
  int grey = 0, hatch = 0, other = 0;
  for (int y = static_cast<int>(pad_box.Min.y) + 2; y < static_cast<int>(pad_box.Min.y) + 12; ++y) {
    for (int x = static_cast<int>(pad_box.Min.x) + 2; x < static_cast<int>(pad_box.Max.x) - 4; ++x) {
      const ImU32 got = image.At(x, y);
      if (ColourDistance(got, p.padding) <= kTolerance) ++grey;
      else if (ColourDistance(got, p.padding_hatch) <= kTolerance) ++hatch;
      else ++other;
    }
  }
  EXPECT_EQ(other, 0);
  EXPECT_GT(grey, 100);
  EXPECT_GT(hatch, 20);
  // An image cell has no hatching: its strip is the tint of its value.
  const ImRect value_box = CellRect(view, 4, 7, area);
  const ImU32 fill = CellFillColour(texture, mask, style, {4, 7});
  EXPECT_GT(ColourDistance(fill, p.padding), 10) << "a value cell must not look like padding";
  EXPECT_EQ(CountDifferent(image, ImVec2(value_box.Min.x + 2, value_box.Min.y + 2),
                           ImVec2(value_box.Max.x - 4, value_box.Min.y + 12), fill, kTolerance),
            0);
}

TEST_F(GpuMatrixTest, RowsLayoutDrawsTheTransposeWithCanonicalMasks) {
  Scenario sc;  // the chapter's 4x4x3 example: X_col 12 x 9
  sc.layout = Layout::Rows;
  const Computation c = Compute(sc);
  MatrixTexture texture;
  Upload(texture, c.x_col, /*transposed=*/true, 1);
  ASSERT_EQ(texture.display_rows(), 9);
  ASSERT_EQ(texture.display_cols(), 12);
  EXPECT_EQ(texture.Canonical({2, 5}), (Cell{5, 2}));
  EXPECT_EQ(texture.Displayed(Cell{5, 2}), (CellRef{2, 5}));

  MaskState mask;
  mask.fill_order = FillOrder::ColumnMajor;
  mask.filled_count = 4 * 12 + 6;  // canonical columns 0..3 full, column 4 rows 0..5
  mask.focus_column = 4;
  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  ZoomView view;
  const ImRect area(100, 100, 1300, 1000);
  const Image image = Harness::Get().Frame([&] {
    SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
    DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style, "x_row");
  });
  EXPECT_TRUE(gpu_test::WritePng(ScreenshotPath("xrow_transposed.png"), image));

  // Canonical column 4 is displayed row 4: its left edge is orange, display column 4's top is not.
  const ImRect row4 = CellRect(view, 4, 0, area);
  EXPECT_LE(ColourDistance(image.At(static_cast<int>(row4.Min.x) + 1, static_cast<int>(row4.GetCenter().y)), p.focus),
            kTolerance);
  const ImRect col4_top = CellRect(view, 0, 4, area);
  EXPECT_GT(ColourDistance(image.At(static_cast<int>(col4_top.GetCenter().x), static_cast<int>(col4_top.Min.y) + 1), p.focus),
            40);
  // Displayed row 4 (canonical column 4): columns 0..5 filled, 6..11 empty.
  for (Index col = 0; col < 12; ++col) {
    const ImRect box = CellRect(view, 6, col, area);  // row 6 = canonical column 6: not filled at all
    EXPECT_LE(ColourDistance(image.At(static_cast<int>(box.Min.x) + 5, static_cast<int>(box.Min.y) + 5), style.empty),
              kTolerance);
    const ImRect box4 = CellRect(view, 4, col, area);
    const ImU32 got = image.At(static_cast<int>(box4.Min.x) + 6, static_cast<int>(box4.Min.y) + 6);
    const ImU32 expected = CellFillColour(texture, mask, style, {4, col});
    EXPECT_LE(ColourDistance(got, expected), kTolerance) << "col " << col << " " << Hex(got) << " vs " << Hex(expected);
    EXPECT_EQ(ColourDistance(expected, style.empty) <= kTolerance, col >= 6) << "col " << col;
  }
}

TEST_F(GpuMatrixTest, HeatModeUsesCividisAndLeavesZeroCountsEmpty) {
  Matrix counts(3, 4);
  for (int i = 0; i < 12; ++i) counts(i / 4, i % 4) = i;  // 0 .. 11
  MatrixTexture texture;
  Upload(texture, counts, false, 1);
  const MatrixStyle style = MatrixStyle::Heat();
  const MaskState mask;
  ZoomView view;
  const ImRect area(100, 100, 900, 700);
  const Image image = Harness::Get().Frame([&] {
    SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
    DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style);
  });
  EXPECT_TRUE(gpu_test::WritePng(ScreenshotPath("heat.png"), image));
  for (Index i = 0; i < 12; ++i) {
    const ImRect box = CellRect(view, i / 4, i % 4, area);
    const ImU32 got = image.At(static_cast<int>(box.Min.x) + 5, static_cast<int>(box.Min.y) + 5);
    const ImU32 expected = i == 0 ? style.empty : CividisColor(static_cast<float>(i - 1) / 10.0f);
    EXPECT_LE(ColourDistance(got, expected), 3) << "count " << i << ": " << Hex(got) << " vs " << Hex(expected);
  }
}

TEST_F(GpuMatrixTest, UploadHappensOncePerKeyAndReuploadReplacesValues) {
  Matrix m = Matrix::Constant(4, 5, 3.0);
  MatrixTexture texture;
  EXPECT_TRUE(texture.NeedsUpload(1));
  Upload(texture, m, false, 1);
  EXPECT_FALSE(texture.NeedsUpload(1));
  EXPECT_TRUE(texture.NeedsUpload(2));
  const unsigned int id = texture.gl_texture();
  m(1, 2) = -6.0;  // now the max |value|: every 3 becomes a half tint
  Upload(texture, m, false, 2);
  EXPECT_EQ(texture.gl_texture(), id) << "same size: the texture is updated in place";
  EXPECT_EQ(texture.max_abs(), 6.0);

  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.weights_tint, p.weights);
  ZoomView view;
  const ImRect area(100, 100, 600, 500);
  const Image image = Harness::Get().Frame([&] {
    SyncZoomView(view, area, 4, 5);
    DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, MaskState{}, style);
  });
  const ImRect strong = CellRect(view, 1, 2, area), half = CellRect(view, 0, 0, area);
  EXPECT_LE(ColourDistance(image.At(static_cast<int>(strong.Min.x) + 4, static_cast<int>(strong.Min.y) + 4), p.weights),
            kTolerance);
  EXPECT_LE(ColourDistance(image.At(static_cast<int>(half.Min.x) + 4, static_cast<int>(half.Min.y) + 4),
                           CellFillColour(texture, MaskState{}, style, {0, 0})),
            kTolerance);

  std::string error;
  MatrixUpload empty;
  EXPECT_FALSE(texture.Upload(Harness::Get().gpu(), empty, &error));
  EXPECT_NE(error.find("nothing to upload"), std::string::npos) << error;
  EXPECT_FALSE(texture.NeedsUpload(2)) << "a failed upload keeps the previous content";
}

TEST_F(GpuMatrixTest, LayoutRecordingListsVisibleCellsOnlyWhenTheyAreBigEnough) {
  const Computation& c = AlexNet();
  MatrixTexture texture;
  Upload(texture, c.x_col, false, 1);
  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  const ImRect area(60, 100, 1000, 500);
  ZoomView zoomed;
  zoomed.follow_fit = false;
  zoomed.cell_w = zoomed.cell_h = 40.0f;
  zoomed.first = {10.0, 20.0};
  BeginLayoutRecording();
  Harness::Get().Frame(
      [&] {
        SyncZoomView(zoomed, area, texture.display_rows(), texture.display_cols());
        DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, zoomed, area, MaskState{}, style, "x_col");
      },
      {}, false);
  const std::vector<LayoutItem> items = EndLayoutRecording();
  std::map<std::string, LayoutItem> by_id;
  for (const LayoutItem& item : items) by_id[item.id] = item;
  EXPECT_EQ(items.size(), static_cast<size_t>(24 * 10)) << "940 x 400 px of 40 px cells";
  ASSERT_TRUE(by_id.count("x_col[20,10]"));
  EXPECT_FLOAT_EQ(by_id["x_col[20,10]"].x, 60.0f);
  EXPECT_FLOAT_EQ(by_id["x_col[20,10]"].y, 100.0f);
  EXPECT_FLOAT_EQ(by_id["x_col[21,12]"].x, 140.0f);
  EXPECT_FLOAT_EQ(by_id["x_col[21,12]"].w, 40.0f);
  EXPECT_FALSE(by_id.count("x_col[19,10]"));

  ZoomView fit;
  BeginLayoutRecording();
  Harness::Get().Frame(
      [&] {
        SyncZoomView(fit, area, texture.display_rows(), texture.display_cols());
        DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, fit, area, MaskState{}, style, "x_col");
      },
      {}, false);
  EXPECT_TRUE(EndLayoutRecording().empty()) << "sub-pixel cells are not listed one by one";
}

TEST_F(GpuMatrixTest, ShaderErrorsNameTheFile) {
  const char* frag = EmbeddedShader("matrix.frag");
  ASSERT_NE(frag, nullptr);
  EXPECT_NE(std::string(frag).find("u_filled_count"), std::string::npos);
  EXPECT_EQ(EmbeddedShader("no_such.frag"), nullptr);

  ShaderProgram program;
  std::string error;
  EXPECT_FALSE(program.Build("no_such.vert", "matrix.frag", &error));
  EXPECT_NE(error.find("no_such.vert"), std::string::npos) << error;
  EXPECT_FALSE(program.BuildFromSource("fine.vert", EmbeddedShader("matrix.vert"), "broken.frag",
                                       "#version 330 core\nout vec4 c;\nvoid main() { c = undeclared; }\n", &error));
  EXPECT_NE(error.find("broken.frag"), std::string::npos) << error;
  EXPECT_FALSE(program.valid());

  ASSERT_TRUE(program.Build("matrix.vert", "matrix.frag", &error)) << error;
  std::vector<std::string> missing;
  EXPECT_GE(program.Locate("u_cell_size", &missing), 0);
  EXPECT_TRUE(missing.empty());
  EXPECT_LT(program.Locate("u_cell_sise", &missing), 0);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("matrix.frag"), std::string::npos) << missing[0];
  EXPECT_NE(missing[0].find("u_cell_sise"), std::string::npos) << missing[0];
}

TEST_F(GpuMatrixTest, WithoutAGlRendererUploadFailsCleanlyAndDrawingShowsAPlaceholder) {
  ASSERT_TRUE(GpuMatrixDrawingAvailable());
  ImGuiContext* app_context = ImGui::GetCurrentContext();
  ImGuiContext* headless = ImGui::CreateContext();  // like a smoke test with no backend
  ImGui::SetCurrentContext(headless);
  EXPECT_FALSE(GpuMatrixDrawingAvailable());
  MatrixTexture texture;
  std::string error;
  const Matrix m = Matrix::Constant(3, 4, 1.0);
  EXPECT_FALSE(texture.Upload(Harness::Get().gpu(), MatrixUpload::FromMatrix(m, false, 1), &error));
  EXPECT_NE(error.find("no OpenGL context"), std::string::npos) << error;
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // write no imgui.ini
  io.DisplaySize = ImVec2(800, 600);
  io.DeltaTime = 1.0f / 60.0f;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);  // a sized window is drawn on its first frame
  ImGui::Begin("stage", nullptr, ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoDecoration);
  ZoomView view;
  const MatrixViewResult r = DrawZoomableMatrix(Harness::Get().gpu(), "headless", texture, view, ImRect(10, 10, 400, 300), MaskState{},
                                                MatrixStyle::Tinted(IM_COL32(200, 220, 240, 255), IM_COL32(0, 114, 178, 255)));
  EXPECT_FALSE(r.hovered);
  ImGui::End();
  ImGui::Render();
  EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 20) << "the placeholder (a box and its message) is drawn";
  ImGui::DestroyContext(headless);
  ImGui::SetCurrentContext(app_context);
  EXPECT_TRUE(GpuMatrixDrawingAvailable());
}

TEST_F(GpuMatrixTest, PicturesAreRenderedOnlyWhenTheViewOrTheMaskChanges) {
  const Computation& c = AlexNet();
  MatrixTexture texture;
  Upload(texture, c.x_col, false, 1);
  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  const ImRect area(60, 100, 1860, 600);
  ZoomView view;
  MaskState mask;
  mask.fill_order = FillOrder::ColumnMajor;
  mask.filled_count = 5000;
  auto frame = [&] {
    const long long before = MatrixPicturesRendered(Harness::Get().gpu());
    Harness::Get().Frame(
        [&] {
          SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
          DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style);
        },
        {}, false);
    return MatrixPicturesRendered(Harness::Get().gpu()) - before;
  };
  EXPECT_EQ(frame(), 1) << "first frame renders the picture";
  EXPECT_EQ(frame(), 0) << "nothing changed";
  mask.hover_cell = Cell{3, 4};
  mask.focus_column = 7;
  EXPECT_EQ(frame(), 0) << "outlines are drawn over the picture";
  const long long partial_before = MatrixPicturesRenderedInPart(Harness::Get().gpu());
  mask.filled_count += 1;
  EXPECT_EQ(frame(), 1) << "one more cell filled";
  EXPECT_EQ(MatrixPicturesRenderedInPart(Harness::Get().gpu()) - partial_before, 1) << "only that cell is redrawn";
  view.follow_fit = false;
  view.cell_w = view.cell_h = 3.0f;
  EXPECT_EQ(frame(), 1) << "zoomed";
  EXPECT_EQ(frame(), 0);
  Upload(texture, c.x_col, false, 2);
  EXPECT_EQ(frame(), 1) << "new values";
}

TEST_F(GpuMatrixTest, RedrawingOnlyTheCellsAStepChangedGivesTheSamePixelsAsAFullRender) {
  const Computation& c = AlexNet();
  const Palette& p = ActivePalette();
  const MatrixStyle style = MatrixStyle::Tinted(p.input_tint, p.input);
  const ImRect area(60, 100, 1860, 1000);
  for (const FillOrder order : {FillOrder::ColumnMajor, FillOrder::RowMajor}) {
    for (const bool transposed : {false, true}) {
      MatrixTexture texture;
      Upload(texture, c.x_col, transposed, 1);
      ZoomView view;
      view.follow_fit = false;
      view.cell_w = view.cell_h = 5.0f;  // cells visible, grid lines off
      view.first = {7.5, 3.25};
      MaskState mask;
      mask.fill_order = order;
      auto draw = [&](Index filled, float alpha, bool read_back) {
        mask.filled_count = filled;
        mask.newest_alpha = alpha;
        return Harness::Get().Frame(
            [&] {
              SyncZoomView(view, area, texture.display_rows(), texture.display_cols());
              DrawMatrixTexture(Harness::Get().gpu(), ImGui::GetWindowDrawList(), texture, view, area, mask, style);
            },
            {}, read_back);
      };
      // Counts whose changing cells are on screen (rows 3..183 and columns 7..367 displayed).
      const Index base = order == FillOrder::ColumnMajor ? 10 * 363 + 20 : 8 * 3025 + 20;
      const Index jump = order == FillOrder::ColumnMajor ? 1500 : 2 * 3025;
      draw(base, 1.0f, false);
      const long long partial_before = MatrixPicturesRenderedInPart(Harness::Get().gpu());
      // Steps forward, a half-faded newest cell, a jump across rows / columns, a step back.
      for (const auto& [filled, alpha] : {std::pair{base + 1, 1.0f}, std::pair{base + 2, 0.5f},
                                           std::pair{base + jump, 1.0f}, std::pair{base + jump - 400, 0.25f}}) {
        draw(filled, alpha, false);
      }
      EXPECT_EQ(MatrixPicturesRenderedInPart(Harness::Get().gpu()) - partial_before, 4);
      const Image stepped = draw(base + jump - 400, 0.25f, true);
      Upload(texture, c.x_col, transposed, 2);  // new serial: a full render of the same state
      const Image fresh = draw(base + jump - 400, 0.25f, true);
      int differing = 0;
      for (int y = static_cast<int>(area.Min.y); y < static_cast<int>(area.Max.y); ++y) {
        for (int x = static_cast<int>(area.Min.x); x < static_cast<int>(area.Max.x); ++x) {
          if (stepped.At(x, y) != fresh.At(x, y)) ++differing;
        }
      }
      EXPECT_EQ(differing, 0) << "order " << static_cast<int>(order) << " transposed " << transposed;
    }
  }
}

}  // namespace
}  // namespace im2col::gui
