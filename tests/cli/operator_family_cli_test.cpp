// The operator family on the command line, run as a real process: --groups, --op and
// --output-padding on every subcommand, their JSON keys, the transposed timeline's
// phases, scenario-file fields, and every new rule refused with exit 2 and one line
// naming the field.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run_program.h"

namespace {
namespace fs = std::filesystem;
using im2col::testing::ProgramResult;
using Json = nlohmann::json;

ProgramResult RunLab(const std::vector<std::string>& args) { return im2col::testing::RunProgram(IM2COL_LAB_EXE, args); }

Json ComputeJson(std::vector<std::string> args) {
  args.insert(args.begin(), "compute");
  args.insert(args.end(), {"--format", "json"});
  const ProgramResult r = RunLab(args);
  EXPECT_EQ(r.status, 0) << r.err;
  return Json::parse(r.out);
}

void ExpectRefused(const std::vector<std::string>& args, const std::string& expected) {
  std::string joined;
  for (const auto& a : args) joined += a + " ";
  const ProgramResult r = RunLab(args);
  EXPECT_EQ(r.status, 2) << joined << "\nstderr: " << r.err;
  EXPECT_EQ(r.out, "") << joined;
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << joined << "\nstderr: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << joined << "\none line: " << r.err;
  EXPECT_NE(r.err.find(expected), std::string::npos) << joined << "\nstderr: " << r.err << "expected: " << expected;
}

TEST(CliOperatorFamily, ComputeJsonShapeAlwaysNamesGroupsAndOp) {
  const Json conv = ComputeJson({});
  EXPECT_EQ(conv["shape"]["groups"], 1);
  EXPECT_EQ(conv["shape"]["op"], "conv");
  EXPECT_FALSE(conv["shape"].contains("output_padding"));
  EXPECT_FALSE(conv.contains("x_mat"));

  const Json grouped = ComputeJson({"--channels", "4", "--filters", "2", "--groups", "2"});
  EXPECT_EQ(grouped["shape"]["groups"], 2);
  // weights F x C/G x KH x KW; W_row F x R block-diagonal.
  EXPECT_EQ(grouped["weights"].size(), 2u);
  EXPECT_EQ(grouped["weights"][0].size(), 2u);
  EXPECT_EQ(grouped["w_row"][0].size(), 16u);
  EXPECT_EQ(grouped["w_row"][0][8], 0);   // filter 0 does not see channel 2
  EXPECT_EQ(grouped["w_row"][1][0], 0);   // filter 1 does not see channel 0
  EXPECT_EQ(grouped["w_row"][1][8], 9);   // its first weight, ramp 9..16
}

TEST(CliOperatorFamily, TransposedComputeHasXMatAndTheTransposedSizes) {
  const Json t = ComputeJson({"--op", "transposed", "--channels", "2", "--filters", "3", "--height", "2", "--width",
                              "3", "--kernel", "3", "--stride", "2", "--padding", "1", "--output-padding", "1x0",
                              "--layout", "rows"});
  EXPECT_EQ(t["shape"]["op"], "transposed");
  EXPECT_EQ(t["shape"]["output_padding"], Json::array({1, 0}));
  EXPECT_EQ(t["shape"]["out_height"], 4);  // (2-1)*2 - 2 + 2 + 1 + 1
  EXPECT_EQ(t["shape"]["out_width"], 5);   // (3-1)*2 - 2 + 2 + 0 + 1
  EXPECT_FALSE(t.contains("y_mat"));
  // Rows layout: x_mat is N*L x C, x_col N*L x R; W_row is C x R; weights C x F/G x K x K.
  EXPECT_EQ(t["x_mat"].size(), 6u);
  EXPECT_EQ(t["x_mat"][0].size(), 2u);
  EXPECT_EQ(t["x_col"].size(), 6u);
  EXPECT_EQ(t["x_col"][0].size(), 27u);
  EXPECT_EQ(t["w_row"].size(), 2u);
  EXPECT_EQ(t["weights"].size(), 2u);
  EXPECT_EQ(t["weights"][0].size(), 3u);
  EXPECT_EQ(t["output"][0].size(), 3u);
  EXPECT_EQ(t["output"][0][0].size(), 4u);
  EXPECT_EQ(t["grad_input"][0].size(), 2u);
  EXPECT_EQ(t["overlap"].size(), 4u);
}

TEST(CliOperatorFamily, TheSmallerExamplesBackwardRunForwardIsItsDx) {
  const Json conv = ComputeJson({"--preset", "smaller-3x3-by-2x2"});
  const Json transposed = ComputeJson({"--preset", "transposed-of-3x3-by-2x2"});
  EXPECT_EQ(transposed["output"], conv["grad_input"]);
  EXPECT_EQ(transposed["output"], Json::parse("[[[[1, 3, 2], [4, 10, 6], [3, 7, 4]]]]"));
}

TEST(CliOperatorFamily, TransposedTimelineListsItsPhasesInOrder) {
  const ProgramResult r = RunLab({"timeline", "--preset", "transposed-k3s2", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> phases;
  const Json timeline = Json::parse(r.out);
  for (const Json& step : timeline["steps"])
    if (phases.empty() || phases.back() != step["phase"]) phases.push_back(step["phase"]);
  EXPECT_EQ(phases, (std::vector<std::string>{"flatten", "multiply", "col2im", "grad-output", "grad-x-col",
                                              "grad-input", "grad-weights"}));
}

TEST(CliOperatorFamily, EverySubcommandAcceptsTheFlags) {
  const std::vector<std::string> flags = {"--op", "transposed", "--groups", "1", "--output-padding", "0",
                                          "--height", "2", "--width", "2", "--channels", "1"};
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"compute"}, {"timeline"}, {"code", "--lang", "numpy"},
        {"bench", "--repeat", "1", "--format", "json"}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), flags.begin(), flags.end());
    const ProgramResult r = RunLab(args);
    EXPECT_EQ(r.status, 0) << command.front() << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << command.front();
  }
}

TEST(CliOperatorFamily, BenchTimesTheTransposedAndGroupedLoops) {
  const ProgramResult r = RunLab({"bench", "--op", "transposed", "--channels", "4", "--filters", "2", "--groups", "2",
                                  "--height", "6", "--width", "6", "--kernel", "4", "--stride", "2", "--padding", "1",
                                  "--repeat", "1", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json bench = Json::parse(r.out);
  std::vector<std::string> names;
  for (const Json& result : bench["results"]) names.push_back(result["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"loops-forward", "x-mat", "gemm-col2im", "gemm-col2im-forward",
                                             "loops-backward", "im2col-gemm-backward"}));
}

TEST(CliOperatorFamily, EveryNewRuleIsRefusedNamingTheField) {
  ExpectRefused({"compute", "--groups", "2"}, "groups 2 must divide channels 3");
  ExpectRefused({"compute", "--groups", "3", "--filters", "2"}, "groups 3 must divide filters 2");
  ExpectRefused({"compute", "--groups", "0"}, "--groups: must be >= 1, got 0");
  ExpectRefused({"compute", "--groups", "two"}, "--groups: expected an integer, got 'two'");
  ExpectRefused({"compute", "--op", "deconv"}, "--op: expected conv or transposed, got 'deconv'");
  ExpectRefused({"compute", "--output-padding", "1"}, "output_padding is only for op transposed");
  ExpectRefused({"compute", "--op", "transposed", "--output-padding", "-1"},
                "--output-padding: must be >= 0, got -1");
  ExpectRefused({"compute", "--op", "transposed", "--output-padding", "1x"},
                "--output-padding: expected an integer or HxW, got '1x'");
  ExpectRefused({"compute", "--op", "transposed", "--stride", "2", "--output-padding", "2x1"},
                "output_padding 2 must be smaller than stride 2 or dilation 1 (height)");
  ExpectRefused({"timeline", "--op", "transposed", "--height", "1", "--kernel", "1", "--padding", "1"},
                "transposed output height (height - 1)*stride - 2*padding + dilation*(kernel - 1) + output_padding + 1 "
                "must be >= 1, got (1 - 1)*1 - 2*1 + 1*(1 - 1) + 0 + 1 = -1");
  ExpectRefused({"code", "--lang", "numpy", "--op", "transposed", "--stride", "5000", "--kernel", "1", "--height",
                 "64", "--width", "64", "--channels", "1"},
                "output would be 1x1x315001x315001");
}

class CliFamilyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("im2col_cli_family_" + std::to_string(::getpid()) + "_" +
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

TEST_F(CliFamilyFiles, ScenarioFilesCarryTheFieldsAndRejectUnknownValues) {
  const std::string good = Write("t.json", R"({"format": "im2col-lab-scenario", "version": 1,
      "shape": {"channels": 2, "filters": 2, "groups": 2, "height": 2, "width": 2, "kernel": 2, "stride": 2,
                "op": "transposed", "output_padding": [1, 0]}})");
  const Json t = ComputeJson({"--scenario", good});
  EXPECT_EQ(t["shape"]["groups"], 2);
  EXPECT_EQ(t["shape"]["op"], "transposed");
  EXPECT_EQ(t["shape"]["out_height"], 5);
  EXPECT_EQ(t["shape"]["out_width"], 4);
  // An old file without the fields loads as an ordinary convolution.
  const Json old = ComputeJson({"--scenario", Write("old.json", R"({"shape": {"kernel": 3}})")});
  EXPECT_EQ(old["shape"]["op"], "conv");
  EXPECT_EQ(old["shape"]["groups"], 1);

  ExpectRefused({"compute", "--scenario", Write("op.json", R"({"shape": {"op": "sideways"}})")},
                "field shape.op: expected \"conv\" or \"transposed\", got \"sideways\"");
  ExpectRefused({"compute", "--scenario", Write("g.json", R"({"shape": {"groups": 0}})")},
                "field shape.groups: must be >= 1, got 0");
  ExpectRefused({"compute", "--scenario", Write("g2.json", R"({"shape": {"groups": 2}})")},
                "field shape: groups 2 must divide channels 3");
  ExpectRefused({"compute", "--scenario", Write("opad.json", R"({"shape": {"output_padding": 1}})")},
                "field shape: output_padding is only for op transposed");
  ExpectRefused({"compute", "--scenario", Write("opad2.json", R"({"shape": {"op": "transposed", "output_padding": [0, 0, 0]}})")},
                "field shape.output_padding: expected an integer or [height, width], got an array of 3");
  // Flags override the file's fields.
  const Json conv = ComputeJson({"--scenario", good, "--op", "conv", "--output-padding", "0", "--fill", "ones",
                                 "--grad-fill", "ones"});
  EXPECT_EQ(conv["shape"]["op"], "conv");
}

}  // namespace
