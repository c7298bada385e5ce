// A GoogleTest fixture with one hidden GLFW window (and its GL 3.3 context) for the
// whole suite: GLFW allows one Platform at a time, and opening a window per test would
// cost seconds under Xvfb. Every test skips, saying why, when there is no display.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "gui/state/app_state.h"
#include "gui/platform/platform.h"

namespace im2col::testing {

class HiddenWindowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    platform_ = std::make_unique<gui::Platform>();
    gui::PlatformOptions options;
    options.visible = false;
    if (!platform_->Init(options, &skip_reason_)) platform_.reset();
  }
  static void TearDownTestSuite() { platform_.reset(); }
  void SetUp() override {
    if (!platform_) GTEST_SKIP() << "no display / GL 3.3: " << skip_reason_;
  }

  static gui::Platform& platform() { return *platform_; }

  // A state showing `scenario` at `step`, its transition finished (what a still frame shows).
  static gui::AppState StateAtStep(const Scenario& scenario, Index step) {
    gui::AppState state = gui::MakeAppState(scenario);
    gui::PushIntent(state, gui::intent::SetStep{step});
    gui::ApplyIntents(state);
    state.playback.transition = 1.0f;
    state.playback.previous_step = state.playback.step;
    return state;
  }

  inline static std::unique_ptr<gui::Platform> platform_;
  inline static std::string skip_reason_;
};

}  // namespace im2col::testing
