// The whole forward and backward computation (core/src/convolution.cpp): every
// matrix against direct loops for a sweep of shapes x layouts x orders, finite
// differences, and the chapter's worked numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/fast_conv.h"
#include "naive_reference.h"

namespace {

using im2col::Computation;
using im2col::Fill;
using im2col::Index;
using im2col::Layout;
using im2col::Matrix;
using im2col::MatrixId;
using im2col::Order;
using im2col::Scenario;
using im2col::Shape;

constexpr MatrixId kMatrices[] = {MatrixId::XCol,     MatrixId::WRow,     MatrixId::YMat,
                                  MatrixId::GradXCol, MatrixId::GradWRow, MatrixId::DyMat};

std::vector<double> Transpose(const std::vector<double>& flat, Index rows, Index cols) {
  std::vector<double> t(flat.size());
  for (Index r = 0; r < rows; ++r)
    for (Index c = 0; c < cols; ++c) t[static_cast<size_t>(c * rows + r)] = flat[static_cast<size_t>(r * cols + c)];
  return t;
}

std::vector<double> ToDoubles(const Eigen::MatrixXi& m) {  // row by row
  std::vector<double> v;
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) v.push_back(m(r, c));
  return v;
}

// Independent expectations for one scenario with explicit values.
struct Expected {
  std::vector<double> x_col, w_row, y_mat, output, dy_mat, grad_w_row, grad_x_col;
  naive::Gradients grads;
  naive::Col2ImResult col2im;
  std::vector<int> overlap;
};

Expected Reference(const Scenario& sc) {
  const Shape& s = sc.shape;
  const Order o = sc.order;
  Expected e;
  e.x_col = naive::XCol(s, o, sc.input.values);
  e.w_row = naive::WRow(s, o, sc.weights.values);
  e.output = naive::Forward(s, sc.input.values, sc.weights.values, sc.bias.values);
  e.y_mat = naive::MapsToMatrix(s, o, e.output);
  e.dy_mat = naive::MapsToMatrix(s, o, sc.grad_output.values);
  e.grads = naive::Backward(s, sc.input.values, sc.weights.values, sc.grad_output.values);
  e.grad_w_row = naive::WRow(s, o, e.grads.weights);
  e.grad_x_col = naive::GradXCol(s, e.w_row, e.dy_mat);
  e.col2im = naive::Col2Im(s, o, e.grad_x_col, naive::NL(s));
  e.overlap = naive::Overlap(s);
  return e;
}

Scenario WithRandomIntegers(const Shape& s, Layout layout, Order order, std::mt19937_64& rng) {
  Scenario sc;
  sc.title = "sweep";
  sc.shape = s;
  sc.layout = layout;
  sc.order = order;
  sc.input.values = naive::RandomIntegers(rng, Index{s.batch} * s.channels * s.height * s.width);
  sc.weights.values = naive::RandomIntegers(rng, s.filters * naive::R(s));
  sc.bias.values = naive::RandomIntegers(rng, s.filters);
  sc.grad_output.values = naive::RandomIntegers(rng, Index{s.batch} * s.filters * naive::L(s));
  return sc;
}

// Checks every field of `c` against the reference (ASSERTs stop at a wrong matrix size).
void CheckComputation(const Scenario& sc, const Computation& c) {
  const Shape& s = sc.shape;
  const Index R = naive::R(s), NL = naive::NL(s);
  const Expected e = Reference(sc);
  EXPECT_EQ(c.scenario, sc);
  EXPECT_EQ(c.shape, s);
  EXPECT_EQ(c.input.data, sc.input.values);
  EXPECT_EQ((std::vector<int>{c.input.n, c.input.c, c.input.h, c.input.w}),
            (std::vector<int>{s.batch, s.channels, s.height, s.width}));
  EXPECT_EQ(c.weights.data, sc.weights.values);
  EXPECT_EQ((std::vector<int>{c.weights.n, c.weights.c, c.weights.h, c.weights.w}),
            (std::vector<int>{s.filters, s.channels, s.kernel.h, s.kernel.w}));
  EXPECT_EQ(c.bias, sc.bias.values);
  EXPECT_EQ(c.grad_output.data, sc.grad_output.values);
  EXPECT_EQ((std::vector<int>{c.grad_output.n, c.grad_output.c, c.grad_output.h, c.grad_output.w}),
            (std::vector<int>{s.batch, s.filters, naive::HO(s), naive::WO(s)}));

  ASSERT_EQ(c.x_col.rows(), R);
  ASSERT_EQ(c.x_col.cols(), NL);
  EXPECT_TRUE(naive::SameValues("x_col", e.x_col, naive::Flatten(c.x_col)));
  ASSERT_EQ(c.w_row.rows(), s.filters);
  ASSERT_EQ(c.w_row.cols(), R);
  EXPECT_TRUE(naive::SameValues("w_row", e.w_row, naive::Flatten(c.w_row)));
  ASSERT_EQ(c.y_mat.rows(), s.filters);
  ASSERT_EQ(c.y_mat.cols(), NL);
  EXPECT_TRUE(naive::SameValues("y_mat", e.y_mat, naive::Flatten(c.y_mat)));
  EXPECT_TRUE(naive::SameValues("output", e.output, c.output.data));
  EXPECT_EQ((std::vector<int>{c.output.n, c.output.c, c.output.h, c.output.w}),
            (std::vector<int>{s.batch, s.filters, naive::HO(s), naive::WO(s)}));

  ASSERT_EQ(c.dy_mat.rows(), s.filters);
  ASSERT_EQ(c.dy_mat.cols(), NL);
  EXPECT_TRUE(naive::SameValues("dy_mat", e.dy_mat, naive::Flatten(c.dy_mat)));
  ASSERT_EQ(c.grad_w_row.rows(), s.filters);
  ASSERT_EQ(c.grad_w_row.cols(), R);
  EXPECT_TRUE(naive::SameValues("grad_w_row", e.grad_w_row, naive::Flatten(c.grad_w_row)));
  EXPECT_TRUE(naive::SameValues("grad_weights", e.grads.weights, c.grad_weights.data));
  EXPECT_EQ((std::vector<int>{c.grad_weights.n, c.grad_weights.c, c.grad_weights.h, c.grad_weights.w}),
            (std::vector<int>{s.filters, s.channels, s.kernel.h, s.kernel.w}));
  EXPECT_TRUE(naive::SameValues("grad_bias", e.grads.bias, c.grad_bias));
  ASSERT_EQ(c.grad_x_col.rows(), R);
  ASSERT_EQ(c.grad_x_col.cols(), NL);
  EXPECT_TRUE(naive::SameValues("grad_x_col", e.grad_x_col, naive::Flatten(c.grad_x_col)));
  EXPECT_TRUE(naive::SameValues("grad_input (vs direct loops)", e.grads.input, c.grad_input.data));
  EXPECT_TRUE(naive::SameValues("grad_input (vs col2im)", e.col2im.summed, c.grad_input.data));
  EXPECT_EQ((std::vector<int>{c.grad_input.n, c.grad_input.c, c.grad_input.h, c.grad_input.w}),
            (std::vector<int>{s.batch, s.channels, s.height, s.width}));
  EXPECT_TRUE(naive::SameValues("grad_input_overwrite", e.col2im.overwritten, c.grad_input_overwrite.data));
  ASSERT_EQ(c.overlap.rows(), s.height);
  ASSERT_EQ(c.overlap.cols(), s.width);
  EXPECT_TRUE(naive::SameValues("overlap", std::vector<double>(e.overlap.begin(), e.overlap.end()),
                                ToDoubles(c.overlap)));
  int max_overlap = 0;
  for (int v : e.overlap) max_overlap = std::max(max_overlap, v);
  EXPECT_EQ(c.PatchesOverlap(), max_overlap > 1);

  // What the user sees: rows layout transposes everything but the weight matrices.
  const std::pair<MatrixId, std::tuple<const std::vector<double>*, Index, Index>> displayed[] = {
      {MatrixId::XCol, {&e.x_col, R, NL}},           {MatrixId::WRow, {&e.w_row, s.filters, R}},
      {MatrixId::YMat, {&e.y_mat, s.filters, NL}},   {MatrixId::GradXCol, {&e.grad_x_col, R, NL}},
      {MatrixId::GradWRow, {&e.grad_w_row, s.filters, R}}, {MatrixId::DyMat, {&e.dy_mat, s.filters, NL}}};
  for (const auto& [id, spec] : displayed) {
    const auto& [values, rows, cols] = spec;
    const bool transposed = sc.layout == Layout::Rows && id != MatrixId::WRow && id != MatrixId::GradWRow;
    EXPECT_EQ(im2col::IsTransposedInLayout(id, sc.layout), transposed) << im2col::ToString(id);
    const Matrix shown = im2col::DisplayMatrix(c, id);
    ASSERT_EQ(shown.rows(), transposed ? cols : rows) << im2col::ToString(id);
    ASSERT_EQ(shown.cols(), transposed ? rows : cols) << im2col::ToString(id);
    EXPECT_TRUE(naive::SameValues("DisplayMatrix " + im2col::ToString(id),
                                  transposed ? Transpose(*values, rows, cols) : *values, naive::Flatten(shown)));
    EXPECT_TRUE(naive::SameValues("CanonicalMatrix " + im2col::ToString(id), *values,
                                  naive::Flatten(im2col::CanonicalMatrix(c, id))));
  }
}

// [SECTION] Property sweep: 500 random valid shapes x both layouts x both orders

class ComputeSweep : public ::testing::TestWithParam<std::tuple<Layout, Order>> {};

TEST_P(ComputeSweep, EveryMatrixMatchesDirectLoops) {
  const auto [layout, order] = GetParam();
  std::mt19937_64 rng(5150 + 2 * static_cast<int>(layout) + static_cast<int>(order));
  for (const Shape& s : naive::ValidRandomShapes(500, 2718)) {
    SCOPED_TRACE(naive::Describe(s) + " layout " + im2col::ToString(layout) + " order " + im2col::ToString(order));
    const Scenario sc = WithRandomIntegers(s, layout, order, rng);
    ASSERT_TRUE(sc.Validate().empty());
    CheckComputation(sc, im2col::Compute(sc));
    if (HasFailure()) return;  // the first failing shape is the useful report
  }
}

INSTANTIATE_TEST_SUITE_P(
    LayoutsAndOrders, ComputeSweep,
    ::testing::Combine(::testing::Values(Layout::Columns, Layout::Rows),
                       ::testing::Values(Order::RowMajor, Order::ColumnMajor)),
    [](const ::testing::TestParamInfo<std::tuple<Layout, Order>>& info) {
      return std::string(std::get<0>(info.param) == Layout::Columns ? "Columns" : "Rows") +
             (std::get<1>(info.param) == Order::RowMajor ? "RowMajor" : "ColumnMajor");
    });

// [SECTION] Threads: the work split over a pool gives the same numbers

// Shapes whose products (and im2col) are large enough to be split into parts.
std::vector<Shape> SplitShapes() {
  std::vector<Shape> shapes;
  Shape a;  // two images, same-size padding
  a.batch = 2;
  a.channels = 3;
  a.height = 40;
  a.width = 36;
  a.filters = 8;
  a.kernel = {3, 3};
  a.padding = {1, 1};
  shapes.push_back(a);
  Shape b;  // rectangular kernel, stride, padding and dilation per axis
  b.channels = 2;
  b.height = 96;
  b.width = 48;
  b.filters = 5;
  b.kernel = {5, 3};
  b.stride = {2, 1};
  b.padding = {2, 1};
  b.dilation = {1, 2};
  shapes.push_back(b);
  Shape c;  // more patch rows than filters, stride above the kernel (no overlap)
  c.channels = 4;
  c.height = c.width = 150;
  c.filters = 3;
  c.kernel = {4, 4};
  c.stride = {5, 5};
  c.padding = {3, 3};
  shapes.push_back(c);
  return shapes;
}

TEST(ConvolutionTest, ThreadsSplitTheWorkWithoutChangingAResult) {
  std::mt19937_64 rng(31337);
  for (const Shape& s : SplitShapes()) {
    for (const Layout layout : {Layout::Columns, Layout::Rows}) {
      for (const Order order : {Order::RowMajor, Order::ColumnMajor}) {
        SCOPED_TRACE(naive::Describe(s) + " layout " + im2col::ToString(layout) + " order " + im2col::ToString(order));
        // Worth splitting: more than twice the smallest part (fast_conv.h).
        ASSERT_GE(naive::R(s) * naive::NL(s) * s.filters, 2 * im2col::kDefaultMinWorkPerThread);
        const Scenario sc = WithRandomIntegers(s, layout, order, rng);
        ASSERT_TRUE(sc.Validate().empty());
        for (const int threads : {2, 3}) {
          SCOPED_TRACE("threads " + std::to_string(threads));
          CheckComputation(sc, im2col::Compute(sc, threads));
          if (HasFailure()) return;
        }
      }
    }
  }
}

TEST(ConvolutionTest, TheBackwardHalvesComputeTheirOwnFieldsInTurn) {
  Scenario sc;
  sc.input.fill = sc.weights.fill = sc.grad_output.fill = Fill::Random;
  sc.shape.padding = {1, 1};
  const Computation whole = im2col::Compute(sc);
  Computation c = im2col::ComputeForward(sc);
  EXPECT_THROW(im2col::ComputeInputGradients(c), std::invalid_argument) << "needs the weight half's dY_mat";
  im2col::ComputeWeightGradients(c);
  EXPECT_TRUE(c.grad_w_row == whole.grad_w_row);
  EXPECT_EQ(c.grad_bias, whole.grad_bias);
  EXPECT_EQ(c.grad_weights.data, whole.grad_weights.data);
  EXPECT_EQ(c.grad_x_col.size(), 0) << "the input half's fields wait for it";
  EXPECT_TRUE(c.grad_input.data.empty());
  im2col::ComputeInputGradients(c);
  EXPECT_TRUE(c.grad_x_col == whole.grad_x_col);
  EXPECT_EQ(c.grad_input.data, whole.grad_input.data);
  EXPECT_EQ(c.grad_input_overwrite.data, whole.grad_input_overwrite.data);
  EXPECT_TRUE(c.overlap == whole.overlap);
  Computation foreign = im2col::ComputeForward(sc);
  foreign.x_col.resize(1, 1);
  EXPECT_THROW(im2col::ComputeWeightGradients(foreign), std::invalid_argument);
}

TEST(ConvolutionTest, ThreadCountsOutsideTheLimitsAreClamped) {
  Scenario sc;
  sc.input.fill = sc.weights.fill = sc.grad_output.fill = Fill::Random;
  const Computation one = im2col::Compute(sc, 1);
  for (const int threads : {0, -3, 1000}) {
    const Computation c = im2col::Compute(sc, threads);
    EXPECT_TRUE(naive::SameValues("y_mat", naive::Flatten(one.y_mat), naive::Flatten(c.y_mat))) << threads;
    EXPECT_TRUE(naive::SameValues("grad_input", one.grad_input.data, c.grad_input.data)) << threads;
  }
}

// [SECTION] Finite differences: loss = sum(grad_output * output)

double Loss(const Scenario& sc) {
  const Computation c = im2col::Compute(sc);
  double loss = 0.0;
  for (size_t i = 0; i < c.output.data.size(); ++i) loss += c.grad_output.data[i] * c.output.data[i];
  return loss;
}

std::vector<double> RandomReals(std::mt19937_64& rng, Index count) {
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> v(static_cast<size_t>(count));
  for (auto& x : v) x = dist(rng);
  return v;
}

TEST(ConvolutionTest, FiniteDifferencesAgreeWithTheBackwardPass) {
  std::vector<Shape> shapes;
  Shape s;
  shapes.push_back(s);  // the chapter example
  s.batch = 2;
  s.channels = 2;
  s.height = 6;
  s.width = 5;
  s.filters = 3;
  s.kernel = {3, 2};
  s.stride = {2, 1};
  s.padding = {1, 2};
  s.dilation = {1, 2};
  shapes.push_back(s);
  s = Shape{};
  s.channels = 1;
  s.height = s.width = 7;
  s.kernel = {3, 3};
  s.dilation = {2, 2};
  s.stride = {2, 3};
  s.filters = 2;
  shapes.push_back(s);
  s = Shape{};
  s.channels = 2;
  s.height = 4;
  s.width = 9;
  s.kernel = {1, 4};
  s.padding = {3, 0};
  s.stride = {3, 2};
  shapes.push_back(s);

  std::mt19937_64 rng(99);
  const double h = 1e-3;
  int combo = 0;
  for (const Shape& shape : shapes) {
    Scenario sc;
    sc.shape = shape;
    sc.layout = (combo % 2) ? Layout::Rows : Layout::Columns;
    sc.order = (combo / 2 % 2) ? Order::ColumnMajor : Order::RowMajor;
    ++combo;
    sc.input.values = RandomReals(rng, Index{shape.batch} * shape.channels * shape.height * shape.width);
    sc.weights.values = RandomReals(rng, shape.filters * naive::R(shape));
    sc.bias.values = RandomReals(rng, shape.filters);
    sc.grad_output.values = RandomReals(rng, Index{shape.batch} * shape.filters * naive::L(shape));
    ASSERT_TRUE(sc.Validate().empty());
    const Computation c = im2col::Compute(sc);
    SCOPED_TRACE(naive::Describe(shape));

    const std::pair<im2col::TensorRole, const std::vector<double>*> targets[] = {
        {im2col::TensorRole::Input, &c.grad_input.data},
        {im2col::TensorRole::Weights, &c.grad_weights.data},
        {im2col::TensorRole::Bias, &c.grad_bias}};
    for (const auto& [role, analytic] : targets) {
      const auto& base = sc.Source(role).values;
      ASSERT_EQ(analytic->size(), base.size()) << im2col::ToString(role);
      for (size_t i = 0; i < base.size(); ++i) {
        Scenario plus = sc, minus = sc;
        plus.Source(role).values[i] += h;
        minus.Source(role).values[i] -= h;
        const double numeric = (Loss(plus) - Loss(minus)) / (2 * h);
        ASSERT_NEAR((*analytic)[i], numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
            << "d loss / d " << im2col::ToString(role) << "[" << i << "]";
      }
    }
  }
}

// [SECTION] The chapter's worked numbers

TEST(ConvolutionTest, ChapterExampleByHand) {
  const Computation c = im2col::Compute(Scenario{});  // 4x4x3 ramp, ramp weights, zero bias, ones dY
  ASSERT_EQ(c.x_col.rows(), 12);
  ASSERT_EQ(c.x_col.cols(), 9);
  ASSERT_EQ(c.w_row.rows(), 1);
  ASSERT_EQ(c.w_row.cols(), 12);
  for (int r = 0; r < 12; ++r) EXPECT_EQ(c.w_row(0, r), r + 1);
  // X_col(r(c,ky,kx), j(oy,ox)) = 16c + 4(oy+ky) + (ox+kx) + 1.
  for (int ch = 0; ch < 3; ++ch)
    for (int ky = 0; ky < 2; ++ky)
      for (int kx = 0; kx < 2; ++kx)
        for (int oy = 0; oy < 3; ++oy)
          for (int ox = 0; ox < 3; ++ox)
            EXPECT_EQ(c.x_col((ch * 2 + ky) * 2 + kx, oy * 3 + ox), 16 * ch + 4 * (oy + ky) + (ox + kx) + 1);
  // Y(0, j) = sum_r (r+1) * X_col(r, j) = 2060 + 78 * (4*oy + ox).
  for (int oy = 0; oy < 3; ++oy)
    for (int ox = 0; ox < 3; ++ox) {
      EXPECT_EQ(c.y_mat(0, oy * 3 + ox), 2060 + 78 * (4 * oy + ox));
      EXPECT_EQ(c.output(0, 0, oy, ox), 2060 + 78 * (4 * oy + ox));
    }
  // With dY = 1: db = 9, dW[c,ky,kx] = 9 * (16c + 4ky + kx + 1) + 45, dX corner = W[c,0,0] = 4c + 1.
  ASSERT_EQ(c.grad_bias.size(), 1u);
  EXPECT_EQ(c.grad_bias[0], 9.0);
  for (int ch = 0; ch < 3; ++ch)
    for (int ky = 0; ky < 2; ++ky)
      for (int kx = 0; kx < 2; ++kx)
        EXPECT_EQ(c.grad_weights(0, ch, ky, kx), 9 * (16 * ch + 4 * ky + kx + 1) + 45);
  for (int ch = 0; ch < 3; ++ch) {
    EXPECT_EQ(c.grad_input(0, ch, 0, 0), 4 * ch + 1);
    EXPECT_EQ(c.grad_input(0, ch, 1, 1), 4 * ch + 1 + 4 * ch + 2 + 4 * ch + 3 + 4 * ch + 4);  // all four taps
  }
  EXPECT_TRUE(c.PatchesOverlap());
}

TEST(ConvolutionTest, AlexNetFirstLayerShapesAndValues) {
  Scenario sc;
  sc.shape.channels = 3;
  sc.shape.height = sc.shape.width = 227;
  sc.shape.filters = 96;
  sc.shape.kernel = {11, 11};
  sc.shape.stride = {4, 4};
  sc.shape.padding = {0, 0};
  for (auto role : {im2col::TensorRole::Input, im2col::TensorRole::Weights, im2col::TensorRole::Bias,
                    im2col::TensorRole::GradOutput})
    sc.Source(role).fill = Fill::Random;
  ASSERT_TRUE(sc.Validate().empty());
  const Computation c = im2col::Compute(sc);
  EXPECT_EQ(c.shape.OutHeight(), 55);
  EXPECT_EQ(c.shape.OutWidth(), 55);
  EXPECT_EQ(c.shape.PatchCount(), 3025);
  EXPECT_EQ(c.shape.PatchSize(), 363);
  EXPECT_EQ(c.x_col.rows(), 363);
  EXPECT_EQ(c.x_col.cols(), 3025);
  EXPECT_EQ(c.w_row.rows(), 96);
  EXPECT_EQ(c.w_row.cols(), 363);
  EXPECT_EQ(c.y_mat.rows(), 96);
  EXPECT_EQ(c.y_mat.cols(), 3025);
  EXPECT_EQ((std::vector<int>{c.output.n, c.output.c, c.output.h, c.output.w}), (std::vector<int>{1, 96, 55, 55}));
  EXPECT_EQ(im2col::XColBytes(sc.shape), Index{363} * 3025 * 8);
  EXPECT_EQ(im2col::XColBytes(sc.shape, 4), Index{363} * 3025 * 4);
  EXPECT_EQ(im2col::InputBytes(sc.shape), Index{227} * 227 * 3 * 8);
  EXPECT_EQ(im2col::ForwardMacs(sc.shape), Index{96} * 363 * 3025);
  // Integer-valued fills keep these exact, even through a BLAS GEMM.
  const auto input = im2col::GenerateValues(sc, im2col::TensorRole::Input);
  const auto weights = im2col::GenerateValues(sc, im2col::TensorRole::Weights);
  const auto bias = im2col::GenerateValues(sc, im2col::TensorRole::Bias);
  const auto dy = im2col::GenerateValues(sc, im2col::TensorRole::GradOutput);
  EXPECT_TRUE(naive::SameValues("x_col", naive::XCol(sc.shape, sc.order, input), naive::Flatten(c.x_col)));
  EXPECT_TRUE(naive::SameValues("output", naive::Forward(sc.shape, input, weights, bias), c.output.data));
  const auto g = naive::Backward(sc.shape, input, weights, dy);
  EXPECT_TRUE(naive::SameValues("grad_input", g.input, c.grad_input.data));
  EXPECT_TRUE(naive::SameValues("grad_weights", g.weights, c.grad_weights.data));
  EXPECT_TRUE(naive::SameValues("grad_bias", g.bias, c.grad_bias));
  // Stride 4 < kernel 11: patches overlap.
  EXPECT_TRUE(c.PatchesOverlap());
}

// [SECTION] Small API pieces

TEST(ConvolutionTest, ComputeRejectsInvalidScenarios) {
  Scenario sc;
  sc.shape.kernel = {5, 5};
  sc.shape.height = sc.shape.width = 3;
  EXPECT_THROW(im2col::Compute(sc), std::invalid_argument);
  Scenario values;
  values.input.values = {1.0, 2.0};  // wrong size
  EXPECT_THROW(im2col::Compute(values), std::invalid_argument);
  try {
    im2col::Compute(sc);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("kernel 5x5"), std::string::npos) << e.what();
  }
}

TEST(ConvolutionTest, MatrixNames) {
  EXPECT_EQ(im2col::ToString(MatrixId::XCol), "x_col");
  EXPECT_EQ(im2col::ToString(MatrixId::WRow), "w_row");
  EXPECT_EQ(im2col::ToString(MatrixId::YMat), "y_mat");
  EXPECT_EQ(im2col::ToString(MatrixId::GradXCol), "grad_x_col");
  std::set<std::string> names;
  for (MatrixId id : kMatrices) names.insert(im2col::ToString(id));
  EXPECT_EQ(names.size(), 6u);
  EXPECT_EQ(names.count(""), 0u);
}

TEST(ConvolutionTest, PatchesOverlapOnlyWhenStrideIsBelowTheDilatedKernel) {
  Scenario sc;
  sc.shape.stride = {2, 2};  // K2 S2 on 4x4: disjoint windows
  Computation c = im2col::Compute(sc);
  EXPECT_FALSE(c.PatchesOverlap());
  EXPECT_EQ(c.grad_input.data, c.grad_input_overwrite.data);
  sc.shape.dilation = {2, 2};  // span 3 > stride 2: rows 0,2 and 2,4 would share... on 4x4 only one window
  sc.shape.height = sc.shape.width = 5;
  c = im2col::Compute(sc);
  EXPECT_TRUE(c.PatchesOverlap());
  sc.shape.stride = {3, 3};
  sc.shape.height = sc.shape.width = 6;
  c = im2col::Compute(sc);
  EXPECT_FALSE(c.PatchesOverlap());
}

}  // namespace
