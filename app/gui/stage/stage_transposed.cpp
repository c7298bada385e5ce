// The transposed convolution's bands and the operator family's band headers. Values and
// fill come from the computation and core's FrameState; links and scatter targets from
// core's indexing functions (SourceOf, SourcePixel, CopiesOf, PatchIndexOf).
#include "gui/stage/stage_transposed.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <memory>
#include <set>
#include <string>

#include "gui/stage/arrows.h"

namespace im2col::gui::stage {

namespace {

using Kind = HoverTarget::Kind;

int PhasePosition(Phase p) {
  for (int i = 0; i < kTransposedPhaseCount; ++i)
    if (kTransposedPhases[static_cast<size_t>(i)] == p) return i;
  return -1;
}
bool Past(const Context& ctx, Phase p) { return PhasePosition(ctx.phase) > PhasePosition(p); }

// The output pixel the hovered x_col cell scatters into, or the hovered output pixel.
struct TransposedLinks {
  std::optional<SourceCoord> target;  // (n, f, y, x) of the output
  std::vector<Cell> cells;            // x_col cells adding into a hovered output pixel
};

TransposedLinks LinksFor(const Context& ctx) {
  TransposedLinks l;
  const HoverTarget& h = ctx.state.hover;
  const Shape& s = ctx.shape;
  if (h.kind == Kind::XColCell && h.r >= 0 && h.r < s.PatchSize() && h.j >= 0 && h.j < s.ColumnCount()) {
    l.target = SourceOf(s, ctx.order, h.r, h.j);
  } else if (h.kind == Kind::OutputCell && h.n >= 0 && h.n < s.batch && h.c >= 0 && h.c < s.filters && h.y >= 0 &&
             h.y < s.OutHeight() && h.x >= 0 && h.x < s.OutWidth()) {
    l.cells = CopiesOf(s, ctx.order, Pixel{h.n, h.c, h.y, h.x});
  }
  return l;
}

// The transposed conv's weights (or their gradient), C x F/G x KH x KW: one slice row per
// input channel, its output channels side by side.
TensorSpec TransposedFilterTensor(const Context& ctx, const std::string& name, const std::string& label,
                                  size_t longest) {
  const Shape& s = ctx.shape;
  TensorSpec t = FilterTensor(ctx, name, label);
  const int per_group = s.filters / s.groups;
  t.title = TensorTitle(label, {s.channels, per_group, s.kernel.h, s.kernel.w});
  t.outer = s.channels;
  t.inner = per_group;
  t.outer_noun = "input channels";
  t.inner_noun = "output channels";
  t.caption = [](int o, int i) { return "c " + std::to_string(o) + ", f " + std::to_string(i); };
  t.cell_w = CellWidthFor(ctx.style, longest);
  return t;
}

Block Weights(const Context& ctx) {
  const Computation& c = ctx.comp;
  TensorSpec t = TransposedFilterTensor(ctx, "weights", "W", ctx.longest.weights);
  t.summary_tint = ctx.palette.weights;
  t.cell = [&ctx, &c](int ch, int f, int y, int x) {
    return ValueCell(c.weights(ch, f, y, x), GroupTint(ctx, ctx.palette.weights_tint, ctx.shape.GroupOfWeightRow(ch)));
  };
  t.slice_focus = [&ctx](int ch, int) { return Is(ctx, Phase::Flatten) && ctx.frame.focus_filter == ch; };
  return MakeTensorBlock(ctx, t);
}

// W_row (C x R) or dW_row: block-diagonal with groups.
Block WeightRows(const Context& ctx, bool gradient) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  const bool by_rows = ctx.layout == Layout::Rows;  // dW_row = x_mat · grad_x_row there
  const std::string title = !gradient ? "W_row"
                            : by_rows ? "dW_row = x_mat \xC2\xB7 grad_x_row"
                                      : "dW_row = x_mat \xC2\xB7 grad_x_col\xE1\xB5\x80";
  MatrixSpec m = FilterByPatchSpec(ctx, gradient ? "grad_w_row" : "w_row", SizedTitle(title, s.channels, s.PatchSize()),
                                   gradient ? ctx.palette.gradient : ctx.palette.weights, 0.0f,
                                   CellWidthFor(ctx.style, gradient ? ctx.longest.grad_w_row : ctx.longest.w_row));
  m.rows = s.channels;
  m.row_label = [](Index ch) { return "c " + std::to_string(ch); };
  m.col_line_names = {"f", "ky", "kx"};
  m.cell = [&ctx, &c, &fr, &s, gradient](Index ch, Index r) {
    const bool filled = gradient ? fr.GradWFilled(ch, r) : fr.WRowFilled(ch);
    if (!filled) return CellVisual{};
    if (StructuralZero(s, ctx.order, ch, r)) return StructuralCell();
    const ImU32 tint = gradient ? ctx.palette.gradient_tint : ctx.palette.weights_tint;
    CellVisual v = ValueCell(gradient ? c.grad_w_row(ch, r) : c.w_row(ch, r), GroupTint(ctx, tint, s.GroupOfWeightRow(ch)));
    return v;
  };
  m.target = [gradient](Index ch, Index r) { return HoverTarget::Matrix(gradient ? Kind::GradWRowCell : Kind::WRowCell, ch, r); };
  m.picture = gradient ? MatrixId::GradWRow : MatrixId::WRow;
  m.light_tint = gradient ? ctx.palette.gradient_tint : ctx.palette.weights_tint;
  if (!gradient && (Is(ctx, Phase::Flatten) || Is(ctx, Phase::GradInput)) && fr.focus_filter) {
    m.focus.push_back(RowRange(*fr.focus_filter, m.cols));
  }
  if (!gradient && Is(ctx, Phase::Multiply) && fr.focus_patch_row) m.focus.push_back(ColRange(*fr.focus_patch_row, m.rows));
  if (gradient && Is(ctx, Phase::GradWeights) && fr.focus_cell) m.focus.push_back(CellAt(fr.focus_cell->r, fr.focus_cell->j));
  return MakeMatrixBlock(ctx, m);
}

// A C x N·L matrix of the transposed bands: x_mat (the input) or dX_mat (W_row · grad_x_col).
Block ChannelMatrix(const Context& ctx, bool gradient) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m;
  m.name = gradient ? "grad_x_mat" : "x_mat";
  m.id_prefix = m.name;
  m.transposed = ctx.layout == Layout::Rows;
  const std::string name = m.transposed ? (gradient ? "dX_mat\xE1\xB5\x80 = grad_x_row \xC2\xB7 W_row\xE1\xB5\x80" : "x_mat\xE1\xB5\x80")
                                        : (gradient ? "dX_mat = W_row \xC2\xB7 grad_x_col" : "x_mat");
  m.title = m.transposed ? SizedTitle(name, s.ColumnCount(), s.channels) : SizedTitle(name, s.channels, s.ColumnCount());
  m.rows = s.channels;
  m.cols = s.ColumnCount();
  m.row_label = [](Index ch) { return "c " + std::to_string(ch); };
  m.row_line_names = {"c"};
  m.row_as_col_label = [](int, Index ch) { return std::to_string(ch); };
  m.col_line_names = s.batch > 1 ? std::vector<std::string>{"n", "iy", "ix"} : std::vector<std::string>{"iy", "ix"};
  m.col_label = [&ctx](int line, Index j) { return ColumnLine(ctx, line, j); };
  m.col_as_row_label = [&ctx](Index j) { return ColumnLabel(ctx.shape, ctx.order, j); };
  m.summary_tint = gradient ? ctx.palette.gradient : ctx.palette.input;
  m.cell_w = CellWidthFor(ctx.style, gradient ? ctx.longest.grad_input : ctx.longest.input);
  m.cell = [&ctx, &c, &fr, &s, gradient](Index ch, Index j) {
    if (!gradient) {
      return ValueCell(c.x_mat(ch, j), GroupTint(ctx, ctx.palette.input_tint, s.GroupOfWeightRow(ch)));
    }
    CellVisual v;
    if (fr.GradInputFilled(ch, j)) {
      const PatchIndex p = PatchIndexOf(s, ctx.order, j);
      v = ValueCell(c.grad_input(p.n, static_cast<int>(ch), p.oy, p.ox), ctx.palette.gradient_tint);
    }
    return v;
  };
  if (!gradient) {
    m.picture = MatrixId::XMat;
    m.light_tint = ctx.palette.input_tint;
  }
  if (!gradient && Is(ctx, Phase::Multiply) && fr.focus_column) m.focus.push_back(ColRange(*fr.focus_column, m.rows));
  if (!gradient && Is(ctx, Phase::GradWeights) && fr.focus_filter) m.focus.push_back(RowRange(*fr.focus_filter, m.cols));
  if (gradient && Is(ctx, Phase::GradInput) && fr.focus_cell) m.focus.push_back(CellAt(fr.focus_cell->r, fr.focus_cell->j));
  return MakeMatrixBlock(ctx, m);
}

// x_col = W_rowᵀ · x_mat, or grad_x_col = im2col(dY): R x N·L, rows (f, ky, kx).
Block PatchMatrix(const Context& ctx, bool gradient, const TransposedLinks& links) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  MatrixSpec m;
  m.name = gradient ? "grad_x_col" : "x_col";
  m.id_prefix = m.name;
  m.transposed = ctx.layout == Layout::Rows;
  const std::string name = m.transposed ? (gradient ? "grad_x_row = grad_x_col\xE1\xB5\x80" : "x_row = x_mat\xE1\xB5\x80 \xC2\xB7 W_row")
                                        : (gradient ? "grad_x_col = im2col(dY)" : "x_col = W_row\xE1\xB5\x80 \xC2\xB7 x_mat");
  m.title = m.transposed ? SizedTitle(name, s.ColumnCount(), s.PatchSize()) : SizedTitle(name, s.PatchSize(), s.ColumnCount());
  m.rows = s.PatchSize();
  m.cols = s.ColumnCount();
  m.row_label = [&ctx](Index r) { return RowLabel(ctx.shape, ctx.order, r); };
  m.row_line_names = {"f", "ky", "kx"};
  m.row_as_col_label = [&ctx](int line, Index r) { return RowLine(ctx, line, r); };
  m.col_line_names = s.batch > 1 ? std::vector<std::string>{"n", "iy", "ix"} : std::vector<std::string>{"iy", "ix"};
  m.col_label = [&ctx](int line, Index j) { return ColumnLine(ctx, line, j); };
  m.col_as_row_label = [&ctx](Index j) { return ColumnLabel(ctx.shape, ctx.order, j); };
  m.summary_tint = gradient ? ctx.palette.gradient : ctx.palette.output;
  m.cell_w = CellWidthFor(ctx.style, gradient ? ctx.longest.grad_x_col : ctx.longest.x_col);
  m.cell = [&ctx, &c, &fr, &s, gradient, links](Index r, Index j) {
    CellVisual v;
    const bool filled = gradient ? fr.GradXColCellFilled(r, j) : fr.XColFilled(r, j);
    if (filled) {
      const bool inside = SourcePixel(s, ctx.order, r, j).has_value();
      if (gradient && !inside) {
        v.kind = CellKind::Padding;  // im2col of dY reads a padding zero here
      } else {
        v = ValueCell(gradient ? c.grad_x_col(r, j) : c.x_col(r, j), gradient ? ctx.palette.gradient_tint : ctx.palette.output_tint);
        v.hatch = !inside;  // lands outside the output: col2im drops it
      }
      const bool current = fr.focus_cell && fr.focus_cell->r == r && fr.focus_cell->j == j &&
                           (gradient ? Is(ctx, Phase::GradXCol) : Is(ctx, Phase::Multiply));
      if (current && ctx.animating) v.alpha = ctx.transition;
    }
    v.linked = !gradient && std::any_of(links.cells.begin(), links.cells.end(), [&](const Cell& k) { return k.r == r && k.j == j; });
    return v;
  };
  m.target = [gradient](Index r, Index j) { return HoverTarget::Matrix(gradient ? Kind::GradXColCell : Kind::XColCell, r, j); };
  m.picture = gradient ? MatrixId::GradXCol : MatrixId::XCol;
  m.light_tint = gradient ? ctx.palette.gradient_tint : ctx.palette.output_tint;
  const Phase writes = gradient ? Phase::GradXCol : Phase::Multiply;
  if (Is(ctx, writes) && fr.focus_cell) m.focus.push_back(CellAt(fr.focus_cell->r, fr.focus_cell->j));
  if (!gradient && Is(ctx, Phase::Col2im) && fr.focus_column) m.focus.push_back(ColRange(*fr.focus_column, m.rows));
  if (gradient && Is(ctx, Phase::GradInput) && fr.focus_column) m.focus.push_back(ColRange(*fr.focus_column, m.rows));
  if (gradient && Is(ctx, Phase::GradWeights) && fr.focus_patch_row) m.focus.push_back(RowRange(*fr.focus_patch_row, m.cols));
  return MakeMatrixBlock(ctx, m);
}

Block Input(const Context& ctx, bool gradient) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  TensorSpec t = ImageTensor(ctx, gradient ? "grad_input" : "input",
                             TensorTitle(gradient ? "dX" : "Input x", {s.batch, s.channels, s.height, s.width}), s.channels);
  t.cell_w = CellWidthFor(ctx.style, gradient ? ctx.longest.grad_input : ctx.longest.input);
  t.summary_tint = gradient ? ctx.palette.gradient : ctx.palette.input;
  t.cell = [&ctx, &c, &fr, &s, gradient](int n, int ch, int y, int x) {
    if (!gradient) return ValueCell(c.input(n, ch, y, x), GroupTint(ctx, ctx.palette.input_tint, s.GroupOfWeightRow(ch)));
    CellVisual v;
    const Index j = ColumnOf(s, ctx.order, PatchIndex{n, y, x});
    if (fr.GradInputFilled(ch, j)) v = ValueCell(c.grad_input(n, ch, y, x), ctx.palette.gradient_tint);
    v.focus = Is(ctx, Phase::GradInput) && fr.focus_cell && fr.focus_cell->r == ch && fr.focus_cell->j == j;
    return v;
  };
  t.target = [gradient](int n, int ch, int y, int x) {
    return HoverTarget::Tensor(gradient ? Kind::GradInputPixel : Kind::InputPixel, n, ch, y, x);
  };
  return MakeTensorBlock(ctx, t);
}

// The output (forward) or dY (backward): N x F x HO x WO.
Block OutputLike(const Context& ctx, bool gradient, const TransposedLinks& links) {
  const Shape& s = ctx.shape;
  const Computation& c = ctx.comp;
  const FrameState& fr = ctx.frame;
  const char* output_title = ctx.layout == Layout::Rows ? "Output = col2im(x_row) + b" : "Output = col2im(x_col) + b";
  TensorSpec t = OutputTensor(ctx, gradient ? "grad_output" : "output", gradient ? "dY" : output_title);
  t.cell_w = CellWidthFor(ctx.style, std::max(gradient ? ctx.longest.grad_output : ctx.longest.output, ctx.longest.x_col));
  t.summary_tint = gradient ? ctx.palette.gradient : ctx.palette.output;
  const bool during = !gradient && Is(ctx, Phase::Col2im) && fr.partial_grad_input.Size() > 0;
  const bool done = !gradient && Past(ctx, Phase::Col2im);
  t.cell = [&ctx, &c, &fr, &s, gradient, during, done, links](int n, int f, int y, int x) {
    CellVisual v;
    if (gradient) {
      if (fr.DyMapFilled(n, f, s.filters)) v = ValueCell(c.grad_output(n, f, y, x), ctx.palette.gradient_tint);
      v.focus = Is(ctx, Phase::GradXCol) && fr.focus_pixel && fr.focus_pixel->n == n && fr.focus_pixel->c == f &&
                fr.focus_pixel->y == y && fr.focus_pixel->x == x;
      return v;
    }
    if (during) {
      if (fr.partial_overlap(n, 0, y, x) > 0) v = ValueCell(fr.partial_grad_input(n, f, y, x), ctx.palette.output_tint);
      v.focus = WindowContains(ctx, n, f, y, x);
    } else if (done) {
      v = ValueCell(c.output(n, f, y, x), ctx.palette.output_tint);
    }
    const auto& target = links.target;
    v.linked_source = target && target->in_image && target->n == n && target->c == f && target->y == y && target->x == x;
    return v;
  };
  t.target = [gradient](int n, int f, int y, int x) {
    return HoverTarget::Tensor(gradient ? Kind::GradOutputCell : Kind::OutputCell, n, f, y, x);
  };
  return MakeTensorBlock(ctx, t);
}

// The overlap heat: how many x_col cells of one channel land on each output pixel.
Block OverlapHeat(const Context& ctx) {
  const Shape& s = ctx.shape;
  const FrameState& fr = ctx.frame;
  TensorSpec t = OutputTensor(ctx, "overlap", "overlap count");
  t.title = "overlap count  " + std::to_string(s.OutHeight()) + " \xC3\x97 " + std::to_string(s.OutWidth());
  t.outer = 1;
  t.inner = 1;
  t.caption = [](int, int) { return std::string("adds per pixel"); };
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.overlap);
  const int largest = ctx.comp.overlap.size() > 0 ? ctx.comp.overlap.maxCoeff() : 1;
  const bool during = Is(ctx, Phase::Col2im) && fr.partial_overlap.Size() > 0;
  const bool done = Past(ctx, Phase::Col2im);
  t.cell = [&ctx, &fr, during, done, largest](int, int, int y, int x) {
    CellVisual v;
    const double count = during ? fr.partial_overlap(0, 0, y, x) : done ? ctx.comp.overlap(y, x) : 0.0;
    if (count > 0) {
      v.kind = CellKind::Heat;
      v.value = count;
      v.fill = CividisColor(largest > 1 ? static_cast<float>((count - 1.0) / (largest - 1.0)) : 0.0f);
    }
    v.focus = during && WindowContains(ctx, 0, 0, y, x);
    return v;
  };
  return MakeTensorBlock(ctx, t);
}

// Puts `lower`'s grids under `upper`'s, as one block (the output with its heat): the
// column stays as narrow as the output, so the matrices beside it keep their room.
void AppendBelow(const Context& ctx, Block& upper, Block&& lower) {
  const float dy = upper.size.y + ctx.style.gap * 2.0f;
  PlaceBlock(lower, ImVec2(upper.origin.x, upper.origin.y + dy));  // both still at the layout's (0, 0)
  for (StageGrid& g : lower.grids) upper.grids.push_back(std::move(g));
  upper.size = ImVec2(std::max(upper.size.x, lower.size.x), dy + lower.size.y);
  for (std::string& note : lower.notes) upper.notes.push_back(std::move(note));
}

// The other roads to the output, computed once per computation (core's helpers).
std::shared_ptr<const EquivalenceView> EquivalenceOf(const Context& ctx) {
  if (ctx.memory == nullptr || !ctx.state.computation) return nullptr;
  StageMemory& m = *ctx.memory;
  if (m.equivalence_of.lock() != ctx.state.computation) {
    m.equivalence = ComputeEquivalence(ctx.comp);
    m.equivalence_of = ctx.state.computation;
  }
  return m.equivalence;
}

std::string EqualCaption(Index equal, Index cells) {
  return equal == cells ? "= output, all " + std::to_string(cells) + " cells \xE2\x9C\x93"
                        : std::to_string(cells - equal) + " of " + std::to_string(cells) + " cells differ (crossed)";
}

// A result the output is compared with, cell by cell: a cell that differs is crossed.
Block ComparedOutput(const Context& ctx, const std::string& name, const std::string& title, const Tensor4* values,
                     ImU32 tint, Index equal, Index cells) {
  TensorSpec t = OutputTensor(ctx, name, title);
  t.cell_w = CellWidthFor(ctx.style, std::max(ctx.longest.output, ctx.longest.grad_input));
  t.summary_tint = tint;
  const std::string badge = EqualCaption(equal, cells);
  t.caption = [badge, &ctx](int n, int f) {
    return (ctx.shape.batch > 1 ? "n " + std::to_string(n) + ", " : std::string()) + "f " + std::to_string(f) + ":  " + badge;
  };
  t.cell = [&ctx, values, tint](int n, int f, int y, int x) {
    CellVisual v = ValueCell((*values)(n, f, y, x), tint);
    const double a = (*values)(n, f, y, x), b = ctx.comp.output(n, f, y, x);
    v.wrong = std::fabs(a - b) > 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
    return v;
  };
  return MakeTensorBlock(ctx, t);
}

// The matching conv's dX_col = W_rowᵀ · dY_mat: the same matrix as x_col (crossed where not).
Block ConvDxCol(const Context& ctx, const EquivalenceView& view) {
  const Shape& s = ctx.shape;
  const Matrix& m = view.conv->grad_x_col;
  MatrixSpec spec;
  spec.name = spec.id_prefix = "conv_dx_col";
  spec.title = SizedTitle("The conv's dX_col = W_row\xE1\xB5\x80 \xC2\xB7 dY_mat", s.PatchSize(), s.ColumnCount());
  spec.rows = s.PatchSize();
  spec.cols = s.ColumnCount();
  spec.row_label = [&ctx](Index r) { return RowLabel(ctx.shape, ctx.order, r); };
  spec.col_line_names = s.batch > 1 ? std::vector<std::string>{"n", "iy", "ix"} : std::vector<std::string>{"iy", "ix"};
  spec.col_label = [&ctx](int line, Index j) { return ColumnLine(ctx, line, j); };
  spec.summary_tint = ctx.palette.gradient;
  spec.cell_w = CellWidthFor(ctx.style, ctx.longest.x_col);
  spec.cell = [&ctx, &m](Index r, Index j) {
    CellVisual v = ValueCell(m(r, j), ctx.palette.gradient_tint);
    const double a = m(r, j), b = ctx.comp.x_col(r, j);
    v.wrong = std::fabs(a - b) > 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
    return v;
  };
  spec.title += view.equal_x_col == view.x_col_cells
                    ? "   = x_col, all " + std::to_string(view.x_col_cells) + " cells \xE2\x9C\x93"
                    : "   " + std::to_string(view.x_col_cells - view.equal_x_col) + " cells differ from x_col (crossed)";
  return MakeMatrixBlock(ctx, spec);
}

// x with S-1 zeros between its pixels and the border D*(K-1)-P around them (hatched zeros).
Block DilatedInput(const Context& ctx, const ZeroInsertion& z) {
  const Shape& s = ctx.shape;
  TensorSpec t = ImageTensor(ctx, "zero_input", "", s.channels);
  t.title = "x, S\xE2\x88\x92" "1 = " + std::to_string(s.stride.h - 1) + " zeros between pixels, border D(K\xE2\x88\x92" "1)\xE2\x88\x92P = " +
            std::to_string(z.inserted_border.h) + "  " + std::to_string(z.dilated.h) + " \xC3\x97 " + std::to_string(z.dilated.w);
  t.rows = z.dilated.h;
  t.cols = z.dilated.w;
  t.cell_w = CellWidthFor(ctx.style, ctx.longest.input);
  t.summary_tint = ctx.palette.input;
  const Pair border = z.inserted_border;
  t.cell = [&ctx, &z, &s, border](int n, int ch, int y, int x) {
    const int iy = y - border.h, ix = x - border.w;
    const bool pixel = iy >= 0 && ix >= 0 && iy % s.stride.h == 0 && ix % s.stride.w == 0 && iy / s.stride.h < s.height &&
                       ix / s.stride.w < s.width;
    if (pixel) return ValueCell(z.dilated(n, ch, y, x), ctx.palette.input_tint);
    CellVisual v;
    v.kind = CellKind::Padding;  // an inserted or border zero
    return v;
  };
  return MakeTensorBlock(ctx, t);
}

}  // namespace

std::string CheckerboardNote(const Shape& s, const Eigen::MatrixXi& overlap) {
  if (overlap.size() == 0) return {};
  std::set<int> counts;
  for (Index k = 0; k < overlap.size(); ++k) counts.insert(overlap.data()[k]);
  if (counts.size() <= 1) return {};
  std::string list;
  size_t i = 0;
  for (int count : counts) {
    list += (i == 0 ? "" : i + 1 == counts.size() ? " or " : ", ") + std::to_string(count);
    ++i;
  }
  const bool multiple_h = s.kernel.h % s.stride.h == 0, multiple_w = s.kernel.w % s.stride.w == 0;
  std::string why;
  if (!multiple_h || !multiple_w) {
    const bool h = !multiple_h;
    why = "kernel " + std::to_string(h ? s.kernel.h : s.kernel.w) + " is not a multiple of stride " +
          std::to_string(h ? s.stride.h : s.stride.w) + ": ";
  } else {
    why = "the borders get fewer windows: ";
  }
  return why + "output pixels receive " + list + " contributions" +
         (!multiple_h || !multiple_w ? " (the checkerboard)." : ".");
}

ForwardBlocks BuildTransposedForward(const Context& ctx) {
  const TransposedLinks links = LinksFor(ctx);
  ForwardBlocks b;
  b.weights = Weights(ctx);
  b.w_row = WeightRows(ctx, false);
  b.input = Input(ctx, false);
  b.x_col = ChannelMatrix(ctx, false);
  b.y = PatchMatrix(ctx, false, links);
  b.output = OutputLike(ctx, false, links);
  AppendBelow(ctx, b.output, OverlapHeat(ctx));  // the band's note says why it is a checkerboard
  if (ctx.state.show_equivalence && !ctx.large) {
    if (const std::shared_ptr<const EquivalenceView> view = EquivalenceOf(ctx)) {
      const Shape& s = ctx.shape;
      if (view->conv) {
        AppendBelow(ctx, b.output, ConvDxCol(ctx, *view));
        AppendBelow(ctx, b.output, ComparedOutput(ctx, "conv_dx", "The conv's dX = col2im(dX_col), + b", &view->conv_dx,
                                                  ctx.palette.gradient_tint, view->equal_conv, view->cells));
      } else {
        const std::string note = "No conv has this dX path: " + view->why;
        b.output.notes.push_back(note);
        const float w = ctx.style.caption_font->CalcTextSizeA(ctx.style.caption_size, FLT_MAX, 0.0f, note.c_str()).x;
        b.output.size = ImVec2(std::max(b.output.size.x, w), b.output.size.y + ctx.style.caption_size + 2.0f);
      }
      AppendBelow(ctx, b.output, DilatedInput(ctx, view->zero));
      AppendBelow(ctx, b.output,
                  ComparedOutput(ctx, "zero_output",
                                 "conv(x zero-inserted, W flipped, stride 1, dilation " + std::to_string(s.dilation.h) + ") + b",
                                 &view->zero.output, ctx.palette.output_tint, view->equal_zero, view->cells));
    }
  }
  return b;
}

BackwardBlocks BuildTransposedBackward(const Context& ctx) {
  const TransposedLinks none;
  BackwardBlocks b;
  b.grad_weights = [&ctx] {
    const Shape& s = ctx.shape;
    const Computation& c = ctx.comp;
    const FrameState& fr = ctx.frame;
    TensorSpec t = TransposedFilterTensor(ctx, "grad_weights", "dW", ctx.longest.grad_weights);
    const int per_group = s.filters / s.groups;
    t.summary_tint = ctx.palette.gradient;
    t.cell = [&ctx, &c, &fr, &s, per_group](int ch, int f, int y, int x) {
      const int group = s.GroupOfWeightRow(ch);
      const Index r = RowOf(s, ctx.order, PatchOffset{group * per_group + f, y, x});
      return fr.GradWFilled(ch, r) ? ValueCell(c.grad_weights(ch, f, y, x), ctx.palette.gradient_tint) : CellVisual{};
    };
    return MakeTensorBlock(ctx, t);
  }();
  b.grad_w_row = WeightRows(ctx, true);
  b.grad_input = OutputLike(ctx, true, none);  // dY, read by im2col
  b.grad_x_col = PatchMatrix(ctx, true, none);
  b.dy_mat = ChannelMatrix(ctx, true);
  b.grad_output = Input(ctx, true);  // dX, N x C x H x W
  return b;
}

void ApplyFamilyHeaders(const Context& ctx, Placed& p) {
  const Shape& s = ctx.shape;
  const bool rows = ctx.layout == Layout::Rows;
  const std::string G = std::to_string(s.groups);
  if (s.op == Op::Transposed) {
    p.fwd_equation = rows ? "x_row = x_matᵀ · W_row   output = col2im(x_row) + b"
                          : "x_col = W_row\xE1\xB5\x80 \xC2\xB7 x_mat   output = col2im(x_col) + b";
    p.fwd_note = std::string("Transposed convolution: the conv's backward-data path run forward. Each input pixel ") +
                 (rows ? "(a row of x_mat\xE1\xB5\x80) becomes a kernel-sized patch, a row of x_row"
                       : "(a column of x_mat) becomes a kernel-sized patch of x_col") +
                 ", and col2im adds (+=) the patches into the output where they overlap.";
    const std::string checker = CheckerboardNote(s, ctx.comp.overlap);
    if (!checker.empty()) p.fwd_note += " " + checker;
    p.bwd_equation =
        rows ? "grad_x_row = im2col(dY)   dX_mat\xE1\xB5\x80 = grad_x_row \xC2\xB7 W_row\xE1\xB5\x80   dW_row = x_mat \xC2\xB7 grad_x_row"
             : "grad_x_col = im2col(dY)   dX = W_row \xC2\xB7 grad_x_col   dW_row = x_mat \xC2\xB7 grad_x_col\xE1\xB5\x80";
    p.bwd_note = "Backward of a transposed convolution is an ordinary convolution of dY: im2col copies dY's windows, "
                 "W_row multiplies them.";
  }
  if (s.groups > 1) {
    const Index rows_g = s.WeightRows() / s.groups, inner = s.PatchSize() / s.groups;
    const std::string gemm = "as G = " + G + " GEMMs of " + std::to_string(rows_g) + " \xC3\x97 " + std::to_string(inner) +
                             " \xC2\xB7 " + std::to_string(inner) + " \xC3\x97 " + std::to_string(s.ColumnCount());
    if (s.op == Op::Conv) p.fwd_equation = (rows ? "Y\xE1\xB5\x80 = X_row \xC2\xB7 W_row\xE1\xB5\x80 " : "Y = W_row \xC2\xB7 X_col ") + gemm;
    else p.fwd_equation += "  (" + gemm + ")";
    const bool depthwise = s.groups == s.channels;
    p.fwd_note = std::string(depthwise ? "Depthwise (G = C): " : "Grouped (G = " + G + "): ") +
                 "W_row is block-diagonal; the hatched blocks (blank in a picture) are structural zeros (another group's channels). "
                 "Each group's block and its slice of X_col share a tint; each is its own smaller GEMM. " + p.fwd_note;
  }
}

void ApplyTransposedArrows(const Context& ctx, Placed& p) {
  const Phase ph = ctx.phase;
  p.arrows.clear();
  auto mid_y = [](const Block& b) { return b.origin.y + b.size.y * 0.5f; };
  auto between = [&](const Block& from, const Block& to, const std::string& label, bool active) {
    const bool rightward = to.origin.x >= from.origin.x;
    const float x0 = rightward ? from.origin.x + from.size.x : from.origin.x;
    const float x1 = rightward ? to.origin.x : to.origin.x + to.size.x;
    const Block& smaller = from.size.y <= to.size.y ? from : to;
    p.arrows.push_back(Arrow{x0, x1, mid_y(smaller), label, active});
  };
  auto below = [&](const Block& upper, const Block& lower, const std::string& label, bool active, bool upward) {
    const float x = upper.origin.x + std::min(upper.size.x, lower.size.x) * 0.5f;
    const float top = upper.origin.y + upper.size.y, bottom = lower.origin.y;
    Arrow a{upward ? bottom : top, upward ? top : bottom, x, label, active};
    a.vertical = true;
    p.arrows.push_back(a);
  };
  const bool columns = ctx.layout == Layout::Columns;
  between(p.fwd.weights, p.fwd.w_row, "flatten", ph == Phase::Flatten);
  between(p.fwd.input, p.fwd.x_col, "reshape", false);
  if (columns) below(p.fwd.x_col, p.fwd.y, "W_row\xE1\xB5\x80 \xC3\x97", ph == Phase::Multiply, false);
  else between(p.fwd.x_col, p.fwd.y, "\xC3\x97 W_row", ph == Phase::Multiply);
  if (p.tensors_below) below(p.fwd.y, p.fwd.output, "col2im", ph == Phase::Col2im, false);
  else between(p.fwd.y, p.fwd.output, "col2im", ph == Phase::Col2im);
  between(p.bwd.grad_w_row, p.bwd.grad_weights, "reshape", ph == Phase::GradWeights);
  between(p.bwd.grad_input, p.bwd.grad_x_col, "im2col", ph == Phase::GradXCol);
  if (columns) below(p.bwd.grad_x_col, p.bwd.dy_mat, "W_row \xC3\x97", ph == Phase::GradInput, false);
  else between(p.bwd.grad_x_col, p.bwd.dy_mat, "\xC3\x97 W_row\xE1\xB5\x80", ph == Phase::GradInput);
  if (p.tensors_below) below(p.bwd.dy_mat, p.bwd.grad_output, "reshape", ph == Phase::GradInput, false);
  else between(p.bwd.dy_mat, p.bwd.grad_output, "reshape", ph == Phase::GradInput);
}

std::pair<ImVec2, ImVec2> TransposedFocusRect(const Context& ctx, const Placed& p) {
  const FrameState& fr = ctx.frame;
  auto block = [](const Block& b) { return std::make_pair(b.origin, ImVec2(b.origin.x + b.size.x, b.origin.y + b.size.y)); };
  std::optional<std::pair<ImVec2, ImVec2>> cell;
  switch (ctx.phase) {
    case Phase::Flatten: return block(p.fwd.w_row);
    case Phase::Multiply: if (fr.focus_cell) cell = p.fwd.y.MatrixCell(fr.focus_cell->r, fr.focus_cell->j); break;
    case Phase::Col2im: return block(p.fwd.output);
    case Phase::GradOutput: return block(p.bwd.grad_input);
    case Phase::GradXCol: if (fr.focus_cell) cell = p.bwd.grad_x_col.MatrixCell(fr.focus_cell->r, fr.focus_cell->j); break;
    case Phase::GradInput: if (fr.focus_cell) cell = p.bwd.dy_mat.MatrixCell(fr.focus_cell->r, fr.focus_cell->j); break;
    case Phase::GradWeights: if (fr.focus_cell) cell = p.bwd.grad_w_row.MatrixCell(fr.focus_cell->r, fr.focus_cell->j); break;
    case Phase::Extract:
    case Phase::Reshape: break;
  }
  if (!cell) return block(IsBackward(ctx.phase, Op::Transposed) ? p.bwd.grad_x_col : p.fwd.y);
  return *cell;
}

void DrawTransposedFlights(const Context& ctx, ImDrawList* draw, const Placed& p) {
  if (!ctx.animating || !Is(ctx, Phase::Col2im) || !ctx.frame.focus_column) return;
  const Shape& s = ctx.shape;
  const Index j = *ctx.frame.focus_column;
  if (s.PatchSize() > 256) return;
  for (Index r = 0; r < s.PatchSize(); ++r) {
    const auto pixel = SourcePixel(s, ctx.order, r, j);
    if (!pixel) continue;  // dropped: lands outside the output
    const auto from = p.fwd.y.MatrixCell(r, j);
    const auto to = p.fwd.output.TensorCell(pixel->n, pixel->c, pixel->y, pixel->x);
    if (from && to) DrawFlight(draw, ctx.style, *from, *to, ctx.transition, ctx.palette.output_tint, FormatNumber(ctx.comp.x_col(r, j)));
  }
}

}  // namespace im2col::gui::stage
