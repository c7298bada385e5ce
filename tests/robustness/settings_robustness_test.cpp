// Settings files that fail to parse are ignored with a message: the program starts
// on the defaults, says which file and why, and never crashes on what it finds in
// ~/.config (a truncated write, a binary blob, a directory, a 1 GB file, JSON nested
// a million levels deep).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <memory>
#include <utility>
#include <fstream>
#include <functional>
#include <string>

#include "gui/state/app_state.h"
#include "gui/state/classroom_state.h"
#include "io/scenario_json.h"
#include "io/settings.h"
#include "gui/state/session_settings.h"

namespace im2col::io {
namespace {

namespace fs = std::filesystem;

class SettingsRobustness : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("im2col-settings-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  fs::path dir_;
};

// The defaults, plus exactly one message that names the file.
void ExpectDefaultsWithMessage(const SettingsLoad& load, const std::string& path, const std::string& why) {
  EXPECT_EQ(load.settings, Settings{});
  ASSERT_EQ(load.messages.size(), 1u);
  EXPECT_EQ(load.messages[0].rfind(path + ": ", 0), 0u) << load.messages[0];
  EXPECT_NE(load.messages[0].find(why), std::string::npos) << load.messages[0];
  EXPECT_NE(load.messages[0].find("default"), std::string::npos) << load.messages[0];
  EXPECT_EQ(load.messages[0].find('\n'), std::string::npos) << load.messages[0];
}

// Runs `body` in a child process; true when the child exited 0 (no crash, no
// sanitizer report, no stack overflow). The child's stderr (a stack overflow's trace
// has a frame per nesting level) is kept in a file; *how gets its summary lines.
bool RunsToCompletion(const std::function<void()>& body, const fs::path& stderr_file, std::string* how) {
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    const int fd = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) ::dup2(fd, 2);
    body();
    std::fflush(nullptr);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFSIGNALED(status)) *how = std::string("killed by ") + strsignal(WTERMSIG(status));
  else if (WEXITSTATUS(status) != 0) *how = "exit status " + std::to_string(WEXITSTATUS(status));
  std::ifstream err(stderr_file);
  for (std::string line; std::getline(err, line);) {
    if (line.find("ERROR") != std::string::npos || line.find("SUMMARY") != std::string::npos)
      *how += "\n  " + line.substr(0, 200);
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST_F(SettingsRobustness, TruncatedJsonIsIgnoredWithAMessage) {
  const std::string path = Write("settings.json", "{\"format\": \"im2col-lab-settings\", \"theme\": \"dark\", \"font_");
  ExpectDefaultsWithMessage(LoadSettings(path), path, "not valid JSON");
}

TEST_F(SettingsRobustness, EmptyFileIsIgnoredWithAMessage) {
  const std::string path = Write("settings.json", "");
  ExpectDefaultsWithMessage(LoadSettings(path), path, "not valid JSON");
}

TEST_F(SettingsRobustness, BinaryGarbageIsIgnoredWithAMessage) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) & 0xFF));
  const std::string path = Write("settings.json", garbage);
  ExpectDefaultsWithMessage(LoadSettings(path), path, "not valid JSON");
}

TEST_F(SettingsRobustness, NulBytesAndInvalidUtf8AreIgnoredWithAMessage) {
  const std::string path = Write("settings.json", std::string("{\"theme\": \"da\0rk\"}", 18));
  ExpectDefaultsWithMessage(LoadSettings(path), path, "not valid JSON");
  const std::string latin1 = Write("latin1.json", "{\"theme\": \"d\xe9\"}");
  ExpectDefaultsWithMessage(LoadSettings(latin1), latin1, "not valid JSON");
}

TEST_F(SettingsRobustness, NotAnObjectIsIgnoredWithAMessage) {
  const std::string path = Write("settings.json", "[1, 2, 3]");
  ExpectDefaultsWithMessage(LoadSettings(path), path, "must be a JSON object");
}

TEST_F(SettingsRobustness, AnotherProgramsFileIsIgnoredWithAMessage) {
  const std::string path = Write("settings.json", R"({"format": "someone-else", "theme": "dark"})");
  ExpectDefaultsWithMessage(LoadSettings(path), path, "format");
}

TEST_F(SettingsRobustness, ADirectoryInsteadOfAFileIsIgnoredWithAMessage) {
  const fs::path path = dir_ / "settings.json";
  fs::create_directories(path);
  ExpectDefaultsWithMessage(LoadSettings(path.string()), path.string(), "directory");
}

TEST_F(SettingsRobustness, AHugeFileIsRefusedWithoutReadingItAll) {
  const fs::path path = dir_ / "settings.json";
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"theme\": \"dark\", \"pad\": \"";
  }
  fs::resize_file(path, std::uintmax_t{1} << 30);  // sparse: 1 GB of NULs after the prefix
  const SettingsLoad load = LoadSettings(path.string());
  EXPECT_EQ(load.settings, Settings{});
  ASSERT_EQ(load.messages.size(), 1u);
  EXPECT_NE(load.messages[0].find("larger than"), std::string::npos) << load.messages[0];
}

TEST_F(SettingsRobustness, AMissingFileGivesTheDefaultsSilently) {
  const SettingsLoad load = LoadSettings((dir_ / "absent.json").string());
  EXPECT_EQ(load.settings, Settings{});
  EXPECT_TRUE(load.messages.empty());
}

TEST_F(SettingsRobustness, BadFieldsAreDroppedOneByOneAndTheRestIsKept) {
  const std::string path = Write("settings.json", R"({"format": "im2col-lab-settings", "version": 1,
      "theme": "dark", "font_scale": "huge", "window": {"width": 1e300, "height": 700},
      "last_scenario": {"shape": {"kernel": 0}}, "recent_files": ["/a.json", 7]})");
  const SettingsLoad load = LoadSettings(path);
  EXPECT_EQ(load.settings.theme, "dark");
  EXPECT_EQ(load.settings.font_scale, 1.0);
  EXPECT_EQ(load.settings.window_width, kSettingsMaxWindowSide);
  EXPECT_EQ(load.settings.window_height, 700);
  EXPECT_FALSE(load.settings.last_scenario.has_value());
  EXPECT_EQ(load.settings.recent_files, std::vector<std::string>{"/a.json"});
  ASSERT_EQ(load.messages.size(), 4u);
  for (const std::string& message : load.messages) {
    EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
  }
}

// Regression: nlohmann's dump() recurses once per nesting level, so quoting a value
// nested ~100,000 deep in a message overflowed the stack (a 200 KB settings.json
// crashed the program at start-up). Run in a child so a crash fails only this test.
TEST_F(SettingsRobustness, DeeplyNestedJsonDoesNotCrash) {
  const int depth = 1000000;  // 2 MB: under the 4 MB settings limit
  const std::string nested = std::string(depth, '[') + std::string(depth, ']');
  struct Case {
    const char* name;
    std::string text;
  };
  const Case cases[] = {
      {"top level", nested},
      {"theme", "{\"theme\": " + nested + "}"},
      {"window", "{\"window\": " + nested + "}"},
      {"last_scenario", "{\"last_scenario\": {\"title\": " + nested + "}}"},
      {"recent_files", "{\"recent_files\": " + nested + "}"},
  };
  for (const Case& c : cases) {
    const std::string path = Write("settings.json", c.text);
    std::string how;
    EXPECT_TRUE(RunsToCompletion(
        [&] {
          const SettingsLoad load = LoadSettings(path);
          if (load.messages.empty() || !(load.settings == Settings{})) _exit(3);
        },
        dir_ / "child-stderr.txt", &how))
        << "settings.json with a value nested " << depth << " levels deep in " << c.name << ": " << how;
  }
}

// The window shows why the settings were ignored in its status line, naming the file.
TEST_F(SettingsRobustness, TheWindowSaysWhyTheSettingsWereIgnored) {
  const std::string path = Write("settings.json", "{\"theme\": \"dark\", \"font_");
  gui::AppState state = gui::MakeAppState(Scenario{});
  gui::AdoptSettings(state, LoadSettings(path), path, /*restore_last_scenario=*/true);
  EXPECT_TRUE(state.status_is_error);
  EXPECT_NE(state.status.find(path), std::string::npos) << state.status;
  EXPECT_NE(state.status.find("not valid JSON"), std::string::npos) << state.status;
  EXPECT_EQ(state.theme, gui::ThemeId::Light);  // the defaults, not half of the file
  gui::ApplyIntents(state);
  EXPECT_EQ(state.scenario, Scenario{});
}

// [SECTION] Settings are never lost ------------------------------------------------

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One launch of the window as far as settings go: load, adopt, the user changes
// something, the per-frame save runs.
void LaunchAndChangeTheTheme(const std::string& path) {
  gui::AppState state = gui::MakeAppState(Scenario{});
  gui::AdoptSettings(state, LoadSettings(path), path, /*restore_last_scenario=*/true);
  gui::ApplyIntents(state);
  state.theme = gui::ThemeId::Dark;
  state.classroom.windowed_width = 1234;
  (void)gui::SaveSettingsIfChanged(state);
}

TEST_F(SettingsRobustness, UnreadableSettingsAreByteIdenticalAfterALaunch) {
  const std::string valid_start = "{\"format\": \"im2col-lab-settings\", \"theme\": \"high-contrast\", "
                                  "\"recent_files\": [\"/home/me/lesson.json\"]";
  const std::pair<const char*, std::string> cases[] = {
      {"trailing comma", valid_start + ",}\n"},
      {"typo", "{\"format\": \"im2col-lab-settings\", \"theme\": dark}\n"},
      {"non-UTF-8 byte", valid_start + ", \"last_scenario_path\": \"/home/me/\xff.json\"}\n"},
      {"oversized", valid_start + ", \"pad\": \"" + std::string(5 << 20, 'x') + "\"}\n"},
      {"another program's file", "{\"format\": \"something-else\", \"theme\": \"dark\"}\n"},
  };
  for (const auto& [name, text] : cases) {
    const std::string path = Write("settings.json", text);
    const SettingsLoad load = LoadSettings(path);
    EXPECT_TRUE(load.keep_file_untouched) << name;
    ASSERT_FALSE(load.messages.empty()) << name;
    EXPECT_NE(load.messages.front().find("leaving the file as it is"), std::string::npos) << load.messages.front();
    LaunchAndChangeTheTheme(path);
    EXPECT_TRUE(Bytes(path) == text) << name << ": the settings file was written over";
  }
}

TEST_F(SettingsRobustness, AnUnreadableFileIsKeptEvenWhereRootCouldReadIt) {
  const std::string path = Write("settings.json", "{\"theme\": \"dark\",}");
  fs::permissions(path, fs::perms::none);  // 000
  LaunchAndChangeTheTheme(path);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(Bytes(path), "{\"theme\": \"dark\",}");
}

TEST_F(SettingsRobustness, AReadableFileIsStillSavedWhenTheUserChangesSomething) {
  const std::string path = Write("settings.json", "{\"format\": \"im2col-lab-settings\", \"theme\": \"light\"}");
  LaunchAndChangeTheTheme(path);
  EXPECT_EQ(LoadSettings(path).settings.theme, "dark");
}

TEST_F(SettingsRobustness, AFifoOrADirectoryAsSettingsIsRefusedWithoutBlocking) {
  const fs::path fifo = dir_ / "settings.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::string how;
  // In a child: a blocking open would hang this test forever.
  EXPECT_TRUE(RunsToCompletion(
      [&] {
        ::alarm(10);
        const SettingsLoad load = LoadSettings(fifo.string());
        if (!load.keep_file_untouched || load.messages.empty()) _exit(3);
        LaunchAndChangeTheTheme(fifo.string());
      },
      dir_ / "child-stderr.txt", &how))
      << how;
  EXPECT_TRUE(fs::is_fifo(fifo)) << "the FIFO was replaced";

  const fs::path directory = dir_ / "as-directory" / "settings.json";
  fs::create_directories(directory);
  EXPECT_TRUE(LoadSettings(directory.string()).keep_file_untouched);
  LaunchAndChangeTheTheme(directory.string());
  EXPECT_TRUE(fs::is_directory(directory));
}

TEST_F(SettingsRobustness, AKilledSettingsSaveLeavesNoOrphanAfterTheNextStart) {
  const std::string path = Write("settings.json", "{\"format\": \"im2col-lab-settings\"}");
  const fs::path orphan = dir_ / ".settings.json.tmp-k1lled";
  std::ofstream(orphan) << "{\"format\": \"im2col-lab-settings\", \"theme\": \"da";
  const struct timeval old[2] = {{::time(nullptr) - 300, 0}, {::time(nullptr) - 300, 0}};
  ASSERT_EQ(::utimes(orphan.c_str(), old), 0);
  (void)LoadSettings(path);  // the next start
  EXPECT_FALSE(fs::exists(orphan));
}

// A scenario whose explicit input values make a large file (sizes in the JSON).
Scenario ExplicitScenario(int side) {
  Scenario sc;
  sc.title = "explicit";
  sc.shape.channels = 1;
  sc.shape.height = sc.shape.width = side;
  sc.shape.kernel = {3, 3};
  sc.input.values.resize(static_cast<std::size_t>(side) * side);
  for (std::size_t i = 0; i < sc.input.values.size(); ++i) sc.input.values[i] = 1000.0 + (i % 997) / 7.0;
  return sc;
}

TEST_F(SettingsRobustness, SettingsStaySmallAfterOpeningA30MbScenarioAndAnImage) {
  const Scenario big = ExplicitScenario(1400);
  ASSERT_TRUE(big.Validate().empty()) << big.Validate().front();
  const std::string scenario_path = (dir_ / "big.json").string();
  ASSERT_EQ(WriteScenarioFile(scenario_path, big), "");
  ASSERT_GT(fs::file_size(scenario_path), 30u << 20);

  const std::string settings_path = (dir_ / "settings.json").string();
  gui::AppState state = gui::MakeAppState(Scenario{});
  state.compute_task = std::make_shared<gui::LatestTask<gui::ComputedScenario>>();  // as in the window
  gui::AdoptSettings(state, LoadSettings(settings_path), settings_path, true);
  gui::PushIntent(state, gui::intent::OpenScenarioFile{scenario_path});
  gui::ApplyIntents(state);
  for (int i = 0; i < 6000 && !(state.scenario == big); ++i) {
    gui::PollBackgroundWork(state);
    ::usleep(10000);
  }
  ASSERT_TRUE(state.scenario == big) << "the worker did not finish";
  ASSERT_EQ(gui::SaveSettingsIfChanged(state), "");
  const SettingsLoad saved = LoadSettings(settings_path);
  EXPECT_TRUE(saved.messages.empty()) << saved.messages.front();
  EXPECT_EQ(saved.settings.last_scenario_path, scenario_path) << "the path was dropped after the background compute";
  EXPECT_FALSE(saved.settings.last_scenario.has_value());
  EXPECT_LT(fs::file_size(settings_path), kMaxInlineScenarioBytes + 8192);

  // An image (explicit values, no file): not stored inline, the settings stay small.
  gui::PushIntent(state, gui::intent::SetScenario{ExplicitScenario(300)});
  gui::ApplyIntents(state);
  for (int i = 0; i < 6000 && !(state.scenario == ExplicitScenario(300)); ++i) {
    gui::PollBackgroundWork(state);
    ::usleep(10000);
  }
  ASSERT_EQ(gui::SaveSettingsIfChanged(state), "");
  EXPECT_LT(fs::file_size(settings_path), kMaxInlineScenarioBytes + 8192);
  EXPECT_TRUE(LoadSettings(settings_path).messages.empty());
  EXPECT_EQ(LoadSettings(settings_path).settings.last_scenario_path, "");

  // A small unsaved scenario is still kept inline.
  Scenario small;
  small.shape.filters = 2;
  gui::PushIntent(state, gui::intent::SetScenario{small});
  gui::ApplyIntents(state);
  ASSERT_EQ(gui::SaveSettingsIfChanged(state), "");
  EXPECT_TRUE(LoadSettings(settings_path).settings.last_scenario == small);
}

}  // namespace
}  // namespace im2col::io
