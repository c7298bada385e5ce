// Hover linking (app/gui/hover.cpp), the hover badge's words and place (hover_badge.cpp)
// and number formatting (grid_view.cpp): which cells light up when the pointer is over
// one, checked against the chapter's numbers.
#include <gtest/gtest.h>

#include <algorithm>

#include "gui/stage/grid_view.h"
#include "gui/stage/hover_badge.h"
#include "gui/state/hover.h"
#include "im2col/convolution.h"

namespace im2col::gui {
namespace {

using Kind = HoverTarget::Kind;

Computation Chapter() { return Compute(Scenario{}); }  // 4x4x3, K2 S1 P0 F1

Scenario Padded() {
  Scenario sc;
  sc.shape.channels = 1;
  sc.shape.height = 3;
  sc.shape.width = 3;
  sc.shape.kernel = {3, 3};
  sc.shape.padding = {1, 1};
  return sc;
}

bool HasCell(const std::vector<Cell>& cells, Index r, Index j) {
  return std::any_of(cells.begin(), cells.end(), [&](const Cell& c) { return c.r == r && c.j == j; });
}

TEST(HoverLinks, CentrePixelIsCopiedIntoFourXColCells) {
  const Computation c = Chapter();
  // x[0,0,1,1] = 6 sits in four 2x2 windows: (oy,ox) = (0,0),(0,1),(1,0),(1,1).
  const HoverLinks links = LinksOf(c, HoverTarget::Tensor(Kind::InputPixel, 0, 0, 1, 1));
  EXPECT_EQ(links.copy_count, 4);
  ASSERT_EQ(links.x_col_cells.size(), 4u);
  // Row-major: window (0,0) takes it at (ky,kx)=(1,1) -> r=3, column j=0; window (1,1) at (0,0) -> r=0, j=4.
  EXPECT_TRUE(HasCell(links.x_col_cells, 3, 0));
  EXPECT_TRUE(HasCell(links.x_col_cells, 0, 4));
  for (const Cell& cell : links.x_col_cells) EXPECT_DOUBLE_EQ(c.x_col(cell.r, cell.j), 6.0);
  EXPECT_TRUE(links.InputLinked(0, 0, 1, 1));
  EXPECT_FALSE(links.InputLinked(0, 1, 1, 1));
  EXPECT_TRUE(links.XColLinked(3, 0));
  EXPECT_FALSE(links.XColLinked(3, 1));
}

TEST(HoverLinks, CornerPixelIsCopiedOnce) {
  const HoverLinks links = LinksOf(Chapter(), HoverTarget::Tensor(Kind::InputPixel, 0, 2, 0, 0));
  EXPECT_EQ(links.copy_count, 1);
  ASSERT_EQ(links.x_col_cells.size(), 1u);
  EXPECT_EQ(links.x_col_cells[0].r, 8);  // (c,ky,kx) = (2,0,0)
  EXPECT_EQ(links.x_col_cells[0].j, 0);
}

TEST(HoverLinks, XColCellLinksItsSourcePixelAndWholePatch) {
  const Computation c = Chapter();
  // X_col[5,4]: row 5 = (c,ky,kx) (1,0,1), column 4 = patch (oy,ox) (1,1): x[0,1,1,2] = 23.
  const HoverLinks links = LinksOf(c, HoverTarget::Matrix(Kind::XColCell, 5, 4));
  ASSERT_TRUE(links.source.has_value());
  EXPECT_EQ(links.source->c, 1);
  EXPECT_EQ(links.source->y, 1);
  EXPECT_EQ(links.source->x, 2);
  EXPECT_TRUE(links.source->in_image);
  EXPECT_DOUBLE_EQ(c.input(0, 1, 1, 2), c.x_col(5, 4));
  EXPECT_EQ(links.input_coords.size(), 12u);  // the receptive field over all three channels
  EXPECT_TRUE(links.InputLinked(0, 0, 2, 2));
  EXPECT_FALSE(links.InputLinked(0, 0, 0, 0));
  ASSERT_TRUE(links.column.has_value());
  EXPECT_EQ(*links.column, 4);
}

TEST(HoverLinks, OutputCellLinksColumnFilterAndWindow) {
  const HoverLinks links = LinksOf(Chapter(), HoverTarget::Tensor(Kind::OutputCell, 0, 0, 2, 1));
  ASSERT_TRUE(links.column && links.filter && links.output);
  EXPECT_EQ(*links.column, 7);  // (oy,ox) = (2,1) -> l = 2*3 + 1
  EXPECT_EQ(*links.filter, 0);
  EXPECT_TRUE(links.YLinked(0, 7));
  EXPECT_FALSE(links.YLinked(0, 6));
  EXPECT_TRUE(links.WRowLinked(0, 11));  // the whole row of W_row takes part
  EXPECT_TRUE(links.InputLinked(0, 2, 3, 2));
  EXPECT_FALSE(links.InputLinked(0, 2, 0, 0));
  EXPECT_TRUE(links.OutputLinked(0, 0, 2, 1));
}

TEST(HoverLinks, WRowCellAndWeightLinkEachOther) {
  const HoverLinks from_row = LinksOf(Chapter(), HoverTarget::Matrix(Kind::WRowCell, 0, 6));
  ASSERT_TRUE(from_row.weight.has_value());  // r = 6 -> (c,ky,kx) = (1,1,0)
  EXPECT_EQ(from_row.weight->c, 1);
  EXPECT_EQ(from_row.weight->y, 1);
  EXPECT_EQ(from_row.weight->x, 0);
  EXPECT_TRUE(from_row.XColLinked(6, 3));  // row 6 of X_col is what this weight multiplies
  const HoverLinks from_weight = LinksOf(Chapter(), HoverTarget::Tensor(Kind::WeightCell, 0, 1, 1, 0));
  ASSERT_TRUE(from_weight.w_row_cell.has_value());
  EXPECT_EQ(from_weight.w_row_cell->j, 6);
  EXPECT_TRUE(from_weight.WRowLinked(0, 6));
  EXPECT_FALSE(from_weight.WRowLinked(0, 5));
}

TEST(HoverLinks, PaddingPositionIsNeverCopied) {
  const Computation c = Compute(Padded());
  const HoverLinks links = LinksOf(c, HoverTarget::Tensor(Kind::InputPixel, 0, 0, -1, -1));
  EXPECT_EQ(links.copy_count, 0);
  EXPECT_TRUE(links.x_col_cells.empty());
  EXPECT_TRUE(links.InputLinked(0, 0, -1, -1));  // the hovered cell itself is still outlined
  // The centre pixel of a 3x3 input with a padded 3x3 kernel is in all nine windows.
  EXPECT_EQ(LinksOf(c, HoverTarget::Tensor(Kind::InputPixel, 0, 0, 1, 1)).copy_count, 9);
}

TEST(HoverLinks, OutOfRangeTargetsLinkNothing) {
  const Computation c = Chapter();
  EXPECT_TRUE(LinksOf(c, HoverTarget{}).Empty());
  EXPECT_TRUE(LinksOf(c, HoverTarget::Tensor(Kind::InputPixel, 0, 3, 0, 0)).Empty());   // no channel 3
  EXPECT_TRUE(LinksOf(c, HoverTarget::Tensor(Kind::InputPixel, 0, 0, -1, 0)).Empty());  // no padding here
  EXPECT_TRUE(LinksOf(c, HoverTarget::Matrix(Kind::XColCell, 12, 0)).Empty());
  EXPECT_TRUE(LinksOf(c, HoverTarget::Matrix(Kind::YCell, 0, 9)).Empty());
  EXPECT_TRUE(LinksOf(c, HoverTarget::Tensor(Kind::WeightCell, 1, 0, 0, 0)).Empty());
}

TEST(HoverDescribe, NamesCellsAsDisplayed) {
  Scenario rows;
  rows.layout = Layout::Rows;
  const Computation c = Compute(rows);
  EXPECT_EQ(Describe(c, HoverTarget::Matrix(Kind::XColCell, 5, 4)), "X_row[4,5]");
  EXPECT_EQ(Describe(c, HoverTarget::Matrix(Kind::WRowCell, 0, 6)), "W_row[0,6]");
  EXPECT_EQ(Describe(Chapter(), HoverTarget::Matrix(Kind::XColCell, 5, 4)), "X_col[5,4]");
  EXPECT_EQ(Describe(Chapter(), HoverTarget::Tensor(Kind::InputPixel, 0, 1, 2, 3)), "x[0,1,2,3]");
  EXPECT_EQ(Describe(Chapter(), HoverTarget{}), "");
}

TEST(HoverBadge, SaysTheCellItsValueAndItsCopies) {
  using stage::HoverBadgeText;
  const Computation c = Chapter();
  EXPECT_EQ(HoverBadgeText(c, HoverTarget::Tensor(Kind::InputPixel, 0, 0, 1, 1)), "x[0,0,1,1] = 6  \u2192 4 X_col cells");
  EXPECT_EQ(HoverBadgeText(c, HoverTarget::Tensor(Kind::InputPixel, 0, 2, 0, 0)), "x[0,2,0,0] = 33  \u2192 1 X_col cell");
  EXPECT_EQ(HoverBadgeText(c, HoverTarget::Matrix(Kind::XColCell, 5, 4)), "X_col[5,4] = 23");
  // Not an integer: the cells' own format (at most three decimals).
  Scenario halves;
  halves.weights.values.assign(12, 0.125);  // 1 filter of 3 x 2 x 2
  const Computation h = Compute(halves);
  EXPECT_EQ(HoverBadgeText(h, HoverTarget::Matrix(Kind::WRowCell, 0, 2)), "W_row[0,2] = " + FormatNumber(0.125));
  EXPECT_EQ(FormatNumber(0.125), "0.125");
  // Padding, and a pixel a stride skips.
  EXPECT_EQ(HoverBadgeText(Compute(Padded()), HoverTarget::Tensor(Kind::InputPixel, 0, 0, -1, -1)),
            "x[0,0,-1,-1] = 0  (padding zero)");
  Scenario skipping;
  skipping.shape.channels = 1;
  skipping.shape.height = skipping.shape.width = 5;
  skipping.shape.stride = {2, 2};
  skipping.shape.kernel = {2, 2};  // windows at 0 and 2: row and column 4 are never read
  EXPECT_EQ(HoverBadgeText(Compute(skipping), HoverTarget::Tensor(Kind::InputPixel, 0, 0, 4, 4)),
            "x[0,0,4,4] = " + FormatNumber(Compute(skipping).input(0, 0, 4, 4)) + "  \u2192 no X_col cells");
}

TEST(HoverBadge, ValueOfIsTheFinishedComputationsValue) {
  const Computation c = Chapter();
  EXPECT_EQ(ValueOf(c, HoverTarget::Matrix(Kind::YCell, 0, 7)), c.y_mat(0, 7));
  EXPECT_EQ(ValueOf(c, HoverTarget::Tensor(Kind::GradInputPixel, 0, 1, 2, 3)), c.grad_input(0, 1, 2, 3));
  EXPECT_FALSE(ValueOf(c, HoverTarget::Matrix(Kind::XColCell, 12, 0)));
  EXPECT_FALSE(ValueOf(c, HoverTarget{}));
}

bool Overlaps(const stage::Rect& a, const stage::Rect& b) {
  return a.first.x < b.second.x && b.first.x < a.second.x && a.first.y < b.second.y && b.first.y < a.second.y;
}

TEST(HoverBadge, SitsBesideTheCellInsideTheStageAndOffTheLinkedCells) {
  using stage::PlaceBadge;
  using stage::Rect;
  const Rect clip{{0, 0}, {800, 600}};
  const ImVec2 size(200, 30);
  auto box = [&](ImVec2 at) { return Rect{at, ImVec2(at.x + size.x, at.y + size.y)}; };
  // Room everywhere: above-right of the cell, a gap away.
  const Rect cell{{300, 300}, {340, 330}};
  EXPECT_FLOAT_EQ(PlaceBadge(size, cell, {}, clip, 8).x, 348.0f);
  EXPECT_FLOAT_EQ(PlaceBadge(size, cell, {}, clip, 8).y, 262.0f);
  // The linked cells are above-right: below-right instead.
  const Rect linked{{360, 250}, {400, 290}};
  const ImVec2 below = PlaceBadge(size, cell, {linked}, clip, 8);
  EXPECT_FALSE(Overlaps(box(below), linked));
  EXPECT_FALSE(Overlaps(box(below), cell));
  // In the top-right corner of the stage: moved inside, still off the cell.
  const Rect corner{{760, 0}, {800, 30}};
  const ImVec2 at = PlaceBadge(size, corner, {}, clip, 8);
  EXPECT_GE(at.x, 0.0f);
  EXPECT_LE(at.x + size.x, 800.0f);
  EXPECT_GE(at.y, 0.0f);
  EXPECT_FALSE(Overlaps(box(at), corner));
  // Linked cells all around: the place covering least of them, never the cell.
  const std::vector<Rect> ring = {{{0, 0}, {800, 290}}, {{0, 340}, {800, 600}}, {{0, 290}, {290, 340}}};
  EXPECT_FALSE(Overlaps(box(PlaceBadge(size, cell, ring, clip, 8)), cell));
}

TEST(FormatNumber, IntegersAsIntegersElseThreeDecimals) {
  EXPECT_EQ(FormatNumber(2372.0), "2372");
  EXPECT_EQ(FormatNumber(-4.0), "-4");
  EXPECT_EQ(FormatNumber(0.0), "0");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatNumber(0.5), "0.5");
  EXPECT_EQ(FormatNumber(1.23456), "1.235");
  EXPECT_EQ(FormatNumber(-2.1), "-2.1");
  EXPECT_EQ(FormatNumber(0.0001), "1.0e-04");  // tiny but not zero stays visibly non-zero
  EXPECT_EQ(FormatNumber(1e12), "1000000000000");
}

}  // namespace
}  // namespace im2col::gui
