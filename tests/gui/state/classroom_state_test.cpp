// Classroom features through the app's own intent queue, without a window: typed
// cell values (refused with the rule, old value kept), drag and drop of good and bad
// files, image input, recent files, settings round trip and a settings file that
// does not parse, and the frame subsampling of long animations.
#include <gtest/gtest.h>

#include <stb_image_write.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "gui/state/app_state.h"
#include "gui/state/image_input.h"
#include "gui/platform/render_sequence.h"
#include "io/scenario_json.h"
#include "gui/state/session_settings.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("im2col_classroom_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Settle(AppState& state) {
  // Classroom actions re-queue scenario edits, so two rounds apply everything.
  for (int i = 0; i < 3; ++i) ApplyIntents(state);
}

void PushClassroom(AppState& state, ClassroomAction action) {
  PushIntent(state, intent::Classroom{std::move(action)});
}

TEST(CellValueText, RefusesEveryBadFormWithTheRule) {
  double v = 7;
  EXPECT_NE(ParseCellValue("abc", &v).find("not a number"), std::string::npos);
  EXPECT_NE(ParseCellValue("", &v).find("empty"), std::string::npos);
  EXPECT_NE(ParseCellValue("   ", &v).find("empty"), std::string::npos);
  EXPECT_NE(ParseCellValue("nan", &v).find("finite"), std::string::npos);
  EXPECT_NE(ParseCellValue("-inf", &v).find("finite"), std::string::npos);
  EXPECT_NE(ParseCellValue("1e309", &v).find("1e12"), std::string::npos);
  EXPECT_NE(ParseCellValue("2e12", &v).find("1e12"), std::string::npos);
  EXPECT_NE(ParseCellValue("3x", &v).find("not a number"), std::string::npos);
  EXPECT_EQ(v, 7);  // never touched by a refusal
  EXPECT_EQ(ParseCellValue(" -2.5 ", &v), "");
  EXPECT_EQ(v, -2.5);
  EXPECT_EQ(ParseCellValue("1e12", &v), "");
  EXPECT_EQ(v, 1e12);
}

TEST(CellEdit, BadTextKeepsTheOldValueAndSaysWhy) {
  AppState state = MakeAppState(Scenario{});
  const Scenario before = state.scenario;
  const double old_value = state.computation->input.data[5];
  for (const std::string bad : {"abc", "", "nan", "inf", "1e309", "5e12"}) {
    PushClassroom(state, classroom_action::SetCellValue{TensorRole::Input, 5, bad});
    Settle(state);
    EXPECT_EQ(state.scenario, before) << bad;
    EXPECT_EQ(state.computation->input.data[5], old_value) << bad;
    EXPECT_TRUE(state.status_is_error) << bad;
    EXPECT_NE(state.status.find("refused"), std::string::npos) << state.status;
    EXPECT_NE(state.status.find("kept " + std::to_string(static_cast<int>(old_value))), std::string::npos)
        << state.status;
  }
}

TEST(CellEdit, GoodValueBecomesExplicitValuesAndCoreRecomputes) {
  AppState state = MakeAppState(Scenario{});
  const Index generation = state.scenario_generation;
  const std::vector<double> ramp = GenerateValues(state.scenario, TensorRole::Weights);
  PushClassroom(state, classroom_action::SetCellValue{TensorRole::Weights, 0, "-3"});
  Settle(state);
  ASSERT_TRUE(state.scenario.weights.HasValues());
  EXPECT_EQ(state.scenario.weights.values[0], -3);
  for (size_t i = 1; i < ramp.size(); ++i) EXPECT_EQ(state.scenario.weights.values[i], ramp[i]);
  EXPECT_GT(state.scenario_generation, generation);
  EXPECT_EQ(state.computation->weights.data[0], -3);
  EXPECT_EQ(state.computation->w_row(0, 0), -3);  // the new value reached W_row through core
  // Output changed by exactly (new - old) * x(first patch) for filter 0's first weight.
  const double delta = (-3 - ramp[0]) * state.computation->x_col(0, 0);
  const AppState reference = MakeAppState(Scenario{});
  EXPECT_DOUBLE_EQ(state.computation->y_mat(0, 0), reference.computation->y_mat(0, 0) + delta);
}

TEST(CellEdit, OutOfRangeCellIsRefused) {
  AppState state = MakeAppState(Scenario{});
  const Scenario before = state.scenario;
  PushClassroom(state, classroom_action::SetCellValue{TensorRole::Input, 1 << 20, "1"});
  Settle(state);
  EXPECT_EQ(state.scenario, before);
  EXPECT_TRUE(state.status_is_error);
}

TEST(DragDrop, BadScenarioFileKeepsTheScenarioAndNamesTheField) {
  const fs::path dir = TempDir("drop");
  const fs::path bad = dir / "bad.json";
  std::ofstream(bad) << R"({"format": "im2col-lab-scenario", "version": 1, "shape": {"kernel": "three"}})";
  AppState state = MakeAppState(Scenario{});
  const Scenario before = state.scenario;
  PushClassroom(state, classroom_action::DropFiles{{bad.string()}});
  Settle(state);
  EXPECT_EQ(state.scenario, before);
  EXPECT_TRUE(state.status_is_error);
  EXPECT_NE(state.status.find("kernel"), std::string::npos) << state.status;
  EXPECT_TRUE(state.classroom.settings.recent_files.empty());

  const fs::path missing = dir / "missing.json";
  PushClassroom(state, classroom_action::DropFiles{{missing.string()}});
  Settle(state);
  EXPECT_EQ(state.scenario, before);
  EXPECT_TRUE(state.status_is_error);

  // A good file opens and lands in the recent files.
  Scenario other;
  other.shape.kernel = {3, 3};
  other.shape.padding = {1, 1};
  const fs::path good = dir / "good.json";
  ASSERT_EQ(io::WriteScenarioFile(good.string(), other), "");
  PushClassroom(state, classroom_action::DropFiles{{good.string()}});
  Settle(state);
  EXPECT_EQ(state.scenario.shape.kernel.h, 3);
  EXPECT_FALSE(state.status_is_error) << state.status;
  ASSERT_FALSE(state.classroom.settings.recent_files.empty());
  EXPECT_EQ(state.classroom.settings.recent_files.front(), good.string());
  fs::remove_all(dir);
}

// A 4x4 RGB PNG whose left half is black and right half white, written with stb.
std::string WriteTestPng(const fs::path& dir) {
  std::vector<unsigned char> rgb(4 * 4 * 3);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x)
      for (int c = 0; c < 3; ++c) rgb[(y * 4 + x) * 3 + c] = x < 2 ? 0 : (c == 0 ? 255 : 100);
  const std::string path = (dir / "half.png").string();
  stbi_write_png(path.c_str(), 4, 4, 3, rgb.data(), 4 * 3);
  return path;
}

TEST(ImageInput, AreaAverageWeighsByCoverage) {
  Image8 image{3, 1, 1, {0, 90, 180}};
  const std::vector<double> two = AreaAverage(image, 2, 1);  // each target covers 1.5 source pixels
  ASSERT_EQ(two.size(), 2u);
  EXPECT_DOUBLE_EQ(two[0], (0 * 1.0 + 90 * 0.5) / 1.5);
  EXPECT_DOUBLE_EQ(two[1], (90 * 0.5 + 180 * 1.0) / 1.5);
}

TEST(ImageInput, PngBecomesTheInputAndBadFilesKeepIt) {
  const fs::path dir = TempDir("image");
  const std::string png = WriteTestPng(dir);
  Scenario scenario;  // chapter example: C = 3, 4 x 4... use a 2 x 2 input to force averaging
  scenario.shape.height = 2;
  scenario.shape.width = 2;
  scenario.shape.kernel = {1, 1};
  AppState state = MakeAppState(scenario);
  ASSERT_EQ(state.scenario.shape.channels, 3);
  PushClassroom(state, classroom_action::LoadImage{png});
  Settle(state);
  ASSERT_TRUE(state.scenario.input.HasValues()) << state.status;
  const Tensor4& x = state.computation->input;
  EXPECT_EQ(x(0, 0, 0, 0), 0);
  EXPECT_EQ(x(0, 0, 1, 1), 255);
  EXPECT_EQ(x(0, 1, 0, 1), 100);
  EXPECT_EQ(x(0, 2, 1, 0), 0);

  const Scenario before = state.scenario;
  const fs::path junk = dir / "junk.png";
  std::ofstream(junk) << "not an image";
  PushClassroom(state, classroom_action::DropFiles{{junk.string()}});
  Settle(state);
  EXPECT_EQ(state.scenario, before);
  EXPECT_TRUE(state.status_is_error);
  EXPECT_NE(state.status.find("junk.png"), std::string::npos) << state.status;

  scenario.shape.channels = 2;
  AppState two = MakeAppState(scenario);
  PushClassroom(two, classroom_action::LoadImage{png});
  Settle(two);
  EXPECT_FALSE(two.scenario.input.HasValues());
  EXPECT_NE(two.status.find("C = 1"), std::string::npos) << two.status;
  fs::remove_all(dir);
}

// A PNG made of its signature and an IHDR chunk only: all stbi_info needs, and what an
// image bomb looks like before its (tiny, highly compressed) data.
std::string PngHeaderClaiming(std::uint32_t width, std::uint32_t height) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  const auto be32 = [&png](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) png += static_cast<char>((v >> shift) & 0xff);
  };
  be32(13);
  png += "IHDR";
  be32(width);
  be32(height);
  png += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey, deflate, no filter, no interlace
  be32(0);  // CRC: stb_image does not check it
  return png;
}

TEST(ImageInput, AnImageBombIsRefusedFromItsHeaderBeforeDecoding) {
  const fs::path dir = TempDir("bomb");
  const fs::path bomb = dir / "bomb.png";
  std::ofstream(bomb, std::ios::binary) << PngHeaderClaiming(26000, 26000);
  Shape shape;
  shape.channels = 1;
  std::vector<double> values = {42.0};
  const auto start = std::chrono::steady_clock::now();
  const std::string error = ImageToInputValues(bomb.string(), shape, &values);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_NE(error.find("26000 x 26000"), std::string::npos) << error;
  EXPECT_NE(error.find("megapixels"), std::string::npos) << error;
  EXPECT_EQ(values, std::vector<double>{42.0}) << "untouched on failure";

  // A FIFO or a device named as an image is refused without blocking or reading it.
  const fs::path fifo = dir / "pipe.png";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_NE(ImageToInputValues(fifo.string(), shape, &values).find("FIFO"), std::string::npos);
  EXPECT_NE(ImageToInputValues("/dev/zero", shape, &values).find("not a regular file"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Settings, RoundTripThroughTheAppsCodePath) {
  const fs::path dir = TempDir("settings");
  const std::string path = (dir / "im2col-lab" / "settings.json").string();
  AppState first = MakeAppState(Scenario{});
  AdoptSettings(first, io::LoadSettings(path), path, true);  // missing file: defaults, no message
  EXPECT_FALSE(first.status_is_error);
  PushIntent(first, intent::SetTheme{ThemeId::HighContrast});
  PushClassroom(first, classroom_action::StepFontScale{+1});
  Settle(first);
  EXPECT_FLOAT_EQ(first.font_scale, 1.1f);
  PushIntent(first, intent::SetShapeField{ShapeField::Filters, 2});
  const std::string saved = (dir / "two_filters.json").string();
  Settle(first);
  PushIntent(first, intent::SaveScenarioFile{saved});
  Settle(first);
  first.classroom.windowed_width = 1280;
  first.classroom.windowed_height = 720;
  ASSERT_EQ(SaveSettingsIfChanged(first), "");
  ASSERT_TRUE(fs::exists(path));

  AppState second = MakeAppState(Scenario{});
  AdoptSettings(second, io::LoadSettings(path), path, true);
  Settle(second);
  EXPECT_EQ(second.theme, ThemeId::HighContrast);
  EXPECT_FLOAT_EQ(second.font_scale, 1.1f);
  EXPECT_EQ(second.scenario.shape.filters, 2);  // the last scenario came back (from its file)
  ASSERT_EQ(second.classroom.settings.recent_files.size(), 1u);
  EXPECT_EQ(second.classroom.settings.recent_files[0], saved);
  const io::Settings loaded = io::LoadSettings(path).settings;
  EXPECT_EQ(loaded.window_width, 1280);
  EXPECT_EQ(loaded.last_scenario_path, saved);

  // An unsaved edit is stored inline and restored.
  PushIntent(second, intent::SetShapeField{ShapeField::Filters, 3});
  Settle(second);
  ASSERT_EQ(SaveSettingsIfChanged(second), "");
  AppState third = MakeAppState(Scenario{});
  AdoptSettings(third, io::LoadSettings(path), path, true);
  Settle(third);
  EXPECT_EQ(third.scenario.shape.filters, 3);
  fs::remove_all(dir);
}

TEST(Settings, FileThatDoesNotParseIsIgnoredWithAMessage) {
  const fs::path dir = TempDir("badsettings");
  const std::string path = (dir / "settings.json").string();
  std::ofstream(path) << "{ this is not json";
  AppState state = MakeAppState(Scenario{});
  AdoptSettings(state, io::LoadSettings(path), path, true);
  Settle(state);
  EXPECT_TRUE(state.status_is_error);
  EXPECT_NE(state.status.find("settings ignored"), std::string::npos) << state.status;
  EXPECT_EQ(state.theme, ThemeId::Light);
  EXPECT_EQ(state.scenario, Scenario{});
  fs::remove_all(dir);
}

TEST(Presentation, TogglesAndBoostsTheFonts) {
  AppState state = MakeAppState(Scenario{});
  PushClassroom(state, classroom_action::TogglePresentation{});
  Settle(state);
  EXPECT_TRUE(state.classroom.presentation);
  EXPECT_FLOAT_EQ(EffectiveFontScale(state), kPresentationFontBoost);
  PushClassroom(state, classroom_action::StepFontScale{0});
  PushClassroom(state, classroom_action::TogglePresentation{});
  Settle(state);
  EXPECT_FALSE(state.classroom.presentation);
  EXPECT_FLOAT_EQ(EffectiveFontScale(state), 1.0f);
}

TEST(Animation, LongRangesAreSubsampledWithBothEnds) {
  EXPECT_EQ(SequenceSteps(3, 7, 200), (std::vector<Index>{3, 4, 5, 6, 7}));
  const std::vector<Index> steps = SequenceSteps(0, 999, 200);
  ASSERT_EQ(steps.size(), 200u);
  EXPECT_EQ(steps.front(), 0);
  EXPECT_EQ(steps.back(), 999);
  EXPECT_TRUE(std::is_sorted(steps.begin(), steps.end()));
  EXPECT_LE(MaxGifFrames(1920, 1080), kMaxAnimationFrames);
  EXPECT_GE(MaxGifFrames(1920, 1080), 100);
}

}  // namespace
