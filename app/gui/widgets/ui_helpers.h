// Small drawing and formatting helpers shared by the shell's panels.
#pragma once

#include <imgui.h>

#include <initializer_list>
#include <string>

#include "gui/widgets/number_format.h"
#include "im2col/shape.h"

namespace im2col::gui {

// "864 B", "1.4 KiB", "3.2 MiB".
std::string FormatBytes(Index bytes);
// A duration in units that fit, three significant digits: "420 ns", "12.5 µs",
// "3.40 ms", "1.25 s". Never "0.00 ms" for a time that is not zero.
std::string FormatDuration(double milliseconds);
// `text` with line breaks at spaces so each line fits `width` in the current font
// (indices like x[0,1,2,3] are never split); a word wider than a line stays whole.
std::string BreakAtSpaces(const std::string& text, float width);

// A panel heading in the title font.
void PanelTitle(const char* text);
// A sub-heading in the body font, muted colour, with a thin rule under it.
void SectionLabel(const char* text);
// Wrapped text in the given colour (ImGui's TextWrapped has no colour argument).
void WrappedText(const std::string& text, ImU32 colour);
// Core's message for an invalid field: "✗ message" in a box outlined with the
// palette's `wrong` colour, wrapped to the available width.
void ErrorBox(const std::string& message);
// A swatch (filled square, optionally hatched / outlined) followed by a label.
struct SwatchStyle {
  ImU32 fill = 0;
  ImU32 outline = 0;
  float outline_thickness = 1.0f;
  ImU32 hatch = 0;     // 0: no hatching
  bool cross = false;  // draw ✗ in the swatch
};
void LegendSwatch(const SwatchStyle& style, const char* label);
// Diagonal hatching clipped to a rectangle (the padding marker).
void DrawHatch(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 colour, float spacing, float thickness);

// Buttons side by side, the selected one drawn pressed; returns the index clicked
// (or -1). Shows both choices at a glance and switches with one click.
int SegmentedToggle(const char* id, std::initializer_list<const char*> labels, int selected);
float SegmentedToggleWidth(std::initializer_list<const char*> labels);
// The same choice as a combo box, for panels too narrow for the buttons.
int ChoiceCombo(const char* id, std::initializer_list<const char*> labels, int selected);

// Places the next item on the same line when `width` more pixels still fit.
void SameLineIfFits(float width);

// True when the window is short for the current text size (e.g. font scale 2 at
// 1280x720): the shell then packs tighter so the stage keeps its room. Layout only.
bool IsShortWindow();

}  // namespace im2col::gui
