// The stage's zoomable GPU pictures: the cache of textures and zoom states, and the
// pieces the block builders use to describe a picture (stage_gpu.h).
#include "gui/stage/stage_gpu.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include "gui/widgets/layout_recorder.h"
#include "gui/gpu/gpu_context.h"
#include "gui/gpu/matrix_picture.h"
#include "gui/stage/stage.h"
#include "gui/stage/stage_blocks.h"
#include "gui/gpu/zoom_view.h"

namespace im2col::gui {
namespace stage {
namespace {

// The textures live in the GL context's GpuContext (one per context, owned by the
// platform); the user's zoom and pan in AppState (StageMemory::zoom).

// False when the upload failed (then the stage draws the summary instead).
bool EnsureUploaded(GpuContext& gpu, ViewTexture& v, const PictureSpec& p) {
  // Stale: the values are the last computation's, whatever its key (content keys count
  // scenario generations, which restart with every AppState).
  if (!v.stale && !v.texture.NeedsUpload(p.content)) return true;
  if (v.failed_content == p.content) return false;
  auto buffers = std::make_shared<PlaneBuffers>();
  std::string error;
  MatrixUpload up = p.upload(p.content, buffers.get());
  // Cells copied into the buffers (a padded plane, overlap counts): the texture keeps
  // these instead of copying them once more.
  if (!up.owner && !buffers->values.empty() && up.values == buffers->values.data()) up.owner = buffers;
  // A new computation whose cells here did not change (one filter fewer leaves X_col and
  // the input as they were): no upload, and the picture already drawn stays valid.
  if (v.stale && v.texture.HoldsSameCells(up)) {
    v.texture.KeepCellsFor(up);
  } else if (!v.texture.Upload(gpu, up, &error)) {
    v.failed_content = p.content;
    return false;
  }
  if (up.in_texture) up.in_texture();  // the worker's texels for it are not needed any more
  v.stale = false;
  return true;
}

// Called while the stage lays out, before this frame renders any picture: uploads the
// values of a view drawn last frame (it most likely is again) now. The software renderer
// finishes every picture queued so far before it refills a texture, so an upload between
// two picture renders would wait for the first.
void UploadEarly(const Context& ctx, const PictureSpec& p) {
  if (ctx.gpu == nullptr || !GpuMatrixDrawingAvailable()) return;
  auto& views = ctx.gpu->view_textures().views;
  const auto it = views.find(p.view_id);
  if (it == views.end() || it->second.drawn_frame < ImGui::GetFrameCount() - 1) return;
  EnsureUploaded(*ctx.gpu, it->second, p);
}

// DrawZoomableMatrix draws into the current window's draw list: the stage's, where
// DrawGrid draws too.
bool DrawPicture(GpuContext* gpu, StageMemory* memory, const PictureSpec& p, ImVec2 cells_min, ImVec2 cells_max,
                 bool hover_enabled, std::optional<std::pair<int, int>>* hovered) {
  if (gpu == nullptr || memory == nullptr || !GpuMatrixDrawingAvailable()) return false;
  ViewTexture& v = gpu->view_textures().views[p.view_id];
  v.shown = true;
  v.drawn_frame = ImGui::GetFrameCount();
  if (!EnsureUploaded(*gpu, v, p)) return false;
  ZoomView& view = memory->zoom[p.view_id];
  // The stage lays out the picture's box with the summary's stretched cells: fit the
  // same way, so at fit every cell is where the layout (arrows, flights) expects it.
  view.fit_mode = FitMode::Stretch;
  const ImRect area(cells_min, cells_max);
  if (memory->follow && !view.follow_fit && view.cell_w > 0.0f && view.cell_h > 0.0f) {
    // Zoomed in while the camera follows: keep the step's cell (or column) in the middle.
    const CellPoint centre = ScreenToCell(view, area.GetCenter(), area);
    std::optional<CellPoint> at;
    if (p.mask.focus_cell) {
      const CellRef d = v.texture.Displayed(*p.mask.focus_cell);
      at = CellPoint{static_cast<double>(d.col) + 0.5, static_cast<double>(d.row) + 0.5};
    } else if (p.mask.focus_column) {
      const CellRef d = v.texture.Displayed(Cell{0, *p.mask.focus_column});
      at = v.texture.transposed() ? CellPoint{centre.col, static_cast<double>(d.row) + 0.5}
                                  : CellPoint{static_cast<double>(d.col) + 0.5, centre.row};
    }
    if (at) CentreOn(view, *at, area);
  }
  RecordItem("picture:" + p.view_id, cells_min, cells_max);  // where the GPU picture went (tests)
  const MatrixViewResult r =
      DrawZoomableMatrix(*gpu, p.view_id.c_str(), v.texture, view, ImRect(cells_min, cells_max), p.mask, p.style,
                         p.layout_prefix.c_str());
  if (r.view_changed) memory->follow = false;  // zoomed or panned by hand: the camera stops
  if (hover_enabled && r.hovered) *hovered = std::make_pair(static_cast<int>(r.hovered->row), static_cast<int>(r.hovered->col));
  return true;
}

}  // namespace

void AttachPicture(const Context& ctx, GridSpec& grid, PictureSpec picture) {
  grid.picture = [gpu = ctx.gpu, memory = ctx.memory, p = std::move(picture)](
                     ImVec2 cells_min, ImVec2 cells_max, bool hover_enabled,
                     std::optional<std::pair<int, int>>* hovered) {
    return DrawPicture(gpu, memory, p, cells_min, cells_max, hover_enabled, hovered);
  };
}

std::uint64_t ContentKey(const Context& ctx, Index progress) {
  // Distinct for every (scenario, progress); 0 is never a key.
  return (static_cast<std::uint64_t>(ctx.state.scenario_generation + 1) << 32) + static_cast<std::uint64_t>(progress) + 1;
}

std::vector<CellBlock> Blocks(const std::vector<CellRange>& ranges, int rows, int cols) {
  std::vector<CellBlock> blocks;
  for (CellRange r : ranges) {
    r.row0 = std::max(r.row0, 0);  // a receptive field may reach into padding the plane does not show
    r.col0 = std::max(r.col0, 0);
    r.row1 = std::min(r.row1, rows - 1);
    r.col1 = std::min(r.col1, cols - 1);
    if (r.row0 > r.row1 || r.col0 > r.col1) continue;
    blocks.push_back(CellBlock{Cell{r.row0, r.col0}, Cell{r.row1, r.col1}});
  }
  return blocks;
}

// The shown computation's matrices for the textures: packed on the worker with it
// (AppState::packed), or made here on first use. Null when the stage draws a
// computation the state does not own (then the upload copies the values).
std::shared_ptr<const PackedMatrices> PackedFor(const Context& ctx) {
  const AppState& state = ctx.state;
  if (state.computation.get() != &ctx.comp) return nullptr;
  if (state.packed && state.packed->computation == state.computation) return state.packed;
  if (ctx.gpu == nullptr) return nullptr;
  ViewTextures& cache = ctx.gpu->view_textures();
  if (!cache.packed || cache.packed->computation != state.computation) {
    cache.packed = PackMatrices(state.computation, {});  // X_col's padding flags only
  }
  return cache.packed;
}

PictureSpec MatrixPicture(const Context& ctx, MatrixId id, ImU32 low, ImU32 high, const std::vector<CellRange>& focus) {
  PictureSpec p;
  p.view_id = ToString(id);
  p.content = ContentKey(ctx);
  const bool transposed = IsTransposedInLayout(id, ctx.layout);
  const Computation* comp = &ctx.comp;
  p.upload = [comp, id, transposed, packed = PackedFor(ctx)](std::uint64_t key, PlaneBuffers* buffers) {
    // Texels packed off the UI thread when the worker did, and no copy of the values.
    if (packed) return PackedMatrices::UploadFor(packed, id, transposed, key);
    // X_col's (and dX_col's) padding zeros are hatched like the input's padding ring.
    if (HasPatchRows(id)) buffers->padding = XColPaddingMask(*comp);
    return MatrixUpload::FromMatrix(CanonicalMatrix(*comp, id), transposed, key,
                                    buffers->padding.empty() ? nullptr : &buffers->padding);
  };
  p.mask = MaskFor(id, ctx.frame, ctx.shape, ctx.animating ? ctx.transition : 1.0f);
  AddHoverLinks(p.mask, id, ctx.links);
  const Matrix& m = CanonicalMatrix(ctx.comp, id);
  // The stage's own focus ranges too (e.g. all of W_row while dX_col is computed).
  for (const CellBlock& b : Blocks(focus, static_cast<int>(m.rows()), static_cast<int>(m.cols()))) {
    p.mask.focus_blocks.push_back(b);
  }
  p.style = MatrixStyle::Tinted(low, high);
  p.layout_prefix = p.view_id;  // core's names are the stage's layout ids: x_col[a,b], ...
  UploadEarly(ctx, p);
  return p;
}

namespace {

// The state's computation when `tensor` is one of its members: it keeps the cells alive
// for a texture that refers to them. Null for other tensors (a frame state's running
// sums change with the step): those are copied.
std::shared_ptr<const void> ComputationHolding(const Context& ctx, const Tensor4* tensor) {
  const std::shared_ptr<const Computation>& computation = ctx.state.computation;
  if (computation.get() != &ctx.comp) return nullptr;
  const auto* at = reinterpret_cast<const char*>(tensor);
  const auto* begin = reinterpret_cast<const char*>(computation.get());
  const std::less_equal<const char*> not_after;
  const std::less<const char*> before;
  return not_after(begin, at) && before(at, begin + sizeof(Computation)) ? computation : nullptr;
}

}  // namespace

PictureSpec PlanePicture(const Context& ctx, std::string view_id, std::uint64_t content, const Tensor4* tensor, int n, int c,
                         Pair padding, const MatrixStyle& style) {
  PictureSpec p;
  p.view_id = std::move(view_id);
  p.content = content;
  p.upload = [tensor, n, c, padding, owner = ComputationHolding(ctx, tensor)](std::uint64_t key,
                                                                           PlaneBuffers* buffers) {
    return PaddedPlaneUpload(*tensor, n, c, padding, key, buffers, owner);
  };
  p.style = style;
  UploadEarly(ctx, p);
  return p;
}

void AddPlaneLinks(const Context& ctx, int n, int c, int row_offset, int col_offset, MaskState* mask) {
  for (const SourceCoord& s : ctx.links.input_coords) {
    if (s.n == n && s.c == c) mask->linked_cells.push_back(Cell{s.y - row_offset, s.x - col_offset});
  }
  const auto& source = ctx.links.source;
  if (source && source->n == n && source->c == c) mask->hover_cell = Cell{source->y - row_offset, source->x - col_offset};
}

const MatrixTexture* PictureTexture(const GpuContext& gpu, const std::string& view_id) {
  const auto& views = gpu.view_textures().views;
  const auto it = views.find(view_id);
  return it == views.end() ? nullptr : &it->second.texture;
}

bool PictureMoved(const StageMemory& memory, const std::string& view_id) {
  const auto it = memory.zoom.find(view_id);
  return it != memory.zoom.end() && !it->second.follow_fit;
}

void BeginPictureFrame(GpuContext& gpu, StageMemory& memory, const std::shared_ptr<const Computation>& computation) {
  ViewTextures& cache = gpu.view_textures();
  // Old values of views not drawn in the last frame: let the replaced computation go.
  for (auto& [id, v] : cache.views) {
    if (v.stale && v.drawn_frame < ImGui::GetFrameCount() - 1) {
      v.texture.ForgetValues();
      v.stale = false;
    }
  }
  if (!cache.computation.owner_before(computation) && !computation.owner_before(cache.computation) &&
      !cache.computation.expired()) {
    return;
  }
  // A new scenario: new values, and every view starts at fit. The views shown with the
  // last computation keep their textures: a matrix that did not change is kept as it is,
  // one of the same size is refilled in place. Views not shown since the last change go.
  memory.zoom.clear();
  for (auto it = cache.views.begin(); it != cache.views.end();) {
    ViewTexture& v = it->second;
    if (!v.shown) {
      it = cache.views.erase(it);
      continue;
    }
    v.failed_content = 0;
    v.shown = false;
    v.stale = true;
    ++it;
  }
  cache.packed.reset();
  cache.computation = computation;
}

}  // namespace stage

}  // namespace im2col::gui
