// What both GLFW platforms (desktop and browser) share once a window and its GL context
// exist: Dear ImGui and its GLFW + OpenGL3 backends, fonts and theme, a frame's begin,
// render and present, and shutting down. See platform.h.
#include "gui/platform/platform.h"
#include "gui/platform/glfw_errors.h"

#include "gui/gpu/gl_api.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cfloat>
#include <cstdint>
#include <string>
#include <utility>

#include "gui/platform/damage.h"
#include "gui/widgets/fonts.h"

namespace im2col::gui {
namespace {

// GLFW reports errors through a callback that carries no user pointer (and may fire
// before any window exists): the last message must live in a static to reach Init's
// error text. One of the two function-level statics app/gui keeps.
std::string& GlfwErrorText() {
  static std::string message;
  return message;
}
void OnGlfwError(int code, const char* description) {
  GlfwErrorText() = std::string(description ? description : "unknown") + " (GLFW error " + std::to_string(code) + ")";
}

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
      {AppKey::O, GLFW_KEY_O},           {AppKey::S, GLFW_KEY_S},
      {AppKey::F, GLFW_KEY_F},           {AppKey::Z, GLFW_KEY_Z}};
  for (const auto& [key, code] : keys) ui.key_codes[static_cast<size_t>(key)] = code;
}

// Re-uploads the font atlas texture through the OpenGL3 backend (between frames).
void RefreshFontTexture() {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

}  // namespace

void ListenToGlfwErrors() { glfwSetErrorCallback(OnGlfwError); }
const std::string& LastGlfwError() { return GlfwErrorText(); }

Platform::~Platform() { Shutdown(); }

bool Platform::AttachImGui(bool visible, const char* glsl_version, std::string* error) {
  IMGUI_CHECKVERSION();
  context_ = ImGui::CreateContext();
  AttachUiContext(&ui_);  // fonts, theme, layout recording and keys of this ImGui context
  MapAppKeys(ui_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed each frame; nothing to persist
  io.LogFilename = nullptr;
  // Offscreen renders must not react to a pointer that happens to sit on the screen.
  if (!ImGui_ImplGlfw_InitForOpenGL(window_, /*install_callbacks=*/visible) ||
      !ImGui_ImplOpenGL3_Init(glsl_version)) {
    if (error) *error = "could not initialise the Dear ImGui GLFW/OpenGL3 backends";
    Shutdown();
    return false;
  }
  imgui_ready_ = true;
  link_.platform = this;
  glfwSetWindowUserPointer(window_, &link_);
  if (visible) {
    presenter_.Init(window_, renderer_.c_str(), BackBufferKeptInPlace());
    glfwSetWindowRefreshCallback(window_, OnWindowRefresh);
  }
  return true;
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
