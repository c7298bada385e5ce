// The tour player (Back / Next over the stage), the tour recorder (over the SHAPE
// panel), the outlines of a step's pointed ids, and the classroom menu's entries for
// practice and tours.
#pragma once

#include <string>
#include <vector>

#include "gui/widgets/layout_recorder.h"

namespace im2col::gui {

struct AppState;

void DrawTourWindows(AppState& state);
// An outline in the focus colour a little outside each pointed item; cells and
// pictures are clipped to the stage, so an item scrolled away is not outlined over
// the panels around it.
void DrawPointedOutlines(const std::vector<std::string>& ids, const std::vector<LayoutItem>& items);
// Where marks over the stage may draw: the stage as laid out in `items`, less the
// practice window on its right and the tour bar along its bottom when they cover it.
// False when the stage is not in `items`.
bool StageMarkClip(const std::vector<LayoutItem>& items, ImVec2* min, ImVec2* max);
// "Practice (P)", "Tours ▸" (the shipped tours, Open tour file..., Record a tour...).
void DrawLearningMenuItems(AppState& state);

}  // namespace im2col::gui
