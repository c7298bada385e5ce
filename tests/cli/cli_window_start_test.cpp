// `im2col-lab [scenario flags]` opens the window: the command line tells it whether a
// scenario was asked for, so `--preset chapter-4x4x3` (equal to the default scenario)
// still wins over the last session's scenario in the saved settings.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "gui/state/app_state.h"
#include "gui/state/session_settings.h"
#include "io/settings.h"

namespace {

using namespace im2col;

struct Opened {
  bool called = false;
  Scenario scenario;
  bool requested = false;
};

Opened OpenWith(std::vector<const char*> args) {
  Opened opened;
  std::ostringstream out, err;
  const int status = cli::Run(static_cast<int>(args.size()), args.data(), out, err,
                              [&](const Scenario& scenario, bool requested) {
                                opened = {true, scenario, requested};
                                return 0;
                              });
  EXPECT_EQ(status, 0) << err.str();
  return opened;
}

TEST(CliWindowStart, TheDefaultPresetByNameIsARequest) {
  const Opened plain = OpenWith({"im2col-lab"});
  ASSERT_TRUE(plain.called);
  EXPECT_FALSE(plain.requested);
  const Opened preset = OpenWith({"im2col-lab", "--preset", "chapter-4x4x3"});
  ASSERT_TRUE(preset.called);
  EXPECT_TRUE(preset.requested);
  EXPECT_TRUE(preset.scenario.shape == plain.scenario.shape);
  EXPECT_TRUE(OpenWith({"im2col-lab", "--kernel", "2"}).requested);  // the default value, asked for
}

TEST(CliWindowStart, AnAskedForScenarioIsNotReplacedByTheSavedOne) {
  io::Settings saved;
  Scenario last;
  last.shape.kernel = {3, 3};
  saved.last_scenario = last;
  io::SettingsLoad loaded;
  loaded.settings = saved;
  const Opened preset = OpenWith({"im2col-lab", "--preset", "chapter-4x4x3"});
  // As RunApp starts: the asked-for scenario, then the settings.
  gui::AppState state = gui::MakeAppState(preset.scenario);
  gui::AdoptSettings(state, loaded, "", /*restore_last_scenario=*/!preset.requested);
  gui::ApplyIntents(state);
  EXPECT_EQ(state.scenario.shape.kernel.h, 2);
  // With no flag, the last session's scenario comes back.
  const Opened plain = OpenWith({"im2col-lab"});
  gui::AppState restored = gui::MakeAppState(plain.scenario);
  gui::AdoptSettings(restored, loaded, "", /*restore_last_scenario=*/!plain.requested);
  gui::ApplyIntents(restored);
  EXPECT_EQ(restored.scenario.shape.kernel.h, 3);
}

}  // namespace
