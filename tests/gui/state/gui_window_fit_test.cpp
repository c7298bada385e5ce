// The window fits the screen it opens on (gui/state/window_fit.cpp) and remembers its
// size per monitor in the settings (bounded, most recent first, saved and loaded).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gui/state/app_state.h"
#include "gui/state/window_fit.h"
#include "io/settings.h"

namespace {

using namespace im2col;
using namespace im2col::gui;

TEST(WindowFit, NeverLargerThanTheWorkAreaAndCentredInIt) {
  // The default 1600x900 on a 1366x768 laptop with a 32 px panel at the top.
  const ScreenArea laptop{0, 32, 1366, 736};
  const WindowPlacement p = FitToWorkArea(1600, 900, laptop);
  EXPECT_LE(p.width, laptop.width);
  EXPECT_LE(p.height + kWindowFrameAllowance, laptop.height);
  EXPECT_GE(p.x, laptop.x);
  EXPECT_GE(p.y, laptop.y);
  EXPECT_LE(p.x + p.width, laptop.x + laptop.width);
  EXPECT_LE(p.y + p.height, laptop.y + laptop.height);
  // A second monitor to the right: placed on it.
  const ScreenArea right{1920, 0, 2560, 1440};
  const WindowPlacement q = FitToWorkArea(1600, 900, right);
  EXPECT_EQ(q.width, 1600);
  EXPECT_EQ(q.height, 900);
  EXPECT_EQ(q.x, 1920 + (2560 - 1600) / 2);
  // A monitor that does not say: the size as asked.
  const WindowPlacement r = FitToWorkArea(1600, 900, ScreenArea{});
  EXPECT_EQ(r.width, 1600);
  EXPECT_EQ(r.height, 900);
  for (const auto& [w, h] : {std::pair{1280, 720}, {1366, 768}, {1600, 900}, {1920, 1080}, {2560, 1440}}) {
    const WindowPlacement fit = FitToWorkArea(4000, 3000, ScreenArea{0, 0, w, h});
    EXPECT_LE(fit.width, w);
    EXPECT_LE(fit.height, h);
    EXPECT_GE(fit.width, kWindowMinSide);
  }
}

TEST(WindowFit, SizeIsRememberedPerMonitorBoundedAndPersisted) {
  io::Settings settings;
  io::RememberMonitorWindow(settings, "eDP-1", 1280, 700);
  io::RememberMonitorWindow(settings, "HDMI-1", 1900, 1000);
  EXPECT_EQ(OpeningPlacement(settings, "eDP-1", ScreenArea{0, 0, 1366, 768}).width, 1280);
  EXPECT_EQ(OpeningPlacement(settings, "HDMI-1", ScreenArea{0, 0, 1920, 1080}).height, 1000);
  // Unknown monitor: the last size used anywhere, fitted.
  EXPECT_EQ(OpeningPlacement(settings, "DP-3", ScreenArea{0, 0, 2560, 1440}).width, settings.window_width);
  for (int i = 0; i < 20; ++i) io::RememberMonitorWindow(settings, "M" + std::to_string(i), 800 + i, 600);
  EXPECT_EQ(settings.monitor_windows.size(), io::kMaxMonitorWindows);
  EXPECT_EQ(settings.monitor_windows.front().monitor, "M19");
  const io::SettingsLoad loaded = io::ParseSettingsJson(io::SettingsToJson(settings), "s.json");
  EXPECT_TRUE(loaded.messages.empty());
  EXPECT_EQ(loaded.settings, settings);  // order kept
  // Bad entries are dropped with one message; the rest load.
  const io::SettingsLoad bad = io::ParseSettingsJson(
      R"({"monitor_windows": [{"monitor": "A", "width": 900, "height": 700}, {"monitor": 3}, "x"]})", "bad.json");
  ASSERT_EQ(bad.messages.size(), 1u);
  EXPECT_NE(bad.messages[0].find("monitor_windows"), std::string::npos);
  ASSERT_EQ(bad.settings.monitor_windows.size(), 1u);
  EXPECT_EQ(bad.settings.monitor_windows[0].width, 900);
}

TEST(DefaultFileNames, ExportsGoToPicturesAndScenariosToDocuments) {
  namespace fs = std::filesystem;
  const fs::path home = fs::temp_directory_path() / ("im2col-fit-home-" + std::to_string(::getpid()));
  fs::create_directories(home / "Pictures");
  fs::create_directories(home / "Documents");
  ::setenv("HOME", home.c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (home / ".config").c_str(), 1);
  ::unsetenv("XDG_PICTURES_DIR");
  ::unsetenv("XDG_DOCUMENTS_DIR");
  const AppState state = MakeAppState(Scenario{});
  EXPECT_EQ(fs::path(state.classroom.export_png_path).parent_path(), home / "Pictures");
  EXPECT_EQ(fs::path(state.classroom.export_animation_path).parent_path(), home / "Pictures");
  EXPECT_EQ(fs::path(state.classroom.export_png_dir).parent_path(), home / "Pictures");
  EXPECT_EQ(fs::path(state.ui.file_path).parent_path(), home / "Documents");
  EXPECT_EQ(fs::path(state.classroom.export_matrix_path).parent_path(), home / "Documents");
  std::error_code ignored;
  fs::remove_all(home, ignored);
}

}  // namespace
