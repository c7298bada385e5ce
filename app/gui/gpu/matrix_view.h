// Large matrices drawn on the GPU, the calls a view makes: the cells as a cached
// picture (matrix_picture.h), then numbers of visible cells once they are big enough,
// hover/link outlines, the zoom controls and minimap, and the hovered cell. AlexNet's
// X_col (363 x 3025 = 1.1 M cells) costs one image.
//
// How the stage uses it for one matrix (it keeps the texture in GpuContext and the
// ZoomView in AppState):
//
//   MaskState mask = MaskFor(MatrixId::XCol, state.frame, c.shape, state.playback.transition);
//   AddHoverLinks(mask, MatrixId::XCol, LinksOf(c, state.hover));
//   MatrixViewResult r = DrawZoomableMatrix(gpu, "##x_col", texture, view, area, mask,
//                                           MatrixStyle::Tinted(p.input_tint, p.input), "x_col");
//   if (r.hovered) { const Cell cell = texture.Canonical(*r.hovered); ... }
//
// Without a GL renderer (a headless smoke test) the stage draws ImGui summaries instead.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <optional>

#include "gui/gpu/matrix_mask.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/gpu/zoom_view.h"

namespace im2col::gui {

class GpuContext;

// ---------------------------------------------------------------------------------
// [SECTION] Drawing
// ---------------------------------------------------------------------------------

// Draws the matrix's cells as seen through `view` in `area`: a shader renders them into a
// cached picture when the view, the mask or the values changed (not every frame), and
// the picture goes into the draw list as an image clipped to `area`. Then the numbers of
// visible cells once they are at least
// style.number_min_cell on screen, the linked-cell outlines, a frame, and records
// visible cells of at least 4 px as "<layout_prefix>[row,col]" (displayed indices)
// while a layout recording runs (layout_prefix may be empty). Call SyncZoomView (or
// HandleZoomInput) for the view first in the frame.
void DrawMatrixTexture(GpuContext& gpu, ImDrawList* draw, const MatrixTexture& texture, const ZoomView& view, const ImRect& area,
                       const MaskState& mask, const MatrixStyle& style, const char* layout_prefix = "");

// The displayed cell under the mouse (io.MousePos) when it is inside `area` on the
// matrix and not on the zoom controls; nullopt otherwise. `enabled` false: nullopt.
std::optional<CellRef> HoveredCell(const MatrixTexture& texture, const ZoomView& view, const ImRect& area,
                                   bool enabled = true);

struct MatrixViewResult {
  std::optional<CellRef> hovered;  // displayed indices; texture.Canonical(*hovered) for core
  bool area_hovered = false;
  bool view_changed = false;       // zoomed or panned this frame
};
// All of it for one matrix: HandleZoomInput (an ImGui item named `id`), DrawMatrixTexture,
// the minimap picture and DrawZoomControls, and the hovered cell. Inside an ImGui window.
MatrixViewResult DrawZoomableMatrix(GpuContext& gpu, const char* id, const MatrixTexture& texture, ZoomView& view,
                                    const ImRect& area, const MaskState& mask, const MatrixStyle& style,
                                    const char* layout_prefix = "");

}  // namespace im2col::gui
