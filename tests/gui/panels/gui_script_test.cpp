// A scripted run of the real frame code: 2,400 frames in a hidden window, each drawn
// by DrawAppFrame into an offscreen framebuffer, with random slider changes (valid and
// not), layout/order/fill edits, steps, phase jumps, scrubs, play/pause, hovers, theme
// and font-scale changes pushed through the intent queue. After every frame the
// state must keep its promises: the shown scenario is valid and is what core computed,
// the step is in range and the frame is StateAt(step), bad edits are reported and
// change nothing. Needs a display (Xvfb); skips without one.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/panels/frame.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"

namespace {

using namespace im2col;
using namespace im2col::gui;

constexpr int kFrames = 2400;

class Script {
 public:
  explicit Script(std::uint32_t seed) : random_(seed) {}

  int Int(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(random_); }

  // One random intent, weighted toward what a student does most: sliders and steps.
  Intent Next(const AppState& state) {
    const Shape& s = state.scenario.shape;
    switch (Int(0, 15)) {
      case 0: case 1: case 2: {
        const ShapeField field = static_cast<ShapeField>(Int(0, kShapeFieldCount - 1));
        // Mostly small sensible values; sometimes nonsense the panel must refuse.
        const int value = Chance(0.85) ? Int(0, 6) : (Chance(0.5) ? -Int(1, 100) : Int(7, 5000));
        return intent::SetShapeField{field, value};
      }
      case 3: return intent::SetNonSquare{Chance(0.5)};
      case 4: return intent::SetLayout{Chance(0.5) ? Layout::Rows : Layout::Columns};
      case 5: return intent::SetOrder{Chance(0.5) ? Order::ColumnMajor : Order::RowMajor};
      case 6: return intent::SetFill{static_cast<TensorRole>(Int(0, 3)), static_cast<Fill>(Int(0, 3))};
      case 7: case 8: return intent::StepBy{Int(-3, 3)};
      case 9: return intent::SetStep{static_cast<Index>(Int(-10, 400))};
      case 10: return intent::JumpToPhase{kAllPhases[static_cast<size_t>(Int(0, kPhaseCount - 1))]};
      case 11: return Chance(0.5) ? Intent{intent::TogglePlay{}} : Intent{intent::SetSpeed{Chance(0.5) ? 8.0f : 0.25f}};
      case 12: case 13: {
        // Hovers anywhere, in range or not: views must cope with both.
        const auto kind = static_cast<HoverTarget::Kind>(Int(0, 11));
        if (Chance(0.5)) {
          return intent::SetHover{HoverTarget::Matrix(kind, Int(-1, static_cast<int>(s.PatchSize())),
                                                      Int(-1, static_cast<int>(s.ColumnCount())))};
        }
        return intent::SetHover{HoverTarget::Tensor(kind, Int(-1, s.batch), Int(-1, s.channels),
                                                    Int(-2, s.height + 1), Int(-2, s.width + 1))};
      }
      case 14: return Chance(0.7) ? Intent{intent::SetTheme{static_cast<ThemeId>(Int(0, kThemeCount - 1))}}
                                  : Intent{intent::ToggleOverwrite{}};
      default: return Chance(0.1) ? Intent{intent::SetFontScale{Chance(0.5) ? 0.8f : 1.2f}}
                                  : Intent{intent::LoadPreset{Chance(0.5) ? "padding1" : "chapter-4x4x3"}};
    }
  }

 private:
  std::mt19937 random_;
};

TEST(GuiScriptTest, ThousandsOfRandomFramesKeepTheStateConsistent) {
  Platform platform;
  PlatformOptions options;
  options.visible = false;
  std::string error;
  if (!platform.Init(options, &error)) GTEST_SKIP() << "no display: " << error;

  AppState state = MakeAppState(Scenario{});
  Script script(20240611u);
  int invalid_edits = 0, steps_seen_backward = 0;
  for (int frame = 0; frame < kFrames; ++frame) {
    SCOPED_TRACE("frame " + std::to_string(frame));
    const Scenario shown_before = state.scenario;
    const int count = script.Int(0, 3);
    bool single_shape_edit = false;
    for (int i = 0; i < count; ++i) {
      Intent next = script.Next(state);
      single_shape_edit = count == 1 && std::holds_alternative<intent::SetShapeField>(next);
      PushIntent(state, std::move(next));
    }
    ApplyIntents(state);
    AdvancePlayback(state, 1.0f / 60.0f);

    // The promises, checked against core directly.
    ASSERT_TRUE(state.scenario.Validate().empty());
    ASSERT_TRUE(state.computation);
    ASSERT_EQ(state.computation->scenario, state.scenario);
    ASSERT_EQ(state.errors, state.edited.Validate());
    if (!state.errors.empty()) {
      ++invalid_edits;
      // A refused slider edit changes nothing that is shown.
      if (single_shape_edit) {
        ASSERT_EQ(state.scenario, shown_before);
      }
    } else {
      ASSERT_EQ(state.edited, state.scenario);
    }
    ASSERT_GE(state.playback.step, 0);
    ASSERT_LT(state.playback.step, state.timeline->StepCount());
    ASSERT_EQ(state.frame.step.index, state.playback.step);
    ASSERT_GE(state.playback.transition, 0.0f);
    ASSERT_LE(state.playback.transition, 1.0f);
    if (IsBackward(state.frame.step.phase)) ++steps_seen_backward;

    // Draw it: small frames most of the time (speed), a full-size one now and then.
    const bool big = frame % 200 == 0;
    const int width = big ? 1920 : 960, height = big ? 1080 : 600;
    ASSERT_TRUE(platform.EnsureStyle(state.theme, state.font_scale, &error)) << error;
    state.width = width;
    state.height = height;
    platform.BeginFrame(/*offscreen=*/true, width, height);
    DrawAppFrame(state, &platform.gpu());
    platform.RenderFrame(ActivePalette().background, width, height);
    // Anything the stage queued (hover) is applied with the next frame's intents.
  }
  // The script really exercised both kinds of edit and both halves of the timeline.
  EXPECT_GT(invalid_edits, 20);
  EXPECT_GT(steps_seen_backward, 100);
}

}  // namespace
