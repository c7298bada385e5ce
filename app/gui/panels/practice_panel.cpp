// Practice mode: the question, the pointing or typed answer, the verdict and the
// score, in a window over the SHAPE panel (over the right of the stage and explanation in
// presentation mode).
#include "gui/panels/practice_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "gui/panels/tour_panel.h"
#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"

namespace im2col::gui {
namespace practice_panel_internal {

void Push(AppState& state, PracticeAction action) { PushIntent(state, intent::Practice{std::move(action)}); }

const LayoutItem* FindItem(const std::string& id) {
  for (const LayoutItem& item : LastFrameLayout()) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

void RecordLastItem(const std::string& id) { RecordItem(id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }

bool KeyPressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), false); }

// GLFW's codes for letter keys are their upper-case ASCII codes (io.KeysDown indices).
bool LetterPressed(char upper) { return ImGui::IsKeyPressed(upper, false); }

void HandleKeys(AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
  PracticeUi& p = state.practice;
  if (LetterPressed('P')) Push(state, practice_action::Toggle{});
  if (p.open) {
    if (LetterPressed('N')) Push(state, practice_action::Another{});
    if (PracticeTakesArrows(state)) {
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) Push(state, practice_action::MoveCursor{0, -1});
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) Push(state, practice_action::MoveCursor{0, 1});
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) Push(state, practice_action::MoveCursor{-1, 0});
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) Push(state, practice_action::MoveCursor{1, 0});
      const bool enter = KeyPressed(ImGuiKey_Enter) || KeyPressed(ImGuiKey_KeyPadEnter);
      if (enter && p.cursor) Push(state, practice_action::PointCursor{});
      else if (enter || LetterPressed('D')) Push(state, practice_action::Submit{});
    }
    return;
  }
  if (TourActive(state)) {
    if (KeyPressed(ImGuiKey_PageDown) || LetterPressed('N')) PushIntent(state, intent::Tour{tour_action::Next{}});
    if (KeyPressed(ImGuiKey_PageUp) || LetterPressed('B')) PushIntent(state, intent::Tour{tour_action::Back{}});
  }
}

// A click on a stage cell: an answer while practising, a pointed id while recording.
bool Inside(const LayoutItem* item, ImVec2 at) {
  return item != nullptr && at.x >= item->x && at.y >= item->y && at.x < item->x + item->w && at.y < item->y + item->h;
}

void HandleStageClick(AppState& state) {
  if (!ImGui::IsMouseClicked(ImGuiMouseButton_Left) || state.hover.IsNone()) return;
  if (ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
  // The click must land on the hovered cell as drawn last frame, and not on a window
  // over the stage (the hover is last frame's: the pointer may have left since).
  const ImVec2 at = ImGui::GetIO().MousePos;
  if (!Inside(FindItem(LayoutIdOf(state.scenario, state.hover)), at)) return;
  for (const char* window : {"panel:practice", "panel:tour", "panel:tour-recorder"}) {
    if (Inside(FindItem(window), at)) return;
  }
  if (state.practice.open && state.practice.question && !state.practice.answered) {
    Push(state, practice_action::Point{state.hover});
  } else if (state.tour.recording) {
    PushIntent(state, intent::Tour{tour_action::TogglePoint{state.hover}});
  }
}

// Where the practice and tour windows go: over a panel of the last frame.
ImVec4 PanelRect(const char* id) {
  if (const LayoutItem* item = FindItem(id)) return ImVec4(item->x, item->y, item->w, item->h);
  const ImGuiViewport* v = ImGui::GetMainViewport();
  return ImVec4(v->Pos.x, v->Pos.y + v->Size.y * 0.08f, v->Size.x * 0.22f, v->Size.y * 0.75f);
}

// "Score 3 / 5   Streak 2   Best 4", wrapping between the three at large text sizes.
void DrawScoreLine(const PracticeUi& p) {
  const std::string parts[] = {"Score " + std::to_string(p.progress.score) + " / " + std::to_string(p.progress.asked),
                               "Streak " + std::to_string(p.right_in_a_row), "Best " + std::to_string(p.best_streak)};
  for (size_t i = 0; i < 3; ++i) {
    if (i > 0) {
      ImGui::SameLine(0.0f, ImGui::GetFontSize());
      if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(parts[i].c_str()).x) ImGui::NewLine();
    }
    ImGui::TextUnformatted(parts[i].c_str());
  }
}

const char* HowToAnswer(const PracticeUi& p) {
  switch (AnswerModeOf(p.question->kind)) {
    case AnswerMode::PointPixel:
      return "Click the pixel in the input x (or Padding). Keyboard: arrows move the cursor, Enter picks.";
    case AnswerMode::PointCells:
      return p.question->kind == quiz::Kind::OverlapCount
                 ? "Click the X_col (or dX_col) cells that add into it, then Done. Or type the number."
                 : "Click every X_col cell that copies it (again to unselect), then Done. Keyboard: arrows, Enter, D.";
    case AnswerMode::Typed: return "Type the answer and press Enter.";
  }
  return "";
}

void DrawQuestion(AppState& state) {
  PracticeUi& p = state.practice;
  const Palette& pal = ActivePalette();
  const quiz::Question& q = *p.question;
  WrappedText(q.prompt, pal.text);
  ImGui::Spacing();
  if (!(p.scenario == state.scenario)) {
    WrappedText("The scenario changed: press Another one (N) for a question about this one.", pal.text_muted);
    return;
  }
  if (!p.answered) {
    WrappedText(HowToAnswer(p), pal.text_muted);
    const AnswerMode mode = AnswerModeOf(q.kind);
    if (mode == AnswerMode::PointPixel) {
      if (ImGui::Button("Padding")) Push(state, practice_action::PointPadding{});
      RecordLastItem("control:practice:padding");
    } else if (mode == AnswerMode::PointCells) {
      if (ImGui::Button("Done")) Push(state, practice_action::Submit{});
      RecordLastItem("control:practice:done");
      ImGui::SameLine();
      ImGui::Text("%d chosen", static_cast<int>(p.pointed.size()));
    }
    ImGui::SetNextItemWidth(-1);
    // Keyboard alone: the field takes the keys (asked until it has them: a window's first
    // frame drops the request). Enter submits, Esc leaves the field.
    if (p.focus_answer) ImGui::SetKeyboardFocusHere();
    // One field per question: the last question's field, if it had the keyboard, lets go,
    // so a pointing question gets the arrow keys.
    ImGui::PushID(p.index);
    const bool entered = ImGui::InputTextWithHint("##answer", mode == AnswerMode::Typed ? "your answer" : "or type it",
                                                  &p.typed, ImGuiInputTextFlags_EnterReturnsTrue);
    RecordLastItem("control:practice:answer");
    if (ImGui::IsItemActive()) p.focus_answer = false;
    ImGui::PopID();
    if (entered) Push(state, practice_action::Type{p.typed});
    if (!p.input_message.empty()) ErrorBox(p.input_message);
    return;
  }
  const bool right = p.verdict.right();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(right ? pal.text : pal.wrong_mark));
  // The checker says "wrong: the answer is ..."; shown as "✗ Wrong. The answer is ...".
  std::string detail;
  if (!right) {
    const size_t colon = p.verdict.message.find(':');
    detail = colon == std::string::npos ? p.verdict.message : p.verdict.message.substr(colon + 1);
    detail.erase(0, detail.find_first_not_of(' '));
    if (!detail.empty()) detail[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(detail[0])));
  }
  const std::string verdict = (right ? "\xE2\x9C\x93 Right." : "\xE2\x9C\x97 Wrong. " + detail + ".");
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(verdict.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  WrappedText(q.explanation, pal.text);
}

void DrawPracticeWindow(AppState& state) {
  PracticeUi& p = state.practice;
  if (!p.open) return;
  const Palette& pal = ActivePalette();
  ImVec4 r = PanelRect("panel:shape");
  if (state.classroom.presentation) {
    // Presentation mode has the stage above the explanation, both full width: the
    // question takes the right-hand column over both, wide enough for large text.
    const ImVec4 stage = PanelRect("panel:stage"), step = PanelRect("panel:step");
    const float wide = std::min(ImGui::GetMainViewport()->Size.x * 0.42f, ImGui::GetFontSize() * 24.0f);
    r = ImVec4(stage.x + stage.z - wide, stage.y, wide, std::max(step.y + step.w - stage.y, stage.w));
  }
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
  ImGui::SetNextWindowSize(ImVec2(r.z, r.w));
  bool open = true;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14, 12));
  ImGui::Begin("Practice (P)###practice", &open,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleVar();
  RecordItem("panel:practice", ImGui::GetWindowPos(),
             ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  // The question and its answer first (they must fit a projector at large text), then
  // the score, the level and the seed.
  if (p.question) DrawQuestion(state);
  else WrappedText("No question: the scenario is still being computed.", pal.text_muted);
  if (!p.news.empty()) {
    ImGui::Spacing();
    WrappedText(p.news, pal.focus);
  }
  ImGui::Spacing();
  if (ImGui::Button("Another one (N)")) Push(state, practice_action::Another{});
  RecordLastItem("control:practice:another");
  ImGui::Separator();
  DrawScoreLine(p);
  WrappedText(LevelName(p.progress.level), pal.text_muted);
  ImGui::Spacing();
  ImGui::TextUnformatted("Question seed");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(60.0f, ImGui::GetContentRegionAvail().x));
  if (ImGui::InputText("##seed", &p.seed_text, ImGuiInputTextFlags_EnterReturnsTrue)) {
    Push(state, practice_action::SetSeed{p.seed_text});
  }
  RecordLastItem("control:practice:seed");
  if (!p.seed_message.empty()) ErrorBox(p.seed_message);
  WrappedText("The same seed asks a class the same questions.", pal.text_muted);
  ImGui::End();
  if (!open) Push(state, practice_action::Toggle{});
}

// The marks over the stage, from the last frame's rectangles (clipped to the stage).
void DrawMarks(const AppState& state) {
  ImVec2 clip_min, clip_max;
  if (!StageMarkClip(LastFrameLayout(), &clip_min, &clip_max)) return;
  const Palette& pal = ActivePalette();
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  draw->PushClipRect(clip_min, clip_max, true);
  const PracticeUi& p = state.practice;
  const auto box = [&](const std::string& id, PracticeMark::Kind kind) {
    const LayoutItem* item = FindItem(id);
    if (item == nullptr) return;
    const ImVec2 min(item->x, item->y), max(item->x + item->w, item->y + item->h);
    switch (kind) {
      case PracticeMark::Kind::Right:
        draw->AddRect(ImVec2(min.x - 3, min.y - 3), ImVec2(max.x + 3, max.y + 3), pal.focus, 2.0f, 0, 4.0f);
        break;
      case PracticeMark::Kind::Missed: {  // dashed: "here is the answer"
        const float dash = 6.0f;
        const ImVec2 a(min.x - 3, min.y - 3), b(max.x + 3, max.y + 3);
        for (float x = a.x; x < b.x; x += 2 * dash) {
          draw->AddLine(ImVec2(x, a.y), ImVec2(std::min(x + dash, b.x), a.y), pal.focus, 3.0f);
          draw->AddLine(ImVec2(x, b.y), ImVec2(std::min(x + dash, b.x), b.y), pal.focus, 3.0f);
        }
        for (float y = a.y; y < b.y; y += 2 * dash) {
          draw->AddLine(ImVec2(a.x, y), ImVec2(a.x, std::min(y + dash, b.y)), pal.focus, 3.0f);
          draw->AddLine(ImVec2(b.x, y), ImVec2(b.x, std::min(y + dash, b.y)), pal.focus, 3.0f);
        }
        break;
      }
      case PracticeMark::Kind::Wrong: {
        draw->AddRect(ImVec2(min.x + 1, min.y + 1), ImVec2(max.x - 1, max.y - 1), pal.wrong, 0.0f, 0, 3.0f);
        const float s = std::min(item->w, item->h) * 0.3f;
        const ImVec2 c(max.x - s * 0.7f - 2.0f, min.y + s * 0.7f + 2.0f);
        draw->AddLine(ImVec2(c.x - s * 0.5f, c.y - s * 0.5f), ImVec2(c.x + s * 0.5f, c.y + s * 0.5f), pal.wrong_mark, 3.0f);
        draw->AddLine(ImVec2(c.x - s * 0.5f, c.y + s * 0.5f), ImVec2(c.x + s * 0.5f, c.y - s * 0.5f), pal.wrong_mark, 3.0f);
        break;
      }
    }
  };
  if (p.open && p.question && p.scenario == state.scenario) {
    if (p.answered) {
      for (const PracticeMark& mark : p.marks) box(mark.id, mark.kind);
    } else {
      for (const HoverTarget& t : p.pointed) box(LayoutIdOf(p.scenario, t), PracticeMark::Kind::Right);
      if (p.cursor) {
        if (const LayoutItem* item = FindItem(LayoutIdOf(p.scenario, *p.cursor))) {
          draw->AddRect(ImVec2(item->x - 5, item->y - 5), ImVec2(item->x + item->w + 5, item->y + item->h + 5), pal.text,
                        3.0f, 0, 3.0f);
        }
      }
    }
  }
  draw->PopClipRect();
}

}  // namespace practice_panel_internal
using namespace practice_panel_internal;

void BeginLearningFrame(AppState& state) {
  const bool marks = state.practice.open || !state.pointed_ids.empty() || TourActive(state);
  BeginLiveLayoutFrame(marks);
  HandleKeys(state);
  HandleStageClick(state);
  TickTour(state);
}

void DrawLearningWindows(AppState& state) {
  DrawPracticeWindow(state);
  DrawTourWindows(state);
  DrawPointedOutlines(state.pointed_ids, LastFrameLayout());
  DrawMarks(state);
}

}  // namespace im2col::gui
