// Themes and the one semantic palette: each colour means one thing in every panel
// (Okabe-Ito, README "Using the window"). Themes change background and text, never meanings.
#pragma once

#include <imgui.h>

#include <vector>

#include "gui/state/theme_id.h"

namespace im2col::gui {

struct Palette {
  ImU32 background;     // stage canvas
  ImU32 panel;          // side panels and bars
  ImU32 text;           // body text, numbers on untinted cells
  ImU32 text_muted;     // labels at matrix edges, secondary text
  ImU32 grid_line;      // cell borders
  ImU32 input;          // #0072B2: input values and their copies in X_col
  ImU32 input_tint;     // light fill of an input cell
  ImU32 padding;        // neutral grey of padding zeros
  ImU32 padding_hatch;  // diagonal hatching lines over padding (never only a colour)
  ImU32 focus;          // #E69F00: the current patch / column / row, 3 px outline
  ImU32 weights;        // #009E73: W, W_row
  ImU32 weights_tint;
  ImU32 output;         // #CC79A7: Y, output
  ImU32 output_tint;
  ImU32 gradient;       // #D55E00: dY, dX_col, dX, dW
  ImU32 gradient_tint;
  ImU32 wrong;          // outline of a wrong value in overwrite (=) mode
  ImU32 wrong_mark;     // the ✗ glyph on a wrong value
};

// The three palettes (a UiContext builds them once).
Palette MakeLightPalette();
Palette MakeDarkPalette();
Palette MakeHighContrastPalette();

// The palette of the theme applied last to the current ImGui context (Light until
// ApplyTheme is called): the theme the platform applied from AppState::theme.
const Palette& ActivePalette();
const Palette& PaletteFor(ThemeId theme);

// Sets ImGui's style colours for `theme` (at the given font scale for sizes) and
// makes its palette the active one. Call between frames.
void ApplyTheme(ThemeId theme, float font_scale);

// Sequential cividis colormap, t in 0..1 (clamped): overlap count heat.
ImU32 CividisColor(float t);

// Black or white, whichever has the higher contrast on `background` (>= 4.5:1 for
// every colour the palette uses as a cell fill).
ImU32 TextColorOn(ImU32 background);

// WCAG contrast ratio between two opaque colours (1..21); tests use it.
float ContrastRatio(ImU32 a, ImU32 b);

// WCAG AA for body text.
inline constexpr float kMinTextContrast = 4.5f;
// `colour` darkened (on a light background) or lightened (on a dark one) just enough
// to read as text on `background` (>= `ratio`), keeping its hue: the orange of "this
// step" as a label on white becomes a dark orange instead of 2.2:1.
ImU32 ReadableOn(ImU32 colour, ImU32 background, float ratio = kMinTextContrast);
// The colour a label in `hue` is drawn in on the stage (arrow labels, captions).
ImU32 LabelColour(ImU32 hue, const Palette& palette);

// Every pairing of text colour and background the window draws (body and muted text
// on panels and the canvas, numbers on every cell fill, labels in the meaning
// colours), for the contrast test.
struct TextUse {
  const char* what;
  ImU32 text, background;
};
std::vector<TextUse> TextUses(const Palette& palette);

}  // namespace im2col::gui
