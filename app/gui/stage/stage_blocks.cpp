// Turning a matrix (in core's canonical indices) or a 4-D tensor into placed grids.
#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>

#include "gui/stage/stage_blocks.h"
#include "gui/stage/arrows.h"

namespace im2col::gui::stage {

namespace {

void OffsetGeometry(GridGeometry& g, ImVec2 d) {
  g.origin = ImVec2(g.origin.x + d.x, g.origin.y + d.y);
  g.cells_min = ImVec2(g.cells_min.x + d.x, g.cells_min.y + d.y);
}

std::string Ids(const std::string& prefix, std::initializer_list<long long> values) {
  std::string id = prefix + "[";
  bool first = true;
  for (long long v : values) {
    id += (first ? "" : ",") + std::to_string(v);
    first = false;
  }
  return id + "]";
}

float NotesHeight(const Block& b, const GridStyle& style) {
  return b.notes.empty() ? 0.0f : static_cast<float>(b.notes.size()) * (style.caption_size + 2.0f) + style.gap;
}

}  // namespace

bool StructuralZero(const Shape& s, Order order, Index row, Index r) {
  if (s.groups <= 1) return false;
  return s.GroupOfWeightRow(row) != s.GroupOfPatchChannel(PatchOffsetOf(s, order, r).c);
}

ImU32 GroupTint(const Context& ctx, ImU32 tint, int group) {
  if (ctx.shape.groups <= 1 || group % 2 == 0) return tint;
  return Blend(tint, ctx.palette.text, 0.18f);  // a shade away from the background in every theme
}

CellVisual StructuralCell() {
  CellVisual v;
  v.kind = CellKind::Structural;
  return v;
}

CellVisual ValueCell(double value, ImU32 tint) {
  CellVisual v;
  v.kind = CellKind::Value;
  v.value = value;
  v.fill = tint;
  return v;
}

bool WindowContains(const Context& ctx, int n, int c, int y, int x) {
  if (y < ctx.window_y0 || y > ctx.window_y1 || x < ctx.window_x0 || x > ctx.window_x1) return false;
  return std::any_of(ctx.focus_window.begin(), ctx.focus_window.end(), [&](const SourceCoord& s) {
    return s.n == n && s.c == c && s.y == y && s.x == x;
  });
}

std::vector<CellRange> WindowRanges(const Context& ctx, int n, int c, int row_offset, int col_offset) {
  bool any = false;
  CellRange box{INT_MAX, INT_MAX, INT_MIN, INT_MIN};
  for (const SourceCoord& s : ctx.focus_window) {
    if (s.n != n || s.c != c) continue;
    any = true;
    box.row0 = std::min(box.row0, s.y - row_offset);
    box.row1 = std::max(box.row1, s.y - row_offset);
    box.col0 = std::min(box.col0, s.x - col_offset);
    box.col1 = std::max(box.col1, s.x - col_offset);
  }
  if (!any) return {};
  return {box};
}

std::string SizedTitle(const std::string& name, Index rows, Index cols) {
  return name + "  " + std::to_string(rows) + " \xC3\x97 " + std::to_string(cols);
}

std::string TensorTitle(const std::string& name, const std::array<int, 4>& dims) {
  std::string title = name + "  ";
  for (size_t k = 0; k < dims.size(); ++k) title += (k ? "\xC3\x97" : "") + std::to_string(dims[k]);
  return title;
}

namespace {

// "f 2, c 1" (the outer index only when there is more than one).
std::function<std::string(int, int)> SliceCaption(int outer_count, const char* outer, const char* inner) {
  return [outer_count, outer, inner](int o, int i) {
    return (outer_count > 1 ? std::string(outer) + " " + std::to_string(o) + ", " : std::string()) + inner + " " +
           std::to_string(i);
  };
}

}  // namespace

TensorSpec FilterTensor(const Context& ctx, const std::string& name, const std::string& label) {
  const Shape& s = ctx.shape;
  TensorSpec t;
  t.name = t.id_prefix = name;
  t.title = TensorTitle(label, {s.filters, s.channels / s.groups, s.kernel.h, s.kernel.w});
  t.outer = s.filters;
  t.inner = s.channels / s.groups;  // a grouped filter sees C/G channels
  t.rows = s.kernel.h;
  t.cols = s.kernel.w;
  t.inner_stacked = false;  // a filter's channels side by side, filters one under another
  t.max_outer = s.PatchSize() > 48 ? 2 : 4;
  t.outer_noun = "filters";
  t.inner_noun = "channels";
  t.caption = SliceCaption(s.filters, "f", "c");
  return t;
}

TensorSpec ImageTensor(const Context& ctx, const std::string& name, const std::string& title, int inner) {
  const Shape& s = ctx.shape;
  TensorSpec t;
  t.name = t.id_prefix = name;
  t.title = title;
  t.outer = s.batch;
  t.inner = inner;
  t.rows = s.height;
  t.cols = s.width;
  t.outer_noun = "images";
  t.inner_noun = "channels";
  t.caption = SliceCaption(s.batch, "n", "c");
  // Presentation shows a phase's blocks side by side on a wide, short stage: an image's
  // channels in a row fit it where a column of them would run off the bottom.
  t.inner_stacked = !ctx.state.classroom.presentation;
  return t;
}

TensorSpec OutputTensor(const Context& ctx, const std::string& name, const std::string& label) {
  const Shape& s = ctx.shape;
  TensorSpec t;
  t.name = t.id_prefix = name;
  t.title = TensorTitle(label, {s.batch, s.filters, s.OutHeight(), s.OutWidth()});
  t.outer = s.batch;
  t.inner = s.filters;
  t.rows = s.OutHeight();
  t.cols = s.OutWidth();
  t.outer_noun = "images";
  t.inner_noun = "filters";
  t.caption = SliceCaption(s.batch, "n", "f");
  return t;
}

float CellWidthFor(const GridStyle& style, size_t chars) {
  // Digits of both number fonts have one width: the longest text is the widest.
  ImFont* font = style.number_font != nullptr ? style.number_font : ImGui::GetFont();
  const float digit = font->CalcTextSizeA(style.number_size, FLT_MAX, 0.0f, "0").x;
  return std::max(CellHeight(style), std::ceil(digit * static_cast<float>(chars) + 2.0f * style.cell_pad));
}

void PlaceBlock(Block& block, ImVec2 origin) {
  const ImVec2 d(origin.x - block.origin.x, origin.y - block.origin.y);
  block.origin = origin;
  for (StageGrid& g : block.grids) OffsetGeometry(g.geo, d);
}

const StageGrid* Block::Slice(int o, int i) const {
  if (!tensor || o < 0 || i < 0 || o >= tensor->shown_outer || i >= tensor->shown_inner) return nullptr;
  const int index = tensor->grid_of[static_cast<size_t>(o * tensor->shown_inner + i)];
  return index < 0 ? nullptr : &grids[static_cast<size_t>(index)];
}

std::optional<std::pair<ImVec2, ImVec2>> Block::TensorCell(int o, int i, int y, int x) const {
  const StageGrid* g = Slice(o, i);
  if (g == nullptr || g->PictureMoved()) return std::nullopt;
  const int row = y - tensor->row_offset, col = x - tensor->col_offset;
  if (row < 0 || col < 0 || row >= g->geo.rows || col >= g->geo.cols) return std::nullopt;
  return std::make_pair(g->geo.CellMin(row, col), g->geo.CellMax(row, col));
}

std::optional<std::pair<ImVec2, ImVec2>> Block::MatrixCell(Index r, Index j) const {
  if (!matrix || grids.empty()) return std::nullopt;
  // A zoomed picture's cells are elsewhere: no flight or scroll target in it.
  if (grids.front().PictureMoved()) return std::nullopt;
  const GridGeometry& g = grids.front().geo;
  const Index a = matrix->transposed ? j : r, b = matrix->transposed ? r : j;
  if (a < 0 || b < 0 || a >= g.rows || b >= g.cols) return std::nullopt;
  return std::make_pair(g.CellMin(static_cast<int>(a), static_cast<int>(b)),
                        g.CellMax(static_cast<int>(a), static_cast<int>(b)));
}

Block MakeMatrixBlock(const Context& ctx, const MatrixSpec& m) {
  Block block;
  block.name = m.name;
  block.matrix = MatrixInfo{m.transposed};
  StageGrid grid;
  GridSpec& g = grid.spec;
  const bool t = m.transposed;
  g.title = m.title;
  g.title_color = m.title_color;
  g.rows = static_cast<int>(t ? m.cols : m.rows);
  g.cols = static_cast<int>(t ? m.rows : m.cols);
  auto canonical = [t](int a, int b) { return t ? std::make_pair(Index{b}, Index{a}) : std::make_pair(Index{a}, Index{b}); };
  if (!m.id_prefix.empty()) {
    const std::string prefix = m.id_prefix;
    g.cell_id = [prefix](int a, int b) { return Ids(prefix, {a, b}); };
  }
  if (!t) {
    if (m.row_label) g.row_label = [f = m.row_label](int a) { return f(a); };
    g.col_line_names = m.col_line_names;
    if (m.col_label) g.col_label = [f = m.col_label](int line, int b) { return f(line, b); };
  } else {
    if (m.col_as_row_label) g.row_label = [f = m.col_as_row_label](int a) { return f(a); };
    g.col_line_names = m.row_line_names;
    if (m.row_as_col_label) g.col_label = [f = m.row_as_col_label](int line, int b) { return f(line, b); };
  }
  g.row_label_heading = m.row_heading;
  if (m.cell) {
    g.cell = [f = m.cell, canonical](int a, int b) {
      const auto [r, j] = canonical(a, b);
      return f(r, j);
    };
  }
  if (m.target) {
    grid.target = [f = m.target, canonical](int a, int b) {
      const auto [r, j] = canonical(a, b);
      return f(r, j);
    };
  }
  auto display = [t](CellRange r) { return t ? CellRange{r.col0, r.row0, r.col1, r.row1} : r; };
  for (const CellRange& r : m.focus) g.focus_ranges.push_back(display(r));
  for (const CellRange& r : m.links) g.link_ranges.push_back(display(r));
  g.summary_tint = m.summary_tint;
  g.cell_w = m.cell_w;
  g.label_w = m.label_w;
  if (m.picture && ctx.pictures && IsSummarised(g)) {
    // Presentation mode: the keys move the lesson, and the mouse hint would widen every block.
    if (ctx.state.classroom.presentation) g.summary_note = false;
    PictureSpec picture = MatrixPicture(ctx, *m.picture, m.light_tint, m.summary_tint, m.focus);
    grid.picture_view = picture.view_id;
    grid.memory = ctx.memory;
    AttachPicture(ctx, g, std::move(picture));
  }
  grid.geo = LayoutGrid(g, ctx.style, ImVec2(0, 0));
  block.size = grid.geo.size;
  block.grids.push_back(std::move(grid));
  return block;
}

// One line of a matrix edge label: (c, ky, kx) for X_col rows, (n, oy, ox) for columns
// (n omitted for a single image).
std::string RowLine(const Context& ctx, int line, Index r) {
  const PatchOffset o = PatchOffsetOf(ctx.shape, ctx.order, r);
  return std::to_string(line == 0 ? o.c : line == 1 ? o.ky : o.kx);
}

std::string ColumnLine(const Context& ctx, int line, Index j) {
  const PatchIndex p = PatchIndexOf(ctx.shape, ctx.order, j);
  if (ctx.shape.batch == 1) ++line;
  return std::to_string(line == 0 ? p.n : line == 1 ? p.oy : p.ox);
}

MatrixSpec FilterByPatchSpec(const Context& ctx, const std::string& name, const std::string& title, ImU32 tint,
                             float shared_cell_w, float own_cell_w) {
  MatrixSpec m;
  m.name = name;
  m.title = title;
  m.id_prefix = name;
  m.rows = ctx.shape.filters;
  m.cols = ctx.shape.PatchSize();
  m.row_label = [](Index f) { return "f " + std::to_string(f); };
  m.col_line_names = {"c", "ky", "kx"};
  m.col_label = [&ctx](int line, Index r) { return RowLine(ctx, line, r); };
  m.summary_tint = tint;
  m.cell_w = ctx.layout == Layout::Rows && shared_cell_w > 0 ? shared_cell_w : own_cell_w;
  if (ctx.layout == Layout::Rows) m.label_w = ctx.shared_label_w;
  return m;
}

Block MakeTensorBlock(const Context& ctx, const TensorSpec& t) {
  const GridStyle& style = ctx.style;
  Block block;
  block.name = t.name;
  TensorInfo info;
  info.outer = t.outer;
  info.inner = t.inner;
  const int max_outer = ctx.large ? 1 : t.max_outer;
  const long long max_cells = ctx.large ? std::min<long long>(t.max_cells, 64) : t.max_cells;
  info.shown_outer = std::min(t.outer, max_outer);
  info.shown_inner = std::min(t.inner, t.max_inner);
  info.row_offset = t.row_offset;
  info.col_offset = t.col_offset;
  // Only the shown slices: N*C can be millions (1x1 slices), and this runs every frame.
  info.grid_of.assign(static_cast<size_t>(info.shown_outer) * static_cast<size_t>(info.shown_inner), -1);

  // Block title (records the panel rectangle through a cell-less grid).
  StageGrid title;
  title.spec.title = t.title;
  title.spec.title_color = t.title_color;
  title.geo = LayoutGrid(title.spec, style, ImVec2(0, 0));
  const float top = title.geo.size.y;
  float width = title.geo.size.x, height = top;
  block.grids.push_back(std::move(title));

  const float slice_gap = style.gap * 2.0f;
  bool summarised_slices = false;
  float outer_pos = 0.0f;  // x (stacked) or y (side by side) of the current outer group
  for (int o = 0; o < info.shown_outer; ++o) {
    float inner_pos = top, group_extent = 0.0f;
    float inner_x = 0.0f;
    for (int i = 0; i < info.shown_inner; ++i) {
      StageGrid grid;
      GridSpec& g = grid.spec;
      g.title = t.caption ? t.caption(o, i) : "";
      g.small_title = true;
      g.title_color = ctx.palette.text_muted;
      g.rows = t.rows;
      g.cols = t.cols;
      g.cell_w = t.cell_w;
      g.summary_tint = t.summary_tint;
      const int ro = t.row_offset, co = t.col_offset;
      if (!t.id_prefix.empty()) {
        g.cell_id = [prefix = t.id_prefix, o, i, ro, co](int r, int c) { return Ids(prefix, {o, i, r + ro, c + co}); };
      }
      if (t.cell) g.cell = [f = t.cell, o, i, ro, co](int r, int c) { return f(o, i, r + ro, c + co); };
      if (t.target) grid.target = [f = t.target, o, i, ro, co](int r, int c) { return f(o, i, r + ro, c + co); };
      g.max_cells = max_cells;
      g.summary_note = false;  // one note for the whole tensor instead
      g.summary_box = style.summary_box * 0.5f;
      if (t.slice_focus && t.slice_focus(o, i)) g.focus_ranges.push_back(CellRange{0, 0, t.rows - 1, t.cols - 1});
      if (t.summary_focus && IsSummarised(g)) {
        for (const CellRange& r : t.summary_focus(o, i)) g.focus_ranges.push_back(r);
      }
      if (t.picture && ctx.pictures && IsSummarised(g)) {
        if (std::optional<PictureSpec> picture = t.picture(o, i)) {
          for (const CellBlock& b : Blocks(g.focus_ranges, g.rows, g.cols)) picture->mask.focus_blocks.push_back(b);
          for (const CellBlock& b : Blocks(g.link_ranges, g.rows, g.cols)) picture->mask.hover_blocks.push_back(b);
          grid.picture_view = picture->view_id;
          grid.memory = ctx.memory;
          AttachPicture(ctx, g, std::move(*picture));
        }
      }
      const ImVec2 origin = t.inner_stacked ? ImVec2(outer_pos, inner_pos) : ImVec2(inner_x, top + outer_pos);
      grid.geo = LayoutGrid(g, style, origin);
      summarised_slices |= grid.geo.summarised;
      if (t.inner_stacked) {
        inner_pos += grid.geo.size.y + slice_gap;
        group_extent = std::max(group_extent, grid.geo.size.x);
      } else {
        inner_x += grid.geo.size.x + slice_gap;
        group_extent = std::max(group_extent, grid.geo.size.y);
      }
      width = std::max(width, grid.geo.origin.x + grid.geo.size.x);
      height = std::max(height, grid.geo.origin.y + grid.geo.size.y);
      info.grid_of[static_cast<size_t>(o * info.shown_inner + i)] = static_cast<int>(block.grids.size());
      block.grids.push_back(std::move(grid));
    }
    outer_pos += group_extent + slice_gap;
  }
  if (t.inner > info.shown_inner)
    block.notes.push_back("+ " + std::to_string(t.inner - info.shown_inner) + " more " + t.inner_noun + " not shown");
  if (t.outer > info.shown_outer)
    block.notes.push_back("+ " + std::to_string(t.outer - info.shown_outer) + " more " + t.outer_noun + " not shown");
  const bool pictured = summarised_slices && block.grids.back().spec.picture != nullptr;
  if (summarised_slices && !(pictured && ctx.state.classroom.presentation)) {
    block.notes.push_back(std::to_string(t.rows) + " \xC3\x97 " + std::to_string(t.cols) +
                          (pictured ? " slices: wheel zooms, drag pans" : " slices, summarised"));
  }
  block.tensor = std::move(info);
  for (const std::string& note : block.notes) {  // notes are part of the block: nothing may overlap them
    width = std::max(width, style.caption_font->CalcTextSizeA(style.caption_size, FLT_MAX, 0.0f, note.c_str()).x);
  }
  block.size = ImVec2(width, height + NotesHeight(block, style));
  return block;
}

}  // namespace im2col::gui::stage
