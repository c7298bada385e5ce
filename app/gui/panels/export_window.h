// The Export, Code and Image tool windows (opened from the classroom menu): export the
// frame, an animation or a matrix; show generated code; load an image as the input.
#pragma once

namespace im2col::gui {

struct AppState;

void DrawExportWindow(AppState& state);
void DrawCodeWindow(AppState& state);
void DrawImageWindow(AppState& state);

}  // namespace im2col::gui
