// What the X server shows in a window (XGetImage), for tests of what reached the screen.
#pragma once

#include <cstdint>
#include <vector>

struct GLFWwindow;

namespace im2col::testing {

// RGB bytes of the window's top-left width x height pixels, rows bottom-up like
// glReadPixels. False when the window is not an X11 window or cannot be read.
bool ReadWindowScreenRgb(GLFWwindow* window, int width, int height, std::vector<std::uint8_t>* rgb);

}  // namespace im2col::testing
