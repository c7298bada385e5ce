// "Copy link to this view": the hash that reopens the scenario at this step (the same
// form the browser's address shows) goes to the clipboard, and the status line says so.
#pragma once

namespace im2col::gui {

struct AppState;

void CopyLinkToView(AppState& state);

}  // namespace im2col::gui
