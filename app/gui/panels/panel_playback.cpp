// The playback bar (transport, speed, loop, step unit, phase pace, phase buttons,
// scrubber, "step 15 of 150")
// and the keyboard shortcuts that drive the same intents.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "gui/state/app_state.h"
#include "gui/widgets/fonts.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/panels/panel_playback.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"

namespace im2col::gui {
namespace {

constexpr float kSpeeds[] = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f, 8.0f};

const char* ShortPhaseName(Phase phase) {
  switch (phase) {
    case Phase::Extract: return "extract";
    case Phase::Flatten: return "flatten";
    case Phase::Multiply: return "multiply";
    case Phase::Reshape: return "reshape";
    case Phase::GradOutput: return "dY";
    case Phase::GradWeights: return "dW";
    case Phase::GradXCol: return "dX_col";
    case Phase::Col2im: return "col2im";
    case Phase::GradInput: return "dX";
  }
  return "";
}

std::string SpeedLabel(float speed) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, speed < 1.0f ? "%.2gx" : "%.0fx", static_cast<double>(speed));
  return buffer;
}

// Start of the phase before / after the current one (skipping empty phases).
Index PreviousPhaseStart(const AppState& state) {
  const Timeline& t = *state.timeline;
  const Step now = t.At(state.playback.step);
  if (now.item > 0) return t.PhaseBegin(now.phase);
  const std::vector<Phase>& phases = t.Phases();  // the operator's own (transposed has seven)
  for (int p = t.PositionOf(now.phase) - 1; p >= 0; --p) {
    if (t.PhaseLength(phases[p]) > 0) return t.PhaseBegin(phases[p]);
  }
  return 0;
}
Index NextPhaseStart(const AppState& state) {
  const Timeline& t = *state.timeline;
  const Step now = t.At(state.playback.step);
  const std::vector<Phase>& phases = t.Phases();
  for (int p = t.PositionOf(now.phase) + 1; p < static_cast<int>(phases.size()); ++p) {
    if (t.PhaseLength(phases[p]) > 0) return t.PhaseBegin(phases[p]);
  }
  return std::max<Index>(t.StepCount() - 1, 0);
}

bool TransportButton(const char* label, const char* tooltip, float width) {
  const bool pressed = ImGui::Button(label, ImVec2(width, 0));
  // "control:<id>" rectangles let tests click the real buttons.
  if (IsRecordingLayout()) RecordItem(std::string("control:") + (std::strstr(label, "##") + 2), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tooltip);
  return pressed;
}

constexpr Granularity kGranularities[] = {Granularity::Cell, Granularity::Patch, Granularity::Row,
                                          Granularity::Phase};
constexpr float kPhaseSecondsChoices[] = {kPhaseSecondsAuto, 0.0f, 5.0f, 10.0f, 15.0f, 30.0f, 60.0f};

std::string PhaseSecondsLabel(float seconds) {
  if (seconds < 0.0f) return "auto";
  if (seconds == 0.0f) return "off";
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%.0f s", static_cast<double>(seconds));
  return buffer;
}

// The unit one step visits, and "play this phase in N seconds".
void DrawPace(AppState& state) {
  const float arrow = ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
  const float step_width = ImGui::CalcTextSize("phase").x + arrow;
  SameLineIfFits(ImGui::CalcTextSize("step by").x + step_width + ImGui::GetStyle().ItemSpacing.x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("step by");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(step_width);
  if (ImGui::BeginCombo("##granularity", ToString(state.playback.granularity).c_str())) {
    for (Granularity g : kGranularities) {
      if (ImGui::Selectable(ToString(g).c_str(), g == state.playback.granularity)) {
        PushIntent(state, intent::SetGranularity{g});
      }
    }
    ImGui::EndCombo();
  }
  if (IsRecordingLayout()) RecordItem("control:granularity", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("what one step (buttons, arrow keys, playback) visits:\n"
                      "cell: every step\npatch: one patch (a column of X_col) at a time\n"
                      "row: one row at a time (a row of windows, a filter's row)\nphase: one phase at a time");
  }
  const float seconds_width = ImGui::CalcTextSize("auto").x + arrow;
  SameLineIfFits(ImGui::CalcTextSize("phase in").x + seconds_width + ImGui::GetStyle().ItemSpacing.x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("phase in");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(seconds_width);
  if (ImGui::BeginCombo("##phase-seconds", PhaseSecondsLabel(state.playback.phase_seconds).c_str())) {
    for (float seconds : kPhaseSecondsChoices) {
      if (ImGui::Selectable(PhaseSecondsLabel(seconds).c_str(), seconds == state.playback.phase_seconds)) {
        PushIntent(state, intent::SetPhaseSeconds{seconds});
      }
    }
    ImGui::EndCombo();
  }
  if (IsRecordingLayout()) RecordItem("control:phase-seconds", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("play a long phase in this many seconds (many steps a frame); pause and step by cell "
                      "to stop on any one.\nauto: phases of %lld steps or more take %.0f s; off: one step "
                      "every %.1f s at 1x. Now %.0f steps/s.",
                      static_cast<long long>(kBigPhaseSteps), static_cast<double>(kAutoPhaseSeconds),
                      static_cast<double>(kStepSeconds), PlaybackStepsPerSecond(state));
  }
}

void DrawTransport(AppState& state) {
  const float w = ImGui::GetFrameHeight() * 1.6f;
  if (TransportButton("\u25c0\u25c0##prev-phase", "previous phase (Home: first step)", w)) {
    PushIntent(state, intent::SetStep{PreviousPhaseStart(state)});
  }
  ImGui::SameLine();
  if (TransportButton("\u25c0##back", "step back one unit (Left)", w)) PushIntent(state, intent::StepUnit{-1});
  ImGui::SameLine();
  const char* play = state.playback.playing ? "\u275a\u275a##play" : "\u25b6##play";
  if (TransportButton(play, "play / pause (Space)", w * 1.3f)) PushIntent(state, intent::TogglePlay{});
  ImGui::SameLine();
  if (TransportButton("\u25b6##forward", "step forward one unit (Right)", w)) PushIntent(state, intent::StepUnit{1});
  ImGui::SameLine();
  if (TransportButton("\u25b6\u25b6##next-phase", "next phase (End: last step)", w)) {
    PushIntent(state, intent::SetStep{NextPhaseStart(state)});
  }
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("speed");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("0.25x").x + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x);
  if (ImGui::BeginCombo("##speed", SpeedLabel(state.playback.speed).c_str())) {
    for (float speed : kSpeeds) {
      if (ImGui::Selectable(SpeedLabel(speed).c_str(), speed == state.playback.speed)) {
        PushIntent(state, intent::SetSpeed{speed});
      }
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  bool loop = state.playback.loop;
  if (ImGui::Checkbox("loop", &loop)) PushIntent(state, intent::SetLoop{loop});
  DrawPace(state);
}

void DrawPhaseButtons(AppState& state) {
  const Timeline& t = *state.timeline;
  const Phase current = CurrentPhase(state);
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec4 focus = ImGui::ColorConvertU32ToFloat4(ActivePalette().focus);
  const ImVec4 on_focus = ImGui::ColorConvertU32ToFloat4(TextColorOn(ActivePalette().focus));
  // Key numbers in the labels when everything fits on the row, else names only.
  const std::vector<Phase>& phases = t.Phases();
  const int count = static_cast<int>(phases.size());
  auto label_of = [&phases](int p, bool numbered, char* out, size_t size) {
    if (numbered) {
      std::snprintf(out, size, "%d %s##phase%d", p + 1, ShortPhaseName(phases[p]), p);
    } else {
      std::snprintf(out, size, "%s##phase%d", ShortPhaseName(phases[p]), p);
    }
  };
  char label[48];
  float numbered_width = ImGui::CalcTextSize("forward").x + ImGui::CalcTextSize("backward").x + 4 * style.ItemSpacing.x;
  for (int p = 0; p < count; ++p) {
    label_of(p, true, label, sizeof label);
    numbered_width += ImGui::CalcTextSize(label, nullptr, true).x + 2 * style.FramePadding.x + style.ItemSpacing.x;
  }
  const bool numbered = numbered_width <= ImGui::GetContentRegionAvail().x;
  for (int p = 0; p < count; ++p) {
    const Phase phase = phases[p];
    if (p == 0 || phase == Phase::GradOutput) {  // the first backward phase of both operators
      if (p > 0) ImGui::SameLine(0, style.ItemSpacing.x * 2.0f);
      ImGui::AlignTextToFramePadding();
      ImGui::TextDisabled(p == 0 ? "forward" : "backward");
    }
    label_of(p, numbered, label, sizeof label);
    // Very large text: buttons that no longer fit go on the next line.
    SameLineIfFits(ImGui::CalcTextSize(label, nullptr, true).x + 2 * style.FramePadding.x);
    const bool active = phase == current;
    if (active) {
      ImGui::PushStyleColor(ImGuiCol_Button, focus);
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, focus);
      ImGui::PushStyleColor(ImGuiCol_Text, on_focus);
    }
    ImGui::BeginDisabled(t.PhaseLength(phase) == 0);
    if (ImGui::Button(label)) PushIntent(state, intent::JumpToPhase{phase});
    if (IsRecordingLayout()) {
      RecordItem("control:phase:" + ToString(phase), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    }
    ImGui::EndDisabled();
    if (active) ImGui::PopStyleColor(3);
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s: %lld steps (key %d)", PhaseTitle(phase).c_str(),
                        static_cast<long long>(t.PhaseLength(phase)), p + 1);
    }
  }
}

// Short windows: the eight phases as one combo, so the bar stays two rows high.
void DrawPhaseCombo(AppState& state) {
  const Timeline& t = *state.timeline;
  const Phase current = CurrentPhase(state);
  char preview[48];
  std::snprintf(preview, sizeof preview, "%d %s", t.PositionOf(current) + 1, ShortPhaseName(current));
  const float width = ImGui::CalcTextSize("8 multiply").x + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
  SameLineIfFits(width);
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("##phase", preview, ImGuiComboFlags_HeightLargest)) {
    const std::vector<Phase>& phases = t.Phases();
    for (int p = 0; p < static_cast<int>(phases.size()); ++p) {
      const Phase phase = phases[p];
      char label[64];
      std::snprintf(label, sizeof label, "%d %s  (%s)", p + 1, ShortPhaseName(phase),
                    IsBackward(phase, state.scenario.shape.op) ? "backward" : "forward");
      ImGui::BeginDisabled(t.PhaseLength(phase) == 0);
      if (ImGui::Selectable(label, phase == current)) PushIntent(state, intent::JumpToPhase{phase});
      ImGui::EndDisabled();
    }
    ImGui::EndCombo();
  }
  if (IsRecordingLayout()) RecordItem("control:phase-combo", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: keys 1-8 jump to a phase", PhaseTitle(current).c_str());
}

void DrawScrubber(AppState& state) {
  const Index count = StepCount(state);
  const std::string counter_text = StepCounterText(state);
  const char* counter = counter_text.c_str();
  ImGui::PushFont(NumberFont());
  const float counter_width = ImGui::CalcTextSize(counter).x;
  ImGui::PopFont();
  // The scrubber needs room to be useful: on its own line when the transport took it.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  if (ImGui::GetContentRegionAvail().x < counter_width + spacing + ImGui::GetFontSize() * 8.0f) ImGui::NewLine();
  ImGui::SetNextItemWidth(std::max(50.0f, ImGui::GetContentRegionAvail().x - counter_width - spacing));
  long long step = state.playback.step;
  const long long first = 0, last = std::max<long long>(count - 1, 0);
  if (ImGui::SliderScalar("##scrub", ImGuiDataType_S64, &step, &first, &last, "")) {
    PushIntent(state, intent::SetStep{static_cast<Index>(step)});
  }
  ImGui::SameLine();
  ImGui::PushFont(NumberFont());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(counter);
  ImGui::PopFont();
}

}  // namespace

void DrawPlaybackBar(AppState& state) {
  if (!state.timeline) return;
  // Row 1: transport, speed, loop and the scrubber (which takes the rest of the width).
  DrawTransport(state);
  if (IsShortWindow()) {
    DrawPhaseCombo(state);
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 2.0f);
    DrawScrubber(state);
  } else {
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 2.0f);
    DrawScrubber(state);
    // Row 2: the eight phases, forward then backward.
    DrawPhaseButtons(state);
  }
  // The height this content needs, for the next frame's layout (more rows at large text).
  state.ui.playback_bar_height =
      ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + ImGui::GetStyle().WindowPadding.y;
}

void HandleShortcuts(AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  // Typing into a field (a path, Ctrl+click on a slider) must not step the animation.
  if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId) || !state.timeline) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) PushIntent(state, intent::TogglePlay{});
  // A pointing question takes the arrows for its cursor (practice_state.h).
  const bool arrows = !PracticeTakesArrows(state);
  if (arrows && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) PushIntent(state, intent::StepUnit{-1});
  if (arrows && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) PushIntent(state, intent::StepUnit{1});
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home), false)) PushIntent(state, intent::SetStep{0});
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End), false)) {
    PushIntent(state, intent::SetStep{StepCount(state) - 1});
  }
  // GLFW's key codes for '1'..'8' are their ASCII codes, which index io.KeysDown in ImGui 1.86.
  const std::vector<Phase>& phases = state.timeline->Phases();
  for (int p = 0; p < static_cast<int>(phases.size()); ++p) {
    if (ImGui::IsKeyPressed('1' + p, false)) PushIntent(state, intent::JumpToPhase{phases[p]});
  }
}

std::string StepCounterText(const AppState& state) {
  return "step " + std::to_string(state.playback.step + 1) + " of " + std::to_string(StepCount(state));
}

}  // namespace im2col::gui
