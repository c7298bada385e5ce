// The "done when", end to end through the window's own code paths: a teacher
// opens the app, presses F5 (presentation) and picks the projector theme, types their
// own 3x3 numbers, saves the scenario, exports a GIF of the col2im phase and the
// PyTorch code, and opens the scenario again "next week" (a new state restored from
// the saved settings). Keys go through ImGui's real key handling (io.KeysDown), the
// export through ProcessClassroomRequests. Needs a display (xvfb-run); skips without.
#include <gtest/gtest.h>

#include "support/hidden_window_test.h"

#include <GLFW/glfw3.h>
#include <gif_lib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "gui/state/app_state.h"
#include "gui/panels/frame.h"
#include "gui/widgets/theme.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "gui/platform/render_sequence.h"
#include "io/code_gen.h"
#include "io/scenario_json.h"
#include "io/settings.h"
#include "gui/platform/classroom_window.h"
#include "gui/state/session_settings.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
namespace fs = std::filesystem;

int GifFrameCount(const fs::path& path) {
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  if (gif == nullptr) return -1;
  const int frames = DGifSlurp(gif) == GIF_OK ? gif->ImageCount : -1;
  DGifCloseFile(gif, &error);
  return frames;
}

class TeacherStory : public im2col::testing::HiddenWindowTest {
 protected:
  void SetUp() override {
    HiddenWindowTest::SetUp();
    if (IsSkipped()) return;
    dir_ = fs::temp_directory_path() / ("im2col-story-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // One frame with `key` held (Ctrl too when asked), then one with it released, as
  // GLFW's key callback would report them; intents are applied after each.
  void PressKey(AppState& state, int key, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    io.KeyCtrl = ctrl;
    Frame(state);
    io.KeysDown[key] = false;
    io.KeyCtrl = false;
    Frame(state);
  }
  // One window frame as RunApp draws it, keeping the intents it pushes.
  void Frame(AppState& state) {
    std::string error;
    ASSERT_TRUE(platform_->EnsureStyle(state.theme, EffectiveFontScale(state), &error)) << error;
    platform_->BeginFrame(/*offscreen=*/true, 1280, 720);
    DrawAppFrame(state, &platform_->gpu());
    platform_->RenderFrame(ActivePalette().panel, 1280, 720);
    ApplyIntents(state);
  }
  void Draw(AppState& state) {
    RgbImage image;
    std::string error;
    ASSERT_TRUE(RenderStateToImage(*platform_, state, 1280, 720, &image, nullptr, &error)) << error;
    ApplyIntents(state);
  }

  fs::path dir_;
};

TEST_F(TeacherStory, PresentTypeSaveExportAndOpenAgainNextWeek) {
  const std::string settings_path = (dir_ / "config" / "im2col-lab" / "settings.json").string();
  const std::string scenario_path = (dir_ / "lesson.json").string();
  const std::string gif_path = (dir_ / "col2im.gif").string();

  AppState state = MakeAppState(Scenario{});
  AdoptSettings(state, io::SettingsLoad{}, settings_path, /*restore_last_scenario=*/true);
  ApplyIntents(state);

  // Presentation mode (F5) and the projector theme; Ctrl+= makes the text larger.
  state.theme = ThemeId::Dark;
  PressKey(state, GLFW_KEY_F5);
  EXPECT_TRUE(state.classroom.presentation);
  PushIntent(state, intent::SetTheme{ThemeId::Light});
  ApplyIntents(state);
  const float scale_before = state.font_scale;
  PressKey(state, GLFW_KEY_EQUAL, /*ctrl=*/true);
  EXPECT_GT(state.font_scale, scale_before);
  PressKey(state, GLFW_KEY_0, /*ctrl=*/true);
  EXPECT_FLOAT_EQ(state.font_scale, 1.0f);
  PressKey(state, GLFW_KEY_F1);
  EXPECT_TRUE(state.classroom.show_shortcuts);
  PressKey(state, GLFW_KEY_ESCAPE);
  EXPECT_FALSE(state.classroom.show_shortcuts);

  // Their own 3x3 input (one channel), typed cell by cell; one typo is refused.
  PushIntent(state, intent::SetShapeField{ShapeField::Channels, 1});
  PushIntent(state, intent::SetShapeField{ShapeField::Height, 3});
  PushIntent(state, intent::SetShapeField{ShapeField::Width, 3});
  ApplyIntents(state);
  ASSERT_TRUE(state.errors.empty()) << state.errors.front();
  const char* typed[9] = {"3", "-1", "2.5", "0", "7", "-4", "0.125", "2", "5"};
  for (Index i = 0; i < 9; ++i) {
    PushIntent(state, intent::Classroom{classroom_action::SetCellValue{TensorRole::Input, i, typed[i]}});
    ApplyIntents(state);
    EXPECT_TRUE(state.classroom.cell_message.empty()) << typed[i] << ": " << state.classroom.cell_message;
  }
  PushIntent(state, intent::Classroom{classroom_action::SetCellValue{TensorRole::Input, 4, "7,5"}});
  ApplyIntents(state);
  EXPECT_FALSE(state.classroom.cell_message.empty()) << "a comma is not a decimal point here";
  ASSERT_EQ(state.scenario.input.values.size(), 9u);
  EXPECT_EQ(state.scenario.input.values[4], 7.0) << "the refused text kept the old value";
  EXPECT_EQ(state.computation->input(0, 0, 2, 0), 0.125);
  Draw(state);  // the presentation frame shows it without trouble

  // Save it.
  PushIntent(state, intent::SaveScenarioFile{scenario_path});
  ApplyIntents(state);
  EXPECT_FALSE(state.status_is_error) << state.status;
  const io::ScenarioReadResult saved = io::ReadScenarioFile(scenario_path);
  ASSERT_TRUE(saved.ok()) << saved.error;
  EXPECT_TRUE(saved.document->scenario == state.scenario);

  // A GIF of the col2im phase, from the Export window's request.
  const Timeline& t = *state.timeline;
  ExportRequest request;
  request.kind = ExportRequest::Kind::AnimationGif;
  request.path = gif_path;
  request.width = 640;
  request.height = 360;
  request.first_step = t.PhaseBegin(Phase::Col2im);
  request.last_step = t.PhaseBegin(Phase::Col2im) + t.PhaseLength(Phase::Col2im) - 1;
  state.classroom.request = request;
  ProcessClassroomRequests(*platform_, state);
  EXPECT_FALSE(state.status_is_error) << state.status;
  EXPECT_EQ(GifFrameCount(gif_path), static_cast<int>(t.PhaseLength(Phase::Col2im)));

  // The PyTorch code the Code window shows carries the typed numbers.
  state.classroom.show_code = true;
  state.classroom.code_language = static_cast<int>(io::CodeLanguage::PyTorch);
  Draw(state);
  const std::string code = state.classroom.code_text;
  EXPECT_EQ(code, io::GenerateCode(*state.computation, io::CodeLanguage::PyTorch));
  EXPECT_NE(code.find("conv2d"), std::string::npos);
  EXPECT_NE(code.find("0.125"), std::string::npos);
  EXPECT_NE(code.find("-4"), std::string::npos);

  // Closing the app saves the settings (theme, last scenario, recent files).
  const Scenario lesson = state.scenario;
  EXPECT_EQ(SaveSettingsIfChanged(state), "");
  ASSERT_TRUE(fs::exists(settings_path));

  // Next week: a fresh start restores the lesson from the settings.
  const io::SettingsLoad loaded = io::LoadSettings(settings_path);
  EXPECT_TRUE(loaded.messages.empty());
  EXPECT_EQ(loaded.settings.theme, "light");
  ASSERT_FALSE(loaded.settings.recent_files.empty());
  EXPECT_EQ(fs::path(loaded.settings.recent_files.front()), fs::path(scenario_path));
  AppState next_week = MakeAppState(Scenario{});
  AdoptSettings(next_week, loaded, settings_path, /*restore_last_scenario=*/true);
  ApplyIntents(next_week);
  EXPECT_TRUE(next_week.scenario == lesson);
  EXPECT_EQ(next_week.theme, ThemeId::Light);
  EXPECT_EQ(next_week.computation->input(0, 0, 1, 1), 7.0);
}

}  // namespace
