// Internal to the GPU matrix views (matrix_view.cpp): the shader program and the cached
// picture of each view. A picture is an RGBA8 texture the size of the view's area that
// shaders/matrix.frag renders only when the view, the mask or the values change (after a
// playback step, only the cells the step changed). Every frame the picture goes into the
// framebuffer: copied with glBlitFramebuffer from an ImDrawList callback when ImGui draws
// into an offscreen framebuffer object (a plain memory copy for llvmpipe), else drawn as
// an ordinary ImGui image (a window's framebuffer).
//
// Why not an ImDrawList callback running the shader every frame: on Mesa llvmpipe (the
// target) a general fragment shader costs ~25 ns a pixel whatever it does: ~40 ms of CPU
// a frame for AlexNet's X_col, W_row and Y at 1920x1080. Measured in tests/gui/gpu.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <string>

#include "gui/gpu/matrix_mask.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/gpu/zoom_view.h"

namespace im2col::gui {

class GpuContext;
struct MatrixRenderer;

// A renderer with nothing made yet (GpuContext owns it), and the release of its GL
// objects (call while its context is current).
MatrixRenderer* NewMatrixRenderer();
void ReleaseMatrixRenderer(MatrixRenderer& renderer);

// False without a GL context and ImGui OpenGL renderer (a headless run): then uploads
// fail and the stage draws ImGui summaries instead.
bool GpuMatrixDrawingAvailable();

// Builds the shader program on first use; false (MatrixRendererError() says why) when
// it cannot, or when there is no GL renderer.
bool EnsureMatrixRenderer(GpuContext& gpu);
// Non-empty when the shader program could not be built (the message names the file);
// then the views draw a plain placeholder with the message.
const std::string& MatrixRendererError(GpuContext& gpu);
// How many pictures the shader has rendered so far (a frame that changes nothing renders none).
long long MatrixPicturesRendered(GpuContext& gpu);
// Of those, how many redrew only the cells a playback step changed.
long long MatrixPicturesRenderedInPart(GpuContext& gpu);

// Draws the cells of `texture` seen through `view` in `area` (no numbers, outlines or
// frame): renders the picture when it changed (reporting the changed pixels to
// gpu.ReportDamage), then adds it to `draw` clipped to `area`. False when the GPU path
// is unavailable.
bool DrawMatrixCells(GpuContext& gpu, ImDrawList* draw, const MatrixTexture& texture, const ZoomView& view,
                     const ImRect& area, const MaskState& mask, const MatrixStyle& style);

}  // namespace im2col::gui
