// The backward band (stage_backward.cpp): dY, dW_row = dY . X_col^T, dX_col = W_row^T . dY,
// col2im into dX with the overlap heat, and the values flying between them.
#pragma once

#include <imgui.h>

#include "gui/stage/stage_blocks.h"

namespace im2col::gui::stage {

struct BackwardBlocks {
  Block grad_weights, grad_w_row, grad_input, overlap, grad_x_col, dy_mat, grad_output;
  Block grad_input_right;  // overwrite (=) mode only: the right (+=) result beside the wrong one
};
BackwardBlocks BuildBackward(const Context& ctx);
void DrawBackwardFlights(const Context& ctx, ImDrawList* draw, const BackwardBlocks& b);

}  // namespace im2col::gui::stage
