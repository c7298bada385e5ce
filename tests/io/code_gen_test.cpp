// The generated scripts' structure. Running them (NumPy, PyTorch, Octave when
// installed) and comparing their numbers with `compute --format json` is done
// by run_generated_code.py; these tests check what holds without an interpreter.
#include "io/code_gen.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "io/matrix_format.h"

namespace {

using namespace im2col;
using namespace im2col::io;

Scenario OddScenario() {
  Scenario sc;
  sc.title = "Odd: two lines\nin the title";
  sc.shape.batch = 2;
  sc.shape.channels = 2;
  sc.shape.height = 5;
  sc.shape.width = 7;
  sc.shape.filters = 3;
  sc.shape.kernel = {3, 2};
  sc.shape.stride = {2, 1};
  sc.shape.padding = {1, 2};
  sc.shape.dilation = {1, 2};
  sc.layout = Layout::Rows;
  sc.order = Order::ColumnMajor;
  sc.input.fill = Fill::Random;
  sc.weights.fill = Fill::Random;
  sc.bias.values = {0.25, -1.0 / 3.0, 7.0};
  sc.grad_output.fill = Fill::Random;
  sc.seed = 11;
  return sc;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Trimmed(const std::string& line) {
  const auto begin = line.find_first_not_of(' ');
  return begin == std::string::npos ? std::string() : line.substr(begin);
}

bool StartsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

std::size_t CountLinesStartingWith(const std::vector<std::string>& lines, const std::string& prefix) {
  std::size_t count = 0;
  for (const auto& line : lines) count += StartsWith(Trimmed(line), prefix);
  return count;
}

TEST(CodeGen, LanguageNamesRoundTrip) {
  for (const std::string& name : CodeLanguageNames()) {
    const auto language = ParseCodeLanguage(name);
    ASSERT_TRUE(language.has_value()) << name;
    EXPECT_EQ(ToString(*language), name);
  }
  EXPECT_FALSE(ParseCodeLanguage("matlab").has_value());
  EXPECT_FALSE(ParseCodeLanguage("NumPy").has_value());
  EXPECT_FALSE(ParseCodeLanguage("").has_value());
}

TEST(CodeGen, PythonScriptsCarryTheScenario) {
  const Computation c = Compute(OddScenario());
  for (CodeLanguage language : {CodeLanguage::NumPy, CodeLanguage::PyTorch}) {
    SCOPED_TRACE(ToString(language));
    const std::string script = GenerateCode(c, language, "im2col-lab code --lang x");
    const auto lines = Lines(script);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], "#!/usr/bin/env python3");
    EXPECT_EQ(script.back(), '\n');
    // The title's newline must not break out of the comment.
    for (const auto& line : lines) {
      if (line.find("in the title") != std::string::npos) {
        EXPECT_TRUE(StartsWith(line, "# ")) << line;
      }
    }
    EXPECT_NE(script.find("im2col-lab code --lang x"), std::string::npos);
    EXPECT_NE(script.find("N, C, H, W = 2, 2, 5, 7  #"), std::string::npos);
    EXPECT_NE(script.find("F = 3 "), std::string::npos);
    EXPECT_NE(script.find("KH, KW = 3, 2 "), std::string::npos);
    EXPECT_NE(script.find("SH, SW = 2, 1 "), std::string::npos);
    EXPECT_NE(script.find("PH, PW = 1, 2 "), std::string::npos);
    EXPECT_NE(script.find("DH, DW = 1, 2 "), std::string::npos);
    EXPECT_NE(script.find("LAYOUT = \"rows\""), std::string::npos);
    EXPECT_NE(script.find("ORDER = \"column-major\""), std::string::npos);
    EXPECT_NE(script.find("print(\"JSON: \" + json.dumps("), std::string::npos);
    // The bias, exactly (1/3 needs all its digits to round-trip).
    EXPECT_NE(script.find("bias = "), std::string::npos);
    EXPECT_NE(script.find("[0.25, " + FormatExactNumber(-1.0 / 3.0) + ", 7]"), std::string::npos);
    // Every input row appears as one literal line, in order.
    std::size_t at = 0;
    for (int n = 0; n < c.input.n; ++n)
      for (int ch = 0; ch < c.input.c; ++ch)
        for (int y = 0; y < c.input.h; ++y) {
          std::string row = "[";
          for (int x = 0; x < c.input.w; ++x) row += (x ? ", " : "") + FormatExactNumber(c.input(n, ch, y, x));
          at = script.find(row + "],", at);
          ASSERT_NE(at, std::string::npos) << "input row n=" << n << " c=" << ch << " y=" << y << ": " << row;
        }
  }
}

TEST(CodeGen, PyTorchUsesUnfoldFoldAndChecksAgainstConv2d) {
  const std::string script = GenerateCode(Compute(OddScenario()), CodeLanguage::PyTorch);
  for (const char* needle : {"nnf.unfold(", "nnf.fold(", "nnf.conv2d(", ".backward(grad_output)", "torch.allclose("})
    EXPECT_NE(script.find(needle), std::string::npos) << needle;
}

TEST(CodeGen, NumPyHasExplicitIm2colLoopsAndADirectCheck) {
  const std::string script = GenerateCode(Compute(OddScenario()), CodeLanguage::NumPy);
  for (const char* needle : {"def im2col(", "def col2im(", "def row_index(", "def column_index(",
                             "image[n, c, y, x] += ", "def direct_convolution(", "np.allclose("})
    EXPECT_NE(script.find(needle), std::string::npos) << needle;
}

// Octave's block keywords must pair up, and the tensors must be assigned with the
// right slice sizes; nobody may have Octave installed to notice otherwise.
TEST(CodeGen, OctaveScriptIsWellFormed) {
  const Computation c = Compute(OddScenario());
  const std::string script = GenerateCode(c, CodeLanguage::Octave, "im2col-lab code --lang octave");
  const auto lines = Lines(script);
  EXPECT_EQ(script.back(), '\n');

  // Comments first, then `1;` so the file is a script that may define functions.
  std::size_t first_code = 0;
  while (first_code < lines.size() && (lines[first_code].empty() || StartsWith(lines[first_code], "%")))
    ++first_code;
  ASSERT_LT(first_code, lines.size());
  EXPECT_TRUE(StartsWith(lines[first_code], "1;")) << lines[first_code];

  EXPECT_EQ(CountLinesStartingWith(lines, "function "), CountLinesStartingWith(lines, "endfunction"));
  EXPECT_EQ(CountLinesStartingWith(lines, "for "), CountLinesStartingWith(lines, "endfor"));
  EXPECT_EQ(CountLinesStartingWith(lines, "if "), CountLinesStartingWith(lines, "endif"));
  EXPECT_EQ(CountLinesStartingWith(lines, "function "), 11u);
  for (const char* name : {"row_index", "column_index", "im2col", "col2im", "flatten_filters", "to_tensor",
                           "to_matrix", "json_matrix", "json_tensor4"})
    EXPECT_NE(script.find(std::string(" = ") + name + "("), std::string::npos) << name;

  // Functions are defined before the script code that calls them.
  const auto last_function_end = script.rfind("endfunction");
  EXPECT_LT(last_function_end, script.find("x_col = im2col(s, inputs);"));

  // Brackets and parentheses balance outside comments and strings.
  int brackets = 0, parens = 0;
  for (const auto& line : lines) {
    bool in_string = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char ch = line[i];
      if (in_string) {
        if (ch != '\'') continue;
        if (i + 1 < line.size() && line[i + 1] == '\'') {  // '' is a quote inside a string
          ++i;
          continue;
        }
        in_string = false;
        continue;
      }
      // A quote opens a string after these; elsewhere (x_col') it transposes.
      if (ch == '\'' && (i == 0 || std::string("=(,[ ").find(line[i - 1]) != std::string::npos)) {
        in_string = true;
        continue;
      }
      if (ch == '%') break;
      brackets += (ch == '[') - (ch == ']');
      parens += (ch == '(') - (ch == ')');
    }
    EXPECT_FALSE(in_string) << line;
  }
  EXPECT_EQ(brackets, 0);
  EXPECT_EQ(parens, 0);

  // Scenario values and one reshape per (outer, inner) slice with that slice's size.
  EXPECT_NE(script.find("s.N = 2; s.C = 2; s.H = 5; s.W = 7;"), std::string::npos);
  EXPECT_NE(script.find("s.KH = 3; s.KW = 2;"), std::string::npos);
  EXPECT_NE(script.find("s.PH = 1; s.PW = 2;"), std::string::npos);
  EXPECT_NE(script.find("s.layout = 'rows';"), std::string::npos);
  EXPECT_NE(script.find("s.order = 'column-major';"), std::string::npos);
  const std::regex slice(R"(^(\w+)\((\d+), (\d+), :, :\) = reshape\(\[$)");
  const std::regex slice_end(R"(^\], 1, 1, (\d+), (\d+)\);$)");
  int inputs = 0, weights = 0, grads = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, slice)) continue;
    const std::string name = m[1];
    const Tensor4& t = name == "inputs" ? c.input : name == "weights" ? c.weights : c.grad_output;
    inputs += name == "inputs", weights += name == "weights", grads += name == "grad_output";
    // The rows follow, one line each with t.w comma-separated numbers.
    for (int y = 0; y < t.h; ++y) {
      const std::string& row = lines[i + 1 + std::size_t(y)];
      EXPECT_EQ(std::count(row.begin(), row.end(), ','), t.w - 1) << row;
      EXPECT_EQ(Trimmed(row).substr(0, FormatExactNumber(t(std::stoi(m[2]) - 1, std::stoi(m[3]) - 1, y, 0)).size()),
                FormatExactNumber(t(std::stoi(m[2]) - 1, std::stoi(m[3]) - 1, y, 0)));
    }
    std::smatch end;
    ASSERT_TRUE(std::regex_match(lines[i + 1 + std::size_t(t.h)], end, slice_end)) << lines[i + 1 + std::size_t(t.h)];
    EXPECT_EQ(std::stoi(end[1]), t.h);
    EXPECT_EQ(std::stoi(end[2]), t.w);
  }
  EXPECT_EQ(inputs, 2 * 2);   // N x C slices
  EXPECT_EQ(weights, 3 * 2);  // F x C
  EXPECT_EQ(grads, 2 * 3);    // N x F
  EXPECT_NE(script.find("printf('JSON: {\"layout\""), std::string::npos);
  for (const char* key : {"x_col", "w_row", "y_mat", "output", "grad_x_col", "grad_input", "grad_weights",
                          "grad_bias"})
    EXPECT_NE(script.find(std::string("\"") + key + "\": %s"), std::string::npos) << key;
}

TEST(CodeGen, NotesAboutUnvisitedRowsBecomeComments) {
  Scenario sc;
  sc.shape.height = 6;
  sc.shape.width = 6;
  sc.shape.kernel = {3, 3};
  sc.shape.stride = {2, 2};  // (6 - 3) / 2 leaves the last row and column unvisited
  const Computation c = Compute(sc);
  ASSERT_FALSE(c.shape.Notes().empty());
  for (CodeLanguage language : {CodeLanguage::NumPy, CodeLanguage::Octave}) {
    const std::string comment = language == CodeLanguage::Octave ? "% Note: " : "# Note: ";
    EXPECT_NE(GenerateCode(c, language).find(comment), std::string::npos) << ToString(language);
  }
}

// One notation for a transpose everywhere a person reads it: the window's superscript.
TEST(CodeGen, CommentsWriteTransposesAsTheWindowDoes) {
  Scenario transposed = OddScenario();
  transposed.shape.op = Op::Transposed;
  transposed.shape.dilation = {1, 1};
  transposed.shape.padding = {0, 0};
  ASSERT_TRUE(transposed.shape.IsValid());
  for (const Scenario& sc : {OddScenario(), transposed}) {
    const Computation c = Compute(sc);
    for (const std::string& name : CodeLanguageNames()) {
      const std::string script = GenerateCode(c, *ParseCodeLanguage(name));
      SCOPED_TRACE(name + " " + ToString(sc.shape.op));
      EXPECT_EQ(script.find("^T"), std::string::npos);
      EXPECT_NE(script.find("X_col\u1D40"), std::string::npos);
    }
  }
}

}  // namespace
