// Large matrices on the GPU, the drawing side: the cells come from the cached pictures
// of matrix_picture.cpp; this file adds the ImGui overlays (outlines, numbers, frame,
// minimap, zoom controls) and the public drawing API of matrix_view.h.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "gui/widgets/fonts.h"
#include "gui/widgets/number_format.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/gpu/matrix_picture.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/gpu/matrix_view.h"
#include "gui/widgets/theme.h"

namespace im2col::gui {
namespace {

constexpr size_t kMaxLinkedOutlines = 4096;
constexpr float kRecordMinCellPixels = 4.0f;
constexpr float kDash = 6.0f, kDashGap = 4.0f;
constexpr float kMinNumberPixels = 12.0f;  // a number squeezed smaller than this is not drawn

// ---------------------------------------------------------------------------------
// [SECTION] Outlines: focus (solid orange) and hover / links (dashed), as ImGui shapes
// ---------------------------------------------------------------------------------

// A canonical row / column / cell as a displayed screen rectangle.
ImRect RowRect(const MatrixTexture& t, const ZoomView& v, const ImRect& area, Index r) {
  const double dr = static_cast<double>(t.display_rows()), dc = static_cast<double>(t.display_cols());
  const double x = static_cast<double>(r);
  return t.transposed() ? ImRect(CellToScreen(v, {x, 0.0}, area), CellToScreen(v, {x + 1.0, dr}, area))
                        : ImRect(CellToScreen(v, {0.0, x}, area), CellToScreen(v, {dc, x + 1.0}, area));
}
ImRect ColumnRect(const MatrixTexture& t, const ZoomView& v, const ImRect& area, Index j) {
  const double dr = static_cast<double>(t.display_rows()), dc = static_cast<double>(t.display_cols());
  const double x = static_cast<double>(j);
  return t.transposed() ? ImRect(CellToScreen(v, {0.0, x}, area), CellToScreen(v, {dc, x + 1.0}, area))
                        : ImRect(CellToScreen(v, {x, 0.0}, area), CellToScreen(v, {x + 1.0, dr}, area));
}
ImRect CellRectOf(const MatrixTexture& t, const ZoomView& v, const ImRect& area, const Cell& cell) {
  const CellRef d = t.Displayed(cell);
  return CellRect(v, d.row, d.col, area);
}
ImRect BlockRect(const MatrixTexture& t, const ZoomView& v, const ImRect& area, const CellBlock& block) {
  ImRect box = CellRectOf(t, v, area, block.first);
  box.Add(CellRectOf(t, v, area, block.last));
  return box;
}

// Keeps a rectangle's visible edges and pushes the others just outside the area, so a
// row 400 000 px long is drawn as what the area shows (dashes stay a handful).
ImRect ClampToArea(ImRect box, const ImRect& area, float margin) {
  box.Min = ImMax(box.Min, ImVec2(area.Min.x - margin, area.Min.y - margin));
  box.Max = ImMin(box.Max, ImVec2(area.Max.x + margin, area.Max.y + margin));
  return box;
}

// A rectangle thinner than 2 * width (a 1-cell column when cells are below a pixel) is
// drawn as a bar that wide (dashed or solid); otherwise an outline `width` wide inside
// its edges.
void OutlineRect(ImDrawList* draw, ImRect box, const ImRect& area, ImU32 colour, float width, bool dashed) {
  const ImVec2 centre = box.GetCenter();
  const bool thin_x = box.GetWidth() < 2.0f * width, thin_y = box.GetHeight() < 2.0f * width;
  if (thin_x) {
    box.Min.x = centre.x - width;
    box.Max.x = centre.x + width;
  }
  if (thin_y) {
    box.Min.y = centre.y - width;
    box.Max.y = centre.y + width;
  }
  box = ClampToArea(box, area, 2.0f * width);
  if (box.GetWidth() <= 0.0f || box.GetHeight() <= 0.0f) return;
  if (thin_x || thin_y) {
    if (!dashed) {
      draw->AddRectFilled(box.Min, box.Max, colour);
      return;
    }
    // A dashed bar: dashes along its long side, so "linked" still reads as dashed.
    const bool vertical = box.GetHeight() >= box.GetWidth();
    const float start = vertical ? box.Min.y : box.Min.x, end = vertical ? box.Max.y : box.Max.x;
    for (float s = start; s < end; s += kDash + kDashGap) {
      const float e = std::min(s + kDash, end);
      if (vertical) {
        draw->AddRectFilled(ImVec2(box.Min.x, s), ImVec2(box.Max.x, e), colour);
      } else {
        draw->AddRectFilled(ImVec2(s, box.Min.y), ImVec2(e, box.Max.y), colour);
      }
    }
    return;
  }
  if (!dashed) {
    // ImGui strokes the path through a + 0.5 and b - 0.5: this puts the band just inside
    // the edges, so it stays whole where the matrix touches the area's border.
    const float h = width * 0.5f - 0.5f;
    draw->AddRect(ImVec2(box.Min.x + h, box.Min.y + h), ImVec2(box.Max.x - h, box.Max.y - h), colour, 0.0f, 0, width);
    return;
  }
  // Dashed, just inside the edges: "linked to what you point at", distinct from focus.
  const float inset = width;
  const ImVec2 a(box.Min.x + inset, box.Min.y + inset), b(box.Max.x - inset, box.Max.y - inset);
  auto dashes = [&](ImVec2 from, ImVec2 to) {
    const float length = std::hypot(to.x - from.x, to.y - from.y);
    if (length <= 0.0f) return;
    const ImVec2 dir((to.x - from.x) / length, (to.y - from.y) / length);
    for (float s = 0.0f; s < length; s += kDash + kDashGap) {
      const float e = std::min(s + kDash, length);
      draw->AddLine(ImVec2(from.x + dir.x * s, from.y + dir.y * s), ImVec2(from.x + dir.x * e, from.y + dir.y * e),
                    colour, width);
    }
  };
  dashes(a, ImVec2(b.x, a.y));
  dashes(ImVec2(b.x, a.y), b);
  dashes(b, ImVec2(a.x, b.y));
  dashes(ImVec2(a.x, b.y), a);
}

void DrawOutlines(ImDrawList* draw, const MatrixTexture& t, const ZoomView& view, const ImRect& area,
                  const MaskState& m, const MatrixStyle& s, bool with_hover) {
  draw->PushClipRect(area.Min, area.Max, true);
  if (with_hover) {
    if (m.hover_row) OutlineRect(draw, RowRect(t, view, area, *m.hover_row), area, s.hover, s.hover_width, true);
    if (m.hover_column) OutlineRect(draw, ColumnRect(t, view, area, *m.hover_column), area, s.hover, s.hover_width, true);
    const size_t links = std::min(m.linked_cells.size(), kMaxLinkedOutlines);
    for (size_t i = 0; i < links; ++i) {
      const ImRect box = CellRectOf(t, view, area, m.linked_cells[i]);
      if (box.Overlaps(area)) OutlineRect(draw, box, area, s.hover, s.hover_width, box.GetWidth() >= 16.0f);
    }
    if (m.hover_cell) OutlineRect(draw, CellRectOf(t, view, area, *m.hover_cell), area, s.hover, s.hover_width, false);
    for (const CellBlock& b : m.hover_blocks) OutlineRect(draw, BlockRect(t, view, area, b), area, s.hover, s.hover_width, true);
  }
  // Focus last: the one thing that moves is drawn on top.
  if (m.focus_row) OutlineRect(draw, RowRect(t, view, area, *m.focus_row), area, s.focus, s.focus_width, false);
  if (m.focus_column) OutlineRect(draw, ColumnRect(t, view, area, *m.focus_column), area, s.focus, s.focus_width, false);
  if (m.focus_cell) OutlineRect(draw, CellRectOf(t, view, area, *m.focus_cell), area, s.focus, s.focus_width, false);
  for (const CellBlock& b : m.focus_blocks) OutlineRect(draw, BlockRect(t, view, area, b), area, s.focus, s.focus_width, false);
  draw->PopClipRect();
}

// ---------------------------------------------------------------------------------
// [SECTION] Numbers, frame, layout ids
// ---------------------------------------------------------------------------------

void DrawNumbers(ImDrawList* draw, const MatrixTexture& t, const ZoomView& view, const ImRect& area,
                 const MaskState& m, const MatrixStyle& s) {
  ImFont* font = s.number_font ? s.number_font : NumberFont();
  if (font == nullptr) font = ImGui::GetFont();
  ImFont* small = s.small_number_font ? s.small_number_font : SmallNumberFont();
  if (small == nullptr) small = font;
  const CellSpan span = VisibleCells(view, area);
  if (span.Count() > 40000) return;  // cannot happen at >= 28 px cells on any real screen
  draw->PushClipRect(area.Min, area.Max, true);
  for (Index row = span.row0; row < span.row1; ++row) {
    for (Index col = span.col0; col < span.col1; ++col) {
      const Cell cell = t.Canonical({row, col});
      if (!IsFilled(t, m, cell)) continue;
      const std::string text = t.IsPadding(cell.r, cell.j) ? "0" : FormatNumber(t.Value(cell.r, cell.j));
      const ImRect box = CellRect(view, row, col, area);
      // The number font; else the small one; else the small one scaled down to fit, as
      // long as it stays readable; else nothing (zoom in further to read it).
      const float room = box.GetWidth() - 4.0f;
      ImFont* chosen = font;
      float pixels = font->FontSize;
      ImVec2 size = font->CalcTextSizeA(pixels, FLT_MAX, 0.0f, text.c_str());
      if (size.x > room || size.y > box.GetHeight()) {
        chosen = small;
        pixels = small->FontSize;
        size = small->CalcTextSizeA(pixels, FLT_MAX, 0.0f, text.c_str());
        if (size.x > room) {
          pixels = std::floor(pixels * room / size.x);
          size = small->CalcTextSizeA(pixels, FLT_MAX, 0.0f, text.c_str());
        }
        if (pixels < kMinNumberPixels || size.x > room || size.y > box.GetHeight()) continue;
      }
      const ImVec2 centre = box.GetCenter();
      draw->AddText(chosen, pixels, ImVec2(std::floor(centre.x - size.x * 0.5f), std::floor(centre.y - size.y * 0.5f)),
                    TextColorOn(CellFillColour(t, m, s, {row, col})), text.c_str());
    }
  }
  draw->PopClipRect();
}

void RecordVisibleCells(const ZoomView& view, const ImRect& area, const char* prefix) {
  if (!IsRecordingLayout() || prefix == nullptr || prefix[0] == '\0') return;
  if (view.cell_w < kRecordMinCellPixels || view.cell_h < kRecordMinCellPixels) return;
  const CellSpan span = VisibleCells(view, area);
  for (Index row = span.row0; row < span.row1; ++row) {
    for (Index col = span.col0; col < span.col1; ++col) {
      ImRect box = CellRect(view, row, col, area);
      box.ClipWith(area);
      RecordItem(std::string(prefix) + "[" + std::to_string(row) + "," + std::to_string(col) + "]", box.Min, box.Max);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------
// [SECTION] Public drawing API
// ---------------------------------------------------------------------------------

void DrawMatrixTexture(GpuContext& gpu, ImDrawList* draw, const MatrixTexture& t, const ZoomView& view, const ImRect& area,
                       const MaskState& mask, const MatrixStyle& style, const char* layout_prefix) {
  if (area.GetWidth() < 1.0f || area.GetHeight() < 1.0f) return;
  // Scrolled out of the window: nothing to render (and no picture to redraw).
  if (!area.Overlaps(ImRect(draw->GetClipRectMin(), draw->GetClipRectMax()))) return;
  if (!t.uploaded() || !EnsureMatrixRenderer(gpu)) {
    draw->AddRectFilled(area.Min, area.Max, style.empty);
    const std::string message = !GpuMatrixDrawingAvailable() ? std::string("no OpenGL renderer")
                                : t.uploaded()               ? MatrixRendererError(gpu)
                                                             : std::string("matrix not uploaded");
    draw->PushClipRect(area.Min, area.Max, true);
    draw->AddText(ImVec2(area.Min.x + 6.0f, area.Min.y + 6.0f), style.text, message.c_str());
    draw->PopClipRect();
    return;
  }
  if (!DrawMatrixCells(gpu, draw, t, view, area, mask, style)) {
    draw->AddRectFilled(area.Min, area.Max, style.empty);
    draw->AddText(ImVec2(area.Min.x + 6.0f, area.Min.y + 6.0f), style.text, MatrixRendererError(gpu).c_str());
    return;
  }
  if (style.show_numbers && view.cell_w >= style.number_min_cell && view.cell_h >= style.number_min_cell) {
    DrawNumbers(draw, t, view, area, mask, style);
  }
  ImRect frame = MatrixRect(view, area);
  frame.ClipWith(area);
  if (frame.GetWidth() > 0.0f && frame.GetHeight() > 0.0f) draw->AddRect(frame.Min, frame.Max, style.grid_line);
  DrawOutlines(draw, t, view, area, mask, style, /*with_hover=*/true);
  RecordVisibleCells(view, area, layout_prefix);
}

std::optional<CellRef> HoveredCell(const MatrixTexture& t, const ZoomView& view, const ImRect& area, bool enabled) {
  if (!enabled || !t.uploaded()) return std::nullopt;
  std::optional<CellRef> cell = DisplayedCellAt(view, area, ImGui::GetIO().MousePos);
  if (cell && (cell->row >= t.display_rows() || cell->col >= t.display_cols())) return std::nullopt;
  return cell;
}

MatrixViewResult DrawZoomableMatrix(GpuContext& gpu, const char* id, const MatrixTexture& t, ZoomView& view, const ImRect& area,
                                    const MaskState& mask, const MatrixStyle& style, const char* layout_prefix) {
  MatrixViewResult result;
  const ZoomInput input = HandleZoomInput(id, view, area, t.display_rows(), t.display_cols());
  result.area_hovered = input.hovered;
  result.view_changed = input.changed;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  DrawMatrixTexture(gpu, draw, t, view, area, mask, style, layout_prefix);
  if (MinimapVisible(view, area) && t.uploaded() && EnsureMatrixRenderer(gpu)) {
    const ImRect box = MinimapRect(view, area);
    const ZoomView mini = MinimapView(view, area);
    MatrixStyle mini_style = style;
    mini_style.grid_min_cell = FLT_MAX;
    DrawMatrixCells(gpu, draw, t, mini, box, mask, mini_style);
    MatrixStyle focus_only = mini_style;
    focus_only.focus_width = 2.0f;
    DrawOutlines(draw, t, mini, box, mask, focus_only, /*with_hover=*/false);
  }
  DrawZoomControls(draw, view, area);
  if (IsRecordingLayout()) {  // the controls, for the tests that keep them in view
    const std::string name = layout_prefix != nullptr && layout_prefix[0] != '\0' ? layout_prefix : id;
    if (FitButtonVisible(view, area)) RecordItem("control:fit:" + name, FitButtonRect(area).Min, FitButtonRect(area).Max);
    if (MinimapVisible(view, area)) RecordItem("minimap:" + name, MinimapRect(view, area).Min, MinimapRect(view, area).Max);
  }
  result.hovered = HoveredCell(t, view, area, input.hovered);
  return result;
}





}  // namespace im2col::gui
