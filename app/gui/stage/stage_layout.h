// Placing both bands on the canvas (stage_layout.cpp): which arrangement fits, where the
// arrows go, and the rectangle the current step is about.
#pragma once

#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

#include "gui/stage/stage_backward.h"
#include "gui/stage/stage_forward.h"

namespace im2col::gui::stage {

struct Arrow {
  float x0, x1, y;  // horizontal: from x0 to x1 at y; vertical: from y = x0 to y = x1 at x = y
  std::string label;
  bool active;
  bool vertical = false;
};

struct Placed {
  ForwardBlocks fwd;
  BackwardBlocks bwd;
  ImVec2 content{0, 0};
  float fwd_top = 0, fwd_bottom = 0, bwd_top = 0, bwd_bottom = 0;
  float fwd_header_h = 0, bwd_header_h = 0;
  std::string fwd_equation, fwd_note, bwd_equation, bwd_note;
  float note_wrap = 0;  // the notes wrap at this width (the visible stage)
  std::vector<Arrow> arrows;
  bool tensors_below = false;  // rows layout, narrow: output / dY under Y^T / dY^T
};

// Builds every block at the context's style and places them: the first arrangement
// that fits `max_width`, else the narrowest. Coordinates are relative to the canvas.
// With `line_up`, matrices whose columns (or rows) line up in the bands share cell and
// label widths; blocks shown side by side instead (PlaceFocused) each take their own,
// so the step's operands fit narrower views.
Placed BuildAndPlace(Context& ctx, float max_width, bool line_up = true);
std::vector<Block*> AllBlocks(Placed& placed);
// The rectangle the current step is about (kept in view when the step changes).
std::pair<ImVec2, ImVec2> FocusRect(const Context& ctx, const Placed& placed);

}  // namespace im2col::gui::stage
