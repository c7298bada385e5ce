#include "gui/stage/grid_view.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/number_format.h"
#include "gui/widgets/theme.h"

namespace im2col::gui {

// [SECTION] numbers and colours

ImU32 WithAlpha(ImU32 color, float alpha) {
  const float a = static_cast<float>((color >> IM_COL32_A_SHIFT) & 0xFF) * std::clamp(alpha, 0.0f, 1.0f);
  return (color & ~IM_COL32_A_MASK) | (static_cast<ImU32>(a + 0.5f) << IM_COL32_A_SHIFT);
}

ImU32 Blend(ImU32 a, ImU32 b, float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  auto channel = [&](int shift) {
    const float x = static_cast<float>((a >> shift) & 0xFF), y = static_cast<float>((b >> shift) & 0xFF);
    return static_cast<ImU32>(x + (y - x) * t + 0.5f) << shift;
  };
  return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) |
         (0xFFu << IM_COL32_A_SHIFT);
}

// [SECTION] decorations

void DrawHatch(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 color, float spacing) {
  // Lines x + y = s clipped to the rectangle analytically (no clip-rect push per cell).
  for (float s = min.x + min.y + spacing * 0.5f; s < max.x + max.y; s += spacing) {
    const ImVec2 a(std::min(s - min.y, max.x), s - std::min(s - min.y, max.x));
    const ImVec2 b(std::max(s - max.y, min.x), s - std::max(s - max.y, min.x));
    draw->AddLine(a, b, color, 1.0f);
  }
}

void DrawFocusOutline(ImDrawList* draw, ImVec2 min, ImVec2 max) {
  draw->AddRect(ImVec2(min.x - 1.5f, min.y - 1.5f), ImVec2(max.x + 1.5f, max.y + 1.5f), ActivePalette().focus,
                0.0f, 0, 3.0f);
}

void DrawLinkOutline(ImDrawList* draw, ImVec2 min, ImVec2 max) {
  // Dashed, in the text colour: "linked to what you point at", distinct from focus and wrong.
  const ImU32 color = ActivePalette().text;
  const float dash = 6.0f, gap = 4.0f, inset = 3.0f;
  min = ImVec2(min.x + inset, min.y + inset);
  max = ImVec2(max.x - inset, max.y - inset);
  auto dashed = [&](ImVec2 a, ImVec2 b) {
    const float length = std::hypot(b.x - a.x, b.y - a.y);
    if (length <= 0.0f) return;
    const ImVec2 d((b.x - a.x) / length, (b.y - a.y) / length);
    for (float t = 0.0f; t < length; t += dash + gap) {
      const float e = std::min(t + dash, length);
      draw->AddLine(ImVec2(a.x + d.x * t, a.y + d.y * t), ImVec2(a.x + d.x * e, a.y + d.y * e), color, 2.5f);
    }
  };
  dashed(min, ImVec2(max.x, min.y));
  dashed(ImVec2(max.x, min.y), max);
  dashed(max, ImVec2(min.x, max.y));
  dashed(ImVec2(min.x, max.y), min);
}

float WrongMarkWidth(const GridStyle& style) { return std::round(style.number_size * 0.75f); }

void DrawWrongMark(ImDrawList* draw, ImVec2 min, ImVec2 max, float mark_w) {
  const Palette& p = ActivePalette();
  // Inset, so neighbouring wrong cells keep separate outlines.
  draw->AddRect(ImVec2(min.x + 2.0f, min.y + 2.0f), ImVec2(max.x - 2.0f, max.y - 2.0f), p.wrong, 0.0f, 0, 2.5f);
  // The cross sits in the strip at the right that the number leaves free.
  const float s = std::min(mark_w - 4.0f, (max.y - min.y) * 0.4f);
  const float cx = max.x - 3.0f - mark_w * 0.5f, cy = (min.y + max.y) * 0.5f;
  draw->AddLine(ImVec2(cx - s * 0.5f, cy - s * 0.5f), ImVec2(cx + s * 0.5f, cy + s * 0.5f), p.wrong_mark, 2.5f);
  draw->AddLine(ImVec2(cx - s * 0.5f, cy + s * 0.5f), ImVec2(cx + s * 0.5f, cy - s * 0.5f), p.wrong_mark, 2.5f);
}

void DrawCenteredText(ImDrawList* draw, ImFont* font, float size, ImVec2 min, ImVec2 max, ImU32 color,
                      const std::string& text) {
  if (font == nullptr) font = ImGui::GetFont();
  const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str());
  const ImVec2 pos(std::floor((min.x + max.x - extent.x) * 0.5f + 0.5f),
                   std::floor((min.y + max.y - extent.y) * 0.5f + 0.5f));
  draw->AddText(font, size, pos, color, text.c_str());
}

// [SECTION] measuring and placing

namespace {

float TextWidth(ImFont* font, float size, const std::string& text) {
  if (font == nullptr) font = ImGui::GetFont();
  return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str()).x;
}

float TitleHeight(const GridSpec& spec, const GridStyle& style) {
  if (spec.title.empty()) return 0.0f;
  return (spec.small_title ? style.caption_size : style.title_size) + style.gap;
}

float HeaderHeight(const GridSpec& spec, const GridStyle& style, bool summarised) {
  // One line per column-label component; a row-label heading needs one line too.
  const size_t lines = std::max(spec.col_line_names.size(), spec.row_label_heading.empty() ? size_t{0} : size_t{1});
  if (summarised || lines == 0) return 0.0f;
  return static_cast<float>(lines) * style.label_size + style.gap * 0.5f;
}

bool Intersects(ImVec2 a_min, ImVec2 a_max, ImVec2 b_min, ImVec2 b_max) {
  return a_min.x < b_max.x && b_min.x < a_max.x && a_min.y < b_max.y && b_min.y < a_max.y;
}

}  // namespace

namespace {

// The line under a summarised grid: what it is, or how to explore its picture.
std::string SummaryNote(const GridSpec& spec) {
  const std::string size = std::to_string(spec.rows) + " \xC3\x97 " + std::to_string(spec.cols) + " cells";
  return spec.picture ? size + ": wheel zooms, drag pans" : size + ", summarised";
}

}  // namespace

bool IsSummarised(const GridSpec& spec) {
  return static_cast<long long>(spec.rows) * spec.cols > spec.max_cells;
}

float CellHeight(const GridStyle& style) { return std::max(style.min_cell, style.number_size + 2.0f * style.cell_pad); }

float MeasureCellWidth(const GridSpec& spec, const GridStyle& style) {
  float widest = 0.0f;
  if (!IsSummarised(spec) && spec.cell) {
    for (int r = 0; r < spec.rows; ++r) {
      for (int c = 0; c < spec.cols; ++c) {
        const CellVisual v = spec.cell(r, c);
        if (v.kind == CellKind::Empty) continue;
        widest = std::max(widest, TextWidth(style.number_font, style.number_size, FormatNumber(v.value)));
      }
    }
  }
  return std::max(CellHeight(style), widest + 2.0f * style.cell_pad);
}

float MeasureLabelWidth(const GridSpec& spec, const GridStyle& style) {
  if (IsSummarised(spec)) return 0.0f;
  float widest = 0.0f;
  if (spec.row_label) {
    for (int r = 0; r < spec.rows; ++r)
      widest = std::max(widest, TextWidth(style.label_font, style.label_size, spec.row_label(r)));
  }
  float names = 0.0f;
  for (const std::string& name : spec.col_line_names)
    names = std::max(names, TextWidth(style.label_font, style.label_size, name));
  if (!spec.row_label_heading.empty())
    names += TextWidth(style.label_font, style.label_size, spec.row_label_heading) + style.gap;
  widest = std::max(widest, names);
  return widest > 0.0f ? widest + style.gap : 0.0f;
}

GridGeometry LayoutGrid(const GridSpec& spec, const GridStyle& style, ImVec2 origin) {
  GridGeometry g;
  g.origin = origin;
  g.rows = spec.rows;
  g.cols = spec.cols;
  g.summarised = IsSummarised(spec);
  g.label_w = spec.label_w > 0.0f ? spec.label_w : MeasureLabelWidth(spec, style);
  if (g.summarised) {
    // Squeezed into a box (wide matrices get up to twice its height in width) at one
    // scale, except that a very thin matrix keeps at least half the box across (a
    // picture: all of it).
    const float box_h = spec.summary_box > 0.0f ? spec.summary_box : style.summary_box, box_w = 2.0f * box_h;
    const float cols = static_cast<float>(std::max(spec.cols, 1)), rows = static_cast<float>(std::max(spec.rows, 1));
    const float unit = std::min({style.min_cell, box_w / cols, box_h / rows});
    // A picture is explored by zooming: a thin one gets the whole box height across,
    // so more of its cells are readable once zoomed in.
    const float thin = spec.picture ? 1.0f : 0.5f;
    g.cell_w = std::max(unit, std::min(style.min_cell, thin * box_h / cols));
    g.cell_h = std::max(unit, std::min(style.min_cell, thin * box_h / rows));
    g.label_w = 0.0f;
  } else {
    g.cell_h = CellHeight(style);
    g.cell_w = spec.cell_w > 0.0f ? spec.cell_w : MeasureCellWidth(spec, style);
  }
  const float top = TitleHeight(spec, style) + HeaderHeight(spec, style, g.summarised);
  g.cells_min = ImVec2(origin.x + g.label_w, origin.y + top);
  const ImVec2 cells_max = g.CellsMax();
  float width = cells_max.x - origin.x;
  if (!spec.title.empty()) {
    ImFont* font = spec.small_title ? style.caption_font : style.title_font;
    width = std::max(width, TextWidth(font, spec.small_title ? style.caption_size : style.title_size, spec.title));
  }
  float height = cells_max.y - origin.y;
  if (g.summarised && spec.summary_note) {
    height += style.gap + style.caption_size;  // the "summarised" note under the blocks
    width = std::max(width, 12.0f * style.caption_size);
    if (spec.picture) width = std::max(width, TextWidth(style.caption_font, style.caption_size, SummaryNote(spec)));
  }
  g.size = ImVec2(width, height);
  return g;
}

std::optional<std::pair<int, int>> GridGeometry::CellAt(ImVec2 point) const {
  if (cell_w <= 0.0f || cell_h <= 0.0f) return std::nullopt;
  const float fx = (point.x - cells_min.x) / cell_w, fy = (point.y - cells_min.y) / cell_h;
  if (fx < 0.0f || fy < 0.0f) return std::nullopt;
  const int col = static_cast<int>(fx), row = static_cast<int>(fy);
  if (row >= rows || col >= cols) return std::nullopt;
  return std::make_pair(row, col);
}

// [SECTION] drawing

namespace {

void DrawCell(ImDrawList* draw, const GridStyle& style, ImVec2 min, ImVec2 max, const CellVisual& v) {
  const Palette& p = ActivePalette();
  switch (v.kind) {
    case CellKind::Empty:
      break;
    case CellKind::Padding:
      draw->AddRectFilled(min, max, p.padding);
      DrawHatch(draw, min, max, p.padding_hatch, 9.0f);
      DrawCenteredText(draw, style.number_font, style.number_size, min, max, p.text_muted, "0");
      break;
    case CellKind::Structural:
      draw->AddRectFilled(min, max, Blend(p.background, p.padding, 0.6f));
      DrawHatch(draw, min, max, Blend(p.background, p.padding_hatch, 0.7f), 5.0f);
      break;
    case CellKind::Value:
    case CellKind::Heat: {
      const ImU32 fill = v.fill != 0 ? v.fill : p.background;
      draw->AddRectFilled(min, max, WithAlpha(fill, v.alpha));
      if (v.hatch) DrawHatch(draw, min, max, WithAlpha(p.padding_hatch, v.alpha), 9.0f);
      const ImU32 text = v.muted ? p.text_muted : TextColorOn(fill);
      const ImVec2 text_max(v.wrong ? max.x - WrongMarkWidth(style) : max.x, max.y);  // room for the cross
      DrawCenteredText(draw, style.number_font, style.number_size, min, text_max, WithAlpha(text, v.alpha),
                       FormatNumber(v.value));
      break;
    }
  }
  draw->AddRect(min, max, p.grid_line, 0.0f, 0, 1.0f);
}

void DrawRanges(ImDrawList* draw, const GridGeometry& g, const std::vector<CellRange>& ranges, bool focus,
                std::vector<std::pair<ImVec2, ImVec2>>* drawn = nullptr) {
  for (CellRange r : ranges) {
    r.row0 = std::max(r.row0, 0);  // clipped to the grid (a window may reach into padding)
    r.col0 = std::max(r.col0, 0);
    r.row1 = std::min(r.row1, g.rows - 1);
    r.col1 = std::min(r.col1, g.cols - 1);
    if (r.row0 > r.row1 || r.col0 > r.col1) continue;
    ImVec2 min = g.CellMin(r.row0, r.col0), max = g.CellMax(r.row1, r.col1);
    if (g.summarised) {  // keep tiny ranges visible in a squeezed grid
      const float grow_x = std::max(0.0f, (8.0f - (max.x - min.x)) * 0.5f);
      const float grow_y = std::max(0.0f, (8.0f - (max.y - min.y)) * 0.5f);
      min = ImVec2(min.x - grow_x, min.y - grow_y);
      max = ImVec2(max.x + grow_x, max.y + grow_y);
    }
    if (drawn) drawn->emplace_back(min, max);
    if (focus) DrawFocusOutline(draw, min, max);
    else DrawLinkOutline(draw, min, max);
  }
}

void DrawSummarised(ImDrawList* draw, const GridSpec& spec, const GridStyle& style, const GridGeometry& g) {
  const Palette& p = ActivePalette();
  // Blocks of at least 3 pixels; each block is coloured from a few sampled cells.
  const int block_cols = std::max(1, std::min(spec.cols, static_cast<int>((g.CellsMax().x - g.cells_min.x) / 3.0f)));
  const int block_rows = std::max(1, std::min(spec.rows, static_cast<int>((g.CellsMax().y - g.cells_min.y) / 3.0f)));
  struct Sample { CellKind kind; double magnitude; ImU32 fill; };
  std::vector<Sample> samples(static_cast<size_t>(block_rows) * block_cols);
  double largest = 0.0;
  for (int br = 0; br < block_rows; ++br) {
    for (int bc = 0; bc < block_cols; ++bc) {
      const int r = static_cast<int>((static_cast<long long>(br) * spec.rows + spec.rows / (2 * block_rows)) / block_rows);
      const int c = static_cast<int>((static_cast<long long>(bc) * spec.cols + spec.cols / (2 * block_cols)) / block_cols);
      const CellVisual v = spec.cell ? spec.cell(r, c) : CellVisual{};
      samples[static_cast<size_t>(br) * block_cols + bc] = Sample{v.kind, std::fabs(v.value), v.fill};
      if (v.kind == CellKind::Value) largest = std::max(largest, std::fabs(v.value));
    }
  }
  const ImVec2 span(g.CellsMax().x - g.cells_min.x, g.CellsMax().y - g.cells_min.y);
  for (int br = 0; br < block_rows; ++br) {
    for (int bc = 0; bc < block_cols; ++bc) {
      const Sample& s = samples[static_cast<size_t>(br) * block_cols + bc];
      const ImVec2 min(g.cells_min.x + span.x * static_cast<float>(bc) / static_cast<float>(block_cols),
                       g.cells_min.y + span.y * static_cast<float>(br) / static_cast<float>(block_rows));
      const ImVec2 max(g.cells_min.x + span.x * static_cast<float>(bc + 1) / static_cast<float>(block_cols),
                       g.cells_min.y + span.y * static_cast<float>(br + 1) / static_cast<float>(block_rows));
      ImU32 color = p.background;
      if (s.kind == CellKind::Padding) color = p.padding;
      if (s.kind == CellKind::Structural) color = Blend(p.background, p.padding, 0.6f);
      if (s.kind == CellKind::Heat) color = s.fill;
      if (s.kind == CellKind::Value) {
        const ImU32 tint = spec.summary_tint != 0 ? spec.summary_tint : p.input;
        color = Blend(p.background, tint, largest > 0.0 ? static_cast<float>(0.2 + 0.8 * s.magnitude / largest) : 0.2f);
      }
      draw->AddRectFilled(min, max, color);
    }
  }
  draw->AddRect(g.cells_min, g.CellsMax(), p.grid_line, 0.0f, 0, 1.0f);
  if (!spec.summary_note) return;
  draw->AddText(style.caption_font, style.caption_size, ImVec2(g.cells_min.x, g.CellsMax().y + style.gap),
                p.text_muted, SummaryNote(spec).c_str());
}

}  // namespace

std::optional<std::pair<int, int>> DrawGrid(ImDrawList* draw, const GridSpec& spec, const GridStyle& style,
                                            const GridGeometry& g, bool hover_enabled,
                                            std::vector<std::pair<ImVec2, ImVec2>>* linked) {
  const Palette& p = ActivePalette();
  const ImVec2 clip_min = draw->GetClipRectMin(), clip_max = draw->GetClipRectMax();
  if (!spec.panel_id.empty()) RecordItem(spec.panel_id, g.origin, ImVec2(g.origin.x + g.size.x, g.origin.y + g.size.y));
  if (!Intersects(g.origin, ImVec2(g.origin.x + g.size.x, g.origin.y + g.size.y), clip_min, clip_max)) {
    return std::nullopt;  // culled whole
  }
  if (!spec.title.empty()) {
    ImFont* font = spec.small_title ? style.caption_font : style.title_font;
    const float size = spec.small_title ? style.caption_size : style.title_size;
    draw->AddText(font, size, g.origin, spec.title_color != 0 ? spec.title_color : p.text, spec.title.c_str());
  }
  std::optional<std::pair<int, int>> pictured;
  if (g.summarised && spec.picture && spec.picture(g.cells_min, g.CellsMax(), hover_enabled, &pictured)) {
    if (spec.summary_note) {
      draw->AddText(style.caption_font, style.caption_size, ImVec2(g.cells_min.x, g.CellsMax().y + style.gap),
                    p.text_muted, SummaryNote(spec).c_str());
    }
    return hover_enabled ? pictured : std::nullopt;  // the picture drew its own outlines
  }
  if (g.summarised) {
    DrawSummarised(draw, spec, style, g);
  } else {
    // Visible cell range only (culling off-screen cells).
    const int c0 = std::max(0, static_cast<int>((clip_min.x - g.cells_min.x) / g.cell_w));
    const int c1 = std::min(g.cols, static_cast<int>((clip_max.x - g.cells_min.x) / g.cell_w) + 1);
    const int r0 = std::max(0, static_cast<int>((clip_min.y - g.cells_min.y) / g.cell_h));
    const int r1 = std::min(g.rows, static_cast<int>((clip_max.y - g.cells_min.y) / g.cell_h) + 1);
    // Column labels: one line per index component, names right-aligned in the corner.
    const float header_top = g.cells_min.y - HeaderHeight(spec, style, false);
    for (size_t line = 0; line < spec.col_line_names.size(); ++line) {
      const float y = header_top + static_cast<float>(line) * style.label_size;
      const std::string& name = spec.col_line_names[line];
      const float name_w = TextWidth(style.label_font, style.label_size, name);
      draw->AddText(style.label_font, style.label_size, ImVec2(g.cells_min.x - style.gap - name_w, y), p.text_muted,
                    name.c_str());
      if (!spec.col_label) continue;
      for (int c = c0; c < c1; ++c) {
        DrawCenteredText(draw, style.label_font, style.label_size, ImVec2(g.CellMin(0, c).x, y),
                         ImVec2(g.CellMax(0, c).x, y + style.label_size), p.text_muted,
                         spec.col_label(static_cast<int>(line), c));
      }
    }
    if (!spec.row_label_heading.empty()) {
      draw->AddText(style.label_font, style.label_size, ImVec2(g.origin.x, header_top), p.text_muted,
                    spec.row_label_heading.c_str());
    }
    if (spec.row_label) {
      for (int r = r0; r < r1; ++r) {
        const std::string label = spec.row_label(r);
        const float w = TextWidth(style.label_font, style.label_size, label);
        const ImVec2 min = g.CellMin(r, 0);
        draw->AddText(style.label_font, style.label_size,
                      ImVec2(min.x - style.gap - w, min.y + (g.cell_h - style.label_size) * 0.5f), p.text_muted,
                      label.c_str());
      }
    }
    const bool recording = IsRecordingLayout() && static_cast<bool>(spec.cell_id);
    std::vector<std::pair<int, int>> links, link_sources, wrongs, focuses, sources;
    for (int r = r0; r < r1; ++r) {
      for (int c = c0; c < c1; ++c) {
        const CellVisual v = spec.cell ? spec.cell(r, c) : CellVisual{};
        const ImVec2 min = g.CellMin(r, c), max = g.CellMax(r, c);
        DrawCell(draw, style, min, max, v);
        if (v.linked_source) link_sources.emplace_back(r, c);
        else if (v.linked) links.emplace_back(r, c);
        if (v.wrong) wrongs.emplace_back(r, c);
        if (v.focus || v.focus_source) focuses.emplace_back(r, c);
        if (v.focus_source) sources.emplace_back(r, c);
        if (recording) RecordItem(spec.cell_id(r, c), min, max);
      }
    }
    // Outlines on top of every cell, most important last.
    for (const auto& [r, c] : links) DrawLinkOutline(draw, g.CellMin(r, c), g.CellMax(r, c));
    if (linked) {
      for (const auto& [r, c] : links) linked->emplace_back(g.CellMin(r, c), g.CellMax(r, c));
      for (const auto& [r, c] : link_sources) linked->emplace_back(g.CellMin(r, c), g.CellMax(r, c));
    }
    for (const auto& [r, c] : link_sources) {
      // Dashed like every link, plus a corner wedge: "this is the one it came from".
      // (A solid black outline would read as overwrite's wrong mark.)
      const ImVec2 min = g.CellMin(r, c), max = g.CellMax(r, c);
      DrawLinkOutline(draw, min, max);
      const float wedge = std::min(max.x - min.x, max.y - min.y) * 0.4f;
      draw->AddTriangleFilled(ImVec2(min.x + 1.0f, min.y + 1.0f), ImVec2(min.x + 1.0f + wedge, min.y + 1.0f),
                              ImVec2(min.x + 1.0f, min.y + 1.0f + wedge), p.text);
    }
    for (const auto& [r, c] : wrongs) DrawWrongMark(draw, g.CellMin(r, c), g.CellMax(r, c), WrongMarkWidth(style));
    for (const auto& [r, c] : focuses) DrawFocusOutline(draw, g.CellMin(r, c), g.CellMax(r, c));
    for (const auto& [r, c] : sources) {
      const ImVec2 min = g.CellMin(r, c), max = g.CellMax(r, c);
      draw->AddRect(ImVec2(min.x + 3.5f, min.y + 3.5f), ImVec2(max.x - 3.5f, max.y - 3.5f), p.focus, 0.0f, 0, 2.0f);
    }
  }
  DrawRanges(draw, g, spec.link_ranges, false, linked);
  DrawRanges(draw, g, spec.focus_ranges, true);
  if (!hover_enabled) return std::nullopt;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (mouse.x < clip_min.x || mouse.y < clip_min.y || mouse.x >= clip_max.x || mouse.y >= clip_max.y) return std::nullopt;
  return g.CellAt(mouse);
}

}  // namespace im2col::gui
