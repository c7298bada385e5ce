#include "gui/state/window_fit.h"

#include <algorithm>

namespace im2col::gui {

WindowPlacement FitToWorkArea(int width, int height, const ScreenArea& area) {
  WindowPlacement p;
  p.width = std::max(width, kWindowMinSide);
  p.height = std::max(height, kWindowMinSide);
  if (area.width <= 0 || area.height <= 0) return p;  // unknown: as asked, placed by the window manager
  const int room_w = std::max(area.width - kWindowFrameAllowance / 2, std::min(kWindowMinSide, area.width));
  const int room_h = std::max(area.height - kWindowFrameAllowance, std::min(kWindowMinSide, area.height));
  p.width = std::min(p.width, room_w);
  p.height = std::min(p.height, room_h);
  p.x = area.x + (area.width - p.width) / 2;
  p.y = area.y + std::max(0, (area.height - p.height) / 2);
  return p;
}

WindowPlacement OpeningPlacement(const io::Settings& settings, const std::string& monitor, const ScreenArea& area) {
  int width = settings.window_width, height = settings.window_height;
  if (const auto remembered = io::MonitorWindowFor(settings, monitor)) {
    width = remembered->width;
    height = remembered->height;
  }
  return FitToWorkArea(width, height, area);
}

}  // namespace im2col::gui
