// Scenario: defaults, fills, explicit values and their validation (core/src/scenario.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "im2col/scenario.h"
#include "naive_reference.h"

namespace {

using im2col::Fill;
using im2col::Index;
using im2col::Scenario;
using im2col::Shape;
using im2col::TensorRole;

constexpr TensorRole kRoles[] = {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return text;
}
bool AnyMessageHasAll(const std::vector<std::string>& messages, std::initializer_list<std::string> parts) {
  for (const auto& m : messages) {
    bool all = true;
    for (const auto& p : parts) all = all && Lower(m).find(Lower(p)) != std::string::npos;
    if (all) return true;
  }
  return false;
}
std::string Joined(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) out += "\n  - " + m;
  return out.empty() ? " (no messages)" : out;
}

// A shape where every tensor has a different size, so mix-ups show.
Shape OddShape() {
  Shape s;
  s.batch = 2;
  s.channels = 3;
  s.height = 5;
  s.width = 6;
  s.filters = 4;
  s.kernel = {3, 2};
  s.stride = {2, 1};
  s.padding = {1, 0};
  return s;  // HO = (5+2-2-1)/2+1 = 3, WO = 5
}

Index ExpectedSize(const Shape& s, TensorRole role) {
  switch (role) {
    case TensorRole::Input: return Index{s.batch} * s.channels * s.height * s.width;
    case TensorRole::Weights: return Index{s.filters} * s.channels * s.kernel.h * s.kernel.w;
    case TensorRole::Bias: return s.filters;
    case TensorRole::GradOutput: return Index{s.batch} * s.filters * naive::HO(s) * naive::WO(s);
  }
  return -1;
}

// [SECTION] Defaults and names

TEST(ScenarioTest, DefaultsAreTheDesignDefaults) {
  const Scenario sc;
  EXPECT_EQ(sc.shape, Shape{});
  EXPECT_EQ(sc.layout, im2col::Layout::Columns);
  EXPECT_EQ(sc.order, im2col::Order::RowMajor);
  EXPECT_EQ(sc.input.fill, Fill::Ramp);
  EXPECT_EQ(sc.weights.fill, Fill::Ramp);
  EXPECT_EQ(sc.bias.fill, Fill::Zeros);
  EXPECT_EQ(sc.grad_output.fill, Fill::Ones);
  for (TensorRole role : kRoles) EXPECT_FALSE(sc.Source(role).HasValues());
  EXPECT_TRUE(sc.Validate().empty()) << Joined(sc.Validate());
}

TEST(ScenarioTest, FillAndRoleNames) {
  EXPECT_EQ(im2col::ToString(Fill::Ramp), "ramp");
  EXPECT_EQ(im2col::ToString(Fill::Random), "random");
  EXPECT_EQ(im2col::ToString(Fill::Ones), "ones");
  EXPECT_EQ(im2col::ToString(Fill::Zeros), "zeros");
  for (Fill f : {Fill::Ramp, Fill::Random, Fill::Ones, Fill::Zeros})
    EXPECT_EQ(im2col::ParseFill(im2col::ToString(f)), f);
  EXPECT_FALSE(im2col::ParseFill("gaussian").has_value());
  EXPECT_FALSE(im2col::ParseFill("").has_value());
  EXPECT_EQ(im2col::ToString(TensorRole::Input), "input");
  EXPECT_EQ(im2col::ToString(TensorRole::Weights), "weights");
  EXPECT_EQ(im2col::ToString(TensorRole::Bias), "bias");
  EXPECT_EQ(im2col::ToString(TensorRole::GradOutput), "grad_output");
}

TEST(ScenarioTest, SourceReturnsTheMatchingMember) {
  Scenario sc;
  EXPECT_EQ(&sc.Source(TensorRole::Input), &sc.input);
  EXPECT_EQ(&sc.Source(TensorRole::Weights), &sc.weights);
  EXPECT_EQ(&sc.Source(TensorRole::Bias), &sc.bias);
  EXPECT_EQ(&sc.Source(TensorRole::GradOutput), &sc.grad_output);
  const Scenario& view = sc;
  EXPECT_EQ(&view.Source(TensorRole::GradOutput), &sc.grad_output);
}

TEST(ScenarioTest, EqualityComparesEveryField) {
  const Scenario base;
  EXPECT_TRUE(base == Scenario{});
  Scenario a;
  a.shape.kernel = {3, 3};
  EXPECT_TRUE(a != base);
  Scenario b;
  b.layout = im2col::Layout::Rows;
  EXPECT_TRUE(b != base);
  Scenario c;
  c.order = im2col::Order::ColumnMajor;
  EXPECT_TRUE(c != base);
  Scenario d;
  d.seed = 2;
  EXPECT_TRUE(d != base);
  for (TensorRole role : kRoles) {
    Scenario e;
    e.Source(role).fill = (e.Source(role).fill == Fill::Random) ? Fill::Ones : Fill::Random;
    EXPECT_TRUE(e != base) << im2col::ToString(role);
    Scenario v;
    v.Source(role).values.assign(static_cast<size_t>(ExpectedSize(v.shape, role)), 1.0);
    EXPECT_TRUE(v != base) << im2col::ToString(role);
  }
}

// [SECTION] Sizes

TEST(ScenarioTest, TensorSizesAndEmptyTensors) {
  const Shape s = OddShape();
  for (TensorRole role : kRoles) EXPECT_EQ(im2col::TensorSize(s, role), ExpectedSize(s, role));
  const auto in = im2col::EmptyTensor(s, TensorRole::Input);
  EXPECT_EQ((std::vector<int>{in.n, in.c, in.h, in.w}), (std::vector<int>{2, 3, 5, 6}));
  const auto w = im2col::EmptyTensor(s, TensorRole::Weights);
  EXPECT_EQ((std::vector<int>{w.n, w.c, w.h, w.w}), (std::vector<int>{4, 3, 3, 2}));
  const auto b = im2col::EmptyTensor(s, TensorRole::Bias);
  EXPECT_EQ((std::vector<int>{b.n, b.c, b.h, b.w}), (std::vector<int>{1, 1, 1, 4}));
  const auto dy = im2col::EmptyTensor(s, TensorRole::GradOutput);
  EXPECT_EQ((std::vector<int>{dy.n, dy.c, dy.h, dy.w}), (std::vector<int>{2, 4, 3, 5}));
  for (TensorRole role : kRoles) EXPECT_EQ(im2col::EmptyTensor(s, role).Size(), ExpectedSize(s, role));
}

// [SECTION] Fills

TEST(ScenarioTest, RampNumbersCellsFromOneInRowMajorOrder) {
  Scenario sc;
  sc.shape = OddShape();
  for (TensorRole role : kRoles) sc.Source(role).fill = Fill::Ramp;
  for (TensorRole role : kRoles) {
    const auto v = im2col::GenerateValues(sc, role);
    ASSERT_EQ(static_cast<Index>(v.size()), ExpectedSize(sc.shape, role)) << im2col::ToString(role);
    for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], static_cast<double>(i + 1)) << im2col::ToString(role);
  }
  // The chapter's default: pixel (c, y, x) of the 4x4x3 input is 16c + 4y + x + 1.
  const auto input = im2col::GenerateValues(Scenario{}, TensorRole::Input);
  ASSERT_EQ(input.size(), 48u);
  EXPECT_EQ(input[static_cast<size_t>(naive::InputAt(Shape{}, 0, 2, 1, 3))], 16 * 2 + 4 * 1 + 3 + 1);
}

TEST(ScenarioTest, OnesAndZeros) {
  Scenario sc;
  sc.shape = OddShape();
  for (TensorRole role : kRoles) {
    sc.Source(role).fill = Fill::Ones;
    const auto ones = im2col::GenerateValues(sc, role);
    ASSERT_EQ(static_cast<Index>(ones.size()), ExpectedSize(sc.shape, role));
    EXPECT_TRUE(std::all_of(ones.begin(), ones.end(), [](double v) { return v == 1.0; }));
    sc.Source(role).fill = Fill::Zeros;
    const auto zeros = im2col::GenerateValues(sc, role);
    ASSERT_EQ(static_cast<Index>(zeros.size()), ExpectedSize(sc.shape, role));
    EXPECT_TRUE(std::all_of(zeros.begin(), zeros.end(), [](double v) { return v == 0.0; }));
  }
}

Scenario RandomScenario(std::uint64_t seed) {
  Scenario sc;
  sc.shape = OddShape();
  sc.shape.filters = 8;
  sc.shape.batch = 3;
  for (TensorRole role : kRoles) sc.Source(role).fill = Fill::Random;
  sc.seed = seed;
  return sc;
}

TEST(ScenarioTest, RandomIsIntegersInMinusFourToFour) {
  const Scenario sc = RandomScenario(7);
  for (TensorRole role : kRoles) {
    const auto v = im2col::GenerateValues(sc, role);
    ASSERT_EQ(static_cast<Index>(v.size()), ExpectedSize(sc.shape, role));
    std::set<double> distinct;
    for (double x : v) {
      ASSERT_EQ(x, std::round(x)) << im2col::ToString(role);
      ASSERT_GE(x, -4.0);
      ASSERT_LE(x, 4.0);
      distinct.insert(x);
    }
    if (v.size() >= 100) {
      EXPECT_EQ(distinct.size(), 9u) << im2col::ToString(role) << ": all of -4..4 should appear";
      const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
      EXPECT_LT(std::abs(mean), 1.0) << im2col::ToString(role);
    }
  }
}

TEST(ScenarioTest, RandomIsDeterministicPerSeedAndDifferentPerRoleAndSeed) {
  for (TensorRole role : kRoles)
    EXPECT_EQ(im2col::GenerateValues(RandomScenario(3), role), im2col::GenerateValues(RandomScenario(3), role));
  // Different seeds give different tensors.
  for (TensorRole role : kRoles)
    EXPECT_NE(im2col::GenerateValues(RandomScenario(3), role), im2col::GenerateValues(RandomScenario(4), role))
        << im2col::ToString(role);
  // Different roles are seeded independently: compare input and grad_output (and weights)
  // over their common prefix.
  const Scenario sc = RandomScenario(3);
  const auto input = im2col::GenerateValues(sc, TensorRole::Input);
  const auto weights = im2col::GenerateValues(sc, TensorRole::Weights);
  const auto dy = im2col::GenerateValues(sc, TensorRole::GradOutput);
  const auto prefix = [](const std::vector<double>& v, size_t n) { return std::vector<double>(v.begin(), v.begin() + n); };
  const size_t n1 = std::min(input.size(), weights.size());
  EXPECT_NE(prefix(input, n1), prefix(weights, n1));
  const size_t n2 = std::min(input.size(), dy.size());
  EXPECT_NE(prefix(input, n2), prefix(dy, n2));
  const size_t n3 = std::min(weights.size(), dy.size());
  EXPECT_NE(prefix(weights, n3), prefix(dy, n3));
}

TEST(ScenarioTest, ExplicitValuesWinOverTheFill) {
  Scenario sc;
  sc.shape = OddShape();
  for (TensorRole role : kRoles) {
    std::vector<double> values(static_cast<size_t>(ExpectedSize(sc.shape, role)));
    for (size_t i = 0; i < values.size(); ++i) values[i] = 0.5 * static_cast<double>(i) - 3.25;
    sc.Source(role) = {Fill::Ones, values};
    EXPECT_EQ(im2col::GenerateValues(sc, role), values) << im2col::ToString(role);
  }
  EXPECT_TRUE(sc.Validate().empty()) << Joined(sc.Validate());
}

// [SECTION] Validation of explicit values

TEST(ScenarioTest, ValuesOfTheWrongSizeAreRejectedNamingTheTensorAndSizes) {
  for (TensorRole role : kRoles) {
    Scenario sc;
    sc.shape = OddShape();
    const Index expected = ExpectedSize(sc.shape, role);
    sc.Source(role).values.assign(static_cast<size_t>(expected + 1), 1.0);
    const auto messages = sc.Validate();
    SCOPED_TRACE(im2col::ToString(role));
    ASSERT_FALSE(messages.empty());
    EXPECT_TRUE(AnyMessageHasAll(messages, {im2col::ToString(role), std::to_string(expected),
                                            std::to_string(expected + 1)}))
        << Joined(messages);
    sc.Source(role).values.assign(static_cast<size_t>(expected - 1), 1.0);  // every OddShape tensor has >= 4 cells
    EXPECT_FALSE(sc.Validate().empty());
    sc.Source(role).values.assign(static_cast<size_t>(expected), 1.0);
    EXPECT_TRUE(sc.Validate().empty()) << Joined(sc.Validate());
  }
}

TEST(ScenarioTest, NonFiniteAndHugeValuesAreRejected) {
  const double bad_values[] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(), 2 * im2col::kMaxAbsValue};
  for (TensorRole role : kRoles)
    for (double bad : bad_values) {
      Scenario sc;
      std::vector<double> values(static_cast<size_t>(ExpectedSize(sc.shape, role)), 1.0);
      values.back() = bad;
      sc.Source(role).values = values;
      const auto messages = sc.Validate();
      SCOPED_TRACE(im2col::ToString(role) + " containing " + std::to_string(bad));
      ASSERT_FALSE(messages.empty());
      EXPECT_TRUE(AnyMessageHasAll(messages, {im2col::ToString(role)})) << Joined(messages);
    }
  Scenario edge;
  edge.input.values.assign(48, im2col::kMaxAbsValue);
  edge.input.values[0] = -im2col::kMaxAbsValue;
  EXPECT_TRUE(edge.Validate().empty()) << Joined(edge.Validate());
}

TEST(ScenarioTest, ShapeErrorsAreIncludedAndValuesAreNotCheckedAgainstABrokenShape) {
  Scenario sc;
  sc.shape.height = sc.shape.width = 3;
  sc.shape.kernel = {5, 5};
  const auto messages = sc.Validate();
  EXPECT_NE(std::find(messages.begin(), messages.end(),
                      "kernel 5x5 with dilation 1 needs height + 2*padding >= 5, got 3 + 2*0 = 3"),
            messages.end())
      << Joined(messages);
  // A broken shape with explicit values must still validate without crashing.
  sc.shape.batch = 0;
  sc.input.values = {1.0, 2.0};
  sc.grad_output.values = {1.0};
  EXPECT_FALSE(sc.Validate().empty());
}

}  // namespace
