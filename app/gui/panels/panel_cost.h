// A panel of the shell around the stage. It draws into the current ImGui window or
// child, reads `state`, and changes it only by pushing intents (text fields of ShellUi
// excepted).
#pragma once

namespace im2col::gui {

struct AppState;

void DrawCostSection(AppState& state); // FLOPs, X_col memory, measured loops vs im2col

}  // namespace im2col::gui
