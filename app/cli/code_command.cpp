// `im2col-lab code --lang numpy|pytorch|octave [selectors] [--out FILE]`: a
// self-contained script that rebuilds the scenario and computes X_col, W_row and
// the output by itself (io/code_gen.h). Printed to stdout, or written atomically.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "cli/commands.h"
#include "im2col/convolution.h"
#include "io/atomic_file.h"
#include "io/code_gen.h"

namespace im2col::cli {

namespace {

struct CodeOptions {
  io::ScenarioOptions scenario;
  std::string language;
  std::optional<std::string> out_path;
};

// Shell-quotes a word only when it needs it, so the usual command stays readable.
std::string ShellWord(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:+,") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char ch : word) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return quoted + "'";
}

// The command that reproduces this script, for the script's opening comment.
std::string CommandLine(const CodeOptions& options) {
  std::string line = "im2col-lab code --lang " + options.language;
  const io::ScenarioOptions& s = options.scenario;
  const std::pair<const char*, const std::optional<std::string>*> flags[] = {
      {"--preset", &s.preset},     {"--scenario", &s.scenario_file}, {"--batch", &s.batch},
      {"--channels", &s.channels}, {"--height", &s.height},          {"--width", &s.width},
      {"--filters", &s.filters},   {"--kernel", &s.kernel},          {"--stride", &s.stride},
      {"--padding", &s.padding},   {"--dilation", &s.dilation},      {"--layout", &s.layout},
      {"--order", &s.order},       {"--fill", &s.fill},              {"--grad-fill", &s.grad_fill},
      {"--seed", &s.seed}};
  for (const auto& [flag, value] : flags)
    if (value->has_value()) line += std::string(" ") + flag + " " + ShellWord(**value);
  return line;
}

int RunCode(const CodeOptions& options, CommandStreams& io) {
  const auto language = io::ParseCodeLanguage(options.language);
  if (!language) return UsageError(io, "--lang: expected numpy, pytorch or octave, got '" + options.language + "'");
  if (options.out_path && options.out_path->empty()) return UsageError(io, "--out: expected a file name, got ''");
  const auto scenario = ResolveOrReport(options.scenario, io);
  if (!scenario) return kExitUsage;

  const std::string script = io::GenerateCode(Compute(*scenario), *language, CommandLine(options));
  if (!options.out_path) {
    io.out << script;
    return kExitOk;
  }
  const std::string error = io::WriteFileAtomically(*options.out_path, script);
  if (!error.empty()) {
    io.err << "error: " << error << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void AddCodeCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<CodeOptions>();
  CLI::App* command = app.add_subcommand(
      "code", "Print a self-contained NumPy, PyTorch or Octave script that computes the same X_col, W_row "
              "and output by itself");
  command->add_option("--lang", options->language, "numpy, pytorch or octave")->required()->type_name("LANG");
  io::AddScenarioOptions(*command, options->scenario);
  command->add_option("--out", options->out_path, "write the script to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  sink.Add(command, [options](CommandStreams& io) { return RunCode(*options, io); });
}

}  // namespace im2col::cli
