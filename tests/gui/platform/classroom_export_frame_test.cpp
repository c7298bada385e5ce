// Exports from the window (ProcessClassroomRequests) show the frame only: the Export
// window that asked for them, and the other tool windows, are not in the picture.
// Needs a display (xvfb-run); skips without.
#include <gtest/gtest.h>

#include "support/hidden_window_test.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "gui/panels/frame.h"
#include "gui/platform/classroom_window.h"
#include "gui/platform/platform.h"
#include "gui/widgets/theme.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/render_sequence.h"
#include "gui/state/app_state.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ExportFrame : public im2col::testing::HiddenWindowTest {
 protected:
  void SetUp() override {
    HiddenWindowTest::SetUp();
    if (IsSkipped()) return;
    dir_ = fs::temp_directory_path() / ("im2col-export-frame-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  // The frame with no tool window open, as PNG bytes (`state` as it was when exporting).
  std::string PlainFrame(const AppState& state, Index step, const std::string& status) {
    AppState plain = state;
    plain.status = status;
    plain.status_is_error = false;
    plain.classroom.show_export = plain.classroom.show_code = plain.classroom.show_shortcuts = false;
    plain.classroom.show_image = false;
    PushIntent(plain, intent::SetStep{step});
    ApplyIntents(plain);
    plain.playback.transition = 1.0f;
    plain.playback.previous_step = plain.playback.step;
    RgbImage image;
    std::string error;
    EXPECT_TRUE(RenderStateToImage(*platform_, plain, 640, 360, &image, nullptr, &error)) << error;
    return EncodePng(image);
  }
  // Window frames as RunApp draws them: the tool windows exist in the ImGui context
  // (a window's first frame is not drawn), as in the live app before an export.
  void LiveFrames(AppState& state) {
    for (int i = 0; i < 3; ++i) {
      std::string error;
      ASSERT_TRUE(platform_->EnsureStyle(state.theme, EffectiveFontScale(state), &error)) << error;
      platform_->BeginFrame(/*offscreen=*/true, 1280, 720);
      DrawAppFrame(state, &platform_->gpu());
      platform_->RenderFrame(ActivePalette().panel, 1280, 720);
      ApplyIntents(state);
    }
  }
  fs::path dir_;
};

TEST_F(ExportFrame, PngAndNumberedPngsShowTheStageWithoutTheExportWindow) {
  AppState state = MakeAppState(Scenario{});
  // The teacher has the Export window (and the Code and shortcuts windows) open.
  state.classroom.show_export = true;
  state.classroom.show_code = true;
  state.classroom.show_shortcuts = true;
  PushIntent(state, intent::SetStep{20});
  ApplyIntents(state);
  LiveFrames(state);

  ExportRequest png;
  png.kind = ExportRequest::Kind::FramePng;
  png.path = (dir_ / "frame.png").string();
  png.width = 640;
  png.height = 360;
  state.classroom.request = png;
  const std::string status_before = state.status;
  ProcessClassroomRequests(*platform_, state);
  ASSERT_FALSE(state.status_is_error) << state.status;
  EXPECT_TRUE(ReadBytes(png.path) == PlainFrame(state, 20, status_before)) << "the exported PNG is not the plain frame";

  ExportRequest pngs;
  pngs.kind = ExportRequest::Kind::AnimationPngs;
  pngs.path = (dir_ / "frames").string();
  pngs.width = 640;
  pngs.height = 360;
  pngs.first_step = 30;
  pngs.last_step = 31;
  LiveFrames(state);
  state.classroom.request = pngs;
  const std::string status_between = state.status;
  ProcessClassroomRequests(*platform_, state);
  ASSERT_FALSE(state.status_is_error) << state.status;
  for (Index step : {30, 31}) {
    EXPECT_TRUE(ReadBytes(fs::path(pngs.path) / SequencePngName(step)) == PlainFrame(state, step, status_between))
        << "numbered PNG of step " << step << " is not the plain frame";
  }
  // The live window keeps its tool windows and its step.
  EXPECT_TRUE(state.classroom.show_export);
  EXPECT_EQ(state.playback.step, 20);
}

}  // namespace
