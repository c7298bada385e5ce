// Matrix export (io/matrix_format.h) as another program would read it: CSV parses
// back to exactly the displayed matrix and its labels; LaTeX is a bmatrix with
// one `\\` between rows and `&` between cells, in the right counts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "im2col/convolution.h"
#include "io/matrix_format.h"

namespace {

using namespace im2col;
using namespace im2col::io;

// RFC 4180 fields: quoted fields may hold commas, quotes ("") and newlines.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      quoted = true;
      field_started = true;
    } else if (ch == ',') {
      row.push_back(field);
      field.clear();
      field_started = true;
    } else if (ch == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      field_started = false;
    } else {
      field += ch;
      field_started = true;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  if (field_started) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

double ParseNumber(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  EXPECT_TRUE(!text.empty() && *end == '\0') << "not a number: '" << text << "'";
  return value;
}

// Batch 2, non-square everything, rows layout, column-major order, and values
// that are not integers (so the CSV must really round-trip doubles).
Computation AwkwardComputation() {
  Scenario sc;
  sc.shape.batch = 2;
  sc.shape.channels = 2;
  sc.shape.height = 5;
  sc.shape.width = 4;
  sc.shape.filters = 3;
  sc.shape.kernel = {2, 3};
  sc.shape.stride = {2, 1};
  sc.shape.padding = {1, 1};
  sc.layout = Layout::Rows;
  sc.order = Order::ColumnMajor;
  sc.input.values.resize(static_cast<std::size_t>(TensorSize(sc.shape, TensorRole::Input)));
  for (std::size_t i = 0; i < sc.input.values.size(); ++i)
    sc.input.values[i] = (double(i) - 17.0) / 3.0 + (i % 5 == 0 ? 1e-9 : 0.0);
  sc.weights.fill = Fill::Random;
  sc.bias.values = {0.1, -2.5, 1e6};
  return Compute(sc);
}

const MatrixId kAllMatrices[] = {MatrixId::XCol,     MatrixId::WRow,     MatrixId::YMat,
                                 MatrixId::GradXCol, MatrixId::GradWRow, MatrixId::DyMat};

TEST(MatrixExport, CsvWithLabelsParsesBackToTheDisplayedMatrix) {
  const Computation c = AwkwardComputation();
  for (MatrixId id : kAllMatrices) {
    SCOPED_TRACE(ToString(id));
    const LabelledMatrix labelled = DisplayedMatrix(c, id);
    const Matrix expected = DisplayMatrix(c, id);
    ASSERT_EQ(labelled.values.rows(), expected.rows());
    ASSERT_EQ(labelled.row_labels.size(), std::size_t(expected.rows()));
    ASSERT_EQ(labelled.column_labels.size(), std::size_t(expected.cols()));

    const auto csv = ParseCsv(FormatMatrix(labelled, TextFormat::Csv));
    ASSERT_EQ(csv.size(), std::size_t(expected.rows()) + 1);  // a header row of column labels
    ASSERT_EQ(csv[0].size(), std::size_t(expected.cols()) + 1);
    for (Index j = 0; j < expected.cols(); ++j) EXPECT_EQ(csv[0][std::size_t(j) + 1], labelled.column_labels[j]);
    for (Index r = 0; r < expected.rows(); ++r) {
      const auto& row = csv[std::size_t(r) + 1];
      ASSERT_EQ(row.size(), std::size_t(expected.cols()) + 1);
      EXPECT_EQ(row[0], labelled.row_labels[std::size_t(r)]);
      for (Index j = 0; j < expected.cols(); ++j)
        ASSERT_EQ(ParseNumber(row[std::size_t(j) + 1]), expected(r, j)) << "cell (" << r << ", " << j << ")";
    }
  }
}

TEST(MatrixExport, CsvWithoutLabelsIsJustTheNumbers) {
  LabelledMatrix plain;
  plain.values = Matrix(2, 3);
  plain.values << 1.0 / 3.0, -0.0, 1e-300, 123456789012.0, -7.5, 0.1;
  const auto csv = ParseCsv(FormatMatrix(plain, TextFormat::Csv));
  ASSERT_EQ(csv.size(), 2u);
  for (Index r = 0; r < 2; ++r) {
    ASSERT_EQ(csv[std::size_t(r)].size(), 3u);
    for (Index j = 0; j < 3; ++j) EXPECT_EQ(ParseNumber(csv[std::size_t(r)][std::size_t(j)]), plain.values(r, j));
  }
  EXPECT_EQ(csv[1][0], "123456789012");  // integers stay integers
}

TEST(MatrixExport, CsvQuotesLabelsThatNeedIt) {
  LabelledMatrix m;
  m.name = "x_col";
  m.values = Matrix::Constant(2, 2, 4.0);
  m.row_labels = {"(0,0,1)", "say \"hi\""};
  m.column_labels = {"a,b", "plain"};
  const auto csv = ParseCsv(FormatMatrix(m, TextFormat::Csv));
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(csv[0], (std::vector<std::string>{"x_col", "a,b", "plain"}));
  EXPECT_EQ(csv[1], (std::vector<std::string>{"(0,0,1)", "4", "4"}));
  EXPECT_EQ(csv[2], (std::vector<std::string>{"say \"hi\"", "4", "4"}));
}

struct LatexBody {
  std::vector<std::string> rows;  // the lines between \begin{bmatrix} and \end{bmatrix}
  bool sets_max_cols = false;
};

LatexBody ParseLatex(const std::string& text) {
  LatexBody body;
  const std::string begin = "\\begin{bmatrix}\n", end = "\\end{bmatrix}";
  const auto b = text.find(begin), e = text.find(end);
  EXPECT_NE(b, std::string::npos) << text;
  EXPECT_NE(e, std::string::npos) << text;
  EXPECT_EQ(text.find(begin, b + 1), std::string::npos) << "one bmatrix";
  body.sets_max_cols = text.find("\\setcounter{MaxMatrixCols}") != std::string::npos;
  if (b == std::string::npos || e == std::string::npos || e < b) return body;
  std::istringstream lines(text.substr(b + begin.size(), e - b - begin.size()));
  for (std::string line; std::getline(lines, line);) body.rows.push_back(line);
  return body;
}

std::vector<std::string> SplitCells(const std::string& row) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (std::size_t amp; (amp = row.find(" & ", start)) != std::string::npos; start = amp + 3)
    cells.push_back(row.substr(start, amp - start));
  cells.push_back(row.substr(start));
  return cells;
}

TEST(MatrixExport, LatexIsABmatrixWithTheRightCounts) {
  const Computation c = AwkwardComputation();
  for (MatrixId id : kAllMatrices) {
    SCOPED_TRACE(ToString(id));
    const LabelledMatrix labelled = DisplayedMatrix(c, id);
    const Matrix& values = labelled.values;
    const std::string latex = FormatMatrix(labelled, TextFormat::Latex);
    const LatexBody body = ParseLatex(latex);
    ASSERT_EQ(body.rows.size(), std::size_t(values.rows()));
    EXPECT_EQ(body.sets_max_cols, values.cols() > 10);  // amsmath stops at 10 columns otherwise
    for (Index r = 0; r < values.rows(); ++r) {
      std::string row = body.rows[std::size_t(r)];
      const bool last = r + 1 == values.rows();
      const std::string separator = " \\\\";
      const bool has_separator = row.size() >= separator.size() &&
                                 row.compare(row.size() - separator.size(), separator.size(), separator) == 0;
      EXPECT_EQ(has_separator, !last) << "row " << r << ": " << row;
      if (has_separator) row.resize(row.size() - separator.size());
      const auto cells = SplitCells(row);
      ASSERT_EQ(cells.size(), std::size_t(values.cols())) << row;
      for (Index j = 0; j < values.cols(); ++j)
        EXPECT_EQ(cells[std::size_t(j)], FormatReadableNumber(values(r, j))) << "cell (" << r << ", " << j << ")";
    }
    // Every `&` and `\\` in the body is one of those counted above.
    std::size_t ampersands = 0, breaks = 0;
    for (const auto& line : body.rows) {
      for (char ch : line) ampersands += ch == '&';
      for (std::size_t p = 0; (p = line.find("\\\\", p)) != std::string::npos; p += 2) ++breaks;
    }
    EXPECT_EQ(ampersands, std::size_t(values.rows() * (values.cols() - 1)));
    EXPECT_EQ(breaks, std::size_t(values.rows() - 1));
  }
}

TEST(MatrixExport, LatexOfTheChapterExampleShowsItsNumbers) {
  const Computation c = Compute(Scenario{});
  const std::string latex = FormatMatrix(DisplayedMatrix(c, MatrixId::XCol), TextFormat::Latex);
  const LatexBody body = ParseLatex(latex);
  ASSERT_EQ(body.rows.size(), 12u);  // X_col is 12 x 9
  // Row 0 is (c=0, ky=0, kx=0): the top-left pixel of each 2x2 window of 1..16.
  EXPECT_EQ(body.rows[0], "1 & 2 & 3 & 5 & 6 & 7 & 9 & 10 & 11 \\\\");
  EXPECT_EQ(SplitCells(body.rows[11]).size(), 9u);
}

}  // namespace
