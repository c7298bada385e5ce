#include "gui/state/theme_id.h"

namespace im2col::gui {

const char* ToString(ThemeId theme) {
  switch (theme) {
    case ThemeId::Light: return "light";
    case ThemeId::Dark: return "dark";
    case ThemeId::HighContrast: return "high-contrast";
  }
  return "light";
}

const char* ThemeTitle(ThemeId theme) {
  switch (theme) {
    case ThemeId::Light: return "Light (projector)";
    case ThemeId::Dark: return "Dark";
    case ThemeId::HighContrast: return "High contrast";
  }
  return "Light (projector)";
}

std::optional<ThemeId> ParseTheme(const std::string& text) {
  for (ThemeId theme : {ThemeId::Light, ThemeId::Dark, ThemeId::HighContrast}) {
    if (text == ToString(theme)) return theme;
  }
  return std::nullopt;
}

}  // namespace im2col::gui
