// The transposed convolution's two other roads (core/src/equivalence.cpp), checked against
// the plain scatter loops of naive_reference.h: the matching conv's dX (with dY = the
// transposed input) is output - bias, and zero insertion + a flipped-kernel conv is output.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "im2col/equivalence.h"
#include "naive_reference.h"

namespace im2col {
namespace {

Scenario Transposed(int n, int c, int h, int w, int f, int k, int stride, int pad, int dil, int groups, int op) {
  Scenario sc;
  sc.shape.batch = n;
  sc.shape.channels = c;
  sc.shape.height = h;
  sc.shape.width = w;
  sc.shape.filters = f;
  sc.shape.kernel = Pair{k, k};
  sc.shape.stride = Pair{stride, stride};
  sc.shape.padding = Pair{pad, pad};
  sc.shape.dilation = Pair{dil, dil};
  sc.shape.groups = groups;
  sc.shape.op = Op::Transposed;
  sc.shape.output_padding = Pair{op, op};
  sc.input.fill = Fill::Random;
  sc.weights.fill = Fill::Random;
  sc.bias.fill = Fill::Random;
  return sc;
}

std::vector<Scenario> Cases() {
  return {Transposed(1, 1, 3, 3, 1, 3, 2, 0, 1, 1, 0),  // the checkerboard layer
          Transposed(2, 2, 3, 2, 3, 2, 1, 0, 1, 1, 0),
          Transposed(1, 4, 3, 3, 2, 3, 2, 1, 1, 2, 1),  // groups, padding, output padding
          Transposed(1, 2, 4, 3, 2, 3, 3, 5, 2, 2, 0),  // padding 5 beyond D*(K-1) = 4: cropped
          Transposed(1, 3, 2, 2, 3, 2, 2, 0, 3, 3, 2)}; // depthwise, dilation 3, output padding 2 < D
}

TEST(Equivalence, ZeroInsertionRoadEqualsTheScatterLoops) {
  for (const Scenario& sc : Cases()) {
    ASSERT_TRUE(sc.Validate().empty()) << sc.Validate().front();
    const Computation t = Compute(sc);
    const ZeroInsertion z = ZeroInsertionRoad(t);
    const std::vector<double> expected = naive::TransposedForward(sc.shape, GenerateValues(sc, TensorRole::Input),
                                                                  GenerateValues(sc, TensorRole::Weights),
                                                                  GenerateValues(sc, TensorRole::Bias));
    ASSERT_EQ(z.output.data.size(), expected.size());
    for (size_t k = 0; k < expected.size(); ++k) EXPECT_DOUBLE_EQ(z.output.data[k], expected[k]) << k;
    EXPECT_TRUE(SameCells(z.output, t.output));
    EXPECT_EQ(z.inserted_border.h, sc.shape.dilation.h * (sc.shape.kernel.h - 1) - sc.shape.padding.h);
    // S - 1 zeros between the input pixels: the dilated plane holds every input value once.
    int nonzero_slots = 0;
    for (double v : z.dilated.data) nonzero_slots += v != 0.0;
    int nonzero_inputs = 0;
    for (double v : t.input.data) nonzero_inputs += v != 0.0;
    if (z.inserted_border.h >= 0 && z.inserted_border.w >= 0) {
      EXPECT_EQ(nonzero_slots, nonzero_inputs);
    }
  }
}

TEST(Equivalence, MatchingConvDxEqualsTheOutputWithoutBias) {
  std::vector<Scenario> cases = Cases();
  cases.pop_back();  // output padding 2 >= stride 2: no conv has this dX path (next test)
  for (const Scenario& sc : cases) {
    std::string why;
    const std::optional<Scenario> conv = MatchingConv(sc, &why);
    ASSERT_TRUE(conv) << why;
    EXPECT_EQ(conv->shape.channels, sc.shape.filters);
    EXPECT_EQ(conv->shape.filters, sc.shape.channels);
    const Computation c = Compute(*conv);
    const std::vector<double> expected = naive::TransposedForward(
        sc.shape, GenerateValues(sc, TensorRole::Input), GenerateValues(sc, TensorRole::Weights),
        std::vector<double>(static_cast<size_t>(sc.shape.filters), 0.0));
    ASSERT_EQ(c.grad_input.data.size(), expected.size());
    for (size_t k = 0; k < expected.size(); ++k) EXPECT_DOUBLE_EQ(c.grad_input.data[k], expected[k]) << k;
  }
}

TEST(Equivalence, OutputPaddingAtLeastTheStrideHasNoMatchingConv) {
  // Output padding 1 < dilation 2 is allowed with stride 1, but the conv of the HO x WO
  // output then has one row more than the transposed input.
  for (const Scenario& sc : {Transposed(1, 1, 3, 3, 1, 2, 1, 0, 2, 1, 1), Cases().back()}) {
    ASSERT_TRUE(sc.Validate().empty()) << sc.Validate().front();
    std::string why;
    EXPECT_FALSE(MatchingConv(sc, &why));
    const std::string input = std::to_string(sc.shape.height) + "x" + std::to_string(sc.shape.width);
    EXPECT_NE(why.find("not the transposed input's " + input), std::string::npos) << why;
    EXPECT_TRUE(SameCells(ZeroInsertionRoad(Compute(sc)).output, Compute(sc).output));  // this road still holds
  }
}

TEST(Equivalence, SameCellsComparesDimensionsAndValues) {
  Tensor4 a(1, 1, 2, 2, 1.0), b(1, 1, 2, 2, 1.0);
  EXPECT_TRUE(SameCells(a, b));
  b(0, 0, 1, 1) = 1.5;
  EXPECT_FALSE(SameCells(a, b));
  EXPECT_FALSE(SameCells(a, Tensor4(1, 1, 4, 1, 1.0)));
}

}  // namespace
}  // namespace im2col
