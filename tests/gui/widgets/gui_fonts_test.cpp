// Every face the window draws with has the notation's glyphs: the transpose "ᵀ", the
// product "·", "×", "→", "Σ". A missing one would be drawn as ImGui's fallback glyph (a
// box or "?"), silently, wherever it appears.
#include <gtest/gtest.h>

#include <imgui.h>

#include <string>

#include "gui/widgets/fonts.h"

namespace {

using namespace im2col::gui;

TEST(Fonts, EveryFaceHasTheNotationsGlyphs) {
  ImGuiContext* context = ImGui::CreateContext();
  std::string error;
  ASSERT_TRUE(BuildFonts(1.0f, &error)) << error;
  const std::pair<const char*, ImFont*> faces[] = {
      {"body", BodyFont()}, {"number", NumberFont()}, {"small number", SmallNumberFont()}, {"title", TitleFont()}};
  for (const auto& [name, font] : faces) {
    ASSERT_NE(font, nullptr) << name;
    for (const ImWchar glyph : {ImWchar{0x1D40}, ImWchar{0x00B7}, ImWchar{0x00D7}, ImWchar{0x2192}, ImWchar{0x03A3}}) {
      EXPECT_NE(font->FindGlyphNoFallback(glyph), nullptr) << name << " lacks U+" << std::hex << glyph;
    }
  }
  ImGui::DestroyContext(context);
}

}  // namespace
