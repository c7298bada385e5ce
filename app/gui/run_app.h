// Entry point of the window (implemented by the GUI; declared here so the command
// line can open it). Returns the process exit status.
#pragma once

#include <string>

#include "im2col/scenario.h"

namespace im2col::gui {

// `scenario_requested`: the command line asked for `scenario` (a preset, a file or a
// shape flag), so the last session's scenario is not restored, even when the asked-for
// one equals the default.
int RunApp(const Scenario& scenario, bool scenario_requested);

// The window on a link's view (`--link '#preset=padding1&step=12'`, the same hash the
// browser's address shows): its scenario at its step. A bad link opens the chapter's
// example with the link's message in the status line.
int RunAppOnLink(const std::string& hash);

}  // namespace im2col::gui
