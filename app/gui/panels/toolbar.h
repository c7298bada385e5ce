// A panel of the shell around the stage. It draws into the current ImGui window or
// child, reads `state`, and changes it only by pushing intents (text fields of ShellUi
// excepted).
#pragma once

namespace im2col::gui {

struct AppState;

void DrawToolbar(AppState& state);
// An error status (a file that would not open, ...) under the toolbar, with OK to dismiss.
void DrawStatusToast(AppState& state, float toolbar_bottom);      // presets, files, layout/order, col2im mode, font, theme
void DrawViewToggles(AppState& state); // layout, order, col2im (in the shape panel when short)
void DrawFileDialog(AppState& state);   // the Open / Save / Export path popup

}  // namespace im2col::gui
