// The shared scenario flags: every rule gives a message naming the flag, sizes never
// overflow, and a given flag replaces just its field (also on top of a preset).
#include "io/scenario_args.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

namespace im2col::io {
namespace {

// Parses `args` (after the program name) the way a subcommand would.
ScenarioResolution Resolve(std::vector<std::string> args) {
  CLI::App app{"test"};
  ScenarioOptions options;
  AddScenarioOptions(app, options);
  std::vector<const char*> argv{"prog"};
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return ResolveScenario(options);
}

std::string ErrorOf(std::vector<std::string> args) {
  const auto result = Resolve(std::move(args));
  EXPECT_FALSE(result.ok());
  return result.error;
}

TEST(ScenarioArgs, NoFlagsGiveTheChapterExample) {
  const auto result = Resolve({});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(*result.scenario, Scenario{});
}

TEST(ScenarioArgs, FlagsReplaceSingleFields) {
  const auto result = Resolve({"--kernel", "3x2", "--stride=2", "--padding", "1x0", "--dilation", "1", "--batch", "2",
                               "--channels", "1", "--height", "5", "--width", "6", "--filters", "4", "--layout", "rows",
                               "--order", "column-major", "--fill", "ones", "--grad-fill", "random", "--seed", "7"});
  ASSERT_TRUE(result.ok()) << result.error;
  const Scenario& sc = *result.scenario;
  EXPECT_EQ(sc.shape.kernel, (Pair{3, 2}));
  EXPECT_EQ(sc.shape.stride, (Pair{2, 2}));
  EXPECT_EQ(sc.shape.padding, (Pair{1, 0}));
  EXPECT_EQ(sc.shape.batch, 2);
  EXPECT_EQ(sc.shape.channels, 1);
  EXPECT_EQ(sc.shape.height, 5);
  EXPECT_EQ(sc.shape.width, 6);
  EXPECT_EQ(sc.shape.filters, 4);
  EXPECT_EQ(sc.layout, Layout::Rows);
  EXPECT_EQ(sc.order, Order::ColumnMajor);
  EXPECT_EQ(sc.input.fill, Fill::Ones);
  EXPECT_EQ(sc.weights.fill, Fill::Ones);
  EXPECT_EQ(sc.bias.fill, Fill::Ones);
  EXPECT_EQ(sc.grad_output.fill, Fill::Random);
  EXPECT_EQ(sc.seed, 7u);
  EXPECT_EQ(sc.title, "Custom: 5x6x1 input (batch 2), K3x2 S2 P1x0 F4");
}

TEST(ScenarioArgs, FlagsApplyOnTopOfAPreset) {
  const auto result = Resolve({"--preset", "alexnet-conv1", "--stride", "2"});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.scenario->shape.height, 227);
  EXPECT_EQ(result.scenario->shape.kernel, (Pair{11, 11}));
  EXPECT_EQ(result.scenario->shape.stride, (Pair{2, 2}));
  EXPECT_EQ(result.scenario->input.fill, Fill::Random);
  EXPECT_FALSE(result.description.empty());
}

TEST(ScenarioArgs, EveryRuleNamesTheFlag) {
  EXPECT_EQ(ErrorOf({"--kernel", "0"}), "--kernel: must be >= 1, got 0");
  EXPECT_EQ(ErrorOf({"--stride", "x"}), "--stride: expected an integer or HxW, got 'x'");
  EXPECT_EQ(ErrorOf({"--stride", "2x"}), "--stride: expected an integer or HxW, got '2x'");
  EXPECT_EQ(ErrorOf({"--stride", ""}), "--stride: expected an integer or HxW, got ''");
  EXPECT_EQ(ErrorOf({"--padding=-1"}), "--padding: must be >= 0, got -1");
  EXPECT_EQ(ErrorOf({"--kernel", "3x0"}), "--kernel: height and width must be >= 1, got 3x0");
  EXPECT_EQ(ErrorOf({"--batch", "99999999999999"}), "--batch: must be <= 1048576, got 99999999999999");
  EXPECT_EQ(ErrorOf({"--height", "99999999999999999999999999"}),
            "--height: must be <= 1048576, got 99999999999999999999999999");
  EXPECT_EQ(ErrorOf({"--kernel", "99999999999999x2"}), "--kernel: height and width must be <= 1048576, got 99999999999999x2");
  EXPECT_EQ(ErrorOf({"--channels", "1.5"}), "--channels: expected an integer, got '1.5'");
  EXPECT_EQ(ErrorOf({"--layout", "diagonal"}), "--layout: expected columns or rows, got 'diagonal'");
  EXPECT_EQ(ErrorOf({"--order", "z"}), "--order: expected row-major or column-major, got 'z'");
  EXPECT_EQ(ErrorOf({"--fill", "gradient"}), "--fill: expected ramp, random, ones or zeros, got 'gradient'");
  EXPECT_EQ(ErrorOf({"--grad-fill", "x"}), "--grad-fill: expected ramp, random, ones or zeros, got 'x'");
  EXPECT_NE(ErrorOf({"--seed", "-1"}).find("--seed: expected an integer from 0 to 18446744073709551615"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--seed", "18446744073709551616"}).find("--seed:"), std::string::npos);
  EXPECT_EQ(ErrorOf({"--preset", "nope"}).rfind("--preset: unknown preset 'nope'; available: chapter-4x4x3", 0), 0u);
}

TEST(ScenarioArgs, ShapeRulesAndMemoryCapComeFromCore) {
  EXPECT_EQ(ErrorOf({"--kernel", "5"}).rfind("kernel 5x5 with dilation 1 needs height + 2*padding >= 5", 0), 0u);
  const std::string huge = ErrorOf({"--height", "100000", "--width", "100000", "--kernel", "1"});
  EXPECT_FALSE(huge.empty());
  EXPECT_EQ(huge.find('\n'), std::string::npos);
}

TEST(ScenarioArgs, SeedAcceptsTheFullRange) {
  std::uint64_t seed = 0;
  EXPECT_FALSE(ParseSeedFlag("--seed", "18446744073709551615", seed).has_value());
  EXPECT_EQ(seed, 18446744073709551615ull);
  EXPECT_TRUE(ParseSeedFlag("--seed", "+1", seed).has_value());
}

TEST(ScenarioArgs, PresetAndScenarioExcludeEachOther) {
  EXPECT_THROW(Resolve({"--preset", "padding1", "--scenario", "a.json"}), CLI::ParseError);
}

}  // namespace
}  // namespace im2col::io
