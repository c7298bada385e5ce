// Playback that fits big scenarios (gui/state/app_state.cpp): step units chosen by the
// granularity, and "play this phase in N seconds" at AlexNet size, where a phase has
// 1.1 M steps. No display needed.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/state/session_settings.h"
#include "im2col/timeline.h"
#include "io/presets.h"

namespace {

using namespace im2col;
using namespace im2col::gui;

void Apply(AppState& state, Intent intent) {
  PushIntent(state, std::move(intent));
  ApplyIntents(state);
}

AppState AlexNet() {
  const io::ScenarioReadResult read = io::LoadPreset("alexnet-conv1");
  EXPECT_TRUE(read.ok()) << read.error;
  return MakeAppState(read.document->scenario);
}

// Plays at 60 frames a second for `seconds`.
void Play(AppState& state, double seconds) {
  const int frames = static_cast<int>(seconds * 60.0 + 0.5);
  for (int i = 0; i < frames; ++i) AdvancePlayback(state, 1.0f / 60.0f);
}

TEST(PlaybackTest, AlexNetExtractEndsInFifteenSecondsByDefault) {
  AppState state = AlexNet();
  const Timeline& t = *state.timeline;
  const Index extract = t.PhaseLength(Phase::Extract);
  ASSERT_EQ(extract, Index{363} * 3025);
  EXPECT_LT(state.playback.phase_seconds, 0.0f);  // auto
  EXPECT_NEAR(PlaybackStepsPerSecond(state), static_cast<double>(extract) / kAutoPhaseSeconds, 1e-6);
  Apply(state, intent::SetPlaying{true});
  Play(state, 7.5);
  // Half the phase after half the time (within a frame's worth of steps).
  const double per_frame = static_cast<double>(extract) / kAutoPhaseSeconds / 60.0;
  EXPECT_NEAR(static_cast<double>(state.playback.step), extract / 2.0, per_frame + 1.0);
  EXPECT_EQ(state.frame.step.index, state.playback.step);  // the frame is StateAt(step)
  Play(state, 7.5 + 2.0 / 60.0);
  EXPECT_EQ(CurrentPhase(state), Phase::Flatten);
  EXPECT_EQ(state.playback.step, t.PhaseBegin(Phase::Flatten));
  // Pause and step by single cells, back and forth.
  Apply(state, intent::SetPlaying{false});
  Apply(state, intent::StepUnit{-1});
  EXPECT_EQ(state.playback.step, t.PhaseBegin(Phase::Flatten) - 1);
  EXPECT_EQ(state.frame.focus_cell, (Cell{362, 3024}));
  Apply(state, intent::StepUnit{+1});
  EXPECT_EQ(state.playback.step, t.PhaseBegin(Phase::Flatten));
}

TEST(PlaybackTest, ChosenSecondsAndGranularityChooseTheVisitedSteps) {
  AppState state = AlexNet();
  const Timeline& t = *state.timeline;
  Apply(state, intent::SetPhaseSeconds{30.0f});
  Apply(state, intent::SetGranularity{Granularity::Patch});
  Apply(state, intent::SetPlaying{true});
  std::set<Index> visited;
  for (int i = 0; i < 60 * 10; ++i) {
    AdvancePlayback(state, 1.0f / 60.0f);
    visited.insert(state.playback.step);
  }
  // Only patch starts, and a third of the phase after 10 of 30 seconds.
  for (Index step : visited) EXPECT_EQ(step % 363, 0) << step;
  EXPECT_NEAR(static_cast<double>(state.playback.step), t.PhaseLength(Phase::Extract) / 3.0, 363.0 * 2);
  // Off: one unit every kStepSeconds at 1x.
  Apply(state, intent::SetPhaseSeconds{0.0f});
  const Index before = state.playback.step;
  Play(state, kStepSeconds * 3 + 0.05);
  EXPECT_EQ(state.playback.step, before + 3 * 363);
}

TEST(PlaybackTest, SmallScenariosStillPlayStepByStepInAuto) {
  AppState state = MakeAppState(Scenario{});
  Apply(state, intent::SetPlaying{true});
  Play(state, kStepSeconds * 2 + 0.05);
  EXPECT_EQ(state.playback.step, 2);
  // Fitted explicitly: the 108-step extract of the example ends in 5 s.
  Apply(state, intent::SetStep{0});
  Apply(state, intent::SetPhaseSeconds{5.0f});
  Play(state, 5.0 + 2.0 / 60.0);
  EXPECT_EQ(state.playback.step, state.timeline->PhaseBegin(Phase::Flatten));
}

TEST(PlaybackTest, StepButtonsFollowTheGranularityBothWays) {
  AppState state = MakeAppState(Scenario{});
  const Timeline& t = *state.timeline;
  const Index R = state.scenario.shape.PatchSize();
  Apply(state, intent::SetGranularity{Granularity::Patch});
  Apply(state, intent::StepUnit{+1});
  EXPECT_EQ(state.playback.step, R);
  Apply(state, intent::StepUnit{+1});
  EXPECT_EQ(state.playback.step, 2 * R);
  Apply(state, intent::StepUnit{-1});
  EXPECT_EQ(state.playback.step, R);
  Apply(state, intent::SetGranularity{Granularity::Phase});
  Apply(state, intent::StepUnit{+1});
  EXPECT_EQ(state.playback.step, t.PhaseBegin(Phase::Flatten));
  Apply(state, intent::StepUnit{-1});
  EXPECT_EQ(state.playback.step, 0);
}

TEST(PlaybackTest, GranularityAndPhaseSecondsPersistWithTheSettings) {
  AppState state = MakeAppState(Scenario{});
  Apply(state, intent::SetGranularity{Granularity::Row});
  Apply(state, intent::SetPhaseSeconds{20.0f});
  const io::Settings saved = SettingsFromState(state);
  EXPECT_EQ(saved.step_unit, "row");
  EXPECT_EQ(saved.phase_seconds, 20.0);
  const io::SettingsLoad loaded = io::ParseSettingsJson(io::SettingsToJson(saved), "s.json");
  EXPECT_TRUE(loaded.messages.empty());
  AppState restored = MakeAppState(Scenario{});
  AdoptSettings(restored, loaded, "", false);
  EXPECT_EQ(restored.playback.granularity, Granularity::Row);
  EXPECT_EQ(restored.playback.phase_seconds, 20.0f);
  // A file from before these settings existed: the defaults, no message.
  const io::SettingsLoad old = io::ParseSettingsJson(R"({"format": "im2col-lab-settings", "theme": "dark"})", "old.json");
  EXPECT_TRUE(old.messages.empty());
  AppState from_old = MakeAppState(Scenario{});
  AdoptSettings(from_old, old, "", false);
  EXPECT_EQ(from_old.playback.granularity, Granularity::Cell);
  EXPECT_LT(from_old.playback.phase_seconds, 0.0f);
}

}  // namespace
