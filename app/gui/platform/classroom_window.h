// What the classroom features need of the desktop window: drag and drop, fullscreen,
// and exports rendered offscreen (GL). Call between frames.
#pragma once

namespace im2col::gui {

struct AppState;
class Platform;

// Files dropped on the window become ClassroomActions on `state`.
void InstallClassroomCallbacks(Platform& platform, AppState& state);
// Fullscreen toggles, PNG/GIF/PNG-sequence exports and settings saved on change.
void ProcessClassroomRequests(Platform& platform, AppState& state);

}  // namespace im2col::gui
