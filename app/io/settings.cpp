#include "io/settings.h"

#include "io/json_text.h"
#include "io/message_text.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "io/atomic_file.h"
#include "io/scenario_json.h"

namespace im2col::io {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Settings files are tiny; anything bigger is not ours.
constexpr std::size_t kMaxSettingsBytes = std::size_t{4} << 20;

std::string Abbreviated(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Reads a number field, clamped to [min, max]; keeps `fallback` when it is missing
// or not a number. Messages name the field and the rule.
double ReadClamped(const Json& object, const char* key, const std::string& field, double min, double max,
                   double fallback, const std::string& source, std::vector<std::string>& messages) {
  const auto found = object.find(key);
  if (found == object.end()) return fallback;
  if (!found->is_number()) {
    messages.push_back(source + ": " + field + " must be a number, got " + Abbreviated(*found) + "; using " +
                       FormatNumber(fallback));
    return fallback;
  }
  const double value = found->get<double>();
  if (!std::isfinite(value)) {
    messages.push_back(source + ": " + field + " must be finite; using " + FormatNumber(fallback));
    return fallback;
  }
  const double clamped = std::clamp(value, min, max);
  if (clamped != value)
    messages.push_back(source + ": " + field + " " + FormatNumber(value) + " is outside " + FormatNumber(min) +
                       ".." + FormatNumber(max) + "; using " + FormatNumber(clamped));
  return clamped;
}

void ReadTheme(const Json& root, Settings& settings, const std::string& source,
               std::vector<std::string>& messages) {
  const auto found = root.find("theme");
  if (found == root.end()) return;
  const auto& known = KnownThemeNames();
  if (found->is_string() && std::find(known.begin(), known.end(), found->get<std::string>()) != known.end()) {
    settings.theme = found->get<std::string>();
    return;
  }
  std::string names;
  for (const auto& name : known) names += (names.empty() ? "" : ", ") + name;
  messages.push_back(source + ": theme must be one of " + names + ", got " + Abbreviated(*found) + "; using " +
                     settings.theme);
}

void ReadWindow(const Json& root, Settings& settings, const std::string& source,
                std::vector<std::string>& messages) {
  const auto found = root.find("window");
  if (found == root.end()) return;
  if (!found->is_object()) {
    messages.push_back(source + ": window must be an object {\"width\": W, \"height\": H}, got " +
                       Abbreviated(*found) + "; using the default size");
    return;
  }
  settings.window_width = static_cast<int>(std::lround(ReadClamped(*found, "width", "window.width",
      kSettingsMinWindowSide, kSettingsMaxWindowSide, settings.window_width, source, messages)));
  settings.window_height = static_cast<int>(std::lround(ReadClamped(*found, "height", "window.height",
      kSettingsMinWindowSide, kSettingsMaxWindowSide, settings.window_height, source, messages)));
}

void ReadLastScenario(const Json& root, Settings& settings, const std::string& source,
                      std::vector<std::string>& messages) {
  if (const auto path = root.find("last_scenario_path"); path != root.end()) {
    if (path->is_string())
      settings.last_scenario_path = path->get<std::string>();
    else
      messages.push_back(source + ": last_scenario_path must be a string, got " + Abbreviated(*path) + "; ignored");
  }
  const auto inline_scenario = root.find("last_scenario");
  if (inline_scenario == root.end() || inline_scenario->is_null()) return;
  if (!inline_scenario->is_object()) {
    messages.push_back(source + ": last_scenario must be a scenario object, got " + Abbreviated(*inline_scenario) +
                       "; ignored");
    return;
  }
  ScenarioReadResult read = ParseScenarioJson(inline_scenario->dump(), source + ": last_scenario");
  if (read.ok())
    settings.last_scenario = read.document->scenario;
  else
    messages.push_back(read.error + "; ignored");
}

// "practice": {"level", "seed", "best_streak"}: a value of the wrong type or out of its
// range is dropped (the default stays) with a message.
void ReadPractice(const Json& root, Settings& settings, const std::string& source,
                  std::vector<std::string>& messages) {
  const auto found = root.find("practice");
  if (found == root.end()) return;
  if (!found->is_object()) {
    messages.push_back(source + ": practice must be an object {\"level\", \"seed\", \"best_streak\"}, got " +
                       Abbreviated(*found) + "; ignored");
    return;
  }
  const auto read = [&](const char* key, long long max, long long* out) {
    const auto value = found->find(key);
    if (value == found->end()) return;
    if (value->is_number_integer() && value->get<long long>() >= 0 && value->get<long long>() <= max &&
        !(value->is_number_unsigned() && value->get<unsigned long long>() > static_cast<unsigned long long>(max))) {
      *out = value->get<long long>();
      return;
    }
    messages.push_back(source + ": practice." + key + " must be a whole number 0.." + std::to_string(max) + ", got " +
                       Abbreviated(*value) + "; ignored");
  };
  long long level = settings.practice_level, seed = settings.practice_seed, best = settings.practice_best_streak;
  read("level", kSettingsMaxPracticeLevel, &level);
  read("seed", kSettingsMaxPracticeSeed, &seed);
  read("best_streak", 1000000000LL, &best);
  settings.practice_level = static_cast<int>(level);
  settings.practice_seed = seed;
  settings.practice_best_streak = static_cast<int>(best);
}

void ReadRecentFiles(const Json& root, Settings& settings, const std::string& source,
                     std::vector<std::string>& messages) {
  const auto found = root.find("recent_files");
  if (found == root.end()) return;
  if (!found->is_array()) {
    messages.push_back(source + ": recent_files must be a list of paths, got " + Abbreviated(*found) + "; ignored");
    return;
  }
  std::size_t dropped = 0;
  // Added oldest first so AddRecentFile's move-to-front keeps the file's order and
  // drops duplicates and the overflow beyond kMaxRecentFiles.
  for (auto entry = found->rbegin(); entry != found->rend(); ++entry) {
    if (entry->is_string() && !entry->get<std::string>().empty())
      AddRecentFile(settings, entry->get<std::string>());
    else
      ++dropped;
  }
  if (dropped > 0)
    messages.push_back(source + ": recent_files: ignored " + std::to_string(dropped) +
                       " entries that are not non-empty strings");
}

void ReadPlayback(const Json& root, Settings& settings, const std::string& source,
                  std::vector<std::string>& messages) {
  const auto found = root.find("playback");
  if (found == root.end()) return;
  if (!found->is_object()) {
    messages.push_back(source + ": playback must be an object {\"step\": ..., \"phase_seconds\": ...}, got " +
                       Abbreviated(*found) + "; using the defaults");
    return;
  }
  if (const auto step = found->find("step"); step != found->end()) {
    static const char* const kUnits[] = {"cell", "patch", "row", "phase"};
    const bool known = step->is_string() && std::find(std::begin(kUnits), std::end(kUnits),
                                                      step->get<std::string>()) != std::end(kUnits);
    if (known) settings.step_unit = step->get<std::string>();
    else messages.push_back(source + ": playback.step must be one of cell, patch, row, phase, got " +
                            Abbreviated(*step) + "; using " + settings.step_unit);
  }
  settings.phase_seconds = ReadClamped(*found, "phase_seconds", "playback.phase_seconds", -1.0,
                                       kSettingsMaxPhaseSeconds, settings.phase_seconds, source, messages);
  if (settings.phase_seconds < 0.0) settings.phase_seconds = -1.0;
  if (settings.phase_seconds > 0.0 && settings.phase_seconds < 1.0) settings.phase_seconds = 1.0;
}

void ReadMonitorWindows(const Json& root, Settings& settings, const std::string& source,
                        std::vector<std::string>& messages) {
  const auto found = root.find("monitor_windows");
  if (found == root.end()) return;
  if (!found->is_array()) {
    messages.push_back(source + ": monitor_windows must be a list of {\"monitor\", \"width\", \"height\"}, got " +
                       Abbreviated(*found) + "; ignored");
    return;
  }
  std::size_t dropped = 0;
  // Oldest first, so RememberMonitorWindow keeps the file's order and the bound.
  for (auto entry = found->rbegin(); entry != found->rend(); ++entry) {
    const Json& e = *entry;
    const bool ok = e.is_object() && e.contains("monitor") && e["monitor"].is_string() &&
                    !e["monitor"].get<std::string>().empty() && e.contains("width") && e.contains("height") &&
                    e["width"].is_number() && e["height"].is_number() && std::isfinite(e["width"].get<double>()) &&
                    std::isfinite(e["height"].get<double>());
    if (!ok) {
      ++dropped;
      continue;
    }
    auto side = [](double v) { return static_cast<int>(std::lround(std::clamp(v, -1e9, 1e9))); };
    RememberMonitorWindow(settings, e["monitor"].get<std::string>(), side(e["width"].get<double>()),
                          side(e["height"].get<double>()));
  }
  if (dropped > 0)
    messages.push_back(source + ": monitor_windows: ignored " + std::to_string(dropped) +
                       " entries that are not {\"monitor\": name, \"width\": W, \"height\": H}");
}

}  // namespace

const std::vector<std::string>& KnownThemeNames() {
  static const std::vector<std::string> names = {"light", "dark", "high-contrast"};
  return names;
}

bool operator==(const Settings& a, const Settings& b) {
  return a.theme == b.theme && a.font_scale == b.font_scale && a.window_width == b.window_width &&
         a.window_height == b.window_height && a.last_scenario_path == b.last_scenario_path &&
         a.last_scenario == b.last_scenario && a.recent_files == b.recent_files &&
         a.practice_level == b.practice_level && a.practice_seed == b.practice_seed &&
         a.practice_best_streak == b.practice_best_streak && a.step_unit == b.step_unit &&
         a.phase_seconds == b.phase_seconds && a.monitor_windows == b.monitor_windows;
}

void RememberMonitorWindow(Settings& settings, const std::string& monitor, int width, int height) {
  if (monitor.empty()) return;
  auto& list = settings.monitor_windows;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& m) { return m.monitor == monitor; }), list.end());
  list.insert(list.begin(), Settings::MonitorWindow{monitor, std::clamp(width, kSettingsMinWindowSide, kSettingsMaxWindowSide),
                                                    std::clamp(height, kSettingsMinWindowSide, kSettingsMaxWindowSide)});
  if (list.size() > kMaxMonitorWindows) list.resize(kMaxMonitorWindows);
}

std::optional<Settings::MonitorWindow> MonitorWindowFor(const Settings& settings, const std::string& monitor) {
  for (const auto& m : settings.monitor_windows)
    if (m.monitor == monitor) return m;
  return std::nullopt;
}

void AddRecentFile(Settings& settings, const std::string& path) {
  if (path.empty()) return;
  auto& files = settings.recent_files;
  files.erase(std::remove(files.begin(), files.end(), path), files.end());
  files.insert(files.begin(), path);
  if (files.size() > kMaxRecentFiles) files.resize(kMaxRecentFiles);
}

std::string SettingsPathFor(const char* xdg_config_home, const char* home) {
  namespace fs = std::filesystem;
  // XDG: a relative $XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg_config_home != nullptr && fs::path(xdg_config_home).is_absolute())
    return (fs::path(xdg_config_home) / "im2col-lab" / "settings.json").string();
  if (home != nullptr && *home != '\0') return (fs::path(home) / ".config" / "im2col-lab" / "settings.json").string();
  return {};
}

std::string DefaultSettingsPath() { return SettingsPathFor(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME")); }

SettingsLoad ParseSettingsJson(const std::string& text, const std::string& source_name) {
  SettingsLoad load;
  auto& messages = load.messages;
  const std::string ignored = "; using the default settings";

  // The depth-limited parser: a file nested 200,000 deep must not overflow the stack.
  JsonSyntaxError syntax;
  std::optional<Json> parsed = ParseJsonWithPaths(text, syntax);
  if (!parsed) {
    messages.push_back(source_name + ": not valid JSON (" + syntax.problem + ")" + ignored);
    load.keep_file_untouched = true;
    return load;
  }
  const Json root = std::move(*parsed);
  if (!root.is_object()) {
    messages.push_back(source_name + ": settings must be a JSON object, got " + Abbreviated(root) + ignored);
    load.keep_file_untouched = true;
    return load;
  }
  if (const auto format = root.find("format");
      format != root.end() && !(format->is_string() && format->get<std::string>() == kSettingsFormatName)) {
    messages.push_back(source_name + ": format must be \"" + kSettingsFormatName + "\", got " + Abbreviated(*format) +
                       ignored);
    load.keep_file_untouched = true;
    return load;
  }

  Settings& settings = load.settings;
  ReadTheme(root, settings, source_name, messages);
  settings.font_scale = ReadClamped(root, "font_scale", "font_scale", kSettingsMinFontScale, kSettingsMaxFontScale,
                                    settings.font_scale, source_name, messages);
  ReadWindow(root, settings, source_name, messages);
  ReadLastScenario(root, settings, source_name, messages);
  ReadRecentFiles(root, settings, source_name, messages);
  ReadPractice(root, settings, source_name, messages);
  ReadPlayback(root, settings, source_name, messages);
  ReadMonitorWindows(root, settings, source_name, messages);
  return load;
}

SettingsLoad LoadSettings(const std::string& path) {
  if (path.empty()) return {};
  RemoveStaleTempFiles(std::filesystem::path(path).parent_path().string());
  std::error_code fs_error;
  // symlink_status: a dangling link is still something the user put there.
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, fs_error))) return {};
  const std::string kept = "; using the default settings and leaving the file as it is";
  std::string error;
  const std::optional<std::string> text = ReadWholeFile(path, error, kMaxSettingsBytes);
  if (!text) {
    SettingsLoad load;
    load.messages.push_back(EscapeControlCharacters(error) + kept);
    load.keep_file_untouched = true;
    return load;
  }
  SettingsLoad load = ParseSettingsJson(*text, path);
  // A file that failed as a whole gave the defaults: saving them would wipe it.
  if (load.keep_file_untouched) load.messages.front() += " and leaving the file as it is";
  for (std::string& message : load.messages) message = EscapeControlCharacters(message);
  return load;
}

bool FitsInlineInSettings(const Scenario& scenario) {
  // Counting values first spares serialising a 30 MB scenario just to measure it.
  std::size_t values = 0;
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
    const TensorSource& source = scenario.Source(role);
    values += source.values.size();
  }
  if (values > kMaxInlineScenarioBytes / 2) return false;  // every value takes >= 2 bytes ("0,")
  return ScenarioToJson(scenario).size() <= kMaxInlineScenarioBytes;
}

std::string SettingsToJson(const Settings& settings) {
  OrderedJson root;
  root["format"] = kSettingsFormatName;
  root["version"] = kSettingsFormatVersion;
  root["theme"] = settings.theme;
  root["font_scale"] = settings.font_scale;
  root["window"] = {{"width", settings.window_width}, {"height", settings.window_height}};
  root["last_scenario_path"] = settings.last_scenario_path;
  // Never a scenario's data: settings must stay small and far under the read limit.
  root["last_scenario"] = settings.last_scenario && FitsInlineInSettings(*settings.last_scenario)
                              ? OrderedJson::parse(ScenarioToJson(*settings.last_scenario))
                              : OrderedJson(nullptr);
  root["recent_files"] = settings.recent_files;
  root["practice"] = {{"level", settings.practice_level},
                      {"seed", settings.practice_seed},
                      {"best_streak", settings.practice_best_streak}};
  root["playback"] = {{"step", settings.step_unit}, {"phase_seconds", settings.phase_seconds}};
  OrderedJson monitors = OrderedJson::array();
  for (const auto& m : settings.monitor_windows)
    monitors.push_back({{"monitor", m.monitor}, {"width", m.width}, {"height", m.height}});
  root["monitor_windows"] = monitors;
  // Paths are bytes on Linux; one that is not UTF-8 is written with U+FFFD
  // rather than failing the whole save.
  return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

std::string SaveSettings(const std::string& path, const Settings& settings) {
  if (path.empty()) return "no settings path: neither XDG_CONFIG_HOME nor HOME is set";
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code fs_error;
  if (!parent.empty()) std::filesystem::create_directories(parent, fs_error);
  if (fs_error) return parent.string() + ": cannot create the directory: " + fs_error.message();
  return WriteFileAtomically(path, SettingsToJson(settings));
}

}  // namespace im2col::io
