#include "io/assets.h"

#include <filesystem>
#include <system_error>
#include <vector>

#ifndef IM2COL_LAB_SOURCE_ASSETS
#define IM2COL_LAB_SOURCE_ASSETS ""
#endif
#ifndef IM2COL_LAB_VERSION
#define IM2COL_LAB_VERSION "unknown"
#endif

namespace im2col::io {
namespace fs = std::filesystem;

namespace {

// The directory of the running executable, via /proc (Linux only, like the app).
std::optional<fs::path> ExecutableDirectory() {
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error || exe.empty()) return std::nullopt;
  return exe.parent_path();
}

std::vector<fs::path> AssetRoots() {
  std::vector<fs::path> roots;
  if (auto dir = ExecutableDirectory()) {
    roots.push_back(*dir / "assets");
    roots.push_back(*dir / ".." / "share" / "im2col-lab" / "assets");
  }
  const std::string source_assets = IM2COL_LAB_SOURCE_ASSETS;
  if (!source_assets.empty()) roots.emplace_back(source_assets);
  return roots;
}

// A key is a relative path without "..": assets never come from outside their root.
bool IsSafeRelativeKey(const fs::path& key) {
  if (key.empty() || key.is_absolute() || key.has_root_name()) return false;
  for (const auto& part : key) {
    if (part == "..") return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> FindAsset(const std::string& relative_key) {
  const fs::path key(relative_key);
  if (!IsSafeRelativeKey(key)) return std::nullopt;
  for (const auto& root : AssetRoots()) {
    std::error_code error;
    const fs::path candidate = root / key;
    if (fs::exists(candidate, error) && !error) {
      const fs::path resolved = fs::weakly_canonical(candidate, error);
      return error ? candidate.lexically_normal().string() : resolved.string();
    }
  }
  return std::nullopt;
}

std::string AssetSearchPathDescription() {
  std::string text;
  for (const auto& root : AssetRoots()) {
    if (!text.empty()) text += ", ";
    text += root.lexically_normal().string();
  }
  return text;
}

std::optional<std::string> FindFont(const std::string& file_name) {
  const fs::path name(file_name);
  if (!IsSafeRelativeKey(name)) return std::nullopt;
  const fs::path dirs[] = {"/usr/share/fonts/truetype/dejavu", "/usr/local/share/fonts/truetype/dejavu",
                           "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu"};
  for (const auto& dir : dirs) {
    std::error_code error;
    if (fs::is_regular_file(dir / name, error)) return (dir / name).string();
  }
  return std::nullopt;
}

const char* ProgramVersion() { return IM2COL_LAB_VERSION; }

}  // namespace im2col::io
