// `im2col-lab compute`: every tensor and matrix of the forward and backward pass,
// as JSON (DESIGN's keys) or as text, CSV, LaTeX or Markdown for people.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.h"
#include "im2col/convolution.h"
#include "io/matrix_format.h"

namespace im2col::cli {

namespace {

struct ComputeOptions {
  io::ScenarioOptions scenario;
  std::string format = "text";
};

int RunCompute(const ComputeOptions& options, CommandStreams& io) {
  const bool json = options.format == "json";
  const auto text_format = io::ParseTextFormat(options.format);
  if (!json && !text_format) {
    return UsageError(io, "--format: expected json, text, csv, latex or markdown, got '" + options.format + "'");
  }
  const auto scenario = ResolveOrReport(options.scenario, io);
  if (!scenario) return kExitUsage;

  const Computation computation = Compute(*scenario);
  if (json) {
    io::WriteComputationJson(computation, io.out);
  } else {
    io::WriteComputation(computation, *text_format, io.out);  // streams: no copy of the output
  }
  return kExitOk;
}

}  // namespace

void AddComputeCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<ComputeOptions>();
  CLI::App* command = app.add_subcommand(
      "compute", "Print every tensor and matrix of the forward and backward pass (X_col, W_row, Y, dX, ...)");
  io::AddScenarioOptions(*command, options->scenario);
  command->add_option("--format", options->format, "json, text, csv, latex or markdown (default text)")
      ->type_name("FORMAT");
  sink.Add(command, [options](CommandStreams& io) { return RunCompute(*options, io); });
}

}  // namespace im2col::cli
