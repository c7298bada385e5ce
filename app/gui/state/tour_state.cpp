// Playing and recording tours in the window.
#include "gui/state/tour_state.h"

#include <algorithm>

#include "gui/state/app_state.h"
#include "gui/state/practice_state.h"

namespace im2col::gui {
namespace tour_internal {

void Say(AppState& state, const std::string& message, bool error) {
  state.tour.message = message;
  state.tour.message_is_error = error;
  state.status = message;
  state.status_is_error = error;
}

// Shows one step: its scenario (validated and computed like any edit), its timeline
// step once that scenario is shown, its narration and its pointed ids.
void Show(AppState& state, const io::TourStep& step) {
  TourUi& t = state.tour;
  state.overwrite_mode = step.overwrite;
  state.tour_narration = step.narration;
  state.pointed_ids = step.point_at;
  PushIntent(state, intent::SetPlaying{false});
  if (!step.preset.empty()) {
    state.ui.preset_name = step.preset;
    state.ui.preset_scenario = step.scenario;
  }
  if (step.scenario == state.scenario && state.computation) {
    t.pending_step.reset();
    PushIntent(state, intent::SetStep{step.step});
    return;
  }
  PushIntent(state, intent::SetScenario{step.scenario});
  t.pending_step = step.step;
  t.pending_scenario = step.scenario;
}

void Go(AppState& state, int index) {
  TourUi& t = state.tour;
  if (!t.tour || t.tour->steps.empty()) return;
  t.index = std::clamp(index, 0, static_cast<int>(t.tour->steps.size()) - 1);
  Show(state, t.tour->steps[static_cast<size_t>(t.index)]);
}

void SelectDraft(AppState& state, int index) {
  TourUi& t = state.tour;
  if (t.draft.steps.empty()) {
    t.selected = -1;
    state.pointed_ids.clear();
    state.tour_narration.clear();
    return;
  }
  t.selected = std::clamp(index, 0, static_cast<int>(t.draft.steps.size()) - 1);
  Show(state, t.draft.steps[static_cast<size_t>(t.selected)]);
}

void ClearShown(AppState& state) {
  state.tour_narration.clear();
  state.pointed_ids.clear();
  state.tour.pending_step.reset();
}

struct TourApplier {
  AppState& state;
  TourUi& t = state.tour;

  void operator()(const tour_action::Open& a) {
    io::TourReadResult read = io::LoadTour(a.name_or_path);
    if (!read.ok()) {
      Say(state, read.error, true);  // the tour on show (if any) stays
      return;
    }
    if (state.practice.open) ApplyPracticeAction(state, practice_action::Toggle{});
    t.tour = std::move(*read.tour);
    t.recording = false;
    std::string text = "tour '" + t.tour->title + "': " + std::to_string(t.tour->steps.size()) + " steps";
    if (!t.tour->warnings.empty()) text += " (" + t.tour->warnings.front() + ")";
    Say(state, text, false);
    Go(state, 0);
  }
  void operator()(const tour_action::Go& a) { Go(state, a.index); }
  void operator()(const tour_action::Next&) {
    if (t.recording) SelectDraft(state, t.selected + 1);
    else if (t.tour) Go(state, t.index + 1);
  }
  void operator()(const tour_action::Back&) {
    if (t.recording) SelectDraft(state, t.selected - 1);
    else if (t.tour) Go(state, t.index - 1);
  }
  void operator()(const tour_action::Close&) {
    t.tour.reset();
    t.index = -1;
    t.recording = false;
    ClearShown(state);
  }
  void operator()(const tour_action::StartRecording&) {
    if (state.practice.open) ApplyPracticeAction(state, practice_action::Toggle{});
    t.recording = true;
    if (t.tour) {
      t.draft = *t.tour;
      t.draft.warnings.clear();
    } else {
      t.draft = io::Tour{};
      t.draft.title = "My tour";
    }
    SelectDraft(state, t.tour ? t.index : -1);
  }
  void operator()(const tour_action::StopRecording&) {
    t.recording = false;
    t.selected = -1;
    ClearShown(state);
  }
  void operator()(const tour_action::AddView&) {
    if (!t.recording) return;
    if (static_cast<int>(t.draft.steps.size()) >= io::kMaxTourSteps) {
      Say(state, "a tour has at most " + std::to_string(io::kMaxTourSteps) + " steps", true);
      return;
    }
    io::TourStep step;
    step.scenario = state.scenario;
    if (!state.ui.preset_name.empty() && state.scenario == state.ui.preset_scenario) step.preset = state.ui.preset_name;
    step.step = state.playback.step;
    step.overwrite = state.overwrite_mode;
    // The ids outlined now (a step on show), those that exist in this view's scenario.
    for (const std::string& id : state.pointed_ids) {
      if (io::CheckPointId(state.scenario, id).empty()) step.point_at.push_back(id);
    }
    const std::string hovered = LayoutIdOf(state.scenario, state.hover);
    if (!hovered.empty() && std::find(step.point_at.begin(), step.point_at.end(), hovered) == step.point_at.end()) {
      step.point_at.push_back(hovered);
    }
    step.narration = state.tour_narration;
    const int at = t.selected < 0 ? static_cast<int>(t.draft.steps.size()) : t.selected + 1;
    t.draft.steps.insert(t.draft.steps.begin() + at, std::move(step));
    t.selected = at;
    state.tour_narration = t.draft.steps[static_cast<size_t>(at)].narration;
    state.pointed_ids = t.draft.steps[static_cast<size_t>(at)].point_at;
  }
  void operator()(const tour_action::Select& a) { SelectDraft(state, a.index); }
  void operator()(const tour_action::SetNarration& a) {
    if (a.index < 0 || a.index >= static_cast<int>(t.draft.steps.size())) return;
    t.draft.steps[static_cast<size_t>(a.index)].narration = a.text;
    if (a.index == t.selected) state.tour_narration = a.text;
  }
  void operator()(const tour_action::SetTitle& a) { t.draft.title = a.title; }
  void operator()(const tour_action::TogglePoint& a) {
    if (!t.recording || t.selected < 0 || t.selected >= static_cast<int>(t.draft.steps.size())) return;
    io::TourStep& step = t.draft.steps[static_cast<size_t>(t.selected)];
    if (!(step.scenario == state.scenario)) return;
    const std::string id = LayoutIdOf(state.scenario, a.target);
    if (id.empty()) return;
    const auto found = std::find(step.point_at.begin(), step.point_at.end(), id);
    if (found != step.point_at.end()) step.point_at.erase(found);
    else step.point_at.push_back(id);
    state.pointed_ids = step.point_at;
  }
  void operator()(const tour_action::Move& a) {
    const int n = static_cast<int>(t.draft.steps.size());
    const int to = a.index + a.delta;
    if (a.index < 0 || a.index >= n || to < 0 || to >= n) return;
    std::swap(t.draft.steps[static_cast<size_t>(a.index)], t.draft.steps[static_cast<size_t>(to)]);
    if (t.selected == a.index) t.selected = to;
    else if (t.selected == to) t.selected = a.index;
  }
  void operator()(const tour_action::Delete& a) {
    if (a.index < 0 || a.index >= static_cast<int>(t.draft.steps.size())) return;
    t.draft.steps.erase(t.draft.steps.begin() + a.index);
    SelectDraft(state, std::min(t.selected, static_cast<int>(t.draft.steps.size()) - 1));
  }
  void operator()(const tour_action::Save& a) {
    if (t.draft.steps.empty()) {
      Say(state, a.path + ": the tour has no steps; add a view first", true);
      return;
    }
    if (t.draft.title.find_first_not_of(" \t") == std::string::npos) {
      Say(state, a.path + ": title: is empty; give the tour a title", true);
      return;
    }
    const std::string error = io::WriteTourFile(a.path, t.draft);
    if (!error.empty()) {
      Say(state, error, true);
      return;
    }
    t.save_path = a.path;
    Say(state, "saved tour " + a.path + " (" + std::to_string(t.draft.steps.size()) + " steps)", false);
  }
};

}  // namespace tour_internal
using namespace tour_internal;

void ApplyTourAction(AppState& state, const TourAction& action) { std::visit(TourApplier{state}, action); }

void TickTour(AppState& state) {
  TourUi& t = state.tour;
  if (!t.pending_step) return;
  if (state.scenario == t.pending_scenario && state.computation && !IsComputing(state)) {
    PushIntent(state, intent::SetStep{*t.pending_step});
    t.pending_step.reset();
  } else if (!state.errors.empty() && state.edited == t.pending_scenario) {
    t.pending_step.reset();  // refused (cannot happen for a tour that read back): keep what is shown
  }
}

bool TourActive(const AppState& state) { return state.tour.tour.has_value() || state.tour.recording; }

}  // namespace im2col::gui
