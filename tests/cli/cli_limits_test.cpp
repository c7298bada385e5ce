// The real binary against the limits: at the largest shape the app accepts, every
// output format of `compute` stays inside the scenario's memory budget (peak RSS of the
// child, read with wait4; never a time); one step larger is refused with the budget in
// the message; a FIFO or /dev/zero as --scenario is refused without blocking or reading
// it; render refuses --out and --layout-json naming one file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "im2col/shape.h"
#include "run_program.h"
#include "support/measured_run.h"

namespace im2col {
namespace {

namespace fs = std::filesystem;

using testing::LargestAcceptedSide;

std::vector<std::string> ShapeFlags(int side) { return testing::SquareShapeFlags(side); }

testing::MeasuredRun RunMeasured(const std::vector<std::string>& args, const fs::path& err_path, unsigned seconds) {
  return testing::RunMeasured(IM2COL_LAB_EXE, args, err_path, seconds);
}

class CliLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("im2col_cli_limits_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CliLimits, EveryOutputFormatStaysInsideTheBudgetAtTheLargestAcceptedShape) {
  const int side = LargestAcceptedSide();
  const long budget_kb = static_cast<long>(kMaxScenarioBytes / 1024);
  for (const char* format : {"json", "text", "csv", "latex", "markdown"}) {
    std::vector<std::string> args = {"compute", "--format", format};
    for (const auto& flag : ShapeFlags(side)) args.push_back(flag);
    const testing::MeasuredRun usage = RunMeasured(args, dir_ / "err.txt", 600);
    ASSERT_EQ(usage.status, 0) << format << ": " << testing::ReadFileText(dir_ / "err.txt");
    EXPECT_LE(usage.peak_kb, budget_kb) << "compute --format " << format << " at " << side << "x" << side
                                        << " peaked at " << usage.peak_kb / 1024 << " MB";
  }
}

TEST_F(CliLimits, OneStepLargerIsRefusedNamingTheBudget) {
  std::vector<std::string> args = {"compute", "--format", "json"};
  for (const auto& flag : ShapeFlags(LargestAcceptedSide() + 1)) args.push_back(flag);
  const testing::ProgramResult result = testing::RunProgram(IM2COL_LAB_EXE, args);
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("this scenario needs"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("the limit is 1 GB"), std::string::npos) << result.err;
}

TEST_F(CliLimits, AFifoOrDevZeroAsScenarioIsRefusedWithoutBlockingOrReadingIt) {
  const fs::path fifo = dir_ / "scenario.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  for (const std::string& path : {fifo.string(), std::string("/dev/zero")}) {
    const testing::MeasuredRun usage = RunMeasured({"compute", "--scenario", path}, dir_ / "err.txt", 20);
    const std::string err = testing::ReadFileText(dir_ / "err.txt");
    EXPECT_EQ(usage.status, 2) << path << ": " << err;  // 128 + SIGALRM when it blocked
    EXPECT_NE(err.find("not a regular file"), std::string::npos) << err;
    EXPECT_LT(usage.peak_kb, 128 * 1024) << path << " was read into memory";
  }
}

TEST_F(CliLimits, RenderRefusesOneFileForOutAndLayoutJson) {
  const std::string same = (dir_ / "x.png").string();
  const testing::ProgramResult result =
      testing::RunProgram(IM2COL_LAB_EXE, {"render", "--out", same, "--layout-json", same});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("--out and --layout-json name the same file"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(same));
}

}  // namespace
}  // namespace im2col
