// Applying intents between frames: the only place AppState changes. Invalid edits
// keep the last valid scenario (core's Validate() decides) and record why.
#include "gui/state/app_state.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <limits>
#include <thread>
#include <type_traits>

#include "io/presets.h"
#include "io/user_folders.h"
#include "io/scenario_json.h"
#include "gui/state/session_settings.h"

namespace im2col::gui {
namespace {

// Threads for a computation on the worker: the window's other work waits on it, and
// the software renderer's threads take their turns on the same cores.
int BackgroundComputeThreads() {
  return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4);
}

// Hands the replaced results nothing else holds any more to the worker to free.
void DisposeRetired(AppState& state) {
  auto only_retired_holds_it = [](const AppState::Retired& r) {
    // `packed` holds one more reference to the computation.
    if (r.packed) return r.packed.use_count() == 1 && r.computation.use_count() == 2;
    return r.computation.use_count() == 1;
  };
  auto it = std::stable_partition(state.retired.begin(), state.retired.end(),
                                  [&](const AppState::Retired& r) { return !only_retired_holds_it(r); });
  for (auto free = it; free != state.retired.end(); ++free) {
    state.compute_task->Dispose(std::move(free->packed));
    state.compute_task->Dispose(std::move(free->computation));
  }
  state.retired.erase(it, state.retired.end());
}

// Recomputes `frame` when the step or the scenario changed since it was computed.
void RefreshFrame(AppState& state, bool force) {
  if (!state.computation || !state.timeline) return;
  const Index count = state.timeline->StepCount();
  state.playback.step = std::clamp<Index>(state.playback.step, 0, std::max<Index>(count - 1, 0));
  if (!force && state.frame_step == state.playback.step) return;
  state.frame = FrameState{};  // its col2im sums (3 image-sized tensors) go before the next are made
  state.frame = StateAt(*state.computation, *state.timeline, state.playback.step);
  state.frame_step = state.playback.step;
}

// Makes a computed scenario the shown one. Returns false (with the reason in
// `errors`) if core refused it.
bool AdoptComputed(AppState& state, ComputedScenario&& computed) {
  if (!computed.error.empty() || !computed.computation || !computed.timeline) {
    state.errors = {computed.error.empty() ? std::string("could not compute this scenario") : computed.error};
    return false;
  }
  const std::shared_ptr<const Timeline>& timeline = computed.timeline;
  // Stay in the same phase, at the same item when it still exists, so editing K
  // during "multiply" keeps showing a multiplication.
  Index next_step = 0;
  if (state.timeline) {
    const Step old = state.timeline->At(state.playback.step);
    const Index length = timeline->PhaseLength(old.phase);
    if (length > 0) next_step = timeline->PhaseBegin(old.phase) + std::min(old.item, length - 1);
  }
  state.scenario = std::move(computed.scenario);
  // The replaced result is freed on the worker once the views let go of it (tens of MB).
  if (state.compute_task && state.computation) {
    DisposeRetired(state);
    state.retired.push_back(AppState::Retired{state.computation, state.packed});
  }
  state.computation = std::move(computed.computation);
  state.timeline = std::move(computed.timeline);
  state.packed = std::move(computed.packed);
  state.notes = state.scenario.shape.Notes();
  state.playback.step = next_step;
  state.playback.previous_step = next_step;
  state.playback.transition = 1.0f;
  state.hover = HoverTarget{};  // indices of the old shape may not exist any more
  ++state.scenario_generation;
  RefreshFrame(state, /*force=*/true);
  return true;
}

// Asks core for everything about a valid scenario and makes it the shown one: at
// once, or (large scenarios, interactive window) when the worker is done.
bool Adopt(AppState& state, const Scenario& scenario) {
  if (state.compute_task && scenario.shape.PatchSize() * scenario.shape.ColumnCount() >= kBackgroundComputeCells) {
    state.computing = scenario;
    const Phase shown_phase = CurrentPhase(state);  // AdoptComputed stays in this phase
    std::shared_ptr<const Computation> shown = state.computation;  // immutable: safe to read there
    // A worker runs the parts back to back on several threads; a page without threads
    // runs one part per frame, on its one thread.
    const bool worker = state.compute_task->runner() == TaskRunner::WorkerThread;
    auto job = std::make_shared<ScenarioComputeJob>(scenario, worker ? BackgroundComputeThreads() : 1, shown_phase,
                                                    shown, /*pack_beside_backward=*/worker);
    state.compute_task->StartInParts([job](const std::atomic<bool>&) { return job->RunNextPart(); });
    return true;
  }
  if (state.compute_task) state.compute_task->Cancel();  // a small edit overtakes a large one
  return AdoptComputed(state, ComputeScenario(scenario));
}

// A preset edited is not that preset any more: its title says so ("custom (from
// <preset>)"), in the toolbar and in saved files; back to the preset's own numbers,
// its own title again.
void TitleAfterEdit(const AppState& state, Scenario& edited) {
  const ShellUi& ui = state.ui;
  if (ui.preset_name.empty()) return;
  const std::string& preset_title = ui.preset_scenario.title;
  const std::string custom = CustomTitle(preset_title.empty() ? ui.preset_name : preset_title);
  if (edited.title != preset_title && edited.title != custom) return;  // a title of its own
  Scenario as_preset = edited;
  as_preset.title = preset_title;
  edited.title = as_preset == ui.preset_scenario ? preset_title : custom;
}

// The controls now show `edited`; adopt it when core says it is valid.
// `retitle`: an edit through the controls (not a scenario replaced wholesale).
void Edit(AppState& state, Scenario edited, bool retitle = true) {
  if (retitle) TitleAfterEdit(state, edited);
  state.edited = edited;
  state.errors = edited.Validate();
  if (!state.errors.empty()) return;
  if (edited == state.scenario && state.computation) {
    if (state.compute_task) state.compute_task->Cancel();  // back to what is shown
    return;
  }
  Adopt(state, edited);
}

void GoToStep(AppState& state, Index step) {
  if (!state.timeline) return;
  const Index count = state.timeline->StepCount();
  step = std::clamp<Index>(step, 0, std::max<Index>(count - 1, 0));
  if (step == state.playback.step) return;
  state.playback.previous_step = state.playback.step;
  state.playback.step = step;
  state.playback.transition = 0.0f;
  state.playback.step_clock = 0.0f;
  state.playback.step_budget = 0.0;
  RefreshFrame(state, false);
}

void LoadPresetByName(AppState& state, const std::string& name) {
  const io::ScenarioReadResult result = io::LoadPreset(name);
  if (!result.ok()) {
    state.status = result.error;
    state.status_is_error = true;
    return;
  }
  const Scenario& scenario = result.document->scenario;
  const std::vector<std::string> problems = scenario.Validate();
  if (!problems.empty()) {
    state.status = "preset '" + name + "': " + problems.front();
    state.status_is_error = true;
    return;
  }
  state.status = "loaded preset '" + name + "': " + scenario.title;
  state.status_is_error = false;
  state.ui.preset_name = name;
  state.ui.preset_scenario = scenario;
  Edit(state, scenario, /*retitle=*/false);
}

void OpenFile(AppState& state, const std::string& path) {
  const io::ScenarioReadResult result = io::ReadScenarioFile(path);
  if (!result.ok()) {
    state.status = result.error;  // names the file, the field and the problem
    state.status_is_error = true;
    return;
  }
  const std::vector<std::string> problems = result.document->scenario.Validate();
  if (!problems.empty()) {
    state.status = path + ": " + problems.front();
    state.status_is_error = true;
    return;
  }
  state.status = "opened " + path;
  state.status_is_error = false;
  state.ui.preset_name.clear();
  Edit(state, result.document->scenario, /*retitle=*/false);
  NoteScenarioFile(state, path);
}

void SaveFile(AppState& state, const std::string& path) {
  const std::string error = io::WriteScenarioFile(path, state.scenario);
  state.status = error.empty() ? "saved " + path : error;
  state.status_is_error = !error.empty();
  if (error.empty()) NoteScenarioFile(state, path);
}

struct IntentApplier {
  AppState& state;

  void operator()(const intent::SetScenario& i) { Edit(state, i.scenario, i.is_edit); }
  void operator()(const intent::SetShapeField& i) {
    Scenario next = state.edited;
    SetShapeFieldValue(next.shape, i.field, i.value);
    if (IsPairHalf(i.field) && !state.non_square) SetShapeFieldValue(next.shape, OtherHalf(i.field), i.value);
    state.last_edited_field = i.field;
    state.has_last_edited_field = true;
    Edit(state, next);
  }
  void operator()(const intent::SetOp& i) {
    Scenario next = state.edited;
    next.shape.op = i.op;
    if (i.op == Op::Conv) next.shape.output_padding = Pair{0, 0};  // meaningless for conv: not an error to chase
    Edit(state, next);
  }
  void operator()(const intent::SetShowEquivalence& i) { state.show_equivalence = i.show; }
  void operator()(const intent::SetNonSquare& i) {
    state.non_square = i.non_square;
    if (i.non_square) return;
    // Square again: the hidden width halves must not keep other values (K 2 with R = 3*2*3).
    Scenario next = state.edited;
    MakeSquare(next.shape);
    if (!(next == state.edited)) Edit(state, next);
  }
  void operator()(const intent::SetLayout& i) {
    Scenario next = state.edited;
    next.layout = i.layout;
    Edit(state, next);
  }
  void operator()(const intent::SetOrder& i) {
    Scenario next = state.edited;
    next.order = i.order;
    Edit(state, next);
  }
  void operator()(const intent::SetFill& i) {
    Scenario next = state.edited;
    TensorSource& source = next.Source(i.role);
    source.fill = i.fill;
    source.values.clear();  // a chosen fill replaces explicit values
    Edit(state, next);
  }
  void operator()(const intent::SetSeed& i) {
    Scenario next = state.edited;
    next.seed = i.seed;
    Edit(state, next);
  }
  void operator()(const intent::LoadPreset& i) { LoadPresetByName(state, i.name); }
  void operator()(const intent::OpenScenarioFile& i) { OpenFile(state, i.path); }
  void operator()(const intent::SaveScenarioFile& i) { SaveFile(state, i.path); }
  void operator()(const intent::ExportFrame& i) { state.ui.export_request = i.path; }
  void operator()(const intent::StepBy& i) {
    // Saturating: a huge delta must not overflow the step index.
    const Index step = state.playback.step;
    const Index limit = std::numeric_limits<Index>::max();
    GoToStep(state, i.delta > 0 && step > limit - i.delta   ? limit
                    : i.delta < 0 && step < -limit - i.delta ? 0
                                                             : step + i.delta);
  }
  void operator()(const intent::SetStep& i) { GoToStep(state, i.step); }
  void operator()(const intent::StepUnit& i) {
    if (!state.timeline || i.direction == 0) return;
    GoToStep(state, NextBoundary(*state.timeline, state.scenario.order, state.playback.step,
                                 state.playback.granularity, i.direction));
  }
  void operator()(const intent::DismissStatus&) {
    state.status.clear();
    state.status_is_error = false;
  }
  void operator()(const intent::SetGranularity& i) { state.playback.granularity = i.granularity; }
  void operator()(const intent::SetPhaseSeconds& i) {
    const float s = i.seconds;
    state.playback.phase_seconds = !std::isfinite(s) ? kDefaultPhaseSeconds
                                   : s < 0.0f        ? kPhaseSecondsAuto
                                   : s == 0.0f       ? 0.0f
                                                     : std::clamp(s, kMinPhaseSeconds, kMaxPhaseSeconds);
    state.playback.step_budget = 0.0;
  }
  void operator()(const intent::JumpToPhase& i) {
    if (state.timeline && state.timeline->PhaseLength(i.phase) > 0) {
      GoToStep(state, state.timeline->PhaseBegin(i.phase));
    }
  }
  void operator()(const intent::TogglePlay&) { SetPlaying(!state.playback.playing); }
  void operator()(const intent::SetPlaying& i) { SetPlaying(i.playing); }
  void operator()(const intent::SetSpeed& i) {
    state.playback.speed = std::isfinite(i.speed) ? std::clamp(i.speed, kMinSpeed, kMaxSpeed) : 1.0f;
  }
  void operator()(const intent::SetLoop& i) { state.playback.loop = i.loop; }
  void operator()(const intent::SetHover& i) { state.hover = i.target; }
  void operator()(const intent::ToggleOverwrite&) { state.overwrite_mode = !state.overwrite_mode; }
  void operator()(const intent::SetFontScale& i) {
    state.font_scale = std::isfinite(i.scale) ? std::clamp(i.scale, 0.5f, 3.0f) : 1.0f;
  }
  void operator()(const intent::SetTheme& i) { state.theme = i.theme; }
  void operator()(const intent::Classroom& i) { ApplyClassroomAction(state, i.action); }
  void operator()(const intent::Practice& i) { ApplyPracticeAction(state, i.action); }
  void operator()(const intent::Tour& i) { ApplyTourAction(state, i.action); }
  void operator()(const intent::MeasureCost& i) {
    CostState& cost = state.cost;
    if (!cost.task) cost.task = std::make_shared<LatestTask<CostMeasurement>>();
    cost.measuring = true;
    cost.measuring_shape = state.scenario.shape;
    cost.error.clear();
    const Shape shape = state.scenario.shape;
    const Order order = state.scenario.order;
    const int threads = std::clamp(i.threads, 1, 64);
    cost.task->Start([shape, order, threads](const std::atomic<bool>& cancelled) {
      CostMeasurement out;
      try {
        out.report = MeasureLoopsVsIm2col(shape, /*repeats=*/3, threads, order, &cancelled);
      } catch (const std::exception& e) {
        out.error = e.what();
      }
      return out;
    });
  }
  void operator()(const intent::CancelCost&) {
    if (state.cost.task) state.cost.task->Cancel();
    state.cost.measuring = false;
  }
  void operator()(const intent::Resize& i) {
    state.width = std::max(i.width, 0);
    state.height = std::max(i.height, 0);
  }

  void SetPlaying(bool playing) {
    // Pressing play on the last step starts over: otherwise nothing would happen.
    if (playing && state.timeline && state.playback.step + 1 >= state.timeline->StepCount()) {
      GoToStep(state, 0);
    }
    state.playback.playing = playing;
    state.playback.step_clock = 0.0f;
  }
};

}  // namespace

std::string CustomTitle(const std::string& preset_title) { return "custom (from " + preset_title + ")"; }

AppState MakeAppState(const Scenario& initial) {
  AppState state;
  const Scenario fallback;
  std::vector<std::string> problems = initial.Validate();
  const Scenario& start = problems.empty() ? initial : fallback;
  state.edited = start;
  if (!Adopt(state, start)) Adopt(state, fallback);
  if (!problems.empty()) {
    state.status = "the requested scenario is not valid (" + problems.front() + "); showing the chapter example";
    state.status_is_error = true;
  }
  state.ui.presets = io::ListPresets();
  state.tour.shipped = io::ListTours();
  // Default file names in the user's folders, not the working directory.
  state.ui.pictures_dir = io::UserFolderPath(io::UserFolder::Pictures);
  state.ui.documents_dir = io::UserFolderPath(io::UserFolder::Documents);
  auto in = [](const std::string& dir, const char* name) {
    return dir.empty() ? std::string(name) : (std::filesystem::path(dir) / name).string();
  };
  state.ui.file_path = in(state.ui.documents_dir, "scenario.json");
  ClassroomUi& room = state.classroom;
  room.export_png_path = in(state.ui.pictures_dir, "frame.png");
  room.export_animation_path = in(state.ui.pictures_dir, "animation.gif");
  room.export_png_dir = in(state.ui.pictures_dir, "frames");
  room.export_matrix_path = in(state.ui.documents_dir, "matrix.csv");
  room.image_path = in(state.ui.pictures_dir, "image.png");
  for (const io::PresetInfo& preset : state.ui.presets) {
    const io::ScenarioReadResult loaded = io::LoadPreset(preset.name);
    if (loaded.ok() && loaded.document->scenario == state.scenario) {
      state.ui.preset_name = preset.name;
      state.ui.preset_scenario = state.scenario;
      break;
    }
  }
  const Shape& s = state.scenario.shape;
  state.non_square = s.kernel.h != s.kernel.w || s.stride.h != s.stride.w || s.padding.h != s.padding.w ||
                     s.dilation.h != s.dilation.w;
  return state;
}

void PushIntent(AppState& state, Intent intent) { state.intents.push_back(std::move(intent)); }

void ApplyIntents(AppState& state) {
  // Intents may queue further intents only through the next frame: take the list first.
  std::vector<Intent> queue;
  queue.swap(state.intents);
  IntentApplier applier{state};
  for (const Intent& intent : queue) std::visit(applier, intent);
  RefreshFrame(state, false);
}

bool PollBackgroundWork(AppState& state) {
  if (state.compute_task) {
    DisposeRetired(state);
    if (std::optional<ComputedScenario> done = state.compute_task->Take()) {
      // Still what the controls ask for? (An invalid edit since then keeps its errors.)
      if (done->scenario == state.edited || !done->error.empty()) {
        AdoptComputed(state, std::move(*done));
      } else {  // stale: free it where it was made
        state.compute_task->Dispose(std::move(done->computation));
        state.compute_task->Dispose(std::move(done->packed));
      }
    }
  }
  PollImageLoading(state);
  CostState& cost = state.cost;
  if (cost.task) {
    if (std::optional<CostMeasurement> done = cost.task->Take()) {
      cost.measuring = false;
      cost.error = done->error;
      if (done->report && !done->report->cancelled) cost.report = std::move(done->report);
    } else if (cost.measuring && !cost.task->Busy()) {
      cost.measuring = false;  // cancelled, or the work failed without a report
    }
  }
  return HasBackgroundWork(state);
}

bool RunBackgroundParts(AppState& state) {
  // One part a frame in all: two long parts in one frame would block the page twice as long.
  const bool compute = state.compute_task && state.compute_task->HasPartToRun();
  const bool cost = state.cost.task && state.cost.task->HasPartToRun();
  if (compute) return state.compute_task->RunPart() || cost;
  if (cost) return state.cost.task->RunPart();
  return false;
}

bool HasBackgroundWork(const AppState& state) {
  return IsComputing(state) || IsLoadingImage(state) || (state.cost.task && state.cost.task->Busy());
}

bool IsComputing(const AppState& state) { return state.compute_task && state.compute_task->Busy(); }

namespace {

// The end of the timeline while playing: start over or stop.
void PlayedToTheEnd(AppState& state) {
  if (state.playback.loop) GoToStep(state, 0);
  else state.playback.playing = false;
}

// Playing: one unit of the granularity every kStepSeconds / speed, or, when the phase
// is fitted into phase_seconds, as many steps a frame as that takes (landing on unit
// starts only, and never past the phase's end: the next phase gets its own pace).
void PlayFor(AppState& state, float dt_seconds) {
  Playback& p = state.playback;
  const Timeline& t = *state.timeline;
  const Order order = state.scenario.order;
  const Index count = t.StepCount();
  const Step now = t.At(p.step);
  const Index unit = UnitLength(t, order, now.phase, p.granularity);
  const double normal_rate = static_cast<double>(unit) * p.speed / kStepSeconds;
  const double rate = PlaybackStepsPerSecond(state);
  if (rate <= normal_rate) {
    p.step_clock += dt_seconds * p.speed;
    if (p.step_clock < kStepSeconds) return;
    // At most one unit per frame (GoToStep restarts the clock): a slow frame delays
    // the animation instead of skipping steps the student would not see.
    p.step_clock = 0.0f;
    if (p.step + 1 < count) GoToStep(state, NextBoundary(t, order, p.step, p.granularity, +1));
    else PlayedToTheEnd(state);
    return;
  }
  if (p.step + 1 >= count) {
    PlayedToTheEnd(state);
    return;
  }
  const Index phase_end = t.PhaseBegin(now.phase) + t.PhaseLength(now.phase);
  const double budget = p.step_budget + static_cast<double>(dt_seconds) * rate;
  const Index owed = static_cast<Index>(std::min(budget, static_cast<double>(count)));
  Index target = p.step + owed;
  if (target >= phase_end) {
    target = std::min(phase_end, count - 1);
  } else {
    target = NextBoundary(t, order, target + 1, p.granularity, -1);  // the unit start at or before
  }
  if (target <= p.step) {
    p.step_budget = budget;
    return;
  }
  const Index moved = target - p.step;
  const bool crossed_phase = target >= phase_end;
  GoToStep(state, target);
  // Many steps at once: show the step itself, not a flight from far away.
  if (moved > unit) p.transition = 1.0f;
  p.step_budget = crossed_phase ? 0.0 : std::max(0.0, budget - static_cast<double>(moved));
}

}  // namespace

double PlaybackStepsPerSecond(const AppState& state) {
  const Playback& p = state.playback;
  if (!state.timeline) return 0.0;
  const Timeline& t = *state.timeline;
  const Step now = t.At(p.step);
  const double normal =
      static_cast<double>(UnitLength(t, state.scenario.order, now.phase, p.granularity)) * p.speed / kStepSeconds;
  const Index length = t.PhaseLength(now.phase);
  const bool automatic = p.phase_seconds < 0.0f;
  if (p.phase_seconds == 0.0f || (automatic && length < kBigPhaseSteps)) return normal;
  const double seconds = automatic ? kAutoPhaseSeconds : p.phase_seconds;
  return std::max(normal, static_cast<double>(length) / seconds);
}

bool AdvancePlayback(AppState& state, float dt_seconds) {
  PollBackgroundWork(state);
  Playback& p = state.playback;
  if (!std::isfinite(dt_seconds) || dt_seconds < 0.0f) dt_seconds = 0.0f;
  dt_seconds = std::min(dt_seconds, 0.5f);  // a stalled frame must not skip many steps
  if (p.transition < 1.0f) {
    p.transition = std::min(1.0f, p.transition + dt_seconds * p.speed / kTransitionSeconds);
  }
  if (p.playing && state.timeline) PlayFor(state, dt_seconds);
  return IsAnimating(state);
}

bool IsAnimating(const AppState& state) { return state.playback.playing || state.playback.transition < 1.0f; }

Index StepCount(const AppState& state) { return state.timeline ? state.timeline->StepCount() : 0; }

Phase CurrentPhase(const AppState& state) {
  return state.timeline ? state.timeline->At(state.playback.step).phase : Phase::Extract;
}

}  // namespace im2col::gui
