// The presets shipped in assets/presets/*.json: scenario files with a title and a
// one-sentence description, listed in teaching order (the chapter's example first).
#pragma once

#include <string>
#include <vector>

#include "io/scenario_json.h"

namespace im2col::io {

// The preset the window and every subcommand start from.
inline constexpr const char* kDefaultPresetName = "chapter-4x4x3";

struct PresetInfo {
  std::string name;         // file stem, e.g. "padding1"
  std::string title;
  std::string description;
  std::string path;         // where it was found
};

// Every readable preset, in teaching order; files that fail to parse are skipped
// (the tests load each one, so a broken preset fails the build's tests).
std::vector<PresetInfo> ListPresets();

// Loads a preset by name. An unknown name gives "unknown preset 'x'; available: a, b, ...".
ScenarioReadResult LoadPreset(const std::string& name);

}  // namespace im2col::io
