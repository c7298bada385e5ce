// The GUI monkey: thousands of frames of the real window code (DrawAppFrame, the
// intent queue, playback, fonts, themes, the GL renderer) driven by random input:
// slider values in and out of range and invalid combinations, presets, layout and
// order toggles, steps and scrubs, hovers, tiny and huge window sizes, font-scale
// extremes, typed text ("nan", "1e309", "", "abc") into the widgets and explicit
// values that are not finite, files that are broken or missing, plus a random mouse
// and keyboard on top of it all.
//
//   gui_monkey_test [--seed N] [--frames N]
//   env IM2COL_LAB_MONKEY_FRAMES (default 10000), IM2COL_LAB_MONKEY_SEED (default: time)
//
// Passes when every frame keeps the invariants (the shown scenario is valid and is
// what core computed, the step is in range, bad edits are reported and change
// nothing), and nothing crashes, trips a sanitizer or fails an assertion: ImGui's
// IM_ASSERT (assert() in Debian's libimgui) is caught by our own __assert_fail,
// which names the frame and the seed. Replay a failure with IM2COL_LAB_MONKEY_SEED.
// Needs a display: ctest runs under xvfb-run (scripts/test.sh); without one it is
// skipped (exit 77).
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/panels/frame.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "io/presets.h"
#include "io/scenario_json.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
namespace fs = std::filesystem;

// [SECTION] Failure reporting ---------------------------------------------------------

// What a crash report needs to be replayable (test-only globals: read by handlers).
std::uint64_t g_seed = 0;
long g_frame = -1;
const char* g_doing = "starting";

void PrintReplayHint() {
  std::fprintf(stderr, "monkey: failed at frame %ld (%s); replay with IM2COL_LAB_MONKEY_SEED=%llu\n", g_frame,
               g_doing, static_cast<unsigned long long>(g_seed));
}

void OnFatalSignal(int signal_number) {
  PrintReplayHint();
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "monkey: invariant broken: %s\n", what.c_str());
  PrintReplayHint();
  std::exit(1);
}

}  // namespace

// Debian's libimgui.a is built with IM_ASSERT = assert(); this definition takes the
// place of glibc's for every assert() linked into this executable, ImGui's included.
extern "C" [[noreturn]] void __assert_fail(const char* assertion, const char* file, unsigned int line,
                                           const char* function) noexcept {
  std::fprintf(stderr, "monkey: assertion failed: %s\n  at %s:%u in %s\n", assertion, file, line, function);
  PrintReplayHint();
  std::_Exit(1);
}

namespace {

// [SECTION] Random choices -------------------------------------------------------------

class Dice {
 public:
  explicit Dice(std::uint64_t seed) : engine_(seed) {}
  int Int(int min, int max) { return std::uniform_int_distribution<int>(min, max)(engine_); }
  Index Index64(Index min, Index max) { return std::uniform_int_distribution<Index>(min, max)(engine_); }
  float Float(float min, float max) { return std::uniform_real_distribution<float>(min, max)(engine_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(engine_); }
  std::uint64_t Bits() { return engine_(); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Int(0, static_cast<int>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Values a user can type into a slider (Ctrl+click): extremes included. ImGui's
// SliderInt asserts on ranges beyond +-INT_MAX/2, which the SHAPE panel once passed on.
const std::vector<int>& ExtremeSliderValues() {
  static const std::vector<int> values = {INT_MAX, INT_MIN, 1 << 30, -(1 << 30), (1 << 20) + 1};
  return values;
}

// A value a slider (or typing into it) might produce: mostly sensible, sometimes not.
int SliderValue(Dice& dice) {
  static const std::vector<int> kOdd = [] {
    std::vector<int> odd = {0, -1, -7, 1 << 20, 99999, 1000};
    for (int v : ExtremeSliderValues()) odd.push_back(v);
    return odd;
  }();
  if (dice.Chance(0.15)) return dice.Pick(kOdd);
  return dice.Int(-2, 12);
}

// Most shapes small; the monkey must stay fast, so accepted shapes are kept under
// this many X_col cells (huge accepted shapes are the limits tests' business).
constexpr double kMaxMonkeyCells = 400000.0;

double XColCells(const Shape& s) {
  return static_cast<double>(s.channels) * s.kernel.h * s.kernel.w * static_cast<double>(s.batch) *
         std::max(0, s.OutHeight()) * std::max(0, s.OutWidth()) * std::max(1, s.filters);
}

bool TooHeavyForTheMonkey(const Shape& s) { return s.IsValid() && XColCells(s) > kMaxMonkeyCells; }

// Explicit values as a user might type them into cells.
std::vector<double> TypedValues(Dice& dice, Index count) {
  static const std::vector<std::string> kTyped = {"1", "-2.5", "0", "nan", "1e309", "-1e309", "", "abc", "1e13",
                                                  "inf", "3", "1e12", "-0"};
  std::vector<double> values(static_cast<std::size_t>(std::clamp<Index>(count, 0, 100000)));
  for (double& v : values) {
    const std::string& text = dice.Pick(kTyped);
    char* end = nullptr;
    v = std::strtod(text.c_str(), &end);          // "1e309" -> inf, "nan" -> NaN
    if (text.empty() || *end != '\0') v = std::nan("");  // what a cell holding "abc" or "" would mean
  }
  return values;
}

HoverTarget RandomHover(Dice& dice) {
  using Kind = HoverTarget::Kind;
  const Kind kind = static_cast<Kind>(dice.Int(0, static_cast<int>(Kind::GradInputPixel)));
  const auto coordinate = [&] { return dice.Chance(0.8) ? dice.Int(-2, 12) : dice.Int(INT_MIN, INT_MAX); };
  const auto index = [&] {
    return dice.Chance(0.8) ? dice.Index64(-2, 40) : dice.Index64(std::numeric_limits<Index>::min(),
                                                                  std::numeric_limits<Index>::max());
  };
  switch (kind) {
    case Kind::XColCell: case Kind::WRowCell: case Kind::YCell: case Kind::DyCell:
    case Kind::GradWRowCell: case Kind::GradXColCell:
      return HoverTarget::Matrix(kind, index(), index());
    default:
      return HoverTarget::Tensor(kind, coordinate(), coordinate(), coordinate(), coordinate());
  }
}

// [SECTION] Files the monkey opens and saves ---------------------------------------------

struct Files {
  fs::path dir;
  std::vector<std::string> bad;   // every one must be refused, keeping the scenario
  std::vector<std::string> good;  // valid scenarios
  std::vector<std::string> save_targets;
};

Files MakeFiles(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir / "a-directory.json");
  Files files;
  files.dir = dir;
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  files.good.push_back(write("good.json", io::ScenarioToJson(Scenario{})));
  files.good.push_back(write("values.json",
      R"({"shape": {"channels": 1, "height": 3, "width": 3, "kernel": 2}, "input": {"values": [1,2,3,4,5,6,7,8,9]}})"));
  files.bad = {
      write("garbage.json", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11)),
      write("empty.json", ""),
      write("truncated.json", R"({"shape": {"kernel": [3,)"),
      write("nan.json", R"({"bias": {"values": [NaN]}})"),
      write("overflow.json", R"({"bias": {"values": [1e309]}})"),
      write("huge-value.json", R"({"bias": {"values": [1e13]}})"),
      write("wrong-count.json", R"({"input": {"values": [1, 2, 3]}})"),
      write("over-cap.json", R"({"shape": {"height": 4096, "width": 4096, "channels": 64, "kernel": 3}})"),
      write("deep.json", std::string(100000, '[') + std::string(100000, ']')),
      write("kernel-zero.json", R"({"shape": {"kernel": 0}})"),
      (dir / "a-directory.json").string(),
      (dir / "missing.json").string(),
      "",
      "/proc/self/mem",
  };
  files.save_targets = {(dir / "saved.json").string(), (dir / "a-directory.json").string(),
                        "/nonexistent-dir/im2col/x.json", "", (dir / "sub" / "no-such-dir" / "x.json").string()};
  return files;
}

// [SECTION] One random intent --------------------------------------------------------------

struct Expectation {
  bool must_keep_scenario = false;  // a bad file was opened: nothing may change
  std::string what;
};

Intent RandomIntent(Dice& dice, const AppState& state, const Files& files, Expectation* expect) {
  static const std::vector<std::string> kPresetNames = {
      "chapter-4x4x3", "smaller-3x3-by-2x2", "stride2-no-overlap", "padding1", "dilation2", "non-square", "batch2",
      "rows-layout", "alexnet-conv1", "nope", "", "../assets/presets/padding1", "/etc/passwd", "padding1\n",
      "transposed-k3s2", "transposed-of-3x3-by-2x2", "depthwise-3x3", "mobilenet-depthwise"};
  static const std::vector<float> kOddFloats = {0.0f, -1.0f, kNaN, kInf, -kInf, 1e9f, 0.5f, 3.0f, 0.25f, 8.0f, 1.0f};
  const Index steps = StepCount(state);
  switch (dice.Int(0, 22)) {
    case 0: case 1: case 2: {  // sliders, the most common thing people touch
      const ShapeField field = static_cast<ShapeField>(dice.Int(0, kShapeFieldCount - 1));
      int value = SliderValue(dice);
      Shape next = state.edited.shape;
      SetShapeFieldValue(next, field, value);
      if (TooHeavyForTheMonkey(next)) value = 1;
      return intent::SetShapeField{field, value};
    }
    case 3:
      switch (dice.Int(0, 2)) {
        case 0: return intent::SetNonSquare{dice.Chance(0.5)};
        case 1: {
          Shape next = state.edited.shape;
          next.op = dice.Chance(0.5) ? Op::Transposed : Op::Conv;
          return intent::SetOp{TooHeavyForTheMonkey(next) ? Op::Conv : next.op};
        }
        default: return intent::SetShowEquivalence{dice.Chance(0.5)};
      }
    case 4: return intent::SetLayout{dice.Chance(0.5) ? Layout::Rows : Layout::Columns};
    case 5: return intent::SetOrder{dice.Chance(0.5) ? Order::ColumnMajor : Order::RowMajor};
    case 6:
      return intent::SetFill{static_cast<TensorRole>(dice.Int(0, 3)), static_cast<Fill>(dice.Int(0, 3))};
    case 7: return intent::SetSeed{dice.Bits()};
    case 8: return intent::LoadPreset{dice.Pick(kPresetNames)};
    case 9: case 10: return intent::StepBy{dice.Chance(0.8) ? Index{dice.Int(-3, 3)} : dice.Index64(-1000000000000, 1000000000000)};
    case 11: case 12: {  // scrubbing: anywhere, including before the start and past the end
      const Index step = dice.Chance(0.8) ? dice.Index64(0, std::max<Index>(steps - 1, 0))
                                          : dice.Index64(std::numeric_limits<Index>::min(), std::numeric_limits<Index>::max());
      return intent::SetStep{step};
    }
    case 13: return intent::JumpToPhase{static_cast<Phase>(dice.Int(0, static_cast<int>(Phase::GradInput)))};
    case 14: {
      switch (dice.Int(0, 4)) {
        case 0: return intent::TogglePlay{};
        case 1: return intent::SetPlaying{dice.Chance(0.5)};
        case 2: return intent::SetSpeed{dice.Pick(kOddFloats)};
        case 3: return intent::SetLoop{dice.Chance(0.5)};
        default: return intent::ToggleOverwrite{};
      }
    }
    case 15: case 16: return intent::SetHover{RandomHover(dice)};
    case 17: {
      if (dice.Chance(0.9)) return intent::SetTheme{static_cast<ThemeId>(dice.Int(0, kThemeCount - 1))};
      return intent::SetFontScale{dice.Pick(kOddFloats)};  // rebuilds the font atlas: rarer
    }
    case 18: {  // typed cell values: a whole tensor of them, sometimes the wrong count
      Scenario next = state.edited;
      const TensorRole role = static_cast<TensorRole>(dice.Int(0, 3));
      if (next.shape.IsValid()) {
        const Index count = TensorSize(next.shape, role) + (dice.Chance(0.2) ? dice.Int(-1, 1) : 0);
        next.Source(role).values = TypedValues(dice, count);
      }
      if (dice.Chance(0.3)) next.shape.kernel = {dice.Int(-1, 6), dice.Int(-1, 6)};
      if (TooHeavyForTheMonkey(next.shape)) next.shape = state.edited.shape;
      return intent::SetScenario{next};
    }
    case 19: {
      if (dice.Chance(0.75)) {
        expect->must_keep_scenario = true;
        expect->what = "opening a bad file";
        return intent::OpenScenarioFile{dice.Pick(files.bad)};
      }
      return intent::OpenScenarioFile{dice.Pick(files.good)};
    }
    case 20: return intent::SaveScenarioFile{dice.Pick(files.save_targets)};
    case 21:  // the Cost section's timing on its worker thread (rarely: it takes seconds at AlexNet size)
      if (dice.Chance(0.1)) {
        if (dice.Chance(0.7)) return intent::MeasureCost{dice.Chance(0.8) ? dice.Int(1, 2) : dice.Pick(std::vector<int>{0, -3, 70, INT_MIN})};
        return intent::CancelCost{};
      }
      return intent::SetStep{0};
    default: {
      // Mostly real sizes, some tiny; minimised (0) and nonsense (negative) rarely, and
      // never for long (the next Resize restores a size).
      static const std::vector<int> kSides = {1, 2, 17, 120, 320, 480, 640, 800, 1280, 1600, 1920, 3840};
      static const std::vector<int> kOddSides = {0, -5, INT_MIN, INT_MAX};
      const auto side = [&] { return dice.Chance(0.05) ? dice.Pick(kOddSides) : dice.Pick(kSides); };
      return intent::Resize{side(), side()};
    }
  }
}

// [SECTION] Mouse and keyboard -----------------------------------------------------------

struct PointerState {
  ImVec2 position{100.0f, 100.0f};
  bool left = false;
  bool right = false;
  std::string pending_text;  // typed over the next frames
};

// After the backends' NewFrame (which read the hidden window) and before ImGui::NewFrame.
void InjectInput(Dice& dice, PointerState& pointer, float width, float height) {
  ImGuiIO& io = ImGui::GetIO();
  if (dice.Chance(0.1)) {
    pointer.position = ImVec2(dice.Float(-20.0f, width + 20.0f), dice.Float(-20.0f, height + 20.0f));
  } else {
    pointer.position.x += dice.Float(-40.0f, 40.0f);
    pointer.position.y += dice.Float(-40.0f, 40.0f);
  }
  if (dice.Chance(0.15)) pointer.left = !pointer.left;
  if (dice.Chance(0.03)) pointer.right = !pointer.right;
  io.MousePos = dice.Chance(0.02) ? ImVec2(-FLT_MAX, -FLT_MAX) : pointer.position;
  io.MouseDown[0] = pointer.left;
  io.MouseDown[1] = pointer.right;
  io.MouseWheel = dice.Chance(0.05) ? dice.Float(-5.0f, 5.0f) : 0.0f;
  io.KeyCtrl = dice.Chance(0.05);  // ctrl+click turns a slider into a text field
  io.KeyShift = dice.Chance(0.03);

  static const std::vector<std::string> kTyped = {"nan", "1e309", "", "abc", "-1", "99999999999", "3", "0",
                                                  "-2147483648", "1e-400", "\xff\xfe", "12x", "\xe2\x88\x9e"};
  if (pointer.pending_text.empty() && dice.Chance(0.05)) pointer.pending_text = dice.Pick(kTyped);
  if (!pointer.pending_text.empty()) {
    io.AddInputCharactersUTF8(pointer.pending_text.substr(0, 1).c_str());
    pointer.pending_text.erase(0, 1);
  }
  static const std::vector<int> kKeys = {GLFW_KEY_ENTER, GLFW_KEY_ESCAPE, GLFW_KEY_TAB, GLFW_KEY_BACKSPACE,
                                         GLFW_KEY_LEFT, GLFW_KEY_RIGHT, GLFW_KEY_UP, GLFW_KEY_DOWN,
                                         GLFW_KEY_DELETE, GLFW_KEY_HOME, GLFW_KEY_END, GLFW_KEY_A, GLFW_KEY_SPACE};
  for (int key : kKeys) io.KeysDown[key] = false;
  if (dice.Chance(0.08)) io.KeysDown[dice.Pick(kKeys)] = true;
  io.DeltaTime = 1.0f / 60.0f;
}

// [SECTION] Invariants -------------------------------------------------------------------

void CheckInvariants(const AppState& state) {
  if (!state.computation || !state.timeline) Fail("no computation or timeline");
  const auto problems = state.scenario.Validate();
  if (!problems.empty()) Fail("the shown scenario is invalid: " + problems.front());
  if (!(state.computation->scenario == state.scenario)) Fail("the computation is not of the shown scenario");
  if (!(state.timeline->shape() == state.scenario.shape)) Fail("the timeline is not of the shown shape");
  const Index steps = state.timeline->StepCount();
  if (state.playback.step < 0 || state.playback.step >= steps) {
    Fail("step " + std::to_string(state.playback.step) + " outside 0.." + std::to_string(steps - 1));
  }
  if (state.frame_step != state.playback.step) Fail("the frame state is stale");
  if (state.frame.step.index != state.playback.step) Fail("the frame state is of another step");
  if (state.errors != state.edited.Validate()) Fail("errors do not match the edited scenario");
  if (!(state.font_scale >= 0.5f && state.font_scale <= 3.0f)) Fail("font scale " + std::to_string(state.font_scale));
  if (!(state.playback.speed >= kMinSpeed && state.playback.speed <= kMaxSpeed)) Fail("speed out of range");
  if (!(state.playback.transition >= 0.0f && state.playback.transition <= 1.0f)) Fail("transition out of 0..1");
  if (state.width < 0 || state.height < 0) Fail("negative window size");
}

// [SECTION] Options ----------------------------------------------------------------------

long FramesFromEnvironment() {
  const char* text = std::getenv("IM2COL_LAB_MONKEY_FRAMES");
  if (text == nullptr || *text == '\0') return 10000;
  char* end = nullptr;
  const long frames = std::strtol(text, &end, 10);
  if (*end != '\0' || frames < 1) {
    std::fprintf(stderr, "monkey: IM2COL_LAB_MONKEY_FRAMES must be a positive integer, got '%s'\n", text);
    std::exit(2);
  }
  return frames;
}

std::uint64_t SeedFromEnvironment() {
  const char* text = std::getenv("IM2COL_LAB_MONKEY_SEED");
  if (text != nullptr && *text != '\0') return std::strtoull(text, nullptr, 10);
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

int main(int argc, char** argv) {
  long frames = FramesFromEnvironment();
  g_seed = SeedFromEnvironment();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0) g_seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--frames") == 0) frames = std::max(1L, std::strtol(argv[i + 1], nullptr, 10));
  }
  std::printf("monkey: seed %llu, %ld frames (replay: IM2COL_LAB_MONKEY_SEED=%llu)\n",
              static_cast<unsigned long long>(g_seed), frames, static_cast<unsigned long long>(g_seed));
  std::fflush(stdout);
  for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(s, OnFatalSignal);

  // The settings of whoever runs the test must not leak in, nor be overwritten.
  const fs::path scratch = fs::temp_directory_path() / ("im2col-monkey-" + std::to_string(::getpid()));
  ::setenv("XDG_CONFIG_HOME", (scratch / "config").c_str(), 1);
  const Files files = MakeFiles(scratch / "files");

  Platform platform;
  PlatformOptions options;
  options.visible = false;
  options.vsync = false;
  std::string error;
  if (!platform.Init(options, &error)) {
    std::printf("monkey: SKIPPED, no display: %s\n", error.c_str());
    fs::remove_all(scratch);
    return 77;
  }

  Dice dice(g_seed);
  AppState state = MakeAppState(Scenario{});
  PointerState pointer;
  const auto draw_frame = [&](int width, int height) {
    if (!platform.EnsureStyle(state.theme, state.font_scale, &error)) Fail("EnsureStyle: " + error);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    InjectInput(dice, pointer, static_cast<float>(width), static_cast<float>(height));
    ImGui::NewFrame();
    DrawAppFrame(state, &platform.gpu());
    // The hidden window is 64x64, so the GPU rasterises only a corner: every draw call,
    // texture upload and shader runs, the fill costs little.
    platform.RenderFrame(0xFF202020u, width, height);
  };

  // Deterministic prologue: every slider shows each extreme value a user can type
  // (Ctrl+click) at a full-size window, then goes back to the chapter's example.
  g_doing = "drawing extreme slider values";
  for (int field = 0; field < kShapeFieldCount; ++field) {
    for (int value : ExtremeSliderValues()) {
      PushIntent(state, intent::SetNonSquare{true});
      PushIntent(state, intent::SetShapeField{static_cast<ShapeField>(field), value});
      ApplyIntents(state);
      CheckInvariants(state);
      if (state.errors.empty()) Fail("an extreme slider value was accepted");
      draw_frame(1920, 1080);
    }
    PushIntent(state, intent::SetScenario{Scenario{}});
    ApplyIntents(state);
  }
  const auto start = std::chrono::steady_clock::now();
  long drawn = 0, intents_applied = 0, refused_files = 0, exports = 0;

  for (g_frame = 0; g_frame < frames; ++g_frame) {
    if (g_frame > 0 && g_frame % 1000 == 0) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("monkey: frame %ld, %.1f s, scenario '%s', step %lld/%lld\n", g_frame, seconds,
                  state.scenario.title.c_str(), static_cast<long long>(state.playback.step),
                  static_cast<long long>(StepCount(state)));
      std::fflush(stdout);
    }
    // Between frames, as the window loop does: intents, then playback.
    g_doing = "applying intents";
    Expectation expect;
    const int count = dice.Chance(0.6) ? dice.Int(1, 3) : 0;
    for (int i = 0; i < count; ++i) {
      Intent next = RandomIntent(dice, state, files, &expect);
      if (expect.must_keep_scenario) {  // a bad file is opened alone, so its effect can be checked
        state.intents.clear();
        PushIntent(state, std::move(next));
        break;
      }
      PushIntent(state, std::move(next));
    }
    const Scenario before = state.scenario;
    intents_applied += static_cast<long>(state.intents.size());
    ApplyIntents(state);
    if (expect.must_keep_scenario) {
      if (!(state.scenario == before)) Fail(expect.what + " changed the scenario");
      if (!state.status_is_error || state.status.empty()) Fail(expect.what + " gave no error message");
      ++refused_files;
    }
    static const std::vector<float> kDeltas = {1.0f / 60.0f, 1.0f / 60.0f, 1.0f / 30.0f, 0.0f, -1.0f, kNaN, kInf, 1e9f, 0.5f};
    g_doing = "advancing playback";
    AdvancePlayback(state, dice.Pick(kDeltas));
    CheckInvariants(state);

    if (!state.ui.export_request.empty()) {  // the window loop's "Export PNG", at a small size
      g_doing = "exporting a frame";
      state.ui.export_request.clear();
      if (exports < 3) {
        AppState copy = state;
        RgbImage image;
        if (RenderStateToImage(platform, copy, 640, 360, &image, nullptr, &error) && image.width != 640) {
          Fail("export gave a " + std::to_string(image.width) + " px wide image");
        }
        ++exports;
      }
    }

    // The frame itself, at the size the last Resize asked for (0: minimised, skipped).
    const int width = std::min(state.width, 8192), height = std::min(state.height, 8192);
    if (width <= 0 || height <= 0) continue;
    g_doing = "drawing";
    draw_frame(width, height);
    ++drawn;

  }

  // Still alive and still obeying: the chapter preset loads and stepping works.
  g_doing = "final check";
  PushIntent(state, intent::LoadPreset{"chapter-4x4x3"});
  PushIntent(state, intent::SetStep{0});
  PushIntent(state, intent::StepBy{1});
  ApplyIntents(state);
  CheckInvariants(state);
  const io::ScenarioReadResult chapter = io::LoadPreset("chapter-4x4x3");
  if (!chapter.ok() || !(state.scenario == chapter.document->scenario)) Fail("the chapter preset did not load at the end");
  if (state.playback.step != 1) Fail("StepBy{1} from step 0 did not reach step 1");

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("monkey: PASSED %ld frames (%ld drawn) in %.1f s, %ld intents, %ld bad files refused, seed %llu\n",
              frames, drawn, seconds, intents_applied, refused_files, static_cast<unsigned long long>(g_seed));
  platform.Shutdown();
  fs::remove_all(scratch);
  return 0;
}
