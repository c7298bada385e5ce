// Fuzzes the settings reader (io/settings.h) with arbitrary bytes. Loading settings
// never fails, so the properties are:
//   - it returns usable settings: every field within its documented range;
//   - every message is one line that starts with the file's name;
//   - the settings save, and the saved text reads back to the same settings with
//     no message at all.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "io/settings.h"

namespace {

constexpr const char* kSourceName = "settings.json";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace im2col::io;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const SettingsLoad load = ParseSettingsJson(text, kSourceName);
  const Settings& s = load.settings;

  for (const std::string& message : load.messages) {
    FUZZ_CHECK(message.rfind(std::string(kSourceName) + ": ", 0) == 0, "message: " + message);
    FUZZ_CHECK(message.find_first_of("\r\n") == std::string::npos, "message must be one line: " + message);
  }
  const auto& themes = KnownThemeNames();
  FUZZ_CHECK(std::find(themes.begin(), themes.end(), s.theme) != themes.end(), "theme " + s.theme);
  FUZZ_CHECK(s.font_scale >= kSettingsMinFontScale && s.font_scale <= kSettingsMaxFontScale,
             "font_scale " + std::to_string(s.font_scale));
  FUZZ_CHECK(s.window_width >= kSettingsMinWindowSide && s.window_width <= kSettingsMaxWindowSide,
             "window_width " + std::to_string(s.window_width));
  FUZZ_CHECK(s.window_height >= kSettingsMinWindowSide && s.window_height <= kSettingsMaxWindowSide,
             "window_height " + std::to_string(s.window_height));
  FUZZ_CHECK(s.recent_files.size() <= kMaxRecentFiles, "too many recent files");
  for (const std::string& path : s.recent_files) FUZZ_CHECK(!path.empty(), "empty recent file");
  if (s.last_scenario) {
    const auto problems = s.last_scenario->Validate();
    FUZZ_CHECK(problems.empty(), "invalid last_scenario kept: " + problems.front());
  }

  const std::string saved = SettingsToJson(s);
  const SettingsLoad reread = ParseSettingsJson(saved, "saved.json");
  FUZZ_CHECK(reread.messages.empty(), "saved settings read back with a message: " + reread.messages.front());
  FUZZ_CHECK(reread.settings == s, "save -> load changed the settings:\n" + saved);
  return 0;
}
