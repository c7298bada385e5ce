// The scenario selectors every subcommand shares (DESIGN "Command line"):
//   --preset NAME | --scenario FILE, then shape flags that replace single fields:
//   --batch --channels --height --width --filters ("3"), --kernel --stride --padding
//   --dilation ("3" or "3x2" for HxW), --groups, --op conv|transposed, --output-padding
//   ("1" or "1x0"), --layout, --order, --fill, --grad-fill, --seed.
// Flags are kept as typed and checked here, so every message names the flag and
// the rule ("--kernel: must be >= 1, got 0") instead of a generic parser error.
#pragma once

#include <optional>
#include <string>

#include "im2col/scenario.h"

namespace CLI {
class App;
}

namespace im2col::io {

struct ScenarioOptions {
  std::optional<std::string> preset;
  std::optional<std::string> scenario_file;
  std::optional<std::string> batch, channels, height, width, filters;
  std::optional<std::string> kernel, stride, padding, dilation;
  std::optional<std::string> groups, op, output_padding;
  std::optional<std::string> layout, order, fill, grad_fill, seed;

  bool AnyShapeFlag() const;
};

// Registers the selectors on `app`; `options` must outlive parsing.
void AddScenarioOptions(CLI::App& app, ScenarioOptions& options);

struct ScenarioResolution {
  std::optional<Scenario> scenario;  // valid when set
  std::string description;           // of the preset or file, if any
  std::string error;                 // one line naming the flag (or file field) and the rule
  bool ok() const { return scenario.has_value(); }
};

// The preset or file (default: the chapter's example) with the given flags applied,
// validated by core (including its memory cap).
ScenarioResolution ResolveScenario(const ScenarioOptions& options);

// The shape flags, layout, order, fills and seed of `options` applied to `base`
// (its preset and scenario file are ignored), validated like ResolveScenario
// (without the escaping of control characters).
ScenarioResolution ApplyScenarioFlags(Scenario base, const ScenarioOptions& options);

// Parsers for single flags, exposed for tests. On failure they return the message
// ("--kernel: must be >= 1, got 0"); `out` is only written on success.
std::optional<std::string> ParseSizeFlag(const std::string& flag, const std::string& text, int min, int& out);
std::optional<std::string> ParsePairFlag(const std::string& flag, const std::string& text, int min, Pair& out);
std::optional<std::string> ParseSeedFlag(const std::string& flag, const std::string& text, std::uint64_t& out);

// A title for a scenario built or changed by flags, e.g. "Custom: 4x4x3 input, K3 S1 P0 F1".
std::string ShapeTitle(const Shape& shape);

}  // namespace im2col::io
