// Settings between sessions, through io/settings (atomic writes): theme, font scale,
// window size, the last scenario and the recent files. A file that does not parse is
// ignored and the reason shown in the status line.
#include <algorithm>

#include "gui/state/app_state.h"
#include "gui/state/session_settings.h"

namespace im2col::gui {

void AdoptSettings(AppState& state, const io::SettingsLoad& loaded, const std::string& path,
                   bool restore_last_scenario) {
  ClassroomUi& room = state.classroom;
  room.settings = loaded.settings;
  room.saved_settings = loaded.settings;
  room.settings_path = path;
  room.windowed_width = loaded.settings.window_width;
  room.windowed_height = loaded.settings.window_height;
  state.theme = ParseTheme(loaded.settings.theme).value_or(ThemeId::Light);
  state.font_scale = static_cast<float>(loaded.settings.font_scale);
  state.practice.progress.level = loaded.settings.practice_level;
  state.practice.question_level = loaded.settings.practice_level;
  state.practice.seed = static_cast<std::uint64_t>(loaded.settings.practice_seed);
  state.practice.seed_text = std::to_string(loaded.settings.practice_seed);
  state.practice.best_streak = loaded.settings.practice_best_streak;
  state.playback.granularity = ParseGranularity(loaded.settings.step_unit).value_or(Granularity::Cell);
  state.playback.phase_seconds = static_cast<float>(loaded.settings.phase_seconds);
  // A file that could not be read is the user's to fix: never save defaults over it.
  if (loaded.keep_file_untouched) room.settings_path.clear();
  if (!loaded.messages.empty()) {
    std::string text = "settings ignored: " + loaded.messages.front();
    if (loaded.messages.size() > 1) text += " (+" + std::to_string(loaded.messages.size() - 1) + " more)";
    state.status = text;
    state.status_is_error = true;
  }
  if (!restore_last_scenario) return;
  if (!loaded.settings.last_scenario_path.empty()) {
    PushIntent(state, intent::OpenScenarioFile{loaded.settings.last_scenario_path});
  } else if (loaded.settings.last_scenario) {
    PushIntent(state, intent::SetScenario{*loaded.settings.last_scenario});
  }
}

io::Settings SettingsFromState(const AppState& state) {
  const ClassroomUi& room = state.classroom;
  io::Settings s = room.settings;
  s.theme = ToString(state.theme);
  s.font_scale = std::clamp(static_cast<double>(state.font_scale), io::kSettingsMinFontScale, io::kSettingsMaxFontScale);
  s.window_width = std::clamp(room.windowed_width, io::kSettingsMinWindowSide, io::kSettingsMaxWindowSide);
  s.window_height = std::clamp(room.windowed_height, io::kSettingsMinWindowSide, io::kSettingsMaxWindowSide);
  s.practice_level = std::clamp(state.practice.progress.level, 0, io::kSettingsMaxPracticeLevel);
  s.practice_seed = static_cast<long long>(std::min<std::uint64_t>(state.practice.seed, io::kSettingsMaxPracticeSeed));
  s.practice_best_streak = std::max(0, state.practice.best_streak);
  s.step_unit = ToString(state.playback.granularity);
  s.phase_seconds = static_cast<double>(state.playback.phase_seconds);
  // The file when the scenario is still what it holds (also once the worker has
  // computed it); otherwise the scenario itself, when it is small (settings hold
  // references, never a scenario's data).
  const bool shows_file = !room.scenario_file.empty() &&
                          (room.scenario_file_generation == state.scenario_generation ||
                           (room.scenario_file_pending && state.scenario_generation > room.scenario_file_generation &&
                            state.scenario == *room.scenario_file_pending));
  if (shows_file) {
    s.last_scenario_path = room.scenario_file;
    s.last_scenario.reset();
  } else {
    s.last_scenario_path.clear();
    s.last_scenario.reset();
    if (io::FitsInlineInSettings(state.scenario)) s.last_scenario = state.scenario;
  }
  return s;
}

std::string SaveSettingsIfChanged(AppState& state) {
  ClassroomUi& room = state.classroom;
  if (room.settings_path.empty()) return "";
  // Comparing whole settings (a scenario with many values) every frame is wasteful:
  // only when something they are made of moved.
  std::string key = std::to_string(state.scenario_generation) + "|" + ToString(state.theme) + "|" +
                    std::to_string(state.font_scale) + "|" + std::to_string(room.windowed_width) + "x" +
                    std::to_string(room.windowed_height) + "|" + room.scenario_file + "|" +
                    std::to_string(room.scenario_file_generation) + "|" +
                    ToString(state.playback.granularity) + "|" + std::to_string(state.playback.phase_seconds);
  for (const auto& m : room.settings.monitor_windows)
    key += "|" + m.monitor + "=" + std::to_string(m.width) + "x" + std::to_string(m.height);
  for (const std::string& file : room.settings.recent_files) key += "|" + file;
  if (key == room.settings_key) return "";
  room.settings_key = key;
  const io::Settings now = SettingsFromState(state);
  if (now == room.saved_settings) return "";
  const std::string error = io::SaveSettings(room.settings_path, now);
  if (error.empty()) room.saved_settings = now;
  else room.settings_path.clear();  // say it once, then stop trying
  return error;
}

void NoteScenarioFile(AppState& state, const std::string& path) {
  io::AddRecentFile(state.classroom.settings, path);
  state.classroom.scenario_file = path;
  state.classroom.scenario_file_generation = state.scenario_generation;
  // Opened but not yet shown: a large scenario is still being computed on the worker.
  state.classroom.scenario_file_pending =
      state.edited == state.scenario ? nullptr : std::make_shared<const Scenario>(state.edited);
}

}  // namespace im2col::gui
