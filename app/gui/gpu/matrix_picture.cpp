// The cached pictures of the GPU matrix views and the shader program that renders
// them; see matrix_picture.h.
#include "gui/gpu/matrix_picture.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>

#include "gui/gpu/gl_api.h"
#include "gui/gpu/gl_shader.h"
#include "gui/gpu/gpu_context.h"
#include "gui/gpu/matrix_mask.h"
#include "gui/gpu/picture_params.h"
#include "gui/widgets/theme.h"

namespace im2col::gui {
namespace {

constexpr float kHatchSpacing = 9.0f;  // same spacing as the ImGui grids' hatching

// The uniforms of shaders/matrix.vert + matrix.frag, looked up right where they are set
// (SetUniforms below); a missing one fails the renderer's start with the names.
struct MatrixUniforms {
  int projection, quad, values, texture_shift, matrix_size, transposed, area_min, first_cell, first_cell_frac,
      cell_size, order_coef, fill_block, fill_block_inverse, filled_count, newest_alpha, use_abs, t_offset, t_scale,
      empty_below, ramp[5], empty, padding, padding_hatch, grid, grid_min_cell, hatch_spacing;
};

bool LocateUniforms(const ShaderProgram& p, MatrixUniforms* u, std::string* error) {
  std::vector<std::string> missing;
  u->projection = p.Locate("u_projection", &missing);
  u->quad = p.Locate("u_quad", &missing);
  u->values = p.Locate("u_values", &missing);
  u->texture_shift = p.Locate("u_texture_shift", &missing);
  u->matrix_size = p.Locate("u_matrix_size", &missing);
  u->transposed = p.Locate("u_transposed", &missing);
  u->area_min = p.Locate("u_area_min", &missing);
  u->first_cell = p.Locate("u_first_cell", &missing);
  u->first_cell_frac = p.Locate("u_first_cell_frac", &missing);
  u->cell_size = p.Locate("u_cell_size", &missing);
  u->order_coef = p.Locate("u_order_coef", &missing);
  u->fill_block = p.Locate("u_fill_block", &missing);
  u->fill_block_inverse = p.Locate("u_fill_block_inverse", &missing);
  u->filled_count = p.Locate("u_filled_count", &missing);
  u->newest_alpha = p.Locate("u_newest_alpha", &missing);
  u->use_abs = p.Locate("u_use_abs", &missing);
  u->t_offset = p.Locate("u_t_offset", &missing);
  u->t_scale = p.Locate("u_t_scale", &missing);
  u->empty_below = p.Locate("u_empty_below", &missing);
  u->ramp[0] = p.Locate("u_ramp0", &missing);
  u->ramp[1] = p.Locate("u_ramp1", &missing);
  u->ramp[2] = p.Locate("u_ramp2", &missing);
  u->ramp[3] = p.Locate("u_ramp3", &missing);
  u->ramp[4] = p.Locate("u_ramp4", &missing);
  u->empty = p.Locate("u_empty", &missing);
  u->padding = p.Locate("u_padding", &missing);
  u->padding_hatch = p.Locate("u_padding_hatch", &missing);
  u->grid = p.Locate("u_grid", &missing);
  u->grid_min_cell = p.Locate("u_grid_min_cell", &missing);
  u->hatch_spacing = p.Locate("u_hatch_spacing", &missing);
  if (missing.empty()) return true;
  if (error) {
    *error = missing.front();
    for (size_t i = 1; i < missing.size(); ++i) *error += "; " + missing[i];
  }
  return false;
}

void SetUniforms(const MatrixUniforms& u, const RenderParams& c) {
  // ImGui's orthographic projection (ImGui_ImplOpenGL3_SetupRenderState) over the picture.
  const float R = c.units_w, B = c.units_h;
  const float projection[16] = {2.0f / R, 0.0f, 0.0f, 0.0f, 0.0f, -2.0f / B, 0.0f, 0.0f,
                                0.0f,     0.0f, -1.0f, 0.0f, -1.0f, 1.0f,     0.0f, 1.0f};
  glUniformMatrix4fv(u.projection, 1, GL_FALSE, projection);
  glUniform4f(u.quad, c.quad.Min.x, c.quad.Min.y, c.quad.Max.x, c.quad.Max.y);
  glUniform1i(u.values, 0);  // texture unit 0
  glUniform1i(u.texture_shift, c.texture_shift);
  glUniform2i(u.matrix_size, c.rows, c.cols);
  glUniform1i(u.transposed, c.transposed ? 1 : 0);
  glUniform2f(u.area_min, c.area_min.x, c.area_min.y);
  glUniform2i(u.first_cell, c.first_col, c.first_row);
  glUniform2f(u.first_cell_frac, c.first_frac_col, c.first_frac_row);
  glUniform2f(u.cell_size, c.cell_w, c.cell_h);
  glUniform2i(u.order_coef, c.order_coef_r, c.order_coef_block);
  glUniform1i(u.fill_block, c.fill_block);
  glUniform1f(u.fill_block_inverse, 1.0f / static_cast<float>(c.fill_block));
  glUniform1i(u.filled_count, c.filled_count);
  glUniform1f(u.newest_alpha, c.newest_alpha);
  glUniform1i(u.use_abs, c.use_abs ? 1 : 0);
  glUniform1f(u.t_offset, c.t_offset);
  glUniform1f(u.t_scale, c.t_scale);
  glUniform1f(u.empty_below, c.empty_below);
  for (int i = 0; i < 5; ++i) glUniform4fv(u.ramp[i], 1, &c.ramp[i].x);
  glUniform4fv(u.empty, 1, &c.empty.x);
  glUniform4fv(u.padding, 1, &c.padding.x);
  glUniform4fv(u.padding_hatch, 1, &c.padding_hatch.x);
  glUniform4fv(u.grid, 1, &c.grid.x);
  glUniform1f(u.grid_min_cell, c.grid_min_cell);
  glUniform1f(u.hatch_spacing, kHatchSpacing);
}

// ---------------------------------------------------------------------------------
// [SECTION] The shared GL objects and the cached pictures
// ---------------------------------------------------------------------------------

// One rendered view of a matrix: an RGBA8 texture the size of the view's area, drawn
// each frame by ImGui as a plain image. Software GL (Mesa llvmpipe) draws such images
// on its fast path; the shader runs only when the picture changes (a step, a zoom).
struct Picture {
  unsigned int fbo = 0, colour = 0;
  int width = 0, height = 0;  // allocated size in pixels
  RenderParams params;
  bool valid = false;
  int last_used_frame = -1;
};

constexpr size_t kMaxIdlePictures = 8;      // pictures kept while unused
constexpr int kPictureIdleFrames = 600;     // unused this long: freed

// A copy of a picture's matrix pixels into the framebuffer ImGui renders to, done in the
// middle of ImGui's render (an ImDrawList callback, see TargetTakesCopies).
struct BlitJob {
  unsigned int fbo = 0;
  int src_x0 = 0, src_y0 = 0, src_x1 = 0, src_y1 = 0;  // picture pixels, origin top-left
  int picture_h = 0;
  ImVec2 origin;  // screen position (ImGui units) of picture pixel (0, 0)
};

}  // namespace

// Owned by a GpuContext (one per GL context), which frees its GL objects while the
// context is alive.
struct MatrixRenderer {
  bool tried = false;
  std::string error;
  ShaderProgram program;
  MatrixUniforms uniforms{};
  unsigned int vao = 0;  // core profile draws need a VAO; the quad comes from gl_VertexID
  std::deque<Picture> pictures;  // deque: stable addresses
  long long renders = 0;         // pictures rendered (whole or in part) so far, for tests
  long long partial_renders = 0; // of which only the cells a step changed
  // This frame's picture copies; ImGui's render reads them after the frame is built.
  std::deque<BlitJob> blit_jobs;  // deque: stable addresses for the draw callbacks
  int blit_jobs_frame = -1;
};

void MatrixRendererDeleter::operator()(MatrixRenderer* renderer) const { delete renderer; }
MatrixRenderer* NewMatrixRenderer() { return new MatrixRenderer(); }
namespace {

using Renderer = MatrixRenderer;

BlitJob& NewBlitJob(Renderer& r, int frame) {
  if (r.blit_jobs_frame != frame) {  // the previous frame has been rendered by now
    r.blit_jobs.clear();
    r.blit_jobs_frame = frame;
  }
  return r.blit_jobs.emplace_back();
}

bool EnsureRendererImpl(Renderer& r) {
  if (!GpuMatrixDrawingAvailable()) return false;
  if (r.tried) return r.error.empty();
  r.tried = true;
  if (r.program.Build("matrix.vert", "matrix.frag", &r.error) && LocateUniforms(r.program, &r.uniforms, &r.error)) {
    glGenVertexArrays(1, &r.vao);
    r.error = GlErrors("creating the matrix renderer");
  }
  // Loudly, once: a shader that does not build is a bug, not a user error.
  if (!r.error.empty()) std::fprintf(stderr, "im2col-lab: GPU matrix drawing disabled: %s\n", r.error.c_str());
  return r.error.empty();
}

// Whether pictures can be copied (glBlitFramebuffer) into the framebuffer ImGui draws to:
// an offscreen RGBA8 framebuffer object, single-sampled. llvmpipe copies such a blit as
// plain memory; into a window's framebuffer it is a per-pixel draw like any textured
// quad (~10 ns a pixel), so there the picture is an ordinary ImGui image, which also
// works with a multisampled window.
bool TargetTakesCopies() {
  GLint draw_fbo = 0, sample_buffers = 0;
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fbo);
  if (draw_fbo == 0) return false;
  glGetIntegerv(GL_SAMPLE_BUFFERS, &sample_buffers);
  return sample_buffers == 0;
}

void FreePicture(Picture& p) {
  if (p.fbo != 0) glDeleteFramebuffers(1, &p.fbo);
  if (p.colour != 0) glDeleteTextures(1, &p.colour);
  p = Picture{};
}

// The picture showing `params`: an exact match, else the picture this view used last
// frame (same values and size, not yet used this frame), else a free or new one.
Picture& FindPicture(Renderer& r, const RenderParams& params, int frame) {
  for (Picture& p : r.pictures) {
    if (p.valid && SamePicture(p.params, params)) return p;
  }
  Picture* reuse = nullptr;
  for (Picture& p : r.pictures) {
    if (p.last_used_frame == frame) continue;  // shown by another view this frame
    const bool same_view = p.valid && p.params.serial == params.serial && p.width == params.pixel_w &&
                           p.height == params.pixel_h;
    if (same_view) return p;
    if (reuse == nullptr || p.last_used_frame < reuse->last_used_frame) reuse = &p;
  }
  if (reuse != nullptr && r.pictures.size() >= kMaxIdlePictures) return *reuse;
  return r.pictures.emplace_back();
}

// Renders `params` into `picture` now (between ImGui frames' draw calls, not inside
// ImGui's render), saving and restoring every GL state it touches.
// *changed receives the picture pixels it redrew (x0, y0, x1, y1; origin top-left).
bool RenderPicture(Renderer& r, Picture& picture, const RenderParams& params, int changed_out[4]) {
  // A playback step changes a few cells: redraw just those pixels (scissored) when the
  // rest of the picture is still right.
  int changed[4] = {0, 0, 0, 0};
  const bool partial = picture.valid && picture.width == params.pixel_w && picture.height == params.pixel_h &&
                       OnlyFillChanged(picture.params, params);
  if (partial && !ChangedPixels(params, picture.params.filled_count, params.filled_count, changed)) {
    picture.params = params;  // the cells that changed are out of view: same pixels
    return true;
  }
  if (!partial) {
    changed[2] = params.pixel_w;
    changed[3] = params.pixel_h;
  }
  std::copy(changed, changed + 4, changed_out);
  GLint last_draw_fbo = 0, last_read_fbo = 0, last_program = 0, last_vao = 0, last_texture = 0, last_active = 0;
  GLint last_viewport[4] = {0, 0, 0, 0}, last_scissor_box[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &last_draw_fbo);
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &last_read_fbo);
  glGetIntegerv(GL_CURRENT_PROGRAM, &last_program);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &last_vao);
  glGetIntegerv(GL_ACTIVE_TEXTURE, &last_active);
  glActiveTexture(GL_TEXTURE0);
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGetIntegerv(GL_VIEWPORT, last_viewport);
  glGetIntegerv(GL_SCISSOR_BOX, last_scissor_box);
  const GLboolean last_blend = glIsEnabled(GL_BLEND), last_scissor = glIsEnabled(GL_SCISSOR_TEST);
  const GLboolean last_depth = glIsEnabled(GL_DEPTH_TEST), last_cull = glIsEnabled(GL_CULL_FACE);

  if (picture.fbo == 0 || picture.width != params.pixel_w || picture.height != params.pixel_h) {
    if (picture.fbo == 0) glGenFramebuffers(1, &picture.fbo);
    if (picture.colour == 0) glGenTextures(1, &picture.colour);
    glBindTexture(GL_TEXTURE_2D, picture.colour);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);  // shown 1:1
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, params.pixel_w, params.pixel_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindFramebuffer(GL_FRAMEBUFFER, picture.fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, picture.colour, 0);
    picture.width = params.pixel_w;
    picture.height = params.pixel_h;
    picture.valid = false;  // new storage: draw it whole
  }
  glBindFramebuffer(GL_FRAMEBUFFER, picture.fbo);
  // Asking GL for a framebuffer's status or for errors waits for all the drawing queued so
  // far in a browser (a round trip to its GPU process: on SwiftShader most of a frame). A
  // picture that rendered fine into this storage before cannot newly fail: only new
  // storage, or a picture that failed, is checked.
  const bool check = !picture.valid;
  const bool complete = !check || glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  if (complete) {
    glViewport(0, 0, params.pixel_w, params.pixel_h);
    glDisable(GL_BLEND);  // cells are opaque; outside the matrix stays transparent
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    if (partial) {
      glEnable(GL_SCISSOR_TEST);  // GL's scissor origin is the bottom-left corner
      glScissor(changed[0], params.pixel_h - changed[3], changed[2] - changed[0], changed[3] - changed[1]);
    } else {
      glDisable(GL_SCISSOR_TEST);
      glClearColor(0.0f, 0.0f, 0.0f, 0.0f);
      glClear(GL_COLOR_BUFFER_BIT);
    }
    glUseProgram(r.program.id());
    glBindVertexArray(r.vao);
    glBindTexture(GL_TEXTURE_2D, params.texture);
    SetUniforms(r.uniforms, params);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    ++r.renders;
    if (partial) ++r.partial_renders;
  }

  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(last_draw_fbo));
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(last_read_fbo));
  glUseProgram(static_cast<GLuint>(last_program));
  glBindVertexArray(static_cast<GLuint>(last_vao));
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  glActiveTexture(static_cast<GLenum>(last_active));
  glViewport(last_viewport[0], last_viewport[1], last_viewport[2], last_viewport[3]);
  glScissor(last_scissor_box[0], last_scissor_box[1], last_scissor_box[2], last_scissor_box[3]);
  if (last_blend) glEnable(GL_BLEND);
  if (last_scissor) glEnable(GL_SCISSOR_TEST); else glDisable(GL_SCISSOR_TEST);
  if (last_depth) glEnable(GL_DEPTH_TEST);
  if (last_cull) glEnable(GL_CULL_FACE);
  const std::string error = check ? GlErrors("rendering a matrix picture") : std::string();
  picture.valid = complete && error.empty();
  if (picture.valid) picture.params = params;
  if (!picture.valid && r.error.empty()) {
    r.error = complete ? error : std::string("matrix picture: framebuffer incomplete");
  }
  return picture.valid;
}

void FreeIdlePictures(Renderer& r, int frame) {
  for (Picture& p : r.pictures) {
    if (p.fbo != 0 && p.last_used_frame >= 0 && frame - p.last_used_frame > kPictureIdleFrames) FreePicture(p);
  }
}

// The parameters for `t` seen through `view` in `area`; *picture_rect receives the
// pixel-aligned screen rectangle the picture covers.
RenderParams MakeParams(const MatrixTexture& t, const ZoomView& view, const ImRect& area, const MaskState& m,
                        const MatrixStyle& s, ImRect* picture_rect) {
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  const float sx = scale.x > 0.0f ? scale.x : 1.0f, sy = scale.y > 0.0f ? scale.y : 1.0f;
  // Pixel-aligned, so the picture's pixels are the screen's pixels (shown 1:1).
  const ImRect rect(ImVec2(std::floor(area.Min.x * sx) / sx, std::floor(area.Min.y * sy) / sy),
                    ImVec2(std::ceil(area.Max.x * sx) / sx, std::ceil(area.Max.y * sy) / sy));
  *picture_rect = rect;
  RenderParams c;
  c.serial = t.serial();
  c.texture = t.gl_texture();
  c.texture_shift = t.texture_shift();
  c.rows = static_cast<int>(t.rows());
  c.cols = static_cast<int>(t.cols());
  c.transposed = t.transposed();
  c.units_w = rect.GetWidth();
  c.units_h = rect.GetHeight();
  c.pixel_w = std::max(1, static_cast<int>(std::lround(rect.GetWidth() * sx)));
  c.pixel_h = std::max(1, static_cast<int>(std::lround(rect.GetHeight() * sy)));
  c.area_min = ImVec2(area.Min.x - rect.Min.x, area.Min.y - rect.Min.y);
  ImRect quad = MatrixRect(view, area);  // fragments outside the matrix would only be discarded
  quad.ClipWith(area);
  c.quad = ImRect(ImVec2(quad.Min.x - rect.Min.x, quad.Min.y - rect.Min.y),
                  ImVec2(quad.Max.x - rect.Min.x, quad.Max.y - rect.Min.y));
  const double first_col = std::floor(view.first.col), first_row = std::floor(view.first.row);
  c.first_col = static_cast<int>(first_col);
  c.first_row = static_cast<int>(first_row);
  c.first_frac_col = static_cast<float>(view.first.col - first_col);
  c.first_frac_row = static_cast<float>(view.first.row - first_row);
  c.cell_w = view.cell_w;
  c.cell_h = view.cell_h;
  switch (m.fill_order) {
    case FillOrder::RowMajor:
      c.order_coef_r = c.cols;
      c.order_coef_block = 1;
      break;
    case FillOrder::ColumnMajor:
      c.order_coef_r = 1;
      c.order_coef_block = c.rows;
      break;
    case FillOrder::ImageMaps:
      c.order_coef_r = 1;
      c.order_coef_block = c.rows;
      c.fill_block = static_cast<int>(std::clamp<Index>(m.fill_block, 1, c.cols));
      break;
  }
  c.filled_count = static_cast<int>(std::clamp<Index>(m.filled_count, 0, kAllFilled));
  // A fade on a cell smaller than a few pixels cannot be seen: skip re-rendering for it.
  const bool fade_visible = view.cell_w >= 4.0f && view.cell_h >= 4.0f;
  c.newest_alpha = fade_visible ? std::clamp(m.newest_alpha, 0.0f, 1.0f) : 1.0f;
  const float top = ColourScaleMax(t, s);
  if (s.mode == ColourMode::Heat) {
    c.use_abs = false;
    c.t_offset = s.heat_min;
    c.t_scale = 1.0f / std::max(top - s.heat_min, 1e-30f);
    c.empty_below = s.heat_min;
    for (int i = 0; i < 5; ++i) c.ramp[i] = ImGui::ColorConvertU32ToFloat4(CividisColor(static_cast<float>(i) / 4.0f));
  } else {
    c.use_abs = true;
    c.t_offset = 0.0f;
    c.t_scale = 1.0f / std::max(top, 1e-30f);
    c.empty_below = -FLT_MAX;
    const ImVec4 low = ImGui::ColorConvertU32ToFloat4(s.tint_low), high = ImGui::ColorConvertU32ToFloat4(s.tint_high);
    for (int i = 0; i < 5; ++i) {
      const float f = static_cast<float>(i) / 4.0f;
      c.ramp[i] = ImVec4(low.x + (high.x - low.x) * f, low.y + (high.y - low.y) * f, low.z + (high.z - low.z) * f,
                         low.w + (high.w - low.w) * f);
    }
  }
  c.empty = ImGui::ColorConvertU32ToFloat4(s.empty);
  c.padding = ImGui::ColorConvertU32ToFloat4(s.padding);
  c.padding_hatch = ImGui::ColorConvertU32ToFloat4(s.padding_hatch);
  c.grid = ImGui::ColorConvertU32ToFloat4(s.grid_line);
  c.grid_min_cell = s.grid_min_cell;
  return c;
}

void BlitCallback(const ImDrawList*, const ImDrawCmd* cmd) {
  const ImDrawData* dd = ImGui::GetDrawData();
  if (dd == nullptr || cmd->UserCallbackData == nullptr) return;
  const BlitJob& job = *static_cast<const BlitJob*>(cmd->UserCallbackData);
  const ImVec2 scale = dd->FramebufferScale;
  const int fb_h = static_cast<int>(dd->DisplaySize.y * scale.y);
  // Destination pixels of the job, clipped to the command's clip rectangle (the backend
  // does not apply it to callbacks, and a blit must not use the scissor to stay a copy).
  const int ox = static_cast<int>(std::lround((job.origin.x - dd->DisplayPos.x) * scale.x));
  const int oy = static_cast<int>(std::lround((job.origin.y - dd->DisplayPos.y) * scale.y));
  const int clip_x0 = static_cast<int>(std::ceil((cmd->ClipRect.x - dd->DisplayPos.x) * scale.x - 0.5f));
  const int clip_y0 = static_cast<int>(std::ceil((cmd->ClipRect.y - dd->DisplayPos.y) * scale.y - 0.5f));
  const int clip_x1 = static_cast<int>(std::ceil((cmd->ClipRect.z - dd->DisplayPos.x) * scale.x - 0.5f));
  const int clip_y1 = static_cast<int>(std::ceil((cmd->ClipRect.w - dd->DisplayPos.y) * scale.y - 0.5f));
  const int x0 = std::max(ox + job.src_x0, clip_x0), x1 = std::min(ox + job.src_x1, clip_x1);
  const int y0 = std::max(oy + job.src_y0, clip_y0), y1 = std::min(oy + job.src_y1, clip_y1);
  if (x0 >= x1 || y0 >= y1) return;
  GLint last_read_fbo = 0;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &last_read_fbo);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, job.fbo);
  glDisable(GL_SCISSOR_TEST);  // ResetRenderState (next in the draw list) enables it again
  // GL counts rows from the bottom, in both framebuffers.
  glBlitFramebuffer(x0 - ox, job.picture_h - (y1 - oy), x1 - ox, job.picture_h - (y0 - oy), x0, fb_h - y1, x1,
                    fb_h - y0, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(last_read_fbo));
}

}  // namespace

bool EnsureMatrixRenderer(GpuContext& gpu) { return EnsureRendererImpl(gpu.renderer()); }
bool DrawMatrixCells(GpuContext& gpu, ImDrawList* draw, const MatrixTexture& t, const ZoomView& view, const ImRect& area,
                     const MaskState& m, const MatrixStyle& s) {
  Renderer& r = gpu.renderer();
  if (!EnsureRendererImpl(r)) return false;
  ImRect rect;
  const RenderParams params = MakeParams(t, view, area, m, s, &rect);
  const int frame = ImGui::GetFrameCount();
  FreeIdlePictures(r, frame);
  Picture& picture = FindPicture(r, params, frame);
  picture.last_used_frame = frame;
  int changed[4] = {0, 0, 0, 0};
  if (!(picture.valid && SamePicture(picture.params, params)) && !RenderPicture(r, picture, params, changed)) return false;
  // The picture's pixels whose centres lie on the matrix (the rest is transparent).
  const float sx = static_cast<float>(params.pixel_w) / params.units_w;
  const float sy = static_cast<float>(params.pixel_h) / params.units_h;
  const int x0 = static_cast<int>(std::ceil(params.quad.Min.x * sx - 0.5f));
  const int x1 = static_cast<int>(std::ceil(params.quad.Max.x * sx - 0.5f));
  const int y0 = static_cast<int>(std::ceil(params.quad.Min.y * sy - 0.5f));
  const int y1 = static_cast<int>(std::ceil(params.quad.Max.y * sy - 0.5f));
  if (changed[0] < changed[2] && changed[1] < changed[3]) {
    // New pixels under an image whose vertices are unchanged: tell the window's damage
    // tracker (damage.h), or it would not redraw them.
    gpu.ReportDamage(ImVec2(rect.Min.x + static_cast<float>(changed[0]) / sx, rect.Min.y + static_cast<float>(changed[1]) / sy),
                 ImVec2(rect.Min.x + static_cast<float>(changed[2]) / sx, rect.Min.y + static_cast<float>(changed[3]) / sy));
  }
  if (x0 >= x1 || y0 >= y1) return true;
  draw->PushClipRect(area.Min, area.Max, true);
  if (TargetTakesCopies()) {
    BlitJob& job = NewBlitJob(r, frame);
    job.fbo = picture.fbo;
    job.src_x0 = x0;
    job.src_x1 = x1;
    job.src_y0 = y0;
    job.src_y1 = y1;
    job.picture_h = params.pixel_h;
    job.origin = rect.Min;
    draw->AddCallback(BlitCallback, &job);
    draw->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  } else {
    // GL textures start at the bottom row: v is flipped so the picture's top is on top.
    const ImVec2 min(rect.Min.x + static_cast<float>(x0) / sx, rect.Min.y + static_cast<float>(y0) / sy);
    const ImVec2 max(rect.Min.x + static_cast<float>(x1) / sx, rect.Min.y + static_cast<float>(y1) / sy);
    const float w = static_cast<float>(params.pixel_w), h = static_cast<float>(params.pixel_h);
    draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(picture.colour)), min, max,
                   ImVec2(static_cast<float>(x0) / w, 1.0f - static_cast<float>(y0) / h),
                   ImVec2(static_cast<float>(x1) / w, 1.0f - static_cast<float>(y1) / h));
  }
  draw->PopClipRect();
  return true;
}

void ReleaseMatrixRenderer(MatrixRenderer& r) {
  r.program.Release();
  if (r.vao != 0) glDeleteVertexArrays(1, &r.vao);
  r.vao = 0;
  for (Picture& p : r.pictures) FreePicture(p);
  r.pictures.clear();
  r.blit_jobs.clear();
  r.tried = false;
  r.error.clear();
}

long long MatrixPicturesRendered(GpuContext& gpu) { return gpu.renderer().renders; }
long long MatrixPicturesRenderedInPart(GpuContext& gpu) { return gpu.renderer().partial_renders; }
const std::string& MatrixRendererError(GpuContext& gpu) { return gpu.renderer().error; }

bool GpuMatrixDrawingAvailable() {
  // glad loaded (a context was made current) and ImGui has its OpenGL renderer: not so in
  // a headless smoke test with no window, where the views fall back to ImGui shapes.
#ifdef IM2COL_LAB_GLES
  const bool gl_loaded = true;  // the browser links GL directly; a context exists once ImGui's renderer does
#else
  const bool gl_loaded = GLAD_GL_VERSION_3_3 != 0;
#endif
  return gl_loaded && ImGui::GetCurrentContext() != nullptr &&
         ImGui::GetIO().BackendRendererUserData != nullptr;
}

}  // namespace im2col::gui
