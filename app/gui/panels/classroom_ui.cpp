// Classroom keys and popups: F1/? shortcuts overlay, F5 presentation, F11 fullscreen,
// Ctrl+= / Ctrl+- / Ctrl+0 font scale, Ctrl+O / Ctrl+S, the "More" menu, the
// double-click cell editor, and the presentation frame (stage + explanation, large).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "gui/panels/classroom_ui.h"
#include "gui/panels/copy_link.h"
#include "gui/panels/export_window.h"
#include "gui/panels/panel_playback.h"
#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/panels/panel_step.h"
#include "gui/panels/tour_panel.h"
#include "gui/stage/stage.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_context.h"
#include "gui/widgets/ui_helpers.h"

namespace im2col::gui {


namespace {

constexpr const char* kCellPopup = "##cell-editor";
constexpr const char* kMenuPopup = "##classroom-menu";
constexpr const char* kMenuLabel = "More...";

// Every key the app answers to, for the overlay (keep in step with the handlers).
struct KeyHelp {
  const char* keys;
  const char* what;
};
constexpr KeyHelp kKeys[] = {
    {"Space", "play / pause"},
    {"Left / Right", "one step back / forward"},
    {"Home / End", "first / last step"},
    {"1 ... 8", "jump to a phase (extract ... col2im)"},
    {"F5", "presentation mode (stage and explanation only, large)"},
    {"F11", "fullscreen on / off"},
    {"Ctrl + =  /  Ctrl + -", "larger / smaller text"},
    {"Ctrl + 0", "text back to 100%"},
    {"Ctrl + O  /  Ctrl + S", "open / save a scenario file"},
    {"F1  or  ?", "this list"},
    {"Esc", "close this list, the dialog, or presentation mode"},
    {"double-click a cell", "type a value (input, weights, dY)"},
    {"P", "practice: a question about this scenario (again to close)"},
    {"N", "practice: another question; in a tour: next step"},
    {"click cells, D / Enter", "practice: point at the answer, then Done"},
    {"arrows + Enter", "practice: move the pointing cursor, pick its cell"},
    {"PageDown / PageUp, B", "tour: next / previous step"},
    {"drop a file", ".json opens a scenario or a tour, .png/.jpg becomes the input"},
};


bool TypedQuestionMark() {
  const ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    if (io.InputQueueCharacters[i] == '?') return true;
  }
  return false;
}

void Push(AppState& state, ClassroomAction action) { PushIntent(state, intent::Classroom{std::move(action)}); }

// The tensor and row-major offset a stage cell edits; false for cells that are
// computed (X_col, Y, ...) or padding.
bool EditableCell(const AppState& state, const HoverTarget& h, TensorRole* role, Index* index) {
  const Shape& s = state.scenario.shape;
  switch (h.kind) {
    case HoverTarget::Kind::InputPixel:
      if (h.y < 0 || h.x < 0 || h.y >= s.height || h.x >= s.width) return false;  // padding zero
      *role = TensorRole::Input;
      break;
    case HoverTarget::Kind::WeightCell: *role = TensorRole::Weights; break;
    case HoverTarget::Kind::GradOutputCell: *role = TensorRole::GradOutput; break;
    default: return false;
  }
  const Tensor4 dims = EmptyTensor(s, *role);
  if (h.n < 0 || h.c < 0 || h.y < 0 || h.x < 0 || h.n >= dims.n || h.c >= dims.c || h.y >= dims.h || h.x >= dims.w) {
    return false;
  }
  *index = dims.Offset(h.n, h.c, h.y, h.x);
  return true;
}

void DrawCellEditor(AppState& state) {
  CellEditorUi& editor = state.classroom.cell_editor;
  if (editor.open_requested) {
    editor.open_requested = false;
    ImGui::OpenPopup(kCellPopup);
  }
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImGui::GetIO().MousePos, ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(ImVec2(std::min(viewport->Size.x * 0.8f, ImGui::GetFontSize() * 24.0f), 0));
  if (!ImGui::BeginPopup(kCellPopup)) return;
  ImGui::Text("%s  (now %s)", editor.label.c_str(), FormatFull(editor.old_value).c_str());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputText("##value", &editor.text, ImGuiInputTextFlags_EnterReturnsTrue);
  // Checked here too so the popup can stay open and say why; the intent re-checks.
  double value = 0;
  const std::string rule = ParseCellValue(editor.text, &value);
  if (!rule.empty()) ErrorBox(rule + "; the old value " + FormatFull(editor.old_value) + " is kept");
  const bool ok = ImGui::Button("Set") || entered;
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    ImGui::CloseCurrentPopup();
  } else if (ok && rule.empty()) {
    Push(state, classroom_action::SetCellValue{editor.role, editor.index, editor.text});
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void DrawShortcutsOverlay(AppState& state) {
  if (!state.classroom.show_shortcuts) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x * 0.5f, viewport->Pos.y + viewport->Size.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  // Fixed width (wrapped descriptions) so large text never runs past the window.
  ImGui::SetNextWindowSize(ImVec2(std::min(viewport->Size.x * 0.92f, ImGui::GetFontSize() * 36.0f), 0));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(viewport->Size.x * 0.95f, viewport->Size.y * 0.95f));
  bool open = true;
  ImGui::Begin("Keyboard shortcuts", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse);
  RecordItem("panel:shortcuts", ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("Ctrl + O  /  Ctrl + S").x);
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
    for (const KeyHelp& key : kKeys) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", key.keys);
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", key.what);
    }
    ImGui::EndTable();
  }
  ImGui::End();
  if (!open) Push(state, classroom_action::ToggleShortcuts{});
}

void DrawMenuPopup(AppState& state) {
  if (!ImGui::BeginPopup(kMenuPopup)) return;
  ClassroomUi& room = state.classroom;
  if (ImGui::MenuItem("Export frame / animation / matrix...")) room.show_export = true;
  if (ImGui::MenuItem("Show code (NumPy / PyTorch / Octave)...")) room.show_code = true;
  if (ImGui::MenuItem("Load an image as the input...")) room.show_image = true;
  DrawLearningMenuItems(state);  // practice and tours
  if (ImGui::MenuItem("Copy link to this view")) CopyLinkToView(state);
  RecordItem("control:copy-link", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (ImGui::BeginMenu("Recent files", !room.settings.recent_files.empty())) {
    for (const std::string& path : room.settings.recent_files) {
      if (ImGui::MenuItem(path.c_str())) PushIntent(state, intent::OpenScenarioFile{path});
    }
    ImGui::EndMenu();
  }
  ImGui::Separator();
  if (ImGui::MenuItem("Presentation mode", "F5", room.presentation)) Push(state, classroom_action::TogglePresentation{});
  if (ImGui::MenuItem("Fullscreen", "F11", room.fullscreen)) Push(state, classroom_action::ToggleFullscreen{});
  if (ImGui::MenuItem("Keyboard shortcuts", "F1", room.show_shortcuts)) Push(state, classroom_action::ToggleShortcuts{});
  ImGui::EndPopup();
}

}  // namespace

void HandleClassroomShortcuts(AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  ClassroomUi& room = state.classroom;
  if (AppKeyPressed(AppKey::F1) || TypedQuestionMark()) Push(state, classroom_action::ToggleShortcuts{});
  if (AppKeyPressed(AppKey::F5)) Push(state, classroom_action::TogglePresentation{});
  if (AppKeyPressed(AppKey::F11)) Push(state, classroom_action::ToggleFullscreen{});
  if (AppKeyPressed(AppKey::Escape) && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
    if (room.show_shortcuts) Push(state, classroom_action::ToggleShortcuts{});
    else if (room.presentation) Push(state, classroom_action::TogglePresentation{});
  }
  if (io.KeyCtrl) {
    if (AppKeyPressed(AppKey::Equal) || AppKeyPressed(AppKey::KeypadAdd)) Push(state, classroom_action::StepFontScale{+1});
    if (AppKeyPressed(AppKey::Minus) || AppKeyPressed(AppKey::KeypadSubtract)) Push(state, classroom_action::StepFontScale{-1});
    if (AppKeyPressed(AppKey::Digit0) || AppKeyPressed(AppKey::Keypad0)) Push(state, classroom_action::StepFontScale{0});
    if (AppKeyPressed(AppKey::O)) state.ui.file_action = ShellUi::FileAction::Open;
    if (AppKeyPressed(AppKey::S)) state.ui.file_action = ShellUi::FileAction::Save;
  }
}

void HandleCellDoubleClick(AppState& state) {
  if (!ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) || state.hover.IsNone()) return;
  if (ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
  if (state.practice.open && !state.practice.answered) return;  // clicks answer the question
  TensorRole role = TensorRole::Input;
  Index index = 0;
  if (!EditableCell(state, state.hover, &role, &index)) return;
  CellEditorUi& editor = state.classroom.cell_editor;
  editor.open_requested = true;
  editor.role = role;
  editor.index = index;
  editor.label = CellLabel(state.scenario.shape, role, index);
  editor.old_value = GenerateValues(state.scenario, role)[static_cast<size_t>(index)];
  editor.text = FormatFull(editor.old_value);
}

float ClassroomMenuButtonWidth() {
  return ImGui::CalcTextSize(kMenuLabel).x + 2.0f * ImGui::GetStyle().FramePadding.x;
}

void DrawClassroomMenuButton(AppState& state) {
  if (ImGui::Button(kMenuLabel)) ImGui::OpenPopup(kMenuPopup);
  RecordItem("control:more", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("export, show code, image input, recent files, presentation (F1: keys)");
  DrawMenuPopup(state);
}

void DrawClassroomWindows(AppState& state) {
  if (state.classroom.frame_only) return;  // an export's frame: the stage, not the tools
  HandleCellDoubleClick(state);
  DrawCellEditor(state);
  DrawShortcutsOverlay(state);
  DrawExportWindow(state);
  DrawCodeWindow(state);
  DrawImageWindow(state);
}

void DrawPresentationFrame(AppState& state, GpuContext* gpu) {
  const Palette& palette = ActivePalette();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 6));
  ImGui::Begin("##im2col-lab", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  ImGui::PopStyleVar();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float footer = ImGui::GetTextLineHeightWithSpacing() + style.ItemSpacing.y;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // The phase's blocks side by side across the screen, the explanation below them.
  const float explain_height = std::clamp(avail.y * 0.22f, ImGui::GetTextLineHeightWithSpacing() * 3.5f, avail.y * 0.4f);
  const float stage_height = std::max(80.0f, avail.y - footer - explain_height - style.ItemSpacing.y);

  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(palette.background));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 10));
  ImGui::BeginChild("##stage", ImVec2(0, stage_height), true,
                    ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoSavedSettings);
  RecordItem("panel:stage", ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  DrawStage(state, gpu);
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14, 12));
  ImGui::BeginChild("##step", ImVec2(0, explain_height), true, ImGuiWindowFlags_NoSavedSettings);
  RecordItem("panel:step", ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  DrawStepPanel(state);
  ImGui::EndChild();
  ImGui::PopStyleVar();

  char footer_text[256];
  const Phase phase = CurrentPhase(state);
  std::snprintf(footer_text, sizeof footer_text,
                "%s  \xC2\xB7  %s   \xE2\x80\x94   Left/Right: step   Space: play   F5 / Esc: leave",
                StepCounterText(state).c_str(), PhaseTitle(phase).c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette.text_muted));
  ImGui::TextUnformatted(footer_text);
  ImGui::PopStyleColor();
  DrawClassroomWindows(state);
  ImGui::End();
}

}  // namespace im2col::gui
