// The Export window (this frame as PNG at any size; a range of steps as a GIF or
// numbered PNGs; any matrix as CSV / LaTeX / Markdown to a file or the clipboard),
// the "Show code" window and the image-input window. Drawing that needs GL is
// queued in classroom.request and done by the window loop.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "gui/panels/export_window.h"
#include "gui/state/app_state.h"
#include "gui/widgets/fonts.h"
#include "gui/state/image_input.h"
#include "gui/state/render_request.h"
#include "gui/widgets/ui_helpers.h"
#include "io/atomic_file.h"

namespace im2col::gui {
namespace {

constexpr MatrixId kMatrices[] = {MatrixId::XCol, MatrixId::WRow, MatrixId::YMat,
                                  MatrixId::DyMat, MatrixId::GradWRow, MatrixId::GradXCol};
constexpr io::TextFormat kFormats[] = {io::TextFormat::Text, io::TextFormat::Csv, io::TextFormat::Latex,
                                       io::TextFormat::Markdown};
constexpr const char* kFormatExtensions[] = {".txt", ".csv", ".tex", ".md"};

bool BeginTool(const char* title, bool* open, float width_em) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x * 0.5f, viewport->Pos.y + viewport->Size.y * 0.45f),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(viewport->Size.x * 0.9f, ImGui::GetFontSize() * width_em), 0),
                           ImGuiCond_Appearing);
  return ImGui::Begin(title, open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse);
}

void Status(AppState& state, const std::string& error, const std::string& success) {
  state.status = error.empty() ? success : error;
  state.status_is_error = !error.empty();
}

void ReplaceExtension(std::string& path, const char* extension) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.rfind('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) path.resize(dot);
  path += extension;
}

void FrameSection(AppState& state) {
  ClassroomUi& room = state.classroom;
  SectionLabel("This frame as PNG");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  ImGui::InputInt2("size (width, height)", &room.export_width);
  room.export_width = std::clamp(room.export_width, kMinRenderSide, kMaxRenderSide);
  room.export_height = std::clamp(room.export_height, kMinRenderSide, kMaxRenderSide);
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 6);
  ImGui::InputText("##png", &room.export_png_path);
  ImGui::SameLine();
  if (ImGui::Button("Save PNG") && !room.export_png_path.empty()) {
    room.request = ExportRequest{ExportRequest::Kind::FramePng, room.export_png_path, room.export_width,
                                 room.export_height, 0, 0};
  }
}

void AnimationSection(AppState& state) {
  ClassroomUi& room = state.classroom;
  SectionLabel("Animation (a range of steps, same size)");
  const int last = static_cast<int>(std::max<Index>(StepCount(state) - 1, 0));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  ImGui::InputInt2("steps from, to (0-based)", &room.export_first);
  room.export_first = std::clamp(room.export_first, 0, last);
  room.export_last = std::clamp(room.export_last, room.export_first, last);
  if (ImGui::Button("All steps")) {
    room.export_first = 0;
    room.export_last = last;
  }
  ImGui::SameLine();
  if (ImGui::Button("This phase")) {
    const Phase phase = CurrentPhase(state);
    room.export_first = static_cast<int>(state.timeline->PhaseBegin(phase));
    room.export_last = static_cast<int>(state.timeline->PhaseBegin(phase) + state.timeline->PhaseLength(phase) - 1);
  }
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("(long ranges are subsampled to at most %lld frames)", static_cast<long long>(kMaxAnimationFrames));
  ImGui::PopTextWrapPos();
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 8);
  ImGui::InputText("##gif", &room.export_animation_path);
  ImGui::SameLine();
  if (ImGui::Button("Save GIF") && !room.export_animation_path.empty()) {
    room.request = ExportRequest{ExportRequest::Kind::AnimationGif, room.export_animation_path, room.export_width,
                                 room.export_height, room.export_first, room.export_last};
  }
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 8);
  ImGui::InputText("##dir", &room.export_png_dir);
  ImGui::SameLine();
  if (ImGui::Button("Save PNGs") && !room.export_png_dir.empty()) {
    room.request = ExportRequest{ExportRequest::Kind::AnimationPngs, room.export_png_dir, room.export_width,
                                 room.export_height, room.export_first, room.export_last};
  }
}

void MatrixSection(AppState& state) {
  ClassroomUi& room = state.classroom;
  SectionLabel("A matrix as text");
  room.export_matrix = std::clamp(room.export_matrix, 0, static_cast<int>(std::size(kMatrices)) - 1);
  room.export_format = std::clamp(room.export_format, 0, static_cast<int>(std::size(kFormats)) - 1);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::BeginCombo("##matrix", ToString(kMatrices[room.export_matrix]).c_str())) {
    for (int i = 0; i < static_cast<int>(std::size(kMatrices)); ++i) {
      if (ImGui::Selectable(ToString(kMatrices[i]).c_str(), i == room.export_matrix)) room.export_matrix = i;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  if (ImGui::BeginCombo("##format", io::ToString(kFormats[room.export_format]).c_str())) {
    for (int i = 0; i < static_cast<int>(std::size(kFormats)); ++i) {
      if (ImGui::Selectable(io::ToString(kFormats[i]).c_str(), i == room.export_format)) {
        room.export_format = i;
        ReplaceExtension(room.export_matrix_path, kFormatExtensions[i]);
      }
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  const bool copy = ImGui::Button("Copy");
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 6);
  ImGui::InputText("##matrix-path", &room.export_matrix_path);
  ImGui::SameLine();
  const bool save = ImGui::Button("Save text");
  if ((copy || save) && state.computation) {
    const MatrixId id = kMatrices[room.export_matrix];
    const io::TextFormat format = kFormats[room.export_format];
    if (copy) {  // the clipboard takes one string
      ImGui::SetClipboardText(io::FormatDisplayedMatrix(*state.computation, id, format).c_str());
      Status(state, "", "copied " + ToString(id) + " as " + io::ToString(format));
    } else {  // streamed into the file: a large X_col's text is never all in memory
      const Computation& computation = *state.computation;
      const std::string error = io::WriteFileAtomically(
          room.export_matrix_path,
          [&](std::ostream& out) { io::WriteDisplayedMatrix(computation, id, format, out); });
      Status(state, error, "saved " + room.export_matrix_path);
    }
  }
}

}  // namespace

void DrawExportWindow(AppState& state) {
  if (!state.classroom.show_export) return;
  if (BeginTool("Export", &state.classroom.show_export, 34.0f)) {
    FrameSection(state);
    AnimationSection(state);
    MatrixSection(state);
    if (!state.status.empty()) WrappedText(state.status, state.status_is_error ? ActivePalette().wrong : ActivePalette().text_muted);
  }
  ImGui::End();
}

void DrawCodeWindow(AppState& state) {
  ClassroomUi& room = state.classroom;
  if (!room.show_code) return;
  if (BeginTool("Code for this scenario", &room.show_code, 44.0f) && state.computation) {
    const std::vector<std::string>& names = io::CodeLanguageNames();
    room.code_language = std::clamp(room.code_language, 0, static_cast<int>(names.size()) - 1);
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
      if (i > 0) ImGui::SameLine();
      if (ImGui::RadioButton(names[static_cast<size_t>(i)].c_str(), room.code_language == i)) room.code_language = i;
    }
    const io::CodeLanguage language = *io::ParseCodeLanguage(names[static_cast<size_t>(room.code_language)]);
    if (room.code_generation != state.scenario_generation || room.code_text_language != room.code_language) {
      room.code_text = io::GenerateCode(*state.computation, language);
      room.code_generation = state.scenario_generation;
      room.code_text_language = room.code_language;
    }
    std::string& code = room.code_text;
    ImGui::SameLine();
    // "Copied" beside the button for two seconds: the clipboard gives no other sign.
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID copied_at = ImGui::GetID("##copied-at");
    if (ImGui::Button("Copy")) {
      ImGui::SetClipboardText(code.c_str());
      Status(state, "", "copied the " + names[static_cast<size_t>(room.code_language)] + " code");
      storage->SetFloat(copied_at, static_cast<float>(ImGui::GetTime()));
    }
    const float since = static_cast<float>(ImGui::GetTime()) - storage->GetFloat(copied_at, -100.0f);
    if (since >= 0.0f && since < 2.0f) {
      ImGui::SameLine();
      ImGui::TextUnformatted("\u2713 Copied");
    }
    // The code in the mono font, scrollable both ways (long lines are not wrapped).
    ImGui::PushFont(NumberFont());
    // The text's extent, measured once per text (AlexNet's code is long).
    const ImGuiID measured_for = ImGui::GetID("##code-measured"), width_id = ImGui::GetID("##code-w"),
                  height_id = ImGui::GetID("##code-h");
    const int key = static_cast<int>(room.code_generation * 8 + room.code_text_language) ^ static_cast<int>(ImGui::GetFontSize() * 16);
    if (storage->GetInt(measured_for, -1) != key) {
      const ImVec2 extent = ImGui::CalcTextSize(code.c_str());
      storage->SetInt(measured_for, key);
      storage->SetFloat(width_id, extent.x);
      storage->SetFloat(height_id, extent.y);
    }
    ImGui::BeginChild("##code-view", ImVec2(-1, ImGui::GetTextLineHeight() * 22), true,
                      ImGuiWindowFlags_HorizontalScrollbar);
    const float pad = ImGui::GetFontSize() * 2.0f;
    ImGui::InputTextMultiline("##code", &code,
                              ImVec2(std::max(ImGui::GetContentRegionAvail().x, storage->GetFloat(width_id) + pad),
                                     std::max(ImGui::GetContentRegionAvail().y, storage->GetFloat(height_id) + pad)),
                              ImGuiInputTextFlags_ReadOnly);
    ImGui::EndChild();
    ImGui::PopFont();
  }
  ImGui::End();
}

void DrawImageWindow(AppState& state) {
  ClassroomUi& room = state.classroom;
  if (!room.show_image) return;
  if (BeginTool("Image as input", &room.show_image, 30.0f)) {
    const Shape& s = state.scenario.shape;
    ImGui::TextWrapped("A PNG or JPEG is averaged down to %d x %d, %s, values 0..255 (every batch item the same).",
                       s.height, s.width, s.channels == 1 ? "grey" : s.channels == 3 ? "RGB" : "needs C = 1 or 3");
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 5);
    const bool entered = ImGui::InputText("##image", &room.image_path, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button("Load") || entered) && !room.image_path.empty()) {
      PushIntent(state, intent::Classroom{classroom_action::LoadImage{room.image_path}});
    }
    if (!state.status.empty()) WrappedText(state.status, state.status_is_error ? ActivePalette().wrong : ActivePalette().text_muted);
  }
  ImGui::End();
}

}  // namespace im2col::gui
