#include "im2col/quiz.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>
#include <stdexcept>

namespace im2col::quiz {

namespace {

// [SECTION] Portable randomness

// splitmix64: the same numbers everywhere (std::uniform_int_distribution is not
// specified bit for bit, so it could ask different questions on another platform).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // 0..bound-1 (bound >= 1); the modulo bias is far below what a quiz can notice.
  Index Below(Index bound) { return bound <= 1 ? 0 : static_cast<Index>(Next() % static_cast<std::uint64_t>(bound)); }

 private:
  std::uint64_t state_;
};

std::string Str(Index v) { return std::to_string(v); }

// [SECTION] Displayed indices

bool Transposed(const Computation& c, MatrixId id) { return IsTransposedInLayout(id, c.scenario.layout); }

DisplayedCell Displayed(const Computation& c, MatrixId id, const Cell& cell) {
  return Transposed(c, id) ? DisplayedCell{cell.j, cell.r} : DisplayedCell{cell.r, cell.j};
}

std::string MatrixName(MatrixId id) {
  switch (id) {
    case MatrixId::XCol: return "X_col";
    case MatrixId::WRow: return "W_row";
    case MatrixId::YMat: return "Y_mat";
    case MatrixId::GradXCol: return "dX_col";
    default: return ToString(id);
  }
}

std::string PixelText(const Pixel& p) {
  return "[" + Str(p.n) + "," + Str(p.c) + "," + Str(p.y) + "," + Str(p.x) + "]";
}

Index StepOf(const Timeline& t, Phase phase, Index item) { return t.PhaseBegin(phase) + item; }
Index LastStepOf(const Timeline& t, Phase phase) { return t.PhaseBegin(phase) + t.PhaseLength(phase) - 1; }

// [SECTION] One maker per kind

void MakeOutputSize(const Computation& c, const Timeline& t, Question& q) {
  const Shape& s = c.shape;
  q.prompt = "What is the output's height x width (HO x WO)? Answer like 3x3.";
  q.answer.pair = {s.OutHeight(), s.OutWidth()};
  q.explanation = "HO = floor((H + 2*PH - DH*(KH-1) - 1) / SH) + 1 = floor((" + Str(s.height) + " + 2*" +
                  Str(s.padding.h) + " - " + Str(s.dilation.h) + "*" + Str(s.kernel.h - 1) + " - 1) / " +
                  Str(s.stride.h) + ") + 1 = " + Str(s.OutHeight()) + "; WO = floor((" + Str(s.width) + " + 2*" +
                  Str(s.padding.w) + " - " + Str(s.dilation.w) + "*" + Str(s.kernel.w - 1) + " - 1) / " +
                  Str(s.stride.w) + ") + 1 = " + Str(s.OutWidth()) + ".";
  q.reveal_step = t.PhaseBegin(Phase::Reshape);
}

void MakeMatrixShape(const Computation& c, const Timeline& t, SplitMix64& rng, Question& q) {
  static constexpr MatrixId kChoices[] = {MatrixId::XCol, MatrixId::WRow, MatrixId::YMat, MatrixId::GradXCol};
  const MatrixId id = kChoices[rng.Below(4)];
  const Shape& s = c.shape;
  const Index R = s.PatchSize(), NL = s.ColumnCount();
  Index rows = id == MatrixId::WRow || id == MatrixId::YMat ? s.filters : R;
  Index cols = id == MatrixId::WRow ? R : NL;
  const bool transposed = Transposed(c, id);
  if (transposed) std::swap(rows, cols);
  q.given.push_back({"matrix", 0, ToString(id)});
  q.prompt = "What shape is " + MatrixName(id) + " as displayed (rows x columns)? Answer like 12x9.";
  q.answer.pair = {rows, cols};
  const std::string r_text = "R = C*KH*KW = " + Str(s.channels) + "*" + Str(s.kernel.h) + "*" + Str(s.kernel.w) +
                             " = " + Str(R);
  const std::string nl_text = "N*HO*WO = " + Str(s.batch) + "*" + Str(s.OutHeight()) + "*" + Str(s.OutWidth()) +
                              " = " + Str(NL);
  switch (id) {
    case MatrixId::WRow:
      q.explanation = "W_row has one row per filter (F = " + Str(s.filters) + ") and one column per patch value, " +
                      r_text + ".";
      q.reveal_step = LastStepOf(t, Phase::Flatten);
      break;
    case MatrixId::YMat:
      q.explanation = "Y_mat has one row per filter (F = " + Str(s.filters) + ") and one column per patch, " +
                      nl_text + ".";
      q.reveal_step = LastStepOf(t, Phase::Multiply);
      break;
    default:
      q.explanation = MatrixName(id) + " has one row per patch value, " + r_text + ", and one column per patch, " +
                      nl_text + ".";
      q.reveal_step = LastStepOf(t, id == MatrixId::XCol ? Phase::Extract : Phase::GradXCol);
      break;
  }
  if (transposed) q.explanation += " The rows layout shows it transposed: " + Str(rows) + " x " + Str(cols) + ".";
}

void MakeXColSource(const Computation& c, const Timeline& t, SplitMix64& rng, Question& q) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Cell cell{rng.Below(s.PatchSize()), rng.Below(s.ColumnCount())};
  const DisplayedCell shown = Displayed(c, MatrixId::XCol, cell);
  q.given = {{"row", shown[0], {}}, {"col", shown[1], {}}};
  q.prompt = "Which input pixel does X_col[" + Str(shown[0]) + "," + Str(shown[1]) +
             "] copy? Answer n,c,y,x or 'padding'.";
  const PatchOffset po = PatchOffsetOf(s, order, cell.r);
  const PatchIndex pi = PatchIndexOf(s, order, cell.j);
  const SourceCoord src = SourceOf(s, order, cell.r, cell.j);
  if (src.in_image) q.answer.pixel = Pixel{src.n, src.c, src.y, src.x};
  const std::string row_word = Transposed(c, MatrixId::XCol) ? "Column" : "Row";
  const std::string col_word = Transposed(c, MatrixId::XCol) ? "row" : "column";
  q.explanation = row_word + " " + Str(cell.r) + " is (c,ky,kx) = (" + Str(po.c) + "," + Str(po.ky) + "," +
                  Str(po.kx) + ") and " + col_word + " " + Str(cell.j) + " is patch (n,oy,ox) = (" + Str(pi.n) +
                  "," + Str(pi.oy) + "," + Str(pi.ox) + "), so y = oy*SH - PH + ky*DH = " + Str(src.y) +
                  " and x = ox*SW - PW + kx*DW = " + Str(src.x) + ".";
  q.explanation += src.in_image ? " The cell copies x" + PixelText(*q.answer.pixel) + "."
                                : " That is outside the " + Str(s.height) + "x" + Str(s.width) +
                                      " image, so the cell holds a padding zero.";
  q.reveal_step = StepOf(t, Phase::Extract, cell.j * s.PatchSize() + cell.r);
}

Pixel RandomInputPixel(const Shape& s, SplitMix64& rng) {
  Pixel p;
  p.n = static_cast<int>(rng.Below(s.batch));
  p.c = static_cast<int>(rng.Below(s.channels));
  p.y = static_cast<int>(rng.Below(s.height));
  p.x = static_cast<int>(rng.Below(s.width));
  return p;
}

void GivePixel(Question& q, const Pixel& p) {
  q.given = {{"n", p.n, {}}, {"c", p.c, {}}, {"y", p.y, {}}, {"x", p.x, {}}};
}

void MakePixelCopies(const Computation& c, const Timeline& t, SplitMix64& rng, Question& q) {
  const Shape& s = c.shape;
  const Pixel p = RandomInputPixel(s, rng);
  GivePixel(q, p);
  q.prompt = "Which X_col cells copy input pixel x" + PixelText(p) +
             "? Answer every [row, col], e.g. [[0,1],[2,3]], or 'none'.";
  const std::vector<Cell> copies = CopiesOf(s, c.scenario.order, p);
  Index last_item = -1;
  for (const Cell& cell : copies) {
    q.answer.cells.push_back(Displayed(c, MatrixId::XCol, cell));
    last_item = std::max(last_item, cell.j * s.PatchSize() + cell.r);
  }
  std::sort(q.answer.cells.begin(), q.answer.cells.end());
  if (copies.empty()) {
    q.explanation = "No window reaches x" + PixelText(p) + ": the stride skips it, so no X_col cell copies it.";
    q.reveal_step = LastStepOf(t, Phase::Extract);
  } else {
    q.explanation = "Every window that covers the pixel copies it once, into its own column: " +
                    Str(static_cast<Index>(copies.size())) + (copies.size() == 1 ? " cell." : " cells.");
    q.reveal_step = StepOf(t, Phase::Extract, last_item);
  }
}

void MakeOverlapCount(const Computation& c, const Timeline& t, SplitMix64& rng, Question& q) {
  const Shape& s = c.shape;
  const int y = static_cast<int>(rng.Below(s.height)), x = static_cast<int>(rng.Below(s.width));
  q.given = {{"y", y, {}}, {"x", x, {}}};
  q.prompt = "In col2im, how many X_col cells add into pixel (y,x) = (" + Str(y) + "," + Str(x) +
             ") of one channel of one image? Answer a whole number.";
  q.answer.count = c.overlap(y, x);
  const std::vector<Cell> copies = CopiesOf(s, c.scenario.order, Pixel{0, 0, y, x});
  q.explanation = "The pixel lies in " + Str(q.answer.count) + (q.answer.count == 1 ? " window" : " windows") +
                  ", so " + Str(q.answer.count) + (q.answer.count == 1 ? " gradient lands" : " gradients land") +
                  " on it and col2im must add them, not overwrite.";
  q.reveal_step = copies.empty() ? LastStepOf(t, Phase::Col2im) : StepOf(t, Phase::Col2im, copies.back().j);
}

void MakeYValue(const Computation& c, const Timeline& t, SplitMix64& rng, Question& q) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const int n = static_cast<int>(rng.Below(s.batch)), f = static_cast<int>(rng.Below(s.filters));
  const int oy = static_cast<int>(rng.Below(s.OutHeight())), ox = static_cast<int>(rng.Below(s.OutWidth()));
  q.given = {{"n", n, {}}, {"f", f, {}}, {"y", oy, {}}, {"x", ox, {}}};
  q.prompt = "What is output[" + Str(n) + "," + Str(f) + "," + Str(oy) + "," + Str(ox) + "]? Answer a number.";
  q.answer.value = c.output(n, f, oy, ox);
  const Index j = ColumnOf(s, order, PatchIndex{n, oy, ox});
  const DisplayedCell y_cell = Displayed(c, MatrixId::YMat, Cell{f, j});
  const double bias = c.bias[static_cast<size_t>(f)];
  q.explanation = "It is Y_mat[" + Str(y_cell[0]) + "," + Str(y_cell[1]) + "]: the dot product of filter " + Str(f) +
                  " (row " + Str(f) + " of W_row) with patch " + Str(j) + " of X_col, the window at (oy,ox) = (" +
                  Str(oy) + "," + Str(ox) + ") of image " + Str(n) +
                  (bias != 0.0 ? ", plus bias " + FormatValue(bias) : std::string()) + ", = " +
                  FormatValue(q.answer.value) + ".";
  q.reveal_step = StepOf(t, Phase::Multiply, Index{f} * s.ColumnCount() + j);
}

void MakeDxValue(const Computation& c, const Timeline& t, SplitMix64& rng, Question& q) {
  const Shape& s = c.shape;
  const Pixel p = RandomInputPixel(s, rng);
  GivePixel(q, p);
  q.prompt = "After col2im, what is grad_input" + PixelText(p) + " (dX)? Answer a number.";
  q.answer.value = c.grad_input(p.n, p.c, p.y, p.x);
  const std::vector<Contribution> terms = Col2ImContributions(c, p, s.ColumnCount());
  if (terms.empty()) {
    q.explanation = "No X_col cell copies this pixel, so no gradient reaches it: dX = 0.";
    q.reveal_step = LastStepOf(t, Phase::Col2im);
    return;
  }
  std::string sum;
  for (size_t i = 0; i < terms.size() && i < 12; ++i) sum += (i == 0 ? "" : " + ") + FormatValue(terms[i].value);
  if (terms.size() > 12) sum += " + ...";
  q.explanation = "col2im adds the dX_col cell of every copy of the pixel (" + Str(static_cast<Index>(terms.size())) +
                  (terms.size() == 1 ? " copy" : " copies") + "): " + sum + " = " + FormatValue(q.answer.value) + ".";
  q.reveal_step = StepOf(t, Phase::Col2im, terms.back().cell.j);
}

}  // namespace

// [SECTION] Kinds and levels

std::string ToString(Kind kind) {
  switch (kind) {
    case Kind::OutputSize: return "output-size";
    case Kind::MatrixShape: return "matrix-shape";
    case Kind::XColSource: return "x-col-source";
    case Kind::PixelCopies: return "pixel-copies";
    case Kind::OverlapCount: return "overlap-count";
    case Kind::YValue: return "y-value";
    case Kind::DxValue: return "dx-value";
  }
  return "unknown";
}

std::optional<Kind> ParseKind(const std::string& text) {
  for (Kind kind : kAllKinds) {
    if (ToString(kind) == text) return kind;
  }
  return std::nullopt;
}

std::vector<Kind> KindsForLevel(int level) {
  switch (std::clamp(level, 0, kLevelCount - 1)) {
    case 0: return {Kind::OutputSize, Kind::MatrixShape, Kind::XColSource, Kind::YValue};
    case 1:
    case 2: return {Kind::OutputSize, Kind::MatrixShape, Kind::XColSource, Kind::PixelCopies, Kind::YValue};
    default: return {Kind::OverlapCount, Kind::DxValue, Kind::PixelCopies};
  }
}

Scenario PracticeScenario(int level, std::uint64_t seed) {
  SplitMix64 rng(seed ^ 0x5EED0F0A11CE5ULL);
  Scenario sc;  // the chapter's 4x4x3 example
  Shape& s = sc.shape;
  switch (std::clamp(level, 0, kLevelCount - 1)) {
    case 0:
      if (rng.Below(2) == 1) {
        s.channels = 1;
        s.height = s.width = 3;
      }
      break;
    case 1:
      switch (rng.Below(3)) {
        case 0: s.padding = {1, 1}; break;
        case 1: s.stride = {2, 2}; break;
        default: s.height = s.width = 5; s.kernel = {3, 3}; s.stride = {2, 2}; s.padding = {1, 1}; break;
      }
      s.channels = 1 + static_cast<int>(rng.Below(2));
      break;
    case 2:
      if (rng.Below(2) == 0) {
        s.height = s.width = 5;
        s.dilation = {2, 2};
        s.channels = 1;
      } else {
        s.batch = 2;
        s.channels = 2;
      }
      sc.layout = rng.Below(2) == 0 ? Layout::Columns : Layout::Rows;
      sc.order = rng.Below(2) == 0 ? Order::RowMajor : Order::ColumnMajor;
      break;
    default:
      s.channels = 1;
      s.height = s.width = 4 + static_cast<int>(rng.Below(2));
      s.kernel = {2 + static_cast<int>(rng.Below(2)), 2 + static_cast<int>(rng.Below(2))};
      sc.grad_output.fill = Fill::Ramp;
      break;
  }
  sc.title = "Practice (level " + Str(std::clamp(level, 0, kLevelCount - 1)) + "): " + Str(s.height) + "x" +
             Str(s.width) + "x" + Str(s.channels) + " input, K" + FormatPair(s.kernel) + " S" + FormatPair(s.stride) +
             " P" + FormatPair(s.padding) + (s.dilation != Pair{1, 1} ? " D" + FormatPair(s.dilation) : "") +
             (s.batch > 1 ? " N" + Str(s.batch) : "");
  return sc;
}

// [SECTION] Questions

Question MakeQuestion(const Computation& c, const Timeline& timeline, Kind kind, std::uint64_t seed) {
  if (c.grad_input.Size() == 0 && c.shape.batch * c.shape.channels > 0) {
    throw std::invalid_argument("quiz: the computation has no backward pass (use Compute, not ComputeForward)");
  }
  SplitMix64 rng(seed);
  Question q;
  q.kind = kind;
  q.answer.kind = kind;
  switch (kind) {
    case Kind::OutputSize: MakeOutputSize(c, timeline, q); break;
    case Kind::MatrixShape: MakeMatrixShape(c, timeline, rng, q); break;
    case Kind::XColSource: MakeXColSource(c, timeline, rng, q); break;
    case Kind::PixelCopies: MakePixelCopies(c, timeline, rng, q); break;
    case Kind::OverlapCount: MakeOverlapCount(c, timeline, rng, q); break;
    case Kind::YValue: MakeYValue(c, timeline, rng, q); break;
    case Kind::DxValue: MakeDxValue(c, timeline, rng, q); break;
  }
  return q;
}

std::vector<Question> MakeQuestions(const Computation& c, const std::vector<Kind>& kinds, int count,
                                    std::uint64_t seed) {
  std::vector<Kind> order = kinds.empty() ? std::vector<Kind>(kAllKinds.begin(), kAllKinds.end()) : kinds;
  SplitMix64 rng(seed);
  for (size_t i = order.size(); i > 1; --i) {  // Fisher-Yates with the portable generator
    std::swap(order[i - 1], order[static_cast<size_t>(rng.Below(static_cast<Index>(i)))]);
  }
  const Timeline timeline(c.shape);
  std::vector<Question> questions;
  std::set<std::string> asked;
  count = std::clamp(count, 1, 1000);
  for (int i = 0; i < count; ++i) {
    // A few tries for a question not asked yet, then the next kinds (output-size has
    // only one question); a tiny scenario may run out altogether and repeat one.
    std::optional<Question> fresh, any;
    for (size_t k = 0; k < order.size() && !fresh; ++k) {
      const Kind kind = order[(static_cast<size_t>(i) + k) % order.size()];
      for (int attempt = 0; attempt < 8 && !fresh; ++attempt) {
        Question q = MakeQuestion(c, timeline, kind, rng.Next());
        if (asked.count(q.prompt) == 0) fresh = std::move(q);
        else if (!any) any = std::move(q);
      }
    }
    Question q = fresh ? std::move(*fresh) : std::move(*any);
    asked.insert(q.prompt);
    questions.push_back(std::move(q));
  }
  return questions;
}

// [SECTION] Checking answers

namespace {

std::string Lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string Quoted(const std::string& typed) {
  std::string shown;
  for (char ch : typed) shown += (static_cast<unsigned char>(ch) < 0x20) ? ' ' : ch;  // stays one line
  if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
  return "'" + shown + "'";
}

// The numbers of a typed answer; separators are spaces, commas, semicolons,
// brackets, 'x', '×' and '*'. nullopt when anything else is there.
std::optional<std::vector<double>> Numbers(const std::string& typed) {
  std::vector<double> numbers;
  std::string token;
  auto flush = [&]() -> bool {
    if (token.empty()) return true;
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    const bool ok = end == token.c_str() + token.size() && std::isfinite(v);
    token.clear();
    if (!ok) return false;
    numbers.push_back(v);
    return true;
  };
  for (size_t i = 0; i < typed.size(); ++i) {
    const char ch = typed[i];
    if ((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ((ch == 'e' || ch == 'E') && !token.empty())) {
      token += ch;
      continue;
    }
    const bool times = static_cast<unsigned char>(ch) == 0xC3 && i + 1 < typed.size() &&
                       static_cast<unsigned char>(typed[i + 1]) == 0x97;  // UTF-8 '×'
    if (!(std::string(" \t\r\n,;[](){}xX*").find(ch) != std::string::npos || times)) return std::nullopt;
    if (!flush()) return std::nullopt;
    if (times) ++i;
  }
  if (!flush()) return std::nullopt;
  return numbers;
}

bool AllWhole(const std::vector<double>& numbers) {
  return std::all_of(numbers.begin(), numbers.end(),
                     [](double v) { return std::floor(v) == v && std::fabs(v) < 9e15; });
}

Verdict Unreadable(const std::string& expected, const std::string& typed) {
  return {Judgement::Unreadable, "answer: expected " + expected + ", got " + Quoted(typed)};
}

Verdict Judge(bool right, const Answer& answer) {
  if (right) return {Judgement::Right, "right: " + FormatAnswer(answer)};
  return {Judgement::Wrong, "wrong: the answer is " + FormatAnswer(answer)};
}

bool SameValue(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }

std::vector<DisplayedCell> SortedUnique(std::vector<DisplayedCell> cells) {
  std::sort(cells.begin(), cells.end());
  cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
  return cells;
}

}  // namespace

Verdict CheckTypedAnswer(const Question& question, const std::string& typed) {
  const Answer& a = question.answer;
  const std::string text = Lower(Trim(typed));
  switch (question.kind) {
    case Kind::OutputSize:
    case Kind::MatrixShape: {
      const auto numbers = Numbers(text);
      if (!numbers || numbers->size() != 2 || !AllWhole(*numbers)) {
        return Unreadable("two whole numbers like 3x3", typed);
      }
      return Judge((*numbers)[0] == static_cast<double>(a.pair[0]) && (*numbers)[1] == static_cast<double>(a.pair[1]), a);
    }
    case Kind::XColSource: {
      if (text == "padding" || text == "pad" || text == "'padding'") return Judge(!a.pixel.has_value(), a);
      const auto numbers = Numbers(text);
      if (!numbers || numbers->size() != 4 || !AllWhole(*numbers)) {
        return Unreadable("four whole numbers n,c,y,x like 0,1,2,3 or 'padding'", typed);
      }
      const auto& v = *numbers;
      return Judge(a.pixel && v[0] == a.pixel->n && v[1] == a.pixel->c && v[2] == a.pixel->y && v[3] == a.pixel->x, a);
    }
    case Kind::PixelCopies: {
      if (text == "none" || text == "[]") return Judge(a.cells.empty(), a);
      const auto numbers = Numbers(text);
      if (!numbers || numbers->empty() || numbers->size() % 2 != 0 || !AllWhole(*numbers)) {
        return Unreadable("pairs of whole numbers like [[0,1],[2,3]] or 'none'", typed);
      }
      std::vector<DisplayedCell> cells;
      for (size_t i = 0; i < numbers->size(); i += 2) {
        cells.push_back({static_cast<Index>((*numbers)[i]), static_cast<Index>((*numbers)[i + 1])});
      }
      return CheckPointedCells(question, cells);
    }
    case Kind::OverlapCount: {
      const auto numbers = Numbers(text);
      if (!numbers || numbers->size() != 1 || !AllWhole(*numbers)) return Unreadable("one whole number like 4", typed);
      return Judge((*numbers)[0] == static_cast<double>(a.count), a);
    }
    case Kind::YValue:
    case Kind::DxValue: {
      const auto numbers = Numbers(text);
      if (!numbers || numbers->size() != 1) return Unreadable("one number like -2.5", typed);
      return Judge(SameValue((*numbers)[0], a.value), a);
    }
  }
  return Unreadable("an answer", typed);
}

Verdict CheckPointedCells(const Question& question, const std::vector<DisplayedCell>& cells) {
  if (question.kind != Kind::PixelCopies) {
    return {Judgement::Unreadable, "answer: this question asks for " + FormatAnswer(question.answer) +
                                       "-like input, not a set of cells"};
  }
  return Judge(SortedUnique(cells) == SortedUnique(question.answer.cells), question.answer);
}

Verdict CheckPointedPixel(const Question& question, const std::optional<Pixel>& pixel) {
  if (question.kind != Kind::XColSource) {
    return {Judgement::Unreadable, "answer: this question does not ask for one input pixel"};
  }
  const auto& expected = question.answer.pixel;
  return Judge(pixel.has_value() == expected.has_value() && (!pixel || *pixel == *expected), question.answer);
}

std::string FormatValue(double value) {
  if (value == 0.0) return "0";  // also turns -0 into 0
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string FormatAnswer(const Answer& a) {
  switch (a.kind) {
    case Kind::OutputSize:
    case Kind::MatrixShape: return "[" + Str(a.pair[0]) + ", " + Str(a.pair[1]) + "]";
    case Kind::XColSource:
      return a.pixel ? Str(a.pixel->n) + "," + Str(a.pixel->c) + "," + Str(a.pixel->y) + "," + Str(a.pixel->x)
                     : "padding";
    case Kind::PixelCopies: {
      if (a.cells.empty()) return "none";
      std::string text = "[";
      for (size_t i = 0; i < a.cells.size(); ++i) {
        text += (i == 0 ? "[" : ", [") + Str(a.cells[i][0]) + ", " + Str(a.cells[i][1]) + "]";
      }
      return text + "]";
    }
    case Kind::OverlapCount: return Str(a.count);
    case Kind::YValue:
    case Kind::DxValue: return FormatValue(a.value);
  }
  return "";
}

// [SECTION] Progress

void PracticeProgress::Update(bool right) {
  ++asked;
  if (right) {
    ++score;
    ++streak;
    wrong_streak = 0;
    if (streak >= 3 && level < kLevelCount - 1) {
      ++level;
      streak = 0;
    }
  } else {
    streak = 0;
    ++wrong_streak;
    if (wrong_streak >= 2 && level > 0) {
      --level;
      wrong_streak = 0;
    }
  }
}

}  // namespace im2col::quiz
