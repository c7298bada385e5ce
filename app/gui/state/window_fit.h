// The window on the screen it opens on: never larger than the monitor's work area
// (the desktop less panels and docks), at the size last used on that monitor when there
// is one. Pure arithmetic; the platform asks GLFW for the monitors.
#pragma once

#include <string>

#include "io/settings.h"

namespace im2col::gui {

struct ScreenArea {
  int x = 0, y = 0, width = 0, height = 0;  // screen coordinates
};

struct WindowPlacement {
  int x = 0, y = 0, width = 0, height = 0;
};

// Room left around the window inside the work area for the window manager's title bar
// and borders (which GLFW sizes do not include).
inline constexpr int kWindowFrameAllowance = 48;
inline constexpr int kWindowMinSide = 320;

// `width` x `height` shrunk to fit `area` (less the frame allowance) and centred in
// it. An empty area (a monitor that does not say) leaves the size as asked.
WindowPlacement FitToWorkArea(int width, int height, const ScreenArea& area);

// The size to open at on `monitor`: the one remembered for it, else the last size used
// anywhere (settings.window_width x window_height), fitted to the work area.
WindowPlacement OpeningPlacement(const io::Settings& settings, const std::string& monitor, const ScreenArea& area);

}  // namespace im2col::gui
