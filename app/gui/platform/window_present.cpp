#include "gui/platform/window_present.h"

#include "gui/gpu/gl_api.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdlib>
#include <cstring>
#include <string>

// GLFW's native accessors, declared here instead of through <GLFW/glfw3native.h>: that
// header pulls in Xrandr's headers (a package nothing else needs) and <GL/glx.h>, which
// clashes with glad. Display* and GLXWindow (an XID) as their C ABI types.
#ifndef IM2COL_LAB_GLES
extern "C" {
struct _XDisplay;
_XDisplay* glfwGetX11Display(void);
unsigned long glfwGetGLXWindow(GLFWwindow* window);
}
#endif

namespace im2col::gui {

PresentMode ChoosePresentMode(const char* renderer, bool copy_sub_buffer, const char* env_override,
                              bool kept_in_place) {
  const std::string wanted = env_override ? env_override : "";
  if (wanted == "full") return PresentMode::FullSwap;
  // (A browser hides its renderer's name, SwiftShader or a GPU: partial either way.)
  if (kept_in_place) return PresentMode::DamagedRects;
  if (!copy_sub_buffer) return PresentMode::FullSwap;
  if (wanted == "partial") return PresentMode::DamagedRects;
  // A GPU fills pixels for free and swaps with vsync (no tearing): keep that there.
  const std::string name = renderer ? renderer : "";
  const bool software = name.find("llvmpipe") != std::string::npos || name.find("softpipe") != std::string::npos ||
                        name.find("Software Rasterizer") != std::string::npos;
  return software ? PresentMode::DamagedRects : PresentMode::FullSwap;
}

void DrawWhole(ImDrawData* draw, std::uint32_t clear_colour, int width, int height) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(clear_colour);
  glViewport(0, 0, width, height);
  glDisable(GL_SCISSOR_TEST);
  glClearColor(c.x, c.y, c.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (draw != nullptr) ImGui_ImplOpenGL3_RenderDrawData(draw);
}

void RenderDrawDataInRects(ImDrawData* draw, const std::vector<PixelRect>& rects, std::uint32_t clear_colour,
                           const DamageTracker& tracker) {
  if (draw == nullptr || rects.empty()) return;
  const int fb_w = static_cast<int>(draw->DisplaySize.x * draw->FramebufferScale.x);
  const int fb_h = static_cast<int>(draw->DisplaySize.y * draw->FramebufferScale.y);
  if (fb_w <= 0 || fb_h <= 0) return;
  // Every command's own scissor, before any is cut to a rectangle.
  std::vector<std::vector<PixelRect>> scissors(static_cast<size_t>(draw->CmdListsCount));
  std::vector<std::vector<ImVec4>> clips(static_cast<size_t>(draw->CmdListsCount));
  for (int n = 0; n < draw->CmdListsCount; ++n) {
    for (const ImDrawCmd& cmd : draw->CmdLists[n]->CmdBuffer) {
      scissors[static_cast<size_t>(n)].push_back(ScissorOf(cmd, *draw));
      clips[static_cast<size_t>(n)].push_back(cmd.ClipRect);
    }
  }
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(clear_colour);
  std::vector<ImDrawList*> subset;
  for (const PixelRect& rect : rects) {
    glViewport(0, 0, fb_w, fb_h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(rect.x0, fb_h - rect.y1, rect.x1 - rect.x0, rect.y1 - rect.y0);
    glClearColor(c.x, c.y, c.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    subset.clear();
    for (int n = 0; n < draw->CmdListsCount; ++n) {
      if (Intersect(tracker.ListBounds(n), rect).Empty()) continue;  // nothing of it here
      ImDrawList* list = draw->CmdLists[n];
      subset.push_back(list);
      for (int i = 0; i < list->CmdBuffer.Size; ++i) {
        ImDrawCmd& cmd = list->CmdBuffer[i];
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState) continue;
        SetScissor(&cmd, *draw, Intersect(scissors[static_cast<size_t>(n)][static_cast<size_t>(i)], rect));
      }
    }
    if (subset.empty()) continue;
    ImDrawData part = *draw;
    part.CmdLists = subset.data();
    part.CmdListsCount = static_cast<int>(subset.size());
    ImGui_ImplOpenGL3_RenderDrawData(&part);
  }
  for (int n = 0; n < draw->CmdListsCount; ++n) {  // the draw data as ImGui made it
    ImDrawList* list = draw->CmdLists[n];
    for (int i = 0; i < list->CmdBuffer.Size; ++i) list->CmdBuffer[i].ClipRect = clips[static_cast<size_t>(n)][static_cast<size_t>(i)];
  }
  glDisable(GL_SCISSOR_TEST);
}

void WindowPresenter::Init(GLFWwindow* window, const char* renderer, bool kept_in_place) {
  window_ = window;
  copy_sub_buffer_ = nullptr;
#ifdef IM2COL_LAB_GLES
  const bool available = false;  // a browser canvas: nothing to copy rectangles with
#else
  const bool available = window != nullptr && glfwExtensionSupported("GLX_MESA_copy_sub_buffer") == GLFW_TRUE;
#endif
  if (available) {
#ifndef IM2COL_LAB_GLES
    display_ = glfwGetX11Display();
    drawable_ = glfwGetGLXWindow(window);
    const GLFWglproc proc = glfwGetProcAddress("glXCopySubBufferMESA");
    static_assert(sizeof(proc) == sizeof(copy_sub_buffer_), "function pointers of one size");
    if (proc != nullptr) std::memcpy(&copy_sub_buffer_, &proc, sizeof(proc));
#endif
  }
  const bool usable = copy_sub_buffer_ != nullptr && display_ != nullptr && drawable_ != 0;
  mode_ = ChoosePresentMode(renderer, usable, std::getenv("IM2COL_LAB_PRESENT"), kept_in_place);
  kept_in_place_ = kept_in_place && mode_ == PresentMode::DamagedRects;
  tracker_.Invalidate();
}

void WindowPresenter::Draw(std::uint32_t clear_colour, int width, int height, const std::vector<ImRect>& reported) {
  ImDrawData* draw = ImGui::GetDrawData();
  width_ = width;
  height_ = height;
  if (mode_ == PresentMode::FullSwap || draw == nullptr) {
    DrawWhole(draw, clear_colour, width, height);
    last_drawn_pixels_ = static_cast<long long>(width) * height;
    return;
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  // (A canvas kept in place is cleared when resized: the tracker sees the new size.)
  if (!kept_in_place_ && (width != presented_width_ || height != presented_height_)) swap_next_ = true;
  std::vector<PixelRect> rects = tracker_.Update(*draw, clear_colour, reported);
  // Most of the window changed (a new scenario, a scroll): draw it whole and swap. On
  // llvmpipe a swap presents a whole frame faster than copies of big rectangles do, and
  // Mesa's software winsys copies the back buffer out, keeping it for the next frame.
  long long area = 0;
  for (const PixelRect& r : rects) area += r.Area();
  whole_frame_ = area * 10 >= static_cast<long long>(width) * height * 4;
  if (whole_frame_) rects.assign(1, PixelRect{0, 0, width, height});
  RenderDrawDataInRects(draw, rects, clear_colour, tracker_);
  last_drawn_pixels_ = 0;
  for (const PixelRect& r : rects) last_drawn_pixels_ += r.Area();
  pending_.insert(pending_.end(), rects.begin(), rects.end());
}

void WindowPresenter::Present() {
  if (window_ == nullptr) return;
  if (mode_ == PresentMode::FullSwap) {
    glfwSwapBuffers(window_);
    return;
  }
  if (kept_in_place_) {  // the page shows what was drawn (nothing drawn: the last frame)
    pending_.clear();
    return;
  }
  if (swap_next_) {
    // A resized window: Mesa's software winsys notices the new size only at a swap,
    // and may then give the back buffer new storage. So swap once and draw the next
    // frame whole.
    glfwSwapBuffers(window_);
    tracker_.Invalidate();
    swap_next_ = false;
    presented_width_ = width_;
    presented_height_ = height_;
    pending_.clear();
    return;
  }
  if (whole_frame_) {
    glfwSwapBuffers(window_);
    pending_.clear();
    return;
  }
  // Copies, unlike a swap, leave the back buffer as it is: the next frame builds on it.
  for (const PixelRect& r : pending_) {
    copy_sub_buffer_(display_, drawable_, r.x0, height_ - r.y1, r.x1 - r.x0, r.y1 - r.y0);
  }
  if (pending_.empty()) glFlush();
  pending_.clear();
}

}  // namespace im2col::gui
