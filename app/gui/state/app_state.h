// The one state struct of the window (docs/architecture.md). RunApp and the offscreen
// renderer own an AppState; panels read it and push Intents; ApplyIntents applies
// them between frames. The UI never mutates the computation: it edits a scenario
// and asks core again.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "gui/state/background_task.h"
#include "gui/state/classroom_state.h"
#include "gui/state/equivalence_view.h"
#include "gui/state/hover.h"
#include "gui/state/image_input.h"
#include "gui/state/matrix_packing.h"
#include "gui/state/practice_state.h"
#include "gui/state/scenario_compute.h"
#include "gui/state/tour_state.h"
#include "gui/state/shape_fields.h"
#include "gui/state/zoom_state.h"
#include "io/presets.h"
#include "gui/state/theme_id.h"
#include "im2col/convolution.h"
#include "im2col/fast_conv.h"
#include "im2col/scenario.h"
#include "im2col/timeline.h"

namespace im2col::gui {

// Seconds one step takes at 1x while playing, and the length of a step's transition.
inline constexpr float kStepSeconds = 0.6f;
inline constexpr float kTransitionSeconds = 0.25f;
inline constexpr float kMinSpeed = 0.25f;
inline constexpr float kMaxSpeed = 8.0f;
// "Play this phase in N seconds": a phase that would take longer at the chosen speed
// is played faster (many steps a frame) so that it ends in N seconds. 0: off; auto
// (the default): phases of at least kBigPhaseSteps steps end in kAutoPhaseSeconds,
// smaller ones play at the speed (the 4x4x3 example step by step, AlexNet's million-step
// extract in 15 s).
inline constexpr float kAutoPhaseSeconds = 15.0f;
inline constexpr float kPhaseSecondsAuto = -1.0f;
inline constexpr Index kBigPhaseSteps = 1000;
inline constexpr float kDefaultPhaseSeconds = kPhaseSecondsAuto;
inline constexpr float kMinPhaseSeconds = 1.0f;
inline constexpr float kMaxPhaseSeconds = 600.0f;

struct Playback {
  Index step = 0;
  float transition = 1.0f;  // 0..1 since the last step change; 1 = exactly StateAt(step)
  float speed = 1.0f;       // kMinSpeed..kMaxSpeed
  bool playing = false;
  bool loop = false;
  float step_clock = 0.0f;  // seconds accumulated toward the next automatic step
  Index previous_step = 0;  // the step the transition comes from
  // What one step of the transport (buttons, arrow keys, playback) visits: every step,
  // patch starts, row starts or phase starts (core's NextBoundary).
  Granularity granularity = Granularity::Cell;
  float phase_seconds = kDefaultPhaseSeconds;  // auto (< 0), 0 = off, else kMinPhaseSeconds..kMaxPhaseSeconds
  double step_budget = 0.0;  // steps owed while a phase is fitted into phase_seconds
};


// What the UI asks for; applied in order by ApplyIntents between frames.
namespace intent {
struct SetScenario {
  Scenario scenario;
  bool is_edit = false;  // an edit of the shown one (a typed cell, an image): a preset becomes "custom (from ...)"
};          // replace `edited` (validated first)
struct SetShapeField { ShapeField field; int value; };
struct SetOp { Op op; };                            // conv / transposed (output padding back to 0 for conv)
struct SetShowEquivalence { bool show; };          // transposed: show the conv's dX and zero insertion beside it
struct SetNonSquare { bool non_square; };           // off: h and w move together
struct SetLayout { Layout layout; };
struct SetOrder { Order order; };
struct SetFill { TensorRole role; Fill fill; };
struct SetSeed { std::uint64_t seed; };
struct LoadPreset { std::string name; };
struct OpenScenarioFile { std::string path; };   // keeps the scenario if the file is bad
struct SaveScenarioFile { std::string path; };   // writes `scenario` (the valid one) atomically
struct ExportFrame { std::string path; };        // PNG of the current frame, done by the window loop
struct StepBy { Index delta; };
struct StepUnit { int direction; };              // one unit of playback.granularity (+1 / -1)
struct SetGranularity { Granularity granularity; };
struct SetPhaseSeconds { float seconds; };       // < 0: auto, 0: off
struct DismissStatus {};                         // the status message was read
struct SetStep { Index step; };
struct JumpToPhase { Phase phase; };
struct TogglePlay {};
struct SetPlaying { bool playing; };
struct SetSpeed { float speed; };
struct SetLoop { bool loop; };
struct SetHover { HoverTarget target; };
struct ToggleOverwrite {};
struct SetFontScale { float scale; };
struct SetTheme { ThemeId theme; };
struct Resize { int width, height; };
struct Classroom { ClassroomAction action; };  // classroom_state.h
struct MeasureCost { int threads; };  // time loops vs im2col + GEMM for the shown shape (worker thread)
struct CancelCost {};
struct Practice { PracticeAction action; };  // practice_state.h
struct Tour { TourAction action; };          // tour_state.h
}  // namespace intent

using Intent = std::variant<intent::SetScenario, intent::SetShapeField, intent::SetOp, intent::SetShowEquivalence,
                            intent::SetNonSquare,
                            intent::SetLayout, intent::SetOrder, intent::SetFill, intent::SetSeed,
                            intent::LoadPreset, intent::OpenScenarioFile,
                            intent::SaveScenarioFile, intent::ExportFrame, intent::StepBy, intent::SetStep,
                            intent::JumpToPhase, intent::TogglePlay, intent::SetPlaying,
                            intent::SetSpeed, intent::SetLoop, intent::SetHover,
                            intent::ToggleOverwrite, intent::SetFontScale, intent::SetTheme,
                            intent::Resize, intent::Classroom, intent::MeasureCost, intent::CancelCost,
                            intent::Practice, intent::Tour,
                            intent::StepUnit, intent::SetGranularity, intent::SetPhaseSeconds,
                            intent::DismissStatus>;


// Scenarios at least this large (X_col cells) are computed on the worker when the
// state has one: AlexNet conv1 (1.1 M cells) takes ~20 ms of CPU, the 4x4x3 example 50 us.
inline constexpr Index kBackgroundComputeCells = 100000;

// The Cost section: loops vs im2col + GEMM timed on a worker thread on request.
struct CostMeasurement {
  std::optional<TimingReport> report;
  std::string error;
};
struct CostState {
  std::shared_ptr<LatestTask<CostMeasurement>> task;  // made on the first request
  bool measuring = false;
  Shape measuring_shape;               // what the running measurement times
  std::optional<TimingReport> report;  // the last finished one (its shape may differ from the shown one)
  std::string error;
};

// Text fields and lists the shell's panels keep between frames (no function statics).
struct ShellUi {
  enum class FileAction { None, Open, Save, ExportPng, OpenTour };
  FileAction file_action = FileAction::None;  // which path dialog is open
  std::string file_path = "scenario.json";    // the dialog's text field (MakeAppState: in the documents folder)
  std::string pictures_dir, documents_dir;    // io/user_folders.h, found once ("" = unknown)
  std::vector<io::PresetInfo> presets;        // listed once when the state is made
  std::string preset_name;                    // the preset loaded last ("" after opening a file)
  Scenario preset_scenario;                   // ... and its scenario, to say "(edited)"
  std::string export_request;                 // PNG path the window loop should write
  float playback_bar_height = 0.0f;           // measured last frame (0: not yet)
  int cost_threads = 2;                       // COST: threads for the im2col + GEMM path
};

// The longest number text of each array (FormatNumber), measured once per computation:
// cells are sized from them, so widths do not change with the step.
struct NumberWidths {
  size_t input = 1, weights = 1, output = 1, grad_output = 1, grad_weights = 1, grad_input = 1;
  size_t x_col = 1, w_row = 1, y_mat = 1, grad_x_col = 1, dy_mat = 1, grad_w_row = 1, overlap = 1;
};

// What the stage keeps between frames that is not GPU memory (that is GpuContext's).
struct StageMemory {
  // The user's zoom and pan of each GPU picture, by view id ("x_col", "input[0,2]"):
  // back to fit when the computation changes.
  std::map<std::string, ZoomView> zoom;
  std::weak_ptr<const Computation> widths_of;  // the computation `widths` measured
  NumberWidths widths;
  // The camera (stage_camera.h): it follows the step's blocks until the user scrolls,
  // pans or zooms by hand; Follow (F) brings it back. Fit phase (Z) shows only them.
  bool follow = true;
  bool fit_phase = false;
  ZoomArea camera_at;    // the canvas scroll last frame
  ZoomArea camera_from;  // ... when the step last changed: a forward step glides from it
  Index camera_step = -1;
  Index camera_generation = -1;
  // The transposed scenario's other roads (shown on request), for `equivalence_of`.
  std::weak_ptr<const Computation> equivalence_of;
  std::shared_ptr<const EquivalenceView> equivalence;
};

struct AppState {
  Scenario scenario;                  // the last VALID scenario: what every view shows
  Scenario edited;                    // what the controls show; may be invalid
  std::vector<std::string> errors;    // core's Validate() messages for `edited`
  std::vector<std::string> notes;     // core's Shape::Notes() for `scenario`
  std::string status;                 // last preset / file message (errors name the file)
  bool status_is_error = false;

  std::shared_ptr<const Computation> computation;
  std::shared_ptr<const Timeline> timeline;
  std::shared_ptr<const PackedMatrices> packed;  // with `computation` from the worker, or null
  FrameState frame;                   // == StateAt(*computation, *timeline, playback.step)
  Index frame_step = -1;              // the step `frame` was computed for

  Playback playback;
  HoverTarget hover;
  bool overwrite_mode = false;        // col2im "=" (the bug) instead of "+="
  // A tour step on show (`render --tour`): the narration heads the THIS STEP panel and
  // every layout id in `pointed_ids` gets an outline. Both empty otherwise.
  std::string tour_narration;
  std::vector<std::string> pointed_ids;
  bool non_square = false;            // SHAPE panel: edit h and w separately
  bool show_equivalence = false;      // transposed: the matching conv's dX and zero insertion, marked equal
  ShapeField last_edited_field = ShapeField::Batch;  // where errors are shown first
  bool has_last_edited_field = false;
  float font_scale = 1.0f;
  ThemeId theme = ThemeId::Light;
  int width = 1600, height = 900;     // framebuffer size

  // Set by the interactive window: large scenarios are computed on a worker while the
  // views keep showing the last result. Null (renders, tests): on the calling thread.
  std::shared_ptr<LatestTask<ComputedScenario>> compute_task;
  Scenario computing;                 // the scenario the worker computes (while Busy())
  // What a worker result replaced: handed to the worker to free (tens of MB) once
  // nothing else holds it, i.e. when the textures have let go of the old values.
  struct Retired {
    std::shared_ptr<const Computation> computation;
    std::shared_ptr<const PackedMatrices> packed;  // null, or packed from `computation`
  };
  std::vector<Retired> retired;
  // Set by the interactive window too: images are decoded (and averaged down to the
  // input) there, so a 32-megapixel photo never freezes a frame. Null: decoded at once.
  std::shared_ptr<LatestTask<DecodedImage>> image_task;
  CostState cost;

  ShellUi ui;
  StageMemory stage;                  // zoom per picture, number widths
  ClassroomUi classroom;             // presentation, cell edits, files, exports
  PracticeUi practice;               // practice mode: question, answer, score
  TourUi tour;                       // the tour player and recorder
  std::vector<Intent> intents;        // queued by the UI during a frame
  Index scenario_generation = 0;      // bumps whenever `scenario` changes (views cache on it)
};

// A state showing `initial` (which must be valid; otherwise the chapter default is used
// and `errors` says why), at step 0.
AppState MakeAppState(const Scenario& initial);

void PushIntent(AppState& state, Intent intent);
// Applies and clears the queue. Invalid edits keep the last valid scenario and set `errors`.
void ApplyIntents(AppState& state);

// Advances playback by dt seconds (auto-stepping while playing, transitions otherwise).
// Returns true while something is animating (the caller keeps redrawing).
bool AdvancePlayback(AppState& state, float dt_seconds);

// Steps per second playback goes through in the current phase (the phase fitted into
// phase_seconds when that is faster than one unit per step time at `speed`).
double PlaybackStepsPerSecond(const AppState& state);

// True while the picture still changes without input (playing or mid-transition).
bool IsAnimating(const AppState& state);

// Adopts finished worker results (a computed scenario, a decoded image, a cost measurement); called
// once a frame by AdvancePlayback. True while a worker is still busy.
bool PollBackgroundWork(AppState& state);
bool HasBackgroundWork(const AppState& state);
// Without worker threads (the browser page): runs the next part of each background
// task here; call once a frame, before AdvancePlayback adopts what finished. True
// while parts remain. Does nothing for tasks a worker runs.
bool RunBackgroundParts(AppState& state);
// True while the worker computes a scenario the views do not show yet.
bool IsComputing(const AppState& state);

// The title of a preset once edited: "custom (from <preset title>)".
std::string CustomTitle(const std::string& preset_title);

// Clamped step count helpers.
Index StepCount(const AppState& state);
Phase CurrentPhase(const AppState& state);

}  // namespace im2col::gui
