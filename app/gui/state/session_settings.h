// The user's settings in the window's state: adopted at start, written when they
// change (io/settings.h has the file format).
#pragma once

#include <string>

#include "io/settings.h"

namespace im2col::gui {

struct AppState;

// Takes the loaded settings: theme, font scale, recent files; reports messages (a file
// that does not parse) in the status line; queues the last scenario when asked.
void AdoptSettings(AppState& state, const io::SettingsLoad& loaded, const std::string& path,
                   bool restore_last_scenario);
// The settings that describe `state` now (window size from classroom.windowed_*).
io::Settings SettingsFromState(const AppState& state);
// Saves (atomically) when something changed since the last save; "" or the error.
std::string SaveSettingsIfChanged(AppState& state);
// A scenario file was opened or saved: remember it (recent files, last scenario).
void NoteScenarioFile(AppState& state, const std::string& path);

}  // namespace im2col::gui
