// `im2col-lab bench`: the chapter's "200x or more" claim, measured. Times, in
// float32, the direct nested loops against im2col + GEMM (forward and backward)
// and prints a table or DESIGN's JSON object. `bench --gui --frames N` instead
// plays N frames of the real window and reports frame times (gui_benchmark.h).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "im2col/convolution.h"
#include "gui/platform/gui_benchmark.h"
#include "im2col/fast_conv.h"


namespace im2col::cli {

namespace {

constexpr int kMaxRepeat = 1000;
constexpr int kDefaultRepeat = 5;
constexpr int kMaxFrames = 100000;
// Rough speed of the direct loops on one core, only to warn before a long wait.
constexpr double kLoopsMacsPerSecond = 1.5e9;

struct BenchOptions {
  io::ScenarioOptions scenario;
  std::optional<std::string> repeat, threads, frames;
  std::string format = "text";
  bool gui = false;
};

// An integer flag in [min, max]; the message names the flag and the rule.
std::optional<std::string> ParseBoundedFlag(const std::string& flag, const std::optional<std::string>& text, int min,
                                            int max, int fallback, int& out) {
  out = fallback;
  if (!text) return std::nullopt;
  int value = 0;
  if (auto error = io::ParseSizeFlag(flag, *text, min, value)) return error;
  if (value > max) return flag + ": must be <= " + std::to_string(max) + ", got " + *text;
  out = value;
  return std::nullopt;
}

int DefaultThreads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(static_cast<int>(cores == 0 ? 1 : cores), kMinThreads, kMaxThreads);
}

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// A duration with three significant digits in a readable unit: "41.2 us", "2.29 ms", "180 ms".
std::string Duration(double ms) {
  char text[64];
  if (ms < 1.0)
    std::snprintf(text, sizeof text, "%.3g us", ms * 1000.0);
  else
    std::snprintf(text, sizeof text, ms < 10.0 ? "%.2f ms" : ms < 100.0 ? "%.1f ms" : "%.0f ms", ms);
  return text;
}

std::string Scientific(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1e", value);
  return text;
}

// 4392300 -> "4,392,300"
std::string Grouped(Index value) {
  std::string digits = std::to_string(value), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::string PadRight(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}
std::string PadLeft(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string ShapeLine(const Shape& s) {
  return "N" + std::to_string(s.batch) + " C" + std::to_string(s.channels) + " H" + std::to_string(s.height) + " W" +
         std::to_string(s.width) + " F" + std::to_string(s.filters) + " K" + FormatPair(s.kernel) + " S" +
         FormatPair(s.stride) + " P" + FormatPair(s.padding) + " D" + FormatPair(s.dilation) +
         (s.groups > 1 ? " G" + std::to_string(s.groups) : "") +
         (s.op == Op::Transposed ? " transposed OP" + FormatPair(s.output_padding) : "") + " -> output " +
         std::to_string(s.OutHeight()) + "x" + std::to_string(s.OutWidth()) + "x" + std::to_string(s.filters) +
         ", X_col " + std::to_string(s.PatchSize()) + " x " + std::to_string(s.ColumnCount());
}

void PrintText(const Scenario& scenario, const TimingReport& report, std::ostream& out) {
  out << "im2col-lab bench: " << scenario.title << "\n"
      << "shape   " << ShapeLine(report.shape) << " (" << ToString(report.order) << ")\n"
      << "timing  float32, median of " << report.repeats << " repeat" << (report.repeats == 1 ? "" : "s")
      << " after one warm-up; loops on 1 thread, im2col + GEMM on " << report.threads << " thread"
      << (report.threads == 1 ? "" : "s") << "; GEMM by " << GemmBackendName() << "\n\n";
  const size_t name_width = 22, number_width = 11;
  out << PadRight("phase", name_width) << PadLeft("median", number_width) << PadLeft("GFLOP/s", number_width)
      << PadLeft("vs loops", number_width) << "\n";
  for (const TimingEntry& entry : report.entries) {
    const bool loops = entry.name.rfind("loops-", 0) == 0;
    if (entry.name == "loops-backward") out << "\n";
    out << PadRight(entry.name, name_width) << PadLeft(Duration(entry.ms), number_width)
        << PadLeft(entry.gflops > 0 ? Fixed(entry.gflops, 2) : std::string("-"), number_width)
        << PadLeft(loops ? std::string("1x") : Fixed(entry.speedup_vs_loops, 1) + "x", number_width) << "\n";
  }
  const double growth = static_cast<double>(report.x_col_bytes) / static_cast<double>(report.input_bytes);
  out << (report.shape.op == Op::Transposed
              ? "\n(x-mat and gemm-col2im are the two halves of gemm-col2im-forward; backward = im2col of dY, dX and dW)\n"
              : "\n(im2col and gemm are the two halves of im2col-gemm-forward; backward = dW, dX_col and col2im)\n")
      << "memory  X_col " << Grouped(report.x_col_bytes) << " bytes vs input " << Grouped(report.input_bytes)
      << " bytes (" << Fixed(growth, 2) << "x): the price of the speed-up\n"
      << "check   im2col + GEMM agrees with the loops to a relative difference of "
      << Scientific(report.max_relative_difference) << "\n";
}

void PrintJson(const Scenario& scenario, const TimingReport& report, std::ostream& out) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const TimingEntry& entry : report.entries) {
    results.push_back(
        {{"name", entry.name}, {"ms", entry.ms}, {"gflops", entry.gflops}, {"speedup_vs_loops", entry.speedup_vs_loops}});
  }
  const nlohmann::ordered_json object = {{"scenario", scenario.title},
                                         {"threads", report.threads},
                                         {"repeat", report.repeats},
                                         {"results", results},
                                         {"x_col_bytes", report.x_col_bytes},
                                         {"input_bytes", report.input_bytes}};
  out << object.dump(2) << "\n";
}

int RunGui(const BenchOptions& options, const Scenario& scenario, CommandStreams& io) {
  gui::GuiBenchmarkOptions gui_options;
  if (auto error = ParseBoundedFlag("--frames", options.frames, 1, kMaxFrames, gui_options.frames, gui_options.frames))
    return UsageError(io, *error);
  gui::GuiBenchmarkResult result;
  std::string error;
  if (!gui::RunGuiBenchmark(scenario, gui_options, &result, &error)) {
    io.err << "error: --gui: " << error << "\n";
    return kExitFailure;  // no display or no OpenGL: not the user's input
  }
  if (options.format == "json") {
    io.out << result.ToJson() << "\n";
  } else {
    io.out << "im2col-lab bench --gui: " << scenario.title << "\n"
           << "window  " << result.width << "x" << result.height << ", renderer " << result.renderer << "\n"
           << "frames  " << result.frames << ": median " << Fixed(result.median_ms, 2) << " ms, p95 "
           << Fixed(result.p95_ms, 2) << " ms, first frame " << Fixed(result.first_frame_ms, 1) << " ms\n"
           << "parts   median UI " << Fixed(result.ui_median_ms, 2) << " ms, GL " << Fixed(result.gl_median_ms, 2)
           << " ms, swap " << Fixed(result.swap_median_ms, 2) << " ms; last frame " << result.draw_calls
           << " draw calls, " << result.triangles << " triangles\n"
           << "present " << result.present << ", median frame redrew " << Fixed(100.0 * result.drawn_fraction_median, 1)
           << " % of the window's pixels; " << result.changed_frames << " frames redrew something: median "
           << Fixed(result.changed_median_ms, 2) << " ms, slowest " << Fixed(result.changed_max_ms, 1) << " ms\n"
           << "slider  one filter fewer: new result shown after " << Fixed(result.slider_change_ms, 1)
           << " ms, slowest frame meanwhile " << Fixed(result.slider_change_max_frame_ms, 1) << " ms; "
           << "the next changes median " << Fixed(result.slider_repeat_median_ms, 1) << " ms, slowest "
           << Fixed(result.slider_repeat_max_ms, 1) << " ms\n";
  }
  return kExitOk;
}

int RunBench(const BenchOptions& options, CommandStreams& io) {
  if (options.format != "text" && options.format != "json")
    return UsageError(io, "--format: expected text or json, got '" + options.format + "'");
  if (options.frames && !options.gui) return UsageError(io, "--frames: only with --gui");
  if (options.gui && (options.repeat || options.threads))
    return UsageError(io, std::string(options.repeat ? "--repeat" : "--threads") + ": not used with --gui");
  int repeat = 0, threads = 0;
  if (auto error = ParseBoundedFlag("--repeat", options.repeat, 1, kMaxRepeat, kDefaultRepeat, repeat))
    return UsageError(io, *error);
  if (auto error = ParseBoundedFlag("--threads", options.threads, kMinThreads, kMaxThreads, DefaultThreads(), threads))
    return UsageError(io, *error);
  const auto scenario = ResolveOrReport(options.scenario, io);
  if (!scenario) return kExitUsage;
  if (options.gui) return RunGui(options, *scenario, io);

  // The loops run (repeat + 1) times forward and backward: say so before a long wait.
  const double loop_seconds = 3.0 * static_cast<double>(ForwardMacs(scenario->shape)) * (repeat + 1) / kLoopsMacsPerSecond;
  if (loop_seconds > 10.0)
    io.err << "note: the direct loops alone will take roughly " << Fixed(loop_seconds, 0)
           << " s at this size; lower --repeat for a quicker answer\n";
  try {
    const TimingReport report = MeasureLoopsVsIm2col(scenario->shape, repeat, threads, scenario->order);
    if (options.format == "json")
      PrintJson(*scenario, report, io.out);
    else
      PrintText(*scenario, report, io.out);
  } catch (const std::invalid_argument& e) {
    return UsageError(io, e.what());
  } catch (const std::bad_alloc&) {
    io.err << "error: not enough memory to time this shape\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void AddBenchCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* command = app.add_subcommand(
      "bench", "Time the direct loops against im2col + GEMM (float32): ms, GFLOP/s, speed-up, X_col memory");
  io::AddScenarioOptions(*command, options->scenario);
  command->add_option("--repeat", options->repeat, "timed runs per phase, median reported (default 5, max 1000)")
      ->type_name("N");
  command->add_option("--threads", options->threads, "threads for im2col + GEMM (default: all cores)")
      ->type_name("T");
  command->add_option("--format", options->format, "text or json (default text)")->type_name("FORMAT");
  command->add_flag("--gui", options->gui, "open the real window, play --frames frames and report frame times");
  command->add_option("--frames", options->frames, "frames to play with --gui (default " + std::to_string(gui::GuiBenchmarkOptions{}.frames) + ")")->type_name("N");
  sink.Add(command, [options](CommandStreams& io) { return RunBench(*options, io); });
}

}  // namespace im2col::cli
