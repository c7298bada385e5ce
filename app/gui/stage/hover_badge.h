// The hover badge (hover_badge.cpp): what the pointer is over and its value, drawn
// beside the cell, never over it, and over none of the cells it links to when there is
// room (they are what the badge talks about).
#pragma once

#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

#include "gui/stage/grid_view.h"
#include "gui/state/hover.h"

namespace im2col::gui::stage {

using Rect = std::pair<ImVec2, ImVec2>;  // min, max on screen (as stage_camera.h)

// "x[0,0,1,1] = 6  → 4 X_col cells": the cell as displayed, its value in the cells' own
// number format (as the step labels write it), and what a conv input pixel is copied to.
std::string HoverBadgeText(const Computation& c, const HoverTarget& target);

// Top-left of a badge of `size` beside `cell`, moved inside `clip`: of above-right,
// below-right, above-left, below-left, right, left, above and below, the first that
// covers neither `cell` nor any of `avoid`; else the one covering least of `avoid` but not
// `cell`; else (no room beside the cell at all) above-right.
ImVec2 PlaceBadge(ImVec2 size, const Rect& cell, const std::vector<Rect>& avoid, const Rect& clip, float gap);

// Draws the badge placed by PlaceBadge inside the draw list's clip rectangle and records
// it (and the hovered cell) for the layout tests: "stage:hover_badge", "stage:hover_cell".
void DrawHoverBadge(ImDrawList* draw, const GridStyle& style, const std::string& text, const Rect& cell,
                    const std::vector<Rect>& avoid);

}  // namespace im2col::gui::stage
