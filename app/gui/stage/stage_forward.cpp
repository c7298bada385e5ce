// The forward band: W -> flatten -> W_row; input + padding -> im2col -> X_col;
// Y = W_row . X_col -> reshape -> output. Values, focus and hover links all come
// from the computation, the frame state and core's indexing functions.
#include <algorithm>

#include "gui/stage/stage_forward.h"
#include "gui/stage/arrows.h"

namespace im2col::gui::stage {

namespace {

using Kind = HoverTarget::Kind;

// The focus cell of the current step hides until its transition lands.
bool Landing(const Context& ctx, Phase p) { return ctx.animating && ctx.phase == p; }

std::vector<std::string> ColumnLineNames(const Shape& s) {
  if (s.batch > 1) return {"n", "oy", "ox"};
  return {"oy", "ox"};
}


Block Weights(const Context& ctx) {
  const Computation& c = ctx.comp;
  TensorSpec t = FilterTensor(ctx, "weights", "W (filters)");
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.weights);
  t.summary_tint = ctx.palette.weights;
  t.cell = [&ctx, &c](int f, int ch, int y, int x) {
    CellVisual v = ValueCell(c.weights(f, ch, y, x), ctx.palette.weights_tint);
    v.linked = ctx.links.WeightLinked(f, ch, y, x);
    return v;
  };
  t.target = [](int f, int ch, int y, int x) { return HoverTarget::Tensor(Kind::WeightCell, f, ch, y, x); };
  t.slice_focus = [&ctx](int f, int) { return Is(ctx, Phase::Flatten) && ctx.frame.focus_filter == f; };
  return MakeTensorBlock(ctx, t);
}

Block Input(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  TensorSpec t = ImageTensor(ctx, "input", TensorTitle("Input x + padding", {s.batch, s.channels, s.height, s.width}),
                             s.channels);
  t.rows = s.height + 2 * s.padding.h;  // with its padding ring
  t.cols = s.width + 2 * s.padding.w;
  t.row_offset = -s.padding.h;
  t.col_offset = -s.padding.w;
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.input);
  t.summary_tint = ctx.palette.input;
  const bool show_window = Is(ctx, Phase::Extract) || Is(ctx, Phase::Multiply);
  t.cell = [&ctx, &c, &s, show_window](int n, int ch, int y, int x) {
    CellVisual v;
    if (y >= 0 && y < s.height && x >= 0 && x < s.width) {
      v = ValueCell(c.input(n, ch, y, x), ctx.palette.input_tint);
    } else {
      v.kind = CellKind::Padding;
    }
    v.focus = show_window && WindowContains(ctx, n, ch, y, x);
    // The pixel (or padding zero) copied at this extract step.
    const auto& src = ctx.extract_source;
    v.focus_source = src && src->n == n && src->c == ch && src->y == y && src->x == x;
    v.linked = ctx.links.InputLinked(n, ch, y, x);
    const auto& hovered_source = ctx.links.source;
    v.linked_source = hovered_source && hovered_source->n == n && hovered_source->c == ch && hovered_source->y == y &&
                      hovered_source->x == x;
    return v;
  };
  t.target = [](int n, int ch, int y, int x) { return HoverTarget::Tensor(Kind::InputPixel, n, ch, y, x); };
  if (show_window) {
    t.summary_focus = [&ctx, &s](int n, int ch) { return WindowRanges(ctx, n, ch, -s.padding.h, -s.padding.w); };
  }
  t.picture = [&ctx, &c, &s](int n, int ch) {
    PictureSpec p = PlanePicture(ctx, "input[" + std::to_string(n) + "," + std::to_string(ch) + "]", ContentKey(ctx), &c.input,
                                 n, ch, s.padding, MatrixStyle::Tinted(ctx.palette.input_tint, ctx.palette.input));
    const auto& src = ctx.extract_source;  // the pixel (or padding zero) copied at this step
    if (src && src->n == n && src->c == ch) p.mask.focus_cell = Cell{src->y + s.padding.h, src->x + s.padding.w};
    AddPlaneLinks(ctx, n, ch, -s.padding.h, -s.padding.w, &p.mask);
    return std::optional<PictureSpec>(std::move(p));
  };
  return MakeTensorBlock(ctx, t);
}

Block WRow(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m = FilterByPatchSpec(ctx, "w_row", SizedTitle("W_row", s.filters, s.PatchSize()), ctx.palette.weights, ctx.shared_cell_w,
                                   CellWidthFor(ctx.style, ctx.longest.w_row));
  m.cell = [&ctx, &c, &fr, &s](Index f, Index r) {
    CellVisual v;
    const bool landing = Landing(ctx, Phase::Flatten) && fr.focus_filter == f;
    if (fr.WRowFilled(f) && !landing) {
      v = StructuralZero(s, ctx.order, f, r) ? StructuralCell()
                                             : ValueCell(c.w_row(f, r), GroupTint(ctx, ctx.palette.weights_tint, s.GroupOfWeightRow(f)));
    }
    v.linked = ctx.links.w_row_cell && ctx.links.WRowLinked(f, r);
    return v;
  };
  m.target = [](Index f, Index r) { return HoverTarget::Matrix(Kind::WRowCell, f, r); };
  m.picture = MatrixId::WRow;
  m.light_tint = ctx.palette.weights_tint;
  if ((Is(ctx, Phase::Flatten) || Is(ctx, Phase::Multiply)) && fr.focus_filter) {
    m.focus.push_back(RowRange(*fr.focus_filter, m.cols));
  }
  if (Is(ctx, Phase::GradXCol)) m.focus.push_back(CellRange{0, 0, static_cast<int>(m.rows - 1), static_cast<int>(m.cols - 1)});
  if (ctx.links.filter && !ctx.links.w_row_cell) m.links.push_back(RowRange(*ctx.links.filter, m.cols));
  return MakeMatrixBlock(ctx, m);
}

Block XCol(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m;
  m.name = "x_col";
  m.transposed = ctx.layout == Layout::Rows;
  m.title = m.transposed ? SizedTitle("X_row = X_col\xE1\xB5\x80", s.ColumnCount(), s.PatchSize())
                         : SizedTitle("X_col", s.PatchSize(), s.ColumnCount());
  m.id_prefix = "x_col";
  m.rows = s.PatchSize();
  m.cols = s.ColumnCount();
  m.row_label = [&ctx](Index r) { return RowLabel(ctx.shape, ctx.order, r); };
  m.col_line_names = ColumnLineNames(s);
  m.col_label = [&ctx](int line, Index j) { return ColumnLine(ctx, line, j); };
  m.col_as_row_label = [&ctx](Index j) { return ColumnLabel(ctx.shape, ctx.order, j); };
  m.row_line_names = {"c", "ky", "kx"};
  m.row_as_col_label = [&ctx](int line, Index r) { return RowLine(ctx, line, r); };
  m.summary_tint = ctx.palette.input;
  m.cell_w = ctx.shared_cell_w > 0 ? ctx.shared_cell_w : CellWidthFor(ctx.style, ctx.longest.x_col);
  m.label_w = ctx.shared_label_w;
  m.cell = [&ctx, &c, &fr, &s](Index r, Index j) {
    CellVisual v;
    const bool landing = Landing(ctx, Phase::Extract) && fr.focus_cell && fr.focus_cell->r == r && fr.focus_cell->j == j;
    if (fr.XColFilled(r, j) && !landing) {
      if (SourcePixel(s, ctx.order, r, j)) {
        v = ValueCell(c.x_col(r, j), GroupTint(ctx, ctx.palette.input_tint, s.GroupOfPatchChannel(PatchOffsetOf(s, ctx.order, r).c)));
      }
      else v.kind = CellKind::Padding;
    }
    v.linked = std::any_of(ctx.links.x_col_cells.begin(), ctx.links.x_col_cells.end(),
                           [&](const Cell& cell) { return cell.r == r && cell.j == j; });
    return v;
  };
  m.target = [](Index r, Index j) { return HoverTarget::Matrix(Kind::XColCell, r, j); };
  m.picture = MatrixId::XCol;
  m.light_tint = ctx.palette.input_tint;
  if (Is(ctx, Phase::Extract) && fr.focus_cell) m.focus.push_back(CellAt(fr.focus_cell->r, fr.focus_cell->j));
  if (Is(ctx, Phase::Multiply) && fr.focus_column) m.focus.push_back(ColRange(*fr.focus_column, m.rows));
  if (Is(ctx, Phase::GradWeights) && fr.focus_patch_row) m.focus.push_back(RowRange(*fr.focus_patch_row, m.cols));
  if (ctx.links.column) m.links.push_back(ColRange(*ctx.links.column, m.rows));
  if (ctx.links.patch_row) m.links.push_back(RowRange(*ctx.links.patch_row, m.cols));
  return MakeMatrixBlock(ctx, m);
}

Block YMat(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m;
  m.name = "y_mat";
  m.transposed = ctx.layout == Layout::Rows;
  m.title = m.transposed ? SizedTitle("Y\xE1\xB5\x80 = X_row \xC2\xB7 W_row\xE1\xB5\x80", s.ColumnCount(), s.filters)
                         : SizedTitle("Y = W_row \xC2\xB7 X_col", s.filters, s.ColumnCount());
  m.id_prefix = "y_mat";
  m.rows = s.filters;
  m.cols = s.ColumnCount();
  // Columns layout: Y sits under X_col and shares its column labels; rows layout: beside X_row.
  m.row_label = [](Index f) { return "f " + std::to_string(f); };
  m.row_line_names = {"f"};
  m.row_as_col_label = [](int, Index f) { return std::to_string(f); };
  m.summary_tint = ctx.palette.output;
  m.cell_w = ctx.layout == Layout::Columns && ctx.shared_cell_w > 0 ? ctx.shared_cell_w : CellWidthFor(ctx.style, ctx.longest.y_mat);
  if (ctx.layout == Layout::Columns) m.label_w = ctx.shared_label_w;
  m.cell = [&ctx, &c, &fr](Index f, Index j) {
    CellVisual v;
    const bool current = Is(ctx, Phase::Multiply) && fr.focus_cell && fr.focus_cell->r == f && fr.focus_cell->j == j;
    if (fr.YFilled(f, j)) {
      v = ValueCell(c.y_mat(f, j), ctx.palette.output_tint);
      if (current && ctx.animating) v.alpha = ctx.transition;  // the dot product's result fades in
    }
    v.linked = ctx.links.YLinked(f, j);
    return v;
  };
  m.target = [](Index f, Index j) { return HoverTarget::Matrix(Kind::YCell, f, j); };
  m.picture = MatrixId::YMat;
  m.light_tint = ctx.palette.output_tint;
  if (Is(ctx, Phase::Multiply) && fr.focus_cell) m.focus.push_back(CellAt(fr.focus_cell->r, fr.focus_cell->j));
  if (Is(ctx, Phase::Reshape) && ctx.focus_map_n >= 0) {
    const Index l = s.PatchCount(), first = ctx.focus_map_n * l;
    m.focus.push_back(CellRange{ctx.focus_map_f, static_cast<int>(first), ctx.focus_map_f, static_cast<int>(first + l - 1)});
  }
  if (ctx.links.column && !ctx.links.filter) m.links.push_back(ColRange(*ctx.links.column, m.rows));
  if (ctx.links.filter && !ctx.links.column) m.links.push_back(RowRange(*ctx.links.filter, m.cols));
  return MakeMatrixBlock(ctx, m);
}

Block Output(const Context& ctx) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  TensorSpec t = OutputTensor(ctx, "output", "Output");
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.output);
  t.summary_tint = ctx.palette.output;
  t.cell = [&ctx, &c, &fr, &s](int n, int f, int y, int x) {
    CellVisual v;
    const bool landing = Landing(ctx, Phase::Reshape) && n == ctx.focus_map_n && f == ctx.focus_map_f;
    if (fr.OutputMapFilled(n, f, s.filters) && !landing) {
      v = ValueCell(c.output(n, f, y, x), ctx.palette.output_tint);
    } else if (fr.YFilled(f, ColumnOf(s, ctx.order, PatchIndex{n, y, x}))) {
      // Already computed in Y, not yet reshaped: a faint preview fills in as multiply goes.
      v = ValueCell(c.output(n, f, y, x), Blend(ctx.palette.background, ctx.palette.output_tint, 0.45f));
      v.muted = true;
    }
    v.linked = ctx.links.OutputLinked(n, f, y, x);
    return v;
  };
  t.target = [](int n, int f, int y, int x) { return HoverTarget::Tensor(Kind::OutputCell, n, f, y, x); };
  t.slice_focus = [&ctx](int n, int f) { return Is(ctx, Phase::Reshape) && n == ctx.focus_map_n && f == ctx.focus_map_f; };
  t.picture = [&ctx, &c, &fr, &s](int n, int f) {
    const Palette& p = ctx.palette;
    const bool landing = Landing(ctx, Phase::Reshape) && n == ctx.focus_map_n && f == ctx.focus_map_f;
    const bool reshaped = fr.OutputMapFilled(n, f, s.filters) && !landing;
    // Not reshaped yet: a faint preview of the map fills in as multiply computes its Y cells.
    const MatrixStyle style = reshaped ? MatrixStyle::Tinted(p.output_tint, p.output)
                                       : MatrixStyle::Tinted(Blend(p.background, p.output_tint, 0.45f),
                                                             Blend(p.background, p.output, 0.45f));
    PictureSpec picture = PlanePicture(ctx, "output[" + std::to_string(n) + "," + std::to_string(f) + "]", ContentKey(ctx),
                                       &c.output, n, f, Pair{0, 0}, style);
    if (!reshaped) {
      const Index maps_before = Index{f} * fr.columns + Index{n} * s.PatchCount();  // Y fills row by row
      picture.mask.filled_count = std::clamp<Index>(fr.y_cells - maps_before, 0, s.PatchCount());
      picture.mask.fill_order = ctx.order == Order::RowMajor ? FillOrder::RowMajor : FillOrder::ColumnMajor;
    }
    if (const auto& o = ctx.links.output; o && o->n == n && o->c == f) picture.mask.hover_cell = Cell{o->y, o->x};
    return std::optional<PictureSpec>(std::move(picture));
  };
  return MakeTensorBlock(ctx, t);
}

}  // namespace

ForwardBlocks BuildForward(const Context& ctx) {
  ForwardBlocks b;
  b.weights = Weights(ctx);
  b.w_row = WRow(ctx);
  b.input = Input(ctx);
  b.x_col = XCol(ctx);
  b.y = YMat(ctx);
  b.output = Output(ctx);
  return b;
}

// The value being moved at this step travels from its source cell to its new place.
void DrawForwardFlights(const Context& ctx, ImDrawList* draw, const ForwardBlocks& b) {
  if (!ctx.animating) return;
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  const Palette& p = ctx.palette;
  if (Is(ctx, Phase::Extract) && fr.focus_cell) {
    const Index r = fr.focus_cell->r, j = fr.focus_cell->j;
    const SourceCoord src = SourceOf(s, ctx.order, r, j);
    const auto from = b.input.TensorCell(src.n, src.c, src.y, src.x);
    const auto to = b.x_col.MatrixCell(r, j);
    if (from && to) {
      DrawFlight(draw, ctx.style, *from, *to, ctx.transition, src.in_image ? p.input_tint : p.padding,
                 FormatNumber(c.x_col(r, j)));
    }
  }
  if (Is(ctx, Phase::Flatten) && fr.focus_filter && s.PatchSize() <= 512) {
    const Index f = *fr.focus_filter;
    for (Index r = 0; r < s.PatchSize(); ++r) {
      const PatchOffset o = PatchOffsetOf(s, ctx.order, r);
      const auto from = b.weights.TensorCell(static_cast<int>(f), o.c, o.ky, o.kx);
      const auto to = b.w_row.MatrixCell(f, r);
      if (from && to) DrawFlight(draw, ctx.style, *from, *to, ctx.transition, p.weights_tint, FormatNumber(c.w_row(f, r)));
    }
  }
  if (Is(ctx, Phase::Reshape) && ctx.focus_map_n >= 0 && s.PatchCount() <= 1024) {
    const Index l_count = s.PatchCount();
    for (Index l = 0; l < l_count; ++l) {
      const Index j = ctx.focus_map_n * l_count + l;
      const PatchIndex pi = PatchIndexOf(s, ctx.order, j);
      const auto from = b.y.MatrixCell(ctx.focus_map_f, j);
      const auto to = b.output.TensorCell(pi.n, ctx.focus_map_f, pi.oy, pi.ox);
      if (from && to) {
        DrawFlight(draw, ctx.style, *from, *to, ctx.transition, p.output_tint,
                   FormatNumber(c.output(pi.n, ctx.focus_map_f, pi.oy, pi.ox)));
      }
    }
  }
}

}  // namespace im2col::gui::stage
