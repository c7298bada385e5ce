// The desktop platform: GLFW window + OpenGL 3.3 core context + Dear ImGui, for the
// interactive window and for hidden-window offscreen renders alike (one code path for
// both). See platform.h.
#include "gui/platform/platform.h"
#include "gui/state/window_fit.h"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cfloat>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>

#ifdef IM2COL_LAB_SANITIZE
#include <dlfcn.h>
#include <link.h>
#endif

#include "gui/platform/damage.h"
#include "gui/widgets/fonts.h"

namespace im2col::gui {
namespace {

// GLFW reports errors through a callback that carries no user pointer (and may fire
// before any window exists): the last message must live in a static to reach Init's
// error text. One of the two function-level statics app/gui keeps.
std::string& LastGlfwError() {
  static std::string message;
  return message;
}
void OnGlfwError(int code, const char* description) {
  LastGlfwError() = std::string(description ? description : "unknown") + " (GLFW error " +
                    std::to_string(code) + ")";
}

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

void OnWindowRefresh(GLFWwindow* window) {
  auto* link = static_cast<WindowLink*>(glfwGetWindowUserPointer(window));
  if (link != nullptr && link->platform != nullptr) link->platform->RepaintWindow();  // exposed: the screen lost pixels
}

// GLFW's key codes for the keys the panels name (widgets/ui_context.h). The browser's
// GLFW (emscripten) uses the same codes.
void MapAppKeys(UiContext& ui) {
  const std::pair<AppKey, int> keys[] = {
      {AppKey::F1, GLFW_KEY_F1},         {AppKey::F5, GLFW_KEY_F5},
      {AppKey::F11, GLFW_KEY_F11},       {AppKey::Escape, GLFW_KEY_ESCAPE},
      {AppKey::Equal, GLFW_KEY_EQUAL},   {AppKey::KeypadAdd, GLFW_KEY_KP_ADD},
      {AppKey::Minus, GLFW_KEY_MINUS},   {AppKey::KeypadSubtract, GLFW_KEY_KP_SUBTRACT},
      {AppKey::Digit0, GLFW_KEY_0},      {AppKey::Keypad0, GLFW_KEY_KP_0},
      {AppKey::O, GLFW_KEY_O},           {AppKey::S, GLFW_KEY_S}};
  for (const auto& [key, code] : keys) ui.key_codes[static_cast<size_t>(key)] = code;
}

// Re-uploads the font atlas texture through the OpenGL3 backend (between frames).
void RefreshFontTexture() {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

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

void WaitEventsUntil(double deadline) {
  const double wait = deadline - glfwGetTime();
  if (wait > 0.0005) {
    glfwWaitEventsTimeout(wait);
  } else {
    glfwPollEvents();
  }
}

Platform::~Platform() { Shutdown(); }

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
  glfwSetErrorCallback(OnGlfwError);
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

  IMGUI_CHECKVERSION();
  context_ = ImGui::CreateContext();
  AttachUiContext(&ui_);  // fonts, theme, layout recording and keys of this ImGui context
  MapAppKeys(ui_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed each frame; nothing to persist
  io.LogFilename = nullptr;
  // Offscreen renders must not react to a pointer that happens to sit on the screen.
  if (!ImGui_ImplGlfw_InitForOpenGL(window_, /*install_callbacks=*/options.visible) ||
      !ImGui_ImplOpenGL3_Init("#version 330 core")) {
    if (error) *error = "could not initialise the Dear ImGui GLFW/OpenGL3 backends";
    Shutdown();
    return false;
  }
  imgui_ready_ = true;
  link_.platform = this;
  glfwSetWindowUserPointer(window_, &link_);
  if (options.visible) {
    presenter_.Init(window_, renderer_.c_str());
    glfwSetWindowRefreshCallback(window_, OnWindowRefresh);
  }
  return EnsureStyle(ThemeId::Light, options.font_scale, error);
}

void Platform::Shutdown() {
  if (imgui_ready_) {
    glfwMakeContextCurrent(window_);
    gpu_.Release();  // the stage's textures and the matrix shader belong to this context
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    imgui_ready_ = false;
  }
  if (context_) {
    ImGui::DestroyContext(context_);
    context_ = nullptr;
  }
  link_ = WindowLink{};
  if (window_) {
    glfwDestroyWindow(window_);
    window_ = nullptr;
  }
  if (glfw_ready_) {
    glfwTerminate();
    glfw_ready_ = false;
  }
  style_ready_ = false;
}

bool Platform::ShouldClose() const { return window_ && glfwWindowShouldClose(window_); }

void Platform::FramebufferSize(int* width, int* height) const {
  *width = 0;
  *height = 0;
  if (window_) glfwGetFramebufferSize(window_, width, height);
}

bool Platform::EnsureStyle(ThemeId theme, float font_scale, std::string* error) {
  if (style_ready_ && theme == styled_theme_ && font_scale == styled_scale_) return true;
  if (!style_ready_ || font_scale != styled_scale_) {
    if (!BuildFonts(font_scale, error)) return false;
    if (imgui_ready_) RefreshFontTexture();
    nearest_font_texture_ = 0;  // a new texture (GL may reuse the old name): set its sampling again
    presenter_.Invalidate();    // same texture name, new glyphs: the draw data cannot tell
  }
  ApplyTheme(theme, BuiltFontScale());
  styled_theme_ = theme;
  styled_scale_ = font_scale;
  style_ready_ = true;
  return true;
}

void Platform::BeginFrame(bool offscreen, int width, int height, const OffscreenPointer& pointer) {
  ImGui_ImplOpenGL3_NewFrame();  // (re)creates the font texture when needed
  // FreeType rasterises glyphs at the exact size they are drawn, on whole pixels:
  // nearest sampling shows the same pixels and is much cheaper than bilinear for a
  // software renderer (llvmpipe), which samples the atlas for every UI fragment.
  const auto font_texture = static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(ImGui::GetIO().Fonts->TexID));
  if (font_texture != 0 && font_texture != nearest_font_texture_) {
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    glBindTexture(GL_TEXTURE_2D, font_texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
    nearest_font_texture_ = font_texture;
  }
  ImGui_ImplGlfw_NewFrame();
  if (offscreen) {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    const bool present = pointer.x > -1e29f && pointer.y > -1e29f;
    io.MousePos = present ? ImVec2(pointer.x, pointer.y) : ImVec2(-FLT_MAX, -FLT_MAX);
    for (bool& down : io.MouseDown) down = false;
    io.MouseDown[0] = present && pointer.down;
    io.DeltaTime = 1.0f / 60.0f;  // renders must not depend on wall-clock time
  }
  ImGui::NewFrame();
}

void Platform::RenderFrame(unsigned int clear_colour, int width, int height) {
  ImGui::Render();
  DrawWhole(ImGui::GetDrawData(), clear_colour, width, height);
  gpu_.DiscardReportedDamage();  // pictures re-rendered for this frame, which no tracker compares
  presenter_.Invalidate();  // and they may have changed what the window's pictures hold
}

void Platform::DrawToWindow(unsigned int clear_colour, int width, int height) {
  ImGui::Render();
  presenter_.Draw(clear_colour, width, height, gpu_.TakeReportedDamage());
}

void Platform::SwapBuffers() { presenter_.Present(); }

}  // namespace im2col::gui
