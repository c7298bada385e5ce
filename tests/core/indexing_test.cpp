// Flattening of (c, ky, kx) and (n, oy, ox), source pixels, copies and windows
// (core/src/indexing.cpp), checked against the DESIGN "Orders" formulas.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "im2col/im2col.h"
#include "im2col/indexing.h"
#include "naive_reference.h"

namespace {

using im2col::Cell;
using im2col::Index;
using im2col::Layout;
using im2col::Order;
using im2col::PatchIndex;
using im2col::PatchOffset;
using im2col::Pixel;
using im2col::Shape;

constexpr Order kOrders[] = {Order::RowMajor, Order::ColumnMajor};

const char* Name(Order o) { return o == Order::RowMajor ? "row-major" : "column-major"; }

// A mix of the random sweep and a few hand-picked awkward shapes.
std::vector<Shape> TestShapes(int random_count) {
  std::vector<Shape> shapes = naive::ValidRandomShapes(random_count, 99);
  Shape s;
  shapes.push_back(s);  // the chapter's 4x4x3
  s.channels = 1;
  s.height = s.width = 3;
  shapes.push_back(s);  // 3x3 with 2x2
  s.batch = 2;
  s.channels = 2;
  s.height = 5;
  s.width = 7;
  s.kernel = {3, 2};
  s.stride = {2, 3};
  s.padding = {1, 2};
  s.dilation = {2, 1};
  shapes.push_back(s);
  return shapes;
}

// [SECTION] Names

TEST(IndexingTest, LayoutAndOrderNamesRoundTrip) {
  EXPECT_EQ(im2col::ToString(Layout::Columns), "columns");
  EXPECT_EQ(im2col::ToString(Layout::Rows), "rows");
  EXPECT_EQ(im2col::ToString(Order::RowMajor), "row-major");
  EXPECT_EQ(im2col::ToString(Order::ColumnMajor), "column-major");
  EXPECT_EQ(im2col::ParseLayout("columns"), Layout::Columns);
  EXPECT_EQ(im2col::ParseLayout("rows"), Layout::Rows);
  EXPECT_EQ(im2col::ParseOrder("row-major"), Order::RowMajor);
  EXPECT_EQ(im2col::ParseOrder("column-major"), Order::ColumnMajor);
  EXPECT_FALSE(im2col::ParseLayout("diagonal").has_value());
  EXPECT_FALSE(im2col::ParseLayout("").has_value());
  EXPECT_FALSE(im2col::ParseOrder("sideways").has_value());
  EXPECT_FALSE(im2col::ParseOrder("").has_value());
}

// [SECTION] Rows and columns against the formulas, and round trips

TEST(IndexingTest, RowOfMatchesFormulaAndRoundTrips) {
  for (const Shape& s : TestShapes(300))
    for (Order o : kOrders) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      std::set<Index> seen;
      for (int c = 0; c < s.channels; ++c)
        for (int ky = 0; ky < s.kernel.h; ++ky)
          for (int kx = 0; kx < s.kernel.w; ++kx) {
            const PatchOffset p{c, ky, kx};
            const Index r = im2col::RowOf(s, o, p);
            ASSERT_EQ(r, naive::Row(s, o, c, ky, kx)) << "(c,ky,kx)=(" << c << "," << ky << "," << kx << ")";
            ASSERT_EQ(im2col::PatchOffsetOf(s, o, r), p) << "r=" << r;
            seen.insert(r);
          }
      ASSERT_EQ(static_cast<Index>(seen.size()), naive::R(s));  // a bijection onto [0, R)
      for (Index r = 0; r < naive::R(s); ++r) ASSERT_EQ(im2col::RowOf(s, o, im2col::PatchOffsetOf(s, o, r)), r);
    }
}

TEST(IndexingTest, ColumnOfMatchesFormulaAndRoundTrips) {
  for (const Shape& s : TestShapes(300))
    for (Order o : kOrders) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      std::set<Index> seen;
      for (int n = 0; n < s.batch; ++n)
        for (int oy = 0; oy < naive::HO(s); ++oy)
          for (int ox = 0; ox < naive::WO(s); ++ox) {
            const PatchIndex p{n, oy, ox};
            const Index j = im2col::ColumnOf(s, o, p);
            ASSERT_EQ(j, naive::Col(s, o, n, oy, ox)) << "(n,oy,ox)=(" << n << "," << oy << "," << ox << ")";
            ASSERT_EQ(im2col::PatchIndexOf(s, o, j), p) << "j=" << j;
            seen.insert(j);
          }
      ASSERT_EQ(static_cast<Index>(seen.size()), naive::NL(s));
      for (Index j = 0; j < naive::NL(s); ++j)
        ASSERT_EQ(im2col::ColumnOf(s, o, im2col::PatchIndexOf(s, o, j)), j);
    }
}

TEST(IndexingTest, ExplicitIndicesForTheChapterExample) {
  const Shape s;  // C3, K2, HO = WO = 3
  // row-major: r = (c*KH + ky)*KW + kx ; column-major: r = (c*KW + kx)*KH + ky
  EXPECT_EQ(im2col::RowOf(s, Order::RowMajor, {1, 0, 1}), 5);
  EXPECT_EQ(im2col::RowOf(s, Order::ColumnMajor, {1, 0, 1}), 6);
  EXPECT_EQ(im2col::RowOf(s, Order::RowMajor, {2, 1, 0}), 10);
  EXPECT_EQ(im2col::RowOf(s, Order::ColumnMajor, {2, 1, 0}), 9);
  // l = oy*WO + ox vs ox*HO + oy
  EXPECT_EQ(im2col::ColumnOf(s, Order::RowMajor, {0, 0, 2}), 2);
  EXPECT_EQ(im2col::ColumnOf(s, Order::ColumnMajor, {0, 0, 2}), 6);
  Shape batched = s;
  batched.batch = 2;
  EXPECT_EQ(im2col::ColumnOf(batched, Order::RowMajor, {1, 0, 2}), 11);
  EXPECT_EQ(im2col::ColumnOf(batched, Order::ColumnMajor, {1, 0, 2}), 15);
}

TEST(IndexingTest, RowAndColumnLabels) {
  const Shape s;
  EXPECT_EQ(im2col::RowLabel(s, Order::RowMajor, 5), "(1,0,1)");
  EXPECT_EQ(im2col::RowLabel(s, Order::ColumnMajor, 5), "(1,1,0)");
  EXPECT_EQ(im2col::ColumnLabel(s, Order::RowMajor, 5), "(0,1,2)");
  EXPECT_EQ(im2col::ColumnLabel(s, Order::ColumnMajor, 5), "(0,2,1)");
}

// [SECTION] Source pixels

TEST(IndexingTest, SourceOfEveryCellMatchesFormula) {
  for (const Shape& s : TestShapes(200))
    for (Order o : kOrders) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      naive::ForEachCell(s, o, [&](int n, int c, int, int, int, int, Index r, Index j, int y, int x, bool inside) {
        if (HasFatalFailure()) return;  // one report per shape is enough
        const auto src = im2col::SourceOf(s, o, r, j);
        ASSERT_EQ(src.n, n);
        ASSERT_EQ(src.c, c);
        ASSERT_EQ(src.y, y) << "r=" << r << " j=" << j;
        ASSERT_EQ(src.x, x) << "r=" << r << " j=" << j;
        ASSERT_EQ(src.in_image, inside);
        const auto pixel = im2col::SourcePixel(s, o, r, j);
        ASSERT_EQ(pixel.has_value(), inside) << "r=" << r << " j=" << j;
        if (inside) {
          ASSERT_EQ(*pixel, (Pixel{n, c, y, x}));
        }
      });
      if (HasFatalFailure()) return;
    }
}

TEST(IndexingTest, WindowOfEveryColumn) {
  for (const Shape& s : TestShapes(200))
    for (Order o : kOrders) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      for (int n = 0; n < s.batch; ++n)
        for (int oy = 0; oy < naive::HO(s); ++oy)
          for (int ox = 0; ox < naive::WO(s); ++ox) {
            const auto w = im2col::WindowOf(s, o, naive::Col(s, o, n, oy, ox));
            ASSERT_EQ(w.n, n);
            ASSERT_EQ(w.oy, oy);
            ASSERT_EQ(w.ox, ox);
            ASSERT_EQ(w.top, oy * s.stride.h - s.padding.h);
            ASSERT_EQ(w.left, ox * s.stride.w - s.padding.w);
          }
    }
}

// [SECTION] Copies of a pixel

TEST(IndexingTest, CopiesOfIsExactlyTheCellsThatSourceThePixel) {
  for (const Shape& s : TestShapes(150))
    for (Order o : kOrders) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      // Expected: every cell whose (formula) source is the pixel, ordered by column then row.
      std::map<Index, std::vector<std::pair<Index, Index>>> by_pixel;  // pixel -> (j, r)
      naive::ForEachCell(s, o, [&](int n, int c, int, int, int, int, Index r, Index j, int y, int x, bool inside) {
        if (inside) by_pixel[naive::InputAt(s, n, c, y, x)].push_back({j, r});
      });
      const auto overlap = naive::Overlap(s);
      for (int n = 0; n < s.batch; ++n)
        for (int c = 0; c < s.channels; ++c)
          for (int y = 0; y < s.height; ++y)
            for (int x = 0; x < s.width; ++x) {
              auto expected = by_pixel[naive::InputAt(s, n, c, y, x)];
              std::sort(expected.begin(), expected.end());
              const auto copies = im2col::CopiesOf(s, o, Pixel{n, c, y, x});
              ASSERT_EQ(copies.size(), expected.size()) << "pixel " << n << "," << c << "," << y << "," << x;
              ASSERT_EQ(static_cast<int>(copies.size()), overlap[static_cast<size_t>(y * s.width + x)]);
              for (size_t k = 0; k < copies.size(); ++k)
                ASSERT_EQ(copies[k], (Cell{expected[k].second, expected[k].first}))
                    << "copy #" << k << " of pixel " << n << "," << c << "," << y << "," << x;
            }
    }
}

TEST(IndexingTest, CopiesOfAgreesWithOverlapCounts) {
  Shape s;
  s.batch = 2;
  s.channels = 2;
  s.height = 6;
  s.width = 5;
  s.kernel = {3, 2};
  s.padding = {1, 1};
  s.stride = {1, 2};
  const Eigen::MatrixXi overlap = im2col::OverlapCounts(s);
  ASSERT_EQ(overlap.rows(), s.height);
  ASSERT_EQ(overlap.cols(), s.width);
  for (Order o : kOrders)
    for (int y = 0; y < s.height; ++y)
      for (int x = 0; x < s.width; ++x)
        EXPECT_EQ(static_cast<int>(im2col::CopiesOf(s, o, Pixel{1, 1, y, x}).size()), overlap(y, x));
  // Centre pixel of a 3x2 window sweeping with stride 1x2 is copied K_h * (covering x windows) times.
  EXPECT_EQ(overlap(2, 2), 3 * 1);
}

}  // namespace
