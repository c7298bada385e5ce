// A panel of the shell around the stage. It draws into the current ImGui window or
// child, reads `state`, and changes it only by pushing intents (text fields of ShellUi
// excepted).
#pragma once

namespace im2col::gui {

struct AppState;

void DrawPlaybackBar(AppState& state);  // transport, speed, phases, scrubber
void HandleShortcuts(AppState& state);  // Space, Left/Right, Home/End, 1-8

}  // namespace im2col::gui
