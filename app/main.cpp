// im2col-lab: the window with no arguments, headless subcommands otherwise (see cli/cli.h).
#include "cli/cli.h"

int main(int argc, char** argv) { return im2col::cli::Run(argc, argv); }
