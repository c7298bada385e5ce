// Labelled arrows between the stage's blocks, values in flight.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "gui/stage/arrows.h"
#include "gui/stage/stage_context.h"

namespace im2col::gui::stage {

namespace {

ImVec2 Lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }
ImVec2 Centre(const std::pair<ImVec2, ImVec2>& r) {
  return ImVec2((r.first.x + r.second.x) * 0.5f, (r.first.y + r.second.y) * 0.5f);
}

ImFont* CaptionFont(const GridStyle& style) {
  return style.caption_font != nullptr ? style.caption_font : ImGui::GetFont();
}

}  // namespace

float ArrowGapFor(const GridStyle& style, const std::string& label) {
  const float text = CaptionFont(style)->CalcTextSizeA(style.caption_size, FLT_MAX, 0.0f, label.c_str()).x;
  return std::max(text + 4.0f * style.gap, 6.0f * style.gap);
}

void DrawArrow(ImDrawList* draw, const GridStyle& style, float x0, float x1, float y, const std::string& label,
               ImU32 color) {
  const float dir = x1 >= x0 ? 1.0f : -1.0f;
  const float head = 12.0f, half = 7.0f;
  const float a = x0 + dir * style.gap, b = x1 - dir * style.gap;
  if ((b - a) * dir < head) return;  // no room
  draw->AddLine(ImVec2(a, y), ImVec2(b - dir * head, y), color, 3.0f);
  draw->AddTriangleFilled(ImVec2(b, y), ImVec2(b - dir * head, y - half), ImVec2(b - dir * head, y + half), color);
  if (label.empty()) return;
  ImFont* font = CaptionFont(style);
  const ImVec2 size = font->CalcTextSizeA(style.caption_size, FLT_MAX, 0.0f, label.c_str());
  const ImVec2 pos(std::floor((a + b - size.x) * 0.5f), std::floor(y - half - size.y - 2.0f));
  draw->AddText(font, style.caption_size, pos, LabelColour(color, ActivePalette()), label.c_str());
}

void DrawVerticalArrow(ImDrawList* draw, const GridStyle& style, float y0, float y1, float x, const std::string& label,
                       ImU32 color) {
  const float dir = y1 >= y0 ? 1.0f : -1.0f;
  const float head = 12.0f, half = 7.0f;
  const float a = y0 + dir * style.gap * 0.5f, b = y1 - dir * style.gap * 0.5f;
  if ((b - a) * dir < head) return;
  draw->AddLine(ImVec2(x, a), ImVec2(x, b - dir * head), color, 3.0f);
  draw->AddTriangleFilled(ImVec2(x, b), ImVec2(x - half, b - dir * head), ImVec2(x + half, b - dir * head), color);
  if (label.empty()) return;
  ImFont* font = CaptionFont(style);
  const ImVec2 size = font->CalcTextSizeA(style.caption_size, FLT_MAX, 0.0f, label.c_str());
  draw->AddText(font, style.caption_size, ImVec2(x + half + style.gap, std::floor((a + b - size.y) * 0.5f)),
                LabelColour(color, ActivePalette()), label.c_str());
}

void DrawFlight(ImDrawList* draw, const GridStyle& style, std::pair<ImVec2, ImVec2> from,
                std::pair<ImVec2, ImVec2> to, float t, ImU32 fill, const std::string& text) {
  const Palette& p = ActivePalette();
  // Summarised grids have sub-pixel cells: a number cannot travel there readably.
  if (to.second.x - to.first.x < 8.0f || from.second.x - from.first.x < 8.0f) return;
  const ImVec2 min = Lerp(from.first, to.first, t), max = Lerp(from.second, to.second, t);
  // A faint trail from where the value came from, so the eye can follow it.
  draw->AddLine(Centre(from), ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f), WithAlpha(p.focus, 0.6f), 2.0f);
  draw->AddRectFilled(min, max, fill);
  if (fill == p.padding) DrawHatch(draw, min, max, p.padding_hatch, 9.0f);
  draw->AddRect(ImVec2(min.x - 1.5f, min.y - 1.5f), ImVec2(max.x + 1.5f, max.y + 1.5f), p.focus, 0.0f, 0, 3.0f);
  DrawCenteredText(draw, style.number_font, style.number_size, min, max, TextColorOn(fill), text);
}

}  // namespace im2col::gui::stage
