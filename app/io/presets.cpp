#include "io/presets.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "io/assets.h"

namespace im2col::io {
namespace fs = std::filesystem;

namespace {

// Teaching order: small and familiar first, each preset adding one idea, the big one last.
// Presets not named here follow in alphabetical order.
// Then the operator family: groups and transposed, small first, the real layers last.
const char* const kTeachingOrder[] = {
    "chapter-4x4x3",   "smaller-3x3-by-2x2", "stride2-no-overlap",       "padding1",
    "dilation2",       "non-square",         "batch2",                   "rows-layout",
    "depthwise-3x3",   "transposed-of-3x3-by-2x2", "transposed-k3s2",    "alexnet-conv1",
    "alexnet-conv2-groups2", "mobilenet-depthwise"};

int TeachingRank(const std::string& name) {
  const auto begin = std::begin(kTeachingOrder), end = std::end(kTeachingOrder);
  return static_cast<int>(std::find(begin, end, name) - begin);
}

// Names are plain file stems, so a name can never reach outside the presets directory.
bool IsPlainName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '_' || ch == '.';
  }) && name.find("..") == std::string::npos;
}

std::vector<std::pair<std::string, std::string>> PresetFiles() {  // (name, path)
  std::vector<std::pair<std::string, std::string>> files;
  const auto directory = FindAsset("presets");
  if (!directory) return files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(*directory, error)) {
    if (entry.path().extension() != ".json") continue;
    files.emplace_back(entry.path().stem().string(), entry.path().string());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    const int ra = TeachingRank(a.first), rb = TeachingRank(b.first);
    return ra != rb ? ra < rb : a.first < b.first;
  });
  return files;
}

}  // namespace

std::vector<PresetInfo> ListPresets() {
  std::vector<PresetInfo> presets;
  for (const auto& [name, path] : PresetFiles()) {
    const auto result = ReadScenarioFile(path);
    if (!result.ok()) continue;
    presets.push_back({name, result.document->scenario.title, result.document->description, path});
  }
  return presets;
}

ScenarioReadResult LoadPreset(const std::string& name) {
  if (IsPlainName(name)) {
    if (const auto path = FindAsset("presets/" + name + ".json")) return ReadScenarioFile(*path);
  }
  std::string available;
  for (const auto& file : PresetFiles()) available += (available.empty() ? "" : ", ") + file.first;
  if (available.empty()) {
    return {std::nullopt, "unknown preset '" + name + "': no presets found (searched " +
                              AssetSearchPathDescription() + ")"};
  }
  return {std::nullopt, "unknown preset '" + name + "'; available: " + available};
}

}  // namespace im2col::io
