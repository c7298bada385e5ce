// Practice mode: asking (core's quiz API), judging (core's checkers), revealing and
// keeping score. The panel only draws this and queues actions.
#include "gui/state/practice_state.h"

#include <algorithm>
#include <set>

#include "gui/state/app_state.h"
#include "im2col/indexing.h"
#include "io/settings.h"

namespace im2col::gui {
namespace practice_internal {

using quiz::DisplayedCell;

std::string Join(std::initializer_list<long long> values) {
  std::string text;
  for (long long v : values) text += (text.empty() ? "" : ",") + std::to_string(v);
  return text;
}

// The given field `key` of a question (0 when absent).
Index Given(const quiz::Question& q, const std::string& key) {
  for (const quiz::GivenField& field : q.given) {
    if (field.key == key) return field.number;
  }
  return 0;
}

// The canonical X_col cells whose gradients add into pixel (y, x) of one channel of
// one image: the answer of an overlap-count question, as places.
std::vector<DisplayedCell> OverlapCells(const PracticeUi& p) {
  std::vector<DisplayedCell> cells;
  const Pixel pixel{0, 0, static_cast<int>(Given(*p.question, "y")), static_cast<int>(Given(*p.question, "x"))};
  for (const Cell& cell : CopiesOf(p.scenario.shape, p.scenario.order, pixel)) {
    cells.push_back(DisplayedXColCell(p.scenario, cell.r, cell.j));
  }
  std::sort(cells.begin(), cells.end());
  return cells;
}

bool IsCellTarget(const HoverTarget& t) {
  return t.kind == HoverTarget::Kind::XColCell || t.kind == HoverTarget::Kind::GradXColCell;
}

std::string CellId(const char* name, const DisplayedCell& cell) {
  return std::string(name) + "[" + Join({cell[0], cell[1]}) + "]";
}

// Where the answer of a typed question is shown, marked after the reveal.
std::vector<std::string> AnswerPlaces(const PracticeUi& p) {
  const quiz::Question& q = *p.question;
  switch (q.kind) {
    case quiz::Kind::OutputSize: return {"panel:output"};
    case quiz::Kind::MatrixShape:
      for (const quiz::GivenField& field : q.given) {
        if (field.key == "matrix") return {"panel:" + field.text};
      }
      return {};
    case quiz::Kind::XColSource: {
      std::vector<std::string> ids = {CellId("x_col", {Given(q, "row"), Given(q, "col")})};
      if (q.answer.pixel) {
        const Pixel& px = *q.answer.pixel;
        ids.push_back("input[" + Join({px.n, px.c, px.y, px.x}) + "]");
      }
      return ids;
    }
    case quiz::Kind::PixelCopies: {
      std::vector<std::string> ids;
      for (const DisplayedCell& cell : q.answer.cells) ids.push_back(CellId("x_col", cell));
      return ids;
    }
    case quiz::Kind::OverlapCount: {
      std::vector<std::string> ids = {"grad_input[" + Join({0, 0, Given(q, "y"), Given(q, "x")}) + "]"};
      for (const DisplayedCell& cell : OverlapCells(p)) ids.push_back(CellId("grad_x_col", cell));
      return ids;
    }
    case quiz::Kind::YValue:
      return {"output[" + Join({Given(q, "n"), Given(q, "f"), Given(q, "y"), Given(q, "x")}) + "]"};
    case quiz::Kind::DxValue:
      return {"grad_input[" + Join({Given(q, "n"), Given(q, "c"), Given(q, "y"), Given(q, "x")}) + "]"};
  }
  return {};
}

// The scenario the next question is about: the shown one while it is small and the
// level has not moved, else the level's practice scenario.
void ChooseScenario(AppState& state) {
  PracticeUi& p = state.practice;
  const Shape& s = state.scenario.shape;
  const bool small = s.PatchSize() * s.ColumnCount() <= kPracticeMaxCells;
  const bool level_moved = p.scenario_level != -1 && p.scenario_level != p.progress.level;
  const bool first_change = p.scenario_level == -1 && p.question && p.progress.level != p.question_level;
  if (small && !level_moved && !first_change && state.computation && !IsComputing(state)) {
    p.scenario = state.scenario;
    p.computation = state.computation;
    return;
  }
  Scenario next = quiz::PracticeScenario(p.progress.level, p.seed);
  ComputedScenario computed = ComputeScenario(next);
  if (!computed.computation) {  // cannot happen for practice scenarios; keep the old one
    p.news = "practice scenario refused: " + computed.error;
    return;
  }
  p.scenario = next;
  p.computation = computed.computation;
  p.scenario_level = p.progress.level;
  PushIntent(state, intent::SetScenario{next});
  if (!small) p.news = "This scenario is too large to point at cells; practising on: " + next.title;
}

void Ask(AppState& state) {
  PracticeUi& p = state.practice;
  ChooseScenario(state);
  if (!p.computation) return;
  const std::vector<quiz::Kind> kinds = quiz::KindsForLevel(p.progress.level);
  const int count = p.index % 1000 + 1;
  std::vector<quiz::Question> set = quiz::MakeQuestions(*p.computation, kinds, count, p.seed);
  if (set.empty()) return;
  p.question = set.back();
  p.question_level = p.progress.level;
  p.pointed.clear();
  p.typed.clear();
  p.input_message.clear();
  p.cursor.reset();
  p.focus_answer = AnswerModeOf(p.question->kind) == AnswerMode::Typed;
  p.answered = false;
  p.verdict = {};
  p.marks.clear();
  state.pointed_ids.clear();
  // Predict first: the question starts from an empty X_col, the answer comes with the reveal.
  PushIntent(state, intent::SetPlaying{false});
  PushIntent(state, intent::SetStep{0});
}

void Reveal(AppState& state, const quiz::Verdict& verdict, std::vector<PracticeMark> marks) {
  PracticeUi& p = state.practice;
  p.answered = true;
  p.verdict = verdict;
  p.marks = std::move(marks);
  p.input_message.clear();
  p.cursor.reset();
  const int before = p.progress.level;
  p.progress.Update(verdict.right());
  p.right_in_a_row = verdict.right() ? p.right_in_a_row + 1 : 0;
  p.best_streak = std::max(p.best_streak, p.right_in_a_row);
  if (p.progress.level > before) {
    p.news = "Three right in a row: up to " + LevelName(p.progress.level) + ". The next question brings a new scenario.";
  } else if (p.progress.level < before) {
    p.news = "Two wrong in a row: back to " + LevelName(p.progress.level) + ". The next question brings a new scenario.";
  } else {
    p.news.clear();
  }
  // The animation jumps to the step that shows the answer.
  PushIntent(state, intent::SetPlaying{false});
  PushIntent(state, intent::SetStep{p.question->reveal_step});
}

void JudgeCells(AppState& state) {
  PracticeUi& p = state.practice;
  const quiz::Question& q = *p.question;
  std::vector<DisplayedCell> cells;
  for (const HoverTarget& t : p.pointed) cells.push_back(DisplayedXColCell(p.scenario, t.r, t.j));
  quiz::Question judged = q;
  const char* answer_matrix = "x_col";
  if (q.kind == quiz::Kind::OverlapCount) {  // the places behind the count: its X_col (or dX_col) cells
    judged.kind = quiz::Kind::PixelCopies;
    judged.answer.kind = quiz::Kind::PixelCopies;
    judged.answer.cells = OverlapCells(p);
    answer_matrix = !p.pointed.empty() && p.pointed.front().kind == HoverTarget::Kind::GradXColCell ? "grad_x_col" : "x_col";
  }
  quiz::Verdict verdict = quiz::CheckPointedCells(judged, cells);
  if (verdict.judgement == quiz::Judgement::Unreadable) {
    p.input_message = verdict.message;
    return;
  }
  if (q.kind == quiz::Kind::OverlapCount) {
    const size_t unique = std::set<DisplayedCell>(cells.begin(), cells.end()).size();
    verdict.message = verdict.right() ? "right: " + std::to_string(q.answer.count) + (q.answer.count == 1 ? " cell" : " cells")
                                      : "wrong: you chose " + std::to_string(unique) + ", the answer is " +
                                            std::to_string(q.answer.count) + " (outlined)";
  }
  std::vector<PracticeMark> marks;
  const std::set<DisplayedCell> answer(judged.answer.cells.begin(), judged.answer.cells.end());
  std::set<DisplayedCell> chosen;
  for (size_t i = 0; i < p.pointed.size(); ++i) {
    const char* name = p.pointed[i].kind == HoverTarget::Kind::GradXColCell ? "grad_x_col" : "x_col";
    chosen.insert(cells[i]);
    marks.push_back({CellId(name, cells[i]), answer.count(cells[i]) ? PracticeMark::Kind::Right : PracticeMark::Kind::Wrong});
  }
  for (const DisplayedCell& cell : answer) {
    if (!chosen.count(cell)) marks.push_back({CellId(answer_matrix, cell), PracticeMark::Kind::Missed});
  }
  Reveal(state, verdict, std::move(marks));
}

void JudgePixel(AppState& state, const std::optional<Pixel>& pixel, const std::string& pointed_id) {
  PracticeUi& p = state.practice;
  const quiz::Verdict verdict = quiz::CheckPointedPixel(*p.question, pixel);
  if (verdict.judgement == quiz::Judgement::Unreadable) {
    p.input_message = verdict.message;
    return;
  }
  std::vector<PracticeMark> marks;
  if (!pointed_id.empty()) marks.push_back({pointed_id, verdict.right() ? PracticeMark::Kind::Right : PracticeMark::Kind::Wrong});
  for (const std::string& id : AnswerPlaces(p)) {
    if (id != pointed_id) marks.push_back({id, PracticeMark::Kind::Missed});
  }
  Reveal(state, verdict, std::move(marks));
}

bool CanAnswer(const AppState& state) {
  const PracticeUi& p = state.practice;
  return p.open && p.question && !p.answered && p.scenario == state.scenario;
}

void Point(AppState& state, const HoverTarget& target) {
  PracticeUi& p = state.practice;
  if (!CanAnswer(state)) return;
  const AnswerMode mode = AnswerModeOf(p.question->kind);
  if (mode == AnswerMode::PointPixel) {
    if (target.kind != HoverTarget::Kind::InputPixel) {
      p.input_message = "point at a pixel of the input x (or press Padding)";
      return;
    }
    const Shape& s = p.scenario.shape;
    const bool inside = target.y >= 0 && target.x >= 0 && target.y < s.height && target.x < s.width;
    JudgePixel(state, inside ? std::optional<Pixel>(Pixel{target.n, target.c, target.y, target.x}) : std::nullopt,
                LayoutIdOf(p.scenario, target));
    return;
  }
  if (mode != AnswerMode::PointCells) {
    p.input_message = "this question wants a typed answer";
    return;
  }
  const bool overlap = p.question->kind == quiz::Kind::OverlapCount;
  if (!(target.kind == HoverTarget::Kind::XColCell || (overlap && target.kind == HoverTarget::Kind::GradXColCell))) {
    p.input_message = overlap ? "point at cells of X_col or dX_col" : "point at cells of X_col";
    return;
  }
  p.input_message.clear();
  // A click toggles; the same place in X_col and dX_col counts once.
  const auto same = [&](const HoverTarget& t) { return IsCellTarget(t) && t.r == target.r && t.j == target.j; };
  const auto found = std::find_if(p.pointed.begin(), p.pointed.end(), same);
  if (found != p.pointed.end()) p.pointed.erase(found);
  else p.pointed.push_back(target);
}

void MoveCursor(AppState& state, int dy, int dx) {
  PracticeUi& p = state.practice;
  if (!CanAnswer(state)) return;
  const Shape& s = p.scenario.shape;
  const AnswerMode mode = AnswerModeOf(p.question->kind);
  if (mode == AnswerMode::PointPixel) {
    HoverTarget t = p.cursor.value_or(HoverTarget::Tensor(HoverTarget::Kind::InputPixel, 0, 0, 0, 0));
    if (p.cursor) {
      t.y = std::clamp(t.y + dy, -s.padding.h, s.height + s.padding.h - 1);
      t.x += dx;
      // Past the right (left) edge: the next (previous) channel, then image.
      const int lo = -s.padding.w, hi = s.width + s.padding.w - 1;
      if (t.x > hi || t.x < lo) {
        const int planes = static_cast<int>(s.batch * s.channels);
        int plane = t.n * static_cast<int>(s.channels) + t.c + (t.x > hi ? 1 : -1);
        if (plane < 0 || plane >= planes) {
          t.x = std::clamp(t.x, lo, hi);
        } else {
          t.n = plane / static_cast<int>(s.channels);
          t.c = plane % static_cast<int>(s.channels);
          t.x = t.x > hi ? lo : hi;
        }
      }
    }
    p.cursor = t;
    return;
  }
  if (mode != AnswerMode::PointCells) return;
  const bool rows = p.scenario.layout == Layout::Rows;
  const Index shown_rows = rows ? s.ColumnCount() : s.PatchSize(), shown_cols = rows ? s.PatchSize() : s.ColumnCount();
  HoverTarget t = p.cursor.value_or(HoverTarget::Matrix(HoverTarget::Kind::XColCell, 0, 0));
  if (p.cursor) {
    DisplayedCell d = DisplayedXColCell(p.scenario, t.r, t.j);
    d[0] = std::clamp<Index>(d[0] + dy, 0, shown_rows - 1);
    d[1] = std::clamp<Index>(d[1] + dx, 0, shown_cols - 1);
    t.r = rows ? d[1] : d[0];
    t.j = rows ? d[0] : d[1];
  }
  p.cursor = t;
}

std::optional<std::uint64_t> ParseSeed(const std::string& text) {
  const size_t begin = text.find_first_not_of(' '), end = text.find_last_not_of(' ');
  if (begin == std::string::npos) return std::nullopt;
  const std::string digits = text.substr(begin, end - begin + 1);
  if (digits.size() > 10 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const unsigned long long value = std::stoull(digits);
  if (value > static_cast<unsigned long long>(io::kSettingsMaxPracticeSeed)) return std::nullopt;
  return value;
}

struct PracticeApplier {
  AppState& state;
  PracticeUi& p = state.practice;
  void operator()(const practice_action::Toggle&) {
    p.open = !p.open;
    p.marks.clear();
    p.news.clear();
    if (!p.open) {
      p.question.reset();
      return;
    }
    p.scenario_level = -1;
    Ask(state);
  }
  void operator()(const practice_action::Another&) {
    if (!p.open) return;
    ++p.index;
    Ask(state);
  }
  void operator()(const practice_action::Point& a) { Point(state, a.target); }
  void operator()(const practice_action::PointPadding&) {
    if (!CanAnswer(state)) return;
    if (AnswerModeOf(p.question->kind) != AnswerMode::PointPixel) return;
    JudgePixel(state, std::nullopt, "");
  }
  void operator()(const practice_action::Submit&) {
    if (!CanAnswer(state) || AnswerModeOf(p.question->kind) != AnswerMode::PointCells) return;
    JudgeCells(state);
  }
  void operator()(const practice_action::Type& a) {
    if (!CanAnswer(state)) return;
    p.typed = a.text;
    const quiz::Verdict verdict = quiz::CheckTypedAnswer(*p.question, a.text);
    if (verdict.judgement == quiz::Judgement::Unreadable) {
      p.input_message = verdict.message;  // the answer stays in the field to be fixed
      return;
    }
    std::vector<PracticeMark> marks;
    for (const std::string& id : AnswerPlaces(p)) {
      marks.push_back({id, verdict.right() ? PracticeMark::Kind::Right : PracticeMark::Kind::Missed});
    }
    Reveal(state, verdict, std::move(marks));
  }
  void operator()(const practice_action::SetSeed& a) {
    const std::optional<std::uint64_t> seed = ParseSeed(a.text);
    if (!seed) {
      p.seed_message = "seed: expected a whole number 0.." + std::to_string(io::kSettingsMaxPracticeSeed) + ", got '" +
                       (a.text.size() > 20 ? a.text.substr(0, 17) + "..." : a.text) + "'; kept " + std::to_string(p.seed);
      return;
    }
    p.seed_message.clear();
    p.seed = *seed;
    p.seed_text = std::to_string(*seed);
    p.index = 0;
    if (p.open) Ask(state);
  }
  void operator()(const practice_action::MoveCursor& a) { MoveCursor(state, a.dy, a.dx); }
  void operator()(const practice_action::PointCursor&) {
    if (p.cursor) Point(state, *p.cursor);
  }
};

}  // namespace practice_internal
using namespace practice_internal;

bool PracticeTakesArrows(const AppState& state) {
  return CanAnswer(state) && AnswerModeOf(state.practice.question->kind) != AnswerMode::Typed;
}

AnswerMode AnswerModeOf(quiz::Kind kind) {
  switch (kind) {
    case quiz::Kind::XColSource: return AnswerMode::PointPixel;
    case quiz::Kind::PixelCopies:
    case quiz::Kind::OverlapCount: return AnswerMode::PointCells;
    default: return AnswerMode::Typed;
  }
}

quiz::DisplayedCell DisplayedXColCell(const Scenario& scenario, Index r, Index j) {
  if (IsTransposedInLayout(MatrixId::XCol, scenario.layout)) return {j, r};
  return {r, j};
}

std::string LayoutIdOf(const Scenario& scenario, const HoverTarget& t) {
  using K = HoverTarget::Kind;
  const Shape& s = scenario.shape;
  const auto tensor = [&](const char* name) { return std::string(name) + "[" + Join({t.n, t.c, t.y, t.x}) + "]"; };
  switch (t.kind) {
    case K::InputPixel:
    case K::GradInputPixel:
      if (t.y < 0 || t.x < 0 || t.y >= s.height || t.x >= s.width) return "";
      return tensor(t.kind == K::InputPixel ? "input" : "grad_input");
    case K::OutputCell: return tensor("output");
    case K::GradOutputCell: return tensor("grad_output");
    case K::WeightCell: return tensor("weights");
    case K::XColCell: return CellId("x_col", DisplayedXColCell(scenario, t.r, t.j));
    case K::GradXColCell: return CellId("grad_x_col", DisplayedXColCell(scenario, t.r, t.j));
    case K::WRowCell: return CellId("w_row", {t.r, t.j});
    case K::GradWRowCell: return CellId("grad_w_row", {t.r, t.j});
    case K::YCell:
    case K::DyCell: {
      const DisplayedCell d = IsTransposedInLayout(MatrixId::YMat, scenario.layout) ? DisplayedCell{t.j, t.r}
                                                                                     : DisplayedCell{t.r, t.j};
      return CellId(t.kind == K::YCell ? "y_mat" : "dy_mat", d);
    }
    case K::None: return "";
  }
  return "";
}

std::string LevelName(int level) {
  switch (std::clamp(level, 0, quiz::kLevelCount - 1)) {
    case 0: return "level 0 (the chapter's small examples)";
    case 1: return "level 1 (padding or stride)";
    case 2: return "level 2 (dilation or batch)";
    default: return "level 3 (the backward pass)";
  }
}

void ApplyPracticeAction(AppState& state, const PracticeAction& action) {
  std::visit(PracticeApplier{state}, action);
}

}  // namespace im2col::gui
