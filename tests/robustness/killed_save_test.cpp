// A save killed half-way loses nothing. Each save runs through the real code path
// (the window's "Save" intent, settings on exit) in a child process with
// IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE=1, which makes io::WriteFileAtomically abort
// after the temporary file is written and before the rename, i.e. the worst moment.
// Then: the old file is intact byte for byte, nothing partial replaced it, and the
// next (unkilled) save works.
#include <gtest/gtest.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/state/session_settings.h"
#include "io/presets.h"
#include "io/scenario_json.h"
#include "io/settings.h"

namespace im2col {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAbortHook = "IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE";

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::string> FileNames(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Runs `save` in a child with the abort hook set; returns the child's wait status.
int RunKilledSave(const std::function<void()>& save) {
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    ::setenv(kAbortHook, "1", 1);
    save();
    std::fflush(nullptr);
    _exit(0);  // reached only if the hook did not fire
  }
  int status = 0;
  waitpid(child, &status, 0);
  return status;
}

class KilledSave : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv(kAbortHook);
    dir_ = fs::temp_directory_path() / ("im2col-killed-save-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The temporary files a killed save left (".NAME.tmp-XXXXXX"), with their contents.
  std::vector<std::string> LeftoverTemps(const std::string& target_name) const {
    std::vector<std::string> contents;
    for (const std::string& name : FileNames(dir_)) {
      if (name.rfind("." + target_name + ".tmp-", 0) == 0) contents.push_back(ReadBytes(dir_ / name));
    }
    return contents;
  }

  fs::path dir_;
};

Scenario LoadPresetOrFail(const std::string& name) {
  const io::ScenarioReadResult preset = io::LoadPreset(name);
  EXPECT_TRUE(preset.ok()) << preset.error;
  return preset.ok() ? preset.document->scenario : Scenario{};
}

TEST_F(KilledSave, TheWindowsSaveKilledBeforeTheRenameKeepsTheOldFile) {
  const fs::path path = dir_ / "lesson.json";
  const Scenario old_scenario = LoadPresetOrFail("padding1");
  ASSERT_EQ(io::WriteScenarioFile(path.string(), old_scenario), "");
  const std::string old_bytes = ReadBytes(path);
  ASSERT_FALSE(old_bytes.empty());

  const Scenario new_scenario = LoadPresetOrFail("batch2");
  const int status = RunKilledSave([&] {
    gui::AppState state = gui::MakeAppState(new_scenario);
    gui::PushIntent(state, gui::intent::SaveScenarioFile{path.string()});
    gui::ApplyIntents(state);
  });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)
      << "the save was not killed (is the abort hook still in io::WriteFileAtomically?), status " << status;

  // The old file, byte for byte, and it still opens as the old scenario.
  EXPECT_EQ(ReadBytes(path), old_bytes);
  const io::ScenarioReadResult reread = io::ReadScenarioFile(path.string());
  ASSERT_TRUE(reread.ok()) << reread.error;
  EXPECT_EQ(reread.document->scenario, old_scenario);

  // What was killed is a complete temporary file beside it, never the target.
  const std::vector<std::string> temps = LeftoverTemps("lesson.json");
  ASSERT_EQ(temps.size(), 1u) << "files: " << ::testing::PrintToString(FileNames(dir_));
  EXPECT_EQ(temps[0], io::ScenarioToJson(new_scenario));

  // The next save, not killed, replaces the file with the new scenario.
  gui::AppState state = gui::MakeAppState(new_scenario);
  gui::PushIntent(state, gui::intent::SaveScenarioFile{path.string()});
  gui::ApplyIntents(state);
  EXPECT_FALSE(state.status_is_error) << state.status;
  const io::ScenarioReadResult saved = io::ReadScenarioFile(path.string());
  ASSERT_TRUE(saved.ok()) << saved.error;
  EXPECT_EQ(saved.document->scenario, new_scenario);
}

TEST_F(KilledSave, AKilledFirstSaveLeavesNoFileAtTheTarget) {
  const fs::path path = dir_ / "new.json";
  const int status = RunKilledSave([&] { io::WriteScenarioFile(path.string(), Scenario{}); });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << "status " << status;
  EXPECT_FALSE(fs::exists(path)) << "a killed save created the target";
}

TEST_F(KilledSave, SettingsSaveKilledBeforeTheRenameKeepsTheOldSettings) {
  const fs::path path = dir_ / "im2col-lab" / "settings.json";
  io::Settings old_settings;
  old_settings.theme = "dark";
  old_settings.font_scale = 1.5;
  old_settings.recent_files = {"/tmp/a.json"};
  ASSERT_EQ(io::SaveSettings(path.string(), old_settings), "");
  const std::string old_bytes = ReadBytes(path);

  io::Settings new_settings = old_settings;
  new_settings.theme = "high-contrast";
  new_settings.last_scenario = LoadPresetOrFail("dilation2");
  const int status = RunKilledSave([&] { io::SaveSettings(path.string(), new_settings); });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << "status " << status;

  EXPECT_EQ(ReadBytes(path), old_bytes);
  const io::SettingsLoad load = io::LoadSettings(path.string());
  EXPECT_TRUE(load.messages.empty()) << load.messages.front();
  EXPECT_EQ(load.settings, old_settings);

  ASSERT_EQ(io::SaveSettings(path.string(), new_settings), "");
  EXPECT_EQ(io::LoadSettings(path.string()).settings, new_settings);
}

// Makes every file in `dir` look two minutes old: what a killed save left at the last
// session, as the next start finds it.
void AgeFiles(const fs::path& dir) {
  const struct timeval old[2] = {{::time(nullptr) - 120, 0}, {::time(nullptr) - 120, 0}};
  for (const auto& entry : fs::directory_iterator(dir)) ::utimes(entry.path().c_str(), old);
}

TEST_F(KilledSave, AKilledSettingsSaveLeavesNoOrphanAfterTheNextStart) {
  const fs::path settings_dir = dir_ / "im2col-lab";
  const fs::path path = settings_dir / "settings.json";
  ASSERT_EQ(io::SaveSettings(path.string(), io::Settings{}), "");
  io::Settings changed;
  changed.theme = "dark";
  const int status = RunKilledSave([&] { io::SaveSettings(path.string(), changed); });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << "status " << status;
  ASSERT_EQ(FileNames(settings_dir).size(), 2u) << "the killed save left its temporary file";

  AgeFiles(settings_dir);
  gui::AppState state = gui::MakeAppState(Scenario{});  // the next start
  gui::AdoptSettings(state, io::LoadSettings(path.string()), path.string(), true);
  EXPECT_EQ(FileNames(settings_dir), std::vector<std::string>{"settings.json"});
}

TEST_F(KilledSave, AKilledScenarioSaveLeavesNoOrphanAfterTheNextSaveThere) {
  const fs::path path = dir_ / "lesson.json";
  const int status = RunKilledSave([&] {
    gui::AppState state = gui::MakeAppState(Scenario{});
    gui::PushIntent(state, gui::intent::SaveScenarioFile{path.string()});
    gui::ApplyIntents(state);
  });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << "status " << status;
  ASSERT_EQ(LeftoverTemps("lesson.json").size(), 1u);

  AgeFiles(dir_);
  gui::AppState state = gui::MakeAppState(Scenario{});
  gui::PushIntent(state, gui::intent::SaveScenarioFile{path.string()});
  gui::ApplyIntents(state);
  EXPECT_FALSE(state.status_is_error) << state.status;
  EXPECT_EQ(FileNames(dir_), std::vector<std::string>{"lesson.json"});
}

TEST_F(KilledSave, WithoutTheHookASaveIsNotKilled) {
  // The hook must be opt-in: "0" or another value leaves saves alone.
  const fs::path path = dir_ / "plain.json";
  ::setenv(kAbortHook, "0", 1);
  EXPECT_EQ(io::WriteScenarioFile(path.string(), Scenario{}), "");
  ::unsetenv(kAbortHook);
  EXPECT_TRUE(io::ReadScenarioFile(path.string()).ok());
  EXPECT_EQ(FileNames(dir_), std::vector<std::string>{"plain.json"});
}

}  // namespace
}  // namespace im2col
