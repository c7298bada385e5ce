#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace im2col::io {
namespace fs = std::filesystem;

namespace {

std::string ErrnoText() { return std::strerror(errno); }

bool AbortHookEnabled() {
  const char* value = std::getenv("IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE");
  return value != nullptr && std::string(value) == "1";
}

// The permissions a plain new file would get: keep the target's mode when it
// exists, else 0666 minus the umask (mkstemp alone would give 0600).
mode_t ModeForTarget(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) return info.st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

bool WriteAll(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// Makes the rename itself durable; failure here is not worth reporting.
void SyncDirectory(const fs::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string WriteFileAtomically(const std::string& path, const std::string& bytes) {
  if (path.empty()) return "cannot write a file with an empty name";
  const fs::path target(path);
  std::error_code fs_error;
  if (fs::is_directory(target, fs_error)) return path + ": is a directory";
  fs::path directory = target.parent_path();
  if (directory.empty()) directory = ".";

  std::string temp_name = (directory / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temp_name.data());
  if (fd < 0) return path + ": cannot create a temporary file in " + directory.string() + ": " + ErrnoText();

  auto fail = [&](const std::string& what) {
    const std::string message = path + ": " + what + ": " + ErrnoText();
    ::close(fd);
    ::unlink(temp_name.c_str());
    return message;
  };
  if (!WriteAll(fd, bytes)) return fail("cannot write");
  if (::fchmod(fd, ModeForTarget(path)) != 0) return fail("cannot set permissions");
  if (::fsync(fd) != 0) return fail("cannot flush to disk");
  if (::close(fd) != 0) {
    const std::string message = path + ": cannot close: " + ErrnoText();
    ::unlink(temp_name.c_str());
    return message;
  }

  if (AbortHookEnabled()) std::abort();

  if (::rename(temp_name.c_str(), path.c_str()) != 0) {
    const std::string message = path + ": cannot replace the file: " + ErrnoText();
    ::unlink(temp_name.c_str());
    return message;
  }
  SyncDirectory(directory);
  return {};
}

std::optional<std::string> ReadWholeFile(const std::string& path, std::string& error, std::size_t max_bytes) {
  std::error_code fs_error;
  if (fs::is_directory(path, fs_error)) {
    error = path + ": is a directory, not a file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open: " + ErrnoText();
    return std::nullopt;
  }
  std::string contents;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    contents.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (contents.size() > max_bytes) {
      error = path + ": file is larger than " + std::to_string(max_bytes) + " bytes";
      return std::nullopt;
    }
  }
  if (in.bad()) {
    error = path + ": cannot read: " + ErrnoText();
    return std::nullopt;
  }
  return contents;
}

}  // namespace im2col::io
