// The operator family on the stage (stage_transposed.cpp): the transposed convolution's
// two bands, built into the conv's slots so the same placement code arranges them, and
// the band headers of grouped and transposed scenarios.
//
// Forward (transposed): x -> x_mat (C x N·L); W -> W_row (C x R); x_col = W_rowᵀ · x_mat
// (R x N·L); col2im (+=) -> output (N x F x HO x WO) with the overlap heat beside it.
// Backward: dY -> grad_x_col = im2col(dY); dX = W_row · grad_x_col; dW_row = x_mat · grad_x_colᵀ.
#pragma once

#include <imgui.h>

#include <utility>

#include "gui/stage/stage_layout.h"

namespace im2col::gui::stage {

// Slots: weights = W, w_row = W_row, input = x, x_col = x_mat, y = x_col, output = the
// output with its overlap heat. Backward: grad_weights = dW, grad_w_row = dW_row,
// grad_input = dY, grad_x_col = grad_x_col, dy_mat = dX_mat (C x N·L), grad_output = dX.
ForwardBlocks BuildTransposedForward(const Context& ctx);
BackwardBlocks BuildTransposedBackward(const Context& ctx);

// Equations and notes for groups (G GEMMs) and transposed scenarios, over the conv's.
void ApplyFamilyHeaders(const Context& ctx, Placed& p);
// The transposed bands' arrows (replacing the conv's).
void ApplyTransposedArrows(const Context& ctx, Placed& p);
// The rectangle a transposed step is about.
std::pair<ImVec2, ImVec2> TransposedFocusRect(const Context& ctx, const Placed& p);
// Values travelling at this step: col2im's scatter from x_col into the output.
void DrawTransposedFlights(const Context& ctx, ImDrawList* draw, const Placed& p);

// "kernel 3 is not a multiple of stride 2: output pixels receive 1, 2 or 4 contributions",
// from the overlap counts (empty when every pixel receives the same number).
std::string CheckerboardNote(const Shape& s, const Eigen::MatrixXi& overlap);

}  // namespace im2col::gui::stage
