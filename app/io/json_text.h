// JSON text as the scenario files need it: parsing that says where it broke (line,
// column and the field being read, which nlohmann's DOM parser does not report for
// number overflow), and a stable, readable layout for writing.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace im2col::io {

// Field paths for messages: ("shape", "kernel") -> "shape.kernel";
// ("input.values", 3) -> "input.values[3]".
std::string JsonPathKey(const std::string& path, const std::string& key);
std::string JsonPathIndex(const std::string& path, std::size_t index);

struct JsonSyntaxError {
  std::string path;     // value being read when the text broke, e.g. "bias.values[0]"; empty at top level
  std::string problem;  // "malformed JSON at line 3, column 25: syntax error ..."
};

// Strict JSON (no comments, no NaN, at most 64 levels deep). On failure returns
// nullopt and fills `error`.
std::optional<nlohmann::json> ParseJsonWithPaths(const std::string& text, JsonSyntaxError& error);

// Two-space indentation, one entry per line, except that arrays of scalars and small
// objects stay on one line (so tensors read as rows). Deterministic: the same value
// always gives the same bytes. No trailing newline.
std::string DumpReadableJson(const nlohmann::ordered_json& value);

}  // namespace im2col::io
