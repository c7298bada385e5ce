// A hidden GLFW window with an OpenGL 3.3 core context, Dear ImGui (fonts and light
// theme of the app) and a 1920x1080 offscreen framebuffer: each Frame() runs one
// ImGui frame with scripted mouse/keyboard input and reads the pixels back.
#pragma once

#include <imgui.h>

#include <cfloat>
#include <functional>
#include <string>
#include <vector>

struct GLFWwindow;

namespace im2col::gui {
class GpuContext;
}

namespace im2col::gpu_test {

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;  // top row first
  // Colour at pixel (x, y), origin top-left, as an opaque ImU32.
  ImU32 At(int x, int y) const;
};

struct Input {
  ImVec2 mouse{-FLT_MAX, -FLT_MAX};
  bool left_down = false;
  float wheel = 0.0f;
  std::string characters;  // typed this frame
};

class Harness {
 public:
  static constexpr int kWidth = 1920;
  static constexpr int kHeight = 1080;

  // The one harness of the process, created on first use (fails the test when no GL).
  static Harness& Get();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& renderer() const { return renderer_; }
  // The GL context's objects (textures' serials, the matrix renderer, damage reports).
  gui::GpuContext& gpu() { return *gpu_; }

  // Where frames are drawn: an offscreen RGBA8 framebuffer (the default, like `render`),
  // or the visible window's own framebuffer (like the interactive app; swapped each frame).
  enum class Target { Offscreen, Window };
  void SetTarget(Target target);
  Target target() const { return target_; }

  // One frame: `body` draws inside a borderless full-screen ImGui window. Waits for the
  // GPU (glFinish) so timings are real; reads the pixels back when `read_back`.
  Image Frame(const std::function<void()>& body, const Input& input = {}, bool read_back = true);
  double last_frame_ms() const { return last_frame_ms_; }
  // CPU time of the whole process (our thread + llvmpipe's) during the last frame: on a
  // loaded machine wall time lies, this does not.
  double last_frame_cpu_ms() const { return last_frame_cpu_ms_; }

 private:
  Harness();
  std::string error_;
  std::string renderer_;
  GLFWwindow* window_ = nullptr;
  // Never freed, like the context it belongs to: the harness lives until exit.
  gui::GpuContext* gpu_ = nullptr;
  Target target_ = Target::Offscreen;
  unsigned int fbo_ = 0, colour_ = 0;
  double last_frame_ms_ = 0.0;
  double last_frame_cpu_ms_ = 0.0;
};

// Writes a PNG (for people to look at); false when it cannot be written.
bool WritePng(const std::string& path, const Image& image);

// Largest channel difference between two colours (alpha ignored).
int ColourDistance(ImU32 a, ImU32 b);
std::string Hex(ImU32 colour);

}  // namespace im2col::gpu_test
