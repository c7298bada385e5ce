// The stage: the central canvas of im2col-lab. Draws the forward graph left to
// right (W -> flatten -> W_row; input + padding -> im2col -> X_col; Y = W_row . X_col;
// Y -> reshape -> output) and the backward pass mirrored below it (dY, dW_row,
// dX_col, col2im -> dX with the overlap heat), with the current step's focus,
// the transition between steps, and hover linking. Every number and highlight
// comes from state.computation / state.frame.
#pragma once

namespace im2col::gui {

struct AppState;

// Draws into the current ImGui window (the shell's centre panel), filling the
// remaining content region; scrolls when the content is larger. Hovering a cell
// pushes a SetHover intent; nothing in `state` is mutated directly.
void DrawStage(AppState& state);

// Frees the stage's GPU textures and the matrix renderer of the current GL context:
// call while the context is current, before destroying it. The stage re-creates them
// when it next draws.
void ReleaseStageGpu();

}  // namespace im2col::gui
