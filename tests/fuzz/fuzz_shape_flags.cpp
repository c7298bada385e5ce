// Fuzzes the scenario selectors every subcommand shares (io/scenario_args.h): the
// input is an argv vector, tokens separated by NUL bytes, parsed by CLI11 with
// AddScenarioOptions and then resolved by ResolveScenario.
//
// Properties, for every argv:
//   - only CLI11's own ParseError may leave the parser; nothing else throws;
//   - ResolveScenario gives either a valid scenario or a one-line message that
//     names a flag ("--kernel: ...") or the file or the broken rule;
//   - a size flag written as plain digits that was accepted set exactly that value;
//   - the preset/file/default a flag changed is otherwise untouched (layout, order).
//
// `--scenario FILE` never reaches the real file system: a plain name maps to a
// shipped preset file, anything else to a path that does not exist.
#include <CLI/CLI.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "io/scenario_args.h"

namespace {

using namespace im2col;

constexpr std::size_t kMaxArguments = 64;

std::vector<std::string> SplitArguments(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args;
  std::string current;
  for (std::size_t i = 0; i < size && args.size() < kMaxArguments; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  if (!current.empty() && args.size() < kMaxArguments) args.push_back(current);
  return args;
}

bool IsPlainName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.find("..") != std::string::npos) return false;
  for (char ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') return false;
  }
  return true;
}

std::string SandboxedScenarioPath(const std::string& requested) {
  if (IsPlainName(requested)) return std::string(IM2COL_FUZZ_PRESETS_DIR) + "/" + requested;
  return "/nonexistent/im2col-lab-fuzz/file.json";
}

bool AllDigits(const std::string& text) {
  if (text.empty() || text.size() > 7) return false;  // 7 digits: stays far from overflow
  for (char ch : text)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

// An accepted size flag given as plain digits holds exactly that value.
void CheckSizeFlag(const std::optional<std::string>& text, int field, const char* flag) {
  if (!text || !AllDigits(*text)) return;
  FUZZ_CHECK(field == std::stoi(*text), std::string(flag) + " " + *text + " gave " + std::to_string(field));
}

void CheckPairFlag(const std::optional<std::string>& text, const Pair& field, const char* flag) {
  if (!text) return;
  if (AllDigits(*text)) {
    FUZZ_CHECK(field.h == std::stoi(*text) && field.w == field.h,
               std::string(flag) + " " + *text + " gave " + FormatPair(field));
  }
  const auto x = text->find('x');
  if (x != std::string::npos && AllDigits(text->substr(0, x)) && AllDigits(text->substr(x + 1))) {
    FUZZ_CHECK(field.h == std::stoi(text->substr(0, x)) && field.w == std::stoi(text->substr(x + 1)),
               std::string(flag) + " " + *text + " gave " + FormatPair(field));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args = SplitArguments(data, size);

  CLI::App app{"fuzz_shape_flags"};
  io::ScenarioOptions options;
  io::AddScenarioOptions(app, options);

  std::vector<const char*> argv = {"im2col-lab"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    // --help and friends exit 0; real errors need a message for the user.
    FUZZ_CHECK(e.get_exit_code() == 0 || std::string(e.what()).size() > 0, "CLI11 error without a message");
    return 0;
  }
  if (options.scenario_file) options.scenario_file = SandboxedScenarioPath(*options.scenario_file);

  const io::ScenarioResolution resolved = io::ResolveScenario(options);
  if (!resolved.ok()) {
    FUZZ_CHECK(!resolved.error.empty(), "refused without a message");
    FUZZ_CHECK(resolved.error.find_first_of("\r\n") == std::string::npos,
               "message must be one line: " + resolved.error);
    return 0;
  }
  FUZZ_CHECK(resolved.error.empty(), "accepted, yet an error: " + resolved.error);
  const Scenario& sc = *resolved.scenario;
  const auto problems = sc.Validate();
  FUZZ_CHECK(problems.empty(), "accepted an invalid scenario: " + problems.front());

  CheckSizeFlag(options.batch, sc.shape.batch, "--batch");
  CheckSizeFlag(options.channels, sc.shape.channels, "--channels");
  CheckSizeFlag(options.height, sc.shape.height, "--height");
  CheckSizeFlag(options.width, sc.shape.width, "--width");
  CheckSizeFlag(options.filters, sc.shape.filters, "--filters");
  CheckPairFlag(options.kernel, sc.shape.kernel, "--kernel");
  CheckPairFlag(options.stride, sc.shape.stride, "--stride");
  CheckPairFlag(options.padding, sc.shape.padding, "--padding");
  CheckPairFlag(options.dilation, sc.shape.dilation, "--dilation");
  if (options.layout) FUZZ_CHECK(ToString(sc.layout) == *options.layout, "--layout " + *options.layout);
  if (options.order) FUZZ_CHECK(ToString(sc.order) == *options.order, "--order " + *options.order);
  if (!options.preset && !options.scenario_file && !options.AnyShapeFlag() && !options.layout && !options.order &&
      !options.fill && !options.grad_fill && !options.seed) {
    FUZZ_CHECK(sc == Scenario{}, "no flags, yet not the chapter's default scenario");
  }
  return 0;
}
