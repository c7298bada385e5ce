// `bench --gui`: opens the real window, plays N frames of the animation and reports
// frame times. The bench command wires the flag and prints ToJson().
#pragma once

#include <string>

#include "im2col/scenario.h"

namespace im2col::gui {

struct GuiBenchmarkOptions {
  int frames = 300;     // >= 1
  int width = 1920;
  int height = 1080;
  int slider_repeats = 6;  // slider changes after the first one
};

struct GuiBenchmarkResult {
  int frames = 0;
  double median_ms = 0.0;
  double p95_ms = 0.0;
  double first_frame_ms = 0.0;  // includes building the first frame's caches
  int width = 0;
  int height = 0;
  std::string renderer;  // GL_RENDERER
  // Medians of a frame's parts: building the UI on the CPU, drawing it with GL
  // (glFinish), presenting it (swap).
  double ui_median_ms = 0.0;
  double gl_median_ms = 0.0;
  double swap_median_ms = 0.0;
  // How frames reach the window (window_present.h): "damaged-rects" or "full-swap",
  // and the median share of the window's pixels a frame redrew.
  std::string present;
  double drawn_fraction_median = 0.0;
  // Frames that redrew something (a step, a fade): their count, median and slowest.
  int changed_frames = 0;
  double changed_median_ms = 0.0;
  double changed_max_ms = 0.0;
  int draw_calls = 0;  // in the last frame (ImGui draw commands)
  int triangles = 0;
  // After the frames: one filter fewer, as a slider drag does, with large scenarios
  // computed on the worker as in the window. Time until a frame shows the new result,
  // and the slowest frame drawn meanwhile (the UI must not freeze).
  double slider_change_ms = 0.0;
  double slider_change_max_frame_ms = 0.0;
  // The changes after it (back and forth, a few idle frames apart): median and slowest.
  double slider_repeat_median_ms = 0.0;
  double slider_repeat_max_ms = 0.0;

  // {"frames": N, "median_ms": .., "p95_ms": .., "first_frame_ms": .., "width": .., "height": .., "renderer": "..",
  //  "slider_change_ms": .., "slider_change_max_frame_ms": ..}
  std::string ToJson() const;
};

// Plays `options.frames` frames (auto-stepping at 8x so steps and transitions are
// exercised) and measures each frame from NewFrame to glFinish. False with *error
// when there is no display / GL, or the options are out of range.
bool RunGuiBenchmark(const Scenario& scenario, const GuiBenchmarkOptions& options, GuiBenchmarkResult* result,
                     std::string* error);

}  // namespace im2col::gui
