#include "gui/panels/copy_link.h"

#include <imgui.h>

#include <string>

#include "gui/state/app_state.h"
#include "io/link_hash.h"

namespace im2col::gui {

// ImGui's clipboard is the platform's: the desktop's through GLFW; in the browser the
// page puts its own address in front of the hash.
void CopyLinkToView(AppState& state) {
  std::string note;
  const std::string hash = io::LinkHashFor(state.scenario, state.ui.preset_name, state.playback.step, &note);
  ImGui::SetClipboardText(hash.c_str());
  state.status = note.empty() ? "link copied: " + hash : "link copied: " + hash + " (" + note + ")";
  state.status_is_error = false;
}

}  // namespace im2col::gui
