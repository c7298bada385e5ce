// A panel of the shell around the stage. It draws into the current ImGui window or
// child, reads `state`, and changes it only by pushing intents (text fields of ShellUi
// excepted).
#pragma once

namespace im2col::gui {

struct AppState;

void DrawShapePanel(AppState& state);   // N C H W F K S P D, fills, formulas, sizes, errors

}  // namespace im2col::gui
