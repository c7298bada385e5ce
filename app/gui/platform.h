// The window and GL context: GLFW window (visible, or hidden for offscreen renders),
// OpenGL 3.3 core via glad, Dear ImGui with its GLFW + OpenGL3 backends and fonts.
#pragma once

#include <string>

#include "gui/theme.h"
#include "gui/window_present.h"

struct GLFWwindow;
struct ImGuiContext;

namespace im2col::gui {

struct PlatformOptions {
  int width = 1600;
  int height = 900;
  bool visible = true;   // false: hidden window, draw into an FBO
  bool vsync = true;
  float font_scale = 1.0f;
  std::string title = "im2col-lab";
};

// A pointer for offscreen frames (tests click real widgets with it).
struct OffscreenPointer {
  float x = -1e30f, y = -1e30f;  // far away: no pointer
  bool down = false;             // left button
};

// The primary monitor's refresh rate in Hz; 60 when it does not say (Xvfb says 0).
// Needs GLFW initialised (a Platform).
double DisplayRefreshRate();
// Handles events until glfwGetTime() reaches `deadline` or one arrives (input, or a
// worker's glfwPostEmptyEvent); only polls when the deadline has passed.
void WaitEventsUntil(double deadline);

// Owns GLFW, the window, the GL context and the ImGui context; one per process at a time.
class Platform {
 public:
  Platform() = default;
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // False with a clear message in *error when there is no display or no GL 3.3.
  bool Init(const PlatformOptions& options, std::string* error);
  void Shutdown();

  GLFWwindow* window() const { return window_; }
  const std::string& renderer() const { return renderer_; }  // GL_RENDERER
  bool ShouldClose() const;
  // Framebuffer size in pixels.
  void FramebufferSize(int* width, int* height) const;

  // Between frames: rebuilds the fonts when the scale changed and applies the
  // theme's style and palette when either changed. False (with *error) on failure.
  bool EnsureStyle(ThemeId theme, float font_scale, std::string* error);

  // Backends' NewFrame + ImGui::NewFrame. With `offscreen` the display size is
  // width x height (an FBO's size) and the real pointer is ignored, so renders are
  // deterministic; `pointer` (tests) then stands in for it.
  void BeginFrame(bool offscreen = false, int width = 0, int height = 0,
                  const OffscreenPointer& pointer = OffscreenPointer());
  // ImGui::Render, clear to `clear_colour` and draw into the bound framebuffer (an
  // offscreen render's FBO).
  void RenderFrame(unsigned int clear_colour, int width, int height);
  // The window's frame: ImGui::Render and draw into the window's back buffer, all of it
  // or only what changed (window_present.h); SwapBuffers then puts it on screen.
  void DrawToWindow(unsigned int clear_colour, int width, int height);
  void SwapBuffers();
  const WindowPresenter& presenter() const { return presenter_; }
  // The window's next frame is drawn whole (its pixels were lost, e.g. exposed).
  void RepaintWindow() { presenter_.Invalidate(); }

 private:
  GLFWwindow* window_ = nullptr;
  ImGuiContext* context_ = nullptr;
  std::string renderer_;
  WindowPresenter presenter_;
  bool imgui_ready_ = false;
  unsigned int nearest_font_texture_ = 0;  // the font texture last switched to nearest sampling
  bool glfw_ready_ = false;
  bool style_ready_ = false;
  ThemeId styled_theme_ = ThemeId::Light;
  float styled_scale_ = 0.0f;
};

}  // namespace im2col::gui
