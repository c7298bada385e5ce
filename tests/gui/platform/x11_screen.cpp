// Its own file: Xlib's macros (None, Status, Bool, ...) must not meet the app's headers.
#include "x11_screen.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

extern "C" {
Display* glfwGetX11Display(void);
Window glfwGetX11Window(GLFWwindow* window);
}

namespace im2col::testing {
namespace {

// The position of the lowest set bit of a channel mask, and the channel's width.
void MaskShift(unsigned long mask, int* shift, int* bits) {
  *shift = 0;
  *bits = 0;
  if (mask == 0) return;
  while (((mask >> *shift) & 1UL) == 0) ++*shift;
  while (((mask >> (*shift + *bits)) & 1UL) != 0) ++*bits;
}

std::uint8_t Channel(unsigned long pixel, int shift, int bits) {
  const unsigned long value = (pixel >> shift) & ((1UL << bits) - 1UL);
  return static_cast<std::uint8_t>(bits >= 8 ? value >> (bits - 8) : value << (8 - bits));
}

}  // namespace

bool ReadWindowScreenRgb(GLFWwindow* window, int width, int height, std::vector<std::uint8_t>* rgb) {
  Display* display = glfwGetX11Display();
  const Window x_window = window ? glfwGetX11Window(window) : 0;
  if (display == nullptr || x_window == 0 || width <= 0 || height <= 0) return false;
  XSync(display, False);  // everything drawn so far has reached the server
  XImage* image = XGetImage(display, x_window, 0, 0, static_cast<unsigned>(width), static_cast<unsigned>(height),
                            AllPlanes, ZPixmap);
  if (image == nullptr) return false;
  int rs = 0, rb = 0, gs = 0, gb = 0, bs = 0, bb = 0;
  MaskShift(image->red_mask, &rs, &rb);
  MaskShift(image->green_mask, &gs, &gb);
  MaskShift(image->blue_mask, &bs, &bb);
  rgb->assign(static_cast<size_t>(width) * static_cast<size_t>(height) * 3, 0);
  for (int y = 0; y < height; ++y) {
    std::uint8_t* row = rgb->data() + static_cast<size_t>(height - 1 - y) * static_cast<size_t>(width) * 3;
    for (int x = 0; x < width; ++x) {
      const unsigned long pixel = XGetPixel(image, x, y);
      row[3 * x] = Channel(pixel, rs, rb);
      row[3 * x + 1] = Channel(pixel, gs, gb);
      row[3 * x + 2] = Channel(pixel, bs, bb);
    }
  }
  XDestroyImage(image);
  return true;
}

}  // namespace im2col::testing
