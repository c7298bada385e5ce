// Practice mode through the window's own input path: keys and clicks go through
// Platform::BeginFrame's offscreen pointer into ImGui, the stage's hover and the
// practice panel, exactly as in the window; the answers are judged by core's checkers.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "gui/panels/frame.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/state/app_state.h"
#include "gui/state/session_settings.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "im2col/indexing.h"
#include "im2col/quiz.h"
#include "io/atomic_file.h"
#include "io/presets.h"
#include "io/settings.h"
#include "support/interactive_window_test.h"

namespace im2col::gui {
namespace {

namespace fs = std::filesystem;
using quiz::Kind;

class PracticeGuiTest : public im2col::testing::InteractiveWindowTest {
 protected:
  void Type(AppState& state, const std::string& text) {
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    Step(state);
  }
  // Opens practice with P and asks (N) until a question of `kind` comes.
  const quiz::Question& AskUntil(AppState& state, Kind kind) {
    if (!state.practice.open) Press(state, 'P');
    EXPECT_TRUE(state.practice.open);
    if (state.practice.answered) Press(state, 'N');  // the answer field is gone: N is a key again
    // A typed question's field takes the keys (N would be typed): skip with the button's intent.
    for (int i = 0; i < 60 && !(state.practice.question && state.practice.question->kind == kind); ++i) {
      PushIntent(state, intent::Practice{practice_action::Another{}});
      Step(state);
      Step(state);
    }
    EXPECT_TRUE(state.practice.question && state.practice.question->kind == kind) << quiz::ToString(kind);
    EXPECT_FALSE(state.practice.answered);
    return *state.practice.question;
  }
  static bool HasMark(const AppState& state, const std::string& id, PracticeMark::Kind kind) {
    for (const PracticeMark& mark : state.practice.marks) {
      if (mark.id == id && mark.kind == kind) return true;
    }
    return false;
  }
  static std::string CellId(const char* name, const quiz::DisplayedCell& c) {
    return std::string(name) + "[" + std::to_string(c[0]) + "," + std::to_string(c[1]) + "]";
  }
  static std::string PixelId(const Pixel& p) {
    return "input[" + std::to_string(p.n) + "," + std::to_string(p.c) + "," + std::to_string(p.y) + "," +
           std::to_string(p.x) + "]";
  }
};

TEST_F(PracticeGuiTest, ClickingTheSourcePixelIsRightAndAnotherPixelIsWrong) {
  AppState state = MakeAppState(Scenario{});
  const quiz::Question q = AskUntil(state, Kind::XColSource);
  ASSERT_TRUE(q.answer.pixel.has_value());  // the chapter example has no padding
  EXPECT_EQ(state.playback.step, 0);       // predict first
  Click(state, PixelId(*q.answer.pixel));
  ASSERT_TRUE(state.practice.answered);
  EXPECT_TRUE(state.practice.verdict.right()) << state.practice.verdict.message;
  EXPECT_EQ(state.playback.step, q.reveal_step);  // the reveal
  EXPECT_TRUE(HasMark(state, PixelId(*q.answer.pixel), PracticeMark::Kind::Right));
  EXPECT_EQ(state.practice.progress.score, 1);

  const quiz::Question next = AskUntil(state, Kind::XColSource);
  Pixel other = *next.answer.pixel;
  other.x = other.x == 0 ? 1 : 0;
  Click(state, PixelId(other));
  ASSERT_TRUE(state.practice.answered);
  EXPECT_FALSE(state.practice.verdict.right());
  EXPECT_EQ(state.playback.step, next.reveal_step);
  EXPECT_TRUE(HasMark(state, PixelId(other), PracticeMark::Kind::Wrong));
  EXPECT_TRUE(HasMark(state, PixelId(*next.answer.pixel), PracticeMark::Kind::Missed));
  EXPECT_EQ(state.practice.progress.streak, 0);
  // The padding button is a wrong answer for a pixel inside the image.
  AskUntil(state, Kind::XColSource);
  Click(state, "control:practice:padding");
  EXPECT_TRUE(state.practice.answered);
  EXPECT_FALSE(state.practice.verdict.right());
}

TEST_F(PracticeGuiTest, ArrowKeysAndEnterPointAtAPixelWithoutTheMouse) {
  AppState state = MakeAppState(Scenario{});
  const quiz::Question q = AskUntil(state, Kind::XColSource);
  const Pixel want = *q.answer.pixel;
  const int right = ImGui::GetKeyIndex(ImGuiKey_RightArrow), down = ImGui::GetKeyIndex(ImGuiKey_DownArrow);
  Press(state, right);  // the cursor appears on x[0,0,0,0]
  ASSERT_TRUE(state.practice.cursor.has_value());
  EXPECT_EQ(state.playback.step, 0);  // the arrows moved the cursor, not the animation
  for (int i = 0; i < want.y; ++i) Press(state, down);
  // Past a channel's right edge the cursor goes on in the next channel.
  for (int i = 0; i < want.c * static_cast<int>(state.scenario.shape.width) + want.x; ++i) Press(state, right);
  EXPECT_EQ(state.practice.cursor->c, want.c);
  EXPECT_EQ(state.practice.cursor->y, want.y);
  EXPECT_EQ(state.practice.cursor->x, want.x);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Enter));
  ASSERT_TRUE(state.practice.answered);
  EXPECT_TRUE(state.practice.verdict.right()) << state.practice.verdict.message;
}

TEST_F(PracticeGuiTest, ArrowKeysEnterAndDSelectXColCellsWithoutTheMouse) {
  AppState state = MakeAppState(Scenario{});
  state.practice.progress.level = 1;
  const quiz::Question q = AskUntil(state, Kind::PixelCopies);
  ASSERT_FALSE(q.answer.cells.empty());
  const int keys[] = {ImGui::GetKeyIndex(ImGuiKey_UpArrow), ImGui::GetKeyIndex(ImGuiKey_DownArrow),
                      ImGui::GetKeyIndex(ImGuiKey_LeftArrow), ImGui::GetKeyIndex(ImGuiKey_RightArrow)};
  Press(state, keys[3]);  // the cursor appears on X_col[0,0]
  ASSERT_TRUE(state.practice.cursor.has_value());
  for (const quiz::DisplayedCell& want : q.answer.cells) {
    for (int guard = 0; guard < 64; ++guard) {
      const quiz::DisplayedCell at = DisplayedXColCell(state.scenario, state.practice.cursor->r, state.practice.cursor->j);
      if (at == want) break;
      if (at[0] != want[0]) Press(state, at[0] < want[0] ? keys[1] : keys[0]);
      else Press(state, at[1] < want[1] ? keys[3] : keys[2]);
    }
    Press(state, ImGui::GetKeyIndex(ImGuiKey_Enter));  // picks the cell under the cursor
  }
  EXPECT_EQ(state.practice.pointed.size(), q.answer.cells.size());
  EXPECT_EQ(state.playback.step, 0);  // the arrows never moved the animation
  Press(state, 'D');
  ASSERT_TRUE(state.practice.answered);
  EXPECT_TRUE(state.practice.verdict.right()) << state.practice.verdict.message;
}

TEST_F(PracticeGuiTest, SelectingXColCellsJudgesPixelCopies) {
  AppState state = MakeAppState(Scenario{});
  state.practice.progress.level = 1;  // pixel-copies comes from level 1
  const quiz::Question q = AskUntil(state, Kind::PixelCopies);
  ASSERT_FALSE(q.answer.cells.empty());
  for (const auto& cell : q.answer.cells) Click(state, CellId("x_col", cell));
  EXPECT_EQ(state.practice.pointed.size(), q.answer.cells.size());
  EXPECT_FALSE(state.practice.answered);  // cells are chosen until Done
  Click(state, "control:practice:done");
  ASSERT_TRUE(state.practice.answered);
  EXPECT_TRUE(state.practice.verdict.right()) << state.practice.verdict.message;
  EXPECT_EQ(state.playback.step, q.reveal_step);

  // Wrong: one right cell, one cell that is not a copy, and a click that toggles off.
  const quiz::Question w = AskUntil(state, Kind::PixelCopies);
  ASSERT_FALSE(w.answer.cells.empty());
  const std::set<quiz::DisplayedCell> answer(w.answer.cells.begin(), w.answer.cells.end());
  quiz::DisplayedCell stray{0, 0};
  while (answer.count(stray)) ++stray[1];
  Click(state, CellId("x_col", w.answer.cells.front()));
  Click(state, CellId("x_col", stray));
  Click(state, CellId("x_col", stray));  // unselected again
  Click(state, CellId("x_col", stray));
  EXPECT_EQ(state.practice.pointed.size(), 2u);
  Press(state, 'D');  // Done from the keyboard
  ASSERT_TRUE(state.practice.answered);
  EXPECT_FALSE(state.practice.verdict.right());
  EXPECT_TRUE(HasMark(state, CellId("x_col", w.answer.cells.front()), PracticeMark::Kind::Right));
  EXPECT_TRUE(HasMark(state, CellId("x_col", stray), PracticeMark::Kind::Wrong));
}

TEST_F(PracticeGuiTest, PointingTheCellsThatAddIntoAPixelAnswersOverlapCount) {
  AppState state = MakeAppState(Scenario{});
  state.practice.progress.level = 3;
  const quiz::Question q = AskUntil(state, Kind::OverlapCount);
  const Shape& s = state.scenario.shape;
  int y = 0, x = 0;
  for (const auto& g : q.given) {
    if (g.key == "y") y = static_cast<int>(g.number);
    if (g.key == "x") x = static_cast<int>(g.number);
  }
  const std::vector<Cell> copies = CopiesOf(s, state.scenario.order, Pixel{0, 0, y, x});
  ASSERT_EQ(static_cast<Index>(copies.size()), q.answer.count);
  for (const Cell& cell : copies) Click(state, CellId("x_col", DisplayedXColCell(state.scenario, cell.r, cell.j)));
  Click(state, "control:practice:done");
  ASSERT_TRUE(state.practice.answered);
  EXPECT_TRUE(state.practice.verdict.right()) << state.practice.verdict.message;
  EXPECT_EQ(state.playback.step, q.reveal_step);

  // Too few cells: wrong, and the message gives the count.
  const quiz::Question w = AskUntil(state, Kind::OverlapCount);
  int wy = 0, wx = 0;
  for (const auto& g : w.given) {
    if (g.key == "y") wy = static_cast<int>(g.number);
    if (g.key == "x") wx = static_cast<int>(g.number);
  }
  const std::vector<Cell> wcopies = CopiesOf(state.scenario.shape, state.scenario.order, Pixel{0, 0, wy, wx});
  if (wcopies.size() >= 2) {
    Click(state, CellId("x_col", DisplayedXColCell(state.scenario, wcopies[0].r, wcopies[0].j)));
  }
  Click(state, "control:practice:done");
  ASSERT_TRUE(state.practice.answered);
  if (wcopies.size() >= 2) {
    EXPECT_FALSE(state.practice.verdict.right());
    EXPECT_NE(state.practice.verdict.message.find("the answer is " + std::to_string(w.answer.count)), std::string::npos)
        << state.practice.verdict.message;
  } else {
    EXPECT_EQ(state.practice.verdict.right(), wcopies.empty());
  }
}

TEST_F(PracticeGuiTest, TypedAnswersNonsenseKeepsTheQuestionAndSaysWhy) {
  AppState state = MakeAppState(Scenario{});
  const quiz::Question q = AskUntil(state, Kind::OutputSize);
  Step(state);
  EXPECT_FALSE(state.practice.focus_answer);  // the field took the keyboard without a click
  Type(state, "abc");
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Enter));
  EXPECT_FALSE(state.practice.answered);
  EXPECT_FALSE(state.practice.input_message.empty());
  EXPECT_EQ(state.practice.input_message.find('\n'), std::string::npos);
  EXPECT_EQ(state.practice.question->prompt, q.prompt);  // the same question
  EXPECT_EQ(state.practice.progress.asked, 0);

  Click(state, "control:practice:answer");
  for (int i = 0; i < 3; ++i) Press(state, ImGui::GetKeyIndex(ImGuiKey_Backspace));
  Type(state, quiz::FormatAnswer(q.answer));
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Enter));
  ASSERT_TRUE(state.practice.answered);
  EXPECT_TRUE(state.practice.verdict.right()) << state.practice.verdict.message << " typed " << state.practice.typed;
  EXPECT_EQ(state.playback.step, q.reveal_step);
  EXPECT_EQ(state.practice.progress.score, 1);
}

TEST_F(PracticeGuiTest, ScoreStreakAndLevelFollowTheAnswers) {
  AppState state = MakeAppState(Scenario{});
  Press(state, 'P');
  const auto answer = [&](bool right) {
    const quiz::Question& q = *state.practice.question;
    std::string text = right ? quiz::FormatAnswer(q.answer) : "999999";
    if (!right && q.kind == Kind::XColSource) text = q.answer.pixel ? "padding" : "0,0,0,0";
    if (!right && q.kind == Kind::PixelCopies) text = q.answer.cells.empty() ? "[[0,0]]" : "none";
    PushIntent(state, intent::Practice{practice_action::Type{text}});
    Step(state);
    ASSERT_TRUE(state.practice.answered) << text << ": " << state.practice.input_message;
    ASSERT_EQ(state.practice.verdict.right(), right) << q.prompt << " / " << text;
    Step(state);  // the answer field has gone (it held the keyboard)
    Press(state, 'N');
  };
  for (int i = 0; i < 10; ++i) {
    answer(true);
    if (i == 2) {  // three right: level 1, a practice scenario of level 1
      EXPECT_EQ(state.practice.progress.level, 1);
      EXPECT_EQ(state.scenario, quiz::PracticeScenario(1, state.practice.seed));
    }
  }
  EXPECT_EQ(state.practice.progress.score, 10);
  EXPECT_EQ(state.practice.right_in_a_row, 10);
  EXPECT_EQ(state.practice.best_streak, 10);
  EXPECT_EQ(state.practice.progress.level, quiz::kLevelCount - 1);
  answer(false);
  answer(false);
  EXPECT_EQ(state.practice.progress.level, quiz::kLevelCount - 2);
  EXPECT_EQ(state.practice.right_in_a_row, 0);
  EXPECT_EQ(state.practice.best_streak, 10);
  EXPECT_EQ(state.scenario, quiz::PracticeScenario(quiz::kLevelCount - 2, state.practice.seed));
}

TEST_F(PracticeGuiTest, TheSameSeedAsksTheSameQuestionsAndABadSeedIsRefused) {
  AppState a = MakeAppState(Scenario{}), b = MakeAppState(Scenario{});
  for (AppState* s : {&a, &b}) {
    PushIntent(*s, intent::Practice{practice_action::SetSeed{"42"}});
    PushIntent(*s, intent::Practice{practice_action::Toggle{}});
    ApplyIntents(*s);
  }
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(a.practice.question && b.practice.question);
    EXPECT_EQ(a.practice.question->prompt, b.practice.question->prompt);
    for (AppState* s : {&a, &b}) {
      PushIntent(*s, intent::Practice{practice_action::Another{}});
      ApplyIntents(*s);
    }
  }
  PushIntent(a, intent::Practice{practice_action::SetSeed{"forty-two"}});
  ApplyIntents(a);
  EXPECT_EQ(a.practice.seed, 42u);
  EXPECT_NE(a.practice.seed_message.find("seed"), std::string::npos);
  EXPECT_NE(a.practice.seed_message.find("kept 42"), std::string::npos);
}

TEST_F(PracticeGuiTest, PresentationAtProjectorSizeKeepsThePracticeWindowInside) {
  AppState state = MakeAppState(Scenario{});
  state.classroom.presentation = true;
  state.font_scale = 1.5f;
  PushIntent(state, intent::Practice{practice_action::Toggle{}});
  ApplyIntents(state);
  RgbImage image;
  std::vector<LayoutItem> layout;
  std::string error;
  ASSERT_TRUE(RenderStateToImage(*platform_, state, 1280, 720, &image, &layout, &error)) << error;
  fs::create_directories(IM2COL_GUI_TEST_OUT);
  io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/practice_presentation_1280x720.png", EncodePng(image));
  bool found = false;
  for (const LayoutItem& item : layout) {
    if (item.id != "panel:practice" && item.id != "control:practice:answer") continue;
    found = true;
    EXPECT_GE(item.x, 0.0f) << item.id;
    EXPECT_LE(item.x + item.w, 1280.0f) << item.id;
    EXPECT_LE(item.y + item.h, 720.0f) << item.id;
  }
  EXPECT_TRUE(found);
}

TEST_F(PracticeGuiTest, ALargeScenarioPractisesOnASmallOneAndSaysSo) {
  const io::ScenarioReadResult alexnet = io::LoadPreset("alexnet-conv1");
  ASSERT_TRUE(alexnet.ok()) << alexnet.error;
  AppState state = MakeAppState(alexnet.document->scenario);
  Press(state, 'P');
  ASSERT_TRUE(state.practice.question.has_value());
  EXPECT_EQ(state.scenario, quiz::PracticeScenario(0, state.practice.seed));
  EXPECT_EQ(state.practice.scenario, state.scenario);
  EXPECT_NE(state.practice.news.find("too large"), std::string::npos) << state.practice.news;
  Press(state, 'P');  // closes
  EXPECT_FALSE(state.practice.open);
}

TEST_F(PracticeGuiTest, PracticeSettingsPersistAndBadValuesAreDropped) {
  AppState state = MakeAppState(Scenario{});
  state.practice.progress.level = 2;
  state.practice.seed = 77;
  state.practice.best_streak = 6;
  const io::Settings saved = SettingsFromState(state);
  const io::SettingsLoad loaded = io::ParseSettingsJson(io::SettingsToJson(saved), "settings.json");
  EXPECT_TRUE(loaded.messages.empty());
  AppState next = MakeAppState(Scenario{});
  AdoptSettings(next, loaded, "", false);
  EXPECT_EQ(next.practice.progress.level, 2);
  EXPECT_EQ(next.practice.seed, 77u);
  EXPECT_EQ(next.practice.seed_text, "77");
  EXPECT_EQ(next.practice.best_streak, 6);

  // A file from before practice mode loads unchanged, with the defaults.
  const io::SettingsLoad old = io::ParseSettingsJson(R"({"format": "im2col-lab-settings", "theme": "dark"})", "old.json");
  EXPECT_TRUE(old.messages.empty());
  EXPECT_EQ(old.settings.theme, "dark");
  EXPECT_EQ(old.settings.practice_level, 0);
  EXPECT_EQ(old.settings.practice_seed, 1);
  // Bad values are dropped, each with a message naming the field; good ones stay.
  const io::SettingsLoad bad = io::ParseSettingsJson(
      R"({"practice": {"level": 9, "seed": "x", "best_streak": 4}})", "bad.json");
  ASSERT_EQ(bad.messages.size(), 2u);
  EXPECT_NE(bad.messages[0].find("practice.level"), std::string::npos) << bad.messages[0];
  EXPECT_NE(bad.messages[1].find("practice.seed"), std::string::npos) << bad.messages[1];
  EXPECT_EQ(bad.settings.practice_level, 0);
  EXPECT_EQ(bad.settings.practice_best_streak, 4);
  const io::SettingsLoad wrong = io::ParseSettingsJson(R"({"practice": 3})", "w.json");
  ASSERT_EQ(wrong.messages.size(), 1u);
  EXPECT_FALSE(wrong.keep_file_untouched);
}

// Renders to look at (build/tests/gui/screenshots/practice_*.png): a question, a right
// and a wrong reveal, in light, dark and presentation mode; the practice window and
// the marks stay inside the window.
TEST_F(PracticeGuiTest, RendersOfAQuestionAndItsRevealInEveryMode) {
  for (const char* mode : {"light", "dark", "presentation"}) {
    AppState state = MakeAppState(Scenario{});
    state.theme = std::string(mode) == "dark" ? ThemeId::Dark : ThemeId::Light;
    if (std::string(mode) == "presentation") {
      state.classroom.presentation = true;
      state.font_scale = 1.5f;
    }
    state.practice.progress.level = 1;
    const quiz::Question q = AskUntil(state, Kind::PixelCopies);
    ASSERT_GE(q.answer.cells.size(), 1u);
    Click(state, CellId("x_col", q.answer.cells.front()));
    RgbImage image;
    std::vector<LayoutItem> layout;
    std::string error;
    fs::create_directories(IM2COL_GUI_TEST_OUT);
    const auto save = [&](const std::string& name) {
      state.hover = HoverTarget{};  // the test's pointer has left: no hover badge in the picture
      ASSERT_TRUE(RenderStateToImage(*platform_, state, 1920, 1080, &image, &layout, &error)) << error;
      io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/practice_" + name + "_" + mode + ".png",
                              EncodePng(image));
      bool found = false;
      for (const LayoutItem& item : layout) {
        if (item.id != "panel:practice") continue;
        found = true;
        EXPECT_GE(item.x, 0.0f);
        EXPECT_LE(item.x + item.w, 1920.0f);
        EXPECT_LE(item.y + item.h, 1080.0f);
      }
      EXPECT_TRUE(found) << name << " " << mode;
    };
    save("question");
    // Wrong: one stray cell next to the right one.
    quiz::DisplayedCell stray = q.answer.cells.front();
    stray[1] = stray[1] == 0 ? 1 : stray[1] - 1;
    Click(state, CellId("x_col", stray));
    Click(state, "control:practice:done");
    ASSERT_TRUE(state.practice.answered);
    save(state.practice.verdict.right() ? "reveal_right" : "reveal_wrong");
    // And a right one.
    const quiz::Question r = AskUntil(state, Kind::PixelCopies);
    for (const auto& cell : r.answer.cells) Click(state, CellId("x_col", cell));
    Click(state, "control:practice:done");
    ASSERT_TRUE(state.practice.verdict.right());
    save("reveal_right");
  }
}

}  // namespace
}  // namespace im2col::gui
