// The window's frame: a fixed layout (no docking, nothing saved between runs) so the
// picture is the same in the window, in renders and on every machine.
#include "gui/panels/frame.h"

#include <imgui.h>

#include <algorithm>

#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/panels/toolbar.h"
#include "gui/panels/panel_shape.h"
#include "gui/panels/panel_step.h"
#include "gui/panels/panel_playback.h"
#include "gui/stage/stage.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"
#include "gui/panels/classroom_ui.h"
#include "gui/panels/practice_panel.h"

namespace im2col::gui {
namespace {

constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                    ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                                    ImGuiWindowFlags_NoBringToFrontOnFocus;

void RecordCurrentWindow(const char* id) {
  const ImVec2 min = ImGui::GetWindowPos();
  const ImVec2 size = ImGui::GetWindowSize();
  RecordItem(id, min, ImVec2(min.x + size.x, min.y + size.y));
}

// A side panel: a bordered child window with its own vertical scrolling.
template <typename Draw>
void SidePanel(const char* id, const char* record_id, ImVec2 size, Draw draw) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14, 12));
  ImGui::BeginChild(id, size, /*border=*/true, ImGuiWindowFlags_NoSavedSettings);
  RecordCurrentWindow(record_id);
  draw();
  ImGui::EndChild();
  ImGui::PopStyleVar();
}

}  // namespace

ShellLayout ComputeShellLayout(float width, float font_scale) {
  const float s = std::clamp(font_scale, 0.5f, 3.0f);
  ShellLayout layout{};
  layout.left_width = std::clamp(width * 0.19f, 270.0f * s, 400.0f * s);
  layout.right_width = std::clamp(width * 0.19f, 280.0f * s, 420.0f * s);
  // Never let the side panels eat the stage: together at most 55% of the width.
  const float sides = layout.left_width + layout.right_width;
  if (sides > width * 0.55f) {
    const float k = width * 0.55f / sides;
    layout.left_width *= k;
    layout.right_width *= k;
  }
  return layout;
}

void DrawAppFrame(AppState& state, GpuContext* gpu) {
  HandleShortcuts(state);
  HandleClassroomShortcuts(state);  // classroom_ui.cpp: F1 F5 F11, Ctrl+= / - / 0
  BeginLearningFrame(state);        // practice_panel.cpp: P, N, stage clicks, tour keys
  if (state.classroom.presentation) {
    DrawPresentationFrame(state, gpu);
    DrawLearningWindows(state);
    return;
  }
  const Palette& palette = ActivePalette();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 6));
  // No background: the frame is cleared to the panel colour, and a full-window quad
  // costs llvmpipe (the projector laptops' software GL) several ms a frame.
  ImGui::Begin("##im2col-lab", nullptr,
               kFixed | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  ImGui::PopStyleVar();
  // A short window for this text size: tighter rows so the stage keeps its height.
  const bool short_window = IsShortWindow();
  if (short_window) {
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(style.FramePadding.x, style.FramePadding.y * 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(style.ItemSpacing.x, style.ItemSpacing.y * 0.5f));
  }

  // Toolbar: drawn straight into the main window so it may wrap onto two lines.
  const ImVec2 toolbar_min = ImGui::GetCursorScreenPos();
  DrawToolbar(state);
  const float toolbar_bottom = ImGui::GetCursorScreenPos().y;
  RecordItem("panel:toolbar", toolbar_min, ImVec2(viewport->Pos.x + viewport->Size.x, toolbar_bottom));

  const ImGuiStyle& style = ImGui::GetStyle();
  // The bar's height as measured last frame (more rows with very large text); before
  // that, two rows of buttons inside its padding (14 x 12, see the child below).
  const float two_rows = 2.0f * ImGui::GetFrameHeight() + style.ItemSpacing.y + 2.0f * 12.0f;
  const float bar_height = std::clamp(state.ui.playback_bar_height > 0.0f ? state.ui.playback_bar_height : two_rows,
                                      two_rows, std::max(two_rows, ImGui::GetContentRegionAvail().y * 0.4f));
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float middle_height = std::max(80.0f, avail.y - bar_height - style.ItemSpacing.y);
  const ShellLayout layout = ComputeShellLayout(avail.x, state.font_scale);
  const float stage_width =
      std::max(80.0f, avail.x - layout.left_width - layout.right_width - 2.0f * style.ItemSpacing.x);

  SidePanel("##shape", "panel:shape", ImVec2(layout.left_width, middle_height), [&] { DrawShapePanel(state); });
  ImGui::SameLine();

  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(palette.background));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 10));
  ImGui::BeginChild("##stage", ImVec2(stage_width, middle_height), /*border=*/true,
                    ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoSavedSettings);
  RecordCurrentWindow("panel:stage");
  DrawStage(state, gpu);
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::SameLine();

  SidePanel("##step", "panel:step", ImVec2(layout.right_width, middle_height), [&] { DrawStepPanel(state); });

  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14, 12));
  ImGui::BeginChild("##playback", ImVec2(0, 0), /*border=*/true,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoSavedSettings);
  RecordCurrentWindow("panel:playback");
  DrawPlaybackBar(state);
  ImGui::EndChild();
  ImGui::PopStyleVar();

  if (short_window) ImGui::PopStyleVar(2);
  DrawFileDialog(state);
  DrawClassroomWindows(state);  // cell editor, shortcuts, export, code, image
  ImGui::End();
  DrawLearningWindows(state);  // practice, tours, marks on the stage
}

}  // namespace im2col::gui
