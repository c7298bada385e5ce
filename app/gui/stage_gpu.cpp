// The stage's zoomable GPU pictures: the cache of textures and zoom states, and the
// pieces the block builders use to describe a picture (stage_gpu.h).
#include "gui/stage_gpu.h"

#include <algorithm>
#include <map>
#include <memory>

#include "gui/layout_recorder.h"
#include "gui/stage.h"
#include "gui/stage_internal.h"
#include "gui/zoom_view.h"

namespace im2col::gui {
namespace stage {
namespace {

struct CachedView {
  MatrixTexture texture;
  ZoomView view;
  std::uint64_t failed_content = 0;  // an upload that failed is not retried every frame
};

// One cache for the process: there is one stage and one GL context at a time, and
// AppState (shared with headless code and core-free tests) holds no GL objects. Never
// destroyed at exit (its textures belong to a context that may be gone by then):
// ReleaseStageGpu() frees it while the context is alive.
struct PictureCache {
  // The computation the textures show: a weak pointer, so a new computation never passes
  // for the old one (scenario generations restart with every AppState, e.g. in tests).
  std::weak_ptr<const Computation> computation;
  std::map<std::string, CachedView> views;
};

PictureCache& Cache() {
  static PictureCache* cache = new PictureCache();
  return *cache;
}

// DrawZoomableMatrix draws into the current window's draw list: the stage's, where
// DrawGrid draws too.
bool DrawPicture(const PictureSpec& p, ImVec2 cells_min, ImVec2 cells_max, bool hover_enabled,
                 std::optional<std::pair<int, int>>* hovered) {
  if (!GpuMatrixDrawingAvailable()) return false;
  CachedView& v = Cache().views[p.view_id];
  if (v.texture.NeedsUpload(p.content)) {
    if (v.failed_content == p.content) return false;
    PlaneBuffers buffers;
    std::string error;
    if (!v.texture.Upload(p.upload(p.content, &buffers), &error)) {
      v.failed_content = p.content;
      return false;
    }
  }
  // The stage lays out the picture's box with the summary's stretched cells: fit the
  // same way, so at fit every cell is where the layout (arrows, flights) expects it.
  v.view.fit_mode = FitMode::Stretch;
  RecordItem("picture:" + p.view_id, cells_min, cells_max);  // where the GPU picture went (tests)
  const MatrixViewResult r =
      DrawZoomableMatrix(p.view_id.c_str(), v.texture, v.view, ImRect(cells_min, cells_max), p.mask, p.style,
                         p.layout_prefix.c_str());
  if (hover_enabled && r.hovered) *hovered = std::make_pair(static_cast<int>(r.hovered->row), static_cast<int>(r.hovered->col));
  return true;
}

}  // namespace

void AttachPicture(GridSpec& grid, PictureSpec picture) {
  grid.picture = [p = std::move(picture)](ImVec2 cells_min, ImVec2 cells_max, bool hover_enabled,
                                          std::optional<std::pair<int, int>>* hovered) {
    return DrawPicture(p, cells_min, cells_max, hover_enabled, hovered);
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

PictureSpec MatrixPicture(const Context& ctx, MatrixId id, ImU32 low, ImU32 high, const std::vector<CellRange>& focus) {
  PictureSpec p;
  p.view_id = ToString(id);
  p.content = ContentKey(ctx);
  const bool transposed = IsTransposedInLayout(id, ctx.layout);
  const Computation* comp = &ctx.comp;
  p.upload = [comp, id, transposed](std::uint64_t key, PlaneBuffers* buffers) {
    // X_col's (and dX_col's) padding zeros are hatched like the input's padding ring.
    if (id == MatrixId::XCol || id == MatrixId::GradXCol) buffers->padding = XColPaddingMask(*comp);
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
  return p;
}

PictureSpec PlanePicture(std::string view_id, std::uint64_t content, const Tensor4* tensor, int n, int c,
                         Pair padding, const MatrixStyle& style) {
  PictureSpec p;
  p.view_id = std::move(view_id);
  p.content = content;
  p.upload = [tensor, n, c, padding](std::uint64_t key, PlaneBuffers* buffers) {
    return PaddedPlaneUpload(*tensor, n, c, padding, key, buffers);
  };
  p.style = style;
  return p;
}

void AddPlaneLinks(const Context& ctx, int n, int c, int row_offset, int col_offset, MaskState* mask) {
  for (const SourceCoord& s : ctx.links.input_coords) {
    if (s.n == n && s.c == c) mask->linked_cells.push_back(Cell{s.y - row_offset, s.x - col_offset});
  }
  const auto& source = ctx.links.source;
  if (source && source->n == n && source->c == c) mask->hover_cell = Cell{source->y - row_offset, source->x - col_offset};
}

bool PictureMoved(const std::string& view_id) {
  const auto& views = Cache().views;
  const auto it = views.find(view_id);
  return it != views.end() && !it->second.view.follow_fit;
}

void BeginPictureFrame(const std::shared_ptr<const Computation>& computation) {
  PictureCache& cache = Cache();
  if (!cache.computation.owner_before(computation) && !computation.owner_before(cache.computation) &&
      !cache.computation.expired()) {
    return;
  }
  cache.views.clear();  // a new scenario: new values, and its views start at fit
  cache.computation = computation;
}

}  // namespace stage

void ReleaseStageGpu() {
  stage::Cache().views.clear();
  stage::Cache().computation.reset();
  ShutdownMatrixRenderer();
}

}  // namespace im2col::gui
