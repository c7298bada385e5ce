// Peak memory of the real binary, for the tests that hold it to the scenario budget:
// a child run with wait4's ru_maxrss (never a time), and the largest shape core accepts.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "im2col/shape.h"

namespace im2col::testing {

struct MeasuredRun {
  int status = -1;   // exit code, or 128 + signal
  long peak_kb = 0;  // ru_maxrss of this child alone
};

// Runs `exe` with stdout to /dev/null (the output is not what is measured) and stderr to
// `err_path`; SIGALRM after `seconds` turns a hang into a failure.
inline MeasuredRun RunMeasured(const std::string& exe, const std::vector<std::string>& args,
                               const std::filesystem::path& err_path, unsigned seconds) {
  const pid_t child = ::fork();
  if (child == 0) {
    const int null_fd = ::open("/dev/null", O_WRONLY);
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (null_fd < 0 || err_fd < 0) ::_exit(127);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::alarm(seconds);
    std::vector<char*> argv{const_cast<char*>(exe.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  MeasuredRun run;
  int status = 0;
  struct rusage usage {};
  if (child > 0 && ::wait4(child, &status, 0, &usage) == child) {
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.peak_kb = usage.ru_maxrss;
  }
  return run;
}

// The largest square one-channel image with a 1x1 kernel core accepts (bisection).
inline int LargestAcceptedSide() {
  Shape s;
  s.channels = 1;
  s.kernel = {1, 1};
  int lo = 1, hi = 1 << 16;
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    s.height = s.width = mid;
    (s.IsValid() ? lo : hi) = mid;
  }
  return lo;
}

inline std::vector<std::string> SquareShapeFlags(int side) {
  return {"--channels", "1", "--height", std::to_string(side), "--width", std::to_string(side), "--kernel", "1"};
}

}  // namespace im2col::testing
