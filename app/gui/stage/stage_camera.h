// The camera that follows the lesson. For every step the stage knows which blocks take
// part — the operands and the result of the phase (extract: input and X_col; multiply:
// W_row row f, X_col column j and Y[f, j]; dW: dY, X_col and dW_row; col2im: dX_col and
// dX, ...) — and keeps them in view at any window size: the density (cell and text size)
// is the largest at which they fit, and the view is centred on them. The "focused"
// arrangement (presentation mode, or Fit phase) shows only those blocks, side by side.
// While the user has scrolled, panned or zoomed by hand the camera stays put until
// Follow is switched on again (button or F).
#pragma once

#include <imgui.h>

#include <optional>
#include <utility>
#include <vector>

#include "gui/stage/stage_layout.h"

namespace im2col::gui::stage {

using Rect = std::pair<ImVec2, ImVec2>;  // min, max (canvas coordinates)

// A block that takes part in the current step and the part of it the step is about.
struct ActivePart {
  Block* block = nullptr;
  std::optional<Rect> focus;  // the cell / row / column in focus, when the block has one
  bool result = false;        // the block the step writes into
  bool context = false;       // shown beside the others (the overlap heat), never a reason to scroll
  bool moving = false;        // what the step moves (col2im's dX_col column): kept in view first
};

// The blocks of the current phase, operands first, the result last.
std::vector<ActivePart> ActiveParts(const Context& ctx, Placed& placed);

// Bounding boxes: of the whole active blocks, and of their focus (context parts left out).
Rect UnionOfBlocks(const std::vector<ActivePart>& parts);
Rect UnionOfFocus(const std::vector<ActivePart>& parts);

// Re-places only the active blocks in one row (cells' first rows lined up) from the
// canvas origin, with the phase's operation on the arrows between them, and sets
// placed.content to that row. The other blocks are not drawn in this arrangement.
// Folded (for a row too wide for the screen): the tallest block alone, the others stacked
// in a column beside it, the arrow running between the two into the result.
void PlaceFocused(const Context& ctx, Placed& placed, std::vector<ActivePart>& parts, bool folded = false);

// The operation label of the current phase ("im2col", "× W_row", "col2im (+=)", ...).
std::string PhaseOperation(const Context& ctx);

// The focus (else the block) of what the step moves, else of the part it writes into.
Rect ResultFocus(const std::vector<ActivePart>& parts);

// The scroll that centres `target` (the active blocks) in a view of `view` size over
// content of `content` size, clamped to what can be scrolled. When the target is larger
// than the view, as much of its start (titles, labels) is shown as keeps `keep` (every
// focus) in view; when that is larger too, `must` (the result's focus) stays in view
// with as much of the other focus as fits; failing that, must's leading edge wins.
ImVec2 CameraScroll(Rect target, Rect keep, Rect must, ImVec2 view, ImVec2 content);

}  // namespace im2col::gui::stage
