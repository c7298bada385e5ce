// The hover badge: text, placement beside the hovered cell, drawing (hover_badge.h).
#include "gui/stage/hover_badge.h"

#include <algorithm>
#include <cfloat>

#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/number_format.h"
#include "gui/widgets/theme.h"

namespace im2col::gui::stage {

namespace {

float OverlapArea(const Rect& a, const Rect& b) {
  const float w = std::min(a.second.x, b.second.x) - std::max(a.first.x, b.first.x);
  const float h = std::min(a.second.y, b.second.y) - std::max(a.first.y, b.first.y);
  return w > 0.0f && h > 0.0f ? w * h : 0.0f;
}

constexpr float kBadgePad = 6.0f;

}  // namespace

std::string HoverBadgeText(const Computation& c, const HoverTarget& target) {
  using Kind = HoverTarget::Kind;
  const std::optional<double> value = ValueOf(c, target);
  const bool input = target.kind == Kind::InputPixel || target.kind == Kind::GradInputPixel;
  std::string text = Describe(c, target) + " = " + (value ? FormatNumber(*value) : input ? "0" : "?");
  // Transposed: an input pixel is a column of x_mat, not copied anywhere.
  if (c.shape.op != Op::Conv || !input) return text;
  if (!value) return text + "  (padding zero)";
  const Index copies = LinksOf(c, target).copy_count;
  const char* matrix = c.scenario.layout == Layout::Rows ? " X_row cell" : " X_col cell";
  // (A pixel no window reaches, with a stride that skips it, is copied nowhere.)
  return text + "  \xE2\x86\x92 " + (copies == 0 ? "no" : std::to_string(copies)) + matrix + (copies == 1 ? "" : "s");
}

ImVec2 PlaceBadge(ImVec2 size, const Rect& cell, const std::vector<Rect>& avoid, const Rect& clip, float gap) {
  const ImVec2 a = cell.first, b = cell.second;
  const float cx = (a.x + b.x - size.x) * 0.5f, cy = (a.y + b.y - size.y) * 0.5f;
  const ImVec2 candidates[] = {
      {b.x + gap, a.y - gap - size.y}, {b.x + gap, b.y + gap},  // above-right, below-right
      {a.x - gap - size.x, a.y - gap - size.y}, {a.x - gap - size.x, b.y + gap},  // above-left, below-left
      {b.x + gap, cy}, {a.x - gap - size.x, cy},  // right, left
      {cx, a.y - gap - size.y}, {cx, b.y + gap},  // above, below
  };
  std::optional<ImVec2> best;
  float best_covered = FLT_MAX;
  for (ImVec2 at : candidates) {
    // Inside the clip (the visible stage); a badge wider than it keeps its left edge in.
    at.x = std::max(std::min(at.x, clip.second.x - size.x), clip.first.x);
    at.y = std::max(std::min(at.y, clip.second.y - size.y), clip.first.y);
    const Rect box{at, ImVec2(at.x + size.x, at.y + size.y)};
    if (OverlapArea(box, cell) > 0.0f) continue;
    float covered = 0.0f;
    for (const Rect& r : avoid) covered += OverlapArea(box, r);
    if (covered < best_covered) {
      best_covered = covered;
      best = at;
    }
    if (covered == 0.0f) break;
  }
  if (best) return *best;
  return ImVec2(std::max(std::min(candidates[0].x, clip.second.x - size.x), clip.first.x),
                std::max(std::min(candidates[0].y, clip.second.y - size.y), clip.first.y));
}

void DrawHoverBadge(ImDrawList* draw, const GridStyle& style, const std::string& text, const Rect& cell,
                    const std::vector<Rect>& avoid) {
  const Palette& p = ActivePalette();
  ImFont* font = style.caption_font != nullptr ? style.caption_font : ImGui::GetFont();
  const ImVec2 text_size = font->CalcTextSizeA(style.caption_size, FLT_MAX, 0.0f, text.c_str());
  const ImVec2 size(text_size.x + 2.0f * kBadgePad, text_size.y + 2.0f * kBadgePad);
  const Rect clip{draw->GetClipRectMin(), draw->GetClipRectMax()};
  const ImVec2 min = PlaceBadge(size, cell, avoid, clip, std::max(style.gap, 6.0f));
  const ImVec2 max(min.x + size.x, min.y + size.y);
  draw->AddRectFilled(min, max, p.text, 4.0f);
  draw->AddText(font, style.caption_size, ImVec2(min.x + kBadgePad, min.y + kBadgePad), TextColorOn(p.text), text.c_str());
  RecordItem("stage:hover_badge", min, max);
  RecordItem("stage:hover_cell", cell.first, cell.second);
}

}  // namespace im2col::gui::stage
