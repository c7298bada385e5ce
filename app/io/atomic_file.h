// Writing files so that a crash or a full disk never leaves a half-written file:
// the bytes go to a temporary file in the same directory, are flushed to disk,
// and only then renamed over the target (rename is atomic within a filesystem).
#pragma once

#include <optional>
#include <string>

namespace im2col::io {

// Writes `bytes` to `path` atomically. Returns an empty string on success, else a
// one-line message naming the path and the problem; the old file (if any) is intact.
//
// Test hook: when the environment variable IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE=1,
// the process calls std::abort() after the temporary file is written and before the
// rename, so robustness tests can check that a killed save loses nothing.
std::string WriteFileAtomically(const std::string& path, const std::string& bytes);

// Reads a whole file. On failure returns nullopt and sets `error` to a one-line
// message naming the path. Files larger than `max_bytes` are refused.
std::optional<std::string> ReadWholeFile(const std::string& path, std::string& error,
                                         std::size_t max_bytes = std::size_t{512} * 1024 * 1024);

}  // namespace im2col::io
