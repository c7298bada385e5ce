// The toolbar: presets, Open / Save / Export, layout and order, the col2im mode,
// font scale and theme. Items wrap onto a second line on narrow windows.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <filesystem>
#include <cmath>
#include <cstdio>

#include "gui/state/app_state.h"
#include "gui/panels/toolbar.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"
#include "gui/panels/classroom_ui.h"

namespace im2col::gui {
namespace {

const char* FileDialogTitle(ShellUi::FileAction action) {
  switch (action) {
    case ShellUi::FileAction::Open: return "Open scenario";
    case ShellUi::FileAction::Save: return "Save scenario";
    case ShellUi::FileAction::ExportPng: return "Export this frame as PNG";
    case ShellUi::FileAction::OpenTour: return "Open a tour file";
    case ShellUi::FileAction::None: break;
  }
  return "";
}

float ButtonWidth(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
}

// Label + combo as one group; returns the width it used.
float LabelWidth(const char* label) { return ImGui::CalcTextSize(label).x + ImGui::GetStyle().ItemInnerSpacing.x; }

void Label(const char* text) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
  ImGui::SameLine();
}

void PresetCombo(AppState& state, bool compact) {
  ShellUi& ui = state.ui;
  std::string preview = "(custom)";
  for (const io::PresetInfo& preset : ui.presets) {
    if (preset.name == ui.preset_name) {
      preview = preset.title.empty() ? preset.name : preset.title;
      if (state.edited != ui.preset_scenario) preview = CustomTitle(preview);
    }
  }
  if (!compact) Label("Preset");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * (compact ? 9.0f : 17.0f));
  if (ImGui::BeginCombo("##preset", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
    if (ui.presets.empty()) ImGui::TextDisabled("no presets found");
    for (const io::PresetInfo& preset : ui.presets) {
      const std::string label = (preset.title.empty() ? preset.name : preset.title) + "##" + preset.name;
      if (ImGui::Selectable(label.c_str(), preset.name == ui.preset_name)) {
        PushIntent(state, intent::LoadPreset{preset.name});
      }
      if (!preset.description.empty() && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(preset.description.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
    ImGui::EndCombo();
  }
}

void OpenDialog(AppState& state, ShellUi::FileAction action) {
  state.ui.file_action = action;
  // Pictures go to the pictures folder, scenarios to the documents folder (the same
  // file name): never into whatever directory the app was started from.
  namespace fs = std::filesystem;
  std::string& path = state.ui.file_path;
  const std::string stem = fs::path(path).stem().string().empty() ? "scenario" : fs::path(path).stem().string();
  const std::string pictures = state.ui.pictures_dir, documents = state.ui.documents_dir;
  const std::string folder = fs::path(path).parent_path().string();
  const bool default_folder = folder.empty() || folder == pictures || folder == documents;
  if (action == ShellUi::FileAction::ExportPng) {
    path = default_folder && !pictures.empty() ? (fs::path(pictures) / (stem + ".png")).string()
                                               : (fs::path(path).replace_extension(".png")).string();
  } else if (fs::path(path).extension() == ".png") {
    path = default_folder && !documents.empty() ? (fs::path(documents) / (stem + ".json")).string()
                                                : (fs::path(path).replace_extension(".json")).string();
  }
}

const char* kThemeIcon = "\u25d0";  // ◐

ThemeId NextTheme(ThemeId theme) {
  return static_cast<ThemeId>((static_cast<int>(theme) + 1) % kThemeCount);
}

}  // namespace

namespace {

const auto kLayouts = {"columns", "rows"};
const auto kOrders = {"row-major", "column-major"};
const auto kModesFull = {"sum +=", "overwrite ="};
const auto kModesShort = {"+=", "="};

// One toggle group; `same_line` places it after the previous item when it fits.
void LayoutToggle(AppState& state, bool labelled, bool same_line) {
  if (same_line) SameLineIfFits((labelled ? LabelWidth("layout") : 0.0f) + SegmentedToggleWidth(kLayouts));
  if (labelled) Label("layout");
  const int layout = SegmentedToggle("layout", kLayouts, state.edited.layout == Layout::Columns ? 0 : 1);
  if (layout >= 0) PushIntent(state, intent::SetLayout{layout == 0 ? Layout::Columns : Layout::Rows});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("layout: columns = X_col is R x N*L (the chapter); rows = its transpose");
}

void OrderToggle(AppState& state, bool labelled, bool same_line) {
  if (same_line) SameLineIfFits((labelled ? LabelWidth("order") : 0.0f) + SegmentedToggleWidth(kOrders));
  if (labelled) Label("order");
  const int order = SegmentedToggle("order", kOrders, state.edited.order == Order::RowMajor ? 0 : 1);
  if (order >= 0) PushIntent(state, intent::SetOrder{order == 0 ? Order::RowMajor : Order::ColumnMajor});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("order in which (c,ky,kx) and (oy,ox) are flattened");
}

void Col2imToggle(AppState& state, bool short_labels, bool same_line) {
  const auto& modes = short_labels ? kModesShort : kModesFull;
  if (same_line) SameLineIfFits(LabelWidth("col2im") + SegmentedToggleWidth(modes));
  Label("col2im");
  if (SegmentedToggle("col2im", modes, state.overwrite_mode ? 1 : 0) >= 0) PushIntent(state, intent::ToggleOverwrite{});
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("col2im: sum (+=) is right; overwrite (=) is the classic bug that loses gradient where patches overlap");
  }
}

}  // namespace

void DrawViewToggles(AppState& state) {
  // Label, then a combo filling the rest of the row: fits a narrow side panel.
  // Label above the combo when the panel is too narrow for "column-major" beside it.
  const float label_width = LabelWidth("col2im");
  const float widest = ImGui::CalcTextSize("column-major").x + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
  const bool stacked = ImGui::GetContentRegionAvail().x < label_width + ImGui::GetStyle().ItemSpacing.x + widest;
  auto row = [&](const char* label, const char* id, std::initializer_list<const char*> choices, int selected) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    if (!stacked) ImGui::SameLine(label_width + ImGui::GetStyle().ItemSpacing.x);
    ImGui::SetNextItemWidth(-1);
    return ChoiceCombo(id, choices, selected);
  };
  const int layout = row("layout", "layout", kLayouts, state.edited.layout == Layout::Columns ? 0 : 1);
  if (layout >= 0) PushIntent(state, intent::SetLayout{layout == 0 ? Layout::Columns : Layout::Rows});
  const int order = row("order", "order", kOrders, state.edited.order == Order::RowMajor ? 0 : 1);
  if (order >= 0) PushIntent(state, intent::SetOrder{order == 0 ? Order::RowMajor : Order::ColumnMajor});
  if (row("col2im", "col2im", kModesFull, state.overwrite_mode ? 1 : 0) >= 0) PushIntent(state, intent::ToggleOverwrite{});
}

void DrawToolbar(AppState& state) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float gap = style.ItemSpacing.x;
  const float em = ImGui::GetFontSize();
  char theme_label[64], theme_icon[32];
  std::snprintf(theme_label, sizeof theme_label, "%s %s##theme", kThemeIcon, ToString(state.theme));
  std::snprintf(theme_icon, sizeof theme_icon, "%s##theme", kThemeIcon);

  // Everything on one row with labels when it fits; otherwise drop the group labels
  // and shorten, and only then wrap onto a second row. In a short window (very large
  // text) the layout / order / col2im toggles move to the top of the shape panel.
  const bool short_window = IsShortWindow();
  const float files_full = ButtonWidth("Open...") + ButtonWidth("Save...") + ButtonWidth("Export PNG...") +
                           ClassroomMenuButtonWidth() + 3 * gap;
  const float files_short =
      ButtonWidth("Open") + ButtonWidth("Save") + ButtonWidth("Export") + ClassroomMenuButtonWidth() + 3 * gap;
  const float view = ButtonWidth("A-") + ButtonWidth("A+") + ButtonWidth(theme_label) + 2 * gap;
  const float view_short = ButtonWidth("A-") + ButtonWidth("A+") + ButtonWidth(theme_icon) + 2 * gap;
  const float full = LabelWidth("Preset") + 17 * em + files_full + LabelWidth("layout") + SegmentedToggleWidth(kLayouts) +
                     LabelWidth("order") + SegmentedToggleWidth(kOrders) + LabelWidth("col2im") +
                     SegmentedToggleWidth(kModesFull) + view + 6 * gap;
  const bool compact = short_window || full > ImGui::GetContentRegionAvail().x;

  PresetCombo(state, compact);
  SameLineIfFits(compact ? files_short : files_full);
  if (ImGui::Button(compact ? "Open##open" : "Open...##open")) OpenDialog(state, ShellUi::FileAction::Open);
  ImGui::SameLine();
  if (ImGui::Button(compact ? "Save##save" : "Save...##save")) OpenDialog(state, ShellUi::FileAction::Save);
  ImGui::SameLine();
  if (ImGui::Button(compact ? "Export##png" : "Export PNG...##png")) OpenDialog(state, ShellUi::FileAction::ExportPng);
  RecordItem("control:export-png", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("save this frame as a PNG image");
  ImGui::SameLine();
  DrawClassroomMenuButton(state);  // classroom_ui.cpp: export, code, image, recent, presentation

  if (!short_window) {
    LayoutToggle(state, !compact, true);
    OrderToggle(state, !compact, true);
    Col2imToggle(state, compact, true);
  }

  SameLineIfFits(compact ? view_short : view);
  const int percent = static_cast<int>(std::lround(state.font_scale * 100));
  if (ImGui::Button("A-")) PushIntent(state, intent::SetFontScale{std::round((state.font_scale - 0.1f) * 10) / 10});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("smaller text (now %d%%)", percent);
  ImGui::SameLine();
  if (ImGui::Button("A+")) PushIntent(state, intent::SetFontScale{std::round((state.font_scale + 0.1f) * 10) / 10});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("larger text (now %d%%)", percent);
  ImGui::SameLine();
  if (ImGui::Button(compact ? theme_icon : theme_label)) PushIntent(state, intent::SetTheme{NextTheme(state.theme)});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("theme: %s (click for the next)", ThemeTitle(state.theme));
  ImGui::Separator();
  DrawStatusToast(state, ImGui::GetCursorScreenPos().y);
}

void DrawStatusToast(AppState& state, float toolbar_bottom) {
  // An error from a file, a preset or the settings is shown where the eye is (under the
  // toolbar, over the stage's corner), not only atop the SHAPE panel, which may be
  // scrolled. Exports draw the frame alone.
  if (!state.status_is_error || state.status.empty() || state.classroom.frame_only) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float em = ImGui::GetFontSize();
  const float width = std::min(viewport->Size.x - 2.0f * style.WindowPadding.x, em * 34.0f);
  const float inner = width - 2.0f * style.WindowPadding.x;
  const std::string text = "\u2717 " + state.status;
  const float text_height = ImGui::CalcTextSize(text.c_str(), nullptr, false, inner - 2.0f * style.FramePadding.x).y;
  // Sized here, not auto-fitted: an auto-fitted window is hidden on its first frame,
  // and a render is one frame.
  const float height = text_height + 2.0f * style.FramePadding.y + style.ItemSpacing.y + ImGui::GetFrameHeight() +
                       2.0f * style.WindowPadding.y;
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x - style.WindowPadding.x, toolbar_bottom + em * 0.5f),
                          ImGuiCond_Always, ImVec2(1.0f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(width, height), ImGuiCond_Always);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(ActivePalette().background));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 2.0f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav;
  if (ImGui::Begin("##status-toast", nullptr, flags)) {
    if (IsRecordingLayout()) {
      const ImVec2 at = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
      RecordItem("panel:status", at, ImVec2(at.x + size.x, at.y + size.y));
    }
    ErrorBox(state.status);
    if (ImGui::Button("OK##dismiss-status")) PushIntent(state, intent::DismissStatus{});
    if (IsRecordingLayout()) RecordItem("control:dismiss-status", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  }
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

void DrawFileDialog(AppState& state) {
  ShellUi& ui = state.ui;
  const char* popup_id = "##file-dialog";
  if (ui.file_action != ShellUi::FileAction::None && !ImGui::IsPopupOpen(popup_id)) ImGui::OpenPopup(popup_id);
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x * 0.5f, viewport->Pos.y + viewport->Size.y * 0.35f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(viewport->Size.x * 0.9f, ImGui::GetFontSize() * 34.0f), 0));
  if (!ImGui::BeginPopupModal(popup_id, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize)) return;
  PanelTitle(FileDialogTitle(ui.file_action));
  ImGui::TextUnformatted("File path");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputText("##path", &ui.file_path, ImGuiInputTextFlags_EnterReturnsTrue);
  const char* action_label = ui.file_action == ShellUi::FileAction::Open || ui.file_action == ShellUi::FileAction::OpenTour ? "Open" : "Save";
  const bool confirm = ImGui::Button(action_label) || entered;
  // Recorded so automated browsers can wait for the dialog instead of guessing how long it takes.
  if (IsRecordingLayout()) RecordItem("control:file-confirm", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ImGui::SameLine();
  const bool cancel = ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
  if (confirm && !ui.file_path.empty()) {
    switch (ui.file_action) {
      case ShellUi::FileAction::Open: PushIntent(state, intent::OpenScenarioFile{ui.file_path}); break;
      case ShellUi::FileAction::Save: PushIntent(state, intent::SaveScenarioFile{ui.file_path}); break;
      case ShellUi::FileAction::ExportPng: PushIntent(state, intent::ExportFrame{ui.file_path}); break;
      case ShellUi::FileAction::OpenTour: PushIntent(state, intent::Tour{tour_action::Open{ui.file_path}}); break;
      case ShellUi::FileAction::None: break;
    }
  }
  if ((confirm && !ui.file_path.empty()) || cancel) {
    ui.file_action = ShellUi::FileAction::None;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace im2col::gui
