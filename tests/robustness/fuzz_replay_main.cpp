// Replays fuzz inputs through a fuzz target in the normal (gcc, ctest) build, so every
// crash the fuzzers ever found stays fixed:
//   replay_<target> <file-or-directory>...
// Each input runs in its own child process, so one crash (an abort, a sanitizer
// report, a signal) names its file and the others still run. Exit status 1 when
// any input fails or no input was found.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> CollectInputs(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path path(argv[i]);
    std::error_code error;
    if (fs::is_directory(path, error)) {
      for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
        if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') inputs.push_back(entry.path());
      }
    } else if (fs::is_regular_file(path, error)) {
      inputs.push_back(path);
    } else {
      std::printf("note: %s does not exist (no inputs there yet)\n", argv[i]);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

// Runs one input in a child; returns "" when it passed, else what happened.
std::string Replay(const fs::path& input) {
  std::fflush(stdout);
  const pid_t child = fork();
  if (child < 0) return std::string("cannot fork: ") + std::strerror(errno);
  if (child == 0) {
    std::ifstream in(input, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    std::fflush(nullptr);
    _exit(0);
  }
  int status = 0;
  if (waitpid(child, &status, 0) < 0) return std::string("waitpid failed: ") + std::strerror(errno);
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
  if (WEXITSTATUS(status) != 0) return "exit status " + std::to_string(WEXITSTATUS(status));
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<fs::path> inputs = CollectInputs(argc, argv);
  if (inputs.empty()) {
    std::printf("FAIL: no inputs found\n");
    return 1;
  }
  int failed = 0;
  for (const fs::path& input : inputs) {
    const std::string problem = Replay(input);
    if (!problem.empty()) {
      std::printf("FAIL %s: %s\n", input.c_str(), problem.c_str());
      ++failed;
    }
  }
  std::printf("replayed %zu inputs: %zu passed, %d failed\n", inputs.size(), inputs.size() - failed, failed);
  return failed == 0 ? 0 : 1;
}
