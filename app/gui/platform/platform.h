// The platform seam: what the app needs of the machine it runs on. A window and its GL
// context, events and frame pacing, presenting a frame (a full swap, or only the damaged
// rectangles), offscreen targets for renders, drops, and the per-context objects the
// frame code is handed (GpuContext, UiContext). Everything above platform/ talks to the
// machine only through this class; GLFW and X11/GLX names appear only in platform/.
//
// The desktop implementation (glfw_platform.cpp) uses a GLFW window (visible, or hidden
// for offscreen renders), OpenGL 3.3 core via glad, and Dear ImGui's GLFW + OpenGL3
// backends. The browser (web_platform.cpp, built only with emscripten) uses emscripten's
// GLFW on a canvas with WebGL2. Both share platform_frame.cpp (ImGui, fonts, frames).
#pragma once

#include <string>

#include "gui/gpu/gpu_context.h"
#include "gui/platform/key_taps.h"
#include "gui/platform/window_present.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_context.h"
#include "io/settings.h"

struct GLFWwindow;
struct ImGuiContext;

namespace im2col::gui {

struct AppState;
class Platform;

// What the window's callbacks reach through the GLFW user pointer: one struct, so the
// platform (repaints) and the classroom code (drops) never fight over it.
struct WindowLink {
  Platform* platform = nullptr;
  AppState* state = nullptr;  // set by InstallClassroomCallbacks
};

struct PlatformOptions {
  int width = 1600;
  int height = 900;
  bool visible = true;   // false: hidden window, draw into an FBO
  bool vsync = true;
  float font_scale = 1.0f;
  std::string title = "im2col-lab";
  // Sizes remembered per monitor (null: width x height). Either way a visible window is
  // fitted into the work area of the monitor it opens on (gui/state/window_fit.h).
  const io::Settings* settings = nullptr;
};

// A pointer for offscreen frames (tests click real widgets with it).
struct OffscreenPointer {
  float x = -1e30f, y = -1e30f;  // far away: no pointer
  bool down = false;             // left button
};

// The primary monitor's refresh rate in Hz; 60 when it does not say (Xvfb says 0).
// Needs the platform initialised.
double DisplayRefreshRate();
// Seconds on the platform's clock (monotonic).
double PlatformNow();
// Handles events until PlatformNow() reaches `deadline` or one arrives (input, or a
// worker's WakePlatform); only polls when the deadline has passed.
void WaitEventsUntil(double deadline);
// Handles events, waiting at most `seconds` for the first one.
void WaitEventsFor(double seconds);
// Handles the events that are waiting, without waiting.
void PollEvents();
// Wakes a thread waiting for events (safe from any thread, e.g. a worker that finished).
void WakePlatform();
// True when the current context's back buffer is what the screen shows and keeps its
// pixels from frame to frame (the browser's canvas, made with preserveDrawingBuffer):
// the window then redraws only what changed, in place (window_present.h).
bool BackBufferKeptInPlace();

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
  // The GL context's objects (textures, pictures, the matrix renderer), for the frame.
  GpuContext& gpu() { return gpu_; }
  // The ImGui context's fonts, theme, layout recording and key codes.
  UiContext& ui() { return ui_; }
  // What the window's callbacks reach (the GLFW user pointer).
  WindowLink& link() { return link_; }
  const std::string& renderer() const { return renderer_; }  // GL_RENDERER
  // The name of the monitor the window's centre is on ("" when GLFW cannot say).
  std::string CurrentMonitorName() const;
  bool ShouldClose() const;
  // Framebuffer size in pixels.
  void FramebufferSize(int* width, int* height) const;
#ifdef __EMSCRIPTEN__
  // The browser: sizes the canvas to the page's window (call before each frame).
  void FollowPageSize();
  // The browser: key taps between two frames (key_taps.h). Before BeginFrame, the held
  // releases a frame has seen down go to ImGui; after it, that frame saw the keys.
  void DeliverDueKeyReleases();
  void FrameSawKeys() { key_taps_.FrameSawKeys(); }
  KeyTaps& key_taps() { return key_taps_; }
#endif

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
  // After the window and its GL context exist: the ImGui context, its UiContext and key
  // codes, the GLFW (input callbacks when `visible`) and OpenGL3 backends compiling
  // their shaders for `glsl_version`, the window link and the presenter.
  bool AttachImGui(bool visible, const char* glsl_version, std::string* error);

  GLFWwindow* window_ = nullptr;
  ImGuiContext* context_ = nullptr;
  std::string renderer_;
  WindowPresenter presenter_;
  GpuContext gpu_;
  UiContext ui_;
  WindowLink link_;
#ifdef __EMSCRIPTEN__
  KeyTaps key_taps_;
#endif
  bool imgui_ready_ = false;
  unsigned int nearest_font_texture_ = 0;  // the font texture last switched to nearest sampling
  bool glfw_ready_ = false;
  bool style_ready_ = false;
  ThemeId styled_theme_ = ThemeId::Light;
  float styled_scale_ = 0.0f;
};

}  // namespace im2col::gui
