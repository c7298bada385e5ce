// Persisted settings: a round trip keeps everything, and every kind of broken
// file loads as usable settings with a one-line message instead of crashing.
#include "io/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/scenario_json.h"

namespace {

using namespace im2col;
using namespace im2col::io;
namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "im2col-settings-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

void WriteText(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string AllMessages(const SettingsLoad& load) {
  std::string all;
  for (const auto& m : load.messages) all += m + "\n";
  return all;
}

// Every message is one line naming the source.
void ExpectWellFormedMessages(const SettingsLoad& load, const std::string& source) {
  for (const auto& m : load.messages) {
    EXPECT_EQ(m.rfind(source + ": ", 0), 0u) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

// As the window would have it after opening a file: non-square, batch 2, rows
// layout, column-major order, explicit bias values and a random input.
Scenario UnusualScenario() {
  const ScenarioReadResult read = ParseScenarioJson(R"({
      "title": "Saved from the window",
      "shape": {"batch": 2, "channels": 1, "height": 3, "width": 5, "filters": 2,
                "kernel": [2, 3], "padding": [1, 0]},
      "layout": "rows", "order": "column-major", "seed": 42,
      "input": {"fill": "random"}, "bias": {"values": [0.5, -1.25]}})",
                                                    "unusual.json");
  EXPECT_TRUE(read.ok()) << read.error;
  return read.ok() ? read.document->scenario : Scenario{};
}

Settings NonDefaultSettings() {
  Settings s;
  s.theme = "high-contrast";
  s.font_scale = 1.75;
  s.window_width = 1920;
  s.window_height = 1080;
  s.last_scenario_path = "/home/student/conv/my scenario.json";
  s.last_scenario = UnusualScenario();
  s.recent_files = {"/a.json", "/b/c.json", "relative/d.json"};
  return s;
}

TEST(Settings, DefaultsAreThoseOfTheWindow) {
  const Settings s;
  EXPECT_EQ(s.theme, "light");
  EXPECT_EQ(s.font_scale, 1.0);
  EXPECT_EQ(s.window_width, 1600);
  EXPECT_EQ(s.window_height, 900);
  EXPECT_FALSE(s.last_scenario.has_value());
  EXPECT_TRUE(s.recent_files.empty());
}

TEST(Settings, SaveThenLoadGivesTheSameSettings) {
  TempDir dir;
  const std::string path = dir.File("nested/dir/settings.json");  // directories are created
  const Settings saved = NonDefaultSettings();
  ASSERT_EQ(SaveSettings(path, saved), "");
  const SettingsLoad load = LoadSettings(path);
  EXPECT_TRUE(load.messages.empty()) << AllMessages(load);
  EXPECT_EQ(load.settings, saved);
  ASSERT_TRUE(load.settings.last_scenario.has_value());
  EXPECT_EQ(load.settings.last_scenario->shape.kernel, (Pair{2, 3}));
  EXPECT_EQ(load.settings.last_scenario->bias.values, (std::vector<double>{0.5, -1.25}));
  // Saving again gives the same bytes.
  std::ifstream in(path);
  const std::string first((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(SettingsToJson(load.settings), first);
}

TEST(Settings, DefaultSettingsRoundTripWithoutAScenario) {
  const SettingsLoad load = ParseSettingsJson(SettingsToJson(Settings{}), "s.json");
  EXPECT_TRUE(load.messages.empty()) << AllMessages(load);
  EXPECT_EQ(load.settings, Settings{});
}

TEST(Settings, MissingFileIsSilentlyTheDefaults) {
  TempDir dir;
  const SettingsLoad load = LoadSettings(dir.File("does-not-exist.json"));
  EXPECT_TRUE(load.messages.empty());
  EXPECT_EQ(load.settings, Settings{});
}

TEST(Settings, EmptyFileAndGarbageAreIgnoredWithAMessage) {
  TempDir dir;
  for (const std::string& text : {std::string(), std::string("   \n"), std::string("\x00\xff{{ not json", 13),
                                  std::string("{\"theme\": \"dark\","), std::string("theme = dark")}) {
    const std::string path = dir.File("settings.json");
    WriteText(path, text);
    const SettingsLoad load = LoadSettings(path);
    EXPECT_EQ(load.settings, Settings{}) << text;
    ASSERT_EQ(load.messages.size(), 1u) << text;
    EXPECT_NE(load.messages[0].find("not valid JSON"), std::string::npos) << load.messages[0];
    EXPECT_NE(load.messages[0].find("using the default settings"), std::string::npos) << load.messages[0];
    ExpectWellFormedMessages(load, path);
  }
}

TEST(Settings, ADirectoryInsteadOfAFileIsAMessage) {
  TempDir dir;
  const std::string path = dir.File("settings.json");
  fs::create_directories(path);
  const SettingsLoad load = LoadSettings(path);
  EXPECT_EQ(load.settings, Settings{});
  ASSERT_EQ(load.messages.size(), 1u);
  EXPECT_NE(load.messages[0].find("directory"), std::string::npos) << load.messages[0];
  EXPECT_NE(SaveSettings(path, Settings{}), "");
}

TEST(Settings, NotAnObjectOrAnotherFormatIsIgnored) {
  for (const char* text : {"[1, 2]", "42", "\"light\"", "null"}) {
    const SettingsLoad load = ParseSettingsJson(text, "s.json");
    EXPECT_EQ(load.settings, Settings{});
    ASSERT_EQ(load.messages.size(), 1u) << text;
    EXPECT_NE(load.messages[0].find("must be a JSON object"), std::string::npos) << load.messages[0];
  }
  const SettingsLoad scenario_file =
      ParseSettingsJson(R"({"format": "im2col-lab-scenario", "theme": "dark"})", "s.json");
  EXPECT_EQ(scenario_file.settings.theme, "light");
  ASSERT_EQ(scenario_file.messages.size(), 1u);
  EXPECT_NE(scenario_file.messages[0].find("format must be \"im2col-lab-settings\""), std::string::npos);
}

TEST(Settings, WrongTypesDropOnlyTheirFieldWithAMessage) {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"({"theme": 5, "font_scale": 2})", "theme"},
      {R"({"theme": "neon", "font_scale": 2})", "theme"},
      {R"({"font_scale": "big", "theme": "dark"})", "font_scale"},
      {R"({"font_scale": null, "theme": "dark"})", "font_scale"},
      {R"({"window": "1920x1080", "theme": "dark"})", "window"},
      {R"({"window": {"width": "wide", "height": 700}, "theme": "dark"})", "window.width"},
      {R"({"last_scenario_path": 3, "theme": "dark"})", "last_scenario_path"},
      {R"({"last_scenario": "chapter", "theme": "dark"})", "last_scenario"},
      {R"({"last_scenario": {"shape": {"kernel": 0}}, "theme": "dark"})", "last_scenario"},
      {R"({"last_scenario": {"shape": {"height": 2, "kernel": 5}}, "theme": "dark"})", "last_scenario"},
      {R"({"recent_files": "a.json", "theme": "dark"})", "recent_files"},
      {R"({"recent_files": {"a": 1}, "theme": "dark"})", "recent_files"},
  };
  for (const Case& c : cases) {
    const SettingsLoad load = ParseSettingsJson(c.json, "s.json");
    ASSERT_EQ(load.messages.size(), 1u) << c.json << "\n" << AllMessages(load);
    EXPECT_EQ(load.messages[0].rfind(std::string("s.json: ") + c.field, 0), 0u) << load.messages[0];
    ExpectWellFormedMessages(load, "s.json");
    // The field's default stays; the other field in the file is still read.
    const Settings& s = load.settings;
    if (std::string(c.field) == "theme") {
      EXPECT_EQ(s.theme, "light");
      EXPECT_EQ(s.font_scale, 2.0);
    } else {
      EXPECT_EQ(s.theme, "dark") << c.json;
    }
    EXPECT_FALSE(s.last_scenario.has_value());
    EXPECT_TRUE(s.recent_files.empty());
    EXPECT_EQ(s.window_width, 1600);
  }
  // window.height is read even when width is broken.
  const SettingsLoad half = ParseSettingsJson(R"({"window": {"width": [], "height": 700}})", "s.json");
  EXPECT_EQ(half.settings.window_width, 1600);
  EXPECT_EQ(half.settings.window_height, 700);
}

TEST(Settings, OutOfRangeAndHugeNumbersAreClamped) {
  const SettingsLoad load = ParseSettingsJson(
      R"({"font_scale": 1e308, "window": {"width": 99999999999999999999999999, "height": -5}})", "s.json");
  EXPECT_EQ(load.settings.font_scale, kSettingsMaxFontScale);
  EXPECT_EQ(load.settings.window_width, kSettingsMaxWindowSide);
  EXPECT_EQ(load.settings.window_height, kSettingsMinWindowSide);
  ASSERT_EQ(load.messages.size(), 3u) << AllMessages(load);
  EXPECT_NE(load.messages[0].find("font_scale 1e+308 is outside 0.5..3; using 3"), std::string::npos)
      << load.messages[0];
  ExpectWellFormedMessages(load, "s.json");

  const SettingsLoad tiny = ParseSettingsJson(R"({"font_scale": -0.0, "window": {"width": 0, "height": 1e-300}})",
                                              "s.json");
  EXPECT_EQ(tiny.settings.font_scale, kSettingsMinFontScale);
  EXPECT_EQ(tiny.settings.window_width, kSettingsMinWindowSide);
  EXPECT_EQ(tiny.settings.window_height, kSettingsMinWindowSide);

  const SettingsLoad fractional = ParseSettingsJson(R"({"window": {"width": 1279.6, "height": 720}})", "s.json");
  EXPECT_EQ(fractional.settings.window_width, 1280);
  EXPECT_TRUE(fractional.messages.empty());

  // Beyond double: JSON parsers reject it, so the whole file is ignored.
  const SettingsLoad overflow = ParseSettingsJson(R"({"font_scale": 1e400, "theme": "dark"})", "s.json");
  EXPECT_EQ(overflow.settings, Settings{});
  EXPECT_EQ(overflow.messages.size(), 1u);
}

TEST(Settings, DeeplyNestedJsonDoesNotCrash) {
  const std::string deep = "{\"recent_files\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  const SettingsLoad load = ParseSettingsJson(deep, "s.json");
  EXPECT_TRUE(load.settings.recent_files.empty());
  EXPECT_EQ(load.messages.size(), 1u);
}

TEST(Settings, UnknownKeysAreIgnoredSilently) {
  const SettingsLoad load = ParseSettingsJson(
      R"({"format": "im2col-lab-settings", "version": 7, "theme": "dark", "future_option": {"x": [1, 2]},
          "window": {"width": 800, "height": 600, "maximized": true}})",
      "s.json");
  EXPECT_TRUE(load.messages.empty()) << AllMessages(load);
  EXPECT_EQ(load.settings.theme, "dark");
  EXPECT_EQ(load.settings.window_width, 800);
  EXPECT_EQ(load.settings.window_height, 600);
}

TEST(Settings, RecentFilesKeepOrderDropDuplicatesAndStopAtEight) {
  const SettingsLoad load = ParseSettingsJson(
      R"({"recent_files": ["1", "2", "1", 7, "", "3", "4", "5", "6", "7", "8", "9", "10"]})", "s.json");
  EXPECT_EQ(load.settings.recent_files, (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"}));
  ASSERT_EQ(load.messages.size(), 1u) << AllMessages(load);
  EXPECT_NE(load.messages[0].find("ignored 2 entries"), std::string::npos) << load.messages[0];

  Settings s;
  for (int i = 1; i <= 10; ++i) AddRecentFile(s, "f" + std::to_string(i));
  EXPECT_EQ(s.recent_files.size(), kMaxRecentFiles);
  EXPECT_EQ(s.recent_files.front(), "f10");
  EXPECT_EQ(s.recent_files.back(), "f3");
  AddRecentFile(s, "f5");
  EXPECT_EQ(s.recent_files.front(), "f5");
  EXPECT_EQ(s.recent_files.size(), kMaxRecentFiles);
  EXPECT_EQ(std::count(s.recent_files.begin(), s.recent_files.end(), "f5"), 1);
  AddRecentFile(s, "");
  EXPECT_EQ(s.recent_files.front(), "f5");
}

TEST(Settings, PathFollowsXdgThenHome) {
  EXPECT_EQ(SettingsPathFor("/xdg", "/home/u"), "/xdg/im2col-lab/settings.json");
  EXPECT_EQ(SettingsPathFor("relative/xdg", "/home/u"), "/home/u/.config/im2col-lab/settings.json");
  EXPECT_EQ(SettingsPathFor("", "/home/u"), "/home/u/.config/im2col-lab/settings.json");
  EXPECT_EQ(SettingsPathFor(nullptr, "/home/u"), "/home/u/.config/im2col-lab/settings.json");
  EXPECT_EQ(SettingsPathFor(nullptr, nullptr), "");
  EXPECT_NE(SaveSettings("", Settings{}), "");

  TempDir dir;
  const std::string xdg = dir.File("config");
  ::setenv("XDG_CONFIG_HOME", xdg.c_str(), 1);
  EXPECT_EQ(DefaultSettingsPath(), xdg + "/im2col-lab/settings.json");
  ::unsetenv("XDG_CONFIG_HOME");
}

TEST(Settings, SaveIntoAnImpossiblePlaceIsAMessage) {
  const std::string error = SaveSettings("/dev/null/im2col-lab/settings.json", Settings{});
  EXPECT_NE(error, "");
  EXPECT_EQ(error.find('\n'), std::string::npos);
}

TEST(Settings, NonUtf8RecentPathStillSaves) {
  Settings s;
  AddRecentFile(s, std::string("/tmp/caf\xe9.json"));
  const std::string text = SettingsToJson(s);
  const SettingsLoad load = ParseSettingsJson(text, "s.json");
  EXPECT_TRUE(load.messages.empty()) << AllMessages(load);
  ASSERT_EQ(load.settings.recent_files.size(), 1u);
  EXPECT_EQ(load.settings.recent_files[0].rfind("/tmp/caf", 0), 0u);
}

}  // namespace
