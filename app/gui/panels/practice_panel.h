// Practice mode's window (P) and the marks it draws over the stage, and the frame hooks
// practice and tours share: the live layout the marks are placed from, the keys, the
// clicks on stage cells.
#pragma once

namespace im2col::gui {

struct AppState;

// At the start of a frame: keeps this frame's layout when marks need it, and turns
// keys (P, N, Enter, D, arrows; PageUp / PageDown for tours) and clicks on stage cells
// into practice and tour intents.
void BeginLearningFrame(AppState& state);
// At the end of a frame: the practice window, the tour player, and the marks on the
// stage (the tour's pointed ids; practice's right, wrong and missed cells).
void DrawLearningWindows(AppState& state);

}  // namespace im2col::gui
