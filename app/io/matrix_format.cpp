#include "io/matrix_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

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

// [SECTION] Labels and blocks --------------------------------------------------

std::vector<std::string> NumberedLabels(const std::string& prefix, Index count) {
  std::vector<std::string> labels;
  labels.reserve(static_cast<std::size_t>(count));
  for (Index i = 0; i < count; ++i) labels.push_back(prefix + "=" + std::to_string(i));
  return labels;
}

std::vector<std::string> PatchOffsetLabels(const Shape& s, Order order) {
  std::vector<std::string> labels;
  for (Index r = 0; r < s.PatchSize(); ++r) labels.push_back(RowLabel(s, order, r));
  return labels;
}

std::vector<std::string> PatchLabels(const Shape& s, Order order) {
  std::vector<std::string> labels;
  for (Index j = 0; j < s.ColumnCount(); ++j) labels.push_back(ColumnLabel(s, order, j));
  return labels;
}

std::string SizeText(Index rows, Index cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

// One block per (outer, inner) slice of a 4-D tensor, e.g. input[n=0,c=1] (rows y, columns x).
void AddTensorBlocks(const std::string& name, const Tensor4& t, const char* outer, const char* inner,
                     const char* row_axis, const char* column_axis, std::vector<LabelledMatrix>& blocks) {
  for (int a = 0; a < t.n; ++a) {
    for (int b = 0; b < t.c; ++b) {
      LabelledMatrix m;
      m.name = name + "[" + outer + "=" + std::to_string(a) + "," + inner + "=" + std::to_string(b) + "]";
      m.caption = SizeText(t.h, t.w) + ", rows " + row_axis + ", columns " + column_axis;
      m.row_labels = NumberedLabels(row_axis, t.h);
      m.column_labels = NumberedLabels(column_axis, t.w);
      m.values.resize(t.h, t.w);
      for (int y = 0; y < t.h; ++y)
        for (int x = 0; x < t.w; ++x) m.values(y, x) = t(a, b, y, x);
      blocks.push_back(std::move(m));
    }
  }
}

LabelledMatrix VectorBlock(const std::string& name, const std::vector<double>& values, const std::string& what) {
  LabelledMatrix m;
  m.name = name;
  m.caption = "F = " + std::to_string(values.size()) + ", " + what;
  m.row_labels = {name};  // names the row, so CSV and Markdown keep it too
  m.column_labels = NumberedLabels("f", static_cast<Index>(values.size()));
  m.values.resize(1, static_cast<Index>(values.size()));
  for (std::size_t f = 0; f < values.size(); ++f) m.values(0, static_cast<Index>(f)) = values[f];
  return m;
}

// [SECTION] Renderers ------------------------------------------------------------

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

std::string RenderText(const LabelledMatrix& m) {
  const Index rows = m.values.rows(), cols = m.values.cols();
  const bool has_row_labels = !m.row_labels.empty(), has_column_labels = !m.column_labels.empty();
  std::vector<std::vector<std::string>> cells(static_cast<std::size_t>(rows));
  std::size_t label_width = 0;
  for (const auto& label : m.row_labels) label_width = std::max(label_width, label.size());
  std::vector<std::size_t> widths(static_cast<std::size_t>(cols), 0);
  for (Index c = 0; c < cols && has_column_labels; ++c) widths[c] = m.column_labels[c].size();
  for (Index r = 0; r < rows; ++r) {
    for (Index c = 0; c < cols; ++c) {
      cells[r].push_back(FormatReadableNumber(m.values(r, c)));
      widths[c] = std::max(widths[c], cells[r].back().size());
    }
  }
  const auto pad_left = [](const std::string& s, std::size_t w) { return std::string(w - s.size(), ' ') + s; };
  const auto pad_right = [](const std::string& s, std::size_t w) { return s + std::string(w - s.size(), ' '); };

  std::string out;
  if (!m.name.empty()) out += m.name + (m.caption.empty() ? "" : "  (" + m.caption + ")") + "\n";
  if (has_column_labels) {
    std::string line = has_row_labels ? std::string(label_width, ' ') : std::string();
    for (Index c = 0; c < cols; ++c) line += (c > 0 || has_row_labels ? "  " : "") + pad_left(m.column_labels[c], widths[c]);
    out += line + "\n";
  }
  for (Index r = 0; r < rows; ++r) {
    std::string line = has_row_labels ? pad_right(m.row_labels[r], label_width) : std::string();
    for (Index c = 0; c < cols; ++c) line += (c > 0 || has_row_labels ? "  " : "") + pad_left(cells[r][c], widths[c]);
    out += line + "\n";
  }
  return out;
}

std::string RenderCsv(const LabelledMatrix& m) {
  const Index rows = m.values.rows(), cols = m.values.cols();
  const bool has_row_labels = !m.row_labels.empty(), has_column_labels = !m.column_labels.empty();
  std::string out;
  if (has_column_labels) {
    // The top-left cell names the matrix, so a file of several blocks stays readable.
    std::string line = has_row_labels ? CsvField(m.name) : std::string();
    for (Index c = 0; c < cols; ++c) line += (c > 0 || has_row_labels ? "," : "") + CsvField(m.column_labels[c]);
    out += line + "\n";
  }
  for (Index r = 0; r < rows; ++r) {
    std::string line = has_row_labels ? CsvField(m.row_labels[r]) : std::string();
    for (Index c = 0; c < cols; ++c) line += (c > 0 || has_row_labels ? "," : "") + FormatExactNumber(m.values(r, c));
    out += line + "\n";
  }
  return out;
}

std::string RenderLatex(const LabelledMatrix& m) {
  const Index rows = m.values.rows(), cols = m.values.cols();
  std::string out;
  if (!m.caption.empty()) out += "% " + m.name + ": " + m.caption + "\n";
  // amsmath's bmatrix allows 10 columns unless told otherwise.
  if (cols > 10) out += "\\setcounter{MaxMatrixCols}{" + std::to_string(cols) + "}\n";
  out += "\\[\n";
  if (!m.name.empty()) out += "\\mathrm{" + LatexEscape(m.name) + "} =\n";
  out += "\\begin{bmatrix}\n";
  for (Index r = 0; r < rows; ++r) {
    std::string line;
    for (Index c = 0; c < cols; ++c) line += (c > 0 ? " & " : "") + FormatReadableNumber(m.values(r, c));
    out += line + (r + 1 < rows ? " \\\\\n" : "\n");
  }
  out += "\\end{bmatrix}\n\\]\n";
  return out;
}

std::string RenderMarkdown(const LabelledMatrix& m) {
  const Index rows = m.values.rows(), cols = m.values.cols();
  const bool has_row_labels = !m.row_labels.empty();
  std::string out;
  if (!m.name.empty()) out += "**" + m.name + "**" + (m.caption.empty() ? "" : " (" + m.caption + ")") + "\n\n";
  // A Markdown table needs a header row: column labels, or column numbers.
  std::string header = has_row_labels ? "|   |" : "|";
  std::string rule = has_row_labels ? "|---|" : "|";
  for (Index c = 0; c < cols; ++c) {
    header += " " + (m.column_labels.empty() ? std::to_string(c) : m.column_labels[c]) + " |";
    rule += "---:|";
  }
  out += header + "\n" + rule + "\n";
  for (Index r = 0; r < rows; ++r) {
    std::string line = has_row_labels ? "| " + m.row_labels[r] + " |" : "|";
    for (Index c = 0; c < cols; ++c) line += " " + FormatReadableNumber(m.values(r, c)) + " |";
    out += line + "\n";
  }
  return out;
}

// [SECTION] Report header ---------------------------------------------------------

std::vector<std::string> HeaderLines(const Computation& c) {
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
                  (rows ? " (X_row = X_col^T is N*L x R = " + SizeText(s.ColumnCount(), s.PatchSize()) + ")"
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

void WriteMatrix(std::ostream& out, const Matrix& m) {  // row-major storage: rows are contiguous
  WriteNested(out, m.data(), {m.rows(), m.cols()}, 0, 2);
}

std::string PairArrayText(const Pair& p) { return "[" + std::to_string(p.h) + ", " + std::to_string(p.w) + "]"; }

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
  switch (format) {
    case TextFormat::Text: return RenderText(matrix);
    case TextFormat::Csv: return RenderCsv(matrix);
    case TextFormat::Latex: return RenderLatex(matrix);
    case TextFormat::Markdown: return RenderMarkdown(matrix);
  }
  return RenderText(matrix);
}

LabelledMatrix DisplayedMatrix(const Computation& c, MatrixId id) {
  const Shape& s = c.shape;
  const Order order = c.scenario.order;
  const bool transposed = s.op == Op::Transposed;
  // Transposed: W_row's rows are input channels, its columns (f,ky,kx); X_col's columns
  // are input pixels (n,iy,ix); x_mat is C x N*L.
  const char* weight_row = transposed ? "c" : "f";
  const std::string weight_rows_meaning = transposed ? "input channels c" : "filters f";
  const std::string offset_meaning = transposed ? "(f,ky,kx)" : "(c,ky,kx)";
  const std::string patch_meaning = transposed ? "(n,iy,ix)" : "(n,oy,ox)";
  const std::string weight_formula = transposed ? "C" : "F";
  LabelledMatrix m;
  m.name = ToString(id);
  m.values = DisplayMatrix(c, id);
  std::vector<std::string> rows, columns;
  std::string row_meaning, column_meaning, formula;
  if (id == MatrixId::WRow || id == MatrixId::GradWRow) {
    rows = NumberedLabels(weight_row, s.WeightRows());
    columns = PatchOffsetLabels(s, order);
    row_meaning = weight_rows_meaning, column_meaning = offset_meaning, formula = weight_formula + " x R";
  } else {
    const bool channel_rows = id == MatrixId::XMat;
    rows = HasPatchRows(id) ? PatchOffsetLabels(s, order)
                            : NumberedLabels(channel_rows ? "c" : "f", channel_rows ? s.channels : s.filters);
    columns = PatchLabels(s, order);
    row_meaning = HasPatchRows(id) ? offset_meaning : channel_rows ? "input channels c" : "filters f";
    column_meaning = patch_meaning;
    formula = HasPatchRows(id) ? "R x N*L" : channel_rows ? "C x N*L" : "F x N*L";
  }
  if (IsTransposedInLayout(id, c.scenario.layout)) {
    std::swap(rows, columns);
    std::swap(row_meaning, column_meaning);
    formula = HasPatchRows(id) ? "N*L x R" : id == MatrixId::XMat ? "N*L x C" : "N*L x F";
  }
  m.row_labels = std::move(rows);
  m.column_labels = std::move(columns);
  m.caption = formula + " = " + SizeText(m.values.rows(), m.values.cols()) +
              (IsTransposedInLayout(id, c.scenario.layout) ? " (transposed for the rows layout)" : "") + ", rows " +
              row_meaning + ", columns " + column_meaning;
  return m;
}

std::vector<LabelledMatrix> ComputationBlocks(const Computation& c) {
  const bool transposed = c.shape.op == Op::Transposed;
  // Weights are F x C/G x KH x KW, or C x F/G x KH x KW for transposed.
  const char* weight_outer = transposed ? "c" : "f";
  const char* weight_inner = transposed ? "f" : "c";
  std::vector<LabelledMatrix> blocks;
  AddTensorBlocks("input", c.input, "n", "c", "y", "x", blocks);
  AddTensorBlocks("weights", c.weights, weight_outer, weight_inner, "ky", "kx", blocks);
  blocks.push_back(VectorBlock("bias", c.bias, transposed ? "one per output channel" : "one per filter"));
  if (transposed) blocks.push_back(DisplayedMatrix(c, MatrixId::XMat));
  blocks.push_back(DisplayedMatrix(c, MatrixId::XCol));
  blocks.push_back(DisplayedMatrix(c, MatrixId::WRow));
  if (!transposed) blocks.push_back(DisplayedMatrix(c, MatrixId::YMat));
  AddTensorBlocks("output", c.output, "n", "f", "oy", "ox", blocks);
  AddTensorBlocks("grad_output", c.grad_output, "n", "f", "oy", "ox", blocks);
  blocks.push_back(DisplayedMatrix(c, MatrixId::GradXCol));
  AddTensorBlocks("grad_input", c.grad_input, "n", "c", "y", "x", blocks);
  AddTensorBlocks("grad_weights", c.grad_weights, weight_outer, weight_inner, "ky", "kx", blocks);
  blocks.push_back(VectorBlock("grad_bias", c.grad_bias, transposed ? "sums of dY per output channel" : "row sums of dY_mat"));

  LabelledMatrix overlap;
  overlap.name = "overlap";
  const int height = c.shape.ImageHeight(), width = c.shape.ImageWidth();
  overlap.caption = SizeText(height, width) + (transposed ? ", how many X_col cells land on each output pixel of one channel"
                                                          : ", how many X_col cells copy each pixel of one channel");
  overlap.row_labels = NumberedLabels(transposed ? "oy" : "y", height);
  overlap.column_labels = NumberedLabels(transposed ? "ox" : "x", width);
  overlap.values = c.overlap.cast<double>();
  blocks.push_back(std::move(overlap));
  return blocks;
}

std::string FormatComputation(const Computation& c, TextFormat format) {
  std::string out;
  const auto header = HeaderLines(c);
  for (const auto& line : header) {
    switch (format) {
      case TextFormat::Text: out += line + "\n"; break;
      case TextFormat::Latex: out += "% " + line + "\n"; break;
      case TextFormat::Markdown: out += (&line == &header.front() ? "## " + line : "- " + line) + "\n"; break;
      case TextFormat::Csv: break;  // CSV holds numbers only; each block's first cell names it
    }
  }
  bool first = format == TextFormat::Csv;
  for (const auto& block : ComputationBlocks(c)) {
    if (!first) out += "\n";
    first = false;
    out += FormatMatrix(block, format);
  }
  return out;
}

void WriteComputationJson(const Computation& c, std::ostream& out) {
  const Shape& s = c.shape;
  out << "{\n";
  out << "  \"shape\": {\"batch\": " << s.batch << ", \"channels\": " << s.channels << ", \"height\": " << s.height
      << ", \"width\": " << s.width << ", \"filters\": " << s.filters << ", \"kernel\": " << PairArrayText(s.kernel)
      << ", \"stride\": " << PairArrayText(s.stride) << ", \"padding\": " << PairArrayText(s.padding)
      << ", \"dilation\": " << PairArrayText(s.dilation) << ", \"groups\": " << s.groups << ", \"op\": \""
      << ToString(s.op) << "\"";
  if (s.op == Op::Transposed) out << ", \"output_padding\": " << PairArrayText(s.output_padding);
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
  const auto matrix = [&](const char* name, const Matrix& m, bool last) {
    out << "  \"" << name << "\": ";
    WriteMatrix(out, m);
    out << (last ? "\n" : ",\n");
  };
  tensor("input", c.input);
  tensor("weights", c.weights);
  list("bias", c.bias);
  const bool transposed = s.op == Op::Transposed;
  if (transposed) matrix("x_mat", DisplayMatrix(c, MatrixId::XMat), false);
  matrix("x_col", DisplayMatrix(c, MatrixId::XCol), false);
  matrix("w_row", DisplayMatrix(c, MatrixId::WRow), false);
  if (!transposed) matrix("y_mat", DisplayMatrix(c, MatrixId::YMat), false);
  tensor("output", c.output);
  tensor("grad_output", c.grad_output);
  matrix("grad_x_col", DisplayMatrix(c, MatrixId::GradXCol), false);
  tensor("grad_input", c.grad_input);
  tensor("grad_weights", c.grad_weights);
  list("grad_bias", c.grad_bias);
  matrix("overlap", c.overlap.cast<double>(), true);
  out << "}\n";
}

}  // namespace im2col::io
