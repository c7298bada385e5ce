// The im2col / col2im kernels and the direct loops (core/src/im2col.cpp), in double
// and float, against the independent reference in naive_reference.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "im2col/im2col.h"
#include "naive_reference.h"

namespace {

using im2col::Index;
using im2col::Matrix;
using im2col::Order;
using im2col::RowMatrix;
using im2col::Shape;

constexpr Order kOrders[] = {Order::RowMajor, Order::ColumnMajor};
const char* Name(Order o) { return o == Order::RowMajor ? "row-major" : "column-major"; }

template <typename T>
std::vector<T> Cast(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

template <typename T>
RowMatrix<T> ToMatrix(const std::vector<double>& flat, Index rows, Index cols) {
  RowMatrix<T> m(rows, cols);
  for (Index r = 0; r < rows; ++r)
    for (Index c = 0; c < cols; ++c) m(r, c) = static_cast<T>(flat[static_cast<size_t>(r * cols + c)]);
  return m;
}

Shape ThreeByThree() {
  Shape s;
  s.channels = 1;
  s.height = s.width = 3;
  s.kernel = {2, 2};
  return s;
}

// [SECTION] The chapter's small example, value by value

TEST(Im2ColTest, ThreeByThreeRampRowMajor) {
  const Shape s = ThreeByThree();
  const std::vector<double> ramp = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  Matrix x_col;
  im2col::Im2Col(ramp.data(), s, Order::RowMajor, x_col);
  ASSERT_EQ(x_col.rows(), 4);
  ASSERT_EQ(x_col.cols(), 4);
  // Column l = oy*2 + ox holds the patch read row by row.
  const double columns[4][4] = {{1, 2, 4, 5}, {2, 3, 5, 6}, {4, 5, 7, 8}, {5, 6, 8, 9}};
  for (int j = 0; j < 4; ++j)
    for (int r = 0; r < 4; ++r) EXPECT_EQ(x_col(r, j), columns[j][r]) << "r=" << r << " j=" << j;
}

TEST(Im2ColTest, ThreeByThreeRampColumnMajorIsMatlabSliding) {
  // MATLAB: A = [1 2 3; 4 5 6; 7 8 9]; im2col(A, [2 2], 'sliding')
  //   = [1 4 2 5; 4 7 5 8; 2 5 3 6; 5 8 6 9]  (rows), i.e. columns below.
  const Shape s = ThreeByThree();
  const std::vector<double> ramp = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  Matrix x_col;
  im2col::Im2Col(ramp.data(), s, Order::ColumnMajor, x_col);
  ASSERT_EQ(x_col.rows(), 4);
  ASSERT_EQ(x_col.cols(), 4);
  const double columns[4][4] = {{1, 4, 2, 5}, {4, 7, 5, 8}, {2, 5, 3, 6}, {5, 8, 6, 9}};
  for (int j = 0; j < 4; ++j)
    for (int r = 0; r < 4; ++r) EXPECT_EQ(x_col(r, j), columns[j][r]) << "r=" << r << " j=" << j;
}

TEST(Im2ColTest, ChapterFourByFourByThreeIsTwelveByNine) {
  const Shape s;  // 4x4x3, K2 S1 P0
  std::vector<double> ramp(48);
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i + 1);
  for (Order o : kOrders) {
    Matrix x_col;
    im2col::Im2Col(ramp.data(), s, o, x_col);
    ASSERT_EQ(x_col.rows(), 12);
    ASSERT_EQ(x_col.cols(), 9);
    EXPECT_TRUE(naive::SameValues(Name(o), naive::XCol(s, o, ramp), naive::Flatten(x_col)));
  }
  Matrix x_col;
  im2col::Im2Col(ramp.data(), s, Order::RowMajor, x_col);
  // First column is the top-left 2x2 of each channel: 1 2 5 6 | 17 18 21 22 | 33 34 37 38.
  const double first[12] = {1, 2, 5, 6, 17, 18, 21, 22, 33, 34, 37, 38};
  for (int r = 0; r < 12; ++r) EXPECT_EQ(x_col(r, 0), first[r]) << "r=" << r;
}

TEST(Im2ColTest, PaddingCellsAreZero) {
  Shape s = ThreeByThree();
  s.padding = {1, 1};
  const std::vector<double> ones(9, 1.0);
  Matrix x_col;
  im2col::Im2Col(ones.data(), s, Order::RowMajor, x_col);
  ASSERT_EQ(x_col.rows(), 4);
  ASSERT_EQ(x_col.cols(), 16);  // HO = WO = 4
  // Window (0,0) covers padded rows/cols -1..0: only (ky,kx) = (1,1) is inside.
  EXPECT_EQ(x_col(0, 0), 0.0);
  EXPECT_EQ(x_col(1, 0), 0.0);
  EXPECT_EQ(x_col(2, 0), 0.0);
  EXPECT_EQ(x_col(3, 0), 1.0);
  EXPECT_DOUBLE_EQ(x_col.sum(), 4.0 * 9.0);  // every pixel copied overlap = 4 times (stride 1, K 2, pad 1)
}

// [SECTION] Property sweep: kernels vs the reference, double and float

class Im2ColSweep : public ::testing::TestWithParam<Order> {};

TEST_P(Im2ColSweep, KernelsMatchReferenceOnRandomShapes) {
  const Order o = GetParam();
  std::mt19937_64 rng(o == Order::RowMajor ? 101 : 202);
  for (const Shape& s : naive::ValidRandomShapes(500, 1234)) {
    SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
    const Index R = naive::R(s), NL = naive::NL(s);
    const auto input = naive::RandomIntegers(rng, Index{s.batch} * s.channels * s.height * s.width);
    const auto weights = naive::RandomIntegers(rng, s.filters * R);
    const auto bias = naive::RandomIntegers(rng, s.filters);
    const auto dy = naive::RandomIntegers(rng, Index{s.batch} * s.filters * naive::L(s));
    const auto cols = naive::RandomIntegers(rng, R * NL);

    const auto expected_x_col = naive::XCol(s, o, input);
    Matrix x_col(1, 1);  // wrong size on purpose: Im2Col resizes
    im2col::Im2Col(input.data(), s, o, x_col);
    ASSERT_EQ(x_col.rows(), R);
    ASSERT_EQ(x_col.cols(), NL);
    EXPECT_TRUE(naive::SameValues("Im2Col<double>", expected_x_col, naive::Flatten(x_col)));
    const auto input_f = Cast<float>(input);
    RowMatrix<float> x_col_f;
    im2col::Im2Col(input_f.data(), s, o, x_col_f);
    EXPECT_TRUE(naive::SameValues("Im2Col<float>", expected_x_col, naive::Flatten(x_col_f)));

    const auto expected_col2im = naive::Col2Im(s, o, cols, NL);
    std::vector<double> grad_input(input.size(), 777.0);  // Col2Im overwrites
    im2col::Col2Im(ToMatrix<double>(cols, R, NL), s, o, grad_input.data());
    EXPECT_TRUE(naive::SameValues("Col2Im<double>", expected_col2im.summed, grad_input));
    std::vector<float> grad_input_f(input.size(), 777.0f);
    im2col::Col2Im(ToMatrix<float>(cols, R, NL), s, o, grad_input_f.data());
    EXPECT_TRUE(naive::SameValues("Col2Im<float>", expected_col2im.summed, grad_input_f));
    std::vector<double> overwritten(input.size(), 777.0);
    im2col::Col2ImOverwrite(ToMatrix<double>(cols, R, NL), s, o, overwritten.data());
    EXPECT_TRUE(naive::SameValues("Col2ImOverwrite", expected_col2im.overwritten, overwritten));

    const auto overlap = im2col::OverlapCounts(s);
    ASSERT_EQ(overlap.rows(), s.height);
    ASSERT_EQ(overlap.cols(), s.width);
    std::vector<int> overlap_flat;
    for (int y = 0; y < s.height; ++y)
      for (int x = 0; x < s.width; ++x) overlap_flat.push_back(overlap(y, x));
    EXPECT_TRUE(naive::SameValues("OverlapCounts", naive::Overlap(s), overlap_flat));

    // The direct loops (order-independent, so only once per shape).
    if (o == Order::RowMajor) {
      const auto expected_out = naive::Forward(s, input, weights, bias);
      std::vector<double> out(expected_out.size(), 777.0);
      im2col::DirectConvolution(input.data(), weights.data(), bias.data(), s, out.data());
      EXPECT_TRUE(naive::SameValues("DirectConvolution<double>", expected_out, out));
      const auto weights_f = Cast<float>(weights), bias_f = Cast<float>(bias), dy_f = Cast<float>(dy);
      std::vector<float> out_f(expected_out.size(), 777.0f);
      im2col::DirectConvolution(input_f.data(), weights_f.data(), bias_f.data(), s, out_f.data());
      EXPECT_TRUE(naive::SameValues("DirectConvolution<float>", expected_out, out_f));

      const auto g = naive::Backward(s, input, weights, dy);
      std::vector<double> gx(g.input.size(), 777.0), gw(g.weights.size(), 777.0), gb(g.bias.size(), 777.0);
      im2col::DirectConvolutionBackward(input.data(), weights.data(), dy.data(), s, gx.data(), gw.data(), gb.data());
      EXPECT_TRUE(naive::SameValues("DirectConvolutionBackward dX", g.input, gx));
      EXPECT_TRUE(naive::SameValues("DirectConvolutionBackward dW", g.weights, gw));
      EXPECT_TRUE(naive::SameValues("DirectConvolutionBackward db", g.bias, gb));
      std::vector<float> gxf(g.input.size(), 777.0f), gwf(g.weights.size(), 777.0f), gbf(g.bias.size(), 777.0f);
      im2col::DirectConvolutionBackward(input_f.data(), weights_f.data(), dy_f.data(), s, gxf.data(), gwf.data(),
                                        gbf.data());
      EXPECT_TRUE(naive::SameValues("DirectConvolutionBackward<float> dX", g.input, gxf));
      EXPECT_TRUE(naive::SameValues("DirectConvolutionBackward<float> dW", g.weights, gwf));
      EXPECT_TRUE(naive::SameValues("DirectConvolutionBackward<float> db", g.bias, gbf));
    }
    if (HasFailure()) return;  // the first failing shape is the useful report
  }
}

INSTANTIATE_TEST_SUITE_P(BothOrders, Im2ColSweep, ::testing::Values(Order::RowMajor, Order::ColumnMajor),
                         [](const ::testing::TestParamInfo<Order>& info) {
                           return info.param == Order::RowMajor ? std::string("RowMajor")
                                                                : std::string("ColumnMajor");
                         });

// [SECTION] Adjointness and overlap

TEST(Im2ColTest, Col2ImIsTheAdjointOfIm2Col) {
  std::mt19937_64 rng(31337);
  for (const Shape& s : naive::ValidRandomShapes(200, 4321))
    for (Order o : kOrders) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      const Index R = naive::R(s), NL = naive::NL(s);
      const auto x = naive::RandomIntegers(rng, Index{s.batch} * s.channels * s.height * s.width);
      const auto y = naive::RandomIntegers(rng, R * NL);
      Matrix x_col;
      im2col::Im2Col(x.data(), s, o, x_col);
      const Matrix y_mat = ToMatrix<double>(y, R, NL);
      std::vector<double> back(x.size());
      im2col::Col2Im(y_mat, s, o, back.data());
      const double lhs = x_col.cwiseProduct(y_mat).sum();  // <im2col(x), y>
      double rhs = 0.0;                                      // <x, col2im(y)>
      for (size_t i = 0; i < x.size(); ++i) rhs += x[i] * back[i];
      ASSERT_EQ(lhs, rhs);  // integers: exact
    }
}

TEST(Im2ColTest, OverlapIsCol2ImOfOnes) {
  for (const Shape& s : naive::ValidRandomShapes(200, 8765))
    for (Order o : kOrders) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      const Matrix ones = Matrix::Ones(naive::R(s), naive::NL(s));
      std::vector<double> counts(static_cast<size_t>(Index{s.batch} * s.channels * s.height * s.width));
      im2col::Col2Im(ones, s, o, counts.data());
      const auto overlap = im2col::OverlapCounts(s);
      const auto expected = naive::Overlap(s);
      for (int n = 0; n < s.batch; ++n)
        for (int c = 0; c < s.channels; ++c)
          for (int y = 0; y < s.height; ++y)
            for (int x = 0; x < s.width; ++x) {
              const double got = counts[static_cast<size_t>(naive::InputAt(s, n, c, y, x))];
              ASSERT_EQ(got, overlap(y, x)) << "n=" << n << " c=" << c << " y=" << y << " x=" << x;
              ASSERT_EQ(got, expected[static_cast<size_t>(y * s.width + x)]);
            }
    }
}

TEST(Im2ColTest, OverlapOfTheChapterExample) {
  const auto overlap = im2col::OverlapCounts(Shape{});  // 4x4, K2, S1
  const int expected[4][4] = {{1, 2, 2, 1}, {2, 4, 4, 2}, {2, 4, 4, 2}, {1, 2, 2, 1}};
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) EXPECT_EQ(overlap(y, x), expected[y][x]) << "y=" << y << " x=" << x;
}

TEST(Im2ColTest, PaddingCellsAreTheCellsOutsideTheImage) {
  for (const Order o : kOrders) {
    for (const Shape& s : naive::ValidRandomShapes(200, 99)) {
      SCOPED_TRACE(naive::Describe(s) + " " + Name(o));
      std::vector<std::uint8_t> expected(static_cast<size_t>(naive::R(s) * naive::NL(s)), 7);  // every cell written
      naive::ForEachCell(s, o, [&](int, int, int, int, int, int, Index r, Index j, int, int, bool inside) {
        expected[static_cast<size_t>(r * naive::NL(s) + j)] = inside ? 0 : 1;
      });
      const std::vector<std::uint8_t> padding = im2col::PaddingCells(s, o);
      ASSERT_EQ(padding.size(), expected.size());
      EXPECT_TRUE(padding == expected);
      if (HasFailure()) return;
    }
  }
}

TEST(Im2ColTest, OverwriteKeepsTheLastWriteInTimelineOrder) {
  // 1 channel 3x3, K2, S1: pixel (1,1) is copied by all four columns; the last
  // column (j = 3) writes it from row r = 0 (ky = kx = 0).
  const Shape s = ThreeByThree();
  Matrix cols(4, 4);
  for (int r = 0; r < 4; ++r)
    for (int j = 0; j < 4; ++j) cols(r, j) = 10 * j + r + 1;  // cell (r, j) holds 10j + r + 1
  std::vector<double> out(9, -1.0);
  im2col::Col2ImOverwrite(cols, s, Order::RowMajor, out.data());
  EXPECT_EQ(out[4], 31.0);  // (1,1) last written by (r=0, j=3)
  EXPECT_EQ(out[0], 1.0);   // (0,0) only by (0, 0)
  EXPECT_EQ(out[8], 34.0);  // (2,2) only by (3, 3)
  std::vector<double> summed(9);
  im2col::Col2Im(cols, s, Order::RowMajor, summed.data());
  EXPECT_EQ(summed[4], 4.0 + 13.0 + 22.0 + 31.0);
}

}  // namespace
