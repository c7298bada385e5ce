// Practice mode's state: "predict, then reveal". A question about the shown scenario
// (core's quiz API, seeded so a class can share a set), the student's answer — cells
// pointed at on the stage or text typed — the verdict, the reveal (the timeline jumps
// to the step that shows the answer, the pointed cells are marked right or wrong) and
// the score, streak and level that follow the answers. No ImGui here: the panel
// (panels/practice_panel.cpp) draws it and queues intent::Practice actions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gui/state/hover.h"
#include "im2col/quiz.h"
#include "im2col/scenario.h"

namespace im2col::gui {

struct AppState;

// How a question is answered in the window.
enum class AnswerMode {
  Typed,        // a number or a shape, typed
  PointPixel,   // x-col-source: one input pixel (or the padding button); a click submits
  PointCells,   // pixel-copies: X_col cells; overlap-count: X_col or dX_col cells (Done submits)
};
AnswerMode AnswerModeOf(quiz::Kind kind);

// Scenarios with more X_col cells than this are not drawn cell by cell at a readable
// size: practice then switches to a practice scenario of the current level.
inline constexpr Index kPracticeMaxCells = 2000;

namespace practice_action {
struct Toggle {};                          // P: open or close practice mode
struct Another {};                         // N / "Another one": the next question
struct Point { HoverTarget target; };      // a click on a stage cell (the hovered one)
struct PointPadding {};                    // x-col-source: "padding"
struct Submit {};                          // Enter / Done: judge the pointed cells
struct Type { std::string text; };         // Enter in the answer field
struct SetSeed { std::string text; };      // the question seed field
struct MoveCursor { int dy, dx; };         // arrow keys: the keyboard's pointing cursor
struct PointCursor {};                     // Enter on the cursor: point at its cell
}  // namespace practice_action
using PracticeAction =
    std::variant<practice_action::Toggle, practice_action::Another, practice_action::Point,
                 practice_action::PointPadding, practice_action::Submit, practice_action::Type,
                 practice_action::SetSeed, practice_action::MoveCursor, practice_action::PointCursor>;

// A layout id to mark after the reveal: right (focus outline), wrong (black outline and
// a cross), or the answer the student missed (focus outline).
struct PracticeMark {
  enum class Kind { Right, Wrong, Missed };
  std::string id;
  Kind kind = Kind::Right;
};

struct PracticeUi {
  bool open = false;
  std::uint64_t seed = 1;        // the question seed (shown, editable, saved)
  int index = 0;                 // the question's place in the seed's set
  std::string seed_text = "1";   // the seed field
  std::string seed_message;      // why the typed seed was refused ("" when fine)
  quiz::PracticeProgress progress;
  int right_in_a_row = 0;        // the streak shown (core's streak restarts at each level)
  int best_streak = 0;           // the longest run of right answers; saved with the settings

  // The question on show and the scenario it is about (the computation judges it).
  std::optional<quiz::Question> question;
  Scenario scenario;
  std::shared_ptr<const Computation> computation;
  int scenario_level = -1;       // the level whose practice scenario is shown (-1: the user's own)
  int question_level = 0;        // the level the question on show was asked at

  // The answer being given.
  std::vector<HoverTarget> pointed;  // canonical targets, in click order
  std::string typed;                 // the answer field
  std::string input_message;         // the checker's line for unreadable input ("" when none)
  std::optional<HoverTarget> cursor;  // the keyboard's pointing cursor (pointing questions)
  bool focus_answer = false;         // a typed question: the answer field takes the keyboard once

  // After the answer: the verdict and the marks.
  bool answered = false;
  quiz::Verdict verdict;
  std::vector<PracticeMark> marks;
  std::string news;  // "Level 2 now: dilation or batch ..." when the level changed
};

// Applies one action (from intent::Practice).
void ApplyPracticeAction(AppState& state, const PracticeAction& action);

// True while a pointing question waits for its answer: the arrow keys move the
// pointing cursor instead of the step.
bool PracticeTakesArrows(const AppState& state);

// The displayed [row, col] of a canonical matrix cell of X_col / dX_col.
quiz::DisplayedCell DisplayedXColCell(const Scenario& scenario, Index r, Index j);
// The layout id of a hover target as the stage records it ("x_col[3,1]",
// "input[0,1,2,3]"); "" for padding pixels and kinds without cells.
std::string LayoutIdOf(const Scenario& scenario, const HoverTarget& target);
// One-line words for the level ("level 1: padding or stride").
std::string LevelName(int level);

}  // namespace im2col::gui
