// DejaVu Sans (labels) and DejaVu Sans Mono (numbers), rasterised with FreeType at
// the pixel size they are drawn at, so text stays crisp at every font scale.
// At scale 1: body 20 px, numbers 20 px, small numbers 18 px, titles 24 px.
#pragma once

#include <imgui.h>

#include <string>

namespace im2col::gui {

inline constexpr float kBodyPixels = 20.0f;
inline constexpr float kNumberPixels = 20.0f;
inline constexpr float kSmallNumberPixels = 18.0f;
inline constexpr float kTitlePixels = 24.0f;
inline constexpr float kMinFontScale = 0.5f;
inline constexpr float kMaxFontScale = 3.0f;

// Valid after BuildFonts succeeded; BodyFont() is also ImGui's default font.
ImFont* BodyFont();
ImFont* NumberFont();
ImFont* SmallNumberFont();  // row/column labels at matrix edges
ImFont* TitleFont();
float BuiltFontScale();     // the scale the current atlas was built at

// (Re)builds the current ImGui context's font atlas at `scale` (clamped to
// kMinFontScale..kMaxFontScale). Returns false and sets *error when a font file
// cannot be found. When a renderer backend is live, the platform re-uploads the atlas.
bool BuildFonts(float scale, std::string* error);

// Path of a DejaVu font file (e.g. "DejaVuSans.ttf"), or "" when not installed.
std::string FindFontFile(const std::string& file_name);

}  // namespace im2col::gui
