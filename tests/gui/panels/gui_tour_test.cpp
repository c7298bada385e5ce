// Tours in the window: every shipped tour plays in the window's player with each
// pointed id on screen; a tour recorded in the window saves, reads back and replays
// the same steps; bad files leave the state as it was.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "gui/panels/frame.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "io/atomic_file.h"
#include "io/tour.h"
#include "support/interactive_window_test.h"

namespace im2col::gui {
namespace {

namespace fs = std::filesystem;

class TourGuiTest : public im2col::testing::InteractiveWindowTest {
 protected:
  static fs::path TempDir() {
    const fs::path dir = fs::temp_directory_path() / ("im2col-tour-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
  }
};

TEST_F(TourGuiTest, EveryShippedTourPlaysAndEveryPointedIdIsOnScreen) {
  const std::vector<io::TourInfo> tours = io::ListTours();
  ASSERT_GE(tours.size(), 4u);
  bool wrote_screenshot = false;
  for (const io::TourInfo& info : tours) {
    const io::TourReadResult read = io::LoadTour(info.name);
    ASSERT_TRUE(read.ok()) << read.error;
    AppState state = MakeAppState(Scenario{});
    PushIntent(state, intent::Tour{tour_action::Open{info.path}});
    for (int i = 0; i < 3; ++i) Step(state);
    ASSERT_TRUE(state.tour.tour.has_value()) << state.tour.message;
    for (size_t k = 0; k < read.tour->steps.size(); ++k) {
      const io::TourStep& want = read.tour->steps[k];
      if (k > 0) Press(state, ImGui::GetKeyIndex(ImGuiKey_PageDown));
      Step(state);
      Step(state);  // the layout settles (the stage scrolls to the step)
      EXPECT_EQ(state.tour.index, static_cast<int>(k)) << info.name;
      EXPECT_EQ(state.scenario, want.scenario) << info.name << " step " << k;
      EXPECT_EQ(state.playback.step, want.step) << info.name << " step " << k;
      EXPECT_EQ(state.tour_narration, want.narration);
      for (const std::string& id : want.point_at) {
        EXPECT_NE(Find(id), nullptr) << info.name << " step " << k << ": " << id << " is not on screen";
      }
      if (!wrote_screenshot && k == 1) {
        for (const auto& [name, theme, presentation] :
             {std::tuple{"light", ThemeId::Light, false}, std::tuple{"dark", ThemeId::Dark, false},
              std::tuple{"presentation", ThemeId::Light, true}}) {
          AppState shot = state;
          shot.theme = theme;
          shot.classroom.presentation = presentation;
          RgbImage image;
          std::string error;
          ASSERT_TRUE(RenderStateToImage(*platform_, shot, 1920, 1080, &image, nullptr, &error)) << error;
          fs::create_directories(IM2COL_GUI_TEST_OUT);
          io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/tour_step_" + name + ".png", EncodePng(image));
        }
        wrote_screenshot = true;
      }
    }
    // Back with PageUp, then the bar's Close button.
    Press(state, ImGui::GetKeyIndex(ImGuiKey_PageUp));
    EXPECT_EQ(state.tour.index, static_cast<int>(read.tour->steps.size()) - 2);
    Click(state, "control:tour:close");
    EXPECT_FALSE(state.tour.tour.has_value());
    EXPECT_TRUE(state.tour_narration.empty());
    EXPECT_TRUE(state.pointed_ids.empty());
  }
}

TEST_F(TourGuiTest, TheBarsNextButtonMovesOnAndSpaceStillPlays) {
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::Tour{tour_action::Open{"why-col2im-must-add"}});
  Step(state);
  Click(state, "control:tour:next");
  EXPECT_EQ(state.tour.index, 1);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Space));
  EXPECT_TRUE(state.playback.playing);
}

TEST_F(TourGuiTest, ARecordedTourSavesAndReplaysTheSameSteps) {
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::Tour{tour_action::StartRecording{}});
  PushIntent(state, intent::LoadPreset{"chapter-4x4x3"});
  PushIntent(state, intent::SetStep{5});
  Step(state);
  Step(state);
  Click(state, "control:tour:add");
  ASSERT_EQ(state.tour.draft.steps.size(), 1u);
  EXPECT_EQ(state.tour.draft.steps[0].step, 5);
  EXPECT_EQ(state.tour.draft.steps[0].preset, "chapter-4x4x3");
  // Point at a cell by clicking it on the stage.
  Click(state, "x_col[0,0]");
  ASSERT_EQ(state.tour.draft.steps[0].point_at, std::vector<std::string>{"x_col[0,0]"});
  PushIntent(state, intent::Tour{tour_action::SetNarration{0, "The first copy lands in X_col[0,0]."}});
  // A second step: another scenario (stride 2), at its last step.
  Scenario strided = state.scenario;
  strided.shape.stride = {2, 2};
  PushIntent(state, intent::SetScenario{strided});
  Step(state);
  PushIntent(state, intent::SetStep{StepCount(state) - 1});
  Step(state);
  Click(state, "control:tour:add");
  ASSERT_EQ(state.tour.draft.steps.size(), 2u);
  EXPECT_TRUE(state.tour.draft.steps[1].preset.empty());
  PushIntent(state, intent::Tour{tour_action::SetNarration{1, "With stride 2 the windows do not overlap."}});
  // A third one, deleted again; then the two swapped and back.
  PushIntent(state, intent::Tour{tour_action::AddView{}});
  Step(state);
  ASSERT_EQ(state.tour.draft.steps.size(), 3u);
  PushIntent(state, intent::Tour{tour_action::Delete{2}});
  PushIntent(state, intent::Tour{tour_action::Move{1, -1}});
  Step(state);
  EXPECT_EQ(state.tour.draft.steps[0].scenario, strided);
  PushIntent(state, intent::Tour{tour_action::Move{0, +1}});
  PushIntent(state, intent::Tour{tour_action::SetTitle{"Two steps"}});
  Step(state);

  {  // to look at: build/tests/gui/screenshots/tour_recorder.png
    AppState shot = state;
    RgbImage image;
    std::string error;
    ASSERT_TRUE(RenderStateToImage(*platform_, shot, 1920, 1080, &image, nullptr, &error)) << error;
    fs::create_directories(IM2COL_GUI_TEST_OUT);
    io::WriteFileAtomically(std::string(IM2COL_GUI_TEST_OUT) + "/tour_recorder.png", EncodePng(image));
  }
  const fs::path path = TempDir() / "recorded.json";
  state.tour.save_path = path.string();
  Click(state, "control:tour:save");
  ASSERT_FALSE(state.tour.message_is_error) << state.tour.message;
  const io::TourReadResult back = io::LoadTour(path.string());
  ASSERT_TRUE(back.ok()) << back.error;
  EXPECT_EQ(back.tour->title, "Two steps");
  ASSERT_EQ(back.tour->steps.size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(back.tour->steps[k].scenario, state.tour.draft.steps[k].scenario);
    EXPECT_EQ(back.tour->steps[k].step, state.tour.draft.steps[k].step);
    EXPECT_EQ(back.tour->steps[k].narration, state.tour.draft.steps[k].narration);
    EXPECT_EQ(back.tour->steps[k].point_at, state.tour.draft.steps[k].point_at);
  }
  // Replayed in the player: the same steps.
  PushIntent(state, intent::Tour{tour_action::Open{path.string()}});
  for (int i = 0; i < 3; ++i) Step(state);
  EXPECT_FALSE(state.tour.recording);
  EXPECT_EQ(state.scenario, back.tour->steps[0].scenario);
  EXPECT_EQ(state.playback.step, 5);
  Step(state);
  Step(state);
  EXPECT_NE(Find("x_col[0,0]"), nullptr);
  Press(state, 'N');
  Step(state);
  EXPECT_EQ(state.scenario, strided);
  EXPECT_EQ(state.playback.step, back.tour->steps[1].step);
  fs::remove_all(path.parent_path());
}

TEST_F(TourGuiTest, SavingAStepWithoutNarrationIsRefusedNamingTheStep) {
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::Tour{tour_action::StartRecording{}});
  PushIntent(state, intent::Tour{tour_action::AddView{}});
  const fs::path path = TempDir() / "empty.json";
  PushIntent(state, intent::Tour{tour_action::Save{path.string()}});
  ApplyIntents(state);
  EXPECT_TRUE(state.tour.message_is_error);
  EXPECT_NE(state.tour.message.find("steps[0].narration"), std::string::npos) << state.tour.message;
  EXPECT_FALSE(fs::exists(path));
  fs::remove_all(path.parent_path());
}

TEST_F(TourGuiTest, ABadTourFileSaysWhyAndKeepsTheState) {
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::Tour{tour_action::Open{"why-col2im-must-add"}});
  for (int i = 0; i < 3; ++i) Step(state);
  const Scenario shown = state.scenario;
  const Index step = state.playback.step;
  const fs::path path = TempDir() / "bad.json";
  std::ofstream(path) << R"({"format": "im2col-lab-tour", "version": 1, "title": "t",
    "steps": [{"preset": "chapter-4x4x3", "step": 9999, "narration": "x."}]})";
  PushIntent(state, intent::Tour{tour_action::Open{path.string()}});
  for (int i = 0; i < 2; ++i) Step(state);
  EXPECT_TRUE(state.tour.message_is_error);
  EXPECT_NE(state.tour.message.find("bad.json"), std::string::npos) << state.tour.message;
  EXPECT_NE(state.tour.message.find("steps[0].step"), std::string::npos) << state.tour.message;
  EXPECT_EQ(state.tour.message.find('\n'), std::string::npos);
  EXPECT_EQ(state.scenario, shown);
  EXPECT_EQ(state.playback.step, step);
  EXPECT_EQ(state.tour.tour->name, "why-col2im-must-add");
  fs::remove_all(path.parent_path());
}

TEST_F(TourGuiTest, ADroppedTourFileOpensInThePlayer) {
  const fs::path path = TempDir() / "dropped.json";
  const io::TourReadResult shipped = io::LoadTour("padding-stride-dilation");
  ASSERT_TRUE(shipped.ok());
  ASSERT_EQ(io::WriteTourFile(path.string(), *shipped.tour), "");
  EXPECT_TRUE(io::IsTourFile(path.string()));
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::Classroom{classroom_action::DropFiles{{path.string()}}});
  for (int i = 0; i < 3; ++i) Step(state);
  ASSERT_TRUE(state.tour.tour.has_value()) << state.status;
  EXPECT_EQ(state.tour.tour->title, shipped.tour->title);
  EXPECT_EQ(state.scenario, shipped.tour->steps[0].scenario);

  // The same file through "Open tour file..." (the path dialog; Enter opens).
  PushIntent(state, intent::Tour{tour_action::Close{}});
  Step(state);
  state.ui.file_action = ShellUi::FileAction::OpenTour;
  state.ui.file_path = path.string();
  Step(state);
  Step(state);
  Press(state, ImGui::GetKeyIndex(ImGuiKey_Enter));
  for (int i = 0; i < 3; ++i) Step(state);
  ASSERT_TRUE(state.tour.tour.has_value()) << state.status;
  EXPECT_EQ(state.tour.index, 0);
  EXPECT_EQ(state.ui.file_action, ShellUi::FileAction::None);
  fs::remove_all(path.parent_path());
}

TEST(TourSerializerGuiTest, EveryShippedTourReadsBackTheSame) {
  for (const io::TourInfo& info : io::ListTours()) {
    const io::TourReadResult read = io::LoadTour(info.name);
    ASSERT_TRUE(read.ok()) << read.error;
    const io::TourReadResult back = io::ParseTourJson(io::TourToJson(*read.tour), info.name + ".json");
    ASSERT_TRUE(back.ok()) << back.error;
    EXPECT_EQ(back.tour->title, read.tour->title);
    EXPECT_EQ(back.tour->description, read.tour->description);
    ASSERT_EQ(back.tour->steps.size(), read.tour->steps.size());
    for (size_t k = 0; k < read.tour->steps.size(); ++k) {
      const io::TourStep &a = read.tour->steps[k], &b = back.tour->steps[k];
      EXPECT_EQ(a.scenario, b.scenario) << info.name << " step " << k;
      EXPECT_EQ(a.step, b.step);
      EXPECT_EQ(a.overwrite, b.overwrite);
      EXPECT_EQ(a.narration, b.narration);
      EXPECT_EQ(a.point_at, b.point_at);
    }
  }
}

}  // namespace
}  // namespace im2col::gui
