// Fuzzes core with shapes built from arbitrary bytes.
//
// Stage 1, any integers (negative, zero, INT_MIN, 2^20 + 1 ...): Shape::Validate,
// Notes and the unvisited-row counts (documented for any shape) must return
// without undefined behaviour, and Validate must refuse what breaks a rule.
// Stage 2, accepted shapes whose matrices are small: Compute, the Timeline and
// StateAt at several steps (including out-of-range ones) must agree with a direct
// nested-loop convolution and with themselves:
//   - Y = direct convolution, dX = direct backward pass (summed col2im);
//   - <im2col(x), y> = <x, col2im(y)> (col2im is the adjoint);
//   - index maps round-trip, CopiesOf lists exactly the cells SourcePixel names;
//   - StateAt clamps, is pure, and its col2im partial sums end at dX;
//   - FastConvolution (1-3 threads, every split forced) gives the same numbers.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "fuzz_input.h"
#include "im2col/convolution.h"
#include "im2col/fast_conv.h"
#include "im2col/im2col.h"
#include "im2col/timeline.h"

namespace {

using namespace im2col;
using fuzz::FuzzInput;

// Every matrix and tensor at most this many cells, so one input runs in about a millisecond.
constexpr double kMaxCells = 6000.0;

// Small sizes most of the time, edge values and any int some of the time.
int PickInt(FuzzInput& in) {
  static constexpr int kEdges[] = {0, -1, 1, 2, kMaxDimension, kMaxDimension + 1, kMaxDimension - 1,
                                   1 << 19, INT_MAX, INT_MIN, INT_MAX / 2, -kMaxDimension};
  switch (in.IntInRange<int>(0, 9)) {
    case 0: return in.Pick(kEdges);
    case 1: return in.Int<int>();
    case 2: return in.IntInRange<int>(-2, 40);
    default: return in.IntInRange<int>(1, 6);
  }
}

// Sizes start at 1 but padding at 0: shift the small values down by one.
int PaddingFrom(int picked) { return picked == INT_MIN ? picked : picked - 1; }

Shape PickShape(FuzzInput& in) {
  Shape s;
  s.batch = PickInt(in);
  s.channels = PickInt(in);
  s.height = PickInt(in);
  s.width = PickInt(in);
  s.filters = PickInt(in);
  s.kernel = {PickInt(in), PickInt(in)};
  s.stride = {PickInt(in), PickInt(in)};
  s.padding = {PaddingFrom(PickInt(in)), PaddingFrom(PickInt(in))};
  s.dilation = {PickInt(in), PickInt(in)};
  return s;
}

std::string Describe(const Shape& s) {
  return "N" + std::to_string(s.batch) + " C" + std::to_string(s.channels) + " H" + std::to_string(s.height) +
         " W" + std::to_string(s.width) + " F" + std::to_string(s.filters) + " K" + FormatPair(s.kernel) + " S" +
         FormatPair(s.stride) + " P" + FormatPair(s.padding) + " D" + FormatPair(s.dilation);
}

bool BreaksASimpleRule(const Shape& s) {
  const auto out_of_range = [](long long v, long long min) { return v < min || v > kMaxDimension; };
  if (out_of_range(s.batch, 1) || out_of_range(s.channels, 1) || out_of_range(s.height, 1) ||
      out_of_range(s.width, 1) || out_of_range(s.filters, 1))
    return true;
  for (const Pair& p : {s.kernel, s.stride, s.dilation})
    if (out_of_range(p.h, 1) || out_of_range(p.w, 1)) return true;
  if (out_of_range(s.padding.h, 0) || out_of_range(s.padding.w, 0)) return true;
  const long long need_h = static_cast<long long>(s.dilation.h) * (s.kernel.h - 1LL) + 1;
  const long long need_w = static_cast<long long>(s.dilation.w) * (s.kernel.w - 1LL) + 1;
  return s.height + 2LL * s.padding.h < need_h || s.width + 2LL * s.padding.w < need_w;
}

double LargestCells(const Shape& s) {
  const double r = static_cast<double>(s.channels) * s.kernel.h * s.kernel.w;
  const double columns = static_cast<double>(s.batch) * s.OutHeight() * s.OutWidth();
  const double input = static_cast<double>(s.batch) * s.channels * s.height * s.width;
  return std::max({r * columns * std::max(1, s.filters), input, s.filters * columns, s.filters * r});
}

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

void CheckNear(const std::vector<double>& got, const std::vector<double>& want, const std::string& what,
               const Shape& s) {
  FUZZ_CHECK(got.size() == want.size(), what + ": size differs for " + Describe(s));
  for (std::size_t i = 0; i < got.size(); ++i) {
    FUZZ_CHECK(Near(got[i], want[i]), what + "[" + std::to_string(i) + "] = " + std::to_string(got[i]) +
                                          ", direct loops give " + std::to_string(want[i]) + " for " + Describe(s));
  }
}

std::vector<double> PickValues(FuzzInput& in, Index count) {
  std::vector<double> values(static_cast<std::size_t>(count));
  for (double& v : values) v = in.IntInRange<int>(-9, 9) * 0.5;
  return values;
}

Scenario PickScenario(FuzzInput& in, const Shape& shape) {
  Scenario sc;
  sc.shape = shape;
  sc.layout = in.Bool() ? Layout::Rows : Layout::Columns;
  sc.order = in.Bool() ? Order::ColumnMajor : Order::RowMajor;
  sc.seed = in.Int<std::uint64_t>();
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
    static constexpr Fill kFills[] = {Fill::Ramp, Fill::Random, Fill::Ones, Fill::Zeros};
    TensorSource& source = sc.Source(role);
    source.fill = in.Pick(kFills);
    if (in.IntInRange<int>(0, 3) == 0) source.values = PickValues(in, TensorSize(shape, role));
  }
  return sc;
}

void CheckIndexing(const Computation& c, FuzzInput& in) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Index rows = s.PatchSize(), columns = s.ColumnCount();
  for (int probe = 0; probe < 4; ++probe) {
    const Index r = in.IntInRange<Index>(0, rows - 1);
    const Index j = in.IntInRange<Index>(0, columns - 1);
    FUZZ_CHECK(RowOf(s, order, PatchOffsetOf(s, order, r)) == r, "RowOf(PatchOffsetOf(r)) != r for " + Describe(s));
    FUZZ_CHECK(ColumnOf(s, order, PatchIndexOf(s, order, j)) == j,
               "ColumnOf(PatchIndexOf(j)) != j for " + Describe(s));
    const auto pixel = SourcePixel(s, order, r, j);
    FUZZ_CHECK(c.x_col(r, j) == (pixel ? c.input(pixel->n, pixel->c, pixel->y, pixel->x) : 0.0),
               "X_col(" + std::to_string(r) + "," + std::to_string(j) + ") is not its source pixel for " +
                   Describe(s));
    if (pixel) {
      const auto copies = CopiesOf(s, order, *pixel);
      FUZZ_CHECK(std::count(copies.begin(), copies.end(), Cell{r, j}) == 1,
                 "CopiesOf misses the cell SourcePixel names for " + Describe(s));
      for (const Cell& cell : copies) {
        const auto back = SourcePixel(s, order, cell.r, cell.j);
        FUZZ_CHECK(back && *back == *pixel, "CopiesOf lists a cell that copies another pixel for " + Describe(s));
      }
      FUZZ_CHECK(static_cast<Index>(copies.size()) == c.overlap(pixel->y, pixel->x) * 1,
                 "overlap count differs from CopiesOf for " + Describe(s));
      // Summed col2im at the end of the timeline: the contributions add up to dX.
      const auto terms = Col2ImContributions(c, *pixel, columns);
      double sum = 0.0;
      for (const auto& term : terms) sum += term.value;
      FUZZ_CHECK(Near(sum, c.grad_input(pixel->n, pixel->c, pixel->y, pixel->x)),
                 "col2im contributions do not add up to dX for " + Describe(s));
    }
    (void)RowLabel(s, order, r);
    (void)ColumnLabel(s, order, j);
    const Window window = WindowOf(s, order, j);
    FUZZ_CHECK(window.top == window.oy * s.stride.h - s.padding.h, "WindowOf top for " + Describe(s));
  }
}

void CheckTimeline(const Computation& c, FuzzInput& in) {
  const Shape& s = c.shape;
  const Timeline timeline(s);
  const Index rows = s.PatchSize(), columns = s.ColumnCount(), maps = Index{s.batch} * s.filters;
  const Index expected = rows * columns + s.filters + s.filters * columns + 2 * maps + s.filters * rows + 2 * columns;
  FUZZ_CHECK(timeline.StepCount() == expected, "step count for " + Describe(s));

  const Index last = timeline.StepCount() - 1;
  std::vector<Index> steps = {0, last, -1, last + 1, INT64_MIN, INT64_MAX,
                              timeline.PhaseBegin(Phase::Col2im) + columns / 2};
  for (int extra = 0; extra < 3; ++extra) steps.push_back(in.IntInRange<Index>(0, last));
  for (const Index step : steps) {
    const FrameState state = StateAt(c, timeline, step);
    const Index clamped = std::clamp<Index>(step, 0, last);
    FUZZ_CHECK(state.step.index == clamped, "StateAt(" + std::to_string(step) + ") is not clamped");
    FUZZ_CHECK(state.step.index == timeline.PhaseBegin(state.step.phase) + state.step.item, "step item");
    FUZZ_CHECK(!StepLabel(c, state.step).empty(), "empty step label");
    FUZZ_CHECK(!Explain(c, state).empty(), "empty explanation");
    if (state.step.phase == Phase::Col2im && state.step.index == last) {
      CheckNear(state.partial_grad_input.data, c.grad_input.data, "StateAt(last).partial_grad_input", s);
      CheckNear(state.partial_grad_input_overwrite.data, c.grad_input_overwrite.data,
                "StateAt(last).partial_grad_input_overwrite", s);
    }
  }
  // Pure: the same step gives the same state.
  const Index probe = in.IntInRange<Index>(0, last);
  const FrameState a = StateAt(c, timeline, probe), b = StateAt(c, timeline, probe);
  FUZZ_CHECK(a.x_col_cells == b.x_col_cells && a.y_cells == b.y_cells && a.col2im_columns == b.col2im_columns &&
                 a.partial_grad_input == b.partial_grad_input,
             "StateAt is not a pure function of the step");
}

void CheckAgainstDirectLoops(const Computation& c) {
  const Shape& s = c.shape;
  std::vector<double> output(c.output.data.size());
  DirectConvolution(c.input.data.data(), c.weights.data.data(), c.bias.data(), s, output.data());
  CheckNear(c.output.data, output, "output", s);

  std::vector<double> grad_input(c.input.data.size()), grad_weights(c.weights.data.size()),
      grad_bias(c.bias.size());
  DirectConvolutionBackward(c.input.data.data(), c.weights.data.data(), c.grad_output.data.data(), s,
                            grad_input.data(), grad_weights.data(), grad_bias.data());
  CheckNear(c.grad_input.data, grad_input, "grad_input", s);
  CheckNear(c.grad_weights.data, grad_weights, "grad_weights", s);
  CheckNear(c.grad_bias, grad_bias, "grad_bias", s);

  // Adjoint: <im2col(x), Y> = <x, col2im(Y)> with Y = dX_col.
  const double lhs = (c.x_col.array() * c.grad_x_col.array()).sum();
  double rhs = 0.0;
  for (std::size_t i = 0; i < c.input.data.size(); ++i) rhs += c.input.data[i] * c.grad_input.data[i];
  FUZZ_CHECK(Near(lhs, rhs), "col2im is not the adjoint of im2col for " + Describe(s));

  for (MatrixId id : {MatrixId::XCol, MatrixId::WRow, MatrixId::YMat, MatrixId::GradXCol, MatrixId::GradWRow,
                      MatrixId::DyMat}) {
    const Matrix& canonical = CanonicalMatrix(c, id);
    const Matrix shown = DisplayMatrix(c, id);
    const bool transposed = IsTransposedInLayout(id, c.scenario.layout);
    FUZZ_CHECK(shown.rows() == (transposed ? canonical.cols() : canonical.rows()), "display rows of " + ToString(id));
    FUZZ_CHECK(shown.cols() == (transposed ? canonical.rows() : canonical.cols()), "display cols of " + ToString(id));
  }
}

// The optimised path (contiguous segments, memcpy, worker threads) against Compute.
void CheckFastConvolution(const Computation& c, FuzzInput& in) {
  const Shape& s = c.shape;
  // Starting worker threads costs more than the small shapes themselves: one input in eight.
  const int threads = in.IntInRange<int>(0, 7) == 0 ? in.IntInRange<int>(2, 3) : 1;
  FastConvolution<double> fast(s, c.scenario.order, threads, /*min_work_per_thread=*/1);
  std::vector<double> output(c.output.data.size());
  fast.Forward(c.input.data.data(), c.weights.data.data(), c.bias.data(), output.data());
  CheckNear(output, c.output.data, "FastConvolution output (" + std::to_string(threads) + " threads)", s);
  FUZZ_CHECK(fast.XCol() == c.x_col, "FastConvolution X_col differs for " + Describe(s));

  std::vector<double> grad_input(c.input.data.size()), grad_weights(c.weights.data.size()),
      grad_bias(c.bias.size());
  fast.Backward(c.weights.data.data(), c.grad_output.data.data(), grad_input.data(), grad_weights.data(),
                grad_bias.data());
  CheckNear(grad_input, c.grad_input.data, "FastConvolution grad_input", s);
  CheckNear(grad_weights, c.grad_weights.data, "FastConvolution grad_weights", s);
  CheckNear(grad_bias, c.grad_bias, "FastConvolution grad_bias", s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  const Shape shape = PickShape(in);

  // Stage 1: any integers.
  const std::vector<std::string> problems = shape.Validate();
  for (const std::string& problem : problems) FUZZ_CHECK(!problem.empty(), "empty message for " + Describe(shape));
  if (BreaksASimpleRule(shape)) FUZZ_CHECK(!problems.empty(), "accepted " + Describe(shape));
  (void)shape.Notes();
  FUZZ_CHECK(shape.UnvisitedRows() >= 0 && shape.UnvisitedCols() >= 0, "negative unvisited count");
  if (!problems.empty()) return 0;

  // Accepted: every matrix fits the documented memory cap.
  FUZZ_CHECK(static_cast<double>(shape.PatchSize()) * static_cast<double>(shape.ColumnCount()) <=
                 static_cast<double>(kMaxMatrixCells),
             "accepted an X_col over the cap: " + Describe(shape));
  FUZZ_CHECK(shape.MemoryBytes() <= static_cast<double>(kMaxScenarioBytes),
             "accepted a scenario over the memory budget: " + Describe(shape));
  FUZZ_CHECK(shape.OutHeight() >= 1 && shape.OutWidth() >= 1, "accepted an empty output: " + Describe(shape));
  if (LargestCells(shape) > kMaxCells) return 0;

  // Stage 2: compute and cross-check.
  const Scenario scenario = PickScenario(in, shape);
  const auto scenario_problems = scenario.Validate();
  FUZZ_CHECK(scenario_problems.empty(), "generated scenario refused: " + scenario_problems.front());
  const Computation computation = Compute(scenario);
  FUZZ_CHECK(computation.x_col.rows() == shape.PatchSize() && computation.x_col.cols() == shape.ColumnCount(),
             "X_col is not R x N*L for " + Describe(shape));
  CheckAgainstDirectLoops(computation);
  CheckIndexing(computation, in);
  CheckTimeline(computation, in);
  CheckFastConvolution(computation, in);
  return 0;
}
