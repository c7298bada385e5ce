// The transposed operator's own timeline (core/src/timeline.cpp): its phases in order with
// the lengths timeline.h lists, the state at every step built from the naive scatter
// definition, purity, labels and explanations for every step; and the grouped conv's
// timeline, whose structural zeros get no dot product.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "im2col/timeline.h"
#include "naive_reference.h"

namespace im2col {
namespace {

Shape TransposedShape() {
  Shape s;
  s.op = Op::Transposed;
  s.batch = 2;
  s.channels = 2;
  s.filters = 4;
  s.groups = 2;
  s.height = 3;
  s.width = 2;
  s.kernel = {3, 2};
  s.stride = {2, 1};
  s.padding = {1, 0};
  s.output_padding = {1, 0};
  return s;  // HO (3-1)*2 - 2 + 2 + 1 + 1 = 6, WO 1 + 1 + 1 = 3, R 24, NL 12
}

Scenario RandomScenario(const Shape& s, Layout layout, Order order) {
  Scenario sc;
  sc.shape = s;
  sc.layout = layout;
  sc.order = order;
  sc.seed = 5;
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput})
    sc.Source(role).fill = Fill::Random;
  return sc;
}

TEST(TransposedTimeline, ListsItsOwnPhasesInOrderWithTheDocumentedLengths) {
  const Shape s = TransposedShape();
  ASSERT_TRUE(s.IsValid());
  ASSERT_EQ(s.OutHeight(), 6);
  ASSERT_EQ(s.OutWidth(), 3);
  const Timeline t(s);
  const Index R = naive::TransposedRows(s), NL = naive::TransposedColumns(s), C = s.channels;
  const std::vector<std::pair<Phase, Index>> expected = {
      {Phase::Flatten, C},          {Phase::Multiply, R * NL},     {Phase::Col2im, NL},
      {Phase::GradOutput, Index{s.batch} * s.filters},            {Phase::GradXCol, R * NL},
      {Phase::GradInput, C * NL},   {Phase::GradWeights, C * R}};
  Index begin = 0;
  std::vector<std::string> names;
  for (const auto& [phase, length] : expected) {
    EXPECT_EQ(t.PhaseBegin(phase), begin) << ToString(phase);
    EXPECT_EQ(t.PhaseLength(phase), length) << ToString(phase);
    begin += length;
    names.push_back(ToString(phase));
  }
  EXPECT_EQ(t.StepCount(), begin);
  EXPECT_EQ(names, (std::vector<std::string>{"flatten", "multiply", "col2im", "grad-output", "grad-x-col",
                                             "grad-input", "grad-weights"}));
  // The conv-only phases are absent; col2im is a forward phase here.
  EXPECT_EQ(t.PhaseLength(Phase::Extract), 0);
  EXPECT_EQ(t.PhaseLength(Phase::Reshape), 0);
  EXPECT_FALSE(IsBackward(Phase::Col2im, Op::Transposed));
  EXPECT_TRUE(IsBackward(Phase::Col2im, Op::Conv));
  EXPECT_TRUE(IsBackward(Phase::GradInput, Op::Transposed));
  // The conv's timeline is unchanged.
  const Timeline conv{Shape{}};
  EXPECT_EQ(conv.Phases(), std::vector<Phase>(kAllPhases.begin(), kAllPhases.end()));
}

TEST(TransposedTimeline, StateAtEveryStepFollowsTheScatterDefinition) {
  for (Order order : {Order::RowMajor, Order::ColumnMajor}) {
    for (Layout layout : {Layout::Columns, Layout::Rows}) {
      SCOPED_TRACE(ToString(order) + " " + ToString(layout));
      const Scenario sc = RandomScenario(TransposedShape(), layout, order);
      const Computation c = Compute(sc);
      const Shape& s = c.shape;
      const Timeline t(s);
      const Index R = s.PatchSize(), NL = s.ColumnCount();
      const std::vector<double> naive_x_col =
          naive::TransposedXCol(s, order, GenerateValues(sc, TensorRole::Input), GenerateValues(sc, TensorRole::Weights));
      for (Index step = 0; step < t.StepCount(); ++step) {
        const FrameState st = StateAt(c, t, step);
        const Step& at = st.step;
        ASSERT_FALSE(StepLabel(c, at).empty()) << step;
        ASSERT_FALSE(Explain(c, st).empty()) << step;
        switch (at.phase) {
          case Phase::Multiply: {
            const Index r = at.item % R, j = at.item / R;
            ASSERT_EQ(st.focus_cell, (Cell{r, j}));
            ASSERT_TRUE(st.XColFilled(r, j));
            if (r + 1 < R) {
              ASSERT_FALSE(st.XColFilled(r + 1, j));
            }
            double sum = 0.0;
            for (size_t i = 0; i < st.dot->a.size(); ++i) sum += st.dot->a[i] * st.dot->b[i];
            ASSERT_EQ(sum, naive_x_col[static_cast<size_t>(r * NL + j)]);
            ASSERT_EQ(st.dot->result, sum);
            break;
          }
          case Phase::Col2im: {
            // After column j, the partial output is col2im of columns 0..j (no bias yet).
            ASSERT_EQ(st.partial_grad_input.c, s.filters);
            ASSERT_EQ(st.partial_grad_input.h, s.OutHeight());
            if (at.item + 1 == NL) {
              for (int n = 0; n < s.batch; ++n)
                for (int f = 0; f < s.filters; ++f)
                  for (int y = 0; y < s.OutHeight(); ++y)
                    for (int x = 0; x < s.OutWidth(); ++x)
                      ASSERT_EQ(st.partial_grad_input(n, f, y, x) + c.bias[static_cast<size_t>(f)], c.output(n, f, y, x));
              for (int y = 0; y < s.OutHeight(); ++y)
                for (int x = 0; x < s.OutWidth(); ++x) ASSERT_EQ(st.partial_overlap(0, 0, y, x), c.overlap(y, x));
            }
            break;
          }
          case Phase::GradXCol: {
            const Index r = at.item % R, j = at.item / R;
            ASSERT_TRUE(st.GradXColCellFilled(r, j));
            if (j + 1 < NL) {
              ASSERT_FALSE(st.GradXColCellFilled(r, j + 1));
            }
            ASSERT_EQ(st.focus_pixel.has_value(), c.grad_x_col(r, j) != 0.0 || SourcePixel(s, order, r, j).has_value());
            break;
          }
          case Phase::GradInput: {
            const Index ch = at.item / NL, j = at.item % NL;
            ASSERT_TRUE(st.GradInputFilled(ch, j));
            double sum = 0.0;
            for (size_t i = 0; i < st.dot->a.size(); ++i) sum += st.dot->a[i] * st.dot->b[i];
            ASSERT_EQ(sum, st.dot->result);
            ASSERT_EQ(st.grad_x_col_cells, R * NL);  // the previous phase is complete
            break;
          }
          case Phase::GradWeights: {
            const Index ch = at.item / R, r = at.item % R;
            const bool in_group = s.GroupOfWeightRow(ch) == s.GroupOfPatchChannel(PatchOffsetOf(s, order, r).c);
            ASSERT_EQ(st.dot->a.empty(), !in_group);
            double sum = 0.0;
            for (size_t i = 0; i < st.dot->a.size(); ++i) sum += st.dot->a[i] * st.dot->b[i];
            ASSERT_EQ(sum, c.grad_w_row(ch, r));
            if (!in_group) {
              ASSERT_NE(Explain(c, st).find("structural zero"), std::string::npos);
            }
            break;
          }
          default: break;
        }
        // Pure: asking again gives the same state.
        if (step % 37 == 0) {
          const FrameState again = StateAt(c, t, step);
          ASSERT_EQ(again.x_col_cells, st.x_col_cells);
          ASSERT_EQ(again.partial_grad_input, st.partial_grad_input);
          ASSERT_EQ(Explain(c, again), Explain(c, st));
        }
      }
    }
  }
}

TEST(TransposedTimeline, LabelsUseTheDisplayedIndices) {
  const Scenario sc = RandomScenario(TransposedShape(), Layout::Rows, Order::RowMajor);
  const Computation c = Compute(sc);
  const Timeline t(c.shape);
  // Rows layout: X_row = x_matᵀ · W_row, dX_matᵀ = dX_row · W_rowᵀ, dW_row = x_mat · dX_row.
  EXPECT_EQ(StepLabel(c, t.At(t.PhaseBegin(Phase::Multiply) + 1)), "X_row[0,1] = x_mat\u1d40[0,:] \u00b7 W_row[:,1]");
  EXPECT_EQ(StepLabel(c, t.At(t.PhaseBegin(Phase::Flatten))),
            "flatten the weights of input channel 0 into row 0 of W_row");
  EXPECT_EQ(StepLabel(c, t.At(t.PhaseBegin(Phase::GradWeights) + 3)),
            "dW_row[0,3] = x_mat\u1d40[:,0] \u00b7 dX_row[:,3]");
  EXPECT_EQ(StepLabel(c, t.At(t.PhaseBegin(Phase::GradInput) + 1)), "dX_mat\u1d40[1,0] = dX_row[1,:] \u00b7 W_row[0,:]");
  // The columns layout keeps the column formulas.
  Scenario columns_sc = sc;
  columns_sc.layout = Layout::Columns;
  const Computation cc = Compute(columns_sc);
  EXPECT_EQ(StepLabel(cc, t.At(t.PhaseBegin(Phase::Multiply) + 1)), "X_col[1,0] = W_row[:,1] \u00b7 x_mat[:,0]");
  EXPECT_EQ(StepLabel(cc, t.At(t.PhaseBegin(Phase::GradWeights) + 3)), "dW_row[0,3] = x_mat[0,:] \u00b7 dX_col[3,:]");
  EXPECT_EQ(StepLabel(cc, t.At(t.PhaseBegin(Phase::GradInput) + 1)), "dX_mat[0,1] = W_row[0,:] \u00b7 dX_col[:,1]");
}

// grad-input computes dX_mat row by row (one cell per input pixel): a "row" step moves
// to the next input channel's row, not to the next cell.
TEST(TransposedTimeline, RowGranularityInGradInputStepsOneRowOfDxMat) {
  const Scenario sc = RandomScenario(TransposedShape(), Layout::Columns, Order::RowMajor);
  const Computation c = Compute(sc);
  const Timeline t(c.shape);
  const Index begin = t.PhaseBegin(Phase::GradInput), NL = naive::TransposedColumns(c.shape);
  EXPECT_EQ(UnitLength(t, sc.order, Phase::GradInput, Granularity::Row), NL);
  const Index next = NextBoundary(t, sc.order, begin, Granularity::Row, +1);
  EXPECT_EQ(next, begin + NL);
  EXPECT_EQ(StepLabel(c, t.At(next)).rfind("dX_mat[1,0]", 0), 0u) << StepLabel(c, t.At(next));
  EXPECT_EQ(NextBoundary(t, sc.order, next + 3, Granularity::Row, -1), next);
}

// Whether step `st` starts a unit of `g`, read off what the step writes (its focus cell,
// column or map), independently of UnitLength: a "patch" is one column of x_col /
// grad_x_col (one input pixel's values), a "row" one row of the matrix the phase writes
// row by row, or a row of input pixels (a column of them in column-major order) where
// it writes column by column.
bool StartsUnit(const Shape& s, Order order, const FrameState& st, Granularity g) {
  if (g == Granularity::Cell) return true;
  if (g == Granularity::Phase) return st.step.item == 0;
  auto starts_pixel_row = [&](Index j) {
    const PatchIndex p = PatchIndexOf(s, order, j);
    return (order == Order::RowMajor ? p.ox : p.oy) == 0;
  };
  switch (st.step.phase) {
    case Phase::Multiply:
    case Phase::GradXCol:  // column by column, one cell per step
      return st.focus_cell->r == 0 && (g == Granularity::Patch || starts_pixel_row(st.focus_cell->j));
    case Phase::Col2im: return g == Granularity::Patch || starts_pixel_row(*st.focus_column);
    case Phase::GradOutput: return g == Granularity::Patch || st.focus_filter == 0;  // one image's maps
    case Phase::GradInput:
    case Phase::GradWeights:  // row by row: each step is a new column of the row
      return g == Granularity::Patch || st.focus_cell->j == 0;
    default: return true;  // flatten: one row of W_row per step
  }
}

TEST(TransposedTimeline, StepUnitsStartWhereThePhaseStartsANewRowOrColumn) {
  for (Order order : {Order::RowMajor, Order::ColumnMajor}) {
    const Scenario sc = RandomScenario(TransposedShape(), Layout::Columns, order);
    const Computation c = Compute(sc);
    const Timeline t(c.shape);
    const Index last = t.StepCount() - 1;
    std::vector<FrameState> states;
    for (Index step = 0; step <= last; ++step) states.push_back(StateAt(c, t, step));
    for (Granularity g : {Granularity::Cell, Granularity::Patch, Granularity::Row, Granularity::Phase}) {
      SCOPED_TRACE(ToString(order) + " " + ToString(g));
      std::vector<Index> expected;
      for (Index step = 0; step <= last; ++step)
        if (StartsUnit(c.shape, order, states[static_cast<size_t>(step)], g)) expected.push_back(step);
      if (expected.back() != last) expected.push_back(last);
      std::vector<Index> forward = {0};
      while (forward.back() != last) forward.push_back(NextBoundary(t, order, forward.back(), g, +1));
      EXPECT_EQ(forward, expected);
      std::vector<Index> backward = {last};
      while (backward.back() != 0) backward.push_back(NextBoundary(t, order, backward.back(), g, -1));
      std::reverse(backward.begin(), backward.end());
      EXPECT_EQ(backward, expected);
    }
    // The units are not trivial: a column of x_col is R steps, a row of input pixels
    // W (row-major) or H (column-major) columns.
    const Index R = c.shape.PatchSize(), grid_row = order == Order::RowMajor ? c.shape.width : c.shape.height;
    for (Phase p : {Phase::Multiply, Phase::GradXCol}) {
      EXPECT_EQ(UnitLength(t, order, p, Granularity::Patch), R) << ToString(p);
      EXPECT_EQ(UnitLength(t, order, p, Granularity::Row), R * grid_row) << ToString(p);
    }
    EXPECT_EQ(UnitLength(t, order, Phase::Col2im, Granularity::Row), grid_row);
  }
}

TEST(GroupedTimeline, StructuralZerosOfDwRowHaveNoDotProductAndTheExplanationSaysWhy) {
  Shape s;
  s.channels = 4, s.filters = 2, s.groups = 2, s.height = 3, s.width = 3;
  const Scenario sc = RandomScenario(s, Layout::Columns, Order::RowMajor);
  const Computation c = Compute(sc);
  const Timeline t(c.shape);
  const Index R = s.PatchSize();
  // Filter 0 (group 0) and row R-1 (channel 3, group 1): a structural zero.
  const FrameState off = StateAt(c, t, t.PhaseBegin(Phase::GradWeights) + R - 1);
  EXPECT_TRUE(off.dot->a.empty());
  EXPECT_EQ(off.dot->result, 0.0);
  EXPECT_NE(Explain(c, off).find("structural zero"), std::string::npos);
  const FrameState on = StateAt(c, t, t.PhaseBegin(Phase::GradWeights));
  EXPECT_EQ(on.dot->a.size(), static_cast<size_t>(s.ColumnCount()));
  // Multiply keeps one dot product per output cell, and says which group it is.
  const FrameState multiply = StateAt(c, t, t.PhaseBegin(Phase::Multiply));
  EXPECT_EQ(multiply.dot->a.size(), static_cast<size_t>(R));
  EXPECT_NE(Explain(c, multiply).find("group 0 of 2"), std::string::npos) << Explain(c, multiply);
}

// The running sum THIS STEP shows during a transposed col2im: the terms that land on an
// output pixel (F channels, HO x WO) add up to the output less its bias, and no term is
// read outside x_col (the window once read past it for input-channel pixels).
TEST(TimelineFamily, TransposedCol2imContributionsSumToTheOutput) {
  for (const Order order : {Order::RowMajor, Order::ColumnMajor}) {
    const Scenario sc = RandomScenario(TransposedShape(), Layout::Columns, order);
    const Computation c = Compute(sc);
    const Shape& s = c.shape;
    for (int n = 0; n < s.batch; ++n)
      for (int f = 0; f < s.PatchChannels(); ++f)
        for (int y = 0; y < s.ImageHeight(); ++y)
          for (int x = 0; x < s.ImageWidth(); ++x) {
            double sum = 0.0;
            for (const Contribution& t : Col2ImContributions(c, Pixel{n, f, y, x}, s.ColumnCount())) sum += t.value;
            EXPECT_DOUBLE_EQ(sum + c.bias[static_cast<size_t>(f)], c.output(n, f, y, x)) << n << f << y << x;
          }
    // Pixels beyond the image's channels (the input's, which the window once asked about).
    for (int ch = s.PatchChannels(); ch < s.PatchChannels() + 3; ++ch) {
      EXPECT_NO_THROW(Col2ImContributions(c, Pixel{0, ch, 0, 0}, s.ColumnCount()));
    }
  }
}

}  // namespace
}  // namespace im2col
