// An image as the input, decoded on the window's worker: the intent that asks for it
// returns with the image still loading and the shown scenario untouched; the values
// arrive later through PollBackgroundWork; a newer image supersedes a pending one; bad
// files keep the scenario and say which file and why. No display needed.
#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gui/state/app_state.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

class ImageLoading : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("im2col_image_loading_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A grey PNG, `left` in the left half and `right` in the right half.
  std::string WriteGreyPng(const std::string& name, int side, unsigned char left, unsigned char right) {
    std::vector<unsigned char> grey(static_cast<size_t>(side) * side);
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) grey[static_cast<size_t>(y) * side + x] = x < side / 2 ? left : right;
    const std::string path = (dir_ / name).string();
    EXPECT_NE(stbi_write_png(path.c_str(), side, side, 1, grey.data(), side), 0) << path;
    return path;
  }

  fs::path dir_;
};

// A one-channel 8 x 8 scenario whose image input runs on a worker, as in the window.
AppState GreyStateWithImageWorker() {
  Scenario grey;
  grey.shape.channels = 1;
  grey.shape.height = grey.shape.width = 8;
  grey.shape.kernel = {1, 1};
  AppState state = MakeAppState(grey);
  state.image_task = std::make_shared<LatestTask<DecodedImage>>();
  return state;
}

void LoadImage(AppState& state, const std::string& path) {
  PushIntent(state, intent::Classroom{classroom_action::LoadImage{path}});
  ApplyIntents(state);
}

// Polls and applies intents like the window loop, until `done` or ~20 s.
template <typename Done>
bool RunFramesUntil(AppState& state, Done done) {
  for (int i = 0; i < 4000; ++i) {
    PollBackgroundWork(state);
    ApplyIntents(state);
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

constexpr int kLargeSide = 4000;  // 16 megapixels: decoding and averaging take a while

TEST_F(ImageLoading, ALargeImageLoadsOnTheWorkerWhileTheShownScenarioStays) {
  const std::string png = WriteGreyPng("large.png", kLargeSide, 0, 200);
  AppState state = GreyStateWithImageWorker();
  const Scenario before = state.scenario;
  const Index generation = state.scenario_generation;
  LoadImage(state, png);
  // The call returned with the image still to come: nothing shown has changed.
  EXPECT_TRUE(IsLoadingImage(state));
  EXPECT_TRUE(HasBackgroundWork(state));
  EXPECT_EQ(state.classroom.image_loading, png);
  EXPECT_TRUE(state.scenario == before);
  EXPECT_FALSE(state.scenario.input.HasValues());
  EXPECT_EQ(state.scenario_generation, generation);

  ASSERT_TRUE(RunFramesUntil(state, [&] { return state.scenario.input.HasValues(); })) << state.status;
  EXPECT_FALSE(IsLoadingImage(state));
  EXPECT_FALSE(state.status_is_error) << state.status;
  EXPECT_NE(state.status.find("large.png"), std::string::npos) << state.status;
  const Tensor4& x = state.computation->input;
  for (int y = 0; y < 8; ++y) {
    EXPECT_EQ(x(0, 0, y, 0), 0) << "row " << y;
    EXPECT_EQ(x(0, 0, y, 3), 0) << "row " << y;
    EXPECT_EQ(x(0, 0, y, 4), 200) << "row " << y;
    EXPECT_EQ(x(0, 0, y, 7), 200) << "row " << y;
  }
}

TEST_F(ImageLoading, ANewerImageSupersedesAPendingOne) {
  const std::string older = WriteGreyPng("older.png", kLargeSide, 50, 50);
  const std::string newer = WriteGreyPng("newer.png", 16, 120, 120);
  AppState state = GreyStateWithImageWorker();
  LoadImage(state, older);
  LoadImage(state, newer);
  EXPECT_EQ(state.classroom.image_loading, newer);
  bool older_shown = false;
  ASSERT_TRUE(RunFramesUntil(state, [&] {
    older_shown |= state.computation->input(0, 0, 0, 0) == 50;
    return !IsLoadingImage(state) && state.intents.empty();
  }));
  EXPECT_FALSE(older_shown);
  ASSERT_TRUE(state.scenario.input.HasValues()) << state.status;
  EXPECT_EQ(state.computation->input(0, 0, 0, 0), 120);
  EXPECT_NE(state.status.find("newer.png"), std::string::npos) << state.status;
  // The older result, had it still been on its way, is dropped for good.
  for (int i = 0; i < 20; ++i) {
    PollBackgroundWork(state);
    ApplyIntents(state);
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(state.computation->input(0, 0, 0, 0), 120);
}

TEST_F(ImageLoading, AShapeChangedWhileLoadingGetsTheImageAtItsNewSize) {
  const std::string png = WriteGreyPng("large.png", kLargeSide, 0, 200);
  AppState state = GreyStateWithImageWorker();
  LoadImage(state, png);
  PushIntent(state, intent::SetShapeField{ShapeField::Height, 4});
  PushIntent(state, intent::SetShapeField{ShapeField::Width, 4});
  ApplyIntents(state);
  ASSERT_EQ(state.scenario.shape.width, 4);
  ASSERT_TRUE(RunFramesUntil(state, [&] { return state.scenario.input.HasValues(); })) << state.status;
  EXPECT_EQ(state.scenario.input.values.size(), 16u);
  EXPECT_EQ(state.computation->input(0, 0, 3, 1), 0);
  EXPECT_EQ(state.computation->input(0, 0, 3, 2), 200);
}

TEST_F(ImageLoading, BadFilesKeepTheShownScenarioAndNameTheFileAndTheRule) {
  const fs::path junk = dir_ / "junk.png";
  std::ofstream(junk) << "not an image";
  const std::string missing = (dir_ / "missing.png").string();
  struct Case {
    std::string path, rule;
  };
  for (const Case& c : {Case{junk.string(), "could not read it as a PNG or JPEG image"},
                        Case{missing, "missing.png"}, Case{"/dev/zero", "not a regular file"}}) {
    SCOPED_TRACE(c.path);
    AppState state = GreyStateWithImageWorker();
    const Scenario before = state.scenario;
    LoadImage(state, c.path);
    ASSERT_TRUE(RunFramesUntil(state, [&] { return !IsLoadingImage(state); }));
    EXPECT_TRUE(state.scenario == before);
    EXPECT_TRUE(state.status_is_error);
    EXPECT_EQ(state.status.rfind(c.path + ": ", 0), 0u) << state.status;
    EXPECT_NE(state.status.find(c.rule), std::string::npos) << state.status;
  }
}

TEST_F(ImageLoading, AShapeNoImageFitsIsRefusedAtOnceAndCancelsAPendingImage) {
  const std::string png = WriteGreyPng("large.png", kLargeSide, 0, 200);
  AppState state = GreyStateWithImageWorker();
  LoadImage(state, png);
  PushIntent(state, intent::SetShapeField{ShapeField::Channels, 2});
  ApplyIntents(state);
  ASSERT_EQ(state.scenario.shape.channels, 2);
  LoadImage(state, png);
  EXPECT_FALSE(IsLoadingImage(state)) << "refused without a worker round";
  EXPECT_TRUE(state.status_is_error);
  EXPECT_EQ(state.status.rfind(png + ": an image needs channels C = 1 (grey) or 3 (RGB)", 0), 0u) << state.status;
  ASSERT_TRUE(RunFramesUntil(state, [&] { return !state.image_task->Busy(); }));
  PollBackgroundWork(state);
  ApplyIntents(state);
  EXPECT_FALSE(state.scenario.input.HasValues()) << "the cancelled image never arrives";
}

}  // namespace
