// The real binary against the limits: at the largest shape the app accepts, every
// output format of `compute` stays inside the scenario's memory budget (peak RSS of the
// child, read with wait4; never a time); one step larger is refused with the budget in
// the message; a FIFO or /dev/zero as --scenario is refused without blocking or reading
// it; render refuses --out and --layout-json naming one file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "im2col/shape.h"
#include "run_program.h"

namespace im2col {
namespace {

namespace fs = std::filesystem;

struct Usage {
  int status = -1;   // exit code, or 128 + signal
  long peak_kb = 0;  // ru_maxrss of this child alone
};

// Runs the binary with stdout to /dev/null (the output is not what is measured) and
// stderr to `err_path`; SIGALRM after `seconds` turns a hang into a failure.
Usage RunMeasured(const std::vector<std::string>& args, const fs::path& err_path, unsigned seconds) {
  const std::string exe = IM2COL_LAB_EXE;
  const pid_t child = ::fork();
  if (child == 0) {
    const int null_fd = ::open("/dev/null", O_WRONLY);
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (null_fd < 0 || err_fd < 0) ::_exit(127);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::alarm(seconds);
    std::vector<char*> argv{const_cast<char*>(exe.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  Usage usage;
  int status = 0;
  struct rusage rusage {};
  if (child > 0 && ::wait4(child, &status, 0, &rusage) == child) {
    usage.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    usage.peak_kb = rusage.ru_maxrss;
  }
  return usage;
}

// The largest square one-channel image with a 1x1 kernel core accepts (bisection).
int LargestAcceptedSide() {
  Shape s;
  s.channels = 1;
  s.kernel = {1, 1};
  int lo = 1, hi = 1 << 16;
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    s.height = s.width = mid;
    (s.IsValid() ? lo : hi) = mid;
  }
  return lo;
}

std::vector<std::string> ShapeFlags(int side) {
  return {"--channels", "1", "--height", std::to_string(side), "--width", std::to_string(side), "--kernel", "1"};
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
    const Usage usage = RunMeasured(args, dir_ / "err.txt", 600);
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
    const Usage usage = RunMeasured({"compute", "--scenario", path}, dir_ / "err.txt", 20);
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
