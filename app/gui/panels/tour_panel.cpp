// Tours in the window: the player bar, the recorder, the pointed outlines, the menu.
#include "gui/panels/tour_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "gui/state/app_state.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"

namespace im2col::gui {
namespace tour_panel_internal {

void PushTour(AppState& state, TourAction action) { PushIntent(state, intent::Tour{std::move(action)}); }

void RecordTourItem(const std::string& id) { RecordItem(id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }

const LayoutItem* FindTourItem(const std::string& id) {
  for (const LayoutItem& item : LastFrameLayout()) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

constexpr ImGuiWindowFlags kPinned = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

// Back, "step k / N: title", Next, Close: a bar along the stage's bottom edge.
void DrawPlayerBar(AppState& state) {
  TourUi& t = state.tour;
  const bool playing = t.tour && !t.recording;
  if (!playing && !t.recording) return;
  const LayoutItem* stage = FindTourItem("panel:stage");
  const ImGuiViewport* v = ImGui::GetMainViewport();
  const ImVec2 pos = stage ? ImVec2(stage->x + 8, stage->y + stage->h - 8) : ImVec2(v->Pos.x + 8, v->Pos.y + v->Size.y - 8);
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always, ImVec2(0.0f, 1.0f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(stage ? stage->w - 16 : v->Size.x, v->Size.y));
  ImGui::Begin("###tour-bar", nullptr, kPinned | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize);
  RecordItem("panel:tour", ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  const int count = t.recording ? static_cast<int>(t.draft.steps.size()) : static_cast<int>(t.tour->steps.size());
  const int at = t.recording ? t.selected : t.index;
  if (ImGui::Button("< Back")) PushTour(state, tour_action::Back{});
  RecordTourItem("control:tour:back");
  ImGui::SameLine();
  const std::string title = t.recording ? "Recording: " + t.draft.title : t.tour->title;
  ImGui::Text("Step %d / %d  \xC2\xB7  %s", at + 1, count, title.c_str());
  ImGui::SameLine();
  if (ImGui::Button("Next >")) PushTour(state, tour_action::Next{});
  RecordTourItem("control:tour:next");
  ImGui::SameLine();
  if (!t.recording) {
    if (ImGui::Button("Close")) PushTour(state, tour_action::Close{});
    RecordTourItem("control:tour:close");
  }
  ImGui::End();
}

void DrawRecorder(AppState& state) {
  TourUi& t = state.tour;
  if (!t.recording) return;
  const Palette& pal = ActivePalette();
  const LayoutItem* shape = FindTourItem(state.classroom.presentation ? "panel:step" : "panel:shape");
  const ImGuiViewport* v = ImGui::GetMainViewport();
  if (shape) {
    ImGui::SetNextWindowPos(ImVec2(shape->x, shape->y));
    ImGui::SetNextWindowSize(ImVec2(shape->w, shape->h));
  } else {
    ImGui::SetNextWindowPos(ImVec2(v->Pos.x, v->Pos.y + v->Size.y * 0.08f));
    ImGui::SetNextWindowSize(ImVec2(v->Size.x * 0.22f, v->Size.y * 0.75f));
  }
  bool open = true;
  ImGui::Begin("Record a tour###tour-recorder", &open, kPinned);
  RecordItem("panel:tour-recorder", ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  ImGui::TextUnformatted("Title");
  ImGui::SetNextItemWidth(-1);
  std::string title = t.draft.title;
  if (ImGui::InputText("##title", &title)) PushTour(state, tour_action::SetTitle{title});
  if (ImGui::Button("Add this view as a step")) PushTour(state, tour_action::AddView{});
  RecordTourItem("control:tour:add");
  WrappedText("Set up the scenario and step first; click stage cells to point at them.", pal.text_muted);
  ImGui::Separator();
  const float list_height = std::max(ImGui::GetFrameHeightWithSpacing() * 3.0f, ImGui::GetContentRegionAvail().y * 0.3f);
  ImGui::BeginChild("##steps", ImVec2(0, list_height), true);
  for (size_t i = 0; i < t.draft.steps.size(); ++i) {
    const io::TourStep& step = t.draft.steps[i];
    std::string label = std::to_string(i + 1) + ". " +
                        (step.narration.empty() ? "(no narration yet)" : step.narration.substr(0, 40)) + "##step" +
                        std::to_string(i);
    if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == t.selected)) PushTour(state, tour_action::Select{static_cast<int>(i)});
  }
  ImGui::EndChild();
  if (t.selected >= 0 && t.selected < static_cast<int>(t.draft.steps.size())) {
    const io::TourStep& step = t.draft.steps[static_cast<size_t>(t.selected)];
    ImGui::Text("Step %d: timeline step %lld", t.selected + 1, static_cast<long long>(step.step));
    std::string narration = step.narration;
    ImGui::TextUnformatted("Narration (one to three sentences)");
    if (ImGui::InputTextMultiline("##narration", &narration, ImVec2(-1, ImGui::GetTextLineHeight() * 5))) {
      PushTour(state, tour_action::SetNarration{t.selected, narration});
    }
    RecordTourItem("control:tour:narration");
    std::string points;
    for (const std::string& id : step.point_at) points += (points.empty() ? "" : ", ") + id;
    WrappedText("Points at: " + (points.empty() ? std::string("nothing") : points), pal.text_muted);
    if (ImGui::Button("Up")) PushTour(state, tour_action::Move{t.selected, -1});
    ImGui::SameLine();
    if (ImGui::Button("Down")) PushTour(state, tour_action::Move{t.selected, +1});
    ImGui::SameLine();
    if (ImGui::Button("Delete")) PushTour(state, tour_action::Delete{t.selected});
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Save as");
  ImGui::SetNextItemWidth(-1);
  const bool entered = ImGui::InputText("##tour-path", &t.save_path, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::Button("Save tour") || entered) PushTour(state, tour_action::Save{t.save_path});
  RecordTourItem("control:tour:save");
  ImGui::SameLine();
  if (ImGui::Button("Stop recording")) PushTour(state, tour_action::StopRecording{});
  if (!t.message.empty()) {
    if (t.message_is_error) ErrorBox(t.message);
    else WrappedText(t.message, pal.text_muted);
  }
  ImGui::End();
  if (!open) PushTour(state, tour_action::StopRecording{});
}

}  // namespace tour_panel_internal
using namespace tour_panel_internal;

void DrawTourWindows(AppState& state) {
  DrawPlayerBar(state);
  DrawRecorder(state);
}

bool StageMarkClip(const std::vector<LayoutItem>& items, ImVec2* min, ImVec2* max) {
  const auto find = [&](const char* id) -> const LayoutItem* {
    for (const LayoutItem& item : items) {
      if (item.id == id) return &item;
    }
    return nullptr;
  };
  const LayoutItem* stage = find("panel:stage");
  if (stage == nullptr) return false;
  *min = ImVec2(stage->x, stage->y);
  *max = ImVec2(stage->x + stage->w, stage->y + stage->h);
  if (const LayoutItem* practice = find("panel:practice"); practice && practice->x > min->x && practice->x < max->x) {
    max->x = practice->x;
  }
  if (const LayoutItem* bar = find("panel:tour"); bar && bar->y > min->y && bar->y < max->y) max->y = bar->y;
  return true;
}

void DrawPointedOutlines(const std::vector<std::string>& ids, const std::vector<LayoutItem>& items) {
  if (ids.empty()) return;
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  ImVec2 clip_min, clip_max;
  const bool has_stage = StageMarkClip(items, &clip_min, &clip_max);
  const auto is_shell = [](const std::string& id) {
    return id.rfind("control:", 0) == 0 || id == "panel:toolbar" || id == "panel:shape" || id == "panel:stage" ||
           id == "panel:step" || id == "panel:playback";
  };
  for (const LayoutItem& item : items) {
    if (std::find(ids.begin(), ids.end(), item.id) == ids.end()) continue;
    const bool clip = has_stage && !is_shell(item.id);
    if (clip) draw->PushClipRect(clip_min, clip_max, true);
    const float gap = 3.0f;
    draw->AddRect(ImVec2(item.x - gap, item.y - gap), ImVec2(item.x + item.w + gap, item.y + item.h + gap),
                  ActivePalette().focus, 2.0f, 0, 4.0f);
    if (clip) draw->PopClipRect();
  }
}

void DrawLearningMenuItems(AppState& state) {
  if (ImGui::MenuItem("Practice: predict, then reveal", "P", state.practice.open)) {
    PushIntent(state, intent::Practice{practice_action::Toggle{}});
  }
  if (ImGui::BeginMenu("Tours")) {
    for (const io::TourInfo& info : state.tour.shipped) {
      const std::string label = info.title + " (" + std::to_string(info.steps) + " steps)";
      if (ImGui::MenuItem(label.c_str())) PushTour(state, tour_action::Open{info.path});
    }
    if (state.tour.shipped.empty()) ImGui::TextDisabled("no shipped tours found");
    ImGui::Separator();
    if (ImGui::MenuItem("Open tour file...")) {
      state.ui.file_action = ShellUi::FileAction::OpenTour;
      state.ui.file_path = "tour.json";
    }
    if (ImGui::MenuItem("Record a tour...", nullptr, state.tour.recording)) {
      PushTour(state, state.tour.recording ? TourAction{tour_action::StopRecording{}} : TourAction{tour_action::StartRecording{}});
    }
    ImGui::EndMenu();
  }
}

}  // namespace im2col::gui
