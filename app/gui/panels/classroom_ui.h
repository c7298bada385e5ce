// The classroom's part of the frame: keys (F1 F5 F11 Esc, Ctrl + / - / 0, Ctrl+O / S),
// the popups and tool windows, the presentation frame and the cell editor.
#pragma once

namespace im2col::gui {

struct AppState;
class GpuContext;

void HandleClassroomShortcuts(AppState& state);
void DrawClassroomWindows(AppState& state);  // inside the main window, like DrawFileDialog
void DrawClassroomMenuButton(AppState& state);
float ClassroomMenuButtonWidth();
// The whole window in presentation mode (F5): the stage large, the step below it.
void DrawPresentationFrame(AppState& state, GpuContext* gpu);
// The double-clicked cell opens the value popup (stage hover says which cell).
void HandleCellDoubleClick(AppState& state);

}  // namespace im2col::gui
