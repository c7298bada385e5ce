// The optimised, threaded im2col + GEMM path (core/src/fast_conv.cpp): against core's
// Compute and direct nested loops over a sweep of random shapes (double exact on integer
// inputs, float within rounding), against the independent loops of naive_reference.h,
// thread counts, errors, no allocation in the timed calls, and the loops-vs-im2col
// timing report.
#include <gtest/gtest.h>

#include <atomic>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <new>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/fast_conv.h"
#include "im2col/im2col.h"
#include "naive_reference.h"

// ---- allocation counter: every global operator new in this binary goes through here ----
namespace {
std::atomic<long> g_allocations{0};
}
// noinline: when GCC inlines these pairs it mistakes malloc/free behind operator
// new/delete for a mismatched pair (-Wmismatched-new-delete).
__attribute__((noinline)) void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept { std::free(p); }
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace im2col {
namespace {

// A random valid shape, drawn until valid; small enough that the sweep stays fast.
Shape RandomShape(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (;;) {
    Shape s;
    s.batch = pick(1, 3);
    s.channels = pick(1, 4);
    s.height = pick(1, 11);
    s.width = pick(1, 11);
    s.filters = pick(1, 5);
    s.kernel = {pick(1, 4), pick(1, 4)};
    s.stride = {pick(1, 3), pick(1, 3)};
    s.padding = {pick(0, 2), pick(0, 2)};
    s.dilation = {pick(1, 3), pick(1, 3)};
    if (s.IsValid()) return s;
  }
}

std::string Describe(const Shape& s, Order order, int threads) {
  return "N" + std::to_string(s.batch) + " C" + std::to_string(s.channels) + " H" + std::to_string(s.height) +
         " W" + std::to_string(s.width) + " F" + std::to_string(s.filters) + " K" + FormatPair(s.kernel) + " S" +
         FormatPair(s.stride) + " P" + FormatPair(s.padding) + " D" + FormatPair(s.dilation) + " " +
         ToString(order) + " threads " + std::to_string(threads);
}

template <typename T>
std::vector<T> Flatten(const RowMatrix<T>& m) {
  return std::vector<T>(m.data(), m.data() + m.size());
}

struct SweepCoverage {
  int shapes = 0, padded = 0, strided = 0, dilated = 0, non_square = 0, batched = 0;
  int row_major = 0, column_major = 0, multi_threaded = 0;
};

// Double, integer values in -4..4 (core's `random` fill): every product and sum is
// exact, so the fast path must equal Compute and the direct loops bit for bit.
TEST(FastConvolutionSweep, DoubleIsExactAgainstComputeAndDirectLoops) {
  std::mt19937 rng(7);
  SweepCoverage cover;
  for (int i = 0; i < 240; ++i) {
    Scenario sc;
    sc.shape = RandomShape(rng);
    sc.order = i % 2 == 0 ? Order::RowMajor : Order::ColumnMajor;
    sc.input.fill = sc.weights.fill = sc.bias.fill = sc.grad_output.fill = Fill::Random;
    sc.seed = static_cast<std::uint64_t>(i + 1);
    const int threads = 1 + i % 3;
    const Shape& s = sc.shape;
    SCOPED_TRACE(Describe(s, sc.order, threads));
    const Computation c = Compute(sc);

    // min_work_per_thread = 1 forces every phase to split, however small.
    FastConvolution<double> fast(s, sc.order, threads, 1);
    std::vector<double> output(c.output.data.size(), -99.0);
    fast.Forward(c.input.data.data(), c.weights.data.data(), c.bias.data(), output.data());
    ASSERT_EQ(Flatten(fast.XCol()), Flatten(c.x_col));
    ASSERT_EQ(output, c.output.data);
    std::vector<double> direct(output.size());
    DirectConvolution(c.input.data.data(), c.weights.data.data(), c.bias.data(), s, direct.data());
    ASSERT_EQ(output, direct);

    std::vector<double> grad_input(c.input.data.size(), -99.0), grad_weights(c.weights.data.size(), -99.0),
        grad_bias(c.bias.size(), -99.0);
    fast.Backward(c.weights.data.data(), c.grad_output.data.data(), grad_input.data(), grad_weights.data(),
                  grad_bias.data());
    ASSERT_EQ(Flatten(fast.GradXCol()), Flatten(c.grad_x_col));
    ASSERT_EQ(grad_input, c.grad_input.data);
    ASSERT_EQ(grad_weights, c.grad_weights.data);
    ASSERT_EQ(grad_bias, c.grad_bias);
    std::vector<double> loop_gx(grad_input.size()), loop_gw(grad_weights.size()), loop_gb(grad_bias.size());
    DirectConvolutionBackward(c.input.data.data(), c.weights.data.data(), c.grad_output.data.data(), s,
                              loop_gx.data(), loop_gw.data(), loop_gb.data());
    ASSERT_EQ(grad_input, loop_gx);
    ASSERT_EQ(grad_weights, loop_gw);

    ++cover.shapes;
    cover.padded += s.padding.h + s.padding.w > 0;
    cover.strided += s.stride.h + s.stride.w > 2;
    cover.dilated += s.dilation.h + s.dilation.w > 2;
    cover.non_square += s.kernel.h != s.kernel.w || s.height != s.width;
    cover.batched += s.batch > 1;
    cover.row_major += sc.order == Order::RowMajor;
    cover.column_major += sc.order == Order::ColumnMajor;
    cover.multi_threaded += threads > 1;
  }
  // The sweep really visits every feature the brief asks for.
  EXPECT_GE(cover.shapes, 200);
  EXPECT_GE(cover.padded, 50);
  EXPECT_GE(cover.strided, 50);
  EXPECT_GE(cover.dilated, 50);
  EXPECT_GE(cover.non_square, 50);
  EXPECT_GE(cover.batched, 50);
  EXPECT_GE(cover.row_major, 100);
  EXPECT_GE(cover.column_major, 100);
  EXPECT_GE(cover.multi_threaded, 100);
}

// Float32 on real values in [-1, 1]: within rounding of the direct loops, with the
// tolerance growing with the number of terms summed into each result.
TEST(FastConvolutionSweep, FloatMatchesDirectLoopsWithinRounding) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  auto values = [&](Index count) {
    std::vector<float> v(static_cast<size_t>(count));
    for (float& x : v) x = uniform(rng);
    return v;
  };
  for (int i = 0; i < 220; ++i) {
    const Shape s = RandomShape(rng);
    const Order order = i % 2 == 0 ? Order::ColumnMajor : Order::RowMajor;
    const int threads = 1 + i % 2;
    SCOPED_TRACE(Describe(s, order, threads));
    const Index out_size = Index{s.batch} * s.filters * s.OutHeight() * s.OutWidth();
    const Index in_size = Index{s.batch} * s.channels * s.height * s.width;
    const std::vector<float> input = values(in_size), weights = values(s.filters * s.PatchSize()),
                             bias = values(s.filters), grad_output = values(out_size);

    FastConvolution<float> fast(s, order, threads, 1);
    std::vector<float> out(out_size), gx(in_size), gw(weights.size()), gb(bias.size());
    fast.Forward(input.data(), weights.data(), bias.data(), out.data());
    fast.Backward(weights.data(), grad_output.data(), gx.data(), gw.data(), gb.data());

    std::vector<float> ref_out(out_size), ref_gx(in_size), ref_gw(weights.size()), ref_gb(bias.size());
    DirectConvolution(input.data(), weights.data(), bias.data(), s, ref_out.data());
    DirectConvolutionBackward(input.data(), weights.data(), grad_output.data(), s, ref_gx.data(), ref_gw.data(),
                              ref_gb.data());
    auto expect_close = [](const std::vector<float>& got, const std::vector<float>& want, double terms,
                           const char* what) {
      const double tolerance = 4.0 * FLT_EPSILON * (terms + 1.0);
      for (size_t k = 0; k < want.size(); ++k)
        ASSERT_NEAR(got[k], want[k], tolerance) << what << " element " << k;
    };
    const double patches = static_cast<double>(s.ColumnCount());
    expect_close(out, ref_out, static_cast<double>(s.PatchSize()), "output");
    expect_close(gw, ref_gw, patches, "grad_weights");
    expect_close(gb, ref_gb, patches, "grad_bias");
    expect_close(gx, ref_gx, static_cast<double>(s.filters) * s.kernel.h * s.kernel.w, "grad_input");
  }
}

// The chapter's two worked examples: shapes of X_col and the first values.
TEST(FastConvolution, ChapterExampleXColMatchesCompute) {
  Scenario sc;  // 4x4x3, K2 S1 P0 F1, ramp
  const Computation c = Compute(sc);
  FastConvolution<double> fast(sc.shape, sc.order, 2, 1);
  std::vector<double> out(c.output.data.size());
  fast.Forward(c.input.data.data(), c.weights.data.data(), c.bias.data(), out.data());
  ASSERT_EQ(fast.XCol().rows(), 12);
  ASSERT_EQ(fast.XCol().cols(), 9);
  // Column 0 is the top-left 2x2 window of each channel: 1 2 5 6 | 17 18 21 22 | 33 34 37 38.
  const std::vector<double> first_column{1, 2, 5, 6, 17, 18, 21, 22, 33, 34, 37, 38};
  for (int r = 0; r < 12; ++r) EXPECT_EQ(fast.XCol()(r, 0), first_column[static_cast<size_t>(r)]) << "row " << r;
  EXPECT_EQ(out, c.output.data);
}

TEST(FastConvolution, AlexNetConv1FloatMatchesDirectLoops) {
  Shape s;
  s.height = s.width = 227;
  s.channels = 3;
  s.filters = 96;
  s.kernel = {11, 11};
  s.stride = {4, 4};
  FastConvolution<float> fast(s, Order::RowMajor, 2);
  EXPECT_EQ(fast.XCol().rows(), 363);
  EXPECT_EQ(fast.XCol().cols(), 3025);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> input(3 * 227 * 227), weights(96 * 363), bias(96), out(96 * 3025), ref(out.size());
  for (float& v : input) v = uniform(rng);
  for (float& v : weights) v = uniform(rng);
  for (float& v : bias) v = uniform(rng);
  fast.Forward(input.data(), weights.data(), bias.data(), out.data());
  DirectConvolution(input.data(), weights.data(), bias.data(), s, ref.data());
  for (size_t k = 0; k < out.size(); ++k) ASSERT_NEAR(out[k], ref[k], 2e-4) << "output element " << k;
}

// Splitting over threads changes nothing: double integer results are identical.
TEST(FastConvolution, ThreadCountDoesNotChangeResults) {
  Scenario sc;
  sc.shape.batch = 2;
  sc.shape.channels = 5;
  sc.shape.height = 37;
  sc.shape.width = 29;
  sc.shape.filters = 7;
  sc.shape.kernel = {3, 5};
  sc.shape.stride = {2, 1};
  sc.shape.padding = {1, 2};
  sc.input.fill = sc.weights.fill = sc.grad_output.fill = Fill::Random;
  const Computation c = Compute(sc);
  for (int threads : {1, 2, 3, 4, 8}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    FastConvolution<double> fast(sc.shape, sc.order, threads, 1);
    EXPECT_EQ(fast.threads(), threads);
    std::vector<double> out(c.output.data.size()), gx(c.input.data.size()), gw(c.weights.data.size()),
        gb(c.bias.size());
    fast.Forward(c.input.data.data(), c.weights.data.data(), c.bias.data(), out.data());
    fast.Backward(c.weights.data.data(), c.grad_output.data.data(), gx.data(), gw.data(), gb.data());
    EXPECT_EQ(out, c.output.data);
    EXPECT_EQ(gx, c.grad_input.data);
    EXPECT_EQ(gw, c.grad_weights.data);
  }
}

// Null bias means zeros; null grad_weights / grad_bias are skipped.
TEST(FastConvolution, NullBiasAndSkippedGradients) {
  Scenario sc;
  sc.shape.padding = {1, 1};
  sc.input.fill = sc.weights.fill = sc.grad_output.fill = Fill::Random;
  sc.bias.fill = Fill::Zeros;
  const Computation c = Compute(sc);
  FastConvolution<double> fast(sc.shape, Order::ColumnMajor, 2, 1);
  std::vector<double> out(c.output.data.size()), gx(c.input.data.size());
  fast.Forward(c.input.data.data(), c.weights.data.data(), nullptr, out.data());
  EXPECT_EQ(out, c.output.data);
  fast.Backward(c.weights.data.data(), c.grad_output.data.data(), gx.data(), nullptr, nullptr);
  EXPECT_EQ(gx, c.grad_input.data);
}

TEST(FastConvolution, BadArgumentsThrowNamingTheField) {
  Shape bad;
  bad.height = 1;
  bad.kernel = {3, 3};
  try {
    FastConvolution<float> fast(bad, Order::RowMajor, 1);
    FAIL() << "an invalid shape was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("shape"), std::string::npos) << e.what();
  }
  for (int threads : {0, -1, kMaxThreads + 1}) {
    try {
      FastConvolution<float> fast(Shape{}, Order::RowMajor, threads);
      FAIL() << "threads " << threads << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("threads"), std::string::npos) << e.what();
    }
  }
  try {
    MeasureLoopsVsIm2col(Shape{}, 0, 1);
    FAIL() << "repeat 0 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("repeat"), std::string::npos) << e.what();
  }
}

// After construction and one warm-up, the timed calls allocate nothing through
// operator new (buffers and threads are made once, tasks are not std::function).
TEST(FastConvolution, TimedCallsDoNotAllocate) {
  for (Order order : {Order::RowMajor, Order::ColumnMajor}) {
    Shape s;
    s.batch = 2;
    s.channels = 3;
    s.height = s.width = 40;
    s.filters = 8;
    s.kernel = {5, 5};
    s.padding = {2, 2};
    FastConvolution<float> fast(s, order, 2, 1);
    const Index in_size = Index{s.batch} * s.channels * s.height * s.width;
    const Index out_size = Index{s.batch} * s.filters * s.OutHeight() * s.OutWidth();
    std::vector<float> input(in_size, 0.5f), weights(s.filters * s.PatchSize(), 0.25f), bias(s.filters, 1.0f),
        out(out_size), grad_output(out_size, 1.0f), gx(in_size), gw(weights.size()), gb(bias.size());
    fast.Forward(input.data(), weights.data(), bias.data(), out.data());
    fast.Backward(weights.data(), grad_output.data(), gx.data(), gw.data(), gb.data());
    const long before = g_allocations.load();
    for (int i = 0; i < 5; ++i) {
      fast.Forward(input.data(), weights.data(), bias.data(), out.data());
      fast.Backward(weights.data(), grad_output.data(), gx.data(), gw.data(), gb.data());
      fast.Col2Im(gx.data());
    }
    EXPECT_EQ(g_allocations.load() - before, 0) << ToString(order);
  }
}

TEST(MeasureLoopsVsIm2col, ReportsEveryPhaseAndAgreesWithTheLoops) {
  Shape s;
  s.channels = 3;
  s.height = s.width = 32;
  s.filters = 8;
  s.kernel = {3, 3};
  s.padding = {1, 1};
  const TimingReport report = MeasureLoopsVsIm2col(s, 3, 2);
  const std::vector<std::string> names{"loops-forward",  "im2col",         "gemm", "im2col-gemm-forward",
                                       "loops-backward", "im2col-gemm-backward"};
  ASSERT_EQ(report.entries.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(report.entries[i].name, names[i]);
    EXPECT_GT(report.entries[i].ms, 0.0) << names[i];
    EXPECT_GT(report.entries[i].speedup_vs_loops, 0.0) << names[i];
  }
  EXPECT_EQ(report.Find("im2col")->gflops, 0.0);
  EXPECT_GT(report.Find("im2col-gemm-forward")->gflops, 0.0);
  EXPECT_DOUBLE_EQ(report.Find("loops-forward")->speedup_vs_loops, 1.0);
  EXPECT_DOUBLE_EQ(report.Find("loops-backward")->speedup_vs_loops, 1.0);
  const TimingEntry* forward = report.Find("im2col-gemm-forward");
  EXPECT_DOUBLE_EQ(forward->speedup_vs_loops, report.Find("loops-forward")->ms / forward->ms);
  EXPECT_DOUBLE_EQ(forward->gflops, 2.0 * 8 * 27 * 32 * 32 / (forward->ms * 1e6));
  EXPECT_EQ(report.x_col_bytes, Index{27} * 1024 * 4);
  EXPECT_EQ(report.input_bytes, Index{3} * 1024 * 4);
  EXPECT_LT(report.max_relative_difference, 1e-5);
  EXPECT_FALSE(report.cancelled);
  EXPECT_EQ(report.Find("no-such-phase"), nullptr);
}

TEST(MeasureLoopsVsIm2col, StopsWhenCancelled) {
  std::atomic<bool> cancel{true};
  const TimingReport report = MeasureLoopsVsIm2col(Shape{}, 5, 1, Order::RowMajor, &cancel);
  EXPECT_TRUE(report.cancelled);
  EXPECT_TRUE(report.entries.empty());
}

}  // namespace
}  // namespace im2col

// ---- against the independent loops of naive_reference.h ----

namespace fast_conv_against_naive {

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

}  // namespace fast_conv_against_naive
