// Where the files the program ships with live: presets and other assets next to
// the executable (build tree or install), else the source tree; fonts from the system.
#pragma once

#include <optional>
#include <string>

namespace im2col::io {

// Absolute path of an asset by relative key, e.g. FindAsset("presets/padding1.json").
// Looks in <exe dir>/assets, then <exe dir>/../share/im2col-lab/assets, then the
// source tree's assets/ (so tests and uninstalled builds work). nullopt if absent
// or if the key tries to leave the assets directory.
std::optional<std::string> FindAsset(const std::string& relative_key);

// Every directory FindAsset searches, in order (for error messages).
std::string AssetSearchPathDescription();

// A system font by file name, e.g. FindFont("DejaVuSans.ttf"), from fonts-dejavu-core.
std::optional<std::string> FindFont(const std::string& file_name);

// The program's version, e.g. "0.1.0" (from the CMake project version).
const char* ProgramVersion();

}  // namespace im2col::io
