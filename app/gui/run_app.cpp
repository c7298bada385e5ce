// The interactive window: poll or wait for events, apply intents between frames,
// draw, and sleep when nothing animates (WaitEventsFor).
#include "gui/run_app.h"

#include <algorithm>
#include <cstdio>

#include "gui/state/app_state.h"
#include "gui/panels/frame.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "io/atomic_file.h"
#include "io/link_hash.h"
#include "io/presets.h"
#include "io/settings.h"
#include "gui/platform/classroom_window.h"
#include "gui/state/session_settings.h"

namespace im2col::gui {
namespace {

// Frames to keep drawing after input, so ImGui's one-frame-late state (hover,
// popups opening) reaches the screen before the loop sleeps again.
constexpr int kFramesAfterInput = 3;
constexpr double kIdleWaitSeconds = 0.5;

void ExportCurrentFrame(Platform& platform, AppState& state) {
  const std::string path = state.ui.export_request;
  state.ui.export_request.clear();
  int width = 0, height = 0;
  platform.FramebufferSize(&width, &height);
  width = std::clamp(width, kMinRenderSide, kMaxRenderSide);
  height = std::clamp(height, kMinRenderSide, kMaxRenderSide);
  AppState copy = state;  // the export must not disturb the live state's queue or transition
  copy.playback.transition = 1.0f;
  RgbImage image;
  std::string error;
  if (RenderStateToImage(platform, copy, width, height, &image, nullptr, &error)) {
    error = io::WriteFileAtomically(path, EncodePng(image));
  }
  state.status = error.empty() ? "exported " + path : error;
  state.status_is_error = !error.empty();
}

}  // namespace

// The window's loop on `initial`; a link's preset name, step and message come with it.
int RunWindow(const Scenario& initial, bool scenario_requested, const io::LinkView* link) {
  const std::string settings_path = io::DefaultSettingsPath();
  const io::SettingsLoad loaded = settings_path.empty() ? io::SettingsLoad{} : io::LoadSettings(settings_path);
  const io::Settings& settings = loaded.settings;

  Platform platform;
  PlatformOptions options;
  options.width = settings.window_width;
  options.height = settings.window_height;
  options.font_scale = static_cast<float>(settings.font_scale);
  options.settings = &settings;  // the size last used on the monitor it opens on
  std::string error;
  if (!platform.Init(options, &error)) {
    std::fprintf(stderr, "im2col-lab: %s\n", error.c_str());
    return 1;
  }
  AppState state = MakeAppState(initial);
  // From here on, large scenarios are computed and images decoded off the UI thread;
  // a finished one wakes the event wait so it shows at once.
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  LimitBlasThreads(1);  // the worker's products must leave the other core to the renderer
  state.compute_task->SetOnFinished([] { WakePlatform(); });
  state.image_task = std::make_shared<LatestTask<DecodedImage>>();
  state.image_task->SetOnFinished([] { WakePlatform(); });
  state.cost.task = std::make_shared<LatestTask<CostMeasurement>>();
  state.cost.task->SetOnFinished([] { WakePlatform(); });
  // Theme, font scale, recent files; the last scenario unless one was asked for.
  // A link, or a scenario asked for on the command line (by name too), wins over the last one.
  AdoptSettings(state, loaded, settings_path, /*restore_last_scenario=*/link == nullptr && !scenario_requested);
  InstallClassroomCallbacks(platform, state);
  if (link != nullptr) {
    if (!link->preset.empty()) {
      state.ui.preset_name = link->preset;
      const io::ScenarioReadResult preset = io::LoadPreset(link->preset);
      if (preset.ok()) state.ui.preset_scenario = preset.document->scenario;
    }
    if (link->step && state.timeline) {
      const Index last = StepCount(state) - 1;
      PushIntent(state, intent::SetStep{static_cast<Index>(std::min<long long>(*link->step, last))});
      if (*link->step > last) {
        state.status = "link: step " + std::to_string(*link->step) + " is past the last step (" +
                       std::to_string(last) + "); showing the last step";
        state.status_is_error = true;
      }
    }
    if (!link->ok()) {
      state.status = link->error;
      state.status_is_error = true;
    }
  }

  int frames_left = kFramesAfterInput;
  double last_time = PlatformNow();
  // Frames are paced to the display's refresh: a swap with vsync waits by itself, but
  // damaged-rectangle presenting (and Xvfb) would otherwise spin a core while playing.
  const double frame_interval = 1.0 / DisplayRefreshRate();
  double frame_start = last_time;
  while (!platform.ShouldClose()) {
    if (IsAnimating(state) || frames_left > 0) {
      WaitEventsUntil(frame_start + frame_interval);  // input still wakes it at once
    } else {
      // While a worker runs, wake a few times a second for its progress line.
      WaitEventsFor(HasBackgroundWork(state) ? 0.1 : kIdleWaitSeconds);
      frames_left = kFramesAfterInput;  // woken by input (or the timeout): draw a few frames
    }
    const double now = PlatformNow();
    frame_start = now;
    AdvancePlayback(state, static_cast<float>(now - last_time));
    last_time = now;
    if (!platform.EnsureStyle(state.theme, EffectiveFontScale(state), &error)) {
      std::fprintf(stderr, "im2col-lab: %s\n", error.c_str());
      return 1;
    }
    int width = 0, height = 0;
    platform.FramebufferSize(&width, &height);
    state.width = width;
    state.height = height;
    if (width > 0 && height > 0) {  // minimised windows have no framebuffer
      platform.BeginFrame();
      DrawAppFrame(state, &platform.gpu());
      platform.DrawToWindow(ActivePalette().panel, width, height);  // the main window has no background of its own
      platform.SwapBuffers();
    }
    if (!state.intents.empty()) frames_left = kFramesAfterInput;
    ApplyIntents(state);
    if (!state.ui.export_request.empty()) ExportCurrentFrame(platform, state);
    ProcessClassroomRequests(platform, state);  // fullscreen, exports, settings on change
    frames_left = std::max(frames_left - 1, 0);
  }

  const std::string save_error = SaveSettingsIfChanged(state);
  if (!save_error.empty()) std::fprintf(stderr, "im2col-lab: %s\n", save_error.c_str());
  return 0;
}

int RunApp(const Scenario& initial, bool scenario_requested) { return RunWindow(initial, scenario_requested, nullptr); }

int RunAppOnLink(const std::string& hash) {
  const io::LinkView link = io::ParseLinkHash(hash);
  if (!link.ok()) std::fprintf(stderr, "im2col-lab: %s\n", link.error.c_str());
  return RunWindow(link.scenario, /*scenario_requested=*/true, &link);
}

}  // namespace im2col::gui
