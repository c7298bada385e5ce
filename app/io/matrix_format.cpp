#include "io/matrix_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <sstream>

namespace im2col::io {

namespace {

// Below 2^53 every integer-valued double is exactly an integer we can print.
constexpr double kExactIntegerLimit = 9007199254740992.0;

bool IsPrintableInteger(double v) { return std::floor(v) == v && std::fabs(v) < kExactIntegerLimit; }

std::string IntegerText(double v) {
  if (v == 0.0) return "0";  // also -0.0: a student should not see "-0"
  return std::to_string(static_cast<long long>(v));
}

std::string Printf(const char* format, int precision, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, precision, v);
  return buffer;
}

// [SECTION] Views ---------------------------------------------------------------
//
// A matrix to print, read cell by cell: neither its numbers nor its labels are built
// up front, so printing a 1 GB computation needs no second copy of it (an X_col with
// 9 million columns would otherwise need 9 million label strings).

struct BlockView {
  std::string name;
  std::string caption;
  Index rows = 0, cols = 0;
  std::function<double(Index, Index)> value;
  std::function<std::string(Index)> row_label;     // empty: no row labels
  std::function<std::string(Index)> column_label;  // empty: no column labels
};

std::function<std::string(Index)> Numbered(const std::string& prefix) {
  return [prefix](Index i) { return prefix + "=" + std::to_string(i); };
}

std::function<std::string(Index)> FromList(const std::vector<std::string>& labels) {
  if (labels.empty()) return nullptr;
  return [&labels](Index i) { return labels[static_cast<std::size_t>(i)]; };
}

BlockView ViewOf(const LabelledMatrix& m) {
  BlockView view;
  view.name = m.name;
  view.caption = m.caption;
  view.rows = m.values.rows();
  view.cols = m.values.cols();
  view.value = [&m](Index r, Index c) { return m.values(r, c); };
  view.row_label = FromList(m.row_labels);
  view.column_label = FromList(m.column_labels);
  return view;
}

std::string SizeText(Index rows, Index cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

// One block per (outer, inner) slice of a 4-D tensor, e.g. input[n=0,c=1] (rows y, columns x).
template <typename Visit>
void VisitTensorBlocks(const std::string& name, const Tensor4& t, const char* outer, const char* inner,
                       const char* row_axis, const char* column_axis, Visit&& visit) {
  for (int a = 0; a < t.n; ++a) {
    for (int b = 0; b < t.c; ++b) {
      BlockView m;
      m.name = name + "[" + outer + "=" + std::to_string(a) + "," + inner + "=" + std::to_string(b) + "]";
      m.caption = SizeText(t.h, t.w) + ", rows " + row_axis + ", columns " + column_axis;
      m.rows = t.h;
      m.cols = t.w;
      m.value = [&t, a, b](Index y, Index x) { return t(a, b, static_cast<int>(y), static_cast<int>(x)); };
      m.row_label = Numbered(row_axis);
      m.column_label = Numbered(column_axis);
      visit(m);
    }
  }
}

BlockView VectorView(const std::string& name, const std::vector<double>& values, const std::string& what) {
  BlockView m;
  m.name = name;
  m.caption = "F = " + std::to_string(values.size()) + ", " + what;
  m.rows = 1;
  m.cols = static_cast<Index>(values.size());
  m.value = [&values](Index, Index f) { return values[static_cast<std::size_t>(f)]; };
  m.row_label = [name](Index) { return name; };  // names the row, so CSV and Markdown keep it too
  m.column_label = Numbered("f");
  return m;
}

// A matrix of the computation as displayed (transposed for the rows layout), with
// labels computed per index.
BlockView DisplayedView(const Computation& c, MatrixId id) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const Matrix& canonical = CanonicalMatrix(c, id);
  const bool transposed = IsTransposedInLayout(id, c.scenario.layout);
  BlockView m;
  m.name = ToString(id);
  m.rows = transposed ? canonical.cols() : canonical.rows();
  m.cols = transposed ? canonical.rows() : canonical.cols();
  if (transposed)
    m.value = [&canonical](Index r, Index col) { return canonical(col, r); };
  else
    m.value = [&canonical](Index r, Index col) { return canonical(r, col); };
  const auto patch_offsets = [s, order](Index r) { return RowLabel(s, order, r); };
  const auto patches = [s, order](Index j) { return ColumnLabel(s, order, j); };
  // Transposed conv: W_row's rows are input channels, its columns (f,ky,kx); X_col's
  // columns are input pixels (n,iy,ix); x_mat is C x N*L.
  const bool op_transposed = s.op == Op::Transposed;
  const std::string offset_meaning = op_transposed ? "(f,ky,kx)" : "(c,ky,kx)";
  const std::string patch_meaning = op_transposed ? "(n,iy,ix)" : "(n,oy,ox)";
  std::function<std::string(Index)> rows, columns;
  std::string row_meaning, column_meaning, formula;
  if (id == MatrixId::WRow || id == MatrixId::GradWRow) {
    rows = Numbered(op_transposed ? "c" : "f");
    columns = patch_offsets;
    row_meaning = op_transposed ? "input channels c" : "filters f";
    column_meaning = offset_meaning;
    formula = op_transposed ? "C x R" : "F x R";
  } else {
    const bool channel_rows = id == MatrixId::XMat;
    rows = HasPatchRows(id) ? std::function<std::string(Index)>(patch_offsets) : Numbered(channel_rows ? "c" : "f");
    columns = patches;
    row_meaning = HasPatchRows(id) ? offset_meaning : channel_rows ? "input channels c" : "filters f";
    column_meaning = patch_meaning;
    formula = HasPatchRows(id) ? "R x N*L" : channel_rows ? "C x N*L" : "F x N*L";
  }
  if (transposed) {
    std::swap(rows, columns);
    std::swap(row_meaning, column_meaning);
    formula = HasPatchRows(id) ? "N*L x R" : id == MatrixId::XMat ? "N*L x C" : "N*L x F";
  }
  m.row_label = std::move(rows);
  m.column_label = std::move(columns);
  m.caption = formula + " = " + SizeText(m.rows, m.cols) + (transposed ? " (transposed for the rows layout)" : "") +
              ", rows " + row_meaning + ", columns " + column_meaning;
  return m;
}

// Everything `compute` shows, in reading order: input, weights, bias, x_col, w_row,
// y_mat, output, grad_output, grad_x_col, grad_input, grad_weights, grad_bias, overlap.
template <typename Visit>
void VisitComputationBlocks(const Computation& c, Visit&& visit) {
  const bool transposed = c.shape.op == Op::Transposed;
  // Weights are F x C/G x KH x KW, or C x F/G x KH x KW for the transposed conv.
  const char* weight_outer = transposed ? "c" : "f";
  const char* weight_inner = transposed ? "f" : "c";
  VisitTensorBlocks("input", c.input, "n", "c", "y", "x", visit);
  VisitTensorBlocks("weights", c.weights, weight_outer, weight_inner, "ky", "kx", visit);
  visit(VectorView("bias", c.bias, transposed ? "one per output channel" : "one per filter"));
  if (transposed) visit(DisplayedView(c, MatrixId::XMat));
  visit(DisplayedView(c, MatrixId::XCol));
  visit(DisplayedView(c, MatrixId::WRow));
  if (!transposed) visit(DisplayedView(c, MatrixId::YMat));
  VisitTensorBlocks("output", c.output, "n", "f", "oy", "ox", visit);
  VisitTensorBlocks("grad_output", c.grad_output, "n", "f", "oy", "ox", visit);
  visit(DisplayedView(c, MatrixId::GradXCol));
  VisitTensorBlocks("grad_input", c.grad_input, "n", "c", "y", "x", visit);
  VisitTensorBlocks("grad_weights", c.grad_weights, weight_outer, weight_inner, "ky", "kx", visit);
  visit(VectorView("grad_bias", c.grad_bias, transposed ? "sums of dY per output channel" : "row sums of dY_mat"));

  BlockView overlap;
  overlap.name = "overlap";
  const int height = c.shape.ImageHeight(), width = c.shape.ImageWidth();
  overlap.caption = SizeText(height, width) + (transposed ? ", how many X_col cells land on each output pixel of one channel"
                                                          : ", how many X_col cells copy each pixel of one channel");
  overlap.rows = height;
  overlap.cols = width;
  overlap.value = [&c](Index y, Index x) { return static_cast<double>(c.overlap(y, x)); };
  overlap.row_label = Numbered(transposed ? "oy" : "y");
  overlap.column_label = Numbered(transposed ? "ox" : "x");
  visit(overlap);
}

// [SECTION] Renderers ------------------------------------------------------------
//
// Each writes straight to the stream, a cell at a time: no line or block is built in
// memory, however wide the matrix.

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

std::string LatexEscape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '_' || ch == '%' || ch == '&' || ch == '#' || ch == '$' || ch == '{' || ch == '}') out += '\\';
    out += ch;
  }
  return out;
}

void WriteSpaces(std::ostream& out, std::size_t count) {
  static const char kSpaces[] = "                                ";
  while (count > 0) {
    const std::size_t n = std::min(count, sizeof kSpaces - 1);
    out.write(kSpaces, static_cast<std::streamsize>(n));
    count -= n;
  }
}

void WritePadLeft(std::ostream& out, const std::string& text, std::size_t width) {
  WriteSpaces(out, width - text.size());
  out << text;
}

void RenderText(const BlockView& m, std::ostream& out) {
  const Index rows = m.rows, cols = m.cols;
  const bool has_row_labels = bool(m.row_label), has_column_labels = bool(m.column_label);
  // Pass 1 measures the columns (numbers are formatted twice rather than kept).
  std::size_t label_width = 0;
  for (Index r = 0; r < rows && has_row_labels; ++r) label_width = std::max(label_width, m.row_label(r).size());
  std::vector<std::uint32_t> widths(static_cast<std::size_t>(cols), 0);
  for (Index c = 0; c < cols && has_column_labels; ++c)
    widths[c] = static_cast<std::uint32_t>(m.column_label(c).size());
  for (Index r = 0; r < rows; ++r)
    for (Index c = 0; c < cols; ++c)
      widths[c] = std::max(widths[c], static_cast<std::uint32_t>(FormatReadableNumber(m.value(r, c)).size()));

  if (!m.name.empty()) out << m.name << (m.caption.empty() ? "" : "  (" + m.caption + ")") << "\n";
  if (has_column_labels) {
    if (has_row_labels) WriteSpaces(out, label_width);
    for (Index c = 0; c < cols; ++c) {
      if (c > 0 || has_row_labels) out << "  ";
      WritePadLeft(out, m.column_label(c), widths[c]);
    }
    out << "\n";
  }
  for (Index r = 0; r < rows; ++r) {
    if (has_row_labels) {
      const std::string label = m.row_label(r);
      out << label;
      WriteSpaces(out, label_width - label.size());
    }
    for (Index c = 0; c < cols; ++c) {
      if (c > 0 || has_row_labels) out << "  ";
      WritePadLeft(out, FormatReadableNumber(m.value(r, c)), widths[c]);
    }
    out << "\n";
  }
}

void RenderCsv(const BlockView& m, std::ostream& out) {
  const bool has_row_labels = bool(m.row_label), has_column_labels = bool(m.column_label);
  if (has_column_labels) {
    // The top-left cell names the matrix, so a file of several blocks stays readable.
    if (has_row_labels) out << CsvField(m.name);
    for (Index c = 0; c < m.cols; ++c) out << (c > 0 || has_row_labels ? "," : "") << CsvField(m.column_label(c));
    out << "\n";
  }
  for (Index r = 0; r < m.rows; ++r) {
    if (has_row_labels) out << CsvField(m.row_label(r));
    for (Index c = 0; c < m.cols; ++c) out << (c > 0 || has_row_labels ? "," : "") << FormatExactNumber(m.value(r, c));
    out << "\n";
  }
}

void RenderLatex(const BlockView& m, std::ostream& out) {
  if (!m.caption.empty()) out << "% " << m.name << ": " << m.caption << "\n";
  // amsmath's bmatrix allows 10 columns unless told otherwise.
  if (m.cols > 10) out << "\\setcounter{MaxMatrixCols}{" << m.cols << "}\n";
  out << "\\[\n";
  if (!m.name.empty()) out << "\\mathrm{" << LatexEscape(m.name) << "} =\n";
  out << "\\begin{bmatrix}\n";
  for (Index r = 0; r < m.rows; ++r) {
    for (Index c = 0; c < m.cols; ++c) out << (c > 0 ? " & " : "") << FormatReadableNumber(m.value(r, c));
    out << (r + 1 < m.rows ? " \\\\\n" : "\n");
  }
  out << "\\end{bmatrix}\n\\]\n";
}

void RenderMarkdown(const BlockView& m, std::ostream& out) {
  const bool has_row_labels = bool(m.row_label);
  if (!m.name.empty()) out << "**" << m.name << "**" << (m.caption.empty() ? "" : " (" + m.caption + ")") << "\n\n";
  // A Markdown table needs a header row: column labels, or column numbers.
  out << (has_row_labels ? "|   |" : "|");
  for (Index c = 0; c < m.cols; ++c)
    out << " " << (m.column_label ? m.column_label(c) : std::to_string(c)) << " |";
  out << "\n" << (has_row_labels ? "|---|" : "|");
  for (Index c = 0; c < m.cols; ++c) out << "---:|";
  out << "\n";
  for (Index r = 0; r < m.rows; ++r) {
    if (has_row_labels) out << "| " << m.row_label(r) << " |";
    else out << "|";
    for (Index c = 0; c < m.cols; ++c) out << " " << FormatReadableNumber(m.value(r, c)) << " |";
    out << "\n";
  }
}

void Render(const BlockView& m, TextFormat format, std::ostream& out) {
  switch (format) {
    case TextFormat::Text: return RenderText(m, out);
    case TextFormat::Csv: return RenderCsv(m, out);
    case TextFormat::Latex: return RenderLatex(m, out);
    case TextFormat::Markdown: return RenderMarkdown(m, out);
  }
}

// [SECTION] Report header ---------------------------------------------------------

// A transpose as each format writes it: UTF-8 text, Markdown and CSV the superscript
// "ᵀ" the window shows; LaTeX its math-mode ^{\top}, which compiles wherever it is pasted.
std::string TransposeMark(TextFormat format) { return format == TextFormat::Latex ? "^{\\top}" : "\u1D40"; }

std::vector<std::string> HeaderLines(const Computation& c, TextFormat format) {
  const Shape& s = c.shape;
  std::vector<std::string> lines;
  lines.push_back(c.scenario.title);
  lines.push_back("shape: N=" + std::to_string(s.batch) + " C=" + std::to_string(s.channels) +
                  " H=" + std::to_string(s.height) + " W=" + std::to_string(s.width) +
                  " F=" + std::to_string(s.filters) + ", kernel " + FormatPair(s.kernel) + ", stride " +
                  FormatPair(s.stride) + ", padding " + FormatPair(s.padding) + ", dilation " +
                  FormatPair(s.dilation) + (s.groups > 1 ? ", groups " + std::to_string(s.groups) : "") +
                  (s.op == Op::Transposed ? ", op transposed, output_padding " + FormatPair(s.output_padding) : ""));
  if (s.op == Op::Transposed) {
    lines.push_back("output: HO=" + std::to_string(s.OutHeight()) + " WO=" + std::to_string(s.OutWidth()) +
                    ", L=H*W=" + std::to_string(s.PatchCount()) + " input pixels per image, R=F*KH*KW=" +
                    std::to_string(s.PatchSize()) + " values each pixel scatters");
  } else {
    lines.push_back("output: HO=" + std::to_string(s.OutHeight()) + " WO=" + std::to_string(s.OutWidth()) +
                    ", L=HO*WO=" + std::to_string(s.PatchCount()) + " patches per image, R=C*KH*KW=" +
                    std::to_string(s.PatchSize()) + " values per patch");
  }
  const bool rows = c.scenario.layout == Layout::Rows;
  lines.push_back("layout: " + ToString(c.scenario.layout) +
                  (rows ? " (X_row = X_col" + TransposeMark(format) + " is N*L x R = " + SizeText(s.ColumnCount(), s.PatchSize()) + ")"
                        : " (X_col is R x N*L = " + SizeText(s.PatchSize(), s.ColumnCount()) + ")") +
                  ", order: " + ToString(c.scenario.order));
  for (const auto& note : s.Notes()) lines.push_back("note: " + note);
  return lines;
}

// [SECTION] JSON -------------------------------------------------------------------

void WriteNumbers(std::ostream& out, const double* values, Index count) {
  out << '[';
  for (Index i = 0; i < count; ++i) {
    if (i > 0) out << ", ";
    out << FormatExactNumber(values[i]);
  }
  out << ']';
}

void WriteIndent(std::ostream& out, int indent) {
  for (int i = 0; i < indent; ++i) out << ' ';
}

// Nested arrays over `dims` (outermost first); the innermost level is one line.
void WriteNested(std::ostream& out, const double* values, const std::vector<Index>& dims, std::size_t level,
                 int indent) {
  if (level + 1 == dims.size()) {
    WriteNumbers(out, values, dims[level]);
    return;
  }
  Index stride = 1;
  for (std::size_t d = level + 1; d < dims.size(); ++d) stride *= dims[d];
  out << "[\n";
  for (Index i = 0; i < dims[level]; ++i) {
    WriteIndent(out, indent + 2);
    WriteNested(out, values + i * stride, dims, level + 1, indent + 2);
    out << (i + 1 < dims[level] ? ",\n" : "\n");
  }
  WriteIndent(out, indent);
  out << ']';
}

void WriteTensor(std::ostream& out, const Tensor4& t) {
  WriteNested(out, t.data.data(), {t.n, t.c, t.h, t.w}, 0, 2);
}

// A displayed matrix as a list of rows, read through the view (no transposed copy).
void WriteMatrix(std::ostream& out, const BlockView& m) {
  out << "[\n";
  for (Index r = 0; r < m.rows; ++r) {
    WriteIndent(out, 4);
    out << '[';
    for (Index c = 0; c < m.cols; ++c) out << (c > 0 ? ", " : "") << FormatExactNumber(m.value(r, c));
    out << (r + 1 < m.rows ? "],\n" : "]\n");
  }
  WriteIndent(out, 2);
  out << ']';
}

std::string PairJsonText(const Pair& p) { return "[" + std::to_string(p.h) + ", " + std::to_string(p.w) + "]"; }

}  // namespace

// [SECTION] Public API ---------------------------------------------------------------

std::string ToString(TextFormat format) {
  switch (format) {
    case TextFormat::Text: return "text";
    case TextFormat::Csv: return "csv";
    case TextFormat::Latex: return "latex";
    case TextFormat::Markdown: return "markdown";
  }
  return "text";
}

std::optional<TextFormat> ParseTextFormat(const std::string& name) {
  for (TextFormat f : {TextFormat::Text, TextFormat::Csv, TextFormat::Latex, TextFormat::Markdown}) {
    if (ToString(f) == name) return f;
  }
  return std::nullopt;
}

std::string FormatReadableNumber(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  if (IsPrintableInteger(value)) return IntegerText(value);
  return Printf("%.*g", 6, value);
}

std::string FormatExactNumber(double value) {
  if (!std::isfinite(value)) return "null";
  if (IsPrintableInteger(value)) return IntegerText(value);
  // The shortest of 15..17 significant digits that reads back to the same double.
  for (int precision = 15; precision < 17; ++precision) {
    std::string text = Printf("%.*g", precision, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return Printf("%.*g", 17, value);
}

std::string FormatMatrix(const LabelledMatrix& matrix, TextFormat format) {
  std::ostringstream out;
  Render(ViewOf(matrix), format, out);
  return out.str();
}

LabelledMatrix DisplayedMatrix(const Computation& c, MatrixId id) {
  const BlockView view = DisplayedView(c, id);
  LabelledMatrix m;
  m.name = view.name;
  m.caption = view.caption;
  m.values = DisplayMatrix(c, id);
  for (Index r = 0; r < view.rows; ++r) m.row_labels.push_back(view.row_label(r));
  for (Index j = 0; j < view.cols; ++j) m.column_labels.push_back(view.column_label(j));
  return m;
}

void WriteDisplayedMatrix(const Computation& c, MatrixId id, TextFormat format, std::ostream& out) {
  Render(DisplayedView(c, id), format, out);
}

std::string FormatDisplayedMatrix(const Computation& c, MatrixId id, TextFormat format) {
  std::ostringstream out;
  WriteDisplayedMatrix(c, id, format, out);
  return out.str();
}

void WriteComputation(const Computation& c, TextFormat format, std::ostream& out) {
  const auto header = HeaderLines(c, format);
  for (const auto& line : header) {
    switch (format) {
      case TextFormat::Text: out << line << "\n"; break;
      case TextFormat::Latex: out << "% " << line << "\n"; break;
      case TextFormat::Markdown: out << (&line == &header.front() ? "## " + line : "- " + line) << "\n"; break;
      case TextFormat::Csv: break;  // CSV holds numbers only; each block's first cell names it
    }
  }
  bool first = format == TextFormat::Csv;
  VisitComputationBlocks(c, [&](const BlockView& block) {
    if (!first) out << "\n";
    first = false;
    Render(block, format, out);
  });
}

std::string FormatComputation(const Computation& c, TextFormat format) {
  std::ostringstream out;
  WriteComputation(c, format, out);
  return out.str();
}

void WriteComputationJson(const Computation& c, std::ostream& out) {
  const Shape& s = c.shape;
  out << "{\n";
  out << "  \"shape\": {\"batch\": " << s.batch << ", \"channels\": " << s.channels << ", \"height\": " << s.height
      << ", \"width\": " << s.width << ", \"filters\": " << s.filters << ", \"kernel\": " << PairJsonText(s.kernel)
      << ", \"stride\": " << PairJsonText(s.stride) << ", \"padding\": " << PairJsonText(s.padding)
      << ", \"dilation\": " << PairJsonText(s.dilation) << ", \"groups\": " << s.groups << ", \"op\": \""
      << ToString(s.op) << "\"";
  if (s.op == Op::Transposed) out << ", \"output_padding\": " << PairJsonText(s.output_padding);
  out << ", \"out_height\": " << s.OutHeight()
      << ", \"out_width\": " << s.OutWidth() << "},\n";
  out << "  \"layout\": \"" << ToString(c.scenario.layout) << "\",\n";
  out << "  \"order\": \"" << ToString(c.scenario.order) << "\",\n";
  // Each key on its own line, values as nested arrays; commas between fields.
  const auto tensor = [&](const char* name, const Tensor4& t) {
    out << "  \"" << name << "\": ";
    WriteTensor(out, t);
    out << ",\n";
  };
  const auto list = [&](const char* name, const std::vector<double>& v) {
    out << "  \"" << name << "\": ";
    WriteNumbers(out, v.data(), static_cast<Index>(v.size()));
    out << ",\n";
  };
  const auto matrix = [&](const char* name, const BlockView& m, bool last) {
    out << "  \"" << name << "\": ";
    WriteMatrix(out, m);
    out << (last ? "\n" : ",\n");
  };
  tensor("input", c.input);
  tensor("weights", c.weights);
  list("bias", c.bias);
  const bool transposed = s.op == Op::Transposed;
  if (transposed) matrix("x_mat", DisplayedView(c, MatrixId::XMat), false);
  matrix("x_col", DisplayedView(c, MatrixId::XCol), false);
  matrix("w_row", DisplayedView(c, MatrixId::WRow), false);
  if (!transposed) matrix("y_mat", DisplayedView(c, MatrixId::YMat), false);
  tensor("output", c.output);
  tensor("grad_output", c.grad_output);
  matrix("grad_x_col", DisplayedView(c, MatrixId::GradXCol), false);
  tensor("grad_input", c.grad_input);
  tensor("grad_weights", c.grad_weights);
  list("grad_bias", c.grad_bias);
  BlockView overlap;  // H x W, or HO x WO for the transposed conv
  overlap.rows = c.overlap.rows();
  overlap.cols = c.overlap.cols();
  overlap.value = [&c](Index y, Index x) { return static_cast<double>(c.overlap(y, x)); };
  matrix("overlap", overlap, true);
  out << "}\n";
}

}  // namespace im2col::io
