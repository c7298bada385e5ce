// The browser's main loop: the desktop window's loop (run_app.cpp) driven by
// requestAnimationFrame, plus what only a page has: the URL hash that opens a view and
// follows it, files picked with <input type=file> (written to the in-memory file
// system, then opened like a dropped file), saves and exports handed to the browser
// as downloads, settings kept in IndexedDB, and the test hook's state and layout.
#include <emscripten/emscripten.h>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gui/panels/frame.h"
#include "gui/platform/classroom_window.h"
#include "gui/platform/platform.h"
#include "gui/state/app_state.h"
#include "gui/state/classroom_state.h"
#include "gui/state/session_settings.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "im2col/fast_conv.h"
#include "io/link_hash.h"
#include "io/presets.h"
#include "io/scenario_json.h"
#include "io/settings.h"

namespace fs = std::filesystem;
using namespace im2col;
using namespace im2col::gui;

namespace {

// Where saves and exports land (the working directory): each new file there is handed
// to the browser as a download and removed. Settings live in /settings (IndexedDB).
constexpr const char* kDownloads = "/downloads";
constexpr const char* kSettingsHome = "/settings";
constexpr const char* kChapterPreset = "chapter-4x4x3";
constexpr double kHashEverySeconds = 0.4;
constexpr int kFrameSamples = 240;

struct WebApp {
  Platform platform;
  AppState state;
  std::string hash_written;       // the hash last put in the address bar
  double hash_checked = 0.0;
  Index pending_step = -1;        // a link's step, applied once its scenario is computed
  bool record_layout = false;     // the test hook asked for the next frame's layout
  std::string layout_json;        // ... and here it is
  std::vector<double> frame_ms;   // the last frames' cost (ring)
  std::vector<double> ui_ms, gl_ms;  // of which: ImGui + DrawAppFrame, and GL drawing (since the last reset)
  std::vector<double> drawn_share;   // of the canvas's pixels redrawn (since the last reset)
  std::size_t frame_next = 0;
  double max_frame_ms = 0.0;      // the longest frame since the last reset: the page blocked that long
  // ... and where its time went: a background part, adopting results (AdvancePlayback),
  // ImGui + the frame code, GL drawing, applying intents
  double max_frame_split[5] = {0, 0, 0, 0, 0};
  double last_apply_ms = 0.0;     // the last ApplyIntents (a recompute at AlexNet size)
  double max_apply_ms = 0.0;
  double max_part_ms = 0.0;       // the longest part of a background task (RunBackgroundParts)
  // An edit that changes the scenario: from the frame that applies it to the end of the
  // frame that first draws its result (the click itself came at most one frame earlier).
  double edit_started = 0.0;
  double last_edit_shown_ms = 0.0;
  int frames = 0;
  double last_time = 0.0;
  std::string settings_written;   // settings file text last synced to IndexedDB
};

// The page's one app: the exported functions below (called from JavaScript, which
// carries no user pointer) reach it here.
WebApp* g_app = nullptr;

std::string ReadHash() {
  char* text = reinterpret_cast<char*>(EM_ASM_INT({
    const hash = window.location.hash || "";
    const size = lengthBytesUTF8(hash) + 1;
    const copy = _malloc(size);
    stringToUTF8(hash, copy, size);
    return copy;
  }));
  std::string hash = text ? text : "";
  std::free(text);
  return hash;
}

void ShowLink(WebApp& app, const std::string& hash) {
  const io::LinkView view = io::ParseLinkHash(hash);
  if (!view.preset.empty()) PushIntent(app.state, intent::LoadPreset{view.preset});
  PushIntent(app.state, intent::SetScenario{view.scenario});
  app.pending_step = view.step.value_or(0);
  if (!view.ok()) {
    app.state.status = view.error;
    app.state.status_is_error = true;
  }
}

// Keeps the address bar's hash on the current view (replaceState: no history entry,
// no hashchange event), at most a few times a second.
void FollowHash(WebApp& app, double now) {
  if (now - app.hash_checked < kHashEverySeconds || app.pending_step >= 0) return;
  app.hash_checked = now;
  const std::string hash = io::LinkHashFor(app.state.scenario, app.state.ui.preset_name, app.state.playback.step);
  if (hash == app.hash_written) return;
  app.hash_written = hash;
  EM_ASM({ history.replaceState(null, "", UTF8ToString($0)); }, hash.c_str());
}

// New files in the downloads folder go to the browser (Blob + a temporary link), which
// also removes them; a folder of numbered PNGs arrives as FOLDER_step_NNNNN.png files.
void HandOverDownloads() {
  std::error_code error;
  std::vector<fs::path> files, folders;
  for (fs::recursive_directory_iterator it(kDownloads, error), end; !error && it != end; it.increment(error)) {
    if (it->is_directory(error)) folders.push_back(it->path());
    if (!it->is_regular_file(error)) continue;
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.') files.push_back(it->path());  // not a save's temporary file
  }
  for (const fs::path& file : files) {
    std::string shown = fs::relative(file, kDownloads, error).string();
    std::replace(shown.begin(), shown.end(), '/', '_');
    EM_ASM({ im2colLabDownload(UTF8ToString($0), UTF8ToString($1)); }, file.string().c_str(), shown.c_str());
  }
  for (auto folder = folders.rbegin(); folder != folders.rend(); ++folder) {
    if (fs::is_empty(*folder, error)) fs::remove(*folder, error);
  }
}

void SyncSettingsIfChanged(WebApp& app) {
  const std::string path = io::DefaultSettingsPath();
  std::error_code error;
  if (path.empty() || !fs::exists(path, error)) return;
  const auto stamp = std::to_string(fs::file_size(path, error)) + ":" +
                     std::to_string(static_cast<long long>(fs::last_write_time(path, error).time_since_epoch().count()));
  if (stamp == app.settings_written) return;
  app.settings_written = stamp;
  EM_ASM({ FS.syncfs(false, function(e) { if (e) console.warn("settings not saved to IndexedDB", e); }); });
}

void Frame(void* arg) {
  WebApp& app = *static_cast<WebApp*>(arg);
  AppState& state = app.state;
  const double start = emscripten_get_now();
  app.platform.FollowPageSize();
  int width = 0, height = 0;

  // A large recompute runs one part a frame here (the page has no worker threads), so
  // the page stays responsive and the shape panel's progress line moves meanwhile.
  const double parts_start = emscripten_get_now();
  RunBackgroundParts(state);
  double split[5] = {emscripten_get_now() - parts_start, 0, 0, 0, 0};
  app.max_part_ms = std::max(app.max_part_ms, split[0]);
  const double now = PlatformNow();
  AdvancePlayback(state, static_cast<float>(now - app.last_time));
  split[1] = emscripten_get_now() - parts_start - split[0];
  app.last_time = now;
  std::string error;
  if (!app.platform.EnsureStyle(state.theme, EffectiveFontScale(state), &error)) {
    state.status = error;
    state.status_is_error = true;
  }
  app.platform.FramebufferSize(&width, &height);
  state.width = width;
  state.height = height;
  if (width > 0 && height > 0) {
    const bool record = app.record_layout;
    if (record) BeginLayoutRecording();
    const double ui_start = emscripten_get_now();
    app.platform.DeliverDueKeyReleases();
    app.platform.BeginFrame();
    app.platform.FrameSawKeys();
    DrawAppFrame(state, &app.platform.gpu());
    const double gl_start = emscripten_get_now();
    app.platform.DrawToWindow(ActivePalette().panel, width, height);
    app.platform.SwapBuffers();
    if (app.edit_started > 0.0 && !IsComputing(state)) {
      app.last_edit_shown_ms = emscripten_get_now() - app.edit_started;
      app.edit_started = 0.0;
    }
    split[2] = gl_start - ui_start;
    split[3] = emscripten_get_now() - gl_start;
    app.ui_ms.push_back(split[2]);
    app.gl_ms.push_back(split[3]);
    app.drawn_share.push_back(static_cast<double>(app.platform.presenter().last_drawn_pixels()) /
                              (static_cast<double>(width) * height));
    if (record) {
      app.layout_json = LayoutJson(width, height, EndLayoutRecording());
      app.record_layout = false;
    }
  }
  // Open: the browser's file picker instead of a path field (the picked file comes back
  // through im2col_web_open_file).
  if (state.ui.file_action == ShellUi::FileAction::Open) {
    state.ui.file_action = ShellUi::FileAction::None;
    EM_ASM({ im2colLabPickFile(); });
  }
  const double apply_start = emscripten_get_now();
  const bool had_intents = !state.intents.empty();
  const Index generation = state.scenario_generation;
  ApplyIntents(state);
  split[4] = emscripten_get_now() - apply_start;
  if (had_intents) {
    app.last_apply_ms = split[4];
    app.max_apply_ms = std::max(app.max_apply_ms, app.last_apply_ms);
    if (app.edit_started == 0.0 && (IsComputing(state) || state.scenario_generation != generation)) {
      app.edit_started = apply_start;
    }
  }
  if (app.pending_step >= 0 && state.timeline && !IsComputing(state)) {
    const Index last = StepCount(state) - 1;
    if (app.pending_step > last) {
      state.status = "link: step " + std::to_string(app.pending_step) + " is past the last step (" +
                     std::to_string(last) + "); showing the last step";
      state.status_is_error = true;
    }
    PushIntent(state, intent::SetPlaying{false});
    PushIntent(state, intent::SetStep{std::min<Index>(app.pending_step, last)});
    app.pending_step = -1;
  }
  if (!state.ui.export_request.empty() && state.classroom.request.kind == ExportRequest::Kind::None) {
    // The toolbar's Export PNG: the window's size, drawn offscreen like the Export window's.
    state.classroom.request.kind = ExportRequest::Kind::FramePng;
    state.classroom.request.path = state.ui.export_request;
    state.classroom.request.width = width;
    state.classroom.request.height = height;
    state.ui.export_request.clear();
  }
  ProcessClassroomRequests(app.platform, state);
  FollowHash(app, now);
  if (++app.frames % 15 == 0) {
    HandOverDownloads();
    SyncSettingsIfChanged(app);
  }
  const double cost = emscripten_get_now() - start;
  if (app.frame_ms.size() < kFrameSamples) {
    app.frame_ms.push_back(cost);
  } else {
    app.frame_ms[app.frame_next] = cost;
  }
  app.frame_next = (app.frame_next + 1) % kFrameSamples;
  if (cost > app.max_frame_ms) {
    app.max_frame_ms = cost;
    std::copy(split, split + 5, app.max_frame_split);
  }
}

std::string& Returned() {  // the text an exported function returns (valid until the next call)
  static std::string text;
  return text;
}

}  // namespace

extern "C" {

// A file the page wrote into the in-memory file system: opened like a dropped file
// (a scenario JSON, or an image that becomes the input).
EMSCRIPTEN_KEEPALIVE void im2col_web_open_file(const char* path) {
  if (g_app == nullptr || path == nullptr) return;
  classroom_action::DropFiles drop;
  drop.paths.emplace_back(path);
  PushIntent(g_app->state, intent::Classroom{drop});
}

// A wheel turn over the canvas, in notches (up and left positive, as on the desktop). The
// page normalises the browser's wheel event: emscripten 3.1.6's GLFW would pass its pixel
// deltas unscaled and with the vertical sign reversed.
EMSCRIPTEN_KEEPALIVE void im2col_web_wheel(double dx, double dy) {
  if (g_app == nullptr) return;
  ImGuiIO& io = ImGui::GetIO();
  io.MouseWheelH += static_cast<float>(dx);
  io.MouseWheel += static_cast<float>(dy);
}

// The address bar's hash changed by hand: open that view.
EMSCRIPTEN_KEEPALIVE void im2col_web_set_hash(const char* hash) {
  if (g_app == nullptr || hash == nullptr || g_app->hash_written == hash) return;
  ShowLink(*g_app, hash);
}

// {"step","steps","phase","shape":{...},"layout","order","preset","playing","status",
//  "status_is_error","theme","font_scale","cost_measured","cost_error","pending"}
EMSCRIPTEN_KEEPALIVE const char* im2col_web_state_json() {
  if (g_app == nullptr) return "{}";
  const AppState& s = g_app->state;
  nlohmann::ordered_json out;
  out["step"] = s.playback.step;
  out["steps"] = s.timeline ? StepCount(s) : 0;
  out["phase"] = s.timeline ? ToString(CurrentPhase(s)) : std::string();
  out["shape"] = nlohmann::ordered_json::parse(io::ScenarioToJson(s.scenario))["shape"];
  out["layout"] = ToString(s.scenario.layout);
  out["order"] = ToString(s.scenario.order);
  out["preset"] = s.ui.preset_name;
  out["playing"] = s.playback.playing;
  out["status"] = s.status;
  out["status_is_error"] = s.status_is_error;
  out["theme"] = ToString(s.theme);
  out["font_scale"] = s.font_scale;
  out["cost_measured"] = s.cost.report.has_value();
  out["cost_error"] = s.cost.error;
  out["pending"] = g_app->pending_step >= 0 || !s.intents.empty() || IsComputing(s);
  Returned() = out.dump();
  return Returned().c_str();
}

// The layout of the next frame (`render --layout-json`'s form): the first call asks for
// it, a later one returns it ("" until drawn).
EMSCRIPTEN_KEEPALIVE const char* im2col_web_layout_json(int request) {
  if (g_app == nullptr) return "";
  if (request) {
    g_app->layout_json.clear();
    g_app->record_layout = true;
  }
  return g_app->layout_json.c_str();
}

// The next frame redraws the whole canvas, not only what changed (tests compare the two).
EMSCRIPTEN_KEEPALIVE void im2col_web_repaint() {
  if (g_app != nullptr) g_app->platform.RepaintWindow();
}

// Frame costs measured inside the page (ms): median and 95th percentile of the last
// frames, the longest frame and where its time went, the last and largest recompute in a
// frame's intents, the longest part of a background task, and the median share of the
// canvas redrawn, and how long the last scenario edit took to be shown.
EMSCRIPTEN_KEEPALIVE const char* im2col_web_frame_stats(int reset) {
  if (g_app == nullptr) return "{}";
  std::vector<double> costs = g_app->frame_ms;
  std::sort(costs.begin(), costs.end());
  nlohmann::ordered_json out;
  out["frames"] = costs.size();
  out["median_ms"] = costs.empty() ? 0.0 : costs[costs.size() / 2];
  out["p95_ms"] = costs.empty() ? 0.0 : costs[std::min(costs.size() - 1, costs.size() * 95 / 100)];
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  out["median_ui_ms"] = median(g_app->ui_ms);
  out["median_gl_ms"] = median(g_app->gl_ms);
  out["max_ms"] = g_app->max_frame_ms;
  out["max_frame_split"] = {{"part", g_app->max_frame_split[0]}, {"adopt", g_app->max_frame_split[1]},
                            {"ui", g_app->max_frame_split[2]}, {"gl", g_app->max_frame_split[3]},
                            {"apply", g_app->max_frame_split[4]}};
  out["last_apply_ms"] = g_app->last_apply_ms;
  out["max_apply_ms"] = g_app->max_apply_ms;
  out["max_part_ms"] = g_app->max_part_ms;
  out["last_edit_shown_ms"] = g_app->last_edit_shown_ms;
  out["drawn_share"] = median(g_app->drawn_share);
  if (reset) {
    g_app->frame_ms.clear();
    g_app->frame_next = 0;
    g_app->max_frame_ms = 0.0;
    g_app->max_apply_ms = 0.0;
    g_app->max_part_ms = 0.0;
    g_app->ui_ms.clear();
    g_app->gl_ms.clear();
    g_app->drawn_share.clear();
  }
  Returned() = out.dump();
  return Returned().c_str();
}

// `bench` in the page: core's loops vs im2col + GEMM timing of the shown shape, on the
// page's one thread (float32, median of `repeats` after a warm-up), as JSON.
EMSCRIPTEN_KEEPALIVE const char* im2col_web_bench(int repeats) {
  if (g_app == nullptr) return "{}";
  nlohmann::ordered_json out;
  try {
    const TimingReport report = MeasureLoopsVsIm2col(g_app->state.scenario.shape, repeats, 1, g_app->state.scenario.order);
    for (const TimingEntry& entry : report.entries) out[entry.name] = entry.ms;
    out["gemm_backend"] = GemmBackendName();
  } catch (const std::exception& e) {
    out["error"] = e.what();
  }
  Returned() = out.dump();
  return Returned().c_str();
}

}  // extern "C"

int main() {
  setenv("XDG_CONFIG_HOME", kSettingsHome, 1);  // the page mounted IndexedDB there
  std::error_code error;
  fs::create_directories(kDownloads, error);
  fs::current_path(kDownloads, error);

  static WebApp app;  // lives as long as the page (the main loop never returns)
  g_app = &app;
  const std::string settings_path = io::DefaultSettingsPath();
  const io::SettingsLoad loaded = io::LoadSettings(settings_path);
  PlatformOptions options;
  options.width = std::max(EM_ASM_INT({ return window.innerWidth; }), 320);
  options.height = std::max(EM_ASM_INT({ return window.innerHeight; }), 240);
  options.font_scale = static_cast<float>(loaded.settings.font_scale);
  std::string message;
  if (!app.platform.Init(options, &message)) {
    EM_ASM({ im2colLabFailed(UTF8ToString($0)); }, message.c_str());
    return 1;
  }
  const std::string hash = ReadHash();
  const io::LinkView view = io::ParseLinkHash(hash);
  app.state = MakeAppState(view.scenario);
  // From here on, large scenarios are computed in parts over frames (RunBackgroundParts).
  app.state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  // The preset the view comes from: the link's, else the chapter's when it is that one.
  const std::string preset_name = view.preset.empty() ? std::string(kChapterPreset) : view.preset;
  const io::ScenarioReadResult preset = io::LoadPreset(preset_name);
  if (preset.ok() && (!view.preset.empty() || preset.document->scenario == view.scenario)) {
    app.state.ui.preset_name = preset_name;
    app.state.ui.preset_scenario = preset.document->scenario;
  }
  // Theme, font scale, recent files; the last scenario only when no link names one.
  AdoptSettings(app.state, loaded, settings_path, /*restore_last_scenario=*/hash.size() <= 1);
  app.pending_step = view.step.value_or(-1);
  if (!view.ok()) {
    app.state.status = view.error;
    app.state.status_is_error = true;
  }
  InstallClassroomCallbacks(app.platform, app.state);  // files dropped on the canvas
  app.last_time = PlatformNow();
  EM_ASM({ im2colLabStarted(); });
  emscripten_set_main_loop_arg(Frame, &app, 0, 1);
  return 0;
}
