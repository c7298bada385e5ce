// The camera that follows the lesson (stage_camera.h).
#include "gui/stage/stage_camera.h"

#include <algorithm>
#include <cfloat>
#include <exception>
#include <string>

#include "gui/stage/arrows.h"

namespace im2col::gui::stage {
namespace {

Rect BlockRect(const Block& b) { return {b.origin, ImVec2(b.origin.x + b.size.x, b.origin.y + b.size.y)}; }

Rect Join(const Rect& a, const Rect& b) {
  return {ImVec2(std::min(a.first.x, b.first.x), std::min(a.first.y, b.first.y)),
          ImVec2(std::max(a.second.x, b.second.x), std::max(a.second.y, b.second.y))};
}

bool Drawn(const Block* b) { return b != nullptr && !b->grids.empty() && b->size.x > 0.0f && b->size.y > 0.0f; }

// Row f (all columns) or column j (all rows) of a canonical matrix block, as drawn.
std::optional<Rect> MatrixRow(const Block& b, Index f, Index cols) {
  const auto first = b.MatrixCell(f, 0), last = b.MatrixCell(f, cols - 1);
  if (!first || !last) return std::nullopt;
  return Join(*first, *last);
}
std::optional<Rect> MatrixColumn(const Block& b, Index j, Index rows) {
  const auto first = b.MatrixCell(0, j), last = b.MatrixCell(rows - 1, j);
  if (!first || !last) return std::nullopt;
  return Join(*first, *last);
}

float CellsTop(const Block& b) {
  for (const StageGrid& g : b.grids) {
    if (g.geo.rows > 0) return g.geo.cells_min.y - b.origin.y;
  }
  return 0.0f;
}

// The blocks (and cells) a tour step points at, as parts: "panel:x_col", "x_col[3,5]"
// (displayed indices), "input[0,1,2,3]". Ids of blocks not drawn are skipped.
std::vector<ActivePart> PointedParts(const std::vector<std::string>& ids, Placed& p) {
  std::vector<ActivePart> parts;
  const std::vector<Block*> blocks = AllBlocks(p);
  for (const std::string& id : ids) {
    const bool panel = id.rfind("panel:", 0) == 0;
    const size_t bracket = id.find('[');
    const std::string name = panel ? id.substr(6) : id.substr(0, bracket);
    Block* block = nullptr;
    for (Block* b : blocks) {
      if (b->name == name && Drawn(b)) block = b;
    }
    if (block == nullptr) continue;
    std::optional<Rect> focus;
    if (!panel && bracket != std::string::npos) {
      std::vector<long long> index;
      size_t at = bracket + 1;
      while (at < id.size()) {
        size_t used = 0;
        try {
          index.push_back(std::stoll(id.substr(at), &used));
        } catch (const std::exception&) {
          break;
        }
        at += used + 1;  // past the number and its ',' or ']'
      }
      if (index.size() == 2 && block->matrix) {
        const bool t = block->matrix->transposed;  // displayed (a, b) is canonical (b, a)
        focus = block->MatrixCell(t ? index[1] : index[0], t ? index[0] : index[1]);
      } else if (index.size() == 4 && block->tensor) {
        focus = block->TensorCell(static_cast<int>(index[0]), static_cast<int>(index[1]), static_cast<int>(index[2]),
                                  static_cast<int>(index[3]));
      }
    }
    auto same = std::find_if(parts.begin(), parts.end(), [&](const ActivePart& a) { return a.block == block; });
    if (same == parts.end()) {
      parts.push_back(ActivePart{block, focus});
    } else if (focus) {
      same->focus = same->focus ? Join(*same->focus, *focus) : *focus;
    }
  }
  if (!parts.empty()) parts.back().result = true;
  return parts;
}

}  // namespace

std::vector<ActivePart> ActiveParts(const Context& ctx, Placed& p) {
  // A tour step says what to look at: that comes first.
  if (!ctx.state.pointed_ids.empty()) {
    std::vector<ActivePart> pointed = PointedParts(ctx.state.pointed_ids, p);
    if (!pointed.empty()) return pointed;
  }
  const FrameState& fr = ctx.frame;
  const Shape& s = ctx.shape;
  const Index rows = s.PatchSize(), cols = s.ColumnCount(), filters = s.filters;
  std::vector<ActivePart> parts;
  auto add = [&](Block& b, std::optional<Rect> focus = std::nullopt, bool result = false, bool context = false) {
    if (Drawn(&b)) parts.push_back(ActivePart{&b, focus, result, context});
  };
  // The focus column's receptive field on channel `only` (-1: every channel) of its image
  // in tensor block `b`.
  auto window_on = [&](const Block& b, int only = -1) -> std::optional<Rect> {
    if (!fr.focus_column || ctx.window_y1 < ctx.window_y0) return std::nullopt;
    const int n = static_cast<int>(*fr.focus_column / std::max<Index>(s.PatchCount(), 1));
    const int y0 = std::clamp(ctx.window_y0, 0, s.height - 1), y1 = std::clamp(ctx.window_y1, 0, s.height - 1);
    const int x0 = std::clamp(ctx.window_x0, 0, s.width - 1), x1 = std::clamp(ctx.window_x1, 0, s.width - 1);
    std::optional<Rect> all;
    for (int c = 0; c < s.channels; ++c) {
      if (only >= 0 && c != only) continue;
      for (const auto& [y, x] : {std::pair<int, int>{y0, x0}, std::pair<int, int>{y1, x1}}) {
        if (const auto cell = b.TensorCell(n, c, y, x)) all = all ? Join(*all, *cell) : *cell;
      }
    }
    return all;
  };
  if (s.op == Op::Transposed) {
    // The transposed bands reuse the conv's slots in their own order: the band of the
    // phase, whole (IsBackward knows which phases are whose).
    std::vector<Block*> band = IsBackward(ctx.phase, s.op)
                                   ? std::vector<Block*>{&p.bwd.grad_output, &p.bwd.dy_mat, &p.bwd.grad_x_col,
                                                         &p.bwd.grad_input, &p.bwd.grad_w_row, &p.bwd.grad_weights}
                                   : std::vector<Block*>{&p.fwd.input, &p.fwd.weights, &p.fwd.w_row, &p.fwd.x_col,
                                                         &p.fwd.y, &p.fwd.output};
    for (Block* b : band) add(*b);
    if (!parts.empty()) parts.back().result = true;
    return parts;
  }
  const std::optional<Rect> focus_cell_x =
      fr.focus_cell ? p.fwd.x_col.MatrixCell(fr.focus_cell->r, fr.focus_cell->j) : std::nullopt;
  switch (ctx.phase) {
    case Phase::Extract: {
      // The receptive field on the channel the value comes from.
      std::optional<Rect> field;
      if (fr.focus_cell) {
        const SourceCoord src = SourceOf(s, ctx.order, fr.focus_cell->r, fr.focus_cell->j);
        field = window_on(p.fwd.input, src.c);
      }
      add(p.fwd.input, field);
      add(p.fwd.x_col, focus_cell_x, true);
      break;
    }
    case Phase::Flatten:
      add(p.fwd.weights);
      add(p.fwd.w_row, fr.focus_filter ? MatrixRow(p.fwd.w_row, *fr.focus_filter, rows) : std::nullopt, true);
      break;
    case Phase::Multiply:
      add(p.fwd.w_row, fr.focus_cell ? MatrixRow(p.fwd.w_row, fr.focus_cell->r, rows) : std::nullopt);
      add(p.fwd.x_col, fr.focus_cell ? MatrixColumn(p.fwd.x_col, fr.focus_cell->j, rows) : std::nullopt);
      add(p.fwd.y, fr.focus_cell ? p.fwd.y.MatrixCell(fr.focus_cell->r, fr.focus_cell->j) : std::nullopt, true);
      break;
    case Phase::Reshape:
      add(p.fwd.y);
      add(p.fwd.output, std::nullopt, true);
      break;
    case Phase::GradOutput:
      add(p.bwd.grad_output);
      add(p.bwd.dy_mat, std::nullopt, true);
      break;
    case Phase::GradWeights:
      add(p.bwd.dy_mat, fr.focus_cell ? MatrixRow(p.bwd.dy_mat, fr.focus_cell->r, cols) : std::nullopt);
      add(p.fwd.x_col, fr.focus_cell ? MatrixRow(p.fwd.x_col, fr.focus_cell->j, cols) : std::nullopt);
      add(p.bwd.grad_w_row, fr.focus_cell ? p.bwd.grad_w_row.MatrixCell(fr.focus_cell->r, fr.focus_cell->j) : std::nullopt,
          true);
      break;
    case Phase::GradXCol:
      add(p.fwd.w_row);
      add(p.bwd.dy_mat, fr.focus_column ? MatrixColumn(p.bwd.dy_mat, *fr.focus_column, filters) : std::nullopt);
      add(p.bwd.grad_x_col, fr.focus_column ? MatrixColumn(p.bwd.grad_x_col, *fr.focus_column, rows) : std::nullopt,
          true);
      break;
    case Phase::Col2im:
      add(p.bwd.grad_x_col, fr.focus_column ? MatrixColumn(p.bwd.grad_x_col, *fr.focus_column, rows) : std::nullopt);
      if (!parts.empty()) parts.back().moving = true;  // the column being scattered
      add(p.bwd.grad_input, window_on(p.bwd.grad_input), true);
      if (ctx.state.overwrite_mode) add(p.bwd.grad_input_right, window_on(p.bwd.grad_input_right));
      add(p.bwd.overlap, std::nullopt, false, /*context=*/true);
      break;
    default:  // phases of other operators: what the bands show last
      add(IsBackward(ctx.phase) ? p.bwd.grad_x_col : p.fwd.x_col, std::nullopt, true);
      break;
  }
  // Large scenarios draw pictures whose cells are specks: the pictures themselves are what
  // must be seen (a zoomed picture follows its cell by itself).
  if (ctx.large) {
    for (ActivePart& a : parts) a.focus.reset();
  }
  return parts;
}

Rect UnionOfBlocks(const std::vector<ActivePart>& parts) {
  std::optional<Rect> all;
  for (const ActivePart& a : parts) all = all ? Join(*all, BlockRect(*a.block)) : BlockRect(*a.block);
  return all.value_or(Rect{});
}

Rect UnionOfFocus(const std::vector<ActivePart>& parts) {
  std::optional<Rect> all;
  for (const ActivePart& a : parts) {
    if (a.context) continue;
    const Rect r = a.focus.value_or(BlockRect(*a.block));
    all = all ? Join(*all, r) : r;
  }
  return all.value_or(Rect{});
}

std::string PhaseOperation(const Context& ctx) {
  const bool rows = ctx.layout == Layout::Rows;
  switch (ctx.phase) {
    case Phase::Extract: return "im2col";
    case Phase::Flatten: return "flatten";
    case Phase::Multiply: return rows ? "\xC3\x97 W_row\xE1\xB5\x80" : "W_row \xC2\xB7";
    case Phase::Reshape: return "reshape";
    case Phase::GradOutput: return "reshape";
    case Phase::GradWeights: return rows ? "dY\xE1\xB5\x80 \xC2\xB7 X_row" : "dY \xC2\xB7 X_col\xE1\xB5\x80";
    case Phase::GradXCol: return rows ? "dY \xC2\xB7 W_row" : "W_row\xE1\xB5\x80 \xC2\xB7 dY";
    case Phase::Col2im: return ctx.state.overwrite_mode ? "col2im (=)" : "col2im (+=)";
    default: return "";
  }
}

namespace {

// PlaceFocused's folded arrangement: the tallest block in one column, the others stacked
// in the other, the result's column on the right.
void PlaceFolded(const GridStyle& st, Placed& p, std::vector<ActivePart>& parts, const std::string& operation, float top,
                 float margin, float gap) {
  size_t tallest = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (parts[k].block->size.y > parts[tallest].block->size.y) tallest = k;
  }
  std::vector<size_t> stacked;
  float stacked_w = 0.0f;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k == tallest) continue;
    stacked.push_back(k);
    stacked_w = std::max(stacked_w, parts[k].block->size.x);
  }
  const bool tallest_is_result = parts[tallest].result;
  const float left_w = tallest_is_result ? stacked_w : parts[tallest].block->size.x;
  const float right_x = margin + left_w + gap;
  PlaceBlock(*parts[tallest].block, ImVec2(tallest_is_result ? right_x : margin, top));
  float y = top, bottom = top + parts[tallest].block->size.y;
  std::optional<float> arrow_y;
  for (const size_t k : stacked) {
    Block& b = *parts[k].block;
    PlaceBlock(b, ImVec2(tallest_is_result ? margin : right_x, y));
    if (parts[k].result) arrow_y = y + CellsTop(b) + st.number_size;
    y += b.size.y + st.gap * 4.0f;
    bottom = std::max(bottom, b.origin.y + b.size.y);
  }
  Block& result = *parts[tallest].block;
  if (!arrow_y) arrow_y = result.origin.y + CellsTop(result) + st.number_size;
  p.arrows.push_back(Arrow{margin + left_w, right_x, *arrow_y, operation, true});
  const float right_w = tallest_is_result ? parts[tallest].block->size.x : stacked_w;
  p.fwd_bottom = bottom;
  p.content = ImVec2(right_x + right_w + margin, bottom + margin);
}

}  // namespace

void PlaceFocused(const Context& ctx, Placed& p, std::vector<ActivePart>& parts, bool folded) {
  const GridStyle& st = ctx.style;
  const float margin = st.gap * 2.0f;
  const std::string operation = PhaseOperation(ctx);
  const float gap = std::max(st.gap * 4.0f, ArrowGapFor(st, operation));
  float top = margin + p.fwd_header_h;
  float line = 0.0f;
  for (const ActivePart& a : parts) line = std::max(line, CellsTop(*a.block));
  // Before moving: how each focus rectangle sits in its block.
  std::vector<std::optional<Rect>> relative;
  for (const ActivePart& a : parts) {
    if (!a.focus) {
      relative.push_back(std::nullopt);
      continue;
    }
    const ImVec2 o = a.block->origin;
    relative.push_back(Rect{ImVec2(a.focus->first.x - o.x, a.focus->first.y - o.y),
                            ImVec2(a.focus->second.x - o.x, a.focus->second.y - o.y)});
  }
  // After moving: each focus rectangle where it sits in its block now.
  auto refocus = [&](size_t k) {
    const ImVec2 o = parts[k].block->origin;
    if (relative[k]) {
      parts[k].focus = Rect{ImVec2(relative[k]->first.x + o.x, relative[k]->first.y + o.y),
                            ImVec2(relative[k]->second.x + o.x, relative[k]->second.y + o.y)};
    }
  };
  // Only the arrow into the result needs its label's room; operands side by side sit closer.
  const float near = st.gap * 4.0f;
  float x = margin, bottom = top, last_gap = 0.0f;
  p.arrows.clear();
  if (folded && parts.size() > 1) {
    PlaceFolded(st, p, parts, operation, top, margin, gap);
    for (size_t k = 0; k < parts.size(); ++k) refocus(k);
    p.fwd_top = margin;
    p.bwd_top = p.bwd_bottom = p.fwd_bottom;
    return;
  }
  for (size_t k = 0; k < parts.size(); ++k) {
    Block& b = *parts[k].block;
    PlaceBlock(b, ImVec2(x, top + line - CellsTop(b)));
    refocus(k);
    if (k + 1 < parts.size() && parts[k + 1].result) {
      // The operation's arrow, into the result, at the first cell row's height.
      const float y = top + line + st.number_size;
      p.arrows.push_back(Arrow{x + b.size.x, x + b.size.x + gap, y, operation, true});
    }
    last_gap = k + 1 < parts.size() && parts[k + 1].result ? gap : near;
    x += b.size.x + last_gap;
    bottom = std::max(bottom, b.origin.y + b.size.y);
  }
  p.fwd_top = margin;
  p.fwd_bottom = bottom;
  p.bwd_top = p.bwd_bottom = bottom;
  p.content = ImVec2(x - last_gap + margin, bottom + margin);
}

Rect ResultFocus(const std::vector<ActivePart>& parts) {
  for (const ActivePart& a : parts) {
    if (a.moving) return a.focus.value_or(BlockRect(*a.block));
  }
  for (const ActivePart& a : parts) {
    if (a.result) return a.focus.value_or(BlockRect(*a.block));
  }
  return parts.empty() ? Rect{} : parts.back().focus.value_or(BlockRect(*parts.back().block));
}

ImVec2 CameraScroll(Rect target, Rect keep, Rect must, ImVec2 view, ImVec2 content) {
  auto axis = [](float t0, float t1, float k0, float k1, float m0, float m1, float v, float c) {
    float s;
    if (t1 - t0 <= v) {
      s = (t0 + t1 - v) * 0.5f;  // all of it, centred
    } else if (k1 - k0 <= v) {
      s = std::clamp(t0, k1 - v, k0);  // the focus, and as much of the blocks' start as fits
    } else if (m1 - m0 <= v) {
      s = std::clamp(k0, m1 - v, m0);  // the result's focus, and as much of the rest as fits
    } else {
      // The leading edge, with a little of what is above or left of it (a column's
      // title and labels) when the blocks have it.
      s = std::max(std::min(t0, m0), m0 - 0.2f * v);
    }
    return std::clamp(s, 0.0f, std::max(0.0f, c - v));
  };
  return ImVec2(axis(target.first.x, target.second.x, keep.first.x, keep.second.x, must.first.x, must.second.x,
                     view.x, content.x),
                axis(target.first.y, target.second.y, keep.first.y, keep.second.y, must.first.y, must.second.y,
                     view.y, content.y));
}

}  // namespace im2col::gui::stage
