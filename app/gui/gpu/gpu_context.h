// Everything one GL context owns for drawing the app, in one object (instead of
// function-level statics, which hid this state and outlived the context at exit):
// the matrix renderer (shader program, cached pictures, the queue of picture copies
// ImGui's render performs), the textures of the stage's views, the serials that tell
// texture contents apart, and the screen rectangles whose pixels changed behind the
// draw data's back (for the window's damage tracking).
//
// The platform (platform/platform.h) makes one per GL context and passes it down the
// frame: DrawAppFrame(state, &gpu) -> DrawStage -> the pictures. Release() (or the
// destructor) must run while its GL context is current. A null GpuContext means "no GL"
// (a headless smoke test): the stage then draws ImGui summaries.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gui/gpu/matrix_texture.h"
#include "gui/state/matrix_packing.h"
#include "im2col/convolution.h"

namespace im2col::gui {

// Defined in matrix_picture.cpp: the program, its uniforms, the cached pictures.
struct MatrixRenderer;
struct MatrixRendererDeleter {
  void operator()(MatrixRenderer* renderer) const;
};

// One stage view's texture and what the stage knows of it (stage/stage_gpu.cpp).
struct ViewTexture {
  MatrixTexture texture;
  std::uint64_t failed_content = 0;  // an upload that failed is not retried every frame
  bool shown = false;                // drawn since the computation last changed
  bool stale = false;                // the texture still holds the last computation's values
  int drawn_frame = -1;              // ImGui frame it was last drawn in
};

// The stage's textures, by view id ("x_col", "input[0,2]", ...).
struct ViewTextures {
  // The computation the textures show: a weak pointer, so a new computation never passes
  // for the old one (scenario generations restart with every AppState, e.g. in tests).
  std::weak_ptr<const Computation> computation;
  std::map<std::string, ViewTexture> views;
  // The computation's matrices for the textures when the worker did not pack them (a
  // scenario computed on the UI thread): made once, on first use.
  std::shared_ptr<const PackedMatrices> packed;
};

class GpuContext {
 public:
  GpuContext();
  ~GpuContext();  // Release(): the context must be current
  GpuContext(const GpuContext&) = delete;
  GpuContext& operator=(const GpuContext&) = delete;

  // Frees every GL object (textures, pictures, program); the next frame makes them again.
  void Release();

  MatrixRenderer& renderer();
  ViewTextures& view_textures() { return view_textures_; }
  const ViewTextures& view_textures() const { return view_textures_; }

  // A new serial for a texture upload: unique in this context, never reused (unlike GL
  // names), so cached pictures keyed on it never show stale values.
  std::uint64_t NextTextureSerial() { return ++texture_serials_; }

  // A screen rectangle (ImGui units) whose pixels changed this frame for a reason the
  // draw data does not show: a picture drawn there was re-rendered.
  void ReportDamage(const ImVec2& min, const ImVec2& max) { damage_.emplace_back(min, max); }
  // The rectangles reported since the last call (the window's damage tracker takes them).
  std::vector<ImRect> TakeReportedDamage();
  // Forgets them (a frame drawn offscreen, which no tracker compares).
  void DiscardReportedDamage() { damage_.clear(); }

 private:
  std::unique_ptr<MatrixRenderer, MatrixRendererDeleter> renderer_;
  ViewTextures view_textures_;
  std::uint64_t texture_serials_ = 0;
  std::vector<ImRect> damage_;
};

}  // namespace im2col::gui
