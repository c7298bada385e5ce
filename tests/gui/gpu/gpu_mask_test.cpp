// What a matrix picture shows besides its values, computed on the CPU: padded planes
// and overlap counts as grids, hover links as dashed rows, columns and cells, and the
// timeline's fill and focus per phase (gpu/matrix_mask.h, state/matrix_packing.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "gui/gpu/matrix_mask.h"
#include "gui/state/hover.h"
#include "gui/state/matrix_packing.h"
#include "im2col/convolution.h"
#include "im2col/timeline.h"

namespace im2col::gui {
namespace {

TEST(GpuMaskTest, PaddedPlanesAndCountsBecomeRowMajorGrids) {
  Tensor4 input(2, 3, 2, 3);
  for (size_t i = 0; i < input.data.size(); ++i) input.data[i] = static_cast<double>(i + 1);
  PlaneBuffers buffers;
  const MatrixUpload plane = PaddedPlaneUpload(input, 1, 2, Pair{1, 2}, 9, &buffers);
  ASSERT_EQ(plane.rows, 4);  // 2 + 2*1
  ASSERT_EQ(plane.cols, 7);  // 3 + 2*2
  EXPECT_EQ(plane.key, 9u);
  EXPECT_EQ(plane.padding[0], 1);
  EXPECT_EQ(plane.values[0], 0.0);
  EXPECT_EQ(plane.padding[1 * 7 + 2], 0) << "pixel (0, 0) sits at (PH, PW)";
  EXPECT_EQ(plane.values[1 * 7 + 2], input(1, 2, 0, 0));
  EXPECT_EQ(plane.values[2 * 7 + 4], input(1, 2, 1, 2));
  EXPECT_EQ(plane.padding[2 * 7 + 5], 1);
  EXPECT_EQ(std::count(buffers.padding.begin(), buffers.padding.end(), 0), 6);

  Eigen::MatrixXi overlap(2, 3);
  overlap << 1, 2, 3, 4, 5, 6;
  const MatrixUpload counts = CountsUpload(overlap, 4, &buffers);
  ASSERT_EQ(counts.rows, 2);
  ASSERT_EQ(counts.cols, 3);
  EXPECT_EQ(counts.values[1], 2.0) << "row-major, whatever Eigen's storage";
  EXPECT_EQ(counts.values[3], 4.0);
  EXPECT_EQ(counts.padding, nullptr);
}

TEST(GpuMaskTest, HoverLinksBecomeDashedRowsColumnsAndCells) {
  HoverLinks links;
  links.column = 7;
  links.patch_row = 3;
  links.filter = 1;
  links.w_row_cell = Cell{1, 3};
  links.x_col_cells = {Cell{0, 1}, Cell{2, 5}};
  MaskState x;
  AddHoverLinks(x, MatrixId::XCol, links);
  EXPECT_EQ(x.hover_column, std::optional<Index>(7));
  EXPECT_EQ(x.hover_row, std::optional<Index>(3));
  ASSERT_EQ(x.linked_cells.size(), 2u);
  EXPECT_EQ(x.linked_cells[1], (Cell{2, 5}));
  MaskState w;
  AddHoverLinks(w, MatrixId::WRow, links);
  EXPECT_EQ(w.hover_row, std::optional<Index>(1));
  EXPECT_EQ(w.hover_column, std::optional<Index>(3)) << "row r of X_col is column r of W_row";
  EXPECT_EQ(w.hover_cell, (std::optional<Cell>(Cell{1, 3})));
  MaskState y;
  AddHoverLinks(y, MatrixId::YMat, links);
  EXPECT_EQ(y.hover_row, std::optional<Index>(1));
  EXPECT_EQ(y.hover_column, std::optional<Index>(7));
  EXPECT_TRUE(y.linked_cells.empty());
}

TEST(GpuMaskTest, MaskForFollowsTheTimelinePhases) {
  Scenario sc;  // 4x4x3, K2: R = 12, NL = 9, F = 1
  const Computation c = Compute(sc);
  const Timeline t(c.shape);
  const FrameState extract = StateAt(c, t, 12 * 3 + 5);  // column 3, row 5
  const MaskState x = MaskFor(MatrixId::XCol, extract, c.shape);
  EXPECT_EQ(x.fill_order, FillOrder::ColumnMajor);
  EXPECT_EQ(x.filled_count, 12 * 3 + 6);
  EXPECT_EQ(x.focus_cell, (std::optional<Cell>(Cell{5, 3})));
  EXPECT_EQ(x.focus_column, std::optional<Index>(3));
  const MaskState y_during_extract = MaskFor(MatrixId::YMat, extract, c.shape);
  EXPECT_EQ(y_during_extract.filled_count, 0);
  EXPECT_FALSE(y_during_extract.focus_cell);

  const FrameState multiply = StateAt(c, t, t.PhaseBegin(Phase::Multiply) + 4);  // Y(0, 4)
  const MaskState y = MaskFor(MatrixId::YMat, multiply, c.shape);
  EXPECT_EQ(y.fill_order, FillOrder::RowMajor);
  EXPECT_EQ(y.filled_count, 5);
  EXPECT_EQ(y.focus_cell, (std::optional<Cell>(Cell{0, 4})));
  EXPECT_EQ(MaskFor(MatrixId::XCol, multiply, c.shape).focus_column, std::optional<Index>(4));
  EXPECT_EQ(MaskFor(MatrixId::WRow, multiply, c.shape).focus_row, std::optional<Index>(0));
  EXPECT_EQ(MaskFor(MatrixId::XCol, multiply, c.shape).filled_count, 12 * 9);

  const FrameState col2im = StateAt(c, t, t.PhaseBegin(Phase::Col2im) + 2);
  const MaskState dx = MaskFor(MatrixId::GradXCol, col2im, c.shape);
  EXPECT_EQ(dx.filled_count, 12 * 9);
  EXPECT_EQ(dx.focus_column, std::optional<Index>(2));
}

}  // namespace
}  // namespace im2col::gui
