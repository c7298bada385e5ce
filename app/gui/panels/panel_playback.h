// A panel of the shell around the stage. It draws into the current ImGui window or
// child, reads `state`, and changes it only by pushing intents (text fields of ShellUi
// excepted).
#pragma once

#include <string>

namespace im2col::gui {

struct AppState;

void DrawPlaybackBar(AppState& state);  // transport, speed, phases, scrubber
// "step 150 of 150": counted from 1 for people (the scrubber and presentation mode's footer).
std::string StepCounterText(const AppState& state);
void HandleShortcuts(AppState& state);  // Space, Left/Right, Home/End, 1-8

}  // namespace im2col::gui
