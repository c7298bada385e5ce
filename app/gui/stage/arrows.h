// Drawing helpers of the stage (arrows.cpp): labelled arrows, flying values.
#pragma once

#include <imgui.h>

#include <string>
#include <utility>

#include "gui/stage/grid_view.h"

namespace im2col::gui::stage {

// A horizontal arrow from x0 to x1 at height y (pointing toward x1) with a label above.
void DrawArrow(ImDrawList* draw, const GridStyle& style, float x0, float x1, float y, const std::string& label,
               ImU32 color);
float ArrowGapFor(const GridStyle& style, const std::string& label);
// A vertical arrow from y0 to y1 at x (pointing toward y1), its label to the right.
void DrawVerticalArrow(ImDrawList* draw, const GridStyle& style, float y0, float y1, float x, const std::string& label,
                       ImU32 color);
// A value travelling from one cell to another: the moving cell at progress t in 0..1.
void DrawFlight(ImDrawList* draw, const GridStyle& style, std::pair<ImVec2, ImVec2> from,
                std::pair<ImVec2, ImVec2> to, float t, ImU32 fill, const std::string& text);

}  // namespace im2col::gui::stage
