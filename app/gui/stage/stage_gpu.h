// The stage's large grids as zoomable GPU pictures (gpu/matrix_view.h): X_col, W_row, Y,
// dY, dW_row, dX_col and the big tensor planes. A block builder describes what a grid
// shows (PictureSpec); AttachPicture hangs it on the grid's GridSpec::picture, so
// DrawGrid draws the picture where it would draw the summary blocks and falls back to
// them when there is no GL renderer or the upload fails.
//
// The textures live in the GL context's GpuContext (one MatrixTexture per view id) and
// the user's zoom and pan in AppState::stage (one ZoomView per view id): values are uploaded when the computation (or, for
// dX and the overlap heat, the col2im progress) changes, never per frame, and only for the
// views drawn (a view scrolled out of sight is uploaded when it comes into view). A
// computation from the worker brings the matrices it shows first already packed
// (AppState::packed); textures keep their GL storage across computations, and the
// uploads of a frame happen while the stage lays out, before any picture is rendered.
// The platform's GpuContext frees the textures before the GL context goes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gui/stage/grid_view.h"
#include "gui/gpu/gpu_context.h"
#include "gui/gpu/matrix_mask.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/gpu/matrix_view.h"
#include "gui/state/app_state.h"

namespace im2col::gui::stage {

struct Context;

struct PictureSpec {
  std::string view_id;        // cache key and ImGui id: "x_col", "input[0,2]"
  std::uint64_t content = 0;  // what the values are: re-uploaded when it changes
  // The values, asked for only when `content` changes; `buffers` outlives the upload.
  std::function<MatrixUpload(std::uint64_t key, PlaneBuffers* buffers)> upload;
  MaskState mask;              // canonical indices
  MatrixStyle style;
  std::string layout_prefix;  // per-cell layout ids "<prefix>[row,col]" once zoomed in; "" = none
};

// Sets grid.picture to draw `picture` (a grid whose display rows / cols are the
// texture's displayed ones).
void AttachPicture(const Context& ctx, GridSpec& grid, PictureSpec picture);

// Content keys: the scenario alone, or the scenario and a progress counter (col2im).
std::uint64_t ContentKey(const Context& ctx, Index progress = 0);

// The picture of one of core's matrices: values uploaded once per scenario, the fill
// and focus of the timeline (MaskFor), the hover links, plus `focus` blocks (canonical).
PictureSpec MatrixPicture(const Context& ctx, MatrixId id, ImU32 low, ImU32 high, const std::vector<CellRange>& focus);

// Plane (n, c) of `tensor` inside a `padding` ring (hatched), all cells filled; the
// tensor must outlive the frame (the computation's or the frame state's).
PictureSpec PlanePicture(const Context& ctx, std::string view_id, std::uint64_t content, const Tensor4* tensor, int n, int c,
                         Pair padding, const MatrixStyle& style);

// Ranges as blocks, clipped to a rows x cols grid (a tensor plane: displayed = canonical).
std::vector<CellBlock> Blocks(const std::vector<CellRange>& ranges, int rows, int cols);

// The hovered input / dX pixels on plane (n, c) as cells of a plane whose cell (0, 0) is
// coordinate (row_offset, col_offset), and the one a hovered X_col cell copies.
void AddPlaneLinks(const Context& ctx, int n, int c, int row_offset, int col_offset, MaskState* mask);

// Whether the picture `view_id` is zoomed or panned away from its fit: its cells are
// then not where the grid's layout puts them.
bool PictureMoved(const StageMemory& memory, const std::string& view_id);

// The texture of picture `view_id` (nullptr until it is first drawn): what the GPU
// holds for it, for tests.
const MatrixTexture* PictureTexture(const GpuContext& gpu, const std::string& view_id);

// Call once a frame. When the computation changed, the zoom states start at fit and
// the textures of the views just shown wait, old values and all, to be drawn again: a
// matrix that did not change keeps its texture and picture, another of the same size
// refills it in place. Old values not drawn again are let go a frame later.
void BeginPictureFrame(GpuContext& gpu, StageMemory& memory, const std::shared_ptr<const Computation>& computation);

}  // namespace im2col::gui::stage
