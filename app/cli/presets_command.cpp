// `im2col-lab presets`: the shipped presets, in teaching order.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "io/assets.h"
#include "io/presets.h"

namespace im2col::cli {

namespace {

struct PresetsOptions {
  std::string format = "text";
};

int RunPresets(const PresetsOptions& options, CommandStreams& io) {
  if (options.format != "text" && options.format != "json") {
    return UsageError(io, "--format: expected text or json, got '" + options.format + "'");
  }
  const auto presets = io::ListPresets();
  if (presets.empty()) {
    io.err << "error: no presets found (searched " << io::AssetSearchPathDescription() << ")\n";
    return kExitFailure;
  }
  if (options.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& p : presets) {
      list.push_back({{"name", p.name}, {"title", p.title}, {"description", p.description}});
    }
    io.out << nlohmann::ordered_json{{"presets", list}}.dump(2) << "\n";
    return kExitOk;
  }
  std::size_t width = 0;
  for (const auto& p : presets) width = std::max(width, p.name.size());
  for (const auto& p : presets) {
    io.out << p.name << std::string(width - p.name.size() + 2, ' ') << p.title << "\n";
    if (!p.description.empty()) io.out << std::string(width + 2, ' ') << p.description << "\n";
  }
  io.out << "\nUse one with: im2col-lab compute --preset NAME (or open it in the window: im2col-lab --preset NAME)\n";
  return kExitOk;
}

}  // namespace

void AddPresetsCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<PresetsOptions>();
  CLI::App* command = app.add_subcommand("presets", "List the shipped presets");
  command->add_option("--format", options->format, "text or json (default text)")->type_name("FORMAT");
  sink.Add(command, [options](CommandStreams& io) { return RunPresets(*options, io); });
}

}  // namespace im2col::cli
