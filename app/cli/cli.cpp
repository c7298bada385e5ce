#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <memory>
#include <new>

#include "cli/commands.h"
#include "gui/run_app.h"
#include "io/assets.h"

namespace im2col::cli {

// [SECTION] Shared pieces of every command ---------------------------------------

void CommandSink::Add(CLI::App* subcommand, CommandAction action) {
  commands_.emplace_back(subcommand, std::move(action));
}

const CommandAction* CommandSink::Chosen() const {
  for (const auto& [subcommand, action] : commands_) {
    if (subcommand->parsed()) return &action;
  }
  return nullptr;
}

int UsageError(CommandStreams& io, const std::string& message) {
  io.err << "error: " << message << "\n";
  io.err.flush();
  return kExitUsage;
}

std::optional<Scenario> ResolveOrReport(const io::ScenarioOptions& options, CommandStreams& io) {
  io::ScenarioResolution resolved = io::ResolveScenario(options);
  if (!resolved.ok()) {
    UsageError(io, resolved.error);
    return std::nullopt;
  }
  return std::move(resolved.scenario);
}

// [SECTION] Parsing and dispatch ----------------------------------------------------

namespace {

bool AnySelector(const io::ScenarioOptions& o) {
  return o.preset || o.scenario_file || o.AnyShapeFlag() || o.layout || o.order || o.fill || o.grad_fill || o.seed;
}

// One line, whatever CLI11 had to say ("The following arguments were not expected: --x").
std::string OneLine(std::string text) {
  for (char& ch : text) {
    if (ch == '\n') ch = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

int RunOrThrow(int argc, const char* const* argv, CommandStreams& io, const WindowEntry& window) {
  CLI::App app{"im2col-lab: watch a convolution become one matrix multiplication (im2col -> GEMM -> col2im).\n"
               "With no subcommand it opens the window; scenario flags choose what it opens on.",
               "im2col-lab"};
  app.set_version_flag("--version", io::ProgramVersion());
  app.require_subcommand(0, 1);

  // Without a subcommand the window opens, on the chapter's example or on these selectors.
  io::ScenarioOptions window_options;
  io::AddScenarioOptions(app, window_options);
  std::optional<std::string> link;
  app.add_option_function<std::string>(
         "--link", [&link](const std::string& value) { link = value; },
         "Open the window on a link's view, e.g. '#preset=alexnet-conv1&step=40' (the web page's address hash)")
      ->type_name("HASH");

  CommandSink sink;
  AddPresetsCommand(app, sink);
  AddComputeCommand(app, sink);
  AddTimelineCommand(app, sink);
  AddRenderCommand(app, sink);
  AddBenchCommand(app, sink);
  AddCodeCommand(app, sink);
  AddQuizCommand(app, sink);
  AddTourCommand(app, sink);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::ParseError& e) {
    return UsageError(io, OneLine(e.what()));
  }

  const CommandAction* action = sink.Chosen();
  if (action != nullptr) {
    if (AnySelector(window_options)) {
      return UsageError(io, "scenario flags go after the subcommand, e.g. im2col-lab compute --kernel 3");
    }
    if (link) return UsageError(io, "--link: opens the window; it takes no subcommand");
    return (*action)(io);
  }
  if (link) {
    if (AnySelector(window_options)) {
      return UsageError(io, "--link: opens the window on the link's view alone (no scenario flags beside it)");
    }
    return gui::RunAppOnLink(*link);
  }
  const auto scenario = ResolveOrReport(window_options, io);
  if (!scenario) return kExitUsage;
  return window(*scenario, /*scenario_requested=*/AnySelector(window_options));
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  return Run(argc, argv, out, err, [](const Scenario& scenario, bool requested) { return gui::RunApp(scenario, requested); });
}

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const WindowEntry& window) {
  CommandStreams io{out, err};
  try {
    const int status = RunOrThrow(argc, argv, io, window);
    out.flush();
    if (!out) {
      err << "error: could not write the output (disk full or pipe closed?)\n";
      return status == kExitOk ? kExitFailure : status;
    }
    return status;
  } catch (const std::bad_alloc&) {
    err << "error: out of memory\n";
  } catch (const std::exception& e) {
    err << "error: " << OneLine(e.what()) << "\n";
  } catch (...) {
    err << "error: unexpected failure\n";
  }
  return kExitFailure;
}

int Run(int argc, const char* const* argv) {
  // Large outputs (AlexNet's matrices, millions of timeline steps) go through one buffer.
  std::ios::sync_with_stdio(false);
  return Run(argc, argv, std::cout, std::cerr);
}

}  // namespace im2col::cli
