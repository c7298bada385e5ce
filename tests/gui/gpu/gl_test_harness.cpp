#include "gl_test_harness.h"

#include "gui/gpu/gpu_context.h"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "gui/widgets/fonts.h"
#include "gui/widgets/theme.h"

namespace im2col::gpu_test {
namespace {
double ProcessCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}
}  // namespace

ImU32 Image::At(int x, int y) const {
  const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 4;
  return IM_COL32(rgba[i], rgba[i + 1], rgba[i + 2], 255);
}

Harness& Harness::Get() {
  static Harness harness;  // lives until exit: the GL context outlives every test
  return harness;
}

Harness::Harness() {
  if (!glfwInit()) {
    error_ = "glfwInit failed: no display (run under xvfb-run -a -s \"-screen 0 1920x1080x24\")";
    return;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  window_ = glfwCreateWindow(kWidth, kHeight, "gpu test", nullptr, nullptr);
  if (window_ == nullptr) {
    error_ = "no OpenGL 3.3 core context";
    return;
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(0);
  if (gladLoadGL(glfwGetProcAddress) == 0) {
    error_ = "gladLoadGL failed";
    return;
  }
  renderer_ = reinterpret_cast<const char*>(glGetString(GL_RENDERER));

  glGenFramebuffers(1, &fbo_);
  glGenRenderbuffers(1, &colour_);
  glBindRenderbuffer(GL_RENDERBUFFER, colour_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, kWidth, kHeight);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    error_ = "offscreen framebuffer incomplete";
    return;
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  std::string font_error;
  if (!gui::BuildFonts(1.0f, &font_error)) {
    error_ = font_error;
    return;
  }
  gui::ApplyTheme(gui::ThemeId::Light, 1.0f);
  gpu_ = new gui::GpuContext();
  if (!ImGui_ImplOpenGL3_Init("#version 330 core")) error_ = "ImGui OpenGL3 backend init failed";
}

void Harness::SetTarget(Target target) {
  if (target == target_ || !ok()) return;
  target_ = target;
  if (target == Target::Window) {
    glfwShowWindow(window_);
  } else {
    glfwHideWindow(window_);
  }
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  if (target == Target::Window && (w != kWidth || h != kHeight)) {
    error_ = "the window's framebuffer is " + std::to_string(w) + "x" + std::to_string(h) + ", not 1920x1080";
  }
}

Image Harness::Frame(const std::function<void()>& body, const Input& input, bool read_back) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuMs();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(kWidth), static_cast<float>(kHeight));
  io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  io.DeltaTime = 1.0f / 60.0f;
  io.MousePos = input.mouse;
  io.MouseDown[0] = input.left_down;
  io.MouseWheel = input.wheel;
  for (char c : input.characters) io.AddInputCharacter(static_cast<unsigned int>(c));
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
  ImGui::SetNextWindowSize(io.DisplaySize);
  // No window background: the clear paints it for free, where a full-screen blended quad
  // costs llvmpipe ~15 ms of CPU a frame (and would hide what the matrices cost).
  ImGui::Begin("stage", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                   ImGuiWindowFlags_NoBackground);
  body();
  ImGui::End();
  ImGui::Render();

  const bool window = target_ == Target::Window;
  glBindFramebuffer(GL_FRAMEBUFFER, window ? 0u : fbo_);
  if (window) glDrawBuffer(GL_BACK);
  glViewport(0, 0, kWidth, kHeight);
  glDisable(GL_SCISSOR_TEST);
  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(gui::ActivePalette().background);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  Image image;
  if (read_back) {
    image.width = kWidth;
    image.height = kHeight;
    image.rgba.resize(static_cast<size_t>(kWidth) * kHeight * 4);
    std::vector<unsigned char> bottom_up(image.rgba.size());
    if (window) glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, kWidth, kHeight, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
    const size_t row = static_cast<size_t>(kWidth) * 4;
    for (int y = 0; y < kHeight; ++y) {
      std::copy_n(bottom_up.data() + static_cast<size_t>(kHeight - 1 - y) * row, row,
                  image.rgba.data() + static_cast<size_t>(y) * row);
    }
  }
  if (window) glfwSwapBuffers(window_);  // as the interactive app does every frame
  glFinish();
  last_frame_cpu_ms_ = ProcessCpuMs() - cpu_start;
  last_frame_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  return image;
}

bool WritePng(const std::string& path, const Image& image) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  const std::string temp = path + ".tmp";
  if (stbi_write_png(temp.c_str(), image.width, image.height, 4, image.rgba.data(), image.width * 4) == 0) {
    return false;
  }
  std::filesystem::rename(temp, path, ec);  // atomic: a reader never sees half a PNG
  return !ec;
}

int ColourDistance(ImU32 a, ImU32 b) {
  int worst = 0;
  for (int shift : {IM_COL32_R_SHIFT, IM_COL32_G_SHIFT, IM_COL32_B_SHIFT}) {
    worst = std::max(worst, std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((b >> shift) & 0xFF)));
  }
  return worst;
}

std::string Hex(ImU32 colour) {
  char text[16];
  std::snprintf(text, sizeof text, "#%02X%02X%02X", static_cast<unsigned>((colour >> IM_COL32_R_SHIFT) & 0xFF),
                static_cast<unsigned>((colour >> IM_COL32_G_SHIFT) & 0xFF),
                static_cast<unsigned>((colour >> IM_COL32_B_SHIFT) & 0xFF));
  return text;
}

}  // namespace im2col::gpu_test
