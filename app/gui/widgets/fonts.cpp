// Fonts are rasterised by FreeType at the exact pixel size they are drawn at; a
// font-scale change rebuilds the atlas instead of stretching bitmaps.
#include "gui/widgets/fonts.h"

#ifndef __EMSCRIPTEN__
#include <imgui_freetype.h>
#endif

#include <algorithm>

#include "gui/widgets/ui_context.h"
#include "io/assets.h"

namespace im2col::gui {
namespace {

FontSet& Fonts() { return CurrentUi().fonts; }

// Latin-1, Greek (Σ), phonetic superscripts (ᵀ), punctuation, super/subscripts,
// arrows, maths (⌊ ⌋ · −), geometric shapes (▶ ◀ ●) and dingbats (✗ ✓ ❚).
const ImWchar* GlyphRanges() {
  static const ImWchar ranges[] = {
      0x0020, 0x00FF, 0x0370, 0x03FF, 0x1D40, 0x1D40, 0x2000, 0x209F, 0x2190, 0x21FF,
      0x2200, 0x22FF, 0x2300, 0x230F, 0x25A0, 0x25FF, 0x2700, 0x27BF, 0};
  return ranges;
}

ImFont* AddFont(ImFontAtlas* atlas, const std::string& path, float pixels, unsigned builder_flags) {
  ImFontConfig config;
#ifdef __EMSCRIPTEN__
  config.OversampleH = 2;  // the browser build rasterises with stb_truetype (no FreeType there)
  config.OversampleV = 1;
#else
  config.OversampleH = 1;  // FreeType hints at the exact size; no oversampling needed
  config.OversampleV = 1;
#endif
  config.PixelSnapH = true;
  config.FontBuilderFlags = builder_flags;
  return atlas->AddFontFromFileTTF(path.c_str(), pixels, &config, GlyphRanges());
}

}  // namespace

ImFont* BodyFont() { return Fonts().body; }
ImFont* NumberFont() { return Fonts().number; }
ImFont* SmallNumberFont() { return Fonts().small_number; }
ImFont* TitleFont() { return Fonts().title; }
float BuiltFontScale() { return Fonts().scale; }

std::string FindFontFile(const std::string& file_name) {
  return io::FindFont(file_name).value_or(std::string());
}

bool BuildFonts(float scale, std::string* error) {
  scale = std::clamp(scale, kMinFontScale, kMaxFontScale);
  const std::string sans = FindFontFile("DejaVuSans.ttf");
  const std::string sans_bold = FindFontFile("DejaVuSans-Bold.ttf");
  const std::string mono = FindFontFile("DejaVuSansMono.ttf");
  if (sans.empty() || mono.empty()) {
    if (error) {
      *error = "fonts: DejaVuSans.ttf and DejaVuSansMono.ttf not found (install fonts-dejavu-core)";
    }
    return false;
  }
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
#ifndef __EMSCRIPTEN__
  atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  atlas->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
  const unsigned synthetic_bold = ImGuiFreeTypeBuilderFlags_Bold;
#else
  const unsigned synthetic_bold = 0;  // stb_truetype cannot embolden: DejaVuSans-Bold.ttf is embedded
#endif
  FontSet fonts;
  fonts.body = AddFont(atlas, sans, kBodyPixels * scale, 0);
  fonts.number = AddFont(atlas, mono, kNumberPixels * scale, 0);
  fonts.small_number = AddFont(atlas, mono, kSmallNumberPixels * scale, 0);
  fonts.title = sans_bold.empty() ? AddFont(atlas, sans, kTitlePixels * scale, synthetic_bold)
                                  : AddFont(atlas, sans_bold, kTitlePixels * scale, 0);
  if (!fonts.body || !fonts.number || !fonts.small_number || !fonts.title || !atlas->Build()) {
    if (error) *error = "fonts: FreeType could not build the font atlas from " + sans + " and " + mono;
    atlas->Clear();
    Fonts() = FontSet{};
    return false;
  }
  fonts.scale = scale;
  ImGui::GetIO().FontDefault = fonts.body;
  Fonts() = fonts;
  return true;
}


}  // namespace im2col::gui
