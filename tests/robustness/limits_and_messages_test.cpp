// Limits and messages at the API level (the CLI-level twins are in cli_robustness_test.py):
//   - a shape whose X_col would exceed 256 MB, or whose scenario would need more than the
//     1 GB memory budget, is refused, and the message names the size;
//   - non-finite or huge values are refused wherever they come from (files, the GUI's
//     scenario edits);
//   - every refusal is ONE line, even when the user's own text contains a line break;
//   - core's shape queries are defined for any integers (checked by UBSan in the
//     sanitizer build).
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <climits>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/shape.h"
#include "io/scenario_args.h"
#include "io/scenario_json.h"
#include "support/measured_run.h"

namespace im2col {
namespace {

io::ScenarioResolution ResolveFlags(const std::vector<std::string>& args) {
  CLI::App app{"test"};
  io::ScenarioOptions options;
  io::AddScenarioOptions(app, options);
  std::vector<const char*> argv{"im2col-lab"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {  // the CLI prints this as "error: ..." with exit 2
    return io::ScenarioResolution{std::nullopt, {}, e.what()};
  }
  return io::ResolveScenario(options);
}

// [SECTION] The 256 MB matrix cap and the 1 GB scenario budget ------------------

TEST(Limits, XColOverTheCapIsRefusedNamingItsSize) {
  // R = 64*3*3 = 576, N*L = 4094*4094: X_col 576 x 16,760,836 doubles = 73,656 MB.
  const auto result = ResolveFlags({"--height", "4096", "--width", "4096", "--channels", "64", "--kernel", "3"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error.find("X_col"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("576 x 16760836"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find(" MB"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("256 MB"), std::string::npos) << result.error;
}

TEST(Limits, JustUnderTheMatrixCapIsStillRefusedByTheScenarioBudget) {
  // X_col is R x N*L with R = C (1x1 kernel) and N*L = H*W: 32 x 1024 x 1024 doubles is
  // exactly the 256 MB matrix cap, but the whole scenario needs far more than 1 GB.
  Shape at_cap;
  at_cap.channels = 32;
  at_cap.height = 1024;
  at_cap.width = 1024;
  at_cap.kernel = {1, 1};
  const auto problems = at_cap.Validate();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems.front().find("this scenario needs"), std::string::npos) << problems.front();
  EXPECT_NE(problems.front().find("GB of memory"), std::string::npos) << problems.front();
  EXPECT_NE(problems.front().find("the limit is 1 GB"), std::string::npos) << problems.front();
  Shape over = at_cap;
  over.width = 1025;
  EXPECT_NE(over.Validate().front().find("X_col"), std::string::npos) << over.Validate().front();
}

TEST(Limits, JustUnderTheScenarioBudgetIsAcceptedJustOverIsRefused) {
  Shape s;
  s.channels = 1;
  s.kernel = {1, 1};
  const int lo = im2col::testing::LargestAcceptedSide();  // by bisection
  s.height = s.width = lo;
  EXPECT_LE(s.MemoryBytes(), static_cast<double>(kMaxScenarioBytes));
  EXPECT_GT(lo, 1000) << "the budget must leave room for real lessons";
  s.height = s.width = lo + 1;
  const auto problems = s.Validate();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems.front().rfind("this scenario needs ", 0), 0u) << problems.front();
  EXPECT_NE(problems.front().find("; the limit is 1 GB"), std::string::npos) << problems.front();
}

TEST(Limits, EveryTensorIsCappedNotOnlyXCol) {
  Shape s;  // a 1x1 kernel with stride as large as the image: X_col is tiny, the input is not
  s.channels = 1;
  s.height = 1 << 20;
  s.width = 64;
  s.kernel = {1, 1};
  s.stride = {1 << 20, 64};
  const auto problems = s.Validate();
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems.front().find("input"), std::string::npos) << problems.front();
  EXPECT_NE(problems.front().find(" MB"), std::string::npos) << problems.front();
}

TEST(Limits, SizesBeyondAnIntAreRefusedNotWrapped) {
  for (const char* flag : {"--height", "--channels", "--batch", "--filters"}) {
    const auto result = ResolveFlags({flag, "4294967297"});  // 2^32 + 1 wraps to 1 in 32 bits
    ASSERT_FALSE(result.ok()) << flag;
    EXPECT_EQ(result.error.rfind(std::string(flag) + ": must be <= ", 0), 0u) << result.error;
  }
  const auto parsed = io::ParseScenarioJson(R"({"shape": {"kernel": [4294967298, 2]}})", "big.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error.find("shape.kernel[0]"), std::string::npos) << parsed.error;
}

// [SECTION] Non-finite and huge values -----------------------------------------

TEST(Limits, NonFiniteValuesAreRefusedByCore) {
  Scenario sc;
  sc.shape.channels = 1;
  sc.shape.height = sc.shape.width = 2;
  sc.shape.kernel = {1, 1};
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                     1e13}) {
    sc.input.values = {1.0, 2.0, bad, 4.0};
    const auto problems = sc.Validate();
    ASSERT_FALSE(problems.empty()) << bad;
    EXPECT_NE(problems.front().find("input values[2]"), std::string::npos) << problems.front();
    EXPECT_THROW(Compute(sc), std::invalid_argument);
  }
}

TEST(Limits, NonFiniteValuesInFilesAreRefusedNamingTheField) {
  const std::string shape = R"("shape": {"channels": 1, "height": 2, "width": 2, "kernel": 1})";
  struct Case {
    std::string values;
    std::string field;
    std::string says;
  };
  const Case cases[] = {
      {"[1, 2, 1e309, 4]", "input.values[2]", "too large for a double"},
      {"[1, 2, NaN, 4]", "input.values[2]", "JSON has no NaN or Infinity"},
      {"[1, 2, Infinity, 4]", "input.values[2]", "JSON has no NaN or Infinity"},
      {"[1, 2, -1e13, 4]", "input.values[2]", "magnitude <= 1e12"},
      {"[1, 2, \"abc\", 4]", "input.values[2]", "expected a number"},
      {"[1, 2, \"\", 4]", "input.values[2]", "expected a number"},
      {"[1, 2, null, 4]", "input.values[2]", "expected a number"},
  };
  for (const Case& c : cases) {
    const auto parsed = io::ParseScenarioJson("{" + shape + R"(, "input": {"values": )" + c.values + "}}", "v.json");
    ASSERT_FALSE(parsed.ok()) << c.values;
    EXPECT_EQ(parsed.error.rfind("v.json: ", 0), 0u) << parsed.error;
    EXPECT_NE(parsed.error.find(c.field), std::string::npos) << c.values << " -> " << parsed.error;
    EXPECT_NE(parsed.error.find(c.says), std::string::npos) << c.values << " -> " << parsed.error;
  }
}

TEST(Limits, NonNumericShapeFlagsAreRefusedNamingTheFlag) {
  for (const char* text : {"nan", "inf", "1e309", "", "abc", "3.5", "-0x1", " 3", "-3"}) {
    const auto result = ResolveFlags({std::string("--kernel=") + text});  // '=': a leading '-' stays a value
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.error.rfind("--kernel: ", 0), 0u) << result.error;
  }
}

// [SECTION] One-line messages ------------------------------------------------------
// Regression (found by fuzz_scenario_json / fuzz_shape_flags): the user's own text
// was copied into messages verbatim, so a key, a fill name or a preset name holding
// a line break produced a message of two lines (DESIGN: "a one-line message").

TEST(Messages, ScenarioFileErrorsAreOneLineWhateverTheFileSays) {
  const char* files[] = {
      R"({"a\nb": 1})",                              // unknown key
      R"({"input": {"fill": "x\ny"}})",              // unknown fill
      R"({"layout": "col\numns"})",                  // unknown layout
      R"({"order": "row\r\nmajor"})",                // unknown order
      R"({"format": "im2col\nlab"})",                // wrong format
      R"({"shape": {"kernel\u000a": 3}})",           // unknown shape key
  };
  for (const char* text : files) {
    const auto parsed = io::ParseScenarioJson(text, "file.json");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error.find_first_of("\r\n"), std::string::npos) << "for " << text << ":\n" << parsed.error;
  }
}

TEST(Messages, FlagErrorsAreOneLineWhateverTheArgumentSays) {
  const std::vector<std::vector<std::string>> commands = {
      {"--preset", "bad\nname"},
      {"--layout", "dia\ngonal"},
      {"--order", "row\nmajor"},
      {"--fill", "ra\nmp"},
      {"--kernel", "3\n"},
      {"--seed", "1\n2"},
      {"--scenario", "/nonexistent/dir\nfile.json"},
  };
  for (const auto& args : commands) {
    const auto result = ResolveFlags(args);
    ASSERT_FALSE(result.ok()) << args[0];
    EXPECT_EQ(result.error.find_first_of("\r\n"), std::string::npos) << "for " << args[0] << ":\n" << result.error;
  }
}

// [SECTION] Core on any integers ----------------------------------------------------
// Regression (found by fuzz_shape_compute): Shape::OutHeight() computed `kernel - 1`
// in int, which overflows for kernel = INT_MIN. Validate() refuses such a shape, but
// the queries must still be defined for it (the GUI edits shapes field by field).
// This test fails under UBSan (the sanitizer build); in other builds it only runs.

TEST(CoreAnyShape, QueriesOnInvalidShapesAreDefined) {
  const int extremes[] = {INT_MIN, INT_MIN + 1, -1, 0, INT_MAX, INT_MAX - 1};
  for (int value : extremes) {
    for (int field = 0; field < 4; ++field) {
      Shape s;
      Pair* pairs[] = {&s.kernel, &s.stride, &s.padding, &s.dilation};
      pairs[field]->h = value;
      pairs[field]->w = value;
      if (field != 2 && value <= 0) {  // padding may be 0
        EXPECT_FALSE(s.IsValid()) << value;
      }
      (void)s.OutHeight();
      (void)s.OutWidth();
      (void)s.PatchCount();
      (void)s.PatchSize();
      (void)s.ColumnCount();
      (void)s.Notes();
      EXPECT_GE(s.UnvisitedRows(), 0);
      EXPECT_GE(s.UnvisitedCols(), 0);
    }
  }
}

}  // namespace
}  // namespace im2col
