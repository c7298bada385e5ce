// A panel of the shell around the stage. It draws into the current ImGui window or
// child, reads `state`, and changes it only by pushing intents (text fields of ShellUi
// excepted).
#pragma once

#include <string>

#include "im2col/shape.h"
#include "im2col/indexing.h"

namespace im2col::gui {

struct AppState;

void DrawStepPanel(AppState& state);    // explanation, dot product, hover inspector, legend

// tensor[n,c,y,x] with all four indices, batch 1 too: the step labels' notation.
std::string PixelName(const char* tensor, const Pixel& p);
// The pixel whose running sum col2im shows: dX[...] for the conv, out[...] (its output, as
// the hover names it) for the transposed conv.
std::string Col2ImTargetName(const Shape& s, const Pixel& p);

}  // namespace im2col::gui
