// The forward band (stage_forward.cpp): W -> W_row, input -> X_col, Y = W_row . X_col,
// Y -> output, and the values flying between them.
#pragma once

#include <imgui.h>

#include "gui/stage/stage_blocks.h"

namespace im2col::gui::stage {

struct ForwardBlocks {
  Block weights, w_row, input, x_col, y, output;
};
ForwardBlocks BuildForward(const Context& ctx);
void DrawForwardFlights(const Context& ctx, ImDrawList* draw, const ForwardBlocks& b);

}  // namespace im2col::gui::stage
