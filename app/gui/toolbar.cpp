// The toolbar: presets, Open / Save / Export, layout and order, the col2im mode,
// font scale and theme. Items wrap onto a second line on narrow windows.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cmath>
#include <cstdio>

#include "gui/app_state.h"
#include "gui/panels.h"
#include "gui/theme.h"
#include "gui/ui_helpers.h"

namespace im2col::gui {
namespace {

const char* FileDialogTitle(ShellUi::FileAction action) {
  switch (action) {
    case ShellUi::FileAction::Open: return "Open scenario";
    case ShellUi::FileAction::Save: return "Save scenario";
    case ShellUi::FileAction::ExportPng: return "Export this frame as PNG";
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
      if (state.edited != ui.preset_scenario) preview += " (edited)";
    }
  }
  if (!compact) Label("Preset");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * (compact ? 10.0f : 17.0f));
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
  if (action == ShellUi::FileAction::ExportPng) {
    std::string& path = state.ui.file_path;
    const size_t dot = path.rfind('.');
    path = (dot == std::string::npos ? path : path.substr(0, dot)) + ".png";
  } else if (state.ui.file_path.size() > 4 && state.ui.file_path.substr(state.ui.file_path.size() - 4) == ".png") {
    state.ui.file_path.replace(state.ui.file_path.size() - 4, 4, ".json");
  }
}

const char* kThemeIcon = "\u25d0";  // ◐

ThemeId NextTheme(ThemeId theme) {
  return static_cast<ThemeId>((static_cast<int>(theme) + 1) % kThemeCount);
}

}  // namespace

void DrawToolbar(AppState& state) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float gap = style.ItemSpacing.x;
  const float em = ImGui::GetFontSize();
  const auto layouts = {"columns", "rows"};
  const auto orders = {"row-major", "column-major"};
  const auto modes_full = {"sum +=", "overwrite ="};
  const auto modes_short = {"+=", "="};
  char theme_label[64], theme_icon[32];
  std::snprintf(theme_label, sizeof theme_label, "%s %s##theme", kThemeIcon, ToString(state.theme));
  std::snprintf(theme_icon, sizeof theme_icon, "%s##theme", kThemeIcon);

  // Everything on one row with labels when it fits; otherwise drop the group labels
  // and shorten, and only then wrap onto a second row.
  const float files_full = ButtonWidth("Open...") + ButtonWidth("Save...") + ButtonWidth("Export PNG...") +
                           ClassroomMenuButtonWidth() + 3 * gap;
  const float files_short =
      ButtonWidth("Open") + ButtonWidth("Save") + ButtonWidth("Export") + ClassroomMenuButtonWidth() + 3 * gap;
  const float view = ButtonWidth("A-") + ButtonWidth("A+") + ButtonWidth(theme_label) + 2 * gap;
  const float view_short = ButtonWidth("A-") + ButtonWidth("A+") + ButtonWidth(theme_icon) + 2 * gap;
  const float full = LabelWidth("Preset") + 17 * em + files_full + LabelWidth("layout") + SegmentedToggleWidth(layouts) +
                     LabelWidth("order") + SegmentedToggleWidth(orders) + LabelWidth("col2im") +
                     SegmentedToggleWidth(modes_full) + view + 6 * gap;
  const bool compact = full > ImGui::GetContentRegionAvail().x;

  PresetCombo(state, compact);
  SameLineIfFits(compact ? files_short : files_full);
  if (ImGui::Button(compact ? "Open##open" : "Open...##open")) OpenDialog(state, ShellUi::FileAction::Open);
  ImGui::SameLine();
  if (ImGui::Button(compact ? "Save##save" : "Save...##save")) OpenDialog(state, ShellUi::FileAction::Save);
  ImGui::SameLine();
  if (ImGui::Button(compact ? "Export##png" : "Export PNG...##png")) OpenDialog(state, ShellUi::FileAction::ExportPng);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("save this frame as a PNG image");
  ImGui::SameLine();
  DrawClassroomMenuButton(state);  // classroom_ui.cpp: export, code, image, recent, presentation

  SameLineIfFits((compact ? 0.0f : LabelWidth("layout")) + SegmentedToggleWidth(layouts));
  if (!compact) Label("layout");
  const int layout = SegmentedToggle("layout", layouts, state.edited.layout == Layout::Columns ? 0 : 1);
  if (layout >= 0) PushIntent(state, intent::SetLayout{layout == 0 ? Layout::Columns : Layout::Rows});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("layout: columns = X_col is R x N*L (the chapter); rows = its transpose");

  SameLineIfFits((compact ? 0.0f : LabelWidth("order")) + SegmentedToggleWidth(orders));
  if (!compact) Label("order");
  const int order = SegmentedToggle("order", orders, state.edited.order == Order::RowMajor ? 0 : 1);
  if (order >= 0) PushIntent(state, intent::SetOrder{order == 0 ? Order::RowMajor : Order::ColumnMajor});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("order in which (c,ky,kx) and (oy,ox) are flattened");

  const auto& modes = compact ? modes_short : modes_full;
  SameLineIfFits(LabelWidth("col2im") + SegmentedToggleWidth(modes));
  Label("col2im");
  if (SegmentedToggle("col2im", modes, state.overwrite_mode ? 1 : 0) >= 0) PushIntent(state, intent::ToggleOverwrite{});
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("col2im: sum (+=) is right; overwrite (=) is the classic bug that loses gradient where patches overlap");
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
  const char* action_label = ui.file_action == ShellUi::FileAction::Open ? "Open" : "Save";
  const bool confirm = ImGui::Button(action_label) || entered;
  ImGui::SameLine();
  const bool cancel = ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
  if (confirm && !ui.file_path.empty()) {
    switch (ui.file_action) {
      case ShellUi::FileAction::Open: PushIntent(state, intent::OpenScenarioFile{ui.file_path}); break;
      case ShellUi::FileAction::Save: PushIntent(state, intent::SaveScenarioFile{ui.file_path}); break;
      case ShellUi::FileAction::ExportPng: PushIntent(state, intent::ExportFrame{ui.file_path}); break;
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
