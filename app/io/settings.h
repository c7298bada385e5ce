// The user's settings between sessions: theme, font scale, window size, the last
// scenario (a file path, or the scenario itself when it was never saved) and the
// recent files. Stored as JSON in $XDG_CONFIG_HOME/im2col-lab/settings.json
// (else ~/.config/im2col-lab/settings.json), written atomically.
//
// Loading never fails: a missing file gives the defaults silently; a file that
// cannot be read or does not parse gives the defaults, a message and
// keep_file_untouched (the app then never writes over it); a field of the wrong type or
// an unknown value is dropped with a message; numbers out of range are clamped
// (with a message); unknown keys are ignored, so newer files load in older builds.
//
//   {"format": "im2col-lab-settings", "version": 1, "theme": "light",
//    "font_scale": 1.0, "window": {"width": 1600, "height": 900},
//    "last_scenario_path": "...", "last_scenario": {scenario JSON},
//    "recent_files": ["...", ...],
//    "practice": {"level": 0, "seed": 1, "best_streak": 0},
//    "playback": {"step": "cell", "phase_seconds": -1},  (-1 auto, 0 off, else 1..600)
//    "monitor_windows": [{"monitor": "HDMI-1", "width": 1280, "height": 700}, ...]}
// Files written before "playback" or "monitor_windows" existed load with the defaults.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "im2col/scenario.h"

namespace im2col::io {

inline constexpr const char* kSettingsFormatName = "im2col-lab-settings";
inline constexpr int kSettingsFormatVersion = 1;

// Ranges that loading clamps to (font scale matches gui/fonts.h).
inline constexpr double kSettingsMinFontScale = 0.5;
inline constexpr double kSettingsMaxFontScale = 3.0;
inline constexpr int kSettingsMinWindowSide = 320;
inline constexpr int kSettingsMaxWindowSide = 16384;
inline constexpr std::size_t kMaxRecentFiles = 8;
// Practice mode: levels 0..kSettingsMaxPracticeLevel, question seeds 0..kSettingsMaxPracticeSeed.
inline constexpr int kSettingsMaxPracticeLevel = 3;
inline constexpr long long kSettingsMaxPracticeSeed = 4294967295LL;
inline constexpr std::size_t kMaxMonitorWindows = 8;  // window sizes remembered per monitor
inline constexpr double kSettingsMaxPhaseSeconds = 600.0;  // -1 = auto, 0 = off, else 1..600

// The theme names settings accept (gui/theme.h's ToString(ThemeId)).
const std::vector<std::string>& KnownThemeNames();

struct Settings {
  std::string theme = "light";   // one of KnownThemeNames()
  double font_scale = 1.0;       // kSettingsMinFontScale..kSettingsMaxFontScale
  int window_width = 1600;       // kSettingsMinWindowSide..kSettingsMaxWindowSide
  int window_height = 900;
  std::string last_scenario_path;        // empty: none
  std::optional<Scenario> last_scenario; // an unsaved scenario, stored inline
  std::vector<std::string> recent_files; // most recent first, unique, <= kMaxRecentFiles
  int practice_level = 0;                // 0..kSettingsMaxPracticeLevel
  long long practice_seed = 1;           // 0..kSettingsMaxPracticeSeed
  int practice_best_streak = 0;          // >= 0
  std::string step_unit = "cell";        // "cell" | "patch" | "row" | "phase"
  double phase_seconds = -1.0;           // -1 = auto, 0 = off, else 1..kSettingsMaxPhaseSeconds
  // The window size last used on each monitor (by the monitor's name), most recent
  // first, at most kMaxMonitorWindows.
  struct MonitorWindow {
    std::string monitor;
    int width = 0, height = 0;
    friend bool operator==(const MonitorWindow& a, const MonitorWindow& b) {
      return a.monitor == b.monitor && a.width == b.width && a.height == b.height;
    }
  };
  std::vector<MonitorWindow> monitor_windows;

  friend bool operator==(const Settings& a, const Settings& b);
  friend bool operator!=(const Settings& a, const Settings& b) { return !(a == b); }
};

// Moves (or adds) `path` to the front of the recent files, keeping at most
// kMaxRecentFiles entries. Empty paths are ignored.
void AddRecentFile(Settings& settings, const std::string& path);
// Remembers `width` x `height` for `monitor` (moved to the front; the oldest beyond
// kMaxMonitorWindows dropped). Empty names are ignored. Returns the size stored for a
// monitor, if any.
void RememberMonitorWindow(Settings& settings, const std::string& monitor, int width, int height);
std::optional<Settings::MonitorWindow> MonitorWindowFor(const Settings& settings, const std::string& monitor);

// Where settings live: $XDG_CONFIG_HOME/im2col-lab/settings.json when that is set
// to an absolute path (the XDG rule), else $HOME/.config/im2col-lab/settings.json.
// Empty when neither variable helps. The two-argument form is for tests.
std::string DefaultSettingsPath();
std::string SettingsPathFor(const char* xdg_config_home, const char* home);

struct SettingsLoad {
  Settings settings;                  // always usable
  std::vector<std::string> messages;  // what was ignored or clamped, one line each
  // The file exists but could not be read or parsed as a whole (not JSON, not ours,
  // unreadable, too large, not a regular file): `settings` are the defaults and the
  // file must be left as it is, so the app must not save over it this session.
  bool keep_file_untouched = false;
};

// Settings from JSON text; `source_name` starts every message. Text that is not a
// settings object at all sets keep_file_untouched.
SettingsLoad ParseSettingsJson(const std::string& text, const std::string& source_name);
// Settings from a file; a missing file gives the defaults without a message. Also
// removes temporary files a killed save left in the settings directory.
SettingsLoad LoadSettings(const std::string& path);

// Settings hold references and small values: an unsaved scenario is stored inline only
// when its JSON is at most this size (a shape-only or a small hand-edited scenario);
// larger ones are not stored (the path, when there is one, is).
inline constexpr std::size_t kMaxInlineScenarioBytes = std::size_t{64} << 10;
// Whether `scenario` is small enough to be stored inline in the settings.
bool FitsInlineInSettings(const Scenario& scenario);

// The file contents (pretty-printed, ends with a newline).
std::string SettingsToJson(const Settings& settings);
// Writes atomically, creating the directory if needed. Returns "" or a one-line error.
std::string SaveSettings(const std::string& path, const Settings& settings);

}  // namespace im2col::io
