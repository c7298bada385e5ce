// Matrix formats: numbers print as people expect, labels follow layout and order,
// and the JSON has exactly DESIGN's keys with the chapter's numbers.
#include "io/matrix_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace im2col::io {
namespace {

Scenario Smaller() {  // 3x3 ramp input 1..9, one 2x2 ramp filter 1..4
  Scenario sc;
  sc.shape.channels = 1;
  sc.shape.height = 3;
  sc.shape.width = 3;
  return sc;
}

TEST(NumberFormat, IntegersPrintWithoutDecimals) {
  EXPECT_EQ(FormatReadableNumber(47.0), "47");
  EXPECT_EQ(FormatReadableNumber(-3.0), "-3");
  EXPECT_EQ(FormatReadableNumber(-0.0), "0");
  EXPECT_EQ(FormatReadableNumber(1.0 / 3.0), "0.333333");
  EXPECT_EQ(FormatReadableNumber(123456.789), "123457");
  EXPECT_EQ(FormatReadableNumber(2.5e-7), "2.5e-07");
  EXPECT_EQ(FormatExactNumber(47.0), "47");
  EXPECT_EQ(FormatExactNumber(1e12), "1000000000000");
  EXPECT_EQ(FormatExactNumber(0.1), "0.1");
  EXPECT_EQ(FormatExactNumber(1.0 / 3.0), "0.3333333333333333");  // 16 digits suffice
  EXPECT_EQ(std::stod(FormatExactNumber(1.0 / 3.0)), 1.0 / 3.0);
  EXPECT_EQ(FormatExactNumber(std::nan("")), "null");
  EXPECT_EQ(FormatExactNumber(1e300), "1e+300");
  EXPECT_EQ(FormatExactNumber(0.1 + 0.2), "0.30000000000000004");  // needs all 17
}

TEST(FormatMatrix, AllFormatsOfALabelledMatrix) {
  LabelledMatrix m;
  m.name = "m_x";
  m.caption = "2 x 2";
  m.row_labels = {"a", "b,c"};
  m.column_labels = {"c0", "c1"};
  m.values.resize(2, 2);
  m.values << 1, 2.5, -3, 40;
  EXPECT_EQ(FormatMatrix(m, TextFormat::Text), "m_x  (2 x 2)\n     c0   c1\na     1  2.5\nb,c  -3   40\n");
  EXPECT_EQ(FormatMatrix(m, TextFormat::Csv), "m_x,c0,c1\na,1,2.5\n\"b,c\",-3,40\n");
  EXPECT_EQ(FormatMatrix(m, TextFormat::Markdown),
            "**m_x** (2 x 2)\n\n|   | c0 | c1 |\n|---|---:|---:|\n| a | 1 | 2.5 |\n| b,c | -3 | 40 |\n");
  EXPECT_EQ(FormatMatrix(m, TextFormat::Latex),
            "% m_x: 2 x 2\n\\[\n\\mathrm{m\\_x} =\n\\begin{bmatrix}\n1 & 2.5 \\\\\n-3 & 40\n\\end{bmatrix}\n\\]\n");
}

TEST(FormatMatrix, UnlabelledMatrixForExport) {
  LabelledMatrix m;
  m.values.resize(2, 3);
  m.values << 1, 2, 3, 4, 5, 6.25;
  EXPECT_EQ(FormatMatrix(m, TextFormat::Csv), "1,2,3\n4,5,6.25\n");
  EXPECT_EQ(FormatMatrix(m, TextFormat::Text), "1  2     3\n4  5  6.25\n");
  EXPECT_EQ(FormatMatrix(m, TextFormat::Markdown), "| 0 | 1 | 2 |\n|---:|---:|---:|\n| 1 | 2 | 3 |\n| 4 | 5 | 6.25 |\n");
  EXPECT_EQ(FormatMatrix(m, TextFormat::Latex), "\\[\n\\begin{bmatrix}\n1 & 2 & 3 \\\\\n4 & 5 & 6.25\n\\end{bmatrix}\n\\]\n");
  m.values = Matrix::Zero(1, 12);
  EXPECT_NE(FormatMatrix(m, TextFormat::Latex).find("\\setcounter{MaxMatrixCols}{12}"), std::string::npos);
}

TEST(DisplayedMatrix, LabelsFollowLayoutAndOrder) {
  Scenario sc = Smaller();
  const LabelledMatrix columns = DisplayedMatrix(Compute(sc), MatrixId::XCol);
  EXPECT_EQ(columns.row_labels, (std::vector<std::string>{"(0,0,0)", "(0,0,1)", "(0,1,0)", "(0,1,1)"}));
  EXPECT_EQ(columns.column_labels, (std::vector<std::string>{"(0,0,0)", "(0,0,1)", "(0,1,0)", "(0,1,1)"}));
  EXPECT_EQ(columns.values(0, 1), 2);  // X_col[(0,0,0), (0,0,1)] = x[0, 1]

  sc.layout = Layout::Rows;
  sc.shape.height = 4;  // 4x3 input: HO 3, WO 2, so rows and columns differ
  const Computation c = Compute(sc);
  const LabelledMatrix rows = DisplayedMatrix(c, MatrixId::XCol);
  EXPECT_EQ(rows.values.rows(), 6);
  EXPECT_EQ(rows.values.cols(), 4);
  EXPECT_EQ(rows.row_labels.size(), 6u);
  EXPECT_EQ(rows.row_labels[5], "(0,2,1)");
  EXPECT_EQ(rows.caption, "N*L x R = 6 x 4 (transposed for the rows layout), rows (n,oy,ox), columns (c,ky,kx)");
  const LabelledMatrix w = DisplayedMatrix(c, MatrixId::WRow);
  EXPECT_EQ(w.values.rows(), 1);
  EXPECT_EQ(w.row_labels, (std::vector<std::string>{"f=0"}));

  sc.layout = Layout::Columns;
  sc.order = Order::ColumnMajor;
  const LabelledMatrix column_major = DisplayedMatrix(Compute(sc), MatrixId::XCol);
  EXPECT_EQ(column_major.row_labels[1], "(0,1,0)");     // ky moves fastest
  EXPECT_EQ(column_major.column_labels[1], "(0,1,0)");  // oy moves fastest
}

TEST(DisplayedMatrix, StreamedFormatEqualsTheLabelledMatrixInEveryFormatAndLayout) {
  Scenario sc = Smaller();
  sc.shape.height = 4;
  for (Layout layout : {Layout::Columns, Layout::Rows}) {
    sc.layout = layout;
    const Computation c = Compute(sc);
    for (MatrixId id : {MatrixId::XCol, MatrixId::WRow, MatrixId::YMat, MatrixId::GradXCol, MatrixId::GradWRow,
                        MatrixId::DyMat}) {
      for (TextFormat f : {TextFormat::Text, TextFormat::Csv, TextFormat::Latex, TextFormat::Markdown})
        EXPECT_EQ(FormatDisplayedMatrix(c, id, f), FormatMatrix(DisplayedMatrix(c, id), f))
            << ToString(id) << " " << ToString(f) << " " << ToString(layout);
    }
  }
}

TEST(ComputationJson, HasDesignKeysAndTheChaptersNumbers) {
  std::ostringstream out;
  WriteComputationJson(Compute(Smaller()), out);
  const auto ordered = nlohmann::ordered_json::parse(out.str());
  const auto json = nlohmann::json::parse(out.str());
  std::vector<std::string> keys;
  for (auto it = ordered.begin(); it != ordered.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"shape", "layout", "order", "input", "weights", "bias", "x_col", "w_row",
                                            "y_mat", "output", "grad_output", "grad_x_col", "grad_input",
                                            "grad_weights", "grad_bias", "overlap"}));
  EXPECT_EQ(json["shape"]["kernel"], nlohmann::json::array({2, 2}));
  EXPECT_EQ(json["shape"]["out_height"], 2);
  EXPECT_EQ(json["x_col"], nlohmann::json::parse("[[1,2,4,5],[2,3,5,6],[4,5,7,8],[5,6,8,9]]"));
  EXPECT_EQ(json["y_mat"], nlohmann::json::parse("[[37,47,67,77]]"));
  EXPECT_EQ(json["output"], nlohmann::json::parse("[[[[37,47],[67,77]]]]"));
  EXPECT_EQ(json["input"], nlohmann::json::parse("[[[[1,2,3],[4,5,6],[7,8,9]]]]"));
  EXPECT_EQ(json["overlap"], nlohmann::json::parse("[[1,2,1],[2,4,2],[1,2,1]]"));
  EXPECT_EQ(json["grad_bias"], nlohmann::json::parse("[4]"));
  EXPECT_EQ(out.str().find(".0,"), std::string::npos) << "integers print without .0";
}

TEST(ComputationText, EveryFormatNamesEveryBlock) {
  const Computation c = Compute(Smaller());
  for (TextFormat f : {TextFormat::Text, TextFormat::Csv, TextFormat::Latex, TextFormat::Markdown}) {
    const std::string text = FormatComputation(c, f);
    for (const char* name : {"input", "x\\_col", "w\\_row", "y\\_mat", "grad\\_input", "overlap"}) {
      std::string plain = name;
      if (f != TextFormat::Latex) plain.erase(std::remove(plain.begin(), plain.end(), '\\'), plain.end());
      EXPECT_NE(text.find(plain), std::string::npos) << ToString(f) << " lacks " << plain;
    }
    EXPECT_EQ(ParseTextFormat(ToString(f)), f);
  }
  EXPECT_FALSE(ParseTextFormat("json").has_value());
}

// The header's transpose: the window's superscript in UTF-8 text, math-mode ^{\top} in
// LaTeX (valid wherever it is pasted), never the ASCII "^T".
TEST(ComputationText, TransposesUseEachFormatsNotation) {
  Scenario sc = Smaller();
  sc.layout = Layout::Rows;
  const Computation c = Compute(sc);
  for (TextFormat f : {TextFormat::Text, TextFormat::Markdown}) {
    const std::string text = FormatComputation(c, f);
    EXPECT_NE(text.find("X_row = X_col\u1D40 is N*L x R"), std::string::npos) << ToString(f);
    EXPECT_EQ(text.find("^T"), std::string::npos) << ToString(f);
  }
  const std::string latex = FormatComputation(c, TextFormat::Latex);
  EXPECT_NE(latex.find("% layout: rows (X_row = X_col^{\\top} is N*L x R"), std::string::npos) << latex;
  EXPECT_EQ(latex.find("\u1D40"), std::string::npos);
  EXPECT_EQ(latex.find("^T"), std::string::npos);
}

}  // namespace
}  // namespace im2col::io
