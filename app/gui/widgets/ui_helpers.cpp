#include "gui/widgets/ui_helpers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/widgets/fonts.h"
#include "gui/widgets/theme.h"

namespace im2col::gui {

std::string FormatBytes(Index bytes) {
  char buffer[64];
  const double b = static_cast<double>(bytes);
  if (bytes < 1024) {
    std::snprintf(buffer, sizeof buffer, "%lld B", static_cast<long long>(bytes));
  } else if (b < 1024.0 * 1024.0) {
    std::snprintf(buffer, sizeof buffer, "%.1f KiB", b / 1024.0);
  } else if (b < 1024.0 * 1024.0 * 1024.0) {
    std::snprintf(buffer, sizeof buffer, "%.1f MiB", b / (1024.0 * 1024.0));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.2f GiB", b / (1024.0 * 1024.0 * 1024.0));
  }
  return buffer;
}

std::string FormatDuration(double milliseconds) {
  if (!std::isfinite(milliseconds) || milliseconds < 0.0) return "?";
  if (milliseconds == 0.0) return "0 ns";
  const double ns = milliseconds * 1e6;
  struct Unit {
    double ns;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "\u00b5s"}, {1.0, "ns"}};
  for (const Unit& unit : kUnits) {
    // Rounding to three digits may carry into the next unit (999.6 ns -> 1.00 us).
    const double value = ns / unit.ns;
    if (value >= 0.9995 || unit.ns == 1.0) {
      char buffer[32];
      const int decimals = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
      std::snprintf(buffer, sizeof buffer, "%.*f %s", unit.ns == 1.0 && value < 1.0 ? 2 : decimals, value, unit.name);
      return buffer;
    }
  }
  return "?";
}

void PanelTitle(const char* text) {
  ImGui::PushFont(TitleFont());
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

void SectionLabel(const char* text) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(ActivePalette().text_muted));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, at.y - 2), ImVec2(at.x + width, at.y - 2),
                                      ActivePalette().grid_line, 1.0f);
  ImGui::Dummy(ImVec2(0, 2));
}

std::string BreakAtSpaces(const std::string& text, float width) {
  // ImGui also breaks after ',' and '.', which splits "x[0,1,2,3]" mid-bracket: lines
  // are broken at spaces here, and only a word longer than a line is left to ImGui.
  std::string out, line;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find_first_of(" \n", start);
    const std::string word = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && ImGui::CalcTextSize(candidate.c_str()).x > width) {
      out += line + "\n";
      line = word;
    } else {
      line = candidate;
    }
    if (end == std::string::npos) break;
    if (text[end] == '\n') {
      out += line + "\n";
      line.clear();
    }
    start = end + 1;
  }
  return out + line;
}

void WrappedText(const std::string& text, ImU32 colour) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
  ImGui::PushTextWrapPos(0.0f);
  const std::string lines = BreakAtSpaces(text, ImGui::GetContentRegionAvail().x - 1.0f);
  ImGui::TextUnformatted(lines.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void ErrorBox(const std::string& message) {
  const Palette& p = ActivePalette();
  const ImGuiStyle& style = ImGui::GetStyle();
  const std::string text = "\u2717 " + message;
  const float width = ImGui::GetContentRegionAvail().x;
  const float pad = style.FramePadding.x;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, width - 2 * pad);
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const ImVec2 max(min.x + width, min.y + size.y + 2 * style.FramePadding.y);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(min, max, p.background);
  draw->AddRect(min, max, p.wrong, 0.0f, 0, 2.0f);
  draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(min.x + pad, min.y + style.FramePadding.y), p.text,
                text.c_str(), nullptr, width - 2 * pad);
  ImGui::Dummy(ImVec2(width, max.y - min.y));
}

void DrawHatch(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 colour, float spacing, float thickness) {
  draw->PushClipRect(min, max, true);
  const float height = max.y - min.y;
  for (float x = min.x - height; x < max.x; x += spacing) {
    draw->AddLine(ImVec2(x, max.y), ImVec2(x + height, min.y), colour, thickness);
  }
  draw->PopClipRect();
}

void LegendSwatch(const SwatchStyle& style, const char* label) {
  const float side = ImGui::GetTextLineHeight();
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const ImVec2 max(min.x + side * 1.4f, min.y + side);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  if (style.fill) draw->AddRectFilled(min, max, style.fill);
  if (style.hatch) DrawHatch(draw, min, max, style.hatch, side * 0.3f, 1.0f);
  if (style.outline) {
    const float half = style.outline_thickness * 0.5f;
    draw->AddRect(ImVec2(min.x + half, min.y + half), ImVec2(max.x - half, max.y - half), style.outline, 0.0f, 0,
                  style.outline_thickness);
  }
  if (style.cross) {
    const char* mark = "\u2717";
    const ImVec2 mark_size = ImGui::CalcTextSize(mark);
    draw->AddText(ImVec2((min.x + max.x - mark_size.x) * 0.5f, (min.y + max.y - mark_size.y) * 0.5f),
                  TextColorOn(style.fill ? style.fill : ActivePalette().panel), mark);
  }
  ImGui::Dummy(ImVec2(max.x - min.x, side));
  ImGui::SameLine();
  ImGui::TextUnformatted(label);
}

int SegmentedToggle(const char* id, std::initializer_list<const char*> labels, int selected) {
  ImGui::PushID(id);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, ImGui::GetStyle().ItemSpacing.y));
  const ImVec4 pressed = ImGui::GetStyle().Colors[ImGuiCol_ButtonActive];
  int clicked = -1, index = 0;
  for (const char* label : labels) {
    if (index > 0) ImGui::SameLine();
    const bool is_selected = index == selected;
    if (is_selected) {
      ImGui::PushStyleColor(ImGuiCol_Button, pressed);
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pressed);
    }
    if (ImGui::Button(label) && !is_selected) clicked = index;
    if (is_selected) ImGui::PopStyleColor(2);
    ++index;
  }
  ImGui::PopStyleVar();
  ImGui::PopID();
  return clicked;
}

int ChoiceCombo(const char* id, std::initializer_list<const char*> labels, int selected) {
  const char* preview = "";
  int index = 0;
  for (const char* label : labels) {
    if (index++ == selected) preview = label;
  }
  int clicked = -1;
  ImGui::PushID(id);
  if (ImGui::BeginCombo("##choice", preview)) {
    index = 0;
    for (const char* label : labels) {
      if (ImGui::Selectable(label, index == selected) && index != selected) clicked = index;
      ++index;
    }
    ImGui::EndCombo();
  }
  ImGui::PopID();
  return clicked;
}

float SegmentedToggleWidth(std::initializer_list<const char*> labels) {
  float width = 0.0f;
  for (const char* label : labels) {
    width += ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
  }
  return width;
}

void SameLineIfFits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

bool IsShortWindow() {
  // 34 lines of body text: 1280x720 at 100% is not short, at 150% and 200% it is.
  return ImGui::GetMainViewport()->Size.y < 34.0f * ImGui::GetFontSize();
}

}  // namespace im2col::gui
