#include "io/user_folders.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace im2col::io {
namespace {

namespace fs = std::filesystem;

const char* VariableName(UserFolder folder) {
  return folder == UserFolder::Pictures ? "XDG_PICTURES_DIR" : "XDG_DOCUMENTS_DIR";
}

// XDG_PICTURES_DIR="$HOME/Pictures" from user-dirs.dirs, with $HOME expanded.
std::string FromUserDirs(const std::string& text, const char* variable, const std::string& home) {
  std::istringstream lines(text);
  std::string line;
  const std::string prefix = std::string(variable) + "=";
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::string value = line.substr(prefix.size());
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (value.rfind("$HOME", 0) == 0) value = home + value.substr(5);
    if (fs::path(value).is_absolute()) return value;
  }
  return "";
}

bool IsFolder(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

}  // namespace

std::string UserFolderPathFor(UserFolder folder, const char* env_value, const char* home,
                              const std::string& user_dirs_text) {
  if (env_value != nullptr && fs::path(env_value).is_absolute()) return env_value;
  const std::string home_dir = home != nullptr ? home : "";
  if (home_dir.empty()) return "";
  const std::string listed = FromUserDirs(user_dirs_text, VariableName(folder), home_dir);
  if (!listed.empty() && IsFolder(listed)) return listed;
  const std::string usual = (fs::path(home_dir) / (folder == UserFolder::Pictures ? "Pictures" : "Documents")).string();
  if (IsFolder(usual)) return usual;
  return home_dir;
}

std::string UserFolderPath(UserFolder folder) {
#ifdef __EMSCRIPTEN__
  // In the browser every file written in the working folder becomes a download: no
  // folders to choose.
  (void)folder;
  return "";
#endif
  const char* home = std::getenv("HOME");
  const char* config = std::getenv("XDG_CONFIG_HOME");
  std::string dirs_file;
  if (config != nullptr && fs::path(config).is_absolute()) {
    dirs_file = (fs::path(config) / "user-dirs.dirs").string();
  } else if (home != nullptr && *home != '\0') {
    dirs_file = (fs::path(home) / ".config" / "user-dirs.dirs").string();
  }
  std::string text;
  if (!dirs_file.empty()) {
    std::ifstream in(dirs_file);
    std::ostringstream all;
    all << in.rdbuf();
    text = all.str().substr(0, 64 * 1024);
  }
  return UserFolderPathFor(folder, std::getenv(VariableName(folder)), home, text);
}

std::string DefaultUserFile(UserFolder folder, const std::string& name) {
  const std::string dir = UserFolderPath(folder);
  return dir.empty() ? name : (fs::path(dir) / name).string();
}

}  // namespace im2col::io
