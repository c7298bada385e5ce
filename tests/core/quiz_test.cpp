// Practice questions: every answer key checked against naive_reference.h (the DESIGN
// formulas as plain loops) over random shapes, both layouts and both orders; the
// reveal step checked against the timeline's own ordering written out here; seeds,
// the typed-answer checker and the progress rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "im2col/convolution.h"
#include "im2col/quiz.h"
#include "im2col/timeline.h"
#include "naive_reference.h"

namespace {

using namespace im2col;
using quiz::DisplayedCell;
using quiz::Judgement;
using quiz::Kind;
using quiz::Question;

Scenario RandomScenario(std::mt19937_64& rng, const Shape& s, Layout layout, Order order) {
  Scenario sc;
  sc.shape = s;
  sc.layout = layout;
  sc.order = order;
  sc.input.values = naive::RandomIntegers(rng, Index{s.batch} * s.channels * s.height * s.width);
  sc.weights.values = naive::RandomIntegers(rng, s.filters * naive::R(s));
  sc.bias.values = naive::RandomIntegers(rng, s.filters);
  sc.grad_output.values = naive::RandomIntegers(rng, Index{s.batch} * s.filters * naive::L(s));
  return sc;
}

Index GivenNumber(const Question& q, const std::string& key) {
  for (const auto& g : q.given) {
    if (g.key == key) return g.number;
  }
  ADD_FAILURE() << "question " << q.prompt << " has no given '" << key << "'";
  return -1;
}

// Displayed [row, col] of canonical (r, j) for X_col-like matrices.
DisplayedCell Shown(Layout layout, naive::I64 r, naive::I64 j) {
  return layout == Layout::Rows ? DisplayedCell{j, r} : DisplayedCell{r, j};
}

// Checks one question's answer and reveal step against the independent loops.
void ExpectAnswerMatchesLoops(const Scenario& sc, const Question& q) {
  const Shape& s = sc.shape;
  const Order o = sc.order;
  const naive::I64 R = naive::R(s), NL = naive::NL(s);
  const Timeline timeline(s);
  const Step reveal = timeline.At(q.reveal_step);
  ASSERT_EQ(reveal.index, q.reveal_step) << "reveal step within the timeline";
  EXPECT_FALSE(q.prompt.empty());
  EXPECT_FALSE(q.explanation.empty());
  const std::string where = naive::Describe(s) + " " + ToString(sc.layout) + " " + ToString(o) + ": " + q.prompt;
  switch (q.kind) {
    case Kind::OutputSize:
      EXPECT_EQ(q.answer.pair, (DisplayedCell{naive::HO(s), naive::WO(s)})) << where;
      break;
    case Kind::MatrixShape: {
      ASSERT_EQ(q.given.size(), 1u);
      const std::string m = q.given[0].text;
      DisplayedCell expected{};
      if (m == "w_row") {
        expected = {s.filters, R};
      } else if (m == "y_mat") {
        expected = Shown(sc.layout, s.filters, NL);
      } else if (m == "x_col" || m == "grad_x_col") {
        expected = Shown(sc.layout, R, NL);
      } else {
        ADD_FAILURE() << "unknown matrix " << m;
      }
      EXPECT_EQ(q.answer.pair, expected) << where;
      break;
    }
    case Kind::XColSource: {
      const Index row = GivenNumber(q, "row"), col = GivenNumber(q, "col");
      const naive::I64 r = sc.layout == Layout::Rows ? col : row, j = sc.layout == Layout::Rows ? row : col;
      bool found = false;
      naive::ForEachCell(s, o, [&](int n, int c, int, int, int, int, naive::I64 cr, naive::I64 cj, int y, int x,
                                   bool inside) {
        if (cr != r || cj != j) return;
        found = true;
        if (inside) {
          ASSERT_TRUE(q.answer.pixel.has_value()) << where;
          EXPECT_EQ(*q.answer.pixel, (Pixel{n, c, y, x})) << where;
        } else {
          EXPECT_FALSE(q.answer.pixel.has_value()) << where;
        }
      });
      EXPECT_TRUE(found) << where;
      EXPECT_EQ(reveal.phase, Phase::Extract) << where;
      EXPECT_EQ(reveal.item, j * R + r) << where;  // extract fills column by column, rows in order
      break;
    }
    case Kind::PixelCopies: {
      const int n = int(GivenNumber(q, "n")), c = int(GivenNumber(q, "c"));
      const int y = int(GivenNumber(q, "y")), x = int(GivenNumber(q, "x"));
      std::vector<DisplayedCell> expected;
      naive::I64 last = -1;
      for (const Cell& cell : naive::Copies(s, o, n, c, y, x)) {
        expected.push_back(Shown(sc.layout, cell.r, cell.j));
        last = std::max(last, cell.j * R + cell.r);
      }
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(q.answer.cells, expected) << where;
      EXPECT_EQ(reveal.phase, Phase::Extract) << where;
      if (last >= 0) {
        EXPECT_EQ(reveal.item, last) << where;
      }
      break;
    }
    case Kind::OverlapCount: {
      const int y = int(GivenNumber(q, "y")), x = int(GivenNumber(q, "x"));
      Index count = 0;
      naive::ForEachCell(s, o, [&](int n, int c, int, int, int, int, naive::I64, naive::I64, int py, int px,
                                   bool inside) { count += inside && n == 0 && c == 0 && py == y && px == x; });
      EXPECT_EQ(q.answer.count, count) << where;
      EXPECT_EQ(reveal.phase, Phase::Col2im) << where;
      break;
    }
    case Kind::YValue: {
      const int n = int(GivenNumber(q, "n")), f = int(GivenNumber(q, "f"));
      const int y = int(GivenNumber(q, "y")), x = int(GivenNumber(q, "x"));
      const auto out = naive::Forward(s, sc.input.values, sc.weights.values, sc.bias.values);
      EXPECT_DOUBLE_EQ(q.answer.value, out[size_t(naive::OutputAt(s, n, f, y, x))]) << where;
      EXPECT_EQ(reveal.phase, Phase::Multiply) << where;
      EXPECT_EQ(reveal.item, f * NL + naive::Col(s, o, n, y, x)) << where;
      break;
    }
    case Kind::DxValue: {
      const int n = int(GivenNumber(q, "n")), c = int(GivenNumber(q, "c"));
      const int y = int(GivenNumber(q, "y")), x = int(GivenNumber(q, "x"));
      const auto grads = naive::Backward(s, sc.input.values, sc.weights.values, sc.grad_output.values);
      EXPECT_NEAR(q.answer.value, grads.input[size_t(naive::InputAt(s, n, c, y, x))], 1e-9) << where;
      EXPECT_EQ(reveal.phase, Phase::Col2im) << where;
      const auto copies = naive::Copies(s, o, n, c, y, x);
      if (!copies.empty()) {
        EXPECT_EQ(reveal.item, copies.back().j) << where;  // the last column adding into it
      }
      break;
    }
  }
  // The key's own spelling is judged right by the checker.
  EXPECT_TRUE(quiz::CheckTypedAnswer(q, quiz::FormatAnswer(q.answer)).right()) << where;
}

TEST(QuizAnswerKey, EveryKindMatchesDirectLoopsOverRandomShapesLayoutsAndOrders) {
  std::mt19937_64 rng(20261206);
  int checked = 0;
  for (const Shape& s : naive::ValidRandomShapes(120, 4242)) {
    for (Layout layout : {Layout::Columns, Layout::Rows}) {
      for (Order order : {Order::RowMajor, Order::ColumnMajor}) {
        const Scenario sc = RandomScenario(rng, s, layout, order);
        const Computation c = Compute(sc);
        for (const Question& q : quiz::MakeQuestions(c, {}, 14, rng())) {
          ExpectAnswerMatchesLoops(sc, q);
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 120 * 4 * 14);
}

TEST(QuizAnswerKey, ChapterNumbersAreTheChaptersOwn) {
  const Computation c = Compute(Scenario{});
  const Timeline t(c.shape);
  std::set<std::string> matrices;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    const Question q = quiz::MakeQuestion(c, t, Kind::MatrixShape, seed);
    matrices.insert(q.given[0].text);
    if (q.given[0].text == "x_col") {
      EXPECT_EQ(q.answer.pair, (DisplayedCell{12, 9}));
    }
  }
  EXPECT_EQ(matrices.size(), 4u) << "every matrix gets asked about";
  EXPECT_EQ(quiz::MakeQuestion(c, t, Kind::OutputSize, 0).answer.pair, (DisplayedCell{3, 3}));
}

TEST(QuizSeeds, SameSeedGivesTheSameSetAndOtherSeedsVary) {
  const Computation c = Compute(Scenario{});
  auto prompts = [&](std::uint64_t seed) {
    std::vector<std::string> p;
    for (const Question& q : quiz::MakeQuestions(c, {}, 10, seed)) p.push_back(q.prompt);
    return p;
  };
  EXPECT_EQ(prompts(7), prompts(7));
  std::set<std::vector<std::string>> distinct;
  for (std::uint64_t seed = 0; seed < 10; ++seed) distinct.insert(prompts(seed));
  EXPECT_GE(distinct.size(), 9u);
  // A set does not repeat a question while there are others to ask.
  const auto many = prompts(3);
  EXPECT_EQ(std::set<std::string>(many.begin(), many.end()).size(), many.size());
}

TEST(QuizSeeds, KindsAreCycledSoEveryRequestedKindAppears) {
  const Computation c = Compute(Scenario{});
  std::set<Kind> kinds;
  for (const Question& q : quiz::MakeQuestions(c, {}, 7, 11)) kinds.insert(q.kind);
  EXPECT_EQ(kinds.size(), 7u);
  for (const Question& q : quiz::MakeQuestions(c, {Kind::DxValue}, 5, 11)) EXPECT_EQ(q.kind, Kind::DxValue);
}

TEST(QuizKinds, NamesRoundTrip) {
  for (Kind kind : quiz::kAllKinds) EXPECT_EQ(quiz::ParseKind(quiz::ToString(kind)), kind);
  EXPECT_FALSE(quiz::ParseKind("output_size").has_value());
}

// [SECTION] The answer checker

Question FirstWith(const Scenario& sc, Kind kind, bool (*wanted)(const Question&)) {
  const Computation c = Compute(sc);
  const Timeline t(c.shape);
  for (std::uint64_t seed = 0; seed < 500; ++seed) {
    Question q = quiz::MakeQuestion(c, t, kind, seed);
    if (wanted(q)) return q;
  }
  ADD_FAILURE() << "no such question in 500 seeds";
  return {};
}

TEST(QuizChecker, PairsInEverySpelling) {
  const Computation c = Compute(Scenario{});
  const Question q = quiz::MakeQuestion(c, Timeline(c.shape), Kind::OutputSize, 1);
  for (const char* typed : {"3x3", "3, 3", "[3,3]", "3 3", " 3×3 ", "(3, 3)"}) {
    EXPECT_EQ(quiz::CheckTypedAnswer(q, typed).judgement, Judgement::Right) << typed;
  }
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "3x4").judgement, Judgement::Wrong);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "3x4").message, "wrong: the answer is [3, 3]");
  const quiz::Verdict nonsense = quiz::CheckTypedAnswer(q, "abc");
  EXPECT_EQ(nonsense.judgement, Judgement::Unreadable);
  EXPECT_EQ(nonsense.message, "answer: expected two whole numbers like 3x3, got 'abc'");
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "3.5x3").judgement, Judgement::Unreadable);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "3").judgement, Judgement::Unreadable);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "").judgement, Judgement::Unreadable);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "3\nx3x").message.find('\n'), std::string::npos);
}

TEST(QuizChecker, PaddingAndPixels) {
  Scenario padded;
  padded.shape.padding = {1, 1};
  const Question pad = FirstWith(padded, Kind::XColSource, [](const Question& q) { return !q.answer.pixel; });
  EXPECT_TRUE(quiz::CheckTypedAnswer(pad, "padding").right());
  EXPECT_TRUE(quiz::CheckTypedAnswer(pad, " Padding ").right());
  EXPECT_EQ(quiz::CheckTypedAnswer(pad, "0,0,0,0").judgement, Judgement::Wrong);
  EXPECT_TRUE(quiz::CheckPointedPixel(pad, std::nullopt).right());

  const Question pixel = FirstWith(padded, Kind::XColSource, [](const Question& q) { return q.answer.pixel && q.answer.pixel->y > 0; });
  const Pixel p = *pixel.answer.pixel;
  const std::string typed = std::to_string(p.n) + "," + std::to_string(p.c) + "," + std::to_string(p.y) + "," + std::to_string(p.x);
  EXPECT_TRUE(quiz::CheckTypedAnswer(pixel, typed).right()) << typed;
  EXPECT_TRUE(quiz::CheckTypedAnswer(pixel, "[" + typed + "]").right()) << typed;
  EXPECT_EQ(quiz::CheckTypedAnswer(pixel, "padding").judgement, Judgement::Wrong);
  EXPECT_EQ(quiz::CheckTypedAnswer(pixel, "0,1,2").judgement, Judgement::Unreadable);
  EXPECT_TRUE(quiz::CheckPointedPixel(pixel, p).right());
  EXPECT_FALSE(quiz::CheckPointedPixel(pixel, Pixel{p.n, p.c, p.y - 1, p.x}).right());
}

TEST(QuizChecker, CellSetsInAnyOrder) {
  const Question q = FirstWith(Scenario{}, Kind::PixelCopies, [](const Question& q) { return q.answer.cells.size() >= 3; });
  std::vector<DisplayedCell> reversed(q.answer.cells.rbegin(), q.answer.cells.rend());
  std::string typed;
  for (const auto& cell : reversed) typed += std::to_string(cell[0]) + " " + std::to_string(cell[1]) + "; ";
  EXPECT_TRUE(quiz::CheckTypedAnswer(q, typed).right()) << typed;
  reversed.push_back(reversed.front());  // pointing twice at one cell is still the same set
  EXPECT_TRUE(quiz::CheckPointedCells(q, reversed).right());
  std::vector<DisplayedCell> missing(q.answer.cells.begin() + 1, q.answer.cells.end());
  EXPECT_EQ(quiz::CheckPointedCells(q, missing).judgement, Judgement::Wrong);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "1,2,3").judgement, Judgement::Unreadable);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "none").judgement, Judgement::Wrong);
}

TEST(QuizChecker, ValuesWithToleranceAndNonsense) {
  Scenario sc;
  sc.input.values.assign(48, -2.5);  // every output a multiple of -2.5
  const Computation c = Compute(sc);
  const Question q = quiz::MakeQuestion(c, Timeline(c.shape), Kind::YValue, 3);
  EXPECT_TRUE(quiz::CheckTypedAnswer(q, quiz::FormatValue(q.answer.value)).right());
  EXPECT_EQ(quiz::CheckTypedAnswer(q, quiz::FormatValue(q.answer.value + 1)).judgement, Judgement::Wrong);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "1..2").judgement, Judgement::Unreadable);
  EXPECT_EQ(quiz::CheckTypedAnswer(q, "five").message, "answer: expected one number like -2.5, got 'five'");
  const Question count = quiz::MakeQuestion(c, Timeline(c.shape), Kind::OverlapCount, 0);
  EXPECT_EQ(quiz::CheckTypedAnswer(count, "2.5").judgement, Judgement::Unreadable);
}

// [SECTION] Levels and progress

TEST(QuizLevels, PracticeScenariosAreValidVaryWithTheSeedAndMatchTheirLevel) {
  for (int level = 0; level < quiz::kLevelCount; ++level) {
    std::set<std::string> titles;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
      const Scenario sc = quiz::PracticeScenario(level, seed);
      ASSERT_TRUE(sc.Validate().empty()) << sc.title;
      titles.insert(sc.title);
      const Shape& s = sc.shape;
      const bool padding_or_stride = s.padding != Pair{0, 0} || s.stride != Pair{1, 1};
      const bool dilation_or_batch = s.dilation != Pair{1, 1} || s.batch > 1;
      if (level == 1) {
        EXPECT_TRUE(padding_or_stride) << sc.title;
      } else if (level == 2) {
        EXPECT_TRUE(dilation_or_batch) << sc.title;
      } else if (level == 3) {
        EXPECT_TRUE(Compute(sc).PatchesOverlap()) << sc.title;
      }
      // The loops read explicit values: spell the fills out (the same numbers).
      Scenario spelled = sc;
      for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
        spelled.Source(role).values = GenerateValues(sc, role);
      }
      const Computation c = Compute(sc);
      for (const Question& q : quiz::MakeQuestions(c, quiz::KindsForLevel(level), 6, seed)) {
        ExpectAnswerMatchesLoops(spelled, q);
      }
    }
    EXPECT_GE(titles.size(), 2u) << "level " << level;
  }
  const auto backward = quiz::KindsForLevel(3);
  EXPECT_NE(std::find(backward.begin(), backward.end(), Kind::DxValue), backward.end());
}

TEST(QuizProgress, ThreeRightMoveUpTwoWrongMoveDownWithinTheLevels) {
  quiz::PracticeProgress p;
  for (int i = 0; i < 3; ++i) p.Update(true);
  EXPECT_EQ(p.level, 1);
  EXPECT_EQ(p.score, 3);
  p.Update(false);
  EXPECT_EQ(p.level, 1);
  p.Update(false);
  EXPECT_EQ(p.level, 0);
  p.Update(false);
  p.Update(false);
  EXPECT_EQ(p.level, 0);
  for (int i = 0; i < 30; ++i) p.Update(true);
  EXPECT_EQ(p.level, quiz::kLevelCount - 1);
  EXPECT_EQ(p.asked, 37);
  EXPECT_EQ(p.score, 33);
}

}  // namespace
