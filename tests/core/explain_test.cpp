// The explanation panel's sentences (core/src/explain.cpp): they must carry the
// numbers of the step they describe, worked out here by hand for the chapter example.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "im2col/timeline.h"

namespace {

using im2col::Computation;
using im2col::Index;
using im2col::Phase;
using im2col::Scenario;
using im2col::Timeline;

std::string ExplainStep(const Computation& c, Index step) {
  return im2col::Explain(c, im2col::StateAt(c, Timeline(c.shape), step));
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ExplainTest, EveryStepHasTwoOrThreePlainSentences) {
  for (auto layout : {im2col::Layout::Columns, im2col::Layout::Rows}) {
    Scenario sc;
    sc.layout = layout;
    sc.shape.padding = {1, 0};  // some padding cells too
    const Computation c = im2col::Compute(sc);
    const Timeline t(c.shape);
    for (Index s = 0; s < t.StepCount(); ++s) {
      const std::string text = im2col::Explain(c, im2col::StateAt(c, t, s));
      int sentences = 0;
      for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '.' && (i + 1 == text.size() || text[i + 1] == ' ')) ++sentences;
      EXPECT_GE(sentences, 1) << "step " << s << ": " << text;
      EXPECT_LE(sentences, 4) << "step " << s << ": " << text;
      EXPECT_LT(text.size(), 400u) << "step " << s << ": " << text;
    }
  }
}

TEST(ExplainTest, ExtractNamesThePixelItsValueAndItsCopies) {
  const Computation c = im2col::Compute(Scenario{});  // ramp 4x4x3
  // Step 3 is X_col(3, 0): (c,ky,kx) = (0,1,1) of window (0,0) -> x[0,0,1,1] = 6, copied 4 times.
  // Batch 1 still writes all four indices x[n,c,y,x], as the step label and the hover badge do.
  const std::string text = ExplainStep(c, 3);
  EXPECT_TRUE(Has(text, "copy x[0,0,1,1] = 6")) << text;
  EXPECT_TRUE(Has(text, "= 6")) << text;
  EXPECT_TRUE(Has(text, "4")) << text;
  Scenario padded;
  padded.shape.padding = {1, 1};
  const Computation p = im2col::Compute(padded);
  EXPECT_TRUE(Has(ExplainStep(p, 0), "padding")) << ExplainStep(p, 0);  // window (0,0) tap (0,0) is padding
}

TEST(ExplainTest, MultiplyAndGradientStepsCarryTheirResults) {
  const Computation c = im2col::Compute(Scenario{});
  const Timeline t(c.shape);
  // Y(0,0) = 1*1 + 2*2 + 3*5 + 4*6 + 5*17 + 6*18 + 7*21 + 8*22 + 9*33 + 10*34 + 11*37 + 12*38 = 2060.
  const std::string multiply = ExplainStep(c, t.PhaseBegin(Phase::Multiply));
  EXPECT_TRUE(Has(multiply, "2060")) << multiply;
  // dW_row(0,0) = sum of the first X_col row (dY = 1) = 1+2+3+5+6+7+9+10+11 = 54; db = 9.
  const std::string grad_w = ExplainStep(c, t.PhaseBegin(Phase::GradWeights));
  EXPECT_TRUE(Has(grad_w, "54")) << grad_w;
  EXPECT_TRUE(Has(grad_w, "9")) << grad_w;
  // The chapter example's centre pixels are copied 4 times.
  const std::string col2im = ExplainStep(c, t.PhaseBegin(Phase::Col2im));
  EXPECT_TRUE(Has(col2im, "4")) << col2im;
  Scenario disjoint;
  disjoint.shape.stride = {2, 2};
  const Computation d = im2col::Compute(disjoint);
  EXPECT_NE(ExplainStep(d, Timeline(d.shape).PhaseBegin(Phase::Col2im)), col2im);
}

TEST(ExplainTest, RowsLayoutTalksAboutXRow) {
  Scenario sc;
  sc.layout = im2col::Layout::Rows;
  const Computation c = im2col::Compute(sc);
  EXPECT_TRUE(Has(ExplainStep(c, 0), "X_row")) << ExplainStep(c, 0);
  EXPECT_TRUE(Has(ExplainStep(c, 0), "into one row")) << ExplainStep(c, 0);
  // Backward, the rows layout's matrix is dX_row: no step of it says dX_col or X_col^T.
  const Timeline t(c.shape);
  for (Phase p : {Phase::Multiply, Phase::GradXCol, Phase::Col2im}) {
    const std::string text = ExplainStep(c, t.PhaseBegin(p));
    EXPECT_FALSE(Has(text, "dX_col")) << text;
    EXPECT_FALSE(Has(text, "^T")) << text;
    EXPECT_FALSE(Has(text, " . ")) << text;
  }
  EXPECT_TRUE(Has(ExplainStep(c, t.PhaseBegin(Phase::Col2im)), "dX_row")) << ExplainStep(c, t.PhaseBegin(Phase::Col2im));
  const std::string label = im2col::StepLabel(c, t.At(t.PhaseBegin(Phase::GradXCol)));
  EXPECT_EQ(label.find("dX_col"), std::string::npos) << label;
}

}  // namespace

namespace {

// Transposed col2im: a checkerboard only when the kernel is not a multiple of the stride.
TEST(ExplainTest, TransposedCol2imSaysCheckerboardOnlyForAnUnevenKernel) {
  Scenario sc;
  sc.shape.channels = 1;
  sc.shape.height = 3;
  sc.shape.width = 3;
  sc.shape.kernel = {3, 3};
  sc.shape.stride = {2, 2};
  sc.shape.op = im2col::Op::Transposed;
  const Computation uneven = im2col::Compute(sc);
  const Timeline t(uneven.shape);
  const std::string text = ExplainStep(uneven, t.PhaseBegin(Phase::Col2im));
  EXPECT_TRUE(Has(text, "reaches 4 windows per pixel in some places and 1 in others (a checkerboard")) << text;
  sc.shape.kernel = {2, 2};
  sc.shape.stride = {1, 1};  // overlaps, but only the borders get fewer windows
  const Computation even = im2col::Compute(sc);
  const std::string plain = ExplainStep(even, Timeline(even.shape).PhaseBegin(Phase::Col2im));
  EXPECT_TRUE(Has(plain, "fewer windows reach the borders")) << plain;
  EXPECT_FALSE(Has(plain, "checkerboard")) << plain;
}

// The transposed explanations write products and transposes as the window does.
TEST(ExplainTest, TransposedExplanationsUseTheWindowsNotation) {
  Scenario sc;
  sc.shape.op = im2col::Op::Transposed;
  const Computation c = im2col::Compute(sc);
  const Timeline t(c.shape);
  EXPECT_TRUE(Has(ExplainStep(c, t.PhaseBegin(Phase::Multiply)), "X_col = W_row\u1D40 \u00b7 x_mat"))
      << ExplainStep(c, t.PhaseBegin(Phase::Multiply));
  for (Phase p : im2col::kTransposedPhases) {
    const std::string text = ExplainStep(c, t.PhaseBegin(p));
    EXPECT_FALSE(Has(text, "^T")) << text;
    EXPECT_FALSE(Has(text, " . ")) << text;
  }
}

// Rows layout: the matrices are the columns layout's transposes, so X_row = x_matᵀ · W_row,
// dX_row = im2col(dY), dX_matᵀ = dX_row · W_rowᵀ and dW_row = x_mat · dX_row; no step
// names a columns-layout matrix.
TEST(ExplainTest, TransposedRowsLayoutWritesTheRowsFormulas) {
  Scenario sc;
  sc.shape.op = im2col::Op::Transposed;
  sc.layout = im2col::Layout::Rows;
  const Computation c = im2col::Compute(sc);
  const Timeline t(c.shape);
  const std::vector<std::pair<Phase, std::string>> formulas = {
      {Phase::Multiply, "X_row = x_mat\u1D40 \u00b7 W_row"},
      {Phase::GradXCol, "dX_row = im2col(dY)"},
      {Phase::GradInput, "dX_mat\u1D40 = dX_row \u00b7 W_row\u1D40"},
      {Phase::GradWeights, "dW_row = x_mat \u00b7 dX_row"}};
  for (const auto& [phase, formula] : formulas) {
    const std::string text = ExplainStep(c, t.PhaseBegin(phase));
    EXPECT_TRUE(Has(text, formula)) << text;
  }
  // Column j of x_mat is row j of x_matᵀ; cell (r, j) of dX_col is (j, r) of dX_row.
  EXPECT_TRUE(Has(ExplainStep(c, t.PhaseBegin(Phase::Multiply)), "a row of x_mat\u1D40"));
  EXPECT_TRUE(Has(ExplainStep(c, t.PhaseBegin(Phase::GradXCol) + 1), "cell (0, 1)"));
  for (Index step = 0; step < t.StepCount(); ++step) {
    const std::string text = ExplainStep(c, step) + " | " + im2col::StepLabel(c, t.At(step));
    ASSERT_FALSE(Has(text, "X_col")) << text;
    ASSERT_FALSE(Has(text, "W_row\u1D40 \u00b7 x_mat")) << text;
  }
}

}  // namespace
