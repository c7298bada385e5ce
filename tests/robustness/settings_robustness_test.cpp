// Settings files that fail to parse are ignored with a message: the program starts
// on the defaults, says which file and why, and never crashes on what it finds in
// ~/.config (a truncated write, a binary blob, a directory, a 1 GB file, JSON nested
// a million levels deep).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "gui/state/app_state.h"
#include "gui/state/classroom_state.h"
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

}  // namespace
}  // namespace im2col::io
