// Entry point of the window (implemented by the GUI; declared here so the command
// line can open it). Returns the process exit status.
#pragma once

#include "im2col/scenario.h"

namespace im2col::gui {

int RunApp(const Scenario& scenario);

}  // namespace im2col::gui
