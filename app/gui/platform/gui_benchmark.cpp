#include "gui/platform/gui_benchmark.h"

#include <glad/gl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include <imgui.h>

#include "gui/state/app_state.h"
#include "gui/panels/frame.h"
#include "gui/platform/platform.h"

namespace im2col::gui {
namespace {

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double position = fraction * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double t = position - static_cast<double>(below);
  return values[below] * (1.0 - t) + values[above] * t;
}

}  // namespace

std::string GuiBenchmarkResult::ToJson() const {
  nlohmann::ordered_json json;  // keys in the order docs/cli.md lists them
  json["frames"] = frames;
  json["median_ms"] = median_ms;
  json["p95_ms"] = p95_ms;
  json["first_frame_ms"] = first_frame_ms;
  json["width"] = width;
  json["height"] = height;
  json["renderer"] = renderer;
  json["ui_median_ms"] = ui_median_ms;
  json["gl_median_ms"] = gl_median_ms;
  json["swap_median_ms"] = swap_median_ms;
  json["present"] = present;
  json["drawn_fraction_median"] = drawn_fraction_median;
  json["changed_frames"] = changed_frames;
  json["changed_median_ms"] = changed_median_ms;
  json["changed_max_ms"] = changed_max_ms;
  json["draw_calls"] = draw_calls;
  json["triangles"] = triangles;
  json["slider_change_ms"] = slider_change_ms;
  json["slider_change_max_frame_ms"] = slider_change_max_frame_ms;
  json["slider_repeat_median_ms"] = slider_repeat_median_ms;
  json["slider_repeat_max_ms"] = slider_repeat_max_ms;
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool RunGuiBenchmark(const Scenario& scenario, const GuiBenchmarkOptions& options, GuiBenchmarkResult* result,
                     std::string* error) {
  if (options.frames < 1 || options.frames > 1000000) {
    if (error) *error = "--frames: must be 1..1000000, got " + std::to_string(options.frames);
    return false;
  }
  if (options.width < 64 || options.height < 64 || options.width > 16384 || options.height > 16384) {
    if (error) *error = "window size must be 64..16384 per side";
    return false;
  }
  const std::vector<std::string> problems = scenario.Validate();
  if (!problems.empty()) {
    if (error) *error = problems.front();
    return false;
  }
  Platform platform;
  PlatformOptions platform_options;
  platform_options.width = options.width;
  platform_options.height = options.height;
  platform_options.visible = true;  // the real window, as the user sees it
  platform_options.vsync = false;  // measure drawing, not the display's refresh
  if (!platform.Init(platform_options, error)) return false;

  AppState state = MakeAppState(scenario);
  // A worker for large scenarios, as RunApp sets up.
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  state.compute_task->SetOnFinished([] { WakePlatform(); });
  LimitBlasThreads(1);
  PushIntent(state, intent::SetSpeed{kMaxSpeed});
  PushIntent(state, intent::SetLoop{true});
  PushIntent(state, intent::SetPlaying{true});
  ApplyIntents(state);

  using Clock = std::chrono::steady_clock;
  std::vector<double> frame_ms, changed_ms;
  frame_ms.reserve(static_cast<size_t>(options.frames));
  int width = options.width, height = options.height;
  // One frame as the window draws it; false when minimised (nothing drawn).
  // Where a frame's time goes: building the UI (CPU), rasterising it (GL, finished),
  // and handing the image to the display (swap).
  std::vector<double> ui_ms, gl_ms, swap_ms, drawn_fraction;
  auto since = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
  auto draw_frame = [&]() {
    PollEvents();
    AdvancePlayback(state, 1.0f / 60.0f);  // fixed step: every run plays the same frames
    if (!platform.EnsureStyle(state.theme, state.font_scale, error)) return false;
    platform.FramebufferSize(&width, &height);
    if (width <= 0 || height <= 0) return false;
    state.width = width;
    state.height = height;
    Clock::time_point t = Clock::now();
    platform.BeginFrame();
    DrawAppFrame(state, &platform.gpu());
    ui_ms.push_back(since(t));
    t = Clock::now();
    platform.DrawToWindow(ActivePalette().panel, width, height);  // the main window has no background of its own
    glFinish();
    gl_ms.push_back(since(t));
    drawn_fraction.push_back(static_cast<double>(platform.presenter().last_drawn_pixels()) /
                             (static_cast<double>(width) * static_cast<double>(height)));
    if (const ImDrawData* data = ImGui::GetDrawData()) {  // llvmpipe pays per draw call and per pixel
      int calls = 0;
      for (int i = 0; i < data->CmdListsCount; ++i) calls += data->CmdLists[i]->CmdBuffer.Size;
      result->draw_calls = calls;
      result->triangles = data->TotalIdxCount / 3;
    }
    t = Clock::now();
    platform.SwapBuffers();
    swap_ms.push_back(since(t));
    state.intents.clear();  // the benchmark drives playback only; no pointer input
    return true;
  };
  for (int frame = 0; frame < options.frames; ++frame) {
    const Clock::time_point start = Clock::now();
    if (!draw_frame()) continue;  // minimised: nothing to draw
    frame_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (frame > 0 && platform.presenter().last_drawn_pixels() > 0) changed_ms.push_back(frame_ms.back());
  }

  // Slider changes, computed on a worker like in the window, which also paces its
  // frames to the display and is woken by the worker when a result is ready. The first
  // change after playing is the headline; more follow (one filter fewer, then back),
  // each after a few idle frames, as when a student clicks − and + again.
  const double frame_interval = 1.0 / DisplayRefreshRate();
  const int filters = state.scenario.shape.filters;
  auto change_filters = [&](int target, double* slowest_frame_ms) {
    const Clock::time_point change = Clock::now();
    PushIntent(state, intent::SetShapeField{ShapeField::Filters, target});
    ApplyIntents(state);
    double frame_start = PlatformNow();
    bool shown = false;
    for (int frame = 0; frame < 100000 && !shown; ++frame) {
      WaitEventsUntil(frame_start + frame_interval);
      frame_start = PlatformNow();
      const Clock::time_point start = Clock::now();
      draw_frame();  // adopts a finished result first (AdvancePlayback), then draws
      *slowest_frame_ms = std::max(*slowest_frame_ms, since(start));
      shown = state.scenario.shape.filters == target;  // this frame showed the new result
      if (!state.errors.empty()) break;  // core refused it: nothing to wait for
    }
    return since(change);
  };
  result->slider_change_ms = change_filters(filters > 1 ? filters - 1 : filters + 1, &result->slider_change_max_frame_ms);
  std::vector<double> repeats;
  double slowest = 0.0;
  for (int change = 0; change < options.slider_repeats; ++change) {
    for (int idle = 0; idle < 10; ++idle) {
      WaitEventsUntil(PlatformNow() + frame_interval);
      draw_frame();
    }
    const int target = change % 2 == 0 ? filters : (filters > 1 ? filters - 1 : filters + 1);
    repeats.push_back(change_filters(target, &slowest));
  }
  result->slider_repeat_median_ms = Percentile(repeats, 0.5);
  result->slider_repeat_max_ms = repeats.empty() ? 0.0 : *std::max_element(repeats.begin(), repeats.end());
  if (frame_ms.empty()) {
    if (error) *error = "the window had no framebuffer (minimised?); nothing was drawn";
    return false;
  }
  result->frames = static_cast<int>(frame_ms.size());
  result->first_frame_ms = frame_ms.front();
  // Steady-state numbers leave out the first frame (font upload, first layout).
  std::vector<double> steady(frame_ms.begin() + (frame_ms.size() > 1 ? 1 : 0), frame_ms.end());
  result->median_ms = Percentile(steady, 0.5);
  result->ui_median_ms = Percentile(ui_ms, 0.5);
  result->gl_median_ms = Percentile(gl_ms, 0.5);
  result->swap_median_ms = Percentile(swap_ms, 0.5);
  result->drawn_fraction_median = Percentile(drawn_fraction, 0.5);
  result->changed_frames = static_cast<int>(changed_ms.size());
  result->changed_median_ms = Percentile(changed_ms, 0.5);
  result->changed_max_ms = changed_ms.empty() ? 0.0 : *std::max_element(changed_ms.begin(), changed_ms.end());
  result->present = platform.presenter().mode() == PresentMode::DamagedRects ? "damaged-rects" : "full-swap";
  result->p95_ms = Percentile(steady, 0.95);
  result->width = width;
  result->height = height;
  result->renderer = platform.renderer();
  return true;
}

}  // namespace im2col::gui
