// What every part of the stage reads for one frame: the computation, the frame state,
// the hover links, the style and the GPU context (built once per DrawStage, stage.cpp).
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gui/gpu/gpu_context.h"
#include "gui/stage/grid_view.h"
#include "gui/state/app_state.h"
#include "gui/state/hover.h"
#include "gui/widgets/theme.h"

namespace im2col::gui::stage {

// Everything a block builder needs for one frame. Built once per DrawStage.
struct Context {
  Context(const AppState& state_, const Computation& comp_, const FrameState& frame_, HoverLinks links_)
      : state(state_), comp(comp_), frame(frame_), shape(comp_.shape), layout(comp_.scenario.layout),
        order(comp_.scenario.order), palette(ActivePalette()), links(std::move(links_)), phase(frame_.step.phase) {}
  const AppState& state;
  const Computation& comp;
  const FrameState& frame;
  const Shape& shape;
  Layout layout;
  Order order;
  const Palette& palette;
  HoverLinks links;
  Phase phase;
  // 0..1 progress of the transition into this step, eased; 1 when not moving
  // forward by one step (jumps and steps back show the state at once).
  float transition = 1.0f;
  bool animating = false;  // transition < 1
  // X_col too big to draw cell by cell: tensors are summarised early and fewer
  // slices are shown, so the stage stays an overview.
  bool large = false;
  // Summarised grids are drawn as zoomable GPU pictures (stage_gpu.h).
  bool pictures = false;
  GridStyle style;
  // Receptive field of the focus column (core's SourceOf for every row r).
  std::vector<SourceCoord> focus_window;
  int window_y0 = 0, window_y1 = -1, window_x0 = 0, window_x1 = -1;  // its bounding box (quick reject)
  // Extract phase: the input coordinate copied at this step (may be padding).
  std::optional<SourceCoord> extract_source;
  // The (n, f) map being written in reshape / grad-output (last map counted done).
  int focus_map_n = -1, focus_map_f = -1;
  // Matrices that line up share cell and label widths (0: each measures its own).
  // Forward: X_col with Y (columns) or W_row with X_row (rows); backward likewise.
  float shared_cell_w = 0.0f, shared_cell_w_bwd = 0.0f, shared_label_w = 0.0f;
  // Longest number text of each array, so cell widths do not change with the step.
  using Longest = NumberWidths;
  Longest longest;
  // The GL context's textures and renderer; null without GL (summaries instead).
  GpuContext* gpu = nullptr;
  // The user's zoom and pan per picture (AppState::stage), changed by the pictures.
  StageMemory* memory = nullptr;
};

// True while the timeline is in phase `p`.
inline bool Is(const Context& ctx, Phase p) { return ctx.phase == p; }

}  // namespace im2col::gui::stage
