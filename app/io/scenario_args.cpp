#include "io/scenario_args.h"

#include "io/message_text.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <limits>

#include "io/presets.h"
#include "io/scenario_json.h"

namespace im2col::io {

namespace {

// Digits with an optional leading '-', read without overflow: anything beyond
// kMaxDimension saturates, so "99999999999999" is reported as too large, not wrapped.
struct ParsedInteger {
  bool ok = false;
  bool too_large = false;
  long long value = 0;
};

ParsedInteger ParseBoundedInteger(const std::string& text) {
  ParsedInteger result;
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  if (i == text.size()) return result;
  long long value = 0;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return result;
    value = value * 10 + (text[i] - '0');
    if (value > kMaxDimension) {
      result.too_large = true;
      value = kMaxDimension + 1LL;  // keep scanning for non-digits without overflowing
    }
  }
  result.ok = true;
  result.value = negative ? -value : value;
  if (negative) result.too_large = false;  // very negative is simply below the minimum
  return result;
}

// Echoes what the user typed, cut short so a pasted megabyte stays one readable line.
std::string Shorten(const std::string& text) { return text.size() > 40 ? text.substr(0, 37) + "..." : text; }
std::string Quote(const std::string& text) { return "'" + Shorten(text) + "'"; }

}  // namespace

bool ScenarioOptions::AnyShapeFlag() const {
  return batch || channels || height || width || filters || kernel || stride || padding || dilation || groups || op ||
         output_padding;
}

std::optional<std::string> ParseSizeFlag(const std::string& flag, const std::string& text, int min, int& out) {
  const ParsedInteger parsed = ParseBoundedInteger(text);
  if (!parsed.ok) return flag + ": expected an integer, got " + Quote(text);
  if (parsed.too_large) return flag + ": must be <= " + std::to_string(kMaxDimension) + ", got " + Shorten(text);
  if (parsed.value < min) return flag + ": must be >= " + std::to_string(min) + ", got " + Shorten(text);
  out = static_cast<int>(parsed.value);
  return std::nullopt;
}

std::optional<std::string> ParsePairFlag(const std::string& flag, const std::string& text, int min, Pair& out) {
  const auto x = text.find_first_of("xX");
  if (x == std::string::npos) {
    const ParsedInteger parsed = ParseBoundedInteger(text);
    if (!parsed.ok) return flag + ": expected an integer or HxW, got " + Quote(text);
    int both = 0;
    if (auto error = ParseSizeFlag(flag, text, min, both)) return error;
    out = Pair{both, both};
    return std::nullopt;
  }
  const std::string h_text = text.substr(0, x), w_text = text.substr(x + 1);
  const ParsedInteger h = ParseBoundedInteger(h_text), w = ParseBoundedInteger(w_text);
  if (!h.ok || !w.ok) return flag + ": expected an integer or HxW, got " + Quote(text);
  if (h.too_large || w.too_large) {
    return flag + ": height and width must be <= " + std::to_string(kMaxDimension) + ", got " + Shorten(text);
  }
  if (h.value < min || w.value < min) {
    return flag + ": height and width must be >= " + std::to_string(min) + ", got " + Shorten(text);
  }
  out = Pair{static_cast<int>(h.value), static_cast<int>(w.value)};
  return std::nullopt;
}

std::optional<std::string> ParseSeedFlag(const std::string& flag, const std::string& text, std::uint64_t& out) {
  const auto error = flag + ": expected an integer from 0 to " +
                     std::to_string(std::numeric_limits<std::uint64_t>::max()) + ", got " + Quote(text);
  if (text.empty() || text.size() > 20) return error;
  std::uint64_t value = 0;
  for (char ch : text) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return error;
    const std::uint64_t digit = static_cast<std::uint64_t>(ch - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return error;
    value = value * 10 + digit;
  }
  out = value;
  return std::nullopt;
}

std::string ShapeTitle(const Shape& s) {
  std::string title = "Custom: " + std::to_string(s.height) + "x" + std::to_string(s.width) + "x" +
                      std::to_string(s.channels) + " input";
  if (s.batch > 1) title += " (batch " + std::to_string(s.batch) + ")";
  title += ", K" + FormatPair(s.kernel) + " S" + FormatPair(s.stride) + " P" + FormatPair(s.padding);
  if (s.dilation != Pair{1, 1}) title += " D" + FormatPair(s.dilation);
  if (s.op == Op::Transposed && s.output_padding != Pair{0, 0}) title += " OP" + FormatPair(s.output_padding);
  title += " F" + std::to_string(s.filters);
  if (s.groups > 1) title += " G" + std::to_string(s.groups);
  if (s.op == Op::Transposed) title = "Transposed " + title.substr(std::string("Custom: ").size()) + " (custom)";
  return title;
}

void AddScenarioOptions(CLI::App& app, ScenarioOptions& o) {
  // Each flag is stored as typed; ResolveScenario checks it and names the rule.
  const auto text_option = [&app](const std::string& name, std::optional<std::string>& field,
                                  const std::string& help) {
    return app.add_option_function<std::string>(
        name, [&field](const std::string& value) { field = value; }, help);
  };
  auto* preset = text_option("--preset", o.preset, "Start from a shipped preset (see `im2col-lab presets`)");
  auto* file = text_option("--scenario", o.scenario_file, "Start from a scenario JSON file");
  preset->excludes(file);
  text_option("--batch", o.batch, "N, images in the batch (default 1)")->type_name("N");
  text_option("--channels", o.channels, "C, input channels (default 3)")->type_name("C");
  text_option("--height", o.height, "H, input height (default 4)")->type_name("H");
  text_option("--width", o.width, "W, input width (default 4)")->type_name("W");
  text_option("--filters", o.filters, "F, number of filters (default 1)")->type_name("F");
  text_option("--kernel", o.kernel, "KH x KW, e.g. 3 or 3x2 (default 2)")->type_name("K|KHxKW");
  text_option("--stride", o.stride, "SH x SW (default 1)")->type_name("S|SHxSW");
  text_option("--padding", o.padding, "PH x PW zeros on both sides (default 0)")->type_name("P|PHxPW");
  text_option("--dilation", o.dilation, "DH x DW (default 1)")->type_name("D|DHxDW");
  text_option("--groups", o.groups, "G, groups: C and F divisible by G; G = C is depthwise (default 1)")
      ->type_name("G");
  text_option("--op", o.op, "conv, or transposed (PyTorch's ConvTranspose2d) (default conv)")
      ->type_name("conv|transposed");
  text_option("--output-padding", o.output_padding,
              "OPH x OPW extra output rows/columns, op transposed only (default 0)")
      ->type_name("OP|OPHxOPW");
  text_option("--layout", o.layout, "columns (X_col is R x N*L) or rows (X_row = X_col\u1D40)")
      ->type_name("columns|rows");
  text_option("--order", o.order, "row-major (C, NumPy, PyTorch) or column-major (MATLAB, Eigen)")
      ->type_name("row-major|column-major");
  text_option("--fill", o.fill, "Fill input, weights and bias: ramp, random, ones or zeros")
      ->type_name("ramp|random|ones|zeros");
  text_option("--grad-fill", o.grad_fill, "Fill the output gradient dY: ramp, random, ones or zeros")
      ->type_name("ramp|random|ones|zeros");
  text_option("--seed", o.seed, "Seed for random fills (default 1)")->type_name("N");
}

namespace {

ScenarioResolution ResolveScenarioRaw(const ScenarioOptions& o) {
  ScenarioResolution result;
  Scenario sc;  // the chapter's example: DESIGN "Defaults"
  if (o.preset) {
    auto loaded = LoadPreset(*o.preset);
    if (!loaded.ok()) return {std::nullopt, {}, "--preset: " + loaded.error};
    sc = loaded.document->scenario;
    result.description = loaded.document->description;
  } else if (o.scenario_file) {
    auto loaded = ReadScenarioFile(*o.scenario_file);
    if (!loaded.ok()) return {std::nullopt, {}, loaded.error};
    sc = loaded.document->scenario;
    result.description = loaded.document->description;
  }
  ScenarioResolution applied = ApplyScenarioFlags(std::move(sc), o);
  applied.description = result.description;
  return applied;
}

}  // namespace

ScenarioResolution ApplyScenarioFlags(Scenario sc, const ScenarioOptions& o) {
  ScenarioResolution result;
  std::string error;
  const auto size_flag = [&](const std::optional<std::string>& text, const char* flag, int min, int& field) {
    if (!text || !error.empty()) return;
    if (auto problem = ParseSizeFlag(flag, *text, min, field)) error = *problem;
  };
  const auto pair_flag = [&](const std::optional<std::string>& text, const char* flag, int min, Pair& field) {
    if (!text || !error.empty()) return;
    if (auto problem = ParsePairFlag(flag, *text, min, field)) error = *problem;
  };
  size_flag(o.batch, "--batch", 1, sc.shape.batch);
  size_flag(o.channels, "--channels", 1, sc.shape.channels);
  size_flag(o.height, "--height", 1, sc.shape.height);
  size_flag(o.width, "--width", 1, sc.shape.width);
  size_flag(o.filters, "--filters", 1, sc.shape.filters);
  pair_flag(o.kernel, "--kernel", 1, sc.shape.kernel);
  pair_flag(o.stride, "--stride", 1, sc.shape.stride);
  pair_flag(o.padding, "--padding", 0, sc.shape.padding);
  pair_flag(o.dilation, "--dilation", 1, sc.shape.dilation);
  size_flag(o.groups, "--groups", 1, sc.shape.groups);
  pair_flag(o.output_padding, "--output-padding", 0, sc.shape.output_padding);
  if (!error.empty()) return {std::nullopt, {}, error};
  if (o.op) {
    const auto op = ParseOp(*o.op);
    if (!op) return {std::nullopt, {}, "--op: expected conv or transposed, got " + Quote(*o.op)};
    sc.shape.op = *op;
  }
  if (o.AnyShapeFlag()) sc.title = ShapeTitle(sc.shape);

  const auto bad_choice = [](const char* flag, const char* expected, const std::string& text) {
    return ScenarioResolution{std::nullopt, {}, std::string(flag) + ": expected " + expected + ", got " + Quote(text)};
  };
  if (o.layout) {
    const auto layout = ParseLayout(*o.layout);
    if (!layout) return bad_choice("--layout", "columns or rows", *o.layout);
    sc.layout = *layout;
  }
  if (o.order) {
    const auto order = ParseOrder(*o.order);
    if (!order) return bad_choice("--order", "row-major or column-major", *o.order);
    sc.order = *order;
  }
  if (o.fill) {  // one fill for input, weights and bias, replacing any explicit values
    const auto fill = ParseFill(*o.fill);
    if (!fill) return bad_choice("--fill", "ramp, random, ones or zeros", *o.fill);
    sc.input = sc.weights = sc.bias = TensorSource{*fill, {}};
  }
  if (o.grad_fill) {
    const auto fill = ParseFill(*o.grad_fill);
    if (!fill) return bad_choice("--grad-fill", "ramp, random, ones or zeros", *o.grad_fill);
    sc.grad_output = TensorSource{*fill, {}};
  }
  if (o.seed) {
    if (auto problem = ParseSeedFlag("--seed", *o.seed, sc.seed)) return {std::nullopt, {}, *problem};
  }

  const auto problems = sc.Validate();
  if (!problems.empty()) {
    std::string message = JoinMessages(problems);
    const bool has_values = sc.input.HasValues() || sc.weights.HasValues() || sc.bias.HasValues() ||
                            sc.grad_output.HasValues();
    if (o.AnyShapeFlag() && has_values && sc.shape.IsValid()) {
      message += " (the shape flags changed a scenario with explicit values; add --fill and --grad-fill to "
                 "replace them)";
    }
    return {std::nullopt, {}, message};
  }
  result.scenario = std::move(sc);
  return result;
}

ScenarioResolution ResolveScenario(const ScenarioOptions& o) {
  ScenarioResolution result = ResolveScenarioRaw(o);
  result.error = EscapeControlCharacters(result.error);
  return result;
}

}  // namespace im2col::io
