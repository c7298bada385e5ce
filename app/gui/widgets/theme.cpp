// Themes and the semantic palette. Meanings (input blue, focus orange, weights green,
// output purple, gradient vermillion, padding grey + hatch) stay the same in every
// theme; only background, text and tint strength change.
#include "gui/widgets/theme.h"

#include "gui/widgets/ui_context.h"

#include <algorithm>
#include <cmath>

namespace im2col::gui {
namespace {

struct Rgb {
  float r, g, b;
};

Rgb Hex(unsigned hex) {
  return {static_cast<float>((hex >> 16) & 0xFF) / 255.0f, static_cast<float>((hex >> 8) & 0xFF) / 255.0f,
          static_cast<float>(hex & 0xFF) / 255.0f};
}
ImU32 ToU32(Rgb c, float alpha = 1.0f) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha)); }
ImU32 U32(unsigned hex) { return ToU32(Hex(hex)); }
// `amount` of `colour` over `base`: the light tints used as cell fills.
ImU32 Mix(unsigned base, unsigned colour, float amount) {
  const Rgb a = Hex(base), b = Hex(colour);
  return ToU32({a.r + (b.r - a.r) * amount, a.g + (b.g - a.g) * amount, a.b + (b.b - a.b) * amount});
}

// Okabe-Ito hues shared by every theme.
constexpr unsigned kInput = 0x0072B2, kFocus = 0xE69F00, kWeights = 0x009E73, kOutput = 0xCC79A7,
                   kGradient = 0xD55E00;

float Linear(float channel) {
  return channel <= 0.04045f ? channel / 12.92f : std::pow((channel + 0.055f) / 1.055f, 2.4f);
}
float Luminance(ImU32 colour) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
  return 0.2126f * Linear(c.x) + 0.7152f * Linear(c.y) + 0.0722f * Linear(c.z);
}

ImVec4 V4(ImU32 colour, float alpha = 1.0f) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
  c.w = alpha;
  return c;
}

void SetStyleColours(ThemeId theme, const Palette& p) {
  ImGuiStyle& style = ImGui::GetStyle();
  if (theme == ThemeId::Dark) {
    ImGui::StyleColorsDark(&style);
  } else {
    ImGui::StyleColorsLight(&style);
  }
  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = V4(p.text);
  c[ImGuiCol_TextDisabled] = V4(p.text_muted);
  c[ImGuiCol_WindowBg] = V4(p.panel);
  c[ImGuiCol_ChildBg] = V4(p.panel, 0.0f);
  c[ImGuiCol_PopupBg] = V4(p.panel);
  c[ImGuiCol_MenuBarBg] = V4(p.panel);
  c[ImGuiCol_Border] = V4(p.grid_line);
  c[ImGuiCol_Separator] = V4(p.grid_line);
  // Controls use the input blue family: the one interactive accent.
  const ImU32 accent = p.input;
  if (theme == ThemeId::Dark) {
    c[ImGuiCol_FrameBg] = V4(IM_COL32(0x3A, 0x3C, 0x40, 0xFF));
    c[ImGuiCol_FrameBgHovered] = V4(IM_COL32(0x46, 0x49, 0x4F, 0xFF));
    c[ImGuiCol_FrameBgActive] = V4(IM_COL32(0x50, 0x54, 0x5B, 0xFF));
    c[ImGuiCol_Button] = V4(IM_COL32(0x3A, 0x3C, 0x40, 0xFF));
    c[ImGuiCol_ButtonHovered] = V4(IM_COL32(0x4A, 0x4D, 0x53, 0xFF));
    c[ImGuiCol_ButtonActive] = V4(accent);
    c[ImGuiCol_Header] = V4(IM_COL32(0x3A, 0x3C, 0x40, 0xFF));
    c[ImGuiCol_HeaderHovered] = V4(IM_COL32(0x4A, 0x4D, 0x53, 0xFF));
  } else {
    const bool hc = theme == ThemeId::HighContrast;
    c[ImGuiCol_FrameBg] = V4(IM_COL32(0xFF, 0xFF, 0xFF, 0xFF));
    c[ImGuiCol_FrameBgHovered] = V4(IM_COL32(0xE4, 0xEE, 0xF6, 0xFF));
    c[ImGuiCol_FrameBgActive] = V4(IM_COL32(0xD0, 0xE2, 0xF0, 0xFF));
    c[ImGuiCol_Button] = V4(hc ? IM_COL32(0xFF, 0xFF, 0xFF, 0xFF) : IM_COL32(0xE2, 0xE2, 0xDE, 0xFF));
    c[ImGuiCol_ButtonHovered] = V4(IM_COL32(0xD0, 0xE2, 0xF0, 0xFF));
    c[ImGuiCol_ButtonActive] = V4(IM_COL32(0xB0, 0xCE, 0xE6, 0xFF));
    c[ImGuiCol_Header] = V4(IM_COL32(0xDD, 0xE8, 0xF2, 0xFF));
    c[ImGuiCol_HeaderHovered] = V4(IM_COL32(0xD0, 0xE2, 0xF0, 0xFF));
  }
  c[ImGuiCol_HeaderActive] = V4(accent, 0.6f);
  c[ImGuiCol_CheckMark] = V4(accent);
  // The slider's value is written over its grab: a mid tint keeps it readable.
  c[ImGuiCol_SliderGrab] = V4(theme == ThemeId::Dark ? IM_COL32(0x2E, 0x6A, 0x92, 0xFF) : IM_COL32(0x8C, 0xBF, 0xDE, 0xFF));
  c[ImGuiCol_SliderGrabActive] = V4(theme == ThemeId::Dark ? IM_COL32(0x3A, 0x82, 0xB0, 0xFF) : IM_COL32(0x6A, 0xAB, 0xD6, 0xFF));
  c[ImGuiCol_PlotHistogram] = V4(p.focus);
  c[ImGuiCol_ScrollbarBg] = V4(p.panel);
  c[ImGuiCol_TitleBg] = V4(p.panel);
  c[ImGuiCol_TitleBgActive] = V4(p.panel);
}

}  // namespace

Palette MakeLightPalette() {
  constexpr unsigned bg = 0xFFFFFF;
  Palette p{};
  p.background = U32(bg);
  p.panel = U32(0xF2F2EE);
  p.text = U32(0x111111);
  p.text_muted = U32(0x4A4A4A);
  p.grid_line = U32(0xA8A8A8);
  p.input = U32(kInput);
  p.input_tint = Mix(bg, kInput, 0.22f);
  p.padding = U32(0xDCDCDC);
  p.padding_hatch = U32(0x8F8F8F);
  p.focus = U32(kFocus);
  p.weights = U32(kWeights);
  p.weights_tint = Mix(bg, kWeights, 0.22f);
  p.output = U32(kOutput);
  p.output_tint = Mix(bg, kOutput, 0.25f);
  p.gradient = U32(kGradient);
  p.gradient_tint = Mix(bg, kGradient, 0.22f);
  p.wrong = U32(0x000000);
  p.wrong_mark = U32(0x000000);
  return p;
}

Palette MakeDarkPalette() {
  constexpr unsigned bg = 0x1B1C1E;
  Palette p{};
  p.background = U32(bg);
  p.panel = U32(0x26282B);
  p.text = U32(0xF0F0F0);
  p.text_muted = U32(0xC0C0C0);  // >= 4.5:1 on the darkest tints too
  p.grid_line = U32(0x5A5D62);
  p.input = U32(kInput);
  p.input_tint = Mix(bg, kInput, 0.45f);
  p.padding = U32(0x3A3B3E);
  p.padding_hatch = U32(0x85878C);
  p.focus = U32(kFocus);
  p.weights = U32(kWeights);
  p.weights_tint = Mix(bg, kWeights, 0.40f);
  p.output = U32(kOutput);
  p.output_tint = Mix(bg, kOutput, 0.40f);
  p.gradient = U32(kGradient);
  p.gradient_tint = Mix(bg, kGradient, 0.40f);
  // Black would vanish on a dark canvas: the wrong marker is white here (still outline + ✗).
  p.wrong = U32(0xFFFFFF);
  p.wrong_mark = U32(0xFFFFFF);
  return p;
}

Palette MakeHighContrastPalette() {
  constexpr unsigned bg = 0xFFFFFF;
  Palette p{};
  p.background = U32(bg);
  p.panel = U32(0xFFFFFF);
  p.text = U32(0x000000);
  p.text_muted = U32(0x000000);
  p.grid_line = U32(0x000000);
  p.input = U32(kInput);
  p.input_tint = Mix(bg, kInput, 0.35f);
  p.padding = U32(0xC8C8C8);
  p.padding_hatch = U32(0x000000);
  p.focus = U32(kFocus);
  p.weights = U32(kWeights);
  p.weights_tint = Mix(bg, kWeights, 0.35f);
  p.output = U32(kOutput);
  p.output_tint = Mix(bg, kOutput, 0.40f);
  p.gradient = U32(kGradient);
  p.gradient_tint = Mix(bg, kGradient, 0.35f);
  p.wrong = U32(0x000000);
  p.wrong_mark = U32(0x000000);
  return p;
}


const Palette& PaletteFor(ThemeId theme) {
  const UiContext& table = CurrentUi();
  switch (theme) {
    case ThemeId::Light: return table.light;
    case ThemeId::Dark: return table.dark;
    case ThemeId::HighContrast: return table.high_contrast;
  }
  return table.light;
}

const Palette& ActivePalette() { return PaletteFor(CurrentUi().theme); }

void ApplyTheme(ThemeId theme, float font_scale) {
  CurrentUi().theme = theme;
  // Sizes from a fresh style so repeated calls never compound the scale.
  ImGuiStyle fresh;
  fresh.WindowPadding = ImVec2(12, 10);
  fresh.FramePadding = ImVec2(8, 5);
  fresh.ItemSpacing = ImVec2(10, 8);
  fresh.ItemInnerSpacing = ImVec2(8, 6);
  fresh.ScrollbarSize = 16;
  fresh.GrabMinSize = 14;
  fresh.FrameRounding = 4;
  fresh.GrabRounding = 4;
  fresh.WindowRounding = 0;
  fresh.ChildRounding = 0;
  fresh.FrameBorderSize = 1;
  fresh.WindowBorderSize = 0;
  fresh.ChildBorderSize = 1;
  fresh.ScaleAllSizes(std::clamp(font_scale, 0.5f, 3.0f));
  ImGui::GetStyle() = fresh;
  SetStyleColours(theme, PaletteFor(theme));
}

ImU32 CividisColor(float t) {
  // Cividis sampled at 0, 1/4, 1/2, 3/4, 1 and interpolated linearly: dark blue
  // to yellow with steadily rising lightness (readable in greyscale too).
  static constexpr unsigned kAnchors[] = {0x00224E, 0x414D6B, 0x7C7B78, 0xBCAF6F, 0xFEE838};
  constexpr int kSegments = 4;
  if (!(t >= 0.0f)) t = 0.0f;  // also catches NaN
  t = std::min(t, 1.0f);
  const float position = t * kSegments;
  const int segment = std::min(static_cast<int>(position), kSegments - 1);
  const float f = position - static_cast<float>(segment);
  const Rgb a = Hex(kAnchors[segment]), b = Hex(kAnchors[segment + 1]);
  return ToU32({a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f});
}

float ContrastRatio(ImU32 a, ImU32 b) {
  float la = Luminance(a), lb = Luminance(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05f) / (lb + 0.05f);
}

ImU32 ReadableOn(ImU32 colour, ImU32 background, float ratio) {
  if (ContrastRatio(colour, background) >= ratio) return colour;
  const bool dark_background = Luminance(background) < 0.18f;
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
  const float target = dark_background ? 1.0f : 0.0f;
  ImU32 mixed = colour;
  for (int step = 1; step <= 20; ++step) {  // 5% at a time toward black (or white)
    const float t = static_cast<float>(step) / 20.0f;
    mixed = ImGui::ColorConvertFloat4ToU32(
        ImVec4(c.x + (target - c.x) * t, c.y + (target - c.y) * t, c.z + (target - c.z) * t, 1.0f));
    if (ContrastRatio(mixed, background) >= ratio) return mixed;
  }
  return mixed;
}

ImU32 LabelColour(ImU32 hue, const Palette& palette) {
  // Labels sit on the canvas and, in the side panels, on the panel colour: both must read.
  return ReadableOn(ReadableOn(hue, palette.background), palette.panel);
}

std::vector<TextUse> TextUses(const Palette& p) {
  std::vector<TextUse> uses = {
      {"text on panel", p.text, p.panel},
      {"text on canvas", p.text, p.background},
      {"muted text on panel", p.text_muted, p.panel},
      {"muted text on canvas", p.text_muted, p.background},
      {"padding zero on padding", p.text_muted, p.padding},
      {"error text in its box", p.text, p.background},
  };
  const std::pair<const char*, ImU32> fills[] = {
      {"input", p.input},          {"input tint", p.input_tint},       {"padding", p.padding},
      {"focus", p.focus},          {"weights", p.weights},             {"weights tint", p.weights_tint},
      {"output", p.output},        {"output tint", p.output_tint},     {"gradient", p.gradient},
      {"gradient tint", p.gradient_tint}, {"canvas", p.background},    {"panel", p.panel},
      {"heat 0", CividisColor(0.0f)}, {"heat 1/2", CividisColor(0.5f)}, {"heat 1", CividisColor(1.0f)}};
  for (const auto& fill : fills) uses.push_back({fill.first, TextColorOn(fill.second), fill.second});
  // Numbers still to come are muted on the tints they will fill.
  for (ImU32 tint : {p.input_tint, p.weights_tint, p.output_tint, p.gradient_tint}) {
    uses.push_back({"muted number on a tint", p.text_muted, tint});
  }
  for (ImU32 hue : {p.focus, p.input, p.weights, p.output, p.gradient, p.text_muted}) {
    uses.push_back({"label on canvas", LabelColour(hue, p), p.background});
    uses.push_back({"label on panel", LabelColour(hue, p), p.panel});
  }
  return uses;
}

ImU32 TextColorOn(ImU32 background) {
  const ImU32 black = IM_COL32(0, 0, 0, 255), white = IM_COL32(255, 255, 255, 255);
  return ContrastRatio(background, black) >= ContrastRatio(background, white) ? black : white;
}

}  // namespace im2col::gui
