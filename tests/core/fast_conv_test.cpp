// The optimised, threaded im2col + GEMM path (core/src/fast_conv.cpp) against the
// independent loops of naive_reference.h, and the loops-vs-im2col timing report.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "im2col/fast_conv.h"
#include "naive_reference.h"

namespace {

using im2col::FastConvolution;
using im2col::Index;
using im2col::Order;
using im2col::Shape;

template <typename T>
std::vector<T> Cast(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

template <typename T>
class FastConvolutionTest : public ::testing::Test {};
using Scalars = ::testing::Types<float, double>;
TYPED_TEST_SUITE(FastConvolutionTest, Scalars);

// Every split of the work (threads 1..3, one scalar op per thread minimum) must
// give exactly the loops' numbers on integer inputs.
TYPED_TEST(FastConvolutionTest, MatchesDirectLoopsForEveryThreadCountAndOrder) {
  using T = TypeParam;
  std::mt19937_64 rng(4242);
  for (const Shape& s : naive::ValidRandomShapes(120, 777))
    for (Order o : {Order::RowMajor, Order::ColumnMajor})
      for (int threads : {1, 2, 3}) {
        SCOPED_TRACE(naive::Describe(s) + (o == Order::RowMajor ? " row-major" : " column-major") + " threads " +
                     std::to_string(threads));
        const Index R = naive::R(s), NL = naive::NL(s);
        const auto input = naive::RandomIntegers(rng, Index{s.batch} * s.channels * s.height * s.width);
        const auto weights = naive::RandomIntegers(rng, s.filters * R);
        const auto bias = naive::RandomIntegers(rng, s.filters);
        const auto dy = naive::RandomIntegers(rng, Index{s.batch} * s.filters * naive::L(s));
        const auto in_t = Cast<T>(input), w_t = Cast<T>(weights), b_t = Cast<T>(bias), dy_t = Cast<T>(dy);

        FastConvolution<T> fast(s, o, threads, 1);
        EXPECT_EQ(fast.threads(), threads);
        std::vector<T> out(static_cast<size_t>(Index{s.batch} * s.filters * naive::L(s)), T(777));
        fast.Forward(in_t.data(), w_t.data(), b_t.data(), out.data());
        EXPECT_TRUE(naive::SameValues("X_col", naive::XCol(s, o, input), naive::Flatten(fast.XCol())));
        EXPECT_TRUE(naive::SameValues("output", naive::Forward(s, input, weights, bias), out));

        const auto g = naive::Backward(s, input, weights, dy);
        std::vector<T> gx(input.size(), T(777)), gw(weights.size(), T(777)), gb(bias.size(), T(777));
        fast.Backward(w_t.data(), dy_t.data(), gx.data(), gw.data(), gb.data());
        EXPECT_TRUE(naive::SameValues("grad_input", g.input, gx));
        EXPECT_TRUE(naive::SameValues("grad_weights", g.weights, gw));
        EXPECT_TRUE(naive::SameValues("grad_bias", g.bias, gb));
        const auto dy_mat = naive::MapsToMatrix(s, o, dy);
        EXPECT_TRUE(naive::SameValues("dX_col", naive::GradXCol(s, naive::WRow(s, o, weights), dy_mat),
                                      naive::Flatten(fast.GradXCol())));
        ASSERT_EQ(fast.GradXCol().rows(), R);
        ASSERT_EQ(fast.GradXCol().cols(), NL);
        // Col2Im alone overwrites, it does not accumulate onto old values.
        std::vector<T> gx_again(input.size(), T(-5));
        fast.Col2Im(gx_again.data());
        EXPECT_TRUE(naive::SameValues("Col2Im alone", g.input, gx_again));
        if (this->HasFailure()) return;
      }
}

TYPED_TEST(FastConvolutionTest, ReusedObjectGivesFreshResultsAndNullsAreSkipped) {
  using T = TypeParam;
  Shape s;
  s.batch = 2;
  s.channels = 3;
  s.height = 9;
  s.width = 7;
  s.filters = 4;
  s.kernel = {3, 2};
  s.padding = {1, 1};
  s.stride = {2, 1};
  std::mt19937_64 rng(8);
  FastConvolution<T> fast(s, Order::ColumnMajor, 2, 1);
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const auto input = naive::RandomIntegers(rng, Index{2} * 3 * 9 * 7);
    const auto weights = naive::RandomIntegers(rng, 4 * naive::R(s));
    const auto dy = naive::RandomIntegers(rng, Index{2} * 4 * naive::L(s));
    const auto in_t = Cast<T>(input), w_t = Cast<T>(weights), dy_t = Cast<T>(dy);
    std::vector<T> out(dy.size());
    fast.Forward(in_t.data(), w_t.data(), nullptr, out.data());  // null bias = zeros
    EXPECT_TRUE(naive::SameValues("output", naive::Forward(s, input, weights, std::vector<double>(4, 0.0)), out));
    std::vector<T> gx(input.size());
    fast.Backward(w_t.data(), dy_t.data(), gx.data(), nullptr, nullptr);
    EXPECT_TRUE(naive::SameValues("grad_input", naive::Backward(s, input, weights, dy).input, gx));
  }
  FastConvolution<T> moved = std::move(fast);  // still usable after a move
  EXPECT_EQ(moved.shape(), s);
  EXPECT_EQ(moved.order(), Order::ColumnMajor);
  const auto input = naive::RandomIntegers(rng, Index{2} * 3 * 9 * 7);
  const auto in_t = Cast<T>(input);
  moved.Im2Col(in_t.data());
  EXPECT_TRUE(naive::SameValues("X_col after move", naive::XCol(s, Order::ColumnMajor, input),
                                naive::Flatten(moved.XCol())));
}

TEST(FastConvolutionArgs, InvalidShapeOrThreadsThrow) {
  Shape bad;
  bad.kernel = {5, 5};
  bad.height = bad.width = 3;
  EXPECT_THROW(FastConvolution<float>(bad, Order::RowMajor, 1), std::invalid_argument);
  EXPECT_THROW(FastConvolution<float>(Shape{}, Order::RowMajor, 0), std::invalid_argument);
  EXPECT_THROW(FastConvolution<double>(Shape{}, Order::RowMajor, im2col::kMaxThreads + 1), std::invalid_argument);
  try {
    FastConvolution<float>(Shape{}, Order::RowMajor, 0);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("threads"), std::string::npos) << e.what();
  }
}

// [SECTION] The timing report

TEST(MeasureLoopsVsIm2col, ReportsEveryPhaseInOrderWithConsistentNumbers) {
  Shape s;
  s.batch = 2;
  s.channels = 3;
  s.height = s.width = 12;
  s.filters = 5;
  s.kernel = {3, 3};
  s.padding = {1, 1};
  const auto report = im2col::MeasureLoopsVsIm2col(s, 3, 2, Order::ColumnMajor);
  EXPECT_EQ(report.shape, s);
  EXPECT_EQ(report.order, Order::ColumnMajor);
  EXPECT_EQ(report.threads, 2);
  EXPECT_EQ(report.repeats, 3);
  EXPECT_FALSE(report.cancelled);
  const std::vector<std::string> names = {"loops-forward",  "im2col",         "gemm", "im2col-gemm-forward",
                                          "loops-backward", "im2col-gemm-backward"};
  ASSERT_EQ(report.entries.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(report.entries[i].name, names[i]);
    EXPECT_GE(report.entries[i].ms, 0.0) << names[i];
    EXPECT_EQ(report.Find(names[i]), &report.entries[i]);
  }
  EXPECT_EQ(report.Find("no-such-phase"), nullptr);
  EXPECT_EQ(report.Find("im2col")->gflops, 0.0);  // pure data movement
  EXPECT_NEAR(report.Find("loops-forward")->speedup_vs_loops, 1.0, 1e-12);
  EXPECT_NEAR(report.Find("loops-backward")->speedup_vs_loops, 1.0, 1e-12);
  const double R = 27, NL = 2 * 144, F = 5;
  EXPECT_EQ(report.forward_flops, 2 * F * R * NL);
  EXPECT_EQ(report.backward_flops, 4 * F * R * NL);
  EXPECT_EQ(report.x_col_bytes, Index{27} * 288 * 4);
  EXPECT_EQ(report.input_bytes, Index{2} * 3 * 144 * 4);
  EXPECT_LT(report.max_relative_difference, 1e-5);  // float32 sums of ~27 terms
}

TEST(MeasureLoopsVsIm2col, RejectsBadArgumentsAndHonoursCancel) {
  Shape bad;
  bad.stride = {0, 1};
  EXPECT_THROW(im2col::MeasureLoopsVsIm2col(bad, 1, 1), std::invalid_argument);
  EXPECT_THROW(im2col::MeasureLoopsVsIm2col(Shape{}, 0, 1), std::invalid_argument);
  EXPECT_THROW(im2col::MeasureLoopsVsIm2col(Shape{}, 1001, 1), std::invalid_argument);
  EXPECT_THROW(im2col::MeasureLoopsVsIm2col(Shape{}, 1, 0), std::invalid_argument);
  EXPECT_THROW(im2col::MeasureLoopsVsIm2col(Shape{}, 1, 65), std::invalid_argument);
  const std::atomic<bool> cancel{true};
  const auto report = im2col::MeasureLoopsVsIm2col(Shape{}, 5, 1, Order::RowMajor, &cancel);
  EXPECT_TRUE(report.cancelled);
  const std::string backend = im2col::GemmBackendName();
  // fast_conv.h documents "OpenBLAS" or "Eigen"; the build may add detail after the name.
  EXPECT_TRUE(backend.rfind("OpenBLAS", 0) == 0 || backend == "Eigen") << backend;
}

}  // namespace
