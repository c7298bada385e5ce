// The operator family against independent nested loops (naive_reference.h): grouped
// convolution and transposed convolution (PyTorch's ConvTranspose2d), every matrix and
// gradient, for random shapes with groups and output padding, both layouts and orders;
// finite differences; the adjoint identity between conv and transposed conv; and the
// transposed conv of dY being exactly the conv's dX.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "im2col/convolution.h"
#include "im2col/fast_conv.h"
#include "im2col/im2col.h"
#include "naive_reference.h"

namespace im2col {
namespace {

using naive::I64;

struct Case {
  Shape shape;
  Order order;
  Layout layout;
};

std::vector<Case> FamilyCases(bool transposed, int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Case> cases;
  for (int i = 0; i < count; ++i) {
    const Shape s = naive::RandomFamilyShape(rng, transposed);
    cases.push_back({s, i % 2 == 0 ? Order::RowMajor : Order::ColumnMajor, i % 4 < 2 ? Layout::Columns : Layout::Rows});
  }
  return cases;
}

// A scenario with explicit random integers everywhere, so every sum is exact.
Scenario RandomScenario(const Case& k, std::mt19937_64& rng) {
  Scenario sc;
  sc.shape = k.shape;
  sc.order = k.order;
  sc.layout = k.layout;
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput})
    sc.Source(role).values = naive::RandomIntegers(rng, TensorSize(k.shape, role));
  return sc;
}

// W_row of either operator, block-diagonal: W_row[w, r(p, ky, kx)] = weight (w, p - g*P/G, ky, kx)
// when patch channel p is in row w's group g, else 0. P = C (conv) or F (transposed).
std::vector<double> BlockDiagonalWRow(const Shape& s, Order o, const std::vector<double>& weights) {
  const bool transposed = s.op == Op::Transposed;
  const int rows = transposed ? s.channels : s.filters, patch_channels = transposed ? s.filters : s.channels;
  const int rows_per_group = rows / s.groups, per_group = patch_channels / s.groups;
  const I64 r_count = I64{patch_channels} * s.kernel.h * s.kernel.w;
  std::vector<double> out(static_cast<size_t>(rows * r_count), 0.0);
  for (int w = 0; w < rows; ++w)
    for (int pi = 0; pi < per_group; ++pi)
      for (int ky = 0; ky < s.kernel.h; ++ky)
        for (int kx = 0; kx < s.kernel.w; ++kx) {
          const int p = (w / rows_per_group) * per_group + pi;
          out[static_cast<size_t>(w * r_count + naive::Row(s, o, p, ky, kx))] =
              weights[static_cast<size_t>(((I64{w} * per_group + pi) * s.kernel.h + ky) * s.kernel.w + kx)];
        }
  return out;
}

std::vector<double> Canonical(const Computation& c, MatrixId id) {
  const Matrix displayed = DisplayMatrix(c, id);
  return naive::Flatten(IsTransposedInLayout(id, c.scenario.layout) ? Matrix(displayed.transpose()) : displayed);
}

// [SECTION] Grouped convolution ---------------------------------------------------

TEST(GroupedConvolution, EveryMatrixAndGradientMatchesNestedLoopsForRandomShapes) {
  std::mt19937_64 rng(7);
  int grouped = 0;
  for (const Case& k : FamilyCases(false, 160, 11)) {
    const Shape& s = k.shape;
    SCOPED_TRACE(naive::DescribeFamily(s) + " " + ToString(k.order) + " " + ToString(k.layout));
    grouped += s.groups > 1;
    const Scenario sc = RandomScenario(k, rng);
    const Computation c = Compute(sc, 1 + static_cast<int>(rng() % 3));
    const auto& x = sc.input.values;
    const auto& w = sc.weights.values;
    ASSERT_EQ(c.weights.Size(), I64{s.filters} * (s.channels / s.groups) * s.kernel.h * s.kernel.w);
    EXPECT_TRUE(naive::SameValues("output", naive::GroupedForward(s, x, w, sc.bias.values), c.output.data));
    EXPECT_TRUE(naive::SameValues("x_col", naive::XCol(s, k.order, x), Canonical(c, MatrixId::XCol)));
    EXPECT_TRUE(naive::SameValues("w_row", BlockDiagonalWRow(s, k.order, w), Canonical(c, MatrixId::WRow)));
    const naive::Gradients g = naive::GroupedBackward(s, x, w, sc.grad_output.values);
    EXPECT_TRUE(naive::SameValues("grad_input", g.input, c.grad_input.data));
    EXPECT_TRUE(naive::SameValues("grad_weights", g.weights, c.grad_weights.data));
    EXPECT_TRUE(naive::SameValues("grad_bias", g.bias, c.grad_bias));
    // dW_row is zero off the diagonal blocks: structural zeros are not weights.
    const auto dw_row = Canonical(c, MatrixId::GradWRow);
    EXPECT_TRUE(naive::SameValues("grad_w_row", BlockDiagonalWRow(s, k.order, g.weights), dw_row));
    // Core's own direct loops (the benchmark's baseline) agree too.
    std::vector<double> direct(c.output.data.size());
    DirectConvolution(x.data(), w.data(), sc.bias.values.data(), s, direct.data());
    EXPECT_TRUE(naive::SameValues("DirectConvolution", c.output.data, direct));
  }
  EXPECT_GT(grouped, 60);
}

// [SECTION] Transposed convolution ------------------------------------------------

TEST(TransposedConvolution, EveryMatrixAndGradientMatchesTheScatterDefinitionForRandomShapes) {
  std::mt19937_64 rng(8);
  int padded = 0, grouped = 0;
  for (const Case& k : FamilyCases(true, 200, 12)) {
    const Shape& s = k.shape;
    SCOPED_TRACE(naive::DescribeFamily(s) + " " + ToString(k.order) + " " + ToString(k.layout));
    padded += s.output_padding != Pair{0, 0};
    grouped += s.groups > 1;
    ASSERT_TRUE(s.IsValid()) << s.Validate().front();
    ASSERT_EQ(s.OutHeight(), naive::TransposedHO(s));
    ASSERT_EQ(s.OutWidth(), naive::TransposedWO(s));
    const Scenario sc = RandomScenario(k, rng);
    const Computation c = Compute(sc, 1 + static_cast<int>(rng() % 3));
    const auto& x = sc.input.values;
    const auto& w = sc.weights.values;
    ASSERT_EQ(c.weights.Size(), I64{s.channels} * (s.filters / s.groups) * s.kernel.h * s.kernel.w);
    EXPECT_TRUE(naive::SameValues("output", naive::TransposedForward(s, x, w, sc.bias.values), c.output.data));
    EXPECT_TRUE(naive::SameValues("x_col", naive::TransposedXCol(s, k.order, x, w), Canonical(c, MatrixId::XCol)));
    EXPECT_TRUE(naive::SameValues("w_row", BlockDiagonalWRow(s, k.order, w), Canonical(c, MatrixId::WRow)));
    // x_mat[c, j(n, iy, ix)] = X[n, c, iy, ix].
    std::vector<double> x_mat(static_cast<size_t>(I64{s.channels} * naive::TransposedColumns(s)));
    for (int n = 0; n < s.batch; ++n)
      for (int ch = 0; ch < s.channels; ++ch)
        for (int iy = 0; iy < s.height; ++iy)
          for (int ix = 0; ix < s.width; ++ix)
            x_mat[static_cast<size_t>(ch * naive::TransposedColumns(s) + naive::TransposedCol(s, k.order, n, iy, ix))] =
                x[static_cast<size_t>(naive::InputAt(s, n, ch, iy, ix))];
    EXPECT_TRUE(naive::SameValues("x_mat", x_mat, Canonical(c, MatrixId::XMat)));
    EXPECT_TRUE(naive::SameValues("grad_x_col", naive::TransposedGradXCol(s, k.order, sc.grad_output.values),
                                  Canonical(c, MatrixId::GradXCol)));
    const naive::Gradients g = naive::TransposedBackward(s, x, w, sc.grad_output.values);
    EXPECT_TRUE(naive::SameValues("grad_input", g.input, c.grad_input.data));
    EXPECT_TRUE(naive::SameValues("grad_weights", g.weights, c.grad_weights.data));
    EXPECT_TRUE(naive::SameValues("grad_bias", g.bias, c.grad_bias));
    const std::vector<int> overlap = naive::TransposedOverlap(s);
    ASSERT_EQ(c.overlap.rows(), s.OutHeight());
    ASSERT_EQ(c.overlap.cols(), s.OutWidth());
    for (int y = 0; y < s.OutHeight(); ++y)
      for (int xx = 0; xx < s.OutWidth(); ++xx)
        ASSERT_EQ(c.overlap(y, xx), overlap[static_cast<size_t>(y * s.OutWidth() + xx)]) << y << "," << xx;
    std::vector<double> direct(c.output.data.size());
    DirectConvolution(x.data(), w.data(), sc.bias.values.data(), s, direct.data());
    EXPECT_TRUE(naive::SameValues("DirectConvolution", c.output.data, direct));
  }
  EXPECT_GT(padded, 40);
  EXPECT_GT(grouped, 60);
}

// [SECTION] Finite differences ----------------------------------------------------

// loss = sum(dY * output); central differences in every input, weight and bias.
void CheckFiniteDifferences(const Shape& s, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Scenario sc;
  sc.shape = s;
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
    sc.Source(role).values.resize(static_cast<size_t>(TensorSize(s, role)));
    for (double& v : sc.Source(role).values) v = uniform(rng);
  }
  const Computation c = Compute(sc);
  const auto loss = [&](const Scenario& changed) {
    const Computation d = ComputeForward(changed);
    double sum = 0.0;
    for (size_t i = 0; i < d.output.data.size(); ++i) sum += d.output.data[i] * sc.grad_output.values[i];
    return sum;
  };
  const double h = 1e-4;
  const auto check = [&](TensorRole role, const std::vector<double>& analytic) {
    for (size_t i = 0; i < analytic.size(); ++i) {
      Scenario plus = sc, minus = sc;
      plus.Source(role).values[i] += h;
      minus.Source(role).values[i] -= h;
      EXPECT_NEAR((loss(plus) - loss(minus)) / (2 * h), analytic[i], 1e-7) << ToString(role) << "[" << i << "]";
    }
  };
  check(TensorRole::Input, c.grad_input.data);
  check(TensorRole::Weights, c.grad_weights.data);
  check(TensorRole::Bias, c.grad_bias);
}

TEST(OperatorFamilyGradients, MatchFiniteDifferences) {
  Shape grouped;
  grouped.channels = 4, grouped.filters = 6, grouped.groups = 2, grouped.height = 5, grouped.width = 4;
  grouped.kernel = {3, 2}, grouped.stride = {2, 1}, grouped.padding = {1, 0};
  CheckFiniteDifferences(grouped, 1);
  Shape depthwise = grouped;
  depthwise.channels = depthwise.filters = depthwise.groups = 3;
  depthwise.dilation = {1, 2};
  CheckFiniteDifferences(depthwise, 2);
  Shape transposed;
  transposed.op = Op::Transposed;
  transposed.batch = 2, transposed.channels = 2, transposed.filters = 4, transposed.groups = 2;
  transposed.height = 3, transposed.width = 2, transposed.kernel = {3, 3}, transposed.stride = {2, 3};
  transposed.padding = {1, 0}, transposed.output_padding = {1, 2};
  SCOPED_TRACE("transposed");
  CheckFiniteDifferences(transposed, 3);
}

// [SECTION] Conv and transposed conv are adjoint ----------------------------------

// The transposed shape of a conv: input the conv's output grid, F and C swapped, and the
// output padding that gives back exactly H x W (the rows the conv's floor dropped).
Shape TransposeOf(const Shape& conv) {
  Shape t = conv;
  t.op = Op::Transposed;
  t.channels = conv.filters;
  t.filters = conv.channels;
  t.height = conv.OutHeight();
  t.width = conv.OutWidth();
  // (HO - 1)*S - 2P + D(K - 1) + 1 + OP = H, written out: the size without output padding
  // may be below 1 (then OutHeight() would say 0).
  const auto without_padding = [](int in, int k, int st, int p, int d) { return (in - 1) * st - 2 * p + d * (k - 1) + 1; };
  t.output_padding = {
      conv.height - without_padding(t.height, conv.kernel.h, conv.stride.h, conv.padding.h, conv.dilation.h),
      conv.width - without_padding(t.width, conv.kernel.w, conv.stride.w, conv.padding.w, conv.dilation.w)};
  return t;
}

TEST(OperatorFamilyAdjoint, ConvAndTransposedConvWithTheSameWeightsAreAdjoint) {
  std::mt19937_64 rng(21);
  for (const Case& k : FamilyCases(false, 120, 31)) {
    const Shape& s = k.shape;
    const Shape t = TransposeOf(s);
    SCOPED_TRACE(naive::DescribeFamily(s));
    ASSERT_TRUE(t.IsValid()) << t.Validate().front();
    ASSERT_EQ(t.OutHeight(), s.height);
    ASSERT_EQ(t.OutWidth(), s.width);
    Scenario conv;
    conv.shape = s;
    conv.order = k.order;
    conv.input.values = naive::RandomIntegers(rng, TensorSize(s, TensorRole::Input));
    conv.weights.values = naive::RandomIntegers(rng, TensorSize(s, TensorRole::Weights));
    conv.bias.fill = Fill::Zeros;
    Scenario transposed = conv;
    transposed.shape = t;
    transposed.input.values = naive::RandomIntegers(rng, TensorSize(t, TensorRole::Input));  // y, F x HO x WO
    ASSERT_EQ(TensorSize(t, TensorRole::Weights), TensorSize(s, TensorRole::Weights));  // the same tensor
    const Computation a = ComputeForward(conv), b = ComputeForward(transposed);
    double conv_x_dot_y = 0.0, x_dot_convt_y = 0.0;
    for (size_t i = 0; i < a.output.data.size(); ++i) conv_x_dot_y += a.output.data[i] * transposed.input.values[i];
    for (size_t i = 0; i < b.output.data.size(); ++i) x_dot_convt_y += conv.input.values[i] * b.output.data[i];
    EXPECT_EQ(conv_x_dot_y, x_dot_convt_y);
  }
}

TEST(OperatorFamilyAdjoint, TransposedConvOfDyIsExactlyTheConvsDx) {
  std::mt19937_64 rng(22);
  for (const Case& k : FamilyCases(false, 120, 32)) {
    const Shape& s = k.shape;
    SCOPED_TRACE(naive::DescribeFamily(s) + " " + ToString(k.order));
    Scenario conv = RandomScenario(k, rng);
    const Computation a = Compute(conv);
    Scenario transposed = conv;
    transposed.shape = TransposeOf(s);
    transposed.input.values = conv.grad_output.values;
    transposed.bias.values.assign(static_cast<size_t>(s.channels), 0.0);
    transposed.grad_output.values.assign(static_cast<size_t>(TensorSize(transposed.shape, TensorRole::GradOutput)), 1.0);
    const Computation b = ComputeForward(transposed);
    EXPECT_TRUE(naive::SameValues("convT(dY) vs dX", a.grad_input.data, b.output.data));
    // And its x_col is the conv's dX_col: the same matrix, W_row^T times dY.
    EXPECT_TRUE(naive::SameValues("x_col vs dX_col", naive::Flatten(a.grad_x_col), naive::Flatten(b.x_col)));
  }
}

// [SECTION] The float32 fast path of the benchmark --------------------------------

TEST(OperatorFamilyFastPath, GroupedAndTransposedMatchTheLoopsOnEveryThreadSplit) {
  std::mt19937_64 rng(41);
  for (bool transposed : {false, true}) {
    for (const Case& k : FamilyCases(transposed, 40, 51 + transposed)) {
      const Shape& s = k.shape;
      SCOPED_TRACE(naive::DescribeFamily(s) + " " + ToString(k.order));
      Scenario sc = RandomScenario(k, rng);
      const Computation c = Compute(sc);
      FastConvolution<double> fast(s, k.order, 1 + static_cast<int>(rng() % 3), /*min_work_per_thread=*/1);
      std::vector<double> output(c.output.data.size()), grad_input(c.grad_input.data.size()),
          grad_weights(c.grad_weights.data.size()), grad_bias(c.grad_bias.size());
      fast.Forward(sc.input.values.data(), sc.weights.values.data(), sc.bias.values.data(), output.data());
      fast.Backward(sc.weights.values.data(), sc.grad_output.values.data(), grad_input.data(), grad_weights.data(),
                    grad_bias.data());
      EXPECT_TRUE(naive::SameValues("output", c.output.data, output));
      EXPECT_TRUE(naive::SameValues("grad_input", c.grad_input.data, grad_input));
      EXPECT_TRUE(naive::SameValues("grad_weights", c.grad_weights.data, grad_weights));
      EXPECT_TRUE(naive::SameValues("grad_bias", c.grad_bias, grad_bias));
      // The two halves the benchmark times separately give the same output.
      std::fill(output.begin(), output.end(), -1.0);
      fast.Im2Col(sc.input.values.data());
      fast.Multiply(sc.weights.values.data(), sc.bias.values.data(), output.data());
      EXPECT_TRUE(naive::SameValues("Im2Col + Multiply", c.output.data, output));
    }
  }
}

TEST(OperatorFamilyFastPath, TimingNamesTheTransposedPhases) {
  Shape s;
  s.op = Op::Transposed;
  s.channels = 4, s.filters = 2, s.groups = 2, s.height = 5, s.width = 5, s.kernel = {4, 4}, s.stride = {2, 2};
  s.padding = {1, 1};
  const TimingReport report = MeasureLoopsVsIm2col(s, 1, 1);
  std::vector<std::string> names;
  for (const TimingEntry& e : report.entries) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"loops-forward", "x-mat", "gemm-col2im", "gemm-col2im-forward",
                                             "loops-backward", "im2col-gemm-backward"}));
  EXPECT_LT(report.max_relative_difference, 1e-5);
  Shape grouped = s;
  grouped.op = Op::Conv;
  grouped.output_padding = {0, 0};
  EXPECT_LT(MeasureLoopsVsIm2col(grouped, 1, 2).max_relative_difference, 1e-5);
  EXPECT_EQ(ForwardMacs(grouped), Index{2} * (4 * 16 / 2) * 4);  // F * C/G*KH*KW * N*L
}

}  // namespace
}  // namespace im2col
