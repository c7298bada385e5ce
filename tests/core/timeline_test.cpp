// The animation as data (core/src/timeline.cpp): step counts per phase as listed
// in timeline.h, the state at every step against an independent reference, purity,
// labels, col2im contributions and the "overwrite instead of sum" bug view.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "im2col/timeline.h"
#include "naive_reference.h"

namespace {

using im2col::Cell;
using im2col::Computation;
using im2col::FrameState;
using im2col::Index;
using im2col::Layout;
using im2col::Order;
using im2col::Phase;
using im2col::Pixel;
using im2col::Scenario;
using im2col::Shape;
using im2col::Timeline;

// Lengths documented in timeline.h, from the shape alone.
std::map<Phase, Index> ExpectedLengths(const Shape& s) {
  const Index R = naive::R(s), NL = naive::NL(s), F = s.filters, N = s.batch;
  return {{Phase::Extract, R * NL}, {Phase::Flatten, F},        {Phase::Multiply, F * NL},
          {Phase::Reshape, N * F},  {Phase::GradOutput, N * F}, {Phase::GradWeights, F * R},
          {Phase::GradXCol, NL},    {Phase::Col2im, NL}};
}

Shape OddShape() {
  Shape s;
  s.batch = 2;
  s.channels = 2;
  s.height = 5;
  s.width = 4;
  s.filters = 2;
  s.kernel = {3, 2};
  s.stride = {2, 1};
  s.padding = {1, 0};
  s.dilation = {1, 2};
  return s;  // HO 3, WO 2, R 12, NL 12
}

Scenario RandomScenario(const Shape& s, Layout layout, Order order, std::uint64_t seed) {
  Scenario sc;
  sc.shape = s;
  sc.layout = layout;
  sc.order = order;
  sc.seed = seed;
  for (auto role : {im2col::TensorRole::Input, im2col::TensorRole::Weights, im2col::TensorRole::Bias,
                    im2col::TensorRole::GradOutput})
    sc.Source(role).fill = im2col::Fill::Random;
  return sc;
}

// The (n, oy, ox) of column j, from the formulas (not from core).
struct ColumnInfo {
  int n, oy, ox;
};
std::vector<ColumnInfo> Columns(const Shape& s, Order o) {
  std::vector<ColumnInfo> info(static_cast<size_t>(naive::NL(s)));
  for (int n = 0; n < s.batch; ++n)
    for (int oy = 0; oy < naive::HO(s); ++oy)
      for (int ox = 0; ox < naive::WO(s); ++ox) info[static_cast<size_t>(naive::Col(s, o, n, oy, ox))] = {n, oy, ox};
  return info;
}

std::vector<double> RowOf(const im2col::Matrix& m, Index r) {
  std::vector<double> v;
  for (Index k = 0; k < m.cols(); ++k) v.push_back(m(r, k));
  return v;
}
std::vector<double> ColumnOf(const im2col::Matrix& m, Index j) {
  std::vector<double> v;
  for (Index k = 0; k < m.rows(); ++k) v.push_back(m(k, j));
  return v;
}

// [SECTION] Steps

TEST(TimelineTest, PhaseNamesAndDirection) {
  const char* names[] = {"extract",     "flatten",      "multiply",   "reshape",
                         "grad-output", "grad-weights", "grad-x-col", "col2im"};
  for (int i = 0; i < im2col::kPhaseCount; ++i) {
    EXPECT_EQ(im2col::ToString(im2col::kAllPhases[static_cast<size_t>(i)]), names[i]);
    EXPECT_EQ(im2col::IsBackward(im2col::kAllPhases[static_cast<size_t>(i)]), i >= 4) << names[i];
    EXPECT_FALSE(im2col::PhaseTitle(im2col::kAllPhases[static_cast<size_t>(i)]).empty());
  }
  EXPECT_EQ(im2col::PhaseTitle(Phase::Extract), "Extract patches");
}

TEST(TimelineTest, StepCountsPerPhaseAsDocumented) {
  std::vector<Shape> shapes = naive::ValidRandomShapes(300, 606);
  shapes.push_back(Shape{});
  shapes.push_back(OddShape());
  for (const Shape& s : shapes) {
    SCOPED_TRACE(naive::Describe(s));
    const Timeline t(s);
    const auto lengths = ExpectedLengths(s);
    Index begin = 0;
    for (Phase p : im2col::kAllPhases) {  // contiguous, in the documented order
      ASSERT_EQ(t.PhaseBegin(p), begin) << im2col::ToString(p);
      ASSERT_EQ(t.PhaseLength(p), lengths.at(p)) << im2col::ToString(p);
      begin += lengths.at(p);
    }
    ASSERT_EQ(t.StepCount(), begin);
    ASSERT_EQ(t.shape(), s);
  }
  // The chapter's default: 108 + 1 + 9 + 1 + 1 + 12 + 9 + 9.
  EXPECT_EQ(Timeline(Shape{}).StepCount(), 150);
}

TEST(TimelineTest, AtMapsEveryStepAndClamps) {
  for (const Shape& s : {Shape{}, OddShape()}) {
    const Timeline t(s);
    for (Index i = 0; i < t.StepCount(); ++i) {
      const auto step = t.At(i);
      ASSERT_EQ(step.index, i);
      ASSERT_GE(i, t.PhaseBegin(step.phase));
      ASSERT_LT(i, t.PhaseBegin(step.phase) + t.PhaseLength(step.phase));
      ASSERT_EQ(step.item, i - t.PhaseBegin(step.phase));
    }
    EXPECT_EQ(t.At(-1).index, 0);
    EXPECT_EQ(t.At(-1000).phase, Phase::Extract);
    EXPECT_EQ(t.At(t.StepCount()).index, t.StepCount() - 1);
    EXPECT_EQ(t.At(t.StepCount() + 1000).phase, Phase::Col2im);
    EXPECT_EQ(t.At(t.StepCount() + 1000).item, t.PhaseLength(Phase::Col2im) - 1);
  }
}

TEST(TimelineTest, AlexNetSizedTimeline) {
  Scenario sc;
  sc.shape.height = sc.shape.width = 227;
  sc.shape.filters = 96;
  sc.shape.kernel = {11, 11};
  sc.shape.stride = {4, 4};
  sc.grad_output.fill = im2col::Fill::Random;
  const Timeline t(sc.shape);
  EXPECT_EQ(t.PhaseLength(Phase::Extract), Index{363} * 3025);
  EXPECT_EQ(t.PhaseLength(Phase::Multiply), Index{96} * 3025);
  EXPECT_EQ(t.PhaseLength(Phase::GradWeights), Index{96} * 363);
  EXPECT_EQ(t.StepCount(), Index{363} * 3025 + 96 + 96 * 3025 + 96 + 96 + 96 * 363 + 3025 + 3025);
  // States at this size are still right (the GUI scrubs through them).
  const Computation c = im2col::Compute(sc);
  const Index mid = t.PhaseBegin(Phase::Extract) + 363 * 1500 + 200;  // cell (200, 1500)
  const FrameState extract = im2col::StateAt(c, t, mid);
  EXPECT_EQ(extract.focus_cell, (Cell{200, 1500}));
  EXPECT_EQ(extract.x_col_cells, 363 * 1500 + 201);
  const FrameState last = im2col::StateAt(c, t, t.StepCount() - 1);
  EXPECT_EQ(last.partial_grad_input.data, c.grad_input.data);
  EXPECT_EQ(last.partial_grad_input_overwrite.data, c.grad_input_overwrite.data);
}

// [SECTION] The state at every step

// Checks one state against the reference; `reference_col2im` is re-derived per col2im step.
void CheckState(const Computation& c, const Timeline& t, Index s, const FrameState& st) {
  const Shape& shape = c.shape;
  const Order o = c.scenario.order;
  const Index R = naive::R(shape), NL = naive::NL(shape);
  const auto step = t.At(s);
  ASSERT_EQ(st.step.index, step.index);
  ASSERT_EQ(st.step.phase, step.phase);
  ASSERT_EQ(st.step.item, step.item);
  ASSERT_EQ(st.rows, R);
  ASSERT_EQ(st.columns, NL);

  // Progress: earlier phases full, this one up to and including the item, later ones empty.
  auto progress = [&](Phase p) -> Index {
    if (p < step.phase) return t.PhaseLength(p);
    if (p == step.phase) return step.item + 1;
    return 0;
  };
  EXPECT_EQ(st.x_col_cells, progress(Phase::Extract));
  EXPECT_EQ(st.w_row_rows, progress(Phase::Flatten));
  EXPECT_EQ(st.y_cells, progress(Phase::Multiply));
  EXPECT_EQ(st.output_maps, progress(Phase::Reshape));
  EXPECT_EQ(st.dy_maps, progress(Phase::GradOutput));
  EXPECT_EQ(st.grad_w_cells, progress(Phase::GradWeights));
  EXPECT_EQ(st.grad_x_col_columns, progress(Phase::GradXCol));
  EXPECT_EQ(st.col2im_columns, progress(Phase::Col2im));

  const auto columns = Columns(shape, o);
  auto expect_window = [&](Index j) {
    ASSERT_TRUE(st.focus_window.has_value()) << "no focus_window at step " << s;
    const auto& col = columns[static_cast<size_t>(j)];
    EXPECT_EQ(st.focus_window->n, col.n);
    EXPECT_EQ(st.focus_window->oy, col.oy);
    EXPECT_EQ(st.focus_window->ox, col.ox);
    EXPECT_EQ(st.focus_window->top, col.oy * shape.stride.h - shape.padding.h);
    EXPECT_EQ(st.focus_window->left, col.ox * shape.stride.w - shape.padding.w);
  };
  const Index item = step.item;
  switch (step.phase) {
    case Phase::GradInput:
      ADD_FAILURE() << "a conv timeline has no grad-input phase";
      break;
    case Phase::Extract: {
      const Index r = item % R, j = item / R;  // column by column, rows in order
      ASSERT_EQ(st.focus_cell, (Cell{r, j}));
      EXPECT_EQ(st.focus_column, j);
      // The focus pixel is the source of the focus cell (none for a padding zero).
      EXPECT_EQ(st.focus_pixel, im2col::SourcePixel(shape, o, r, j));
      const auto& col = columns[static_cast<size_t>(j)];
      const auto p = naive::RowOffsets(shape, o)[static_cast<size_t>(r)];
      const int y = naive::SourceY(shape, col.oy, p.ky), x = naive::SourceX(shape, col.ox, p.kx);
      if (naive::Inside(shape, y, x)) {
        EXPECT_EQ(st.focus_pixel, (Pixel{col.n, p.c, y, x}));
      } else {
        EXPECT_FALSE(st.focus_pixel.has_value());
      }
      expect_window(j);
      break;
    }
    case Phase::Flatten:
      EXPECT_EQ(st.focus_filter, item);
      break;
    case Phase::Multiply: {
      const Index f = item / NL, j = item % NL;  // row by row
      EXPECT_EQ(st.focus_cell, (Cell{f, j}));
      EXPECT_EQ(st.focus_filter, f);
      EXPECT_EQ(st.focus_column, j);
      ASSERT_TRUE(st.dot.has_value());
      EXPECT_EQ(st.dot->a, RowOf(c.w_row, f));
      EXPECT_EQ(st.dot->b, ColumnOf(c.x_col, j));
      double sum = st.dot->has_bias ? st.dot->bias : 0.0;
      for (size_t k = 0; k < st.dot->a.size(); ++k) sum += st.dot->a[k] * st.dot->b[k];
      EXPECT_EQ(st.dot->result, c.y_mat(f, j));
      EXPECT_EQ(sum, st.dot->result);
      if (c.bias[static_cast<size_t>(f)] != 0.0) {
        EXPECT_TRUE(st.dot->has_bias);
        EXPECT_EQ(st.dot->bias, c.bias[static_cast<size_t>(f)]);
      }
      break;
    }
    case Phase::GradWeights: {
      const Index f = item / R, r = item % R;
      EXPECT_EQ(st.focus_cell, (Cell{f, r}));
      EXPECT_EQ(st.focus_filter, f);
      EXPECT_EQ(st.focus_patch_row, r);
      ASSERT_TRUE(st.dot.has_value());
      EXPECT_EQ(st.dot->a, RowOf(c.dy_mat, f));
      EXPECT_EQ(st.dot->b, RowOf(c.x_col, r));
      EXPECT_FALSE(st.dot->has_bias);
      EXPECT_EQ(st.dot->result, c.grad_w_row(f, r));
      break;
    }
    case Phase::GradXCol:
      EXPECT_EQ(st.focus_column, item);
      break;
    case Phase::Col2im: {
      EXPECT_EQ(st.focus_column, item);
      expect_window(item);
      const auto partial = naive::Col2Im(shape, o, naive::Flatten(c.grad_x_col), item + 1);
      EXPECT_TRUE(naive::SameValues("partial_grad_input", partial.summed, st.partial_grad_input.data));
      EXPECT_TRUE(naive::SameValues("partial_grad_input_overwrite", partial.overwritten,
                                    st.partial_grad_input_overwrite.data));
      EXPECT_TRUE(naive::SameValues("partial_overlap", partial.counts, st.partial_overlap.data));
      for (const auto* tensor : {&st.partial_grad_input, &st.partial_grad_input_overwrite, &st.partial_overlap})
        EXPECT_EQ((std::vector<int>{tensor->n, tensor->c, tensor->h, tensor->w}),
                  (std::vector<int>{shape.batch, shape.channels, shape.height, shape.width}));
      break;
    }
    case Phase::Reshape:
    case Phase::GradOutput:
      break;
  }
  // Whenever a window is shown it belongs to the focus column.
  if (st.focus_window && st.focus_column) {
    const auto& col = columns[static_cast<size_t>(*st.focus_column)];
    EXPECT_EQ(st.focus_window->n, col.n) << "step " << s;
    EXPECT_EQ(st.focus_window->oy, col.oy) << "step " << s;
    EXPECT_EQ(st.focus_window->ox, col.ox) << "step " << s;
  }
}

std::vector<Scenario> StepScenarios() {
  std::vector<Scenario> out;
  out.push_back(Scenario{});
  Scenario rows_cm;
  rows_cm.layout = Layout::Rows;
  rows_cm.order = Order::ColumnMajor;
  out.push_back(rows_cm);
  out.push_back(RandomScenario(OddShape(), Layout::Columns, Order::ColumnMajor, 3));
  out.push_back(RandomScenario(OddShape(), Layout::Rows, Order::RowMajor, 4));
  // Small random shapes (kept small: every step is checked).
  std::uint64_t seed = 10;
  for (const Shape& s : naive::ValidRandomShapes(400, 808)) {
    if (naive::R(s) * naive::NL(s) > 600) continue;
    out.push_back(RandomScenario(s, seed % 2 ? Layout::Rows : Layout::Columns,
                                 seed / 2 % 2 ? Order::ColumnMajor : Order::RowMajor, seed));
    if (++seed == 40) break;
  }
  return out;
}

TEST(TimelineTest, EveryStepOfSeveralScenariosMatchesTheReference) {
  for (const Scenario& sc : StepScenarios()) {
    SCOPED_TRACE(naive::Describe(sc.shape) + " " + im2col::ToString(sc.layout) + " " + im2col::ToString(sc.order));
    const Computation c = im2col::Compute(sc);
    const Timeline t(sc.shape);
    for (Index s = 0; s < t.StepCount(); ++s) {
      SCOPED_TRACE("step " + std::to_string(s) + " (" + im2col::ToString(t.At(s).phase) + ")");
      CheckState(c, t, s, im2col::StateAt(c, t, s));
      if (HasFailure()) return;
    }
  }
}

TEST(TimelineTest, LastStateEqualsTheFullResult) {
  for (const Scenario& sc : StepScenarios()) {
    SCOPED_TRACE(naive::Describe(sc.shape));
    const Computation c = im2col::Compute(sc);
    const Timeline t(sc.shape);
    const FrameState st = im2col::StateAt(c, t, t.StepCount() - 1);
    const Index R = naive::R(sc.shape), NL = naive::NL(sc.shape);
    for (Index r = 0; r < R; ++r)
      for (Index j = 0; j < NL; ++j) ASSERT_TRUE(st.XColFilled(r, j));
    for (Index f = 0; f < sc.shape.filters; ++f) {
      ASSERT_TRUE(st.WRowFilled(f));
      for (Index j = 0; j < NL; ++j) ASSERT_TRUE(st.YFilled(f, j));
      for (Index r = 0; r < R; ++r) ASSERT_TRUE(st.GradWFilled(f, r));
      for (int n = 0; n < sc.shape.batch; ++n) {
        ASSERT_TRUE(st.OutputMapFilled(n, static_cast<int>(f), sc.shape.filters));
        ASSERT_TRUE(st.DyMapFilled(n, static_cast<int>(f), sc.shape.filters));
      }
    }
    for (Index j = 0; j < NL; ++j) ASSERT_TRUE(st.GradXColFilled(j) && st.Col2ImDone(j));
    EXPECT_EQ(st.partial_grad_input.data, c.grad_input.data);
    EXPECT_EQ(st.partial_grad_input_overwrite.data, c.grad_input_overwrite.data);
    for (int n = 0; n < sc.shape.batch; ++n)
      for (int ch = 0; ch < sc.shape.channels; ++ch)
        for (int y = 0; y < sc.shape.height; ++y)
          for (int x = 0; x < sc.shape.width; ++x)
            ASSERT_EQ(st.partial_overlap(n, ch, y, x), c.overlap(y, x)) << n << "," << ch << "," << y << "," << x;
    // Beyond the end is the end.
    const FrameState beyond = im2col::StateAt(c, t, t.StepCount() + 7);
    EXPECT_EQ(beyond.step.index, t.StepCount() - 1);
    EXPECT_EQ(beyond.partial_grad_input.data, c.grad_input.data);
    // The first state has only the first cell.
    const FrameState first = im2col::StateAt(c, t, 0);
    EXPECT_EQ(first.x_col_cells, 1);
    EXPECT_EQ(first.y_cells, 0);
    EXPECT_EQ(first.col2im_columns, 0);
  }
}

// [SECTION] Purity: the state depends on (computation, step) only

void ExpectSameState(const FrameState& a, const FrameState& b) {
  EXPECT_EQ(a.step.index, b.step.index);
  EXPECT_EQ(a.step.phase, b.step.phase);
  EXPECT_EQ(a.step.item, b.step.item);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.columns, b.columns);
  EXPECT_EQ(a.x_col_cells, b.x_col_cells);
  EXPECT_EQ(a.w_row_rows, b.w_row_rows);
  EXPECT_EQ(a.y_cells, b.y_cells);
  EXPECT_EQ(a.output_maps, b.output_maps);
  EXPECT_EQ(a.dy_maps, b.dy_maps);
  EXPECT_EQ(a.grad_w_cells, b.grad_w_cells);
  EXPECT_EQ(a.grad_x_col_columns, b.grad_x_col_columns);
  EXPECT_EQ(a.col2im_columns, b.col2im_columns);
  EXPECT_EQ(a.focus_cell, b.focus_cell);
  EXPECT_EQ(a.focus_column, b.focus_column);
  EXPECT_EQ(a.focus_filter, b.focus_filter);
  EXPECT_EQ(a.focus_patch_row, b.focus_patch_row);
  EXPECT_EQ(a.focus_pixel, b.focus_pixel);
  ASSERT_EQ(a.focus_window.has_value(), b.focus_window.has_value());
  if (a.focus_window) {
    EXPECT_EQ(a.focus_window->n, b.focus_window->n);
    EXPECT_EQ(a.focus_window->oy, b.focus_window->oy);
    EXPECT_EQ(a.focus_window->ox, b.focus_window->ox);
    EXPECT_EQ(a.focus_window->top, b.focus_window->top);
    EXPECT_EQ(a.focus_window->left, b.focus_window->left);
  }
  ASSERT_EQ(a.dot.has_value(), b.dot.has_value());
  if (a.dot) {
    EXPECT_EQ(a.dot->a, b.dot->a);
    EXPECT_EQ(a.dot->b, b.dot->b);
    EXPECT_EQ(a.dot->bias, b.dot->bias);
    EXPECT_EQ(a.dot->has_bias, b.dot->has_bias);
    EXPECT_EQ(a.dot->result, b.dot->result);
  }
  EXPECT_EQ(a.partial_grad_input, b.partial_grad_input);
  EXPECT_EQ(a.partial_grad_input_overwrite, b.partial_grad_input_overwrite);
  EXPECT_EQ(a.partial_overlap, b.partial_overlap);
}

TEST(TimelineTest, StateAtIsPureWhateverWasVisitedBefore) {
  const Scenario sc = RandomScenario(OddShape(), Layout::Rows, Order::ColumnMajor, 21);
  const Computation c = im2col::Compute(sc);
  const Timeline t(sc.shape);
  std::vector<FrameState> forward;
  for (Index s = 0; s < t.StepCount(); ++s) forward.push_back(im2col::StateAt(c, t, s));
  // Backwards, then in a shuffled order, with a fresh Timeline and a recomputed Computation.
  const Computation again = im2col::Compute(sc);
  const Timeline t2(sc.shape);
  for (Index s = t.StepCount() - 1; s >= 0; --s) {
    SCOPED_TRACE("backwards, step " + std::to_string(s));
    ExpectSameState(forward[static_cast<size_t>(s)], im2col::StateAt(again, t2, s));
    if (HasFailure()) return;
  }
  std::vector<Index> order(static_cast<size_t>(t.StepCount()));
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Index>(i);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(5));
  for (Index s : order) {
    SCOPED_TRACE("shuffled, step " + std::to_string(s));
    ExpectSameState(forward[static_cast<size_t>(s)], im2col::StateAt(c, t, s));
    if (HasFailure()) return;
  }
}

// [SECTION] Labels and explanations

TEST(TimelineTest, StepLabels) {
  const Computation c = im2col::Compute(Scenario{});
  const Timeline t(c.shape);
  // Pixels always with all four indices x[n,c,y,x], as the tooltips write them.
  EXPECT_EQ(im2col::StepLabel(c, t.At(0)), "copy x[0,0,0,0] into X_col[0,0]");
  // Step 5 is cell (r = 5, j = 0): r = 5 is (c,ky,kx) = (1,0,1), so pixel x[0,1,0,1].
  EXPECT_EQ(im2col::StepLabel(c, t.At(5)), "copy x[0,1,0,1] into X_col[5,0]");
  // Products with a middle dot, transposes with a superscript T.
  EXPECT_EQ(im2col::StepLabel(c, t.At(t.PhaseBegin(Phase::Multiply))), "Y[0,0] = W_row[0,:] \u00b7 X_col[:,0]");
  EXPECT_EQ(im2col::StepLabel(c, t.At(t.PhaseBegin(Phase::GradXCol))), "dX_col[:,0] = W_row\u1d40 \u00b7 dY_mat[:,0]");
  for (Index s = 0; s < t.StepCount(); ++s) {
    EXPECT_FALSE(im2col::StepLabel(c, t.At(s)).empty()) << "step " << s;
    EXPECT_FALSE(im2col::Explain(c, im2col::StateAt(c, t, s)).empty()) << "step " << s;
  }
  // Labels tell steps apart within a phase.
  EXPECT_NE(im2col::StepLabel(c, t.At(0)), im2col::StepLabel(c, t.At(1)));
  EXPECT_NE(im2col::StepLabel(c, t.At(t.PhaseBegin(Phase::Col2im))),
            im2col::StepLabel(c, t.At(t.PhaseBegin(Phase::Col2im) + 1)));
}

// [SECTION] col2im: contributions and the overwrite bug

TEST(TimelineTest, Col2ImContributionsAreTheCopiesAndSumToGradInput) {
  for (const Scenario& sc : {Scenario{}, RandomScenario(OddShape(), Layout::Columns, Order::ColumnMajor, 8),
                             RandomScenario(OddShape(), Layout::Rows, Order::RowMajor, 9)}) {
    SCOPED_TRACE(naive::Describe(sc.shape) + " " + im2col::ToString(sc.order));
    const Computation c = im2col::Compute(sc);
    const Shape& s = sc.shape;
    const Index NL = naive::NL(s);
    for (Index done : {Index{0}, NL / 2, NL - 1, NL}) {
      const auto partial = naive::Col2Im(s, sc.order, naive::Flatten(c.grad_x_col), done);
      for (int n = 0; n < s.batch; ++n)
        for (int ch = 0; ch < s.channels; ++ch)
          for (int y = 0; y < s.height; ++y)
            for (int x = 0; x < s.width; ++x) {
              const Pixel pixel{n, ch, y, x};
              const auto terms = im2col::Col2ImContributions(c, pixel, done);
              std::vector<Cell> expected_cells;
              for (const Cell& cell : naive::Copies(s, sc.order, n, ch, y, x))
                if (cell.j < done) expected_cells.push_back(cell);
              ASSERT_EQ(terms.size(), expected_cells.size()) << "pixel " << n << "," << ch << "," << y << "," << x;
              double sum = 0.0;
              for (size_t k = 0; k < terms.size(); ++k) {
                ASSERT_EQ(terms[k].cell, expected_cells[k]);
                ASSERT_EQ(terms[k].value, c.grad_x_col(terms[k].cell.r, terms[k].cell.j));
                sum += terms[k].value;
              }
              ASSERT_EQ(sum, partial.summed[static_cast<size_t>(naive::InputAt(s, n, ch, y, x))]);
              if (done == NL) {
                ASSERT_EQ(sum, c.grad_input(n, ch, y, x));
              }
            }
    }
  }
}

TEST(TimelineTest, OverwriteDiffersExactlyWhereOverlapExceedsOne) {
  // Default example: ones dY, ramp weights, so every term is positive and a
  // lost term always changes the value.
  const Computation c = im2col::Compute(Scenario{});
  const FrameState last = im2col::StateAt(c, Timeline(c.shape), Timeline(c.shape).StepCount() - 1);
  int differing = 0;
  for (int ch = 0; ch < c.shape.channels; ++ch)
    for (int y = 0; y < c.shape.height; ++y)
      for (int x = 0; x < c.shape.width; ++x) {
        const bool differs = c.grad_input_overwrite(0, ch, y, x) != c.grad_input(0, ch, y, x);
        EXPECT_EQ(differs, c.overlap(y, x) > 1) << "c=" << ch << " y=" << y << " x=" << x;
        EXPECT_EQ(last.partial_grad_input_overwrite(0, ch, y, x), c.grad_input_overwrite(0, ch, y, x));
        differing += differs;
      }
  EXPECT_EQ(differing, 3 * 12);  // all but the four corners of each 4x4 channel

  // Stride >= kernel: no pixel is copied twice, so overwriting is harmless.
  for (int stride : {2, 3}) {
    Scenario sc;
    sc.shape.height = sc.shape.width = 5;
    sc.shape.stride = {stride, stride};
    const Computation d = im2col::Compute(sc);
    EXPECT_FALSE(d.PatchesOverlap());
    EXPECT_EQ(d.grad_input_overwrite.data, d.grad_input.data) << "stride " << stride;
  }
}

// [SECTION] Step units: which steps the transport visits at each granularity

// The unit sizes, from the shape and the loop order the timeline documents.
Index ExpectedUnit(const Shape& s, Order o, Phase p, im2col::Granularity g, Index length) {
  using G = im2col::Granularity;
  const Index R = naive::R(s), NL = naive::NL(s), window_row = o == Order::RowMajor ? naive::WO(s) : naive::HO(s);
  if (g == G::Cell) return 1;
  if (g == G::Phase) return length;
  if (g == G::Patch) return p == Phase::Extract ? R : 1;
  switch (p) {
    case Phase::Extract: return R * window_row;
    case Phase::Multiply: return NL;
    case Phase::Reshape: case Phase::GradOutput: return s.filters;
    case Phase::GradWeights: return R;
    case Phase::GradXCol: case Phase::Col2im: return window_row;
    default: return 1;
  }
}

TEST(TimelineTest, StepUnitsVisitTheDocumentedBoundariesBothWays) {
  using G = im2col::Granularity;
  for (Layout layout : {Layout::Columns, Layout::Rows}) {
    for (Order order : {Order::RowMajor, Order::ColumnMajor}) {
      const Computation c = im2col::Compute(RandomScenario(OddShape(), layout, order, 5));
      const Timeline t(c.shape);
      const Index last = t.StepCount() - 1;
      for (G g : {G::Cell, G::Patch, G::Row, G::Phase}) {
        SCOPED_TRACE(ToString(layout) + " " + ToString(order) + " " + im2col::ToString(g));
        EXPECT_EQ(im2col::ParseGranularity(im2col::ToString(g)), g);
        std::vector<Index> expected;
        for (Phase p : im2col::kAllPhases) {
          const Index length = t.PhaseLength(p), unit = ExpectedUnit(c.shape, order, p, g, length);
          EXPECT_EQ(im2col::UnitLength(t, order, p, g), unit);
          for (Index k = 0; k < length; k += unit) expected.push_back(t.PhaseBegin(p) + k);
        }
        if (expected.back() != last) expected.push_back(last);
        std::vector<Index> forward = {0};
        while (forward.back() != last) forward.push_back(im2col::NextBoundary(t, order, forward.back(), g, +1));
        EXPECT_EQ(forward, expected);
        std::vector<Index> backward = {last};
        while (backward.back() != 0) backward.push_back(im2col::NextBoundary(t, order, backward.back(), g, -1));
        std::reverse(backward.begin(), backward.end());
        EXPECT_EQ(backward, expected);  // stepping back lands on the same steps
        // Inside a patch unit of extract every step copies into the same column; the
        // next unit starts a new one.
        if (g == G::Patch) {
          for (size_t k = 0; k + 1 < expected.size(); ++k) {
            const FrameState a = im2col::StateAt(c, t, expected[k]);
            if (a.step.phase != Phase::Extract) continue;
            const FrameState inner = im2col::StateAt(c, t, expected[k + 1] - 1);
            EXPECT_EQ(inner.focus_column, a.focus_column);
            const FrameState b = im2col::StateAt(c, t, expected[k + 1]);
            EXPECT_TRUE(b.step.phase != Phase::Extract || b.focus_column != a.focus_column);
          }
        }
        // From the middle of a unit, back goes to its start.
        const Index mid = t.PhaseBegin(Phase::Extract) + 5;
        EXPECT_EQ(im2col::NextBoundary(t, order, mid, g, -1),
                  g == G::Cell ? mid - 1 : t.PhaseBegin(Phase::Extract));
      }
      EXPECT_FALSE(im2col::ParseGranularity("column"));
    }
  }
}

TEST(TimelineTest, StepUnitsAtAlexNetSizeFollowTheWindowRows) {
  Shape s;
  s.height = s.width = 227;
  s.filters = 96;
  s.kernel = {11, 11};
  s.stride = {4, 4};
  const Timeline t(s);
  using G = im2col::Granularity;
  EXPECT_EQ(im2col::UnitLength(t, Order::RowMajor, Phase::Extract, G::Row), Index{363} * 55);
  // Patch by patch through a million-step phase: the 3025th patch starts where expected.
  Index step = 0;
  for (int k = 0; k < 3024; ++k) step = im2col::NextBoundary(t, Order::RowMajor, step, G::Patch, +1);
  EXPECT_EQ(step, Index{363} * 3024);
  EXPECT_EQ(im2col::NextBoundary(t, Order::RowMajor, step, G::Patch, +1), t.PhaseBegin(Phase::Flatten));
  EXPECT_EQ(im2col::NextBoundary(t, Order::RowMajor, t.PhaseBegin(Phase::Flatten), G::Phase, -1), 0);
  EXPECT_EQ(im2col::NextBoundary(t, Order::RowMajor, 10, G::Phase, +1), t.PhaseBegin(Phase::Flatten));
}

}  // namespace
