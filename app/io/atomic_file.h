// Writing and reading files safely, whatever the path names.
//
// Writes: the path's symlinks are followed, so the real file is updated and the link
// stays a link. A regular file (or a new one) is replaced atomically: the bytes go to a
// temporary `.NAME.tmp-XXXXXX` beside it, are flushed to disk, and only then renamed
// over it, keeping its mode; a crash or a full disk never leaves a half-written file.
// A read-only file is refused, not replaced. A character device (/dev/null) or a FIFO
// with a reader is written through, never replaced; a FIFO without a reader, a block
// device, a socket or a directory is refused with one line. A temporary file is removed
// on every failure; one left by a killed process is removed by the next write to that
// directory (RemoveStaleTempFiles), once it is older than a minute.
//
// Reads: bounded (stop at the limit, never after reading it), and only regular files:
// a FIFO or a device is refused without blocking and without reading it.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <optional>
#include <string>

namespace im2col::io {

// Writes `bytes` to `path` as described above. Returns an empty string on success, else
// a one-line message naming the path and the problem; the old file (if any) is intact.
//
// Test hook: when the environment variable IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE=1,
// the process calls std::abort() after the temporary file is written and before the
// rename, so robustness tests can check that a killed save loses nothing.
std::string WriteFileAtomically(const std::string& path, const std::string& bytes);
// The same, with the bytes written by `write` into a stream (64 KB buffered) as they
// are made: a large export never holds its whole text. Run once; a failed write of the
// stream is reported like a failed write of bytes.
using StreamWriter = std::function<void(std::ostream& out)>;
std::string WriteFileAtomically(const std::string& path, const StreamWriter& write);

// `path` with every symlink along it followed (relative links resolved against the
// link's directory), made absolute; the last component need not exist. Two outputs
// name the same file when their ResolvedPath are equal.
std::string ResolvedPath(const std::string& path);

// "" when `a` and `b` are different files, else a one-line message naming both
// options, e.g. "--out and --layout-json name the same file x.png".
std::string SameOutputFileError(const std::string& a_option, const std::string& a,
                                const std::string& b_option, const std::string& b);

// Removes this app's temporary files (".NAME.tmp-XXXXXX", regular, older than
// `min_age`) in `directory`: what a killed save left. Returns how many were removed.
int RemoveStaleTempFiles(const std::string& directory,
                         std::chrono::seconds min_age = std::chrono::seconds(60));

// Reads a whole regular file. On failure returns nullopt and sets `error` to a one-line
// message naming the path. Files larger than `max_bytes` are refused after reading at
// most max_bytes + 1 bytes; FIFOs, devices and directories are refused without reading.
std::optional<std::string> ReadWholeFile(const std::string& path, std::string& error,
                                         std::size_t max_bytes = std::size_t{512} * 1024 * 1024);

}  // namespace im2col::io
