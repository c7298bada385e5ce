// The command line: `im2col-lab` with no arguments opens the window on the chapter's
// example; subcommands (presets, compute, timeline, render, bench, code, quiz, tour) run headless.
#pragma once

#include <ostream>

namespace im2col::cli {

// Parses and runs. Bad input prints one line on stderr and returns 2 with nothing
// on stdout; nothing escapes as an exception.
int Run(int argc, const char* const* argv);

// The same with explicit streams (for tests); the window still opens on the screen.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace im2col::cli
