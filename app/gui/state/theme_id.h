// The theme names, without ImGui, so the command line can parse --theme.
#pragma once

#include <optional>
#include <string>

namespace im2col::gui {

enum class ThemeId { Light, Dark, HighContrast };
inline constexpr int kThemeCount = 3;

const char* ToString(ThemeId theme);    // "light" | "dark" | "high-contrast"
const char* ThemeTitle(ThemeId theme);  // "Light (projector)", ...
std::optional<ThemeId> ParseTheme(const std::string& text);

}  // namespace im2col::gui
