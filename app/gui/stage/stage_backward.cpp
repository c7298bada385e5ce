// The backward band, mirrored under the forward one: dY -> dY_mat; dW_row = dY . X_col^T
// -> dW; dX_col = W_row^T . dY -> col2im (+=) -> dX, with the overlap heat building
// up and, in overwrite (=) mode, the wrong pixels marked against the right ones.
#include <algorithm>

#include "gui/stage/stage_backward.h"
#include "gui/stage/arrows.h"

namespace im2col::gui::stage {

namespace {

using Kind = HoverTarget::Kind;

bool Col2ImStarted(const Context& ctx) { return ctx.frame.partial_overlap.Size() > 0; }

Block GradWeights(const Context& ctx) {
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  TensorSpec t = FilterTensor(ctx, "grad_weights", "dW");
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.grad_weights);
  t.summary_tint = ctx.palette.gradient;
  t.cell = [&ctx, &c, &fr](int f, int ch, int y, int x) {
    const Index r = RowOf(ctx.shape, ctx.order, PatchOffset{ch, y, x});
    CellVisual v;
    const bool current = Is(ctx, Phase::GradWeights) && fr.focus_cell && fr.focus_cell->r == f && fr.focus_cell->j == r;
    if (fr.GradWFilled(f, r)) {
      v = ValueCell(c.grad_weights(f, ch, y, x), ctx.palette.gradient_tint);
      if (current && ctx.animating) v.alpha = ctx.transition;
    }
    v.focus = current;
    v.linked = ctx.links.WeightLinked(f, ch, y, x);
    return v;
  };
  t.target = [&ctx](int f, int ch, int y, int x) {
    return HoverTarget::Matrix(Kind::GradWRowCell, f, RowOf(ctx.shape, ctx.order, PatchOffset{ch, y, x}));
  };
  return MakeTensorBlock(ctx, t);
}

Block GradWRow(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m = FilterByPatchSpec(ctx, "grad_w_row", SizedTitle("dW_row = dY \xC2\xB7 X_col\xE1\xB5\x80", s.filters, s.PatchSize()), ctx.palette.gradient, ctx.shared_cell_w_bwd,
                                   CellWidthFor(ctx.style, ctx.longest.grad_w_row));
  m.cell = [&ctx, &c, &fr, &s](Index f, Index r) {
    CellVisual v;
    const bool current = Is(ctx, Phase::GradWeights) && fr.focus_cell && fr.focus_cell->r == f && fr.focus_cell->j == r;
    if (StructuralZero(s, ctx.order, f, r)) {
      if (fr.GradWFilled(f, r)) v = StructuralCell();
    } else if (fr.GradWFilled(f, r)) {
      v = ValueCell(c.grad_w_row(f, r), GroupTint(ctx, ctx.palette.gradient_tint, s.GroupOfWeightRow(f)));
      if (current && ctx.animating) v.alpha = ctx.transition;
    }
    v.linked = ctx.links.w_row_cell && ctx.links.WRowLinked(f, r);
    return v;
  };
  m.target = [](Index f, Index r) { return HoverTarget::Matrix(Kind::GradWRowCell, f, r); };
  m.picture = MatrixId::GradWRow;
  m.light_tint = ctx.palette.gradient_tint;
  if (Is(ctx, Phase::GradWeights) && fr.focus_cell) {
    m.focus.push_back(CellRange{static_cast<int>(fr.focus_cell->r), static_cast<int>(fr.focus_cell->j),
                                static_cast<int>(fr.focus_cell->r), static_cast<int>(fr.focus_cell->j)});
  }
  return MakeMatrixBlock(ctx, m);
}

// dX as it builds up during col2im. `overwrite` shows the buggy (=) result.
Block GradInput(const Context& ctx, bool overwrite, const std::string& name, const std::string& title) {
  const Shape& s = ctx.shape;
  const FrameState& fr = ctx.frame;
  TensorSpec t = ImageTensor(ctx, name, title, s.channels);
  t.id_prefix = overwrite == ctx.state.overwrite_mode ? "grad_input" : "grad_input_right";
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.grad_input) + (overwrite ? WrongMarkWidth(ctx.style) : 0.0f);
  t.summary_tint = ctx.palette.gradient;
  const bool started = Col2ImStarted(ctx);
  const bool finished = fr.col2im_columns >= fr.columns;
  t.cell = [&ctx, &fr, overwrite, started, finished](int n, int ch, int y, int x) {
    CellVisual v;
    const bool in_window = Is(ctx, Phase::Col2im) && WindowContains(ctx, n, ch, y, x);
    if (started) {
      const double count = fr.partial_overlap(n, ch, y, x);
      const double sum = fr.partial_grad_input(n, ch, y, x);
      const double shown = overwrite ? fr.partial_grad_input_overwrite(n, ch, y, x) : sum;
      if (count > 0 || finished) {
        v = ValueCell(shown, ctx.palette.gradient_tint);
        v.muted = count == 0;  // never reached by any window: stays 0
        if (in_window && ctx.animating) v.alpha = 0.35f + 0.65f * ctx.transition;
        v.wrong = overwrite && shown != sum;
      }
    }
    v.focus = in_window;
    v.linked = ctx.links.InputLinked(n, ch, y, x);
    const auto& hovered_source = ctx.links.source;  // a hovered dX_col cell adds into this pixel
    v.linked_source = hovered_source && hovered_source->n == n && hovered_source->c == ch && hovered_source->y == y &&
                      hovered_source->x == x;
    return v;
  };
  t.target = [](int n, int ch, int y, int x) { return HoverTarget::Tensor(Kind::GradInputPixel, n, ch, y, x); };
  if (Is(ctx, Phase::Col2im)) t.summary_focus = [&ctx](int n, int ch) { return WindowRanges(ctx, n, ch, 0, 0); };
  t.picture = [&ctx, &fr, name, overwrite, started](int n, int ch) {
    // The sums so far change with each col2im step: uploaded when the step changes.
    // Before col2im there are none yet: the final dX's shape, shown empty.
    const Tensor4* sums = !started   ? &ctx.comp.grad_input
                          : overwrite ? &fr.partial_grad_input_overwrite
                                      : &fr.partial_grad_input;
    PictureSpec p = PlanePicture(ctx, name + "[" + std::to_string(n) + "," + std::to_string(ch) + "]",
                                 ContentKey(ctx, fr.col2im_columns), sums, n, ch, Pair{0, 0},
                                 MatrixStyle::Tinted(ctx.palette.gradient_tint, ctx.palette.gradient));
    if (!started) p.mask.filled_count = 0;
    AddPlaneLinks(ctx, n, ch, 0, 0, &p.mask);
    return std::optional<PictureSpec>(std::move(p));
  };
  return MakeTensorBlock(ctx, t);
}

Block Overlap(const Context& ctx) {
  const Shape& s = ctx.shape;
  const FrameState& fr = ctx.frame;
  TensorSpec t = ImageTensor(ctx, "overlap", "overlap count", 1);
  t.caption = [&s](int n, int) { return s.batch > 1 ? "n " + std::to_string(n) + ": adds/pixel" : std::string("adds per pixel"); };
  const int largest = ctx.comp.overlap.size() > 0 ? ctx.comp.overlap.maxCoeff() : 1;
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.overlap);
  const bool started = Col2ImStarted(ctx);
  t.cell = [&ctx, &fr, started, largest](int n, int, int y, int x) {
    CellVisual v;
    if (started) {
      const double count = fr.partial_overlap(n, 0, y, x);
      if (count > 0) {
        v.kind = CellKind::Heat;
        v.value = count;
        // Cividis from 1 (dark) to the final maximum (light): a stable scale while it builds;
        // one add is always the darkest, so a map with no overlap reads as "all low".
        v.fill = CividisColor(largest > 1 ? static_cast<float>((count - 1.0) / (largest - 1.0)) : 0.0f);
      }
    }
    v.focus = Is(ctx, Phase::Col2im) && WindowContains(ctx, n, 0, y, x);
    v.linked = ctx.links.InputLinked(n, 0, y, x);
    return v;
  };
  t.target = [](int n, int, int y, int x) { return HoverTarget::Tensor(Kind::GradInputPixel, n, 0, y, x); };
  if (Is(ctx, Phase::Col2im)) t.summary_focus = [&ctx](int n, int) { return WindowRanges(ctx, n, 0, 0, 0); };
  t.picture = [&ctx, &fr, largest](int n, int) {
    // Counts so far (uploaded when the col2im step changes) on the final counts' scale,
    // so the heat builds up without changing meaning; 0 adds stays empty.
    MatrixStyle style = MatrixStyle::Heat();
    style.value_max = static_cast<float>(std::max(largest, 2));
    const bool started = Col2ImStarted(ctx);
    PictureSpec p = PlanePicture(ctx, "overlap[" + std::to_string(n) + "]", ContentKey(ctx, fr.col2im_columns),
                                 started ? &fr.partial_overlap : &ctx.comp.grad_input, n, 0, Pair{0, 0}, style);
    if (!started) p.mask.filled_count = 0;  // nothing added yet (the plane only gives the shape)
    AddPlaneLinks(ctx, n, 0, 0, 0, &p.mask);
    return std::optional<PictureSpec>(std::move(p));
  };
  return MakeTensorBlock(ctx, t);
}

Block GradXCol(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m;
  m.name = "grad_x_col";
  m.transposed = ctx.layout == Layout::Rows;
  m.title = m.transposed ? SizedTitle("dX_row = dY\xE1\xB5\x80 \xC2\xB7 W_row", s.ColumnCount(), s.PatchSize())
                         : SizedTitle("dX_col = W_row\xE1\xB5\x80 \xC2\xB7 dY", s.PatchSize(), s.ColumnCount());
  m.id_prefix = "grad_x_col";
  m.rows = s.PatchSize();
  m.cols = s.ColumnCount();
  m.row_label = [&ctx](Index r) { return RowLabel(ctx.shape, ctx.order, r); };
  m.col_line_names = s.batch > 1 ? std::vector<std::string>{"n", "oy", "ox"} : std::vector<std::string>{"oy", "ox"};
  m.col_label = [&ctx](int line, Index j) { return ColumnLine(ctx, line, j); };
  m.col_as_row_label = [&ctx](Index j) { return ColumnLabel(ctx.shape, ctx.order, j); };
  m.row_line_names = {"c", "ky", "kx"};
  m.row_as_col_label = [&ctx](int line, Index r) { return RowLine(ctx, line, r); };
  m.summary_tint = ctx.palette.gradient;
  m.cell_w = ctx.shared_cell_w_bwd > 0 ? ctx.shared_cell_w_bwd : CellWidthFor(ctx.style, ctx.longest.grad_x_col);
  m.label_w = ctx.shared_label_w;
  m.cell = [&ctx, &c, &fr, &s](Index r, Index j) {
    CellVisual v;
    if (fr.GradXColFilled(j)) {
      v = ValueCell(c.grad_x_col(r, j), ctx.palette.gradient_tint);
      // A padding position's gradient is computed but col2im drops it.
      v.hatch = !SourcePixel(s, ctx.order, r, j).has_value();
      if (Is(ctx, Phase::GradXCol) && ctx.animating && fr.focus_column == j) v.alpha = ctx.transition;
    }
    v.linked = std::any_of(ctx.links.x_col_cells.begin(), ctx.links.x_col_cells.end(),
                           [&](const Cell& cell) { return cell.r == r && cell.j == j; });
    return v;
  };
  m.target = [](Index r, Index j) { return HoverTarget::Matrix(Kind::GradXColCell, r, j); };
  m.picture = MatrixId::GradXCol;
  m.light_tint = ctx.palette.gradient_tint;
  if ((Is(ctx, Phase::GradXCol) || Is(ctx, Phase::Col2im)) && fr.focus_column) {
    m.focus.push_back(ColRange(*fr.focus_column, m.rows));
  }
  if (ctx.links.column) m.links.push_back(ColRange(*ctx.links.column, m.rows));
  if (ctx.links.patch_row) m.links.push_back(RowSpan(*ctx.links.patch_row, 0, m.cols - 1));
  return MakeMatrixBlock(ctx, m);
}

Block DyMat(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m;
  m.name = "dy_mat";
  m.transposed = ctx.layout == Layout::Rows;
  m.title = m.transposed ? SizedTitle("dY\xE1\xB5\x80", s.ColumnCount(), s.filters) : SizedTitle("dY", s.filters, s.ColumnCount());
  m.id_prefix = "dy_mat";
  m.rows = s.filters;
  m.cols = s.ColumnCount();
  m.row_label = [](Index f) { return "f " + std::to_string(f); };
  m.row_line_names = {"f"};
  m.row_as_col_label = [](int, Index f) { return std::to_string(f); };
  m.summary_tint = ctx.palette.gradient;
  m.cell_w = ctx.layout == Layout::Columns && ctx.shared_cell_w_bwd > 0 ? ctx.shared_cell_w_bwd : CellWidthFor(ctx.style, ctx.longest.dy_mat);
  if (ctx.layout == Layout::Columns) m.label_w = ctx.shared_label_w;
  m.cell = [&ctx, &c, &fr, &s](Index f, Index j) {
    CellVisual v;
    const int n = PatchIndexOf(s, ctx.order, j).n;
    const bool landing = Is(ctx, Phase::GradOutput) && ctx.animating && n == ctx.focus_map_n && f == ctx.focus_map_f;
    if (fr.DyMapFilled(n, static_cast<int>(f), s.filters) && !landing) v = ValueCell(c.dy_mat(f, j), ctx.palette.gradient_tint);
    v.linked = ctx.links.YLinked(f, j);
    return v;
  };
  m.target = [](Index f, Index j) { return HoverTarget::Matrix(Kind::DyCell, f, j); };
  m.picture = MatrixId::DyMat;
  m.light_tint = ctx.palette.gradient_tint;
  const Index l = s.PatchCount();
  if (Is(ctx, Phase::GradOutput) && ctx.focus_map_n >= 0) {
    m.focus.push_back(RowSpan(ctx.focus_map_f, ctx.focus_map_n * l, ctx.focus_map_n * l + l - 1));
  }
  if (Is(ctx, Phase::GradWeights) && fr.focus_filter) m.focus.push_back(RowSpan(*fr.focus_filter, 0, m.cols - 1));
  if (Is(ctx, Phase::GradXCol) && fr.focus_column) m.focus.push_back(ColRange(*fr.focus_column, m.rows));
  if (ctx.links.column && !ctx.links.filter) m.links.push_back(ColRange(*ctx.links.column, m.rows));
  if (ctx.links.filter && !ctx.links.column) m.links.push_back(RowSpan(*ctx.links.filter, 0, m.cols - 1));
  return MakeMatrixBlock(ctx, m);
}

Block GradOutput(const Context& ctx) {
  const Computation& c = ctx.comp;
  TensorSpec t = OutputTensor(ctx, "grad_output", "dY");
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.grad_output);
  t.summary_tint = ctx.palette.gradient;
  t.cell = [&ctx, &c](int n, int f, int y, int x) {
    CellVisual v = ValueCell(c.grad_output(n, f, y, x), ctx.palette.gradient_tint);
    v.linked = ctx.links.OutputLinked(n, f, y, x);
    return v;
  };
  t.target = [](int n, int f, int y, int x) { return HoverTarget::Tensor(Kind::GradOutputCell, n, f, y, x); };
  t.slice_focus = [&ctx](int n, int f) {
    return Is(ctx, Phase::GradOutput) && n == ctx.focus_map_n && f == ctx.focus_map_f;
  };
  t.picture = [&ctx, &c](int n, int f) {
    PictureSpec p = PlanePicture(ctx, "grad_output[" + std::to_string(n) + "," + std::to_string(f) + "]", ContentKey(ctx),
                                 &c.grad_output, n, f, Pair{0, 0},
                                 MatrixStyle::Tinted(ctx.palette.gradient_tint, ctx.palette.gradient));
    if (const auto& o = ctx.links.output; o && o->n == n && o->c == f) p.mask.hover_cell = Cell{o->y, o->x};
    return std::optional<PictureSpec>(std::move(p));
  };
  return MakeTensorBlock(ctx, t);
}

}  // namespace

BackwardBlocks BuildBackward(const Context& ctx) {
  BackwardBlocks b;
  const bool overwrite = ctx.state.overwrite_mode;
  b.grad_weights = GradWeights(ctx);
  b.grad_w_row = GradWRow(ctx);
  const Shape& s = ctx.shape;
  const std::string dims = TensorTitle("", {s.batch, s.channels, s.height, s.width});
  b.grad_input = GradInput(ctx, overwrite, "grad_input", overwrite ? "dX with = (wrong)" + dims : "dX" + dims);
  if (overwrite) b.grad_input_right = GradInput(ctx, false, "grad_input_right", "dX with += (right)");
  b.overlap = Overlap(ctx);
  b.grad_x_col = GradXCol(ctx);
  b.dy_mat = DyMat(ctx);
  b.grad_output = GradOutput(ctx);
  return b;
}

void DrawBackwardFlights(const Context& ctx, ImDrawList* draw, const BackwardBlocks& b) {
  if (!ctx.animating) return;
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  if (Is(ctx, Phase::GradOutput) && ctx.focus_map_n >= 0 && s.PatchCount() <= 1024) {
    const Index l_count = s.PatchCount();
    for (Index l = 0; l < l_count; ++l) {
      const Index j = ctx.focus_map_n * l_count + l;
      const PatchIndex pi = PatchIndexOf(s, ctx.order, j);
      const auto from = b.grad_output.TensorCell(pi.n, ctx.focus_map_f, pi.oy, pi.ox);
      const auto to = b.dy_mat.MatrixCell(ctx.focus_map_f, j);
      if (from && to) DrawFlight(draw, ctx.style, *from, *to, ctx.transition, ctx.palette.gradient_tint, FormatNumber(c.dy_mat(ctx.focus_map_f, j)));
    }
  }
  if (Is(ctx, Phase::Col2im) && fr.focus_column && s.PatchSize() <= 512) {
    const Index j = *fr.focus_column;
    for (Index r = 0; r < s.PatchSize(); ++r) {
      const auto pixel = SourcePixel(s, ctx.order, r, j);
      if (!pixel) continue;  // padding gradients are dropped
      const auto from = b.grad_x_col.MatrixCell(r, j);
      const auto to = b.grad_input.TensorCell(pixel->n, pixel->c, pixel->y, pixel->x);
      if (from && to) DrawFlight(draw, ctx.style, *from, *to, ctx.transition, ctx.palette.gradient_tint, FormatNumber(c.grad_x_col(r, j)));
    }
  }
}

}  // namespace im2col::gui::stage
