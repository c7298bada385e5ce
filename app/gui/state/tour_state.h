// The tour player and recorder of the window: a tour (io/tour.h) shown step by step
// — each step's scenario at its timeline step, its narration in the THIS STEP panel
// and its pointed ids outlined on the stage — and a draft a teacher records from what
// the window shows, edits and saves as a tour file. No ImGui here: the panel
// (panels/tour_panel.cpp) draws it and queues intent::Tour actions.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gui/state/hover.h"
#include "io/tour.h"

namespace im2col::gui {

struct AppState;

namespace tour_action {
struct Open { std::string name_or_path; };  // a shipped tour's name or a tour file
struct Go { int index; };                    // show step `index`
struct Next {};
struct Back {};
struct Close {};
struct StartRecording {};                    // a new draft (a copy of the open tour, if any)
struct StopRecording {};
struct AddView {};                           // the current view becomes a draft step after the selected one
struct Select { int index; };                // the draft step being edited (shown)
struct SetNarration { int index; std::string text; };
struct SetTitle { std::string title; };
struct TogglePoint { HoverTarget target; };  // a click on a stage cell while recording
struct Move { int index; int delta; };       // reorder: -1 up, +1 down
struct Delete { int index; };
struct Save { std::string path; };
}  // namespace tour_action
using TourAction = std::variant<tour_action::Open, tour_action::Go, tour_action::Next, tour_action::Back,
                                tour_action::Close, tour_action::StartRecording, tour_action::StopRecording,
                                tour_action::AddView, tour_action::Select, tour_action::SetNarration,
                                tour_action::SetTitle, tour_action::TogglePoint, tour_action::Move,
                                tour_action::Delete, tour_action::Save>;

struct TourUi {
  std::optional<io::Tour> tour;  // the tour being played
  int index = -1;                // its step on show
  std::string message;           // the last open / save message (errors name the file, step and field)
  bool message_is_error = false;
  std::vector<io::TourInfo> shipped;  // assets/tours, listed when the state is made

  // A step whose scenario the window is still computing: its timeline step follows.
  std::optional<Index> pending_step;
  Scenario pending_scenario;

  // Recording.
  bool recording = false;
  io::Tour draft;
  int selected = -1;                     // the draft step on show
  std::string save_path = "my-tour.json";
};

void ApplyTourAction(AppState& state, const TourAction& action);
// Once a frame: a step waiting for its scenario goes to its timeline step when the
// scenario is shown (at once for small ones, after the worker for AlexNet).
void TickTour(AppState& state);
// True while a tour is played or recorded.
bool TourActive(const AppState& state);

}  // namespace im2col::gui
