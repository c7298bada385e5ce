// The shell's state machine without a window: intents applied between frames, the
// "keep the last valid scenario" rule, playback, files and presets, and the pure
// helpers (palette contrast, cividis, layout JSON). Expected values come from the
// scenario's own numbers and docs/cli.md, not from the code under test.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <unistd.h>

#include "gui/state/app_state.h"
#include "gui/panels/frame.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/widgets/theme.h"
#include "im2col/timeline.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
namespace fs = std::filesystem;

AppState Chapter() { return MakeAppState(Scenario{}); }

void Apply(AppState& state, Intent intent) {
  PushIntent(state, std::move(intent));
  ApplyIntents(state);
}

// The frame must always be core's StateAt for the current step.
void ExpectFrameMatchesStep(const AppState& state) {
  ASSERT_TRUE(state.computation);
  const FrameState expected = StateAt(*state.computation, *state.timeline, state.playback.step);
  EXPECT_EQ(state.frame.step.index, state.playback.step);
  EXPECT_EQ(state.frame.step.phase, expected.step.phase);
  EXPECT_EQ(state.frame.x_col_cells, expected.x_col_cells);
  EXPECT_EQ(state.frame.y_cells, expected.y_cells);
  EXPECT_EQ(state.frame.col2im_columns, expected.col2im_columns);
}

TEST(AppStateTest, StartsOnTheChapterExampleAtStepZero) {
  const AppState state = Chapter();
  EXPECT_TRUE(state.errors.empty());
  EXPECT_EQ(state.scenario, Scenario{});
  EXPECT_EQ(state.edited, state.scenario);
  EXPECT_EQ(state.playback.step, 0);
  // 4x4x3, K2 S1 P0 F1: R = 12, N*L = 9. Steps: 108 + 1 + 9 + 1 + 1 + 12 + 9 + 9 = 150.
  EXPECT_EQ(StepCount(state), 150);
  EXPECT_EQ(state.computation->x_col.rows(), 12);
  EXPECT_EQ(state.computation->x_col.cols(), 9);
  ExpectFrameMatchesStep(state);
}

TEST(AppStateTest, InvalidStartFallsBackToTheChapterExampleWithAMessage) {
  Scenario bad;
  bad.shape.kernel = {9, 9};  // larger than the 4x4 input
  const AppState state = MakeAppState(bad);
  EXPECT_EQ(state.scenario, Scenario{});
  EXPECT_TRUE(state.status_is_error);
  EXPECT_NE(state.status.find("kernel"), std::string::npos) << state.status;
}

TEST(AppStateTest, SquareEditSetsBothHalvesAndRecomputes) {
  AppState state = Chapter();
  const auto generation = state.scenario_generation;
  Apply(state, intent::SetShapeField{ShapeField::KernelH, 3});
  EXPECT_TRUE(state.errors.empty());
  EXPECT_EQ(state.scenario.shape.kernel.h, 3);
  EXPECT_EQ(state.scenario.shape.kernel.w, 3);
  EXPECT_GT(state.scenario_generation, generation);
  // K3 on 4x4: HO = WO = 2, R = 27, X_col 27 x 4.
  EXPECT_EQ(state.computation->x_col.rows(), 27);
  EXPECT_EQ(state.computation->x_col.cols(), 4);
}

TEST(AppStateTest, NonSquareEditSetsOneHalf) {
  AppState state = Chapter();
  Apply(state, intent::SetNonSquare{true});
  Apply(state, intent::SetShapeField{ShapeField::KernelW, 3});
  EXPECT_EQ(state.scenario.shape.kernel.h, 2);
  EXPECT_EQ(state.scenario.shape.kernel.w, 3);
  EXPECT_EQ(state.computation->x_col.rows(), 3 * 2 * 3);
  EXPECT_EQ(state.computation->x_col.cols(), 3 * 2);
}

TEST(AppStateTest, InvalidEditKeepsTheLastValidScenarioAndReportsCoresMessage) {
  AppState state = Chapter();
  Apply(state, intent::SetStep{20});
  const Scenario before = state.scenario;
  const auto generation = state.scenario_generation;
  Apply(state, intent::SetShapeField{ShapeField::KernelH, 5});  // 5 > 4 + 2*0
  EXPECT_EQ(state.scenario, before);
  EXPECT_EQ(state.scenario_generation, generation);
  EXPECT_EQ(state.edited.shape.kernel.h, 5);
  ASSERT_FALSE(state.errors.empty());
  EXPECT_EQ(state.errors, state.edited.Validate());
  EXPECT_NE(state.errors.front().find("kernel"), std::string::npos) << state.errors.front();
  EXPECT_EQ(state.playback.step, 20);
  ExpectFrameMatchesStep(state);
  // Fixing it with padding makes the edit valid again: 4 + 2*1 - 5 + 1 = 2.
  Apply(state, intent::SetShapeField{ShapeField::PaddingH, 1});
  EXPECT_TRUE(state.errors.empty());
  EXPECT_EQ(state.scenario.shape.kernel.h, 5);
  EXPECT_EQ(state.scenario.shape.padding.h, 1);
  EXPECT_EQ(state.scenario.shape.OutHeight(), 2);
}

TEST(AppStateTest, AbsurdValuesAreRefusedNotComputed) {
  AppState state = Chapter();
  for (int value : {0, -1, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()}) {
    for (ShapeField field : {ShapeField::Batch, ShapeField::Height, ShapeField::KernelH, ShapeField::StrideW,
                             ShapeField::DilationH, ShapeField::Filters}) {
      Apply(state, intent::SetShapeField{field, value});
      EXPECT_FALSE(state.errors.empty()) << ToString(field) << " = " << value;
      EXPECT_TRUE(state.scenario.Validate().empty());
      Apply(state, intent::SetScenario{Scenario{}});
      EXPECT_TRUE(state.errors.empty());
    }
  }
}

TEST(AppStateTest, EditingKeepsThePhase) {
  AppState state = Chapter();
  Apply(state, intent::JumpToPhase{Phase::Multiply});
  const Index item = 3;
  Apply(state, intent::StepBy{item});
  Apply(state, intent::SetShapeField{ShapeField::Filters, 2});
  EXPECT_EQ(CurrentPhase(state), Phase::Multiply);
  EXPECT_EQ(state.playback.step, state.timeline->PhaseBegin(Phase::Multiply) + item);
  ExpectFrameMatchesStep(state);
}

TEST(AppStateTest, StepsClampAndPhasesJump) {
  AppState state = Chapter();
  Apply(state, intent::StepBy{-5});
  EXPECT_EQ(state.playback.step, 0);
  Apply(state, intent::SetStep{1000});
  EXPECT_EQ(state.playback.step, 149);
  Apply(state, intent::StepBy{std::numeric_limits<Index>::max()});
  EXPECT_EQ(state.playback.step, 149);
  Apply(state, intent::StepBy{std::numeric_limits<Index>::min()});
  EXPECT_EQ(state.playback.step, 0);
  Apply(state, intent::JumpToPhase{Phase::Col2im});
  EXPECT_EQ(state.playback.step, 141);  // 150 - 9 columns
  EXPECT_EQ(CurrentPhase(state), Phase::Col2im);
  ExpectFrameMatchesStep(state);
  Apply(state, intent::StepBy{-1});
  EXPECT_EQ(CurrentPhase(state), Phase::GradXCol);
  EXPECT_EQ(state.playback.transition, 0.0f);
  EXPECT_EQ(state.playback.previous_step, 141);
}

TEST(AppStateTest, PlaybackStepsAtTheChosenSpeedAndStopsAtTheEnd) {
  AppState state = Chapter();
  Apply(state, intent::SetSpeed{2.0f});
  Apply(state, intent::TogglePlay{});
  EXPECT_TRUE(state.playback.playing);
  // At 2x a step takes kStepSeconds / 2.
  AdvancePlayback(state, kStepSeconds / 2.0f * 0.9f);
  EXPECT_EQ(state.playback.step, 0);
  AdvancePlayback(state, kStepSeconds / 2.0f * 0.2f);
  EXPECT_EQ(state.playback.step, 1);
  EXPECT_LT(state.playback.transition, 1.0f);
  // The transition lasts kTransitionSeconds / speed.
  AdvancePlayback(state, kTransitionSeconds / 2.0f);
  EXPECT_EQ(state.playback.transition, 1.0f);
  ExpectFrameMatchesStep(state);
  // At the end without loop: stops on the last step.
  Apply(state, intent::SetStep{149});
  for (int i = 0; i < 10; ++i) AdvancePlayback(state, 0.4f);
  EXPECT_FALSE(state.playback.playing);
  EXPECT_EQ(state.playback.step, 149);
  EXPECT_FALSE(IsAnimating(state));
  // Play on the last step starts over; loop wraps to 0.
  Apply(state, intent::TogglePlay{});
  EXPECT_EQ(state.playback.step, 0);
  Apply(state, intent::SetSpeed{1.0f});
  Apply(state, intent::SetStep{148});
  Apply(state, intent::SetLoop{true});
  // Frames of 0.1 s, like a slow machine (AdvancePlayback caps one frame at 0.5 s).
  for (int i = 0; i < 7; ++i) AdvancePlayback(state, kStepSeconds / 6.0f);
  EXPECT_EQ(state.playback.step, 149);
  for (int i = 0; i < 7; ++i) AdvancePlayback(state, kStepSeconds / 6.0f);
  EXPECT_TRUE(state.playback.playing);
  EXPECT_EQ(state.playback.step, 0);
  ExpectFrameMatchesStep(state);
}

TEST(AppStateTest, OddNumbersAreClamped) {
  AppState state = Chapter();
  Apply(state, intent::SetSpeed{std::nanf("")});
  EXPECT_EQ(state.playback.speed, 1.0f);
  Apply(state, intent::SetSpeed{100.0f});
  EXPECT_EQ(state.playback.speed, kMaxSpeed);
  Apply(state, intent::SetFontScale{std::numeric_limits<float>::infinity()});
  EXPECT_EQ(state.font_scale, 1.0f);
  Apply(state, intent::SetFontScale{0.01f});
  EXPECT_EQ(state.font_scale, 0.5f);
  EXPECT_FALSE(AdvancePlayback(state, std::nanf("")));
  EXPECT_EQ(state.playback.step, 0);
}

TEST(AppStateTest, PresetsLoadAndUnknownOnesKeepTheScenario) {
  AppState state = Chapter();
  ASSERT_FALSE(state.ui.presets.empty());
  EXPECT_EQ(state.ui.preset_name, "chapter-4x4x3");
  Apply(state, intent::LoadPreset{"padding1"});
  EXPECT_FALSE(state.status_is_error) << state.status;
  EXPECT_EQ(state.scenario.shape.padding.h, 1);
  EXPECT_EQ(state.ui.preset_name, "padding1");
  const Scenario before = state.scenario;
  Apply(state, intent::LoadPreset{"no-such-preset"});
  EXPECT_TRUE(state.status_is_error);
  EXPECT_NE(state.status.find("no-such-preset"), std::string::npos) << state.status;
  EXPECT_EQ(state.scenario, before);
}

TEST(AppStateTest, FilesSaveOpenAndBadFilesKeepTheScenario) {
  const fs::path dir = fs::temp_directory_path() / ("im2col_gui_state_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  AppState state = Chapter();
  Apply(state, intent::SetShapeField{ShapeField::Channels, 2});
  const Scenario saved = state.scenario;
  const std::string path = (dir / "two_channels.json").string();
  Apply(state, intent::SaveScenarioFile{path});
  EXPECT_FALSE(state.status_is_error) << state.status;
  ASSERT_TRUE(fs::exists(path));

  Apply(state, intent::SetScenario{Scenario{}});
  EXPECT_EQ(state.scenario.shape.channels, 3);
  Apply(state, intent::OpenScenarioFile{path});
  EXPECT_FALSE(state.status_is_error) << state.status;
  EXPECT_EQ(state.scenario.shape, saved.shape);

  const std::string broken = (dir / "broken.json").string();
  std::ofstream(broken) << "{\"format\": \"im2col-lab-scenario\", \"shape\": {\"kernel\": \"big\"}";
  Apply(state, intent::OpenScenarioFile{broken});
  EXPECT_TRUE(state.status_is_error);
  EXPECT_NE(state.status.find("broken.json"), std::string::npos) << state.status;
  EXPECT_EQ(state.scenario.shape, saved.shape);
  Apply(state, intent::OpenScenarioFile{(dir / "missing.json").string()});
  EXPECT_TRUE(state.status_is_error);
  EXPECT_EQ(state.scenario.shape, saved.shape);
  fs::remove_all(dir);
}

TEST(AppStateTest, HoverIsClearedWhenTheShapeChanges) {
  AppState state = Chapter();
  Apply(state, intent::SetHover{HoverTarget::Matrix(HoverTarget::Kind::XColCell, 11, 8)});
  EXPECT_EQ(state.hover.kind, HoverTarget::Kind::XColCell);
  Apply(state, intent::SetShapeField{ShapeField::Height, 3});
  EXPECT_TRUE(state.hover.IsNone());
}

TEST(ThemeTest, TextOnEveryTintKeepsContrast) {
  for (ThemeId theme : {ThemeId::Light, ThemeId::Dark, ThemeId::HighContrast}) {
    const Palette& p = PaletteFor(theme);
    for (ImU32 fill : {p.input_tint, p.weights_tint, p.output_tint, p.gradient_tint, p.padding, p.focus,
                       p.background, p.panel}) {
      EXPECT_GE(ContrastRatio(TextColorOn(fill), fill), 4.5f) << ToString(theme) << " fill " << std::hex << fill;
    }
    EXPECT_GE(ContrastRatio(p.text, p.background), 7.0f) << ToString(theme);
    EXPECT_GE(ContrastRatio(p.text, p.panel), 7.0f) << ToString(theme);
    EXPECT_GE(ContrastRatio(p.text_muted, p.panel), 4.5f) << ToString(theme);
  }
}

TEST(ThemeTest, MeaningsKeepTheirHuesInEveryTheme) {
  for (ThemeId theme : {ThemeId::Light, ThemeId::Dark, ThemeId::HighContrast}) {
    const Palette& p = PaletteFor(theme);
    EXPECT_EQ(p.input, IM_COL32(0x00, 0x72, 0xB2, 0xFF));
    EXPECT_EQ(p.focus, IM_COL32(0xE6, 0x9F, 0x00, 0xFF));
    EXPECT_EQ(p.weights, IM_COL32(0x00, 0x9E, 0x73, 0xFF));
    EXPECT_EQ(p.output, IM_COL32(0xCC, 0x79, 0xA7, 0xFF));
    EXPECT_EQ(p.gradient, IM_COL32(0xD5, 0x5E, 0x00, 0xFF));
  }
  EXPECT_EQ(ParseTheme("high-contrast"), ThemeId::HighContrast);
  EXPECT_EQ(ParseTheme("Dark"), std::nullopt);
}

TEST(ThemeTest, CividisGetsLighterFromStartToEnd) {
  float previous = 0.0f;
  for (int i = 0; i <= 20; ++i) {
    const ImU32 colour = CividisColor(static_cast<float>(i) / 20.0f);
    const float luminance_vs_black = ContrastRatio(colour, IM_COL32(0, 0, 0, 255));
    EXPECT_GT(luminance_vs_black, previous) << i;
    previous = luminance_vs_black;
  }
  EXPECT_EQ(CividisColor(-1.0f), CividisColor(0.0f));
  EXPECT_EQ(CividisColor(std::nanf("")), CividisColor(0.0f));
  EXPECT_EQ(CividisColor(7.0f), CividisColor(1.0f));
}

TEST(LayoutRecorderTest, RecordsOnlyWhileActiveAndWritesDesignJson) {
  RecordItem("panel:ignored", ImVec2(0, 0), ImVec2(1, 1));
  EXPECT_FALSE(IsRecordingLayout());
  BeginLayoutRecording();
  EXPECT_TRUE(IsRecordingLayout());
  RecordItem("x_col[0,1]", ImVec2(10, 20), ImVec2(40, 50));
  RecordItem("panel:\"odd\"", ImVec2(0, 0), ImVec2(5, 5));
  RecordItem("x_col[0,1]", ImVec2(11, 21), ImVec2(41, 51));  // last one wins
  const std::vector<LayoutItem> items = EndLayoutRecording();
  EXPECT_FALSE(IsRecordingLayout());
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, "x_col[0,1]");
  EXPECT_EQ(items[0].x, 11.0f);
  EXPECT_EQ(items[0].w, 30.0f);
  const std::string json = LayoutJson(1920, 1080, items);
  EXPECT_EQ(json,
            "{\"width\": 1920, \"height\": 1080, \"items\": [\n"
            "  {\"id\": \"x_col[0,1]\", \"x\": 11.0, \"y\": 21.0, \"w\": 30.0, \"h\": 30.0},\n"
            "  {\"id\": \"panel:\\\"odd\\\"\", \"x\": 0.0, \"y\": 0.0, \"w\": 5.0, \"h\": 5.0}\n"
            "]}\n");
}

TEST(ShellLayoutTest, SidePanelsLeaveTheStageMostOfTheWidth) {
  for (float width : {1280.0f, 1920.0f, 3840.0f}) {
    for (float scale : {0.5f, 1.0f, 2.0f, 3.0f}) {
      const ShellLayout layout = ComputeShellLayout(width, scale);
      EXPECT_LE(layout.left_width + layout.right_width, width * 0.55f + 0.5f) << width << " " << scale;
      EXPECT_GT(layout.left_width, 0.0f);
      EXPECT_GT(layout.right_width, 0.0f);
    }
  }
}

}  // namespace
