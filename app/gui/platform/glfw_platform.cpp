// The desktop platform: GLFW window + OpenGL 3.3 core context (glad), for the
// interactive window and for hidden-window offscreen renders alike (one code path for
// both). Dear ImGui and the frame code, which the browser shares, are in
// platform_frame.cpp. See platform.h.
#include "gui/platform/platform.h"
#include "gui/platform/glfw_errors.h"
#include "gui/state/window_fit.h"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cstdio>
#include <cstring>

#ifdef IM2COL_LAB_SANITIZE
#include <dlfcn.h>
#include <link.h>
#endif


namespace im2col::gui {
namespace {

#ifdef IM2COL_LAB_SANITIZE
// Sanitizer builds only: Mesa unloads its driver when the display closes, so
// LeakSanitizer would report the driver's own allocations from an "<unknown module>"
// that tests/lsan.supp cannot name. Keeping the driver mapped until exit lets the
// suppressions (libGLX_mesa, swrast_dri, libgallium, libLLVM) apply.
int PinGlDriver(struct dl_phdr_info* info, size_t, void*) {
  const char* name = info->dlpi_name;
  if (name && (std::strstr(name, "_dri.so") || std::strstr(name, "gallium") || std::strstr(name, "libLLVM") ||
               std::strstr(name, "libGLX_mesa"))) {
    dlopen(name, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  }
  return 0;
}
#endif

}  // namespace

double DisplayRefreshRate() {
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
  const int rate = mode ? mode->refreshRate : 0;
  return rate >= 30 && rate <= 480 ? static_cast<double>(rate) : 60.0;
}

double PlatformNow() { return glfwGetTime(); }
void WaitEventsFor(double seconds) { glfwWaitEventsTimeout(seconds); }
void PollEvents() { glfwPollEvents(); }
void WakePlatform() { glfwPostEmptyEvent(); }
// A desktop window's back buffer is swapped away (or copied from: window_present.h).
bool BackBufferKeptInPlace() { return false; }

void WaitEventsUntil(double deadline) {
  const double wait = deadline - glfwGetTime();
  if (wait > 0.0005) {
    glfwWaitEventsTimeout(wait);
  } else {
    glfwPollEvents();
  }
}

std::string Platform::CurrentMonitorName() const {
  if (window_ == nullptr) return "";
  int x = 0, y = 0, w = 0, h = 0;
  glfwGetWindowPos(window_, &x, &y);
  glfwGetWindowSize(window_, &w, &h);
  const int cx = x + w / 2, cy = y + h / 2;
  int count = 0;
  GLFWmonitor** monitors = glfwGetMonitors(&count);
  GLFWmonitor* chosen = glfwGetPrimaryMonitor();
  for (int i = 0; i < count; ++i) {
    int mx = 0, my = 0;
    glfwGetMonitorPos(monitors[i], &mx, &my);
    const GLFWvidmode* mode = glfwGetVideoMode(monitors[i]);
    if (mode && cx >= mx && cx < mx + mode->width && cy >= my && cy < my + mode->height) chosen = monitors[i];
  }
  const char* name = chosen ? glfwGetMonitorName(chosen) : nullptr;
  return name ? name : "";
}

bool Platform::Init(const PlatformOptions& options, std::string* error) {
  ListenToGlfwErrors();
  if (!glfwInit()) {
    if (error) {
      *error = "no display: cannot start GLFW (" + LastGlfwError() +
               "). Run on a desktop, or headless with: xvfb-run -a -s \"-screen 0 1920x1080x24\" im2col-lab ...";
    }
    return false;
  }
  glfw_ready_ = true;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SAMPLES, 0);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);  // 2D only: no depth or stencil buffer to allocate and clear
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  // Offscreen draws into an FBO; a visible window fits the monitor it opens on.
  int width = 64, height = 64;
  WindowPlacement placement;
  bool place = false;
  if (options.visible) {
    ScreenArea area;
    std::string monitor_name;
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
      glfwGetMonitorWorkarea(monitor, &area.x, &area.y, &area.width, &area.height);
      if (const char* name = glfwGetMonitorName(monitor)) monitor_name = name;
    }
    placement = options.settings ? OpeningPlacement(*options.settings, monitor_name, area)
                                 : FitToWorkArea(options.width, options.height, area);
    width = placement.width;
    height = placement.height;
    place = area.width > 0 && area.height > 0;
  }
  window_ = glfwCreateWindow(width, height, options.title.c_str(), nullptr, nullptr);
  if (window_ && place) glfwSetWindowPos(window_, placement.x, placement.y);
  if (!window_) {
    if (error) *error = "no OpenGL 3.3 core context: " + LastGlfwError();
    Shutdown();
    return false;
  }
  glfwMakeContextCurrent(window_);
  const int version = gladLoadGL(glfwGetProcAddress);
  if (version == 0 || GLAD_VERSION_MAJOR(version) < 3 ||
      (GLAD_VERSION_MAJOR(version) == 3 && GLAD_VERSION_MINOR(version) < 3)) {
    if (error) *error = "OpenGL 3.3 core is required, the driver offers less";
    Shutdown();
    return false;
  }
#ifdef IM2COL_LAB_SANITIZE
  dl_iterate_phdr(PinGlDriver, nullptr);
#endif
  const GLubyte* renderer = glGetString(GL_RENDERER);
  renderer_ = renderer ? reinterpret_cast<const char*>(renderer) : "unknown";
  glfwSwapInterval(options.vsync && options.visible ? 1 : 0);
  // A window larger than GL can draw into crashes the driver (Mesa past ~30000 px).
  GLint viewport_limits[2] = {0, 0};
  glGetIntegerv(GL_MAX_VIEWPORT_DIMS, viewport_limits);
  if (viewport_limits[0] > 0 && viewport_limits[1] > 0)
    glfwSetWindowSizeLimits(window_, GLFW_DONT_CARE, GLFW_DONT_CARE, viewport_limits[0], viewport_limits[1]);

  if (!AttachImGui(options.visible, "#version 330 core", error)) return false;
  return EnsureStyle(ThemeId::Light, options.font_scale, error);
}

}  // namespace im2col::gui
