// The command line: `im2col-lab` with no arguments opens the window on the chapter's
// example; subcommands (presets, compute, timeline, render, bench, code, quiz, tour) run headless.
#pragma once

#include <functional>
#include <ostream>

#include "im2col/scenario.h"

namespace im2col::cli {

// Parses and runs. Bad input prints one line on stderr and returns 2 with nothing
// on stdout; nothing escapes as an exception.
int Run(int argc, const char* const* argv);

// The same with explicit streams (for tests); the window still opens on the screen.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// What opens the window: the scenario, and whether the command line asked for it (a
// preset, a file, a shape flag -- even one that equals the default), in which case the
// last session's scenario is not restored. gui::RunApp in the program; tests pass their own.
using WindowEntry = std::function<int(const Scenario& scenario, bool scenario_requested)>;
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const WindowEntry& window);

}  // namespace im2col::cli
