// Practice questions: "predict, then reveal". A question asks for one thing the
// app can show (an output size, a matrix shape, where an X_col cell comes from, a
// value), carries its answer computed by core, a short explanation, and the
// timeline step that shows the answer. The window's practice mode, `im2col-lab
// quiz` and the tests all use these functions, so they ask the same questions.
//
// Every index in a question or answer is AS DISPLAYED for the scenario's layout and
// order: in the `rows` layout X_col, Y_mat and dX_col are transposed, so
// "X_col[3,5]" there means row 3 of X_row = X_colᵀ.
//
// Randomness comes from a portable generator (splitmix64) seeded by the question
// seed, so the same seed asks the same questions on every platform and compiler.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/indexing.h"
#include "im2col/scenario.h"
#include "im2col/timeline.h"

namespace im2col::quiz {

// [SECTION] Kinds and levels

enum class Kind { OutputSize, MatrixShape, XColSource, PixelCopies, OverlapCount, YValue, DxValue };
inline constexpr std::array<Kind, 7> kAllKinds = {Kind::OutputSize,   Kind::MatrixShape, Kind::XColSource,
                                                  Kind::PixelCopies,  Kind::OverlapCount, Kind::YValue,
                                                  Kind::DxValue};
std::string ToString(Kind kind);  // "output-size", "matrix-shape", "x-col-source", ...
std::optional<Kind> ParseKind(const std::string& text);

// Difficulty: 0 the chapter's small example, 1 padding or stride, 2 dilation or
// batch (and the other layout/order), 3 the backward pass.
inline constexpr int kLevelCount = 4;
// The kinds a level asks about (levels are clamped to 0..kLevelCount-1).
std::vector<Kind> KindsForLevel(int level);
// A scenario variation for practice at `level`, chosen by `seed` among a few small
// ones (level 0: the chapter's 4x4x3 example or the 3x3 input with a 2x2 kernel;
// level 1: padding 1 or stride 2; level 2: dilation 2 or batch 2, either layout
// and order; level 3: overlapping windows with a ramp of output gradients).
// Always valid and small enough to show cell by cell.
Scenario PracticeScenario(int level, std::uint64_t seed);

// [SECTION] Questions

// One named number or word of what a question gives, in prompt order,
// e.g. {"row", 3} or {"matrix", "x_col"}.
struct GivenField {
  std::string key;
  Index number = 0;
  std::string text;  // non-empty: a word (the matrix name), `number` unused
  bool IsText() const { return !text.empty(); }
};

// A displayed matrix cell [row, col].
using DisplayedCell = std::array<Index, 2>;

// The expected answer, in the form the kind asks for.
struct Answer {
  Kind kind = Kind::OutputSize;
  DisplayedCell pair{};               // output-size [HO, WO]; matrix-shape [rows, cols]
  std::optional<Pixel> pixel;         // x-col-source: the copied pixel; nullopt = "padding"
  std::vector<DisplayedCell> cells;   // pixel-copies, sorted by row then column
  Index count = 0;                    // overlap-count
  double value = 0.0;                 // y-value, dx-value
};

struct Question {
  Kind kind = Kind::OutputSize;
  std::vector<GivenField> given;
  std::string prompt;       // plain words, ends with how to type the answer
  Answer answer;
  std::string explanation;  // one or two sentences with the numbers
  Index reveal_step = 0;    // the timeline step that shows the answer
};

// One question of `kind` about the computed scenario; `seed` picks what is asked
// (which cell, which pixel...). The computation must include the backward pass.
Question MakeQuestion(const Computation& c, const Timeline& timeline, Kind kind, std::uint64_t seed);

// `count` questions (1..1000, clamped) cycling through `kinds` (all kinds when
// empty) in an order shuffled by `seed`; a set avoids asking the same thing twice
// when the scenario has enough different questions to ask.
std::vector<Question> MakeQuestions(const Computation& c, const std::vector<Kind>& kinds, int count,
                                    std::uint64_t seed);

// [SECTION] Checking answers

enum class Judgement { Right, Wrong, Unreadable };
struct Verdict {
  Judgement judgement = Judgement::Unreadable;
  // One line: "right", "wrong: the answer is [3, 3]", or what could not be read,
  // e.g. "answer: expected two whole numbers like 3x3, got 'abc'".
  std::string message;
  bool right() const { return judgement == Judgement::Right; }
};

// Judges a typed answer. Accepted spellings: "3x3", "3, 3", "[3,3]", "3 3" for
// pairs; "0,1,2,3" or "padding" for a pixel; "[[0,1],[2,3]]" or "0 1, 2 3" (any
// order) or "none" for a list of cells; "5" for a count; "-2.5" for a value
// (compared with a relative tolerance of 1e-6).
Verdict CheckTypedAnswer(const Question& question, const std::string& typed);

// Judges cells the student pointed at in a matrix (pixel-copies: the set must match
// exactly, in any order, duplicates ignored).
Verdict CheckPointedCells(const Question& question, const std::vector<DisplayedCell>& cells);
// Judges one input pixel the student pointed at (x-col-source), or nullopt when they
// pointed at the padding.
Verdict CheckPointedPixel(const Question& question, const std::optional<Pixel>& pixel);

// The answer as a student would type it: "[3, 3]", "0,1,2,3", "padding", "[[0, 1], [2, 3]]", "5", "-2.5".
std::string FormatAnswer(const Answer& answer);
// A value without trailing zeros: 37, -2.5, 0.333333333.
std::string FormatValue(double value);

// [SECTION] Progress

// Score and level that follow the answers: three right in a row move up a level,
// two wrong in a row move down one. Levels stay within 0..kLevelCount-1.
struct PracticeProgress {
  int asked = 0;
  int score = 0;         // right answers
  int streak = 0;        // right answers in a row
  int wrong_streak = 0;  // wrong answers in a row
  int level = 0;

  void Update(bool right);
};

}  // namespace im2col::quiz
