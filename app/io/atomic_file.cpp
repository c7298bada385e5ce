#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <ostream>
#include <streambuf>
#include <vector>

namespace im2col::io {
namespace fs = std::filesystem;

namespace {

std::string ErrnoText(int code) { return std::strerror(code); }
std::string ErrnoText() { return ErrnoText(errno); }

bool AbortHookEnabled() {
  const char* value = std::getenv("IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE");
  return value != nullptr && std::string(value) == "1";
}

// The permissions a plain new file gets: 0666 minus the umask (mkstemp alone gives 0600).
mode_t ModeForNewFile() {
#ifdef __EMSCRIPTEN__
  return 0644;  // the browser's in-memory file system reports a umask of 0777 (unreadable files)
#endif
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

bool WriteAll(int fd, const char* data, std::size_t size) {
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd, data + written, size - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// An ostream's bytes to a file descriptor through a 64 KB buffer: a writer streams a
// large export without the whole text ever being in memory. The first failed write
// stops it (errno kept for the message).
class FdStreamBuffer : public std::streambuf {
 public:
  explicit FdStreamBuffer(int fd) : fd_(fd), buffer_(std::size_t{1} << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  bool failed() const { return failed_; }
  int error() const { return error_; }

 protected:
  int overflow(int ch) override {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return Drain() ? 0 : -1; }

 private:
  bool Drain() {
    if (failed_) return false;
    if (!WriteAll(fd_, pbase(), static_cast<std::size_t>(pptr() - pbase()))) {
      failed_ = true;
      error_ = errno;
      return false;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }

  int fd_;
  std::vector<char> buffer_;
  bool failed_ = false;
  int error_ = 0;
};

// Runs `write` into `fd`; false (errno set) when a write failed.
bool WriteStream(int fd, const StreamWriter& write) {
  FdStreamBuffer buffer(fd);
  std::ostream out(&buffer);
  try {
    write(out);
  } catch (...) {  // the writer could not finish (out of memory...): no half file is kept
    errno = EIO;
    return false;
  }
  out.flush();
  if (buffer.failed()) errno = buffer.error();
  return !buffer.failed();
}

// Makes the rename itself durable; failure here is not worth reporting.
void SyncDirectory(const fs::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// "x.png" -> true for ".x.png.tmp-AbC123": the names mkstemp gives our temporary files.
bool IsOurTempName(const std::string& name) {
  const std::size_t marker = name.rfind(".tmp-");
  return name.size() > 1 && name[0] == '.' && marker != std::string::npos && marker > 1 &&
         name.size() == marker + 5 + 6;
}

// Devices and FIFOs are written through: they are not files to replace. O_NONBLOCK so
// a FIFO without a reader fails (ENXIO) instead of blocking forever; no O_CREAT, no
// O_TRUNC: the node is used as it is.
std::string WriteThrough(const std::string& path, const std::string& real, mode_t mode, const StreamWriter& write) {
  const int fd = ::open(real.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENXIO && S_ISFIFO(mode)) return path + ": is a FIFO with no reader; nothing written";
    return path + ": cannot open " + KindOf(mode) + " for writing: " + ErrnoText();
  }
  // Back to blocking writes: a reader that is slower than us is not an error.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  if (!WriteStream(fd, write)) {
    const std::string message = path + ": cannot write to " + KindOf(mode) + ": " + ErrnoText();
    ::close(fd);
    return message;
  }
  if (::close(fd) != 0) return path + ": cannot close " + KindOf(mode) + ": " + ErrnoText();
  return {};
}

std::string ReplaceRegularFile(const std::string& path, const fs::path& real, const struct stat* existing,
                               const StreamWriter& write) {
  fs::path directory = real.parent_path();
  if (directory.empty()) directory = ".";
  RemoveStaleTempFiles(directory.string());

  std::string temp_name = (directory / ("." + real.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkostemp(temp_name.data(), O_CLOEXEC);
  if (fd < 0) return path + ": cannot create a temporary file in " + directory.string() + ": " + ErrnoText();

  auto fail = [&](const std::string& what) {
    const std::string message = path + ": " + what + ": " + ErrnoText();
    ::close(fd);
    ::unlink(temp_name.c_str());
    return message;
  };
  if (!WriteStream(fd, write)) return fail("cannot write");
  const mode_t mode = existing != nullptr ? (existing->st_mode & 07777) : ModeForNewFile();
  if (::fchmod(fd, mode) != 0) return fail("cannot set permissions");
  // Keep the owner when we may (root saving a user's file); failing is harmless.
  if (existing != nullptr && ::geteuid() == 0) (void)!::fchown(fd, existing->st_uid, existing->st_gid);
  if (::fsync(fd) != 0) return fail("cannot flush to disk");
  if (::close(fd) != 0) {
    const std::string message = path + ": cannot close: " + ErrnoText();
    ::unlink(temp_name.c_str());
    return message;
  }

  if (AbortHookEnabled()) std::abort();

  if (::rename(temp_name.c_str(), real.c_str()) != 0) {
    const std::string message = path + ": cannot replace the file: " + ErrnoText();
    ::unlink(temp_name.c_str());
    return message;
  }
  SyncDirectory(directory);
  return {};
}

}  // namespace

std::string ResolvedPath(const std::string& path) {
  std::error_code error;
  fs::path current = fs::absolute(path, error);
  if (error) current = path;
  // Follow the last component's links by hand (a dangling link still names its
  // target), then let weakly_canonical resolve the directories above it.
  for (int hops = 0; hops < 40; ++hops) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) break;
    std::string target(PATH_MAX, '\0');
    const ssize_t length = ::readlink(current.c_str(), target.data(), target.size());
    if (length <= 0) break;
    target.resize(static_cast<std::size_t>(length));
    const fs::path next(target);
    current = next.is_absolute() ? next : current.parent_path() / next;
  }
  const fs::path parent = fs::weakly_canonical(current.parent_path(), error);
  if (error) return current.lexically_normal().string();
  return (parent / current.filename()).lexically_normal().string();
}

std::string SameOutputFileError(const std::string& a_option, const std::string& a, const std::string& b_option,
                                const std::string& b) {
  if (a.empty() || b.empty() || ResolvedPath(a) != ResolvedPath(b)) return {};
  return a_option + " and " + b_option + " name the same file " + (a == b ? a : a + " (" + b + ")") +
         "; give each its own file";
}

int RemoveStaleTempFiles(const std::string& directory, std::chrono::seconds min_age) {
  std::error_code error;
  fs::directory_iterator entries(directory.empty() ? "." : directory, error);
  if (error) return 0;
  const std::time_t now = std::time(nullptr);
  int removed = 0;
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (!IsOurTempName(name)) continue;
    struct stat info {};
    if (::lstat(entry.path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    // Younger ones may be another process's save in progress.
    if (now - info.st_mtime < min_age.count()) continue;
    if (::unlink(entry.path().c_str()) == 0) ++removed;
  }
  return removed;
}

std::string WriteFileAtomically(const std::string& path, const std::string& bytes) {
  return WriteFileAtomically(path, [&bytes](std::ostream& out) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

std::string WriteFileAtomically(const std::string& path, const StreamWriter& write) {
  if (path.empty()) return "cannot write a file with an empty name";
  // stat follows links the way open does, also /proc's (/dev/stdout -> pipe:[...]), so
  // what the target *is* comes from here; ResolvedPath is only where to rename to.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) return path + ": cannot inspect: " + ErrnoText();
    return ReplaceRegularFile(path, fs::path(ResolvedPath(path)), nullptr, write);
  }
  if (S_ISREG(info.st_mode)) {
    // Root may write anything; a file its owner marked read-only is still not ours to replace.
    if ((info.st_mode & 0222) == 0 || ::access(path.c_str(), W_OK) != 0)
      return path + ": is read-only; not replaced (make it writable or choose another name)";
    return ReplaceRegularFile(path, fs::path(ResolvedPath(path)), &info, write);
  }
  if (S_ISDIR(info.st_mode)) return path + ": is a directory";
  if (S_ISCHR(info.st_mode) || S_ISFIFO(info.st_mode)) return WriteThrough(path, path, info.st_mode, write);
  return path + ": is " + KindOf(info.st_mode) + ", not a regular file; nothing written";
}

std::optional<std::string> ReadWholeFile(const std::string& path, std::string& error, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error = errno == EISDIR ? path + ": is a directory, not a file" : path + ": cannot open: " + ErrnoText();
    return std::nullopt;
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    error = path + ": cannot inspect: " + ErrnoText();
    return std::nullopt;
  }
  if (S_ISDIR(info.st_mode)) {
    error = path + ": is a directory, not a file";
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    error = path + ": is " + KindOf(info.st_mode) + ", not a regular file; not read";
    return std::nullopt;
  }
  const std::string too_large = path + ": file is larger than " + std::to_string(max_bytes) + " bytes";
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    error = too_large;
    return std::nullopt;
  }
  std::string contents;
  contents.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[1 << 16];
  // The size can grow while we read: never keep more than max_bytes + 1.
  while (true) {
    const std::size_t room = max_bytes + 1 - contents.size();
    const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, room));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = path + ": cannot read: " + ErrnoText();
      return std::nullopt;
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<std::size_t>(n));
    if (contents.size() > max_bytes) {
      error = too_large;
      return std::nullopt;
    }
  }
  return contents;
}

}  // namespace im2col::io
