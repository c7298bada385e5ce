// `im2col-lab render [selectors] --step N --out FILE.png [--size WxH] [--theme T]
// [--layout-json FILE] [--font-scale X] [--overwrite]`: one frame of the window,
// drawn offscreen by the same code as the window, written atomically.
// `render --tour NAME|FILE --tour-step K --out FILE.png`: step K of a guided tour,
// its scenario at its timeline step, the narration in THIS STEP and the pointed
// items outlined.
#include <CLI/CLI.hpp>

#include <cmath>
#include <memory>

#include "cli/commands.h"
#include "gui/state/render_request.h"
#include "gui/platform/render_sequence.h"
#include "io/tour.h"

namespace im2col::cli {

namespace {

struct RenderOptions {
  io::ScenarioOptions scenario;
  std::string step;  // empty: step 0 (or the tour step's)
  std::string tour;
  std::string tour_step;
  std::string out;
  std::string size = "1920x1080";
  std::string theme = "light";
  std::string layout_json;
  std::string font_scale = "1";
  bool overwrite = false;
  bool presentation = false;
  std::string steps;    // A:B, with --gif and/or --out-dir (render_sequence.h)
  std::string gif;
  std::string out_dir;
};

// Whole-string integer parse; nullopt on anything else (sign, spaces, overflow).
std::optional<long long> ParseInteger(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  size_t start = text[0] == '-' ? 1 : 0;
  if (start == text.size()) return std::nullopt;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  return std::stoll(text);
}

// --steps A:B --gif FILE / --out-dir DIR: the frames of a range (subsampled past the cap).
int RunRenderSequence(const RenderOptions& options, gui::RenderRequest request, CommandStreams& io) {
  const size_t colon = options.steps.find(':');
  const std::optional<long long> first = colon == std::string::npos ? std::nullopt : ParseInteger(options.steps.substr(0, colon));
  const std::optional<long long> last = colon == std::string::npos ? std::nullopt : ParseInteger(options.steps.substr(colon + 1));
  if (!first || !last) return UsageError(io, "--steps: expected A:B such as 0:20, got '" + options.steps + "'");
  if (options.gif.empty() && options.out_dir.empty()) return UsageError(io, "--steps: also give --gif FILE or --out-dir DIR");
  const auto scenario = ResolveOrReport(options.scenario, io);
  if (!scenario) return kExitUsage;
  request.scenario = *scenario;
  request.overwrite_mode = options.overwrite;
  gui::SequenceRequest sequence;
  sequence.frame = request;
  sequence.first_step = *first;
  sequence.last_step = *last;
  sequence.gif_path = options.gif;
  sequence.png_dir = options.out_dir;
  std::string note;
  const gui::RenderResult result = gui::RenderSequenceToFiles(sequence, &note);
  if (result.status == gui::RenderStatus::BadInput) return UsageError(io, result.error);
  if (result.status == gui::RenderStatus::Failed) {
    io.err << "error: " << result.error << "\n";
    return kExitFailure;
  }
  if (!note.empty()) io.err << "note: " << note << "\n";
  return kExitOk;
}

bool AnyScenarioSelector(const io::ScenarioOptions& o) {
  return o.preset || o.scenario_file || o.AnyShapeFlag() || o.layout || o.order || o.fill || o.grad_fill || o.seed;
}

// --tour NAME --tour-step K: the tour step's scenario, timeline step, words and pointed ids.
std::optional<std::string> ApplyTourStep(const RenderOptions& options, gui::RenderRequest& request) {
  if (AnyScenarioSelector(options.scenario) || !options.step.empty() || !options.steps.empty()) {
    return std::string("--tour: the tour step chooses the scenario and the step; drop the scenario flags, --step and --steps");
  }
  if (options.tour_step.empty()) return std::string("--tour-step: required with --tour (0 is the first step)");
  const io::TourReadResult read = io::LoadTour(options.tour);
  if (!read.ok()) return "--tour: " + read.error;
  const auto count = static_cast<long long>(read.tour->steps.size());
  const std::optional<long long> k = ParseInteger(options.tour_step);
  if (!k || *k < 0 || *k >= count) {
    return "--tour-step: must be 0.." + std::to_string(count - 1) + " (tour '" + read.tour->name + "' has " +
           std::to_string(count) + " steps), got '" + options.tour_step + "'";
  }
  const io::TourStep& step = read.tour->steps[static_cast<size_t>(*k)];
  request.scenario = step.scenario;
  request.step = step.step;
  request.overwrite_mode = step.overwrite || options.overwrite;
  request.narration = step.narration;
  request.pointed_ids = step.point_at;
  return std::nullopt;
}

int RunRender(const RenderOptions& options, CommandStreams& io) {
  gui::RenderRequest request;
  const bool tour = !options.tour.empty();
  if (!tour && !options.tour_step.empty()) return UsageError(io, "--tour-step: give the tour with --tour NAME");
  const std::string step_text = options.step.empty() ? "0" : options.step;
  const std::optional<long long> step = ParseInteger(step_text);
  if (!step) return UsageError(io, "--step: expected a whole number, got '" + options.step + "'");
  request.step = *step;

  const size_t x = options.size.find('x');
  const std::optional<long long> width = x == std::string::npos ? std::nullopt : ParseInteger(options.size.substr(0, x));
  const std::optional<long long> height =
      x == std::string::npos ? std::nullopt : ParseInteger(options.size.substr(x + 1));
  if (!width || !height) return UsageError(io, "--size: expected WIDTHxHEIGHT such as 1920x1080, got '" + options.size + "'");
  if (*width < gui::kMinRenderSide || *width > gui::kMaxRenderSide || *height < gui::kMinRenderSide ||
      *height > gui::kMaxRenderSide) {
    return UsageError(io, "--size: each side must be " + std::to_string(gui::kMinRenderSide) + ".." +
                              std::to_string(gui::kMaxRenderSide) + ", got " + options.size);
  }
  request.width = static_cast<int>(*width);
  request.height = static_cast<int>(*height);

  const std::optional<gui::ThemeId> theme = gui::ParseTheme(options.theme);
  if (!theme) return UsageError(io, "--theme: expected light, dark or high-contrast, got '" + options.theme + "'");
  request.theme = *theme;

  try {
    size_t used = 0;
    const double scale = std::stod(options.font_scale, &used);
    if (used != options.font_scale.size() || !std::isfinite(scale)) throw std::invalid_argument("trailing");
    request.font_scale = static_cast<float>(scale);
  } catch (const std::exception&) {
    return UsageError(io, "--font-scale: expected a number 0.5..3, got '" + options.font_scale + "'");
  }
  if (tour) {
    if (auto error = ApplyTourStep(options, request)) return UsageError(io, *error);
  }
  const bool sequence = !options.steps.empty();
  if (!sequence && (!options.gif.empty() || !options.out_dir.empty())) {
    return UsageError(io, "--gif / --out-dir: give the range with --steps A:B");
  }
  request.presentation = options.presentation;
  if (sequence) return RunRenderSequence(options, request, io);
  if (options.out.empty()) return UsageError(io, "--out: a PNG file name is required");
  request.out_png = options.out;
  request.layout_json = options.layout_json;
  if (!tour) {
    request.overwrite_mode = options.overwrite;
    const auto scenario = ResolveOrReport(options.scenario, io);
    if (!scenario) return kExitUsage;
    request.scenario = *scenario;
  }

  const gui::RenderResult result = gui::RenderToFiles(request);
  if (result.status == gui::RenderStatus::BadInput) return UsageError(io, result.error);
  if (result.status == gui::RenderStatus::Failed) {
    io.err << "error: " << result.error << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void AddRenderCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* command = app.add_subcommand(
      "render", "Draw one frame of the window at a timeline step into a PNG (offscreen; needs a display or Xvfb)");
  io::AddScenarioOptions(*command, options->scenario);
  command->add_option("--step", options->step, "timeline step to show, 0..steps-1 (default 0)")->type_name("N");
  command->add_option("--out", options->out, "PNG file to write")->type_name("FILE");
  command->add_option("--size", options->size, "image size WIDTHxHEIGHT (default 1920x1080)")->type_name("WxH");
  command->add_option("--theme", options->theme, "light, dark or high-contrast (default light)")->type_name("THEME");
  command->add_option("--layout-json", options->layout_json, "also write where every cell and panel was drawn")
      ->type_name("FILE");
  command->add_option("--font-scale", options->font_scale, "text size multiplier 0.5..3 (default 1)")->type_name("X");
  command->add_option("--steps", options->steps, "a range of steps A:B (inclusive) for --gif / --out-dir")
      ->type_name("A:B");
  command->add_option("--gif", options->gif, "with --steps: write the range as an animated GIF")->type_name("FILE");
  command->add_option("--out-dir", options->out_dir, "with --steps: write step_NNNNN.png per step into DIR")
      ->type_name("DIR");
  command->add_option("--tour", options->tour, "draw a step of this guided tour (name from `tour --list`, or a file)")
      ->type_name("NAME|FILE");
  command->add_option("--tour-step", options->tour_step, "with --tour: which step, 0..steps-1")->type_name("K");
  command->add_flag("--overwrite", options->overwrite, "show col2im's overwrite (=) bug instead of the sum (+=)");
  command->add_flag("--presentation", options->presentation,
                    "presentation mode (F5): only the blocks of the step's phase, large, the explanation below");
  sink.Add(command, [options](CommandStreams& io) { return RunRender(*options, io); });
}

}  // namespace im2col::cli
