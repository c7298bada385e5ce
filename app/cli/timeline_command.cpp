// `im2col-lab timeline`: the animation's steps, one per line, streamed (AlexNet has
// well over a million), as JSON {"steps": [{"index", "phase", "label"}, ...]} or text.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "im2col/timeline.h"

namespace im2col::cli {

namespace {

struct TimelineOptions {
  io::ScenarioOptions scenario;
  std::string format = "text";
};

std::string JsonString(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Collects output and hands it to the stream in large pieces.
class BufferedWriter {
 public:
  explicit BufferedWriter(std::ostream& out) : out_(out) { buffer_.reserve(kFlushBytes + 4096); }
  ~BufferedWriter() { Flush(); }
  void Append(const std::string& text) {
    buffer_ += text;
    if (buffer_.size() >= kFlushBytes) Flush();
  }
  void Flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
  bool Failed() const { return !out_; }

 private:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  std::ostream& out_;
  std::string buffer_;
};

int RunTimeline(const TimelineOptions& options, CommandStreams& io) {
  const bool json = options.format == "json";
  if (!json && options.format != "text") {
    return UsageError(io, "--format: expected json or text, got '" + options.format + "'");
  }
  const auto scenario = ResolveOrReport(options.scenario, io);
  if (!scenario) return kExitUsage;

  const Computation computation = Compute(*scenario);
  const Timeline timeline(computation.shape);
  BufferedWriter writer(io.out);
  if (json) {
    writer.Append("{\"steps\": [");
  } else {
    writer.Append("# " + scenario->title + ": " + std::to_string(timeline.StepCount()) + " steps\n");
  }
  for (Index i = 0; i < timeline.StepCount(); ++i) {
    const Step step = timeline.At(i);
    const std::string label = StepLabel(computation, step);
    if (json) {
      writer.Append(std::string(i == 0 ? "\n" : ",\n") + "  {\"index\": " + std::to_string(step.index) +
                    ", \"phase\": \"" + ToString(step.phase) + "\", \"label\": " + JsonString(label) + "}");
    } else {
      writer.Append(std::to_string(step.index) + "  " + ToString(step.phase) + "  " + label + "\n");
    }
    if (writer.Failed()) return kExitFailure;  // e.g. the reader of a pipe went away
  }
  if (json) writer.Append("\n]}\n");
  writer.Flush();
  return kExitOk;
}

}  // namespace

void AddTimelineCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<TimelineOptions>();
  CLI::App* command = app.add_subcommand("timeline", "List the animation's steps: extract, flatten, multiply, "
                                                     "reshape, then the backward pass (op transposed: "
                                                     "flatten, multiply, col2im, then its backward pass)");
  io::AddScenarioOptions(*command, options->scenario);
  command->add_option("--format", options->format, "json or text (default text)")->type_name("FORMAT");
  sink.Add(command, [options](CommandStreams& io) { return RunTimeline(*options, io); });
}

}  // namespace im2col::cli
