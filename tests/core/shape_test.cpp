// Shape: output extents, counts, validation messages, notes (core/src/shape.cpp).
// Expected values come from the index semantics of docs/cli.md via tests/core/naive_reference.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "im2col/shape.h"
#include "naive_reference.h"

namespace {

using im2col::Index;
using im2col::Pair;
using im2col::Shape;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return text;
}

// True when one message contains every one of `parts` (case-insensitive).
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

// A message that states a lower bound in words or symbols.
bool StatesRule(const std::string& m) {
  const std::string l = Lower(m);
  for (const char* rule : {">=", "at least", "must be", "positive", "non-negative", "between", "<=", "at most"})
    if (l.find(rule) != std::string::npos) return true;
  return false;
}

// [SECTION] Geometry

TEST(ShapeTest, DefaultsAreTheChapterExample) {
  const Shape s;
  EXPECT_EQ(s.batch, 1);
  EXPECT_EQ(s.channels, 3);
  EXPECT_EQ(s.height, 4);
  EXPECT_EQ(s.width, 4);
  EXPECT_EQ(s.filters, 1);
  EXPECT_EQ(s.kernel, (Pair{2, 2}));
  EXPECT_EQ(s.stride, (Pair{1, 1}));
  EXPECT_EQ(s.padding, (Pair{0, 0}));
  EXPECT_EQ(s.dilation, (Pair{1, 1}));
  EXPECT_TRUE(s.IsValid()) << Joined(s.Validate());
  EXPECT_EQ(s.OutHeight(), 3);
  EXPECT_EQ(s.OutWidth(), 3);
  EXPECT_EQ(s.PatchSize(), 12);    // X_col 12 x 9
  EXPECT_EQ(s.ColumnCount(), 9);
}

TEST(ShapeTest, AlexNetFirstLayerNumbersFromTheChapter) {
  Shape s;
  s.channels = 3;
  s.height = s.width = 227;
  s.filters = 96;
  s.kernel = {11, 11};
  s.stride = {4, 4};
  s.padding = {0, 0};
  ASSERT_TRUE(s.IsValid()) << Joined(s.Validate());
  EXPECT_EQ(s.OutHeight(), 55);
  EXPECT_EQ(s.OutWidth(), 55);
  EXPECT_EQ(s.PatchCount(), 3025);
  EXPECT_EQ(s.PatchSize(), 363);
  EXPECT_EQ(s.ColumnCount(), 3025);
}

TEST(ShapeTest, ThreeByThreeWithTwoByTwoKernel) {
  Shape s;
  s.channels = 1;
  s.height = s.width = 3;
  s.kernel = {2, 2};
  ASSERT_TRUE(s.IsValid());
  EXPECT_EQ(s.PatchSize(), 4);
  EXPECT_EQ(s.ColumnCount(), 4);
}

TEST(ShapeTest, RectangularPaddingStrideDilation) {
  Shape s;
  s.batch = 2;
  s.channels = 2;
  s.height = 7;
  s.width = 10;
  s.kernel = {3, 2};
  s.stride = {2, 3};
  s.padding = {1, 0};
  s.dilation = {2, 1};
  ASSERT_TRUE(s.IsValid()) << Joined(s.Validate());
  EXPECT_EQ(s.OutHeight(), (7 + 2 - 2 * 2 - 1) / 2 + 1);  // 3
  EXPECT_EQ(s.OutWidth(), (10 - 1 - 1) / 3 + 1);          // 3
  EXPECT_EQ(s.PatchCount(), 9);
  EXPECT_EQ(s.PatchSize(), 2 * 3 * 2);
  EXPECT_EQ(s.ColumnCount(), 18);
}

TEST(ShapeTest, CountsMatchDesignFormulasOnRandomShapes) {
  const auto shapes = naive::ValidRandomShapes(2000, 11);
  for (const Shape& s : shapes) {
    SCOPED_TRACE(naive::Describe(s));
    ASSERT_TRUE(s.IsValid()) << Joined(s.Validate());
    EXPECT_EQ(s.OutHeight(), naive::HO(s));
    EXPECT_EQ(s.OutWidth(), naive::WO(s));
    EXPECT_EQ(s.PatchCount(), naive::L(s));
    EXPECT_EQ(s.PatchSize(), naive::R(s));
    EXPECT_EQ(s.ColumnCount(), naive::NL(s));
    if (HasFailure()) return;
  }
}

// [SECTION] Validity: Validate() agrees with the DESIGN rule

TEST(ShapeTest, ValidateAgreesWithDesignRuleInIssueRanges) {
  std::mt19937_64 rng(2024);
  int valid = 0, invalid = 0;
  for (int i = 0; i < 3000; ++i) {
    const Shape s = naive::RandomShape(rng);
    const bool expected = naive::DesignRuleHolds(s);
    const auto messages = s.Validate();
    EXPECT_EQ(messages.empty(), expected) << naive::Describe(s) << Joined(messages);
    EXPECT_EQ(s.IsValid(), expected) << naive::Describe(s);
    (expected ? valid : invalid)++;
    if (HasFailure()) return;
  }
  // The sweep must really cover both outcomes.
  EXPECT_GT(valid, 500);
  EXPECT_GT(invalid, 100);
}

TEST(ShapeTest, ValidateAgreesWithDesignRuleIncludingZeroAndNegative) {
  std::mt19937_64 rng(77);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < 5000; ++i) {
    Shape s;
    s.batch = pick(-1, 3);
    s.channels = pick(-1, 4);
    s.height = pick(-2, 12);
    s.width = pick(-2, 12);
    s.filters = pick(-1, 4);
    s.kernel = {pick(-1, 6), pick(-1, 6)};
    s.stride = {pick(-1, 4), pick(-1, 4)};
    s.padding = {pick(-2, 3), pick(-2, 3)};
    s.dilation = {pick(-1, 3), pick(-1, 3)};
    const auto messages = s.Validate();
    ASSERT_EQ(messages.empty(), naive::DesignRuleHolds(s)) << naive::Describe(s) << Joined(messages);
  }
}

TEST(ShapeTest, KernelLargerThanPaddedInputMessageIsExact) {
  Shape s;
  s.height = s.width = 3;
  s.kernel = {5, 5};
  const auto messages = s.Validate();
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(std::find(messages.begin(), messages.end(),
                      "kernel 5x5 with dilation 1 needs height + 2*padding >= 5, got 3 + 2*0 = 3"),
            messages.end())
      << Joined(messages);
  // The width breaks the same rule and must be reported too.
  EXPECT_TRUE(AnyMessageHasAll(messages, {"width", "got 3 + 2*0 = 3"})) << Joined(messages);
}

TEST(ShapeTest, DilatedKernelMessageUsesTheDilatedSpan) {
  Shape s;
  s.height = 6;
  s.width = 9;
  s.kernel = {3, 3};
  s.dilation = {3, 1};  // span 3*(3-1)+1 = 7 > 6 in height only
  s.padding = {0, 0};
  const auto messages = s.Validate();
  ASSERT_EQ(messages.size(), 1u) << Joined(messages);
  EXPECT_TRUE(AnyMessageHasAll(messages, {"height", ">= 7", "6"})) << Joined(messages);
  s.padding = {1, 0};  // 6 + 2 = 8 >= 7
  EXPECT_TRUE(s.IsValid()) << Joined(s.Validate());
}

struct BadField {
  const char* field;
  void (*breaker)(Shape&);
  int value;
};

TEST(ShapeTest, EachBrokenFieldIsNamedWithItsValueAndRule) {
  const std::vector<BadField> cases = {
      {"batch", [](Shape& s) { s.batch = 0; }, 0},
      {"batch", [](Shape& s) { s.batch = -3; }, -3},
      {"channels", [](Shape& s) { s.channels = 0; }, 0},
      {"height", [](Shape& s) { s.height = 0; }, 0},
      {"width", [](Shape& s) { s.width = -1; }, -1},
      {"filters", [](Shape& s) { s.filters = 0; }, 0},
      {"kernel", [](Shape& s) { s.kernel = {0, 2}; }, 0},
      {"kernel", [](Shape& s) { s.kernel = {2, -2}; }, -2},
      {"stride", [](Shape& s) { s.stride = {0, 1}; }, 0},
      {"stride", [](Shape& s) { s.stride = {1, 0}; }, 0},
      {"padding", [](Shape& s) { s.padding = {-1, 0}; }, -1},
      {"padding", [](Shape& s) { s.padding = {0, -1}; }, -1},
      {"dilation", [](Shape& s) { s.dilation = {0, 1}; }, 0},
  };
  for (const auto& bad : cases) {
    Shape s;
    bad.breaker(s);
    const auto messages = s.Validate();
    SCOPED_TRACE(std::string(bad.field) + " = " + std::to_string(bad.value));
    ASSERT_FALSE(messages.empty());
    EXPECT_FALSE(s.IsValid());
    EXPECT_TRUE(AnyMessageHasAll(messages, {bad.field, std::to_string(bad.value)})) << Joined(messages);
    for (const auto& m : messages) EXPECT_TRUE(StatesRule(m)) << "message states no rule: " << m;
  }
}

TEST(ShapeTest, EveryBrokenRuleIsListed) {
  Shape s;
  s.batch = 0;
  s.stride = {0, 0};
  s.padding = {-1, -1};
  const auto messages = s.Validate();
  EXPECT_GE(messages.size(), 3u) << Joined(messages);
  EXPECT_TRUE(AnyMessageHasAll(messages, {"batch"})) << Joined(messages);
  EXPECT_TRUE(AnyMessageHasAll(messages, {"stride"})) << Joined(messages);
  EXPECT_TRUE(AnyMessageHasAll(messages, {"padding"})) << Joined(messages);
}

// [SECTION] Huge sizes: the memory cap, and no overflow with INT_MAX

TEST(ShapeTest, IntMaxInAnyFieldIsRejectedByName) {
  const std::vector<std::pair<const char*, void (*)(Shape&)>> cases = {
      {"batch", [](Shape& s) { s.batch = INT_MAX; }},
      {"channels", [](Shape& s) { s.channels = INT_MAX; }},
      {"height", [](Shape& s) { s.height = INT_MAX; }},
      {"width", [](Shape& s) { s.width = INT_MAX; }},
      {"filters", [](Shape& s) { s.filters = INT_MAX; }},
      {"kernel", [](Shape& s) { s.kernel = {INT_MAX, INT_MAX}; }},
      {"stride", [](Shape& s) { s.stride = {INT_MAX, 1}; }},
      {"padding", [](Shape& s) { s.padding = {0, INT_MAX}; }},
      {"dilation", [](Shape& s) { s.dilation = {INT_MAX, INT_MAX}; }},
  };
  for (const auto& [field, breaker] : cases) {
    Shape s;
    breaker(s);
    SCOPED_TRACE(field);
    const auto messages = s.Validate();
    EXPECT_FALSE(messages.empty());
    EXPECT_TRUE(AnyMessageHasAll(messages, {field})) << Joined(messages);
  }
}

TEST(ShapeTest, AllFieldsIntMaxOrIntMinDoNotOverflow) {
  Shape s;
  s.batch = s.channels = s.height = s.width = s.filters = INT_MAX;
  s.kernel = s.stride = s.padding = s.dilation = {INT_MAX, INT_MAX};
  EXPECT_FALSE(s.Validate().empty());
  s.kernel = {INT_MAX, 1};
  s.dilation = {INT_MAX, 1};
  s.padding = {0, 0};
  EXPECT_FALSE(s.Validate().empty());
  Shape m;
  m.batch = m.channels = m.height = m.width = m.filters = INT_MIN;
  m.kernel = m.stride = m.padding = m.dilation = {INT_MIN, INT_MIN};
  EXPECT_GE(m.Validate().size(), 5u);
}

bool MentionsMemory(const std::vector<std::string>& messages) {
  for (const auto& m : messages) {
    const std::string l = Lower(m);
    for (const char* word : {"memory", "bytes", "mib", "mb", "gib", "gb", "x_col", "too large", "cells"})
      if (l.find(word) != std::string::npos) return true;
  }
  return false;
}

TEST(ShapeTest, MemoryCapRejectsHugeXColWithinDimensionLimits) {
  Shape s;  // every single number is far below kMaxDimension, X_col is 576 x 260100 doubles
  s.channels = 64;
  s.height = s.width = 512;
  s.kernel = {3, 3};
  s.padding = {1, 1};
  ASSERT_LT(Index{64} * 512 * 512, im2col::kMaxMatrixCells);  // the input alone fits
  const auto messages = s.Validate();
  ASSERT_FALSE(messages.empty());
  EXPECT_TRUE(MentionsMemory(messages)) << Joined(messages);
}

TEST(ShapeTest, MemoryCapCannotBeDefeatedByWrapAround) {
  // 16 * 2^20 * 2^20 * 2^20 = 2^64 cells: wraps to exactly 0 in 64-bit arithmetic.
  Shape s;
  s.batch = 1 << 20;
  s.channels = 16;
  s.height = 1 << 20;
  s.width = 1 << 20;
  s.kernel = {1, 1};
  s.filters = 1 << 20;
  const auto messages = s.Validate();
  EXPECT_FALSE(messages.empty()) << "a 2^64-cell X_col was accepted";
  EXPECT_TRUE(MentionsMemory(messages)) << Joined(messages);
  // Every size exactly at the per-dimension limit.
  Shape t;
  t.batch = t.channels = t.height = t.width = t.filters = im2col::kMaxDimension;
  t.kernel = {1, 1};
  EXPECT_FALSE(t.Validate().empty());
}

TEST(ShapeTest, LargeStrideIsFineWhileTheMatricesAreSmall) {
  Shape s;
  s.stride = {1000, 1000};  // one window: HO = WO = 1
  ASSERT_TRUE(s.IsValid()) << Joined(s.Validate());
  EXPECT_EQ(s.OutHeight(), 1);
  EXPECT_EQ(s.OutWidth(), 1);
  s.stride = {im2col::kMaxDimension + 1, 1};
  EXPECT_TRUE(AnyMessageHasAll(s.Validate(), {"stride"})) << Joined(s.Validate());
}

// [SECTION] Notes and unvisited rows

TEST(ShapeTest, UnvisitedRowsAndColumnsWhenStrideDoesNotDivide) {
  Shape s;
  s.channels = 1;
  s.height = 5;  // (5 - 2) % 2 = 1 -> the last row is never visited
  s.width = 4;   // (4 - 2) % 2 = 0
  s.kernel = {2, 2};
  s.stride = {2, 2};
  ASSERT_TRUE(s.IsValid());
  EXPECT_EQ(s.UnvisitedRows(), 1);
  EXPECT_EQ(s.UnvisitedCols(), 0);
  const auto notes = s.Notes();
  EXPECT_TRUE(AnyMessageHasAll(notes, {"row", "1"})) << Joined(notes);

  s.height = 4;  // (4 - 2) % 2 = 0
  s.width = 8;   // (8 - 3) % 4 = 1 -> the last column is never visited
  s.kernel = {2, 3};
  s.stride = {2, 4};
  ASSERT_TRUE(s.IsValid());
  EXPECT_EQ(s.UnvisitedRows(), 0);
  EXPECT_EQ(s.UnvisitedCols(), 1);
  EXPECT_TRUE(AnyMessageHasAll(s.Notes(), {"col", "1"})) << Joined(s.Notes());
}

TEST(ShapeTest, NoUnvisitedNoteWhenStrideDivides) {
  const Shape s;  // 4x4, K2, S1
  EXPECT_EQ(s.UnvisitedRows(), 0);
  EXPECT_EQ(s.UnvisitedCols(), 0);
  for (const auto& note : s.Notes()) EXPECT_EQ(Lower(note).find("visit"), std::string::npos) << note;
}

TEST(ShapeTest, UnvisitedCountsMatchTheLastWindowOnRandomShapes) {
  // The last window's bottom row is (HO-1)*S - P + D*(K-1); image rows below it are unvisited.
  for (const Shape& s : naive::ValidRandomShapes(1000, 5)) {
    SCOPED_TRACE(naive::Describe(s));
    const int last_row = (naive::HO(s) - 1) * s.stride.h - s.padding.h + s.dilation.h * (s.kernel.h - 1);
    const int last_col = (naive::WO(s) - 1) * s.stride.w - s.padding.w + s.dilation.w * (s.kernel.w - 1);
    ASSERT_EQ(s.UnvisitedRows(), std::max(0, s.height - 1 - last_row));
    ASSERT_EQ(s.UnvisitedCols(), std::max(0, s.width - 1 - last_col));
    if (s.UnvisitedRows() > 0) {
      EXPECT_TRUE(AnyMessageHasAll(s.Notes(), {"row", std::to_string(s.UnvisitedRows())})) << Joined(s.Notes());
    }
  }
}

// [SECTION] Small helpers

TEST(ShapeTest, FormatPair) {
  EXPECT_EQ(im2col::FormatPair({3, 3}), "3");
  EXPECT_EQ(im2col::FormatPair({3, 2}), "3x2");
  EXPECT_EQ(im2col::FormatPair({11, 1}), "11x1");
}

TEST(ShapeTest, EqualityComparesEveryField) {
  const Shape base;
  EXPECT_EQ(base, Shape{});
  const std::vector<void (*)(Shape&)> changes = {
      [](Shape& s) { s.batch = 2; },        [](Shape& s) { s.channels = 2; },
      [](Shape& s) { s.height = 5; },       [](Shape& s) { s.width = 5; },
      [](Shape& s) { s.filters = 2; },      [](Shape& s) { s.kernel.w = 3; },
      [](Shape& s) { s.stride.h = 2; },     [](Shape& s) { s.padding.w = 1; },
      [](Shape& s) { s.dilation.h = 2; },   [](Shape& s) { s.groups = 3; },
      [](Shape& s) { s.op = im2col::Op::Transposed; },
      [](Shape& s) { s.output_padding.w = 1; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    Shape changed;
    changes[i](changed);
    EXPECT_NE(changed, base) << "change #" << i << " not seen by operator==";
  }
}

// [SECTION] The operator family: groups, op, output padding

std::vector<std::string> Rules(const Shape& s) { return s.Validate(); }

TEST(ShapeFamily, GroupsMustDivideChannelsAndFiltersAndTheMessageSaysWhich) {
  Shape s;
  s.channels = 4;
  s.filters = 6;
  s.groups = 3;
  EXPECT_EQ(Rules(s), (std::vector<std::string>{"groups 3 must divide channels 4"}));
  s.channels = 6;
  s.filters = 4;
  EXPECT_EQ(Rules(s), (std::vector<std::string>{"groups 3 must divide filters 4"}));
  s.groups = 0;
  EXPECT_EQ(Rules(s), (std::vector<std::string>{"groups must be >= 1, got 0"}));
  s.groups = 2;
  EXPECT_TRUE(s.IsValid());
  // Depthwise: G = C = F.
  s.channels = s.filters = s.groups = 4;
  EXPECT_TRUE(s.IsValid());
  EXPECT_EQ(s.PatchSize(), 4 * 2 * 2);  // X_col keeps every channel
  EXPECT_EQ(s.WeightRows(), 4);
  EXPECT_EQ(s.GroupOfWeightRow(3), 3);
  EXPECT_NE(s.Notes().front().find("(depthwise)"), std::string::npos);
}

TEST(ShapeFamily, OutputPaddingIsOnlyForTransposedAndBelowStrideOrDilation) {
  Shape s;
  s.output_padding = {1, 0};
  EXPECT_EQ(Rules(s), (std::vector<std::string>{"output_padding is only for op transposed, got 1x0 with op conv"}));
  s.op = im2col::Op::Transposed;
  s.stride = {2, 1};
  EXPECT_TRUE(s.IsValid());
  s.output_padding = {2, 0};
  EXPECT_EQ(Rules(s), (std::vector<std::string>{
                          "output_padding 2 must be smaller than stride 2 or dilation 1 (height)"}));
  s.dilation = {3, 1};  // as PyTorch: smaller than the dilation is enough
  EXPECT_TRUE(s.IsValid());
  s.output_padding = {0, -1};
  EXPECT_EQ(Rules(s), (std::vector<std::string>{"output_padding must be >= 0, got 0x-1"}));
}

TEST(ShapeFamily, TransposedSizesFollowConvTranspose2d) {
  Shape s;
  s.op = im2col::Op::Transposed;
  s.batch = 1, s.channels = 256, s.height = 14, s.width = 14, s.filters = 128;
  s.kernel = {4, 4}, s.stride = {2, 2}, s.padding = {1, 1};
  ASSERT_TRUE(s.IsValid());
  EXPECT_EQ(s.OutHeight(), 28);  // (14-1)*2 - 2 + 3 + 1
  EXPECT_EQ(s.OutWidth(), 28);
  EXPECT_EQ(s.PatchCount(), 14 * 14);          // one column per input pixel
  EXPECT_EQ(s.PatchSize(), 128 * 4 * 4);       // R = F*KH*KW
  EXPECT_EQ(s.WeightRows(), 256);              // W_row is C x R
  EXPECT_EQ(s.ImageHeight(), 28);
  EXPECT_EQ(s.GridHeight(), 14);
  s.output_padding = {1, 0};
  EXPECT_EQ(s.OutHeight(), 29);
  EXPECT_EQ(s.OutWidth(), 28);

  Shape tiny;
  tiny.op = im2col::Op::Transposed;
  tiny.height = 1;
  tiny.kernel = {1, 1};
  tiny.padding = {1, 0};
  EXPECT_EQ(Rules(tiny), (std::vector<std::string>{
                             "transposed output height (height - 1)*stride - 2*padding + dilation*(kernel - 1) + "
                             "output_padding + 1 must be >= 1, got (1 - 1)*1 - 2*1 + 1*(1 - 1) + 0 + 1 = -1"}));
  // The conv's fit rule does not apply: a kernel larger than the input is fine.
  tiny.padding = {0, 0};
  tiny.kernel = {5, 5};
  EXPECT_TRUE(tiny.IsValid());
  EXPECT_EQ(tiny.OutHeight(), 5);
}

TEST(ShapeFamily, MemoryCapCoversTheTransposedOutputAndXMat) {
  Shape s;
  s.op = im2col::Op::Transposed;
  s.channels = 1, s.filters = 1, s.height = 64, s.width = 64, s.kernel = {1, 1};
  s.stride = {4000, 4000};  // a tiny X_col, but a 252001 x 252001 output
  const auto rules = Rules(s);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].rfind("output would be 1x1x252001x252001", 0), 0u) << rules[0];
}

}  // namespace

// The window draws the input inside its padding ring: a huge padding around a tiny image
// (a dilated kernel as wide, so X_col stays small) must be refused by the memory budget,
// not allocated when the plane is drawn (found by the GUI monkey: a 200002 x 200002 plane).
TEST(ShapeTest, HugePaddingAroundATinyImageIsRefusedByTheMemoryBudget) {
  Shape s;
  s.channels = 1;
  s.height = s.width = 2;
  s.padding = {50000, 50000};
  s.kernel = {2, 2};
  s.dilation = {100000, 100000};
  ASSERT_EQ(s.OutHeight(), 2);
  const std::vector<std::string> errors = s.Validate();
  ASSERT_FALSE(errors.empty());
  bool named = false;
  for (const std::string& e : errors) named = named || e.find("this scenario needs") != std::string::npos;
  EXPECT_TRUE(named) << errors.front();
  s.padding = {500, 500};
  s.dilation = {1000, 1000};
  EXPECT_TRUE(s.Validate().empty()) << s.Validate().front();
}
