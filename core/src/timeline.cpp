#include "im2col/timeline.h"

#include <algorithm>

#include "im2col/im2col.h"

namespace im2col {

std::string ToString(Phase phase) {
  switch (phase) {
    case Phase::Extract: return "extract";
    case Phase::Flatten: return "flatten";
    case Phase::Multiply: return "multiply";
    case Phase::Reshape: return "reshape";
    case Phase::GradOutput: return "grad-output";
    case Phase::GradWeights: return "grad-weights";
    case Phase::GradXCol: return "grad-x-col";
    case Phase::Col2im: return "col2im";
    case Phase::GradInput: return "grad-input";
  }
  return "extract";
}

std::string PhaseTitle(Phase phase) {
  switch (phase) {
    case Phase::Extract: return "Extract patches";
    case Phase::Flatten: return "Flatten filters";
    case Phase::Multiply: return "Multiply";
    case Phase::Reshape: return "Reshape output";
    case Phase::GradOutput: return "Gradient of output";
    case Phase::GradWeights: return "Weight gradient";
    case Phase::GradXCol: return "dX_col";
    case Phase::Col2im: return "col2im";
    case Phase::GradInput: return "Input gradient";
  }
  return "";
}

bool IsBackward(Phase phase) { return static_cast<int>(phase) >= static_cast<int>(Phase::GradOutput); }
bool IsBackward(Phase phase, Op op) {
  if (op == Op::Transposed && phase == Phase::Col2im) return false;
  return IsBackward(phase);
}

Timeline::Timeline(const Shape& shape) : shape_(shape) {
  const Index rows = shape.PatchSize(), columns = shape.ColumnCount();
  const Index maps = Index{shape.batch} * shape.filters;
  std::vector<Index> lengths;
  if (shape.op == Op::Transposed) {
    phases_.assign(kTransposedPhases.begin(), kTransposedPhases.end());
    const Index channels = shape.channels;
    lengths = {channels, rows * columns, columns, maps, rows * columns, channels * columns, channels * rows};
  } else {
    phases_.assign(kAllPhases.begin(), kAllPhases.end());
    lengths = {rows * columns, shape.filters, shape.filters * columns, maps, maps, shape.filters * rows, columns,
               columns};
  }
  begin_.assign(phases_.size() + 1, 0);
  for (size_t p = 0; p < phases_.size(); ++p) begin_[p + 1] = begin_[p] + lengths[p];
  total_ = begin_.back();
}

int Timeline::PositionOf(Phase phase) const {
  for (size_t p = 0; p < phases_.size(); ++p)
    if (phases_[p] == phase) return static_cast<int>(p);
  return -1;
}

Index Timeline::PhaseBegin(Phase phase) const {
  const int p = PositionOf(phase);
  return p < 0 ? total_ : begin_[static_cast<size_t>(p)];
}
Index Timeline::PhaseLength(Phase phase) const {
  const int p = PositionOf(phase);
  return p < 0 ? 0 : begin_[static_cast<size_t>(p) + 1] - begin_[static_cast<size_t>(p)];
}

Step Timeline::At(Index step) const {
  step = std::clamp<Index>(step, 0, std::max<Index>(total_ - 1, 0));
  size_t p = 0;
  while (p + 1 < phases_.size() && step >= begin_[p + 1]) ++p;
  return Step{step, phases_[p], step - begin_[p]};
}

std::string ToString(Granularity granularity) {
  switch (granularity) {
    case Granularity::Cell: return "cell";
    case Granularity::Patch: return "patch";
    case Granularity::Row: return "row";
    case Granularity::Phase: return "phase";
  }
  return "cell";
}

std::optional<Granularity> ParseGranularity(const std::string& text) {
  for (Granularity g : {Granularity::Cell, Granularity::Patch, Granularity::Row, Granularity::Phase}) {
    if (ToString(g) == text) return g;
  }
  return std::nullopt;
}

Index UnitLength(const Timeline& t, Order order, Phase phase, Granularity g) {
  const Index length = t.PhaseLength(phase);
  if (length <= 0) return 1;
  const Shape& s = t.shape();
  const bool transposed = s.op == Op::Transposed;
  // Columns sharing the outer grid index, in the order columns are walked: a row of
  // window positions (conv) or of input pixels (transposed); a column of them in
  // column-major order.
  const Index grid_row = std::max<Index>(order == Order::RowMajor ? s.GridWidth() : s.GridHeight(), 1);
  // Phases that fill their matrix column by column, one cell per step: a column is
  // PatchSize() steps. Conv's dX_col and col2im take a whole column per step.
  const bool cell_by_column = phase == Phase::Extract || (transposed && (phase == Phase::Multiply || phase == Phase::GradXCol));
  const Index column_steps = cell_by_column ? s.PatchSize() : 1;
  Index unit = 1;
  switch (g) {
    case Granularity::Cell: unit = 1; break;
    case Granularity::Phase: unit = length; break;
    case Granularity::Patch: unit = column_steps; break;
    case Granularity::Row:
      switch (phase) {
        case Phase::Extract:
        case Phase::GradXCol:
        case Phase::Col2im: unit = column_steps * grid_row; break;
        case Phase::Flatten: unit = 1; break;
        // Row by row: conv's Y (F x NL); transposed multiply goes column by column.
        case Phase::Multiply: unit = transposed ? column_steps * grid_row : s.ColumnCount(); break;
        case Phase::Reshape:
        case Phase::GradOutput: unit = s.filters; break;
        case Phase::GradWeights: unit = s.PatchSize(); break;
        case Phase::GradInput: unit = s.ColumnCount(); break;  // transposed: dX_mat row c, one cell per column
      }
      break;
  }
  return std::clamp<Index>(unit, 1, length);
}

Index NextBoundary(const Timeline& t, Order order, Index step, Granularity g, int direction) {
  const Index count = t.StepCount();
  if (count <= 0) return 0;
  step = std::clamp<Index>(step, 0, count - 1);
  if (direction == 0) return step;
  const Step at = t.At(step);
  const Index begin = t.PhaseBegin(at.phase);
  const Index unit = UnitLength(t, order, at.phase, g);
  const Index unit_start = begin + (at.item / unit) * unit;
  if (direction > 0) {
    // The next unit of this phase, or the next phase's first step (which starts a unit
    // of every granularity); past the last unit: the last step.
    const Index next = std::min(unit_start + unit, begin + t.PhaseLength(at.phase));
    return std::min(next, count - 1);
  }
  if (step > unit_start) return unit_start;
  if (step == 0) return 0;
  // At a unit's start: the start of the unit holding the step before.
  const Step before = t.At(step - 1);
  const Index before_begin = t.PhaseBegin(before.phase);
  const Index before_unit = UnitLength(t, order, before.phase, g);
  return before_begin + (before.item / before_unit) * before_unit;
}

namespace {

std::string Join(std::initializer_list<Index> values) {
  std::string s;
  for (Index v : values) s += (s.empty() ? "" : ",") + std::to_string(v);
  return s;
}

// "X_col[r,j]" or, in the rows layout, "X_row[j,r]": indices as displayed.
std::string XColCellName(Layout layout, const char* columns_name, const char* rows_name, Index r, Index j) {
  if (layout == Layout::Rows) return std::string(rows_name) + "[" + Join({j, r}) + "]";
  return std::string(columns_name) + "[" + Join({r, j}) + "]";
}

// Always all four indices, x[n,c,y,x], as the tooltips and cell labels write them.
std::string PixelName(const char* tensor, const Pixel& p) {
  return std::string(tensor) + "[" + Join({p.n, p.c, p.y, p.x}) + "]";
}

// Column j's input pixel, "x[c?,iy,ix]" style without the channel: "(n,iy,ix)".
std::string GridPixel(const Shape& s, Order order, Index j) {
  const PatchIndex p = PatchIndexOf(s, order, j);
  if (s.batch == 1) return "(" + Join({p.oy, p.ox}) + ")";
  return "(" + Join({p.n, p.oy, p.ox}) + ")";
}

std::string TransposedStepLabel(const Computation& c, const Step& step) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Layout layout = c.scenario.layout;
  const Index rows = s.PatchSize(), columns = s.ColumnCount();
  const bool by_rows = layout == Layout::Rows;
  switch (step.phase) {
    case Phase::Flatten:
      return "flatten the weights of input channel " + std::to_string(step.item) + " into row " +
             std::to_string(step.item) + " of W_row";
    case Phase::Multiply: {
      const Index r = step.item % rows, j = step.item / rows;
      const std::string w_column = "W_row[:," + std::to_string(r) + "]";
      // Rows layout: X_row = x_matᵀ · W_row, so row j of x_matᵀ meets column r of W_row.
      if (by_rows)
        return XColCellName(layout, "X_col", "X_row", r, j) + " = x_mat\u1d40[" + std::to_string(j) + ",:] \u00b7 " + w_column;
      return XColCellName(layout, "X_col", "X_row", r, j) + " = " + w_column + " \u00b7 x_mat[:," + std::to_string(j) + "]";
    }
    case Phase::Col2im: {
      return "add " + (by_rows ? "X_row[" + std::to_string(step.item) + ",:]" : "X_col[:," + std::to_string(step.item) + "]") +
             " into the output (input pixel " + GridPixel(s, order, step.item) + ")";
    }
    case Phase::GradOutput: {
      const Index n = step.item / s.filters, f = step.item % s.filters;
      return "take dY[" + Join({n, f}) + "]";
    }
    case Phase::GradXCol: {
      const Index r = step.item % rows, j = step.item / rows;
      const auto pixel = SourcePixel(s, order, r, j);
      const std::string dest = XColCellName(layout, "dX_col", "dX_row", r, j);
      if (!pixel) return "padding zero into " + dest;
      return "copy " + PixelName("dy", *pixel) + " into " + dest;
    }
    case Phase::GradInput: {
      const Index ch = step.item / columns, j = step.item % columns;
      // Rows layout: dX_matᵀ = dX_row · W_rowᵀ.
      if (by_rows)
        return "dX_mat\u1d40[" + Join({j, ch}) + "] = dX_row[" + std::to_string(j) + ",:] \u00b7 W_row[" +
               std::to_string(ch) + ",:]";
      return "dX_mat[" + Join({ch, j}) + "] = W_row[" + std::to_string(ch) + ",:] \u00b7 dX_col[:," + std::to_string(j) + "]";
    }
    case Phase::GradWeights: {
      const Index ch = step.item / rows, r = step.item % rows;
      // Rows layout: dW_row = x_mat · dX_row, columns of the displayed x_matᵀ and dX_row.
      if (by_rows)
        return "dW_row[" + Join({ch, r}) + "] = x_mat\u1d40[:," + std::to_string(ch) + "] \u00b7 dX_row[:," +
               std::to_string(r) + "]";
      return "dW_row[" + Join({ch, r}) + "] = x_mat[" + std::to_string(ch) + ",:] \u00b7 dX_col[" + std::to_string(r) +
             ",:]";
    }
    case Phase::Extract:
    case Phase::Reshape: break;  // conv only
  }
  return "";
}

}  // namespace

std::string StepLabel(const Computation& c, const Step& step) {
  if (c.shape.op == Op::Transposed) return TransposedStepLabel(c, step);
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Layout layout = c.scenario.layout;
  const Index rows = s.PatchSize(), columns = s.ColumnCount();
  switch (step.phase) {
    case Phase::Extract: {
      const Index r = step.item % rows, j = step.item / rows;
      const auto pixel = SourcePixel(s, order, r, j);
      const std::string dest = XColCellName(layout, "X_col", "X_row", r, j);
      if (!pixel) return "padding zero into " + dest;
      return "copy " + PixelName("x", *pixel) + " into " + dest;
    }
    case Phase::Flatten:
      return "flatten filter " + std::to_string(step.item) + " into row " + std::to_string(step.item) + " of W_row";
    case Phase::Multiply: {
      const Index f = step.item / columns, j = step.item % columns;
      if (layout == Layout::Rows) {
        return "Y[" + Join({j, f}) + "] = X_row[" + std::to_string(j) + ",:] \u00b7 W_row[" + std::to_string(f) + ",:]";
      }
      return "Y[" + Join({f, j}) + "] = W_row[" + std::to_string(f) + ",:] \u00b7 X_col[:," + std::to_string(j) + "]";
    }
    case Phase::Reshape: {
      const Index n = step.item / s.filters, f = step.item % s.filters;
      return "reshape row " + std::to_string(f) + " of Y (image " + std::to_string(n) + ") into output[" +
             Join({n, f}) + "]";
    }
    case Phase::GradOutput: {
      const Index n = step.item / s.filters, f = step.item % s.filters;
      return "lay dY[" + Join({n, f}) + "] into dY_mat";
    }
    case Phase::GradWeights: {
      const Index f = step.item / rows, r = step.item % rows;
      return "dW_row[" + Join({f, r}) + "] = dY_mat[" + std::to_string(f) + ",:] \u00b7 X_col[" + std::to_string(r) +
             ",:]";
    }
    case Phase::GradXCol:
      if (layout == Layout::Rows) {
        return "dX_row[" + std::to_string(step.item) + ",:] = dY_mat[:," + std::to_string(step.item) +
               "]\u1d40 \u00b7 W_row";
      }
      return "dX_col[:," + std::to_string(step.item) + "] = W_row\u1d40 \u00b7 dY_mat[:," + std::to_string(step.item) + "]";
    case Phase::GradInput: break;  // transposed only
    case Phase::Col2im: {
      const PatchIndex p = PatchIndexOf(s, order, step.item);
      return "add " +
             (layout == Layout::Rows ? "dX_row[" + std::to_string(step.item) + ",:]"
                                     : "dX_col[:," + std::to_string(step.item) + "]") +
             " into dX (patch " + Join({p.n, p.oy, p.ox}) + ")";
    }
  }
  return "";
}

namespace {

void AccumulateCol2Im(const Computation& c, FrameState& st) {
  const Shape& s = c.shape;
  // conv: dX_col into dX (N x C x H x W); transposed: X_col into its output (N x F x HO x WO).
  const int channels = s.PatchChannels(), height = s.ImageHeight(), width = s.ImageWidth();
  st.partial_grad_input = Tensor4(s.batch, channels, height, width);
  st.partial_grad_input_overwrite = Tensor4(s.batch, channels, height, width);
  st.partial_overlap = Tensor4(s.batch, channels, height, width);
  Col2ImPrefix(s.op == Op::Transposed ? c.x_col : c.grad_x_col, s, c.scenario.order, st.col2im_columns, st.partial_grad_input.data.data(),
               st.partial_grad_input_overwrite.data.data(), st.partial_overlap.data.data());
}

void FocusTransposed(const Computation& c, FrameState& st) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Index item = st.step.item, rows = st.rows, columns = st.columns;
  switch (st.step.phase) {
    case Phase::Flatten: st.focus_filter = item; break;
    case Phase::Multiply: {
      // x_col(r, j) = sum over c of W_row(c, r) * x_mat(c, j): all C channels, zeros included.
      const Index r = item % rows, j = item / rows;
      st.focus_cell = Cell{r, j};
      st.focus_column = j;
      st.focus_patch_row = r;
      st.focus_window = WindowOf(s, order, j);
      if (auto pixel = SourcePixel(s, order, r, j)) st.focus_pixel = *pixel;
      DotProduct dot;
      for (Index ch = 0; ch < s.channels; ++ch) {
        dot.a.push_back(c.w_row(ch, r));
        dot.b.push_back(c.x_mat(ch, j));
      }
      dot.result = c.x_col(r, j);
      st.dot = std::move(dot);
      break;
    }
    case Phase::Col2im:
      st.focus_column = item;
      st.focus_window = WindowOf(s, order, item);
      break;
    case Phase::GradOutput: st.focus_filter = item % s.filters; break;
    case Phase::GradXCol: {
      const Index r = item % rows, j = item / rows;
      st.focus_cell = Cell{r, j};
      st.focus_column = j;
      st.focus_window = WindowOf(s, order, j);
      if (auto pixel = SourcePixel(s, order, r, j)) st.focus_pixel = *pixel;
      break;
    }
    case Phase::GradInput: {
      const Index ch = item / columns, j = item % columns;
      st.focus_cell = Cell{ch, j};
      st.focus_filter = ch;
      st.focus_column = j;
      const PatchIndex p = PatchIndexOf(s, order, j);
      DotProduct dot;
      dot.a.assign(c.w_row.row(ch).data(), c.w_row.row(ch).data() + rows);
      dot.b.resize(static_cast<size_t>(rows));
      for (Index r = 0; r < rows; ++r) dot.b[static_cast<size_t>(r)] = c.grad_x_col(r, j);
      dot.result = c.grad_input(p.n, static_cast<int>(ch), p.oy, p.ox);
      st.dot = std::move(dot);
      break;
    }
    case Phase::GradWeights: {
      const Index ch = item / rows, r = item % rows;
      st.focus_cell = Cell{ch, r};
      st.focus_filter = ch;
      st.focus_patch_row = r;
      if (s.GroupOfWeightRow(ch) == s.GroupOfPatchChannel(PatchOffsetOf(s, order, r).c)) {
        DotProduct dot;
        dot.a.assign(c.x_mat.row(ch).data(), c.x_mat.row(ch).data() + columns);
        dot.b.assign(c.grad_x_col.row(r).data(), c.grad_x_col.row(r).data() + columns);
        dot.result = c.grad_w_row(ch, r);
        st.dot = std::move(dot);
      } else {
        DotProduct dot;  // a structural zero of W_row: not a weight, no gradient
        st.dot = std::move(dot);
      }
      break;
    }
    case Phase::Extract:
    case Phase::Reshape: break;
  }
}

}  // namespace

FrameState StateAt(const Computation& c, const Timeline& t, Index step_index) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  FrameState st;
  st.step = t.At(step_index);
  st.rows = s.PatchSize();
  st.columns = s.ColumnCount();
  const int phase = t.PositionOf(st.step.phase);
  // Items complete in phase p: all of it before the current phase, item+1 in it, none after.
  auto done = [&](Phase p) -> Index {
    const int q = t.PositionOf(p);
    if (q < 0) return 0;
    if (q < phase) return t.PhaseLength(p);
    if (q == phase) return st.step.item + 1;
    return 0;
  };
  if (s.op == Op::Transposed) {
    st.w_row_rows = done(Phase::Flatten);
    st.x_col_cells = done(Phase::Multiply);
    st.col2im_columns = done(Phase::Col2im);
    st.dy_maps = done(Phase::GradOutput);
    st.grad_x_col_cells = done(Phase::GradXCol);
    st.grad_input_cells = done(Phase::GradInput);
    st.grad_w_cells = done(Phase::GradWeights);
    FocusTransposed(c, st);
    if (st.step.phase == Phase::Col2im) AccumulateCol2Im(c, st);
    return st;
  }
  st.x_col_cells = done(Phase::Extract);
  st.w_row_rows = done(Phase::Flatten);
  st.y_cells = done(Phase::Multiply);
  st.output_maps = done(Phase::Reshape);
  st.dy_maps = done(Phase::GradOutput);
  st.grad_w_cells = done(Phase::GradWeights);
  st.grad_x_col_columns = done(Phase::GradXCol);
  st.col2im_columns = done(Phase::Col2im);

  const Index item = st.step.item;
  switch (st.step.phase) {
    case Phase::Extract: {
      const Index r = item % st.rows, j = item / st.rows;
      st.focus_cell = Cell{r, j};
      st.focus_column = j;
      st.focus_window = WindowOf(s, order, j);
      if (auto pixel = SourcePixel(s, order, r, j)) st.focus_pixel = *pixel;
      break;
    }
    case Phase::Flatten:
      st.focus_filter = item;
      break;
    case Phase::Multiply: {
      const Index f = item / st.columns, j = item % st.columns;
      st.focus_cell = Cell{f, j};
      st.focus_filter = f;
      st.focus_column = j;
      st.focus_window = WindowOf(s, order, j);
      DotProduct dot;
      dot.a.assign(c.w_row.row(f).data(), c.w_row.row(f).data() + st.rows);
      dot.b.resize(static_cast<size_t>(st.rows));
      for (Index r = 0; r < st.rows; ++r) dot.b[static_cast<size_t>(r)] = c.x_col(r, j);
      dot.bias = c.bias[static_cast<size_t>(f)];
      dot.has_bias = true;
      dot.result = c.y_mat(f, j);
      st.dot = std::move(dot);
      break;
    }
    case Phase::Reshape:
    case Phase::GradOutput:
      st.focus_filter = item % s.filters;
      break;
    case Phase::GradWeights: {
      const Index f = item / st.rows, r = item % st.rows;
      st.focus_cell = Cell{f, r};
      st.focus_filter = f;
      st.focus_patch_row = r;
      DotProduct dot;
      // With groups, a cell off W_row's diagonal blocks is a structural zero: no terms.
      if (s.groups == 1 || s.GroupOfWeightRow(f) == s.GroupOfPatchChannel(PatchOffsetOf(s, order, r).c)) {
        dot.a.assign(c.dy_mat.row(f).data(), c.dy_mat.row(f).data() + st.columns);
        dot.b.assign(c.x_col.row(r).data(), c.x_col.row(r).data() + st.columns);
      }
      dot.result = c.grad_w_row(f, r);
      st.dot = std::move(dot);
      break;
    }
    case Phase::GradXCol:
    case Phase::Col2im:
      st.focus_column = item;
      st.focus_window = WindowOf(s, order, item);
      break;
    case Phase::GradInput: break;  // transposed only
  }

  if (st.step.phase == Phase::Col2im) AccumulateCol2Im(c, st);
  return st;
}

std::vector<Contribution> Col2ImContributions(const Computation& c, const Pixel& pixel, Index columns_done) {
  std::vector<Contribution> terms;
  const Matrix& scattered = c.shape.op == Op::Transposed ? c.x_col : c.grad_x_col;
  for (const Cell& cell : CopiesOf(c.shape, c.scenario.order, pixel)) {
    if (cell.j >= columns_done) break;  // CopiesOf is ordered by column
    if (cell.r >= scattered.rows() || cell.j >= scattered.cols()) break;  // not a pixel of this image
    terms.push_back(Contribution{cell, scattered(cell.r, cell.j)});
  }
  return terms;
}

}  // namespace im2col
