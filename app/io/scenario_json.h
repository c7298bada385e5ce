// Scenario files (DESIGN "Scenario files"): reading with a message naming the file,
// the field and the problem; writing with stable key order and nested value arrays,
// so save -> open -> save gives the same bytes.
//
//   {"format": "im2col-lab-scenario", "version": 1, "title": ..., "description": ...,
//    "shape": {"batch", "channels", "height", "width", "filters",
//              "kernel", "stride", "padding", "dilation",    // pairs: 3 or [3, 2] (HxW)
//              "groups", "op": "conv"|"transposed", "output_padding"},  // optional: 1, conv, 0
//    "layout": "columns"|"rows", "order": "row-major"|"column-major", "seed": N,
//    "input": {"fill": "ramp"|"random"|"ones"|"zeros"} | {"values": [...]},
//    "weights": ..., "bias": ..., "grad_output": ...}
//
// Every field is optional and defaults as in DESIGN "Defaults". `values` is a flat
// row-major list or arrays nested exactly like the tensor (bias: one level).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "im2col/scenario.h"

namespace im2col::io {

inline constexpr const char* kScenarioFormatName = "im2col-lab-scenario";
inline constexpr int kScenarioFormatVersion = 1;

// A scenario as stored in a file, plus the optional one-sentence description
// that presets carry.
struct ScenarioDocument {
  Scenario scenario;
  std::string description;
};

// Either a whole, valid scenario or an error, never a partial scenario.
struct ScenarioReadResult {
  std::optional<ScenarioDocument> document;
  std::string error;  // one line: "FILE: field PATH: problem"
  bool ok() const { return document.has_value(); }
};

// Parses scenario JSON; `source_name` (usually the path) starts every error message
// and gives the title when the file has none.
ScenarioReadResult ParseScenarioJson(const std::string& text, const std::string& source_name);

// Scenario files larger than this are refused before parsing: parsing keeps every value
// in memory several times over, and no scenario inside the memory budget needs more.
inline constexpr std::size_t kMaxScenarioFileBytes = std::size_t{64} << 20;

// Reads and parses a scenario file: a regular file of at most kMaxScenarioFileBytes
// (FIFOs and devices are refused without reading them).
ScenarioReadResult ReadScenarioFile(const std::string& path);

// The file contents for a scenario (ends with a newline). Explicit values are
// written as nested arrays; a description is written only when non-empty.
std::string ScenarioToJson(const Scenario& scenario, const std::string& description = {});

// Writes the scenario atomically. Returns an empty string or a one-line error.
std::string WriteScenarioFile(const std::string& path, const Scenario& scenario,
                              const std::string& description = {});

// The dimensions a tensor's `values` nest in, outermost first (bias: {F}), and
// their names for messages, e.g. {"batch", "channels", "height", "width"}.
std::vector<Index> ValueDimensions(const Shape& shape, TensorRole role);
std::vector<std::string> ValueDimensionNames(TensorRole role);

}  // namespace im2col::io
