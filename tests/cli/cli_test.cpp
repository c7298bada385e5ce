// The im2col-lab command line, run as a real process: golden outputs for the chapter's
// 3x3-by-2x2 example in every format, and every kind of bad input exits 2 with one
// line on stderr naming the field and the rule, and nothing on stdout.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run_program.h"

namespace {
namespace fs = std::filesystem;
using im2col::testing::ProgramResult;
using im2col::testing::ReadFileText;
using Json = nlohmann::json;

ProgramResult RunLab(const std::vector<std::string>& args) { return im2col::testing::RunProgram(IM2COL_LAB_EXE, args); }

fs::path GoldenPath(const std::string& name) {
  return fs::path(IM2COL_LAB_SOURCE_DIR) / "tests" / "cli" / "golden" / name;
}

// A scratch directory per test for scenario files.
class CliFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("im2col_cli_files_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  fs::path dir_;
};

// [SECTION] Goldens ---------------------------------------------------------------

struct GoldenCase {
  const char* format;
  const char* file;
};
// Keeps the test names that ctest lists stable (the default prints raw bytes).
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.format; }

class CliComputeGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(CliComputeGolden, SmallerPresetMatchesTheHandCheckedOutput) {
  const GoldenCase& c = GetParam();
  const ProgramResult r = RunLab({"compute", "--preset", "smaller-3x3-by-2x2", "--format", c.format});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const fs::path golden = GoldenPath(c.file);
  if (std::getenv("IM2COL_LAB_UPDATE_GOLDENS") != nullptr) std::ofstream(golden, std::ios::binary) << r.out;
  EXPECT_EQ(r.out, ReadFileText(golden)) << "golden " << golden;
}

INSTANTIATE_TEST_SUITE_P(AllFormats, CliComputeGolden,
                         ::testing::Values(GoldenCase{"json", "compute-smaller.json"},
                                           GoldenCase{"text", "compute-smaller.txt"},
                                           GoldenCase{"csv", "compute-smaller.csv"},
                                           GoldenCase{"latex", "compute-smaller.tex"},
                                           GoldenCase{"markdown", "compute-smaller.md"}),
                         [](const auto& info) { return std::string(info.param.format); });

TEST(CliCompute, SmallerJsonHasTheChaptersNumbers) {
  // Independent of the golden: 3x3 ramp 1..9 with 2x2 ramp weights 1..4.
  const ProgramResult r = RunLab({"compute", "--preset", "smaller-3x3-by-2x2", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["x_col"], Json::parse("[[1,2,4,5],[2,3,5,6],[4,5,7,8],[5,6,8,9]]"));
  EXPECT_EQ(j["w_row"], Json::parse("[[1,2,3,4]]"));
  EXPECT_EQ(j["y_mat"], Json::parse("[[37,47,67,77]]"));
  EXPECT_EQ(j["output"], Json::parse("[[[[37,47],[67,77]]]]"));
  EXPECT_EQ(j["grad_input"], Json::parse("[[[[1,3,2],[4,10,6],[3,7,4]]]]"));
  EXPECT_EQ(j["grad_weights"], Json::parse("[[[[12,16],[24,28]]]]"));
  EXPECT_EQ(j["overlap"], Json::parse("[[1,2,1],[2,4,2],[1,2,1]]"));
  EXPECT_EQ(r.out.find(".0"), std::string::npos) << "integers print as integers";
}

TEST(CliCompute, RowsLayoutTransposesTheDisplayedMatrices) {
  const ProgramResult r =
      RunLab({"compute", "--preset", "smaller-3x3-by-2x2", "--layout", "rows", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["layout"], "rows");
  EXPECT_EQ(j["x_col"], Json::parse("[[1,2,4,5],[2,3,5,6],[4,5,7,8],[5,6,8,9]]"));  // symmetric here
  EXPECT_EQ(j["y_mat"], Json::parse("[[37],[47],[67],[77]]"));
  EXPECT_EQ(j["w_row"], Json::parse("[[1,2,3,4]]"));
}

TEST(CliCompute, AlexNetConv1HasTheChaptersShapes) {
  const ProgramResult r = RunLab({"compute", "--preset", "alexnet-conv1", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["shape"]["out_height"], 55);
  EXPECT_EQ(j["shape"]["out_width"], 55);
  EXPECT_EQ(j["x_col"].size(), 363u);
  EXPECT_EQ(j["x_col"][0].size(), 3025u);
  EXPECT_EQ(j["w_row"].size(), 96u);
  EXPECT_EQ(j["w_row"][0].size(), 363u);
  EXPECT_EQ(j["y_mat"].size(), 96u);
  EXPECT_EQ(j["y_mat"][0].size(), 3025u);
  EXPECT_EQ(j["output"][0].size(), 96u);
  EXPECT_EQ(j["output"][0][0].size(), 55u);
}

TEST(CliCompute, ShapeFlagsReplaceSingleFields) {
  const ProgramResult r = RunLab({"compute", "--preset", "smaller-3x3-by-2x2", "--padding", "1", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["shape"]["channels"], 1);
  EXPECT_EQ(j["shape"]["padding"], Json::parse("[1,1]"));
  EXPECT_EQ(j["shape"]["out_height"], 4);
  EXPECT_EQ(j["x_col"][0][0], 0) << "top-left patch starts in the padding";
}

TEST_F(CliFiles, FlatAndNestedValueFilesGiveTheSameOutput) {
  const std::string shape = R"("shape": {"channels": 1, "height": 2, "width": 2, "kernel": 1}, "bias": {"values": [0.5]},)";
  const auto flat = Write("flat.json", "{" + shape + R"("input": {"values": [1, 2, 3, 4]}})");
  const auto nested = Write("nested.json", "{" + shape + R"("input": {"values": [[[[1, 2], [3, 4]]]]}})");
  const ProgramResult a = RunLab({"compute", "--scenario", flat, "--format", "csv"});
  const ProgramResult b = RunLab({"compute", "--scenario", nested, "--format", "csv"});
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("f=0,1.5,2.5,3.5,4.5"), std::string::npos) << a.out;  // y = x*1 + 0.5
}

// [SECTION] Other subcommands -------------------------------------------------------

TEST(CliPresets, ListsEveryPresetWithItsTitle) {
  const ProgramResult r = RunLab({"presets"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* name : {"chapter-4x4x3", "smaller-3x3-by-2x2", "alexnet-conv1", "stride2-no-overlap", "padding1",
                           "dilation2", "batch2", "non-square"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(r.out.rfind("chapter-4x4x3 ", 0), 0u) << "the default comes first";
  const ProgramResult json = RunLab({"presets", "--format", "json"});
  ASSERT_EQ(json.status, 0) << json.err;
  const Json j = Json::parse(json.out);
  ASSERT_GE(j["presets"].size(), 8u);
  EXPECT_EQ(j["presets"][0]["name"], "chapter-4x4x3");
  EXPECT_EQ(j["presets"][0]["title"], "Chapter example: 4x4x3 input, K2 S1 P0 F1");
}

TEST(CliTimeline, JsonListsEveryStepInPhaseOrder) {
  const ProgramResult r = RunLab({"timeline", "--preset", "smaller-3x3-by-2x2", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json steps = Json::parse(r.out)["steps"];
  // extract 16, flatten 1, multiply 4, reshape 1, grad-output 1, grad-weights 4, grad-x-col 4, col2im 4.
  ASSERT_EQ(steps.size(), 35u);
  EXPECT_EQ(steps[0], Json::parse(R"({"index": 0, "phase": "extract", "label": "copy x[0,0,0,0] into X_col[0,0]"})"));
  const std::vector<std::string> order{"extract",     "flatten",      "multiply",   "reshape",
                                       "grad-output", "grad-weights", "grad-x-col", "col2im"};
  std::size_t phase = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i]["index"], i);
    while (phase < order.size() && steps[i]["phase"] != order[phase]) ++phase;
    ASSERT_LT(phase, order.size()) << "step " << i << " is out of phase order";
  }
  EXPECT_EQ(steps.back()["phase"], "col2im");
}

TEST(CliTimeline, TextHasOneLinePerStep) {
  const ProgramResult r = RunLab({"timeline", "--preset", "smaller-3x3-by-2x2"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 36);  // a header and 35 steps
  EXPECT_NE(r.out.find("\n0  extract  copy x[0,0,0,0] into X_col[0,0]\n"), std::string::npos) << r.out;
}

TEST(CliProgram, HelpAndVersion) {
  const ProgramResult help = RunLab({"--help"});
  EXPECT_EQ(help.status, 0);
  for (const char* word : {"presets", "compute", "timeline", "render", "bench", "code", "--kernel", "--link"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
  const ProgramResult compute_help = RunLab({"compute", "--help"});
  EXPECT_EQ(compute_help.status, 0);
  EXPECT_NE(compute_help.out.find("--format"), std::string::npos);
  // Transposes as the window writes them.
  EXPECT_NE(compute_help.out.find("X_row = X_col\u1D40"), std::string::npos) << compute_help.out;
  EXPECT_EQ(compute_help.out.find("^T"), std::string::npos) << compute_help.out;
  const ProgramResult version = RunLab({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out, "0.1.0\n");
}

// [SECTION] Bad input ------------------------------------------------------------------

struct BadInput {
  std::vector<std::string> args;
  std::string expected;  // must appear in the one-line message
};

ProgramResult ExpectRefused(const BadInput& c) {
  std::string joined;
  for (const auto& a : c.args) joined += a + " ";
  const ProgramResult r = RunLab(c.args);
  EXPECT_EQ(r.status, 2) << joined << "\nstderr: " << r.err;
  EXPECT_EQ(r.out, "") << joined;
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << joined << "\nstderr: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << joined << "\none line: " << r.err;
  EXPECT_NE(r.err.find(c.expected), std::string::npos) << joined << "\nstderr: " << r.err << "expected: " << c.expected;
  return r;
}

TEST(CliBadInput, FlagsAndSubcommands) {
  const std::vector<BadInput> cases = {
      {{"compute", "--bogus"}, "--bogus"},
      {{"frobnicate"}, "frobnicate"},
      {{"compute", "--kernel", "0"}, "--kernel: must be >= 1, got 0"},
      {{"compute", "--stride", "x"}, "--stride: expected an integer or HxW, got 'x'"},
      {{"compute", "--padding", "-1"}, "--padding: must be >= 0, got -1"},
      {{"compute", "--dilation", "2x0"}, "--dilation: height and width must be >= 1, got 2x0"},
      {{"compute", "--kernel", "5"}, "kernel 5x5 with dilation 1 needs height + 2*padding >= 5, got 4 + 2*0 = 4"},
      {{"compute", "--kernel", "3", "--dilation", "2"}, "kernel 3x3 with dilation 2 needs height + 2*padding >= 5"},
      {{"compute", "--batch", "99999999999999"}, "--batch: must be <= 1048576, got 99999999999999"},
      {{"compute", "--height", "100000", "--width", "100000", "--kernel", "1"}, "256 MB"},
      {{"compute", "--channels", "1000000", "--height", "64", "--width", "64"}, "256 MB"},
      {{"compute", "--format", "yaml"}, "--format: expected json, text, csv, latex or markdown, got 'yaml'"},
      {{"compute", "--layout", "diagonal"}, "--layout: expected columns or rows, got 'diagonal'"},
      {{"compute", "--fill", "gradient"}, "--fill: expected ramp, random, ones or zeros, got 'gradient'"},
      {{"compute", "--seed", "-3"}, "--seed: expected an integer"},
      {{"compute", "--preset", "nope"}, "--preset: unknown preset 'nope'; available: chapter-4x4x3"},
      {{"compute", "--preset", "padding1", "--scenario", "x.json"}, "excludes"},
      {{"compute", "--kernel"}, "--kernel"},
      {{"compute", "--scenario", "/no/such/file.json"}, "/no/such/file.json: cannot open"},
      {{"timeline", "--format", "xml"}, "--format: expected json or text, got 'xml'"},
      {{"timeline", "--stride", "0"}, "--stride: must be >= 1, got 0"},
      {{"presets", "--format", "xml"}, "--format: expected text or json"},
      {{"--kernel", "3", "compute"}, "scenario flags go after the subcommand"},
      // Without a subcommand the window would open: bad flags are refused before that.
      {{"--kernel", "0"}, "--kernel: must be >= 1, got 0"},
      // --link opens the window on a link's view alone.
      {{"--link", "#preset=padding1", "compute"}, "--link: opens the window; it takes no subcommand"},
      {{"--link", "#step=3", "--kernel", "3"}, "--link: opens the window on the link's view alone"},
      {{"--link"}, "--link"},
  };
  for (const auto& c : cases) ExpectRefused(c);
}

TEST_F(CliFiles, BadScenarioFiles) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"{\"shape\": {\"kernel\": 0}}", "field shape.kernel: must be >= 1, got 0"},
      {"{\n  \"shape\": {\"kernel\": 2,}\n}", "field shape: malformed JSON at line 2, column 25"},
      {"", "malformed JSON at line 1"},
      {"{\"input\": {\"values\": [1, 2, 3]}}", "field input.values: expected 48 numbers (1x3x4x4, flat or nested), got 3"},
      {"{\"shape\": {\"channels\": 1, \"height\": 2, \"width\": 2, \"kernel\": 1}, "
       "\"input\": {\"values\": [[[[1, 2], [3, 4, 5]]]]}}",
       "field input.values[0][0][1]: expected 2 entries (width), got 3"},
      {"{\"bias\": {\"values\": [NaN]}}", "field bias.values[0]: malformed JSON"},
      {"{\"bias\": {\"values\": [1e309]}}", "field bias.values[0]: malformed JSON"},
      {"{\"bias\": {\"values\": [1e13]}}", "field bias.values[0]: must be a finite number with magnitude <= 1e12"},
      {"{\"input\": {\"fill\": \"gradient\"}}", "field input.fill: unknown fill 'gradient'"},
      {"{\"shape\": {\"height\": 100000, \"width\": 100000, \"kernel\": 1}}", "256 MB"},
      {"{\"shape\": {\"height\": 99999999999999}}", "field shape.height: must be <= 1048576, got 99999999999999"},
      {"[1, 2]", "expected an object"},
  };
  int index = 0;
  for (const auto& [text, expected] : files) {
    const std::string name = "bad" + std::to_string(index++) + ".json";
    const std::string path = Write(name, text);
    const ProgramResult r = ExpectRefused({{"compute", "--scenario", path}, expected});
    EXPECT_EQ(r.err.rfind("error: " + path + ": ", 0), 0u) << "names the file first: " << r.err;
  }
  // A directory is not a scenario file.
  ExpectRefused({{"compute", "--scenario", dir_.string()}, "is a directory"});
}

TEST_F(CliFiles, ShapeFlagsOnAFileWithValuesExplainTheMismatch) {
  const auto path = Write("values.json", R"({"shape": {"channels": 1, "height": 2, "width": 2, "kernel": 1},
                                            "input": {"values": [1, 2, 3, 4]}})");
  ExpectRefused({{"compute", "--scenario", path, "--height", "3"}, "input values: expected 6 numbers"});
  const ProgramResult fixed = RunLab({"compute", "--scenario", path, "--height", "3", "--fill", "ones"});
  EXPECT_EQ(fixed.status, 0) << fixed.err;
}

}  // namespace
