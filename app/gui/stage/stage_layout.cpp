// Placing the stage's blocks: which block goes in which row and column of each
// band, how the columns line up, which arrangement fits the width, and the arrows.
#include <algorithm>
#include <array>
#include <cfloat>

#include "gui/stage/stage_layout.h"
#include "gui/stage/arrows.h"
#include "gui/stage/stage_transposed.h"

namespace im2col::gui::stage {

namespace {


std::string BackwardNote(const Context& ctx, const FrameState& fr) {
  const bool overlap = ctx.comp.PatchesOverlap();
  if (!ctx.state.overwrite_mode) {
    const std::string cells = ctx.layout == Layout::Rows ? "col2im adds (+=) every dX_row cell" : "col2im adds (+=) every dX_col cell";
    return cells + (overlap ? " into its source pixel: where patches overlap, the adds pile up."
                            : " into its source pixel; here no two patches overlap.");
  }
  if (!overlap) return "Overwrite (=) mode. No overlap: the two results are equal.";
  int wrong = 0;
  for (Index k = 0; k < fr.partial_grad_input.Size(); ++k)
    wrong += fr.partial_grad_input_overwrite.data[static_cast<size_t>(k)] != fr.partial_grad_input.data[static_cast<size_t>(k)];
  return "Overwrite (=) mode: each write replaces the last, so " + std::to_string(wrong) +
         " pixel(s) so far lost earlier adds (outlined and crossed).";
}


using Row = std::array<std::vector<Block*>, 4>;

float CellsTop(const Block& b) {
  for (const StageGrid& g : b.grids) {
    if (g.geo.rows > 0) return g.geo.cells_min.y - b.origin.y;
  }
  return 0.0f;
}

float SlotWidth(const std::vector<Block*>& slot, float gap) {
  float w = 0.0f;
  for (const Block* b : slot) w += b->size.x + (w > 0.0f ? gap : 0.0f);
  return w;
}

// Places the rows of one band from `top`; returns the bottom. Each column keeps its
// own cursor, so a tall block (the stacked input) does not push the next matrix
// down in another column; within a row the first cell rows line up.
float PlaceRows(std::vector<Row>& rows, const std::array<float, 4>& x, float top, float row_gap, float slot_gap,
                float last_row_extra = 0.0f) {
  std::array<float, 4> cursor;
  cursor.fill(top);
  for (Row& row : rows) {
    if (&row == &rows.back() && last_row_extra > 0.0f) {  // room for a vertical arrow
      for (float& c : cursor) c += last_row_extra;
    }
    float line = top;  // y of the row's first line of cells
    for (size_t k = 0; k < row.size(); ++k)
      for (Block* b : row[k]) line = std::max(line, cursor[k] + CellsTop(*b));
    for (size_t k = 0; k < row.size(); ++k) {
      float bx = x[k];
      for (Block* b : row[k]) {
        PlaceBlock(*b, ImVec2(bx, line - CellsTop(*b)));
        bx += b->size.x + slot_gap;
        cursor[k] = std::max(cursor[k], b->origin.y + b->size.y + row_gap);
      }
    }
  }
  return *std::max_element(cursor.begin(), cursor.end()) - row_gap;
}

// Column x positions for a band's rows: gap01 and gap23 hold the arrows' labels.
std::array<float, 4> ColumnsX(const std::vector<const std::vector<Row>*>& bands, float margin, float slot_gap,
                              const std::array<float, 3>& gaps) {
  std::array<float, 4> widths{};
  for (const auto* rows : bands)
    for (const Row& row : *rows)
      for (size_t k = 0; k < 4; ++k) widths[k] = std::max(widths[k], SlotWidth(row[k], slot_gap));
  std::array<float, 4> x{};
  x[0] = margin;
  for (size_t k = 1; k < 4; ++k) x[k] = x[k - 1] + widths[k - 1] + (widths[k] > 0.0f ? gaps[k - 1] : 0.0f);
  return x;
}

float CellsMidY(const Block& b) {
  for (const StageGrid& g : b.grids) {
    if (g.geo.rows > 0) return (g.geo.cells_min.y + g.geo.CellsMax().y) * 0.5f;
  }
  return b.origin.y + b.size.y * 0.5f;
}

// An arrow from block `from` to block `to` at the height of the smaller one's cells.
Arrow Between(const Block& from, const Block& to, const std::string& label, bool active) {
  const bool rightward = to.origin.x >= from.origin.x;
  const float x0 = rightward ? from.origin.x + from.size.x : from.origin.x;
  const float x1 = rightward ? to.origin.x : to.origin.x + to.size.x;
  const Block& smaller = from.size.y <= to.size.y ? from : to;
  return Arrow{x0, x1, CellsMidY(smaller), label, active};
}

float Right(const std::vector<Row>& a, const std::vector<Row>& b) {
  float right = 0.0f;
  for (const auto* rows : {&a, &b})
    for (const Row& row : *rows)
      for (const auto& slot : row)
        for (const Block* block : slot) right = std::max(right, block->origin.x + block->size.x);
  return right;
}

// A vertical arrow between two blocks in one column (rows layout: Y^T above the output).
Arrow Above(const Block& upper, const Block& lower, const std::string& label, bool active, bool upward) {
  const StageGrid* cells = nullptr;
  for (const StageGrid& g : upper.grids) {
    if (g.geo.rows > 0) {
      cells = &g;
      break;
    }
  }
  const float x = cells != nullptr ? (cells->geo.cells_min.x + cells->geo.CellsMax().x) * 0.5f : upper.origin.x + 20.0f;
  const float top = upper.origin.y + upper.size.y, bottom = lower.origin.y;
  Arrow a{upward ? bottom : top, upward ? top : bottom, x, label, active};
  a.vertical = true;
  return a;
}

}  // namespace

Placed BuildAndPlace(Context& ctx, float max_width, bool line_up) {
  const bool rows_layout = ctx.layout == Layout::Rows;
  const GridStyle& st = ctx.style;
  // Matrices that line up share cell widths (exact numbers, not the step's partial ones).
  const Context::Longest& lg = ctx.longest;
  ctx.shared_cell_w =
      line_up ? CellWidthFor(st, rows_layout ? std::max(lg.w_row, lg.x_col) : std::max(lg.x_col, lg.y_mat)) : 0.0f;
  ctx.shared_cell_w_bwd =
      line_up ? CellWidthFor(st, rows_layout ? std::max(lg.grad_w_row, lg.grad_x_col) : std::max(lg.grad_x_col, lg.dy_mat))
              : 0.0f;
  ctx.shared_label_w = 0.0f;
  Placed p;
  const bool transposed = ctx.shape.op == Op::Transposed;  // its own blocks in the same slots
  p.fwd = transposed ? BuildTransposedForward(ctx) : BuildForward(ctx);
  p.bwd = transposed ? BuildTransposedBackward(ctx) : BuildBackward(ctx);
  std::vector<const Block*> shared = rows_layout
                                         ? std::vector<const Block*>{&p.fwd.w_row, &p.fwd.x_col, &p.bwd.grad_w_row, &p.bwd.grad_x_col}
                                         : std::vector<const Block*>{&p.fwd.x_col, &p.fwd.y, &p.bwd.grad_x_col, &p.bwd.dy_mat};
  float label_w = 0.0f;
  for (const Block* b : shared) label_w = std::max(label_w, b->grids.front().geo.label_w);
  if (line_up && label_w > 0.0f) {  // second pass with the shared label column
    ctx.shared_label_w = label_w;
    p.fwd = transposed ? BuildTransposedForward(ctx) : BuildForward(ctx);
    p.bwd = transposed ? BuildTransposedBackward(ctx) : BuildBackward(ctx);
  }

  const bool overwrite = ctx.state.overwrite_mode;
  const float slot_gap = st.gap * 3.0f, row_gap = st.gap * 3.0f;
  const std::string col2im_label = overwrite ? "col2im (=)" : "col2im (+=)";
  const std::string multiply_label = "\xC3\x97 W_row\xE1\xB5\x80";
  const float margin = st.gap * 2.0f;
  const std::array<float, 3> fwd_gaps = {std::max(ArrowGapFor(st, "flatten"), ArrowGapFor(st, "im2col")),
                                         ArrowGapFor(st, multiply_label), ArrowGapFor(st, "reshape")};
  const std::array<float, 3> bwd_gaps = {std::max(ArrowGapFor(st, col2im_label), ArrowGapFor(st, "reshape")),
                                         ArrowGapFor(st, multiply_label), ArrowGapFor(st, "reshape")};
  std::array<float, 3> both_gaps;
  for (size_t k = 0; k < 3; ++k) both_gaps[k] = std::max(fwd_gaps[k], bwd_gaps[k]);
  // Band headers: title, equation, and a note wrapped to the visible width.
  p.fwd_equation = rows_layout ? "Y\xE1\xB5\x80 = X_row \xC2\xB7 W_row\xE1\xB5\x80  (+ bias)" : "Y = W_row \xC2\xB7 X_col  (+ bias)";
  p.fwd_note = ctx.large && ctx.pictures
                   ? "Large scenario: big matrices are pictures of their values; wheel or +/\xE2\x88\x92 zooms, drag pans, "
                     "numbers appear once cells are big enough."
               : ctx.large ? "Large scenario: big matrices are summarised as blocks; point at a block for its cell."
                           : rows_layout ? "im2col copies every receptive field into one row; the filters become rows; one product does it all."
                                         : "im2col copies every receptive field into one column; the filters become rows; one product does it all.";
  p.bwd_equation = rows_layout
                       ? "dW_row = dY \xC2\xB7 X_col\xE1\xB5\x80   dX_row = dY\xE1\xB5\x80 \xC2\xB7 W_row   dX = col2im(dX_row)"
                       : "dW_row = dY \xC2\xB7 X_col\xE1\xB5\x80   dX_col = W_row\xE1\xB5\x80 \xC2\xB7 dY   dX = col2im(dX_col)";
  p.bwd_note = BackwardNote(ctx, ctx.frame);
  ApplyFamilyHeaders(ctx, p);  // groups: G GEMMs; transposed: its own equations
  p.note_wrap = std::max(max_width - st.gap * 4.0f, 200.0f);
  auto header_height = [&](const std::string& note) {
    const float note_h = st.caption_font->CalcTextSizeA(st.caption_size, FLT_MAX, p.note_wrap, note.c_str()).y;
    return st.title_size + st.gap * 0.5f + note_h + st.gap * 1.5f;
  };
  p.fwd_header_h = header_height(p.fwd_note);
  p.bwd_header_h = header_height(p.bwd_note);
  p.fwd_top = margin;

  // Arrangements, best first: the overlap heat beside dX, with the same columns in
  // both bands (dX under x, dX_col under X_col); then each band with its own
  // columns; then (columns layout) the heat moved right of dX_col, where there is
  // room; then output and dY under x / dX, left of Y / dY. The first that fits the
  // width wins, else the narrowest.
  std::vector<Block*> dx_slot;
  std::vector<Row> fwd_rows, bwd_rows;
  auto arrange = [&](int a) {
    const bool heat_beside = rows_layout || a < 2 || a == 4, shared_columns = a % 2 == 0 && a < 4;
    const bool tensors_left = !rows_layout && a >= 4, tensors_below = rows_layout && a >= 2;
    dx_slot = {&p.bwd.grad_input};
    if (overwrite) dx_slot.push_back(&p.bwd.grad_input_right);
    if (heat_beside) dx_slot.push_back(&p.bwd.overlap);
    std::vector<Block*> heat_right;
    if (!heat_beside) heat_right.push_back(&p.bwd.overlap);
    if (!rows_layout) {
      std::vector<Block*> out_left, out_right = {&p.fwd.output}, dy_left, dy_right = {&p.bwd.grad_output};
      if (tensors_left) {
        std::swap(out_left, out_right);
        std::swap(dy_left, dy_right);
      }
      fwd_rows = {Row{{{&p.fwd.weights}, {&p.fwd.w_row}, {}, {}}}, Row{{{&p.fwd.input}, {&p.fwd.x_col}, {}, {}}},
                  Row{{out_left, {&p.fwd.y}, {}, out_right}}};
      bwd_rows = {Row{{{&p.bwd.grad_weights}, {&p.bwd.grad_w_row}, {}, {}}},
                  Row{{dx_slot, {&p.bwd.grad_x_col}, {}, heat_right}},
                  Row{{dy_left, {&p.bwd.dy_mat}, {}, dy_right}}};
    } else if (!tensors_below) {
      fwd_rows = {Row{{{&p.fwd.weights}, {&p.fwd.w_row}, {}, {}}},
                  Row{{{&p.fwd.input}, {&p.fwd.x_col}, {&p.fwd.y}, {&p.fwd.output}}}};
      bwd_rows = {Row{{{&p.bwd.grad_weights}, {&p.bwd.grad_w_row}, {}, {}}},
                  Row{{dx_slot, {&p.bwd.grad_x_col}, {&p.bwd.dy_mat}, {&p.bwd.grad_output}}}};
    } else {  // rows layout, narrow: output under Y^T and dY under dY^T
      fwd_rows = {Row{{{&p.fwd.weights}, {&p.fwd.w_row}, {}, {}}}, Row{{{&p.fwd.input}, {&p.fwd.x_col}, {&p.fwd.y}, {}}},
                  Row{{{}, {}, {&p.fwd.output}, {}}}};
      bwd_rows = {Row{{{&p.bwd.grad_weights}, {&p.bwd.grad_w_row}, {}, {}}},
                  Row{{dx_slot, {&p.bwd.grad_x_col}, {&p.bwd.dy_mat}, {}}}, Row{{{}, {}, {&p.bwd.grad_output}, {}}}};
    }
    p.tensors_below = tensors_below;
    const std::array<float, 4> fwd_x = shared_columns ? ColumnsX({&fwd_rows, &bwd_rows}, margin, slot_gap, both_gaps)
                                                      : ColumnsX({&fwd_rows}, margin, slot_gap, fwd_gaps);
    const std::array<float, 4> bwd_x = shared_columns ? fwd_x : ColumnsX({&bwd_rows}, margin, slot_gap, bwd_gaps);
    const float arrow_room = tensors_below ? st.caption_size + st.gap * 5.0f : 0.0f;
    p.fwd_bottom = PlaceRows(fwd_rows, fwd_x, p.fwd_top + p.fwd_header_h, row_gap, slot_gap, arrow_room);
    p.bwd_top = p.fwd_bottom + st.gap * 5.0f;
    p.bwd_bottom = PlaceRows(bwd_rows, bwd_x, p.bwd_top + p.bwd_header_h, row_gap, slot_gap, arrow_room);
    p.content = ImVec2(Right(fwd_rows, bwd_rows) + st.gap, p.bwd_bottom + margin);
  };
  const int arrangements = rows_layout ? 4 : 6;
  int narrowest = 0;
  float narrowest_w = FLT_MAX;
  bool fits = false;
  for (int a = 0; a < arrangements && !fits; ++a) {
    arrange(a);
    fits = p.content.x <= max_width;
    if (p.content.x < narrowest_w) {
      narrowest_w = p.content.x;
      narrowest = a;
    }
  }
  if (!fits) arrange(narrowest);

  const Phase ph = ctx.phase;
  p.arrows.push_back(Between(p.fwd.weights, p.fwd.w_row, "flatten", ph == Phase::Flatten));
  p.arrows.push_back(Between(p.fwd.input, p.fwd.x_col, "im2col", ph == Phase::Extract));
  if (p.tensors_below) {
    p.arrows.push_back(Above(p.fwd.y, p.fwd.output, "reshape", ph == Phase::Reshape, false));
    p.arrows.push_back(Above(p.bwd.dy_mat, p.bwd.grad_output, "reshape", ph == Phase::GradOutput, true));
  } else {
    p.arrows.push_back(Between(p.fwd.y, p.fwd.output, "reshape", ph == Phase::Reshape));
    p.arrows.push_back(Between(p.bwd.grad_output, p.bwd.dy_mat, "reshape", ph == Phase::GradOutput));
  }
  p.arrows.push_back(Between(p.bwd.grad_w_row, p.bwd.grad_weights, "reshape", ph == Phase::GradWeights));
  p.arrows.push_back(Between(p.bwd.grad_x_col, *dx_slot.back(), col2im_label, ph == Phase::Col2im));
  if (rows_layout) {
    p.arrows.push_back(Between(p.fwd.x_col, p.fwd.y, "\xC3\x97 W_row\xE1\xB5\x80", ph == Phase::Multiply));
    p.arrows.push_back(Between(p.bwd.dy_mat, p.bwd.grad_x_col, "\xC3\x97 W_row", ph == Phase::GradXCol));
  }
  if (transposed) ApplyTransposedArrows(ctx, p);
  return p;
}

std::vector<Block*> AllBlocks(Placed& p) {
  std::vector<Block*> all;
  // A band builds only the blocks it has (the transposed backward band has no overlap
  // heat of its own, the conv's has no dX at the right): unbuilt ones are left out.
  for (Block* b : {&p.fwd.weights, &p.fwd.w_row, &p.fwd.input, &p.fwd.x_col, &p.fwd.y, &p.fwd.output,
                   &p.bwd.grad_weights, &p.bwd.grad_w_row, &p.bwd.grad_input, &p.bwd.overlap, &p.bwd.grad_x_col,
                   &p.bwd.dy_mat, &p.bwd.grad_output, &p.bwd.grad_input_right}) {
    if (!b->grids.empty()) all.push_back(b);
  }
  return all;
}

std::pair<ImVec2, ImVec2> FocusRect(const Context& ctx, const Placed& p) {
  if (ctx.shape.op == Op::Transposed) return TransposedFocusRect(ctx, p);
  const FrameState& fr = ctx.frame;
  auto block = [](const Block& b) { return std::make_pair(b.origin, ImVec2(b.origin.x + b.size.x, b.origin.y + b.size.y)); };
  std::optional<std::pair<ImVec2, ImVec2>> cell;
  switch (ctx.phase) {
    case Phase::Extract: if (fr.focus_cell) cell = p.fwd.x_col.MatrixCell(fr.focus_cell->r, fr.focus_cell->j); break;
    case Phase::Flatten: return block(p.fwd.w_row);
    case Phase::Multiply: if (fr.focus_cell) cell = p.fwd.y.MatrixCell(fr.focus_cell->r, fr.focus_cell->j); break;
    case Phase::Reshape: return block(p.fwd.output);
    case Phase::GradOutput: return block(p.bwd.dy_mat);
    case Phase::GradWeights: if (fr.focus_cell) cell = p.bwd.grad_w_row.MatrixCell(fr.focus_cell->r, fr.focus_cell->j); break;
    case Phase::GradXCol:
    case Phase::Col2im: if (fr.focus_column) cell = p.bwd.grad_x_col.MatrixCell(0, *fr.focus_column); break;
    case Phase::GradInput: break;  // op transposed only, which the window does not draw
  }
  if (!cell) return block(IsBackward(ctx.phase) ? p.bwd.grad_x_col : p.fwd.x_col);
  // Copies and scatter-adds involve the tensor on the left too: reach across to it.
  if (ctx.phase == Phase::Extract) cell->first.x = std::min(cell->first.x, p.fwd.input.origin.x);
  if (ctx.phase == Phase::Col2im) cell->first.x = std::min(cell->first.x, p.bwd.grad_input.origin.x);
  return *cell;
}

}  // namespace im2col::gui::stage
