// The stage: the central canvas of im2col-lab. Draws the forward graph left to
// right (W -> flatten -> W_row; input + padding -> im2col -> X_col; Y = W_row . X_col;
// Y -> reshape -> output) and the backward pass mirrored below it (dY, dW_row,
// dX_col, col2im -> dX with the overlap heat), with the current step's focus,
// the transition between steps, and hover linking. Every number and highlight
// comes from state.computation / state.frame.
#pragma once

namespace im2col::gui {

struct AppState;
class GpuContext;

// Draws into the current ImGui window (the shell's centre panel), filling the
// remaining content region; scrolls when the content is larger. Large matrices are
// GPU pictures from `gpu` (null: no GL, ImGui summaries instead). Hovering a cell
// pushes a SetHover intent; nothing in `state` is mutated directly but the stage's
// own memory (state.stage: zoom and pan, number widths).
void DrawStage(AppState& state, GpuContext* gpu);

}  // namespace im2col::gui
