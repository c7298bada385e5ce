// The window's memory at the largest shape core accepts: `render` draws the frame the
// window would (the stage's textures, the cached pictures, a col2im step's sums) and
// what the scenario adds to the process's peak RSS (wait4's ru_maxrss, never a time)
// must stay inside the scenario budget. What the app needs whatever the scenario (fonts,
// the GL driver, the framebuffer) is measured, not guessed: the same frame size at the
// chapter's 4x4 example. Needs a display (Xvfb); skipped without one.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "im2col/shape.h"
#include "im2col/timeline.h"
#include "support/measured_run.h"
#include "cli/run_program.h"

namespace im2col {
namespace {

namespace fs = std::filesystem;

class WindowMemory : public ::testing::Test {
 protected:
  void SetUp() override {
#ifdef IM2COL_LAB_SANITIZE
    GTEST_SKIP() << "AddressSanitizer's shadow memory and quarantine are not the app's";
#endif
    if (std::getenv("DISPLAY") == nullptr) GTEST_SKIP() << "no display (run under xvfb-run)";
    dir_ = fs::temp_directory_path() / ("im2col_window_memory_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Peak RSS (KB) of `render` of `extra` flags at `size`.
  long RenderPeakKb(std::vector<std::string> extra, const std::string& size) {
    std::vector<std::string> args = {"render", "--out", (dir_ / "frame.png").string(), "--size", size};
    args.insert(args.end(), extra.begin(), extra.end());
    const testing::MeasuredRun run = testing::RunMeasured(IM2COL_LAB_EXE, args, dir_ / "err.txt", 600);
    EXPECT_EQ(run.status, 0) << testing::ReadFileText(dir_ / "err.txt");
    return run.peak_kb;
  }

  fs::path dir_;
};

TEST_F(WindowMemory, TheWindowAtTheLargestAcceptedShapeStaysInsideTheBudget) {
  const int side = testing::LargestAcceptedSide();
  Shape largest;
  largest.channels = 1;
  largest.height = largest.width = side;
  largest.kernel = {1, 1};
  const Index last_step = Timeline(largest).StepCount() - 1;
  const long budget_kb = static_cast<long>(kMaxScenarioBytes / 1024);
  // Full HD shows the phase's blocks; 4K shows every matrix and plane at once.
  for (const std::string size : {"1920x1080", "3840x2160"}) {
    const long fixed_kb = RenderPeakKb({}, size);
    // Step 0: the input, X_col, Y and the output as pictures; the last step: col2im,
    // whose frame keeps the sums so far (and the pictures copy them).
    for (const Index step : {Index{0}, last_step}) {
      std::vector<std::string> flags = testing::SquareShapeFlags(side);
      flags.insert(flags.end(), {"--step", std::to_string(step)});
      const long peak_kb = RenderPeakKb(flags, size);
      std::printf("window %s at %dx%d, step %lld: peak %ld MB, of which the scenario %ld MB (budget %ld MB)\n",
                  size.c_str(), side, side, static_cast<long long>(step), peak_kb / 1024, (peak_kb - fixed_kb) / 1024,
                  budget_kb / 1024);
      EXPECT_LE(peak_kb - fixed_kb, budget_kb)
          << "render --size " << size << " --step " << step << " at " << side << "x" << side << " peaked at "
          << peak_kb / 1024 << " MB, " << fixed_kb / 1024 << " MB of it the app's own";
    }
  }
}

}  // namespace
}  // namespace im2col
