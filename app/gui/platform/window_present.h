// Putting frames on the window. On a GPU: draw everything, swap buffers (vsync).
// On a software renderer (Mesa llvmpipe, where every pixel costs CPU time) with
// GLX_MESA_copy_sub_buffer: redraw only the rectangles the frame changed (see
// damage.h) into the back buffer, which keeps the previous frame, and copy just those
// rectangles to the screen. In a browser whose canvas keeps its pixels
// (preserveDrawingBuffer): redraw only the damaged rectangles, in place; the page shows
// the canvas as it is, and a frame that changed nothing draws nothing, so the browser
// does not composite the canvas again either. The pixels shown are the same either way;
// tests compare.
#pragma once

#include <cstdint>
#include <vector>

#include "gui/platform/damage.h"

struct GLFWwindow;

namespace im2col::gui {

enum class PresentMode { FullSwap, DamagedRects };

// The mode for a window whose GL_RENDERER is `renderer`: damaged rectangles on
// software renderers when `copy_sub_buffer` is available, and on any renderer when the
// back buffer is `kept_in_place` (shown as it is and kept from frame to frame: drawing
// less then never costs a copy); IM2COL_LAB_PRESENT=full or =partial in the environment
// overrides the choice (partial still needs the extension or a buffer kept in place).
PresentMode ChoosePresentMode(const char* renderer, bool copy_sub_buffer, const char* env_override,
                              bool kept_in_place = false);

// Clears the bound framebuffer (width x height) to `clear_colour` and draws all of `draw`.
void DrawWhole(ImDrawData* draw, std::uint32_t clear_colour, int width, int height);

// Draws `draw` (ImGui's draw data, already rendered by ImGui::Render) into the bound
// framebuffer, but only inside `rects`: each is cleared to `clear_colour` and drawn
// with every command's scissor cut to it. The framebuffer must hold the previous frame.
void RenderDrawDataInRects(ImDrawData* draw, const std::vector<PixelRect>& rects, std::uint32_t clear_colour,
                           const DamageTracker& tracker);

class WindowPresenter {
 public:
  // Picks the mode for the current context of `window`; `kept_in_place`: see
  // ChoosePresentMode (the platform knows: BackBufferKeptInPlace in platform.h).
  void Init(GLFWwindow* window, const char* renderer, bool kept_in_place = false);
  PresentMode mode() const { return mode_; }

  // Draws ImGui's current draw data into the window's back buffer; `reported` are the
  // rectangles whose pixels changed behind the draw data (GpuContext::TakeReportedDamage).
  void Draw(std::uint32_t clear_colour, int width, int height, const std::vector<ImRect>& reported);
  // Shows what Draw drew: swaps, or copies the damaged rectangles to the screen.
  void Present();
  // The back buffer no longer holds the last frame (or the screen lost it): repaint all.
  void Invalidate() { tracker_.Invalidate(); }

  // Pixels redrawn by the last Draw (the whole framebuffer in FullSwap mode).
  long long last_drawn_pixels() const { return last_drawn_pixels_; }

 private:
  GLFWwindow* window_ = nullptr;
  PresentMode mode_ = PresentMode::FullSwap;
  bool kept_in_place_ = false;  // nothing to swap or copy: the drawn rectangles are on screen
  DamageTracker tracker_;
  std::vector<PixelRect> pending_;  // drawn, not yet on screen
  int width_ = 0, height_ = 0;
  int presented_width_ = 0, presented_height_ = 0;
  bool swap_next_ = false;    // the size changed: present with a real swap (see Present)
  bool whole_frame_ = false;  // this frame was drawn whole: present it with a swap
  long long last_drawn_pixels_ = 0;
  // glXCopySubBufferMESA(display, drawable, x, y, w, h), bottom-left origin.
  void (*copy_sub_buffer_)(void*, unsigned long, int, int, int, int) = nullptr;
  void* display_ = nullptr;
  unsigned long drawable_ = 0;
};

}  // namespace im2col::gui
