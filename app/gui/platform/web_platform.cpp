// The browser platform (built only with emscripten): emscripten's GLFW on the page's
// canvas with a WebGL2 (OpenGL ES 3.0) context. The browser drives the frames
// (requestAnimationFrame through emscripten_set_main_loop), so the event waits return
// at once: events arrive between frames by themselves. Dear ImGui and the frame code
// are shared with the desktop (platform_frame.cpp). See platform.h.
#include "gui/platform/platform.h"
#include "gui/platform/glfw_errors.h"

#include <emscripten/emscripten.h>

#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

#include "gui/gpu/gl_api.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

namespace im2col::gui {
namespace {

// ImGui's copy (Copy link, Ctrl+C in a text field) goes to the system clipboard through
// the page; emscripten's GLFW keeps the text too, for pasting inside the app.
void CopyToPage(void* window, const char* text) {
  glfwSetClipboardString(static_cast<GLFWwindow*>(window), text);
  EM_ASM({ im2colLabCopy(UTF8ToString($0)); }, text);
}

// ImGui's key callback, except for releases KeyTaps holds back for a frame.
void OnKey(GLFWwindow* window, int key, int scancode, int action, int mods) {
  auto* link = static_cast<WindowLink*>(glfwGetWindowUserPointer(window));
  if (link != nullptr && link->platform != nullptr && action != GLFW_REPEAT &&
      !link->platform->key_taps().Admit(key, action == GLFW_PRESS)) {
    return;
  }
  ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}

}  // namespace

// requestAnimationFrame follows the display; browsers do not tell its rate.
double DisplayRefreshRate() { return 60.0; }
double PlatformNow() { return emscripten_get_now() / 1000.0; }
// The page's event loop delivers input between animation frames: nothing to wait for.
void WaitEventsFor(double) {}
void PollEvents() {}
void WakePlatform() {}
void WaitEventsUntil(double) {}
// The page makes the context (index.html) with preserveDrawingBuffer when it can.
bool BackBufferKeptInPlace() {
  return EM_ASM_INT({
    const gl = Module["ctx"];
    return gl && gl.getContextAttributes() && gl.getContextAttributes().preserveDrawingBuffer ? 1 : 0;
  }) != 0;
}

// A page has no monitors to tell apart: sizes are not remembered per monitor there.
std::string Platform::CurrentMonitorName() const { return ""; }

bool Platform::Init(const PlatformOptions& options, std::string* error) {
  ListenToGlfwErrors();
  if (!glfwInit()) {
    if (error) *error = "cannot start the browser's GLFW (" + LastGlfwError() + ")";
    return false;
  }
  glfw_ready_ = true;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfwWindowHint(GLFW_SAMPLES, 0);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  window_ = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!window_) {
    if (error) *error = "this browser offers no WebGL2 context: " + LastGlfwError();
    Shutdown();
    return false;
  }
  glfwMakeContextCurrent(window_);
  const GLubyte* renderer = glGetString(GL_RENDERER);
  renderer_ = renderer ? reinterpret_cast<const char*>(renderer) : "unknown";
  if (!AttachImGui(options.visible, "#version 300 es", error)) return false;
  glfwSetKeyCallback(window_, OnKey);  // in place of ImGui's, which it calls
  ImGui::GetIO().SetClipboardTextFn = CopyToPage;
  ImGui::GetIO().ClipboardUserData = window_;
  return EnsureStyle(ThemeId::Light, options.font_scale, error);
}

void Platform::DeliverDueKeyReleases() {
  for (const int key : key_taps_.ReleasesDue()) ImGui_ImplGlfw_KeyCallback(window_, key, 0, GLFW_RELEASE, 0);
}

void Platform::FollowPageSize() {
  const int page_w = EM_ASM_INT({ return window.innerWidth; });
  const int page_h = EM_ASM_INT({ return window.innerHeight; });
  int width = 0, height = 0;
  glfwGetWindowSize(window_, &width, &height);
  if (page_w > 0 && page_h > 0 && (page_w != width || page_h != height)) glfwSetWindowSize(window_, page_w, page_h);
}

}  // namespace im2col::gui
