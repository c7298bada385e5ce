// `im2col-lab tour --list [--format json|text]`: the shipped guided tours;
// `im2col-lab tour NAME|FILE [--format json|text]`: one tour's steps (scenario,
// timeline step, narration, pointed ids), after checking the whole file.
// `render --tour NAME --tour-step K` draws a step (render_command.cpp).
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "io/json_text.h"
#include "io/tour.h"

namespace im2col::cli {

namespace {

struct TourOptions {
  bool list = false;
  std::string name;
  std::string format = "text";
};

int ListToursCommand(bool json, CommandStreams& io) {
  const std::vector<io::TourInfo> tours = io::ListTours();
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& t : tours) list.push_back({{"name", t.name}, {"title", t.title}, {"steps", t.steps}});
    nlohmann::ordered_json root;
    root["tours"] = list;
    io.out << io::DumpReadableJson(root) << "\n";
    return kExitOk;
  }
  for (const auto& t : tours) io.out << t.name << "  (" << t.steps << " steps)  " << t.title << "\n";
  return kExitOk;
}

int ShowTour(const std::string& name, bool json, CommandStreams& io) {
  const io::TourReadResult read = io::LoadTour(name);
  if (!read.ok()) return UsageError(io, read.error);
  for (const auto& warning : read.tour->warnings) io.err << "warning: " << warning << "\n";
  const io::Tour& tour = *read.tour;
  if (json) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (size_t i = 0; i < tour.steps.size(); ++i) {
      const io::TourStep& s = tour.steps[i];
      steps.push_back({{"index", i},
                       {"scenario", s.scenario.title},
                       {"step", s.step},
                       {"overwrite", s.overwrite},
                       {"narration", s.narration},
                       {"point_at", s.point_at}});
    }
    nlohmann::ordered_json root;
    root["name"] = tour.name;
    root["title"] = tour.title;
    root["steps"] = steps;
    io.out << io::DumpReadableJson(root) << "\n";
    return kExitOk;
  }
  io.out << "# " << tour.title << "\n";
  for (size_t i = 0; i < tour.steps.size(); ++i) {
    const io::TourStep& s = tour.steps[i];
    io.out << "\n" << i << ". " << s.scenario.title << ", timeline step " << s.step << (s.overwrite ? " (overwrite)" : "")
           << "\n   " << s.narration << "\n";
    if (!s.point_at.empty()) {
      io.out << "   points at:";
      for (const auto& id : s.point_at) io.out << " " << id;
      io.out << "\n";
    }
  }
  return kExitOk;
}

int RunTour(const TourOptions& options, CommandStreams& io) {
  const bool json = options.format == "json";
  if (!json && options.format != "text") {
    return UsageError(io, "--format: expected json or text, got '" + options.format + "'");
  }
  if (options.list == !options.name.empty()) {
    return UsageError(io, options.list ? "--list: give --list or a tour name, not both"
                                       : "tour: give --list, or a tour name or file to show");
  }
  return options.list ? ListToursCommand(json, io) : ShowTour(options.name, json, io);
}

}  // namespace

void AddTourCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<TourOptions>();
  CLI::App* command = app.add_subcommand(
      "tour", "Guided tours for teaching: list them, or check and show one (draw a step with render --tour)");
  command->add_flag("--list", options->list, "list the shipped tours");
  command->add_option("name", options->name, "a tour name (see --list) or a tour JSON file")->type_name("NAME|FILE");
  command->add_option("--format", options->format, "json or text (default text)")->type_name("FORMAT");
  sink.Add(command, [options](CommandStreams& io) { return RunTour(*options, io); });
}

}  // namespace im2col::cli
