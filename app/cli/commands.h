// The subcommands of im2col-lab and what they share. Each subcommand lives in its own
// file and registers itself with one Add*Command(app, sink) function; cli.cpp parses
// the command line and then runs the action of the subcommand the user chose.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "im2col/scenario.h"
#include "io/scenario_args.h"

namespace CLI {
class App;
}

namespace im2col::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // could not finish: a file not writable, no display
inline constexpr int kExitUsage = 2;    // bad input: flags, files, shapes (nothing was written)

// Where a command prints: stdout for results, stderr for messages.
struct CommandStreams {
  std::ostream& out;
  std::ostream& err;
};

// What a subcommand does once its flags are parsed; returns the exit status.
using CommandAction = std::function<int(CommandStreams&)>;

// Collects every subcommand's action so Run() can call the chosen one after parsing.
// Actions usually capture a std::shared_ptr to their options struct, which CLI11
// fills during parsing.
class CommandSink {
 public:
  void Add(CLI::App* subcommand, CommandAction action);
  // The action of the subcommand that was parsed, or nullptr if none was given.
  const CommandAction* Chosen() const;

 private:
  std::vector<std::pair<CLI::App*, CommandAction>> commands_;
};

// Prints "error: <message>" as one line on err and returns kExitUsage.
int UsageError(CommandStreams& io, const std::string& message);

// The scenario chosen by the shared selectors, or nullopt after printing the error
// (the caller then returns kExitUsage, with nothing on stdout).
std::optional<Scenario> ResolveOrReport(const io::ScenarioOptions& options, CommandStreams& io);

// One function per subcommand; each adds itself to `app` and its action to `sink`.
void AddPresetsCommand(CLI::App& app, CommandSink& sink);   // presets_command.cpp
void AddComputeCommand(CLI::App& app, CommandSink& sink);   // compute_command.cpp
void AddTimelineCommand(CLI::App& app, CommandSink& sink);  // timeline_command.cpp
void AddRenderCommand(CLI::App& app, CommandSink& sink);    // render_command.cpp
void AddBenchCommand(CLI::App& app, CommandSink& sink);     // bench_command.cpp
void AddCodeCommand(CLI::App& app, CommandSink& sink);      // code_command.cpp
void AddQuizCommand(CLI::App& app, CommandSink& sink);      // quiz_command.cpp
void AddTourCommand(CLI::App& app, CommandSink& sink);      // tour_command.cpp

}  // namespace im2col::cli
