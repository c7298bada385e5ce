// Entry point of the window (implemented by the GUI; declared here so the command
// line can open it). Returns the process exit status.
#pragma once

#include "im2col/scenario.h"

namespace im2col::gui {

// `scenario_requested`: the command line asked for `scenario` (a preset, a file or a
// shape flag), so the last session's scenario is not restored, even when the asked-for
// one equals the default.
int RunApp(const Scenario& scenario, bool scenario_requested);

}  // namespace im2col::gui
