// `im2col-lab render --steps A:B --gif FILE | --out-dir DIR`: the GIF read back with
// giflib has one frame per step (and differs between steps), the folder one PNG per
// step; bad ranges are usage errors. Needs a display (xvfb-run); skips without one.
#include <gtest/gtest.h>
#include <gif_lib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

bool HaveDisplay() { return std::getenv("DISPLAY") != nullptr || std::getenv("WAYLAND_DISPLAY") != nullptr; }

int RunLab(const std::string& args, const fs::path& err) {
  const std::string command = std::string(IM2COL_LAB_EXE) + " " + args + " 2> " + err.string() + " > /dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct GifInfo {
  int frames = -1, width = 0, height = 0;
  bool frames_differ = false;
};

GifInfo ReadGif(const fs::path& path) {
  GifInfo info;
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  if (gif == nullptr) return info;
  if (DGifSlurp(gif) == GIF_OK) {
    info.frames = gif->ImageCount;
    info.width = gif->SWidth;
    info.height = gif->SHeight;
    // Frames after the first store only what changed: a changed rectangle smaller
    // than the screen, or different pixels, both mean the step changed the picture.
    for (int i = 1; i < gif->ImageCount; ++i) {
      const GifImageDesc& d = gif->SavedImages[i].ImageDesc;
      if (d.Width > 1 || d.Height > 1) info.frames_differ = true;
    }
  }
  DGifCloseFile(gif, &error);
  return info;
}

class RenderSteps : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveDisplay()) GTEST_SKIP() << "no display";
    dir_ = fs::temp_directory_path() / ("im2col_classroom_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RenderSteps, GifHasOneFramePerStep) {
  const fs::path gif = dir_ / "a.gif";
  ASSERT_EQ(RunLab("render --steps 2:6 --size 640x360 --gif " + gif.string(), dir_ / "err"), 0) << ReadAll(dir_ / "err");
  const GifInfo info = ReadGif(gif);
  EXPECT_EQ(info.frames, 5);
  EXPECT_EQ(info.width, 640);
  EXPECT_EQ(info.height, 360);
  EXPECT_TRUE(info.frames_differ);
}

TEST_F(RenderSteps, OutDirHasNumberedPngs) {
  const fs::path out = dir_ / "frames";
  ASSERT_EQ(RunLab("render --kernel 3 --padding 1 --steps 0:3 --size 480x320 --out-dir " + out.string(), dir_ / "err"), 0)
      << ReadAll(dir_ / "err");
  for (const char* name : {"step_00000.png", "step_00001.png", "step_00002.png", "step_00003.png"}) {
    EXPECT_TRUE(fs::exists(out / name)) << name;
  }
  EXPECT_FALSE(fs::exists(out / "step_00004.png"));
  EXPECT_NE(ReadAll(out / "step_00000.png"), ReadAll(out / "step_00001.png"));
}

TEST_F(RenderSteps, BadRangesAreUsageErrorsAndWriteNothing) {
  const fs::path gif = dir_ / "bad.gif";
  EXPECT_EQ(RunLab("render --steps 5:2 --gif " + gif.string(), dir_ / "err"), 2);
  EXPECT_NE(ReadAll(dir_ / "err").find("--steps"), std::string::npos) << ReadAll(dir_ / "err");
  EXPECT_EQ(RunLab("render --steps 0:99999 --gif " + gif.string(), dir_ / "err"), 2);
  EXPECT_EQ(RunLab("render --steps x --gif " + gif.string(), dir_ / "err"), 2);
  EXPECT_EQ(RunLab("render --steps 0:3", dir_ / "err"), 2);
  EXPECT_NE(ReadAll(dir_ / "err").find("--gif"), std::string::npos);
  EXPECT_FALSE(fs::exists(gif));
}

TEST_F(RenderSteps, LongRangesAreCappedWithANote) {
  const fs::path gif = dir_ / "long.gif";
  // AlexNet-like ranges are long; a 4x4 K1 input with 3 channels has enough steps.
  ASSERT_EQ(RunLab("render --height 16 --width 16 --kernel 1 --steps 0:260 --size 320x320 --gif " + gif.string(),
                dir_ / "err"), 0) << ReadAll(dir_ / "err");
  EXPECT_NE(ReadAll(dir_ / "err").find("evenly spaced"), std::string::npos) << ReadAll(dir_ / "err");
  EXPECT_EQ(ReadGif(gif).frames, 200);
}

}  // namespace
