#include "io/scenario_json.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "io/atomic_file.h"
#include "io/json_text.h"
#include "io/message_text.h"

namespace im2col::io {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

namespace {

// [SECTION] Errors -----------------------------------------------------------

// Thrown inside the reader only; ParseScenarioJson turns it into "FILE: field PATH: problem".
struct FieldError {
  std::string path;     // "shape.kernel", "input.values[0][1]", empty for the whole file
  std::string problem;  // "must be >= 1, got 0"
};

std::string ShortDump(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// "a string \"3\"", "an array", "3.5", ... for "expected X, got Y".
std::string Describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::string: return "a string " + ShortDump(value);
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return ShortDump(value);
  }
}

std::string Join(const std::string& path, const std::string& key) { return JsonPathKey(path, key); }
std::string At(const std::string& path, std::size_t index) { return JsonPathIndex(path, index); }

Json ParseJsonOrThrow(const std::string& text) {
  JsonSyntaxError error;
  auto json = ParseJsonWithPaths(text, error);
  if (!json) throw FieldError{error.path, error.problem};
  return std::move(*json);
}

// [SECTION] Field readers ----------------------------------------------------

void RejectUnknownKeys(const Json& object, const std::string& path, std::initializer_list<const char*> known) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool is_known = false;
    std::string allowed;
    for (const char* k : known) {
      if (it.key() == k) is_known = true;
      if (!allowed.empty()) allowed += ", ";
      allowed += k;
    }
    if (!is_known) throw FieldError{Join(path, it.key()), "unknown field; expected one of " + allowed};
  }
}

const Json& RequireObject(const Json& value, const std::string& path) {
  if (!value.is_object()) throw FieldError{path, "expected an object {...}, got " + Describe(value)};
  return value;
}

std::string ReadString(const Json& value, const std::string& path) {
  if (!value.is_string()) throw FieldError{path, "expected a string, got " + Describe(value)};
  return value.get<std::string>();
}

// An integer in [min, max]; integral floats such as 3.0 are accepted.
std::int64_t ReadInteger(const Json& value, const std::string& path, std::int64_t min, std::int64_t max) {
  const auto too_small = [&](const std::string& got) {
    return FieldError{path, "must be >= " + std::to_string(min) + ", got " + got};
  };
  const auto too_large = [&](const std::string& got) {
    return FieldError{path, "must be <= " + std::to_string(max) + ", got " + got};
  };
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(max)) throw too_large(std::to_string(v));
    if (static_cast<std::int64_t>(v) < min) throw too_small(std::to_string(v));
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v < min) throw too_small(std::to_string(v));
    if (v > max) throw too_large(std::to_string(v));
    return v;
  }
  if (value.is_number_float()) {
    const double v = value.get<double>();
    if (!std::isfinite(v) || std::floor(v) != v) {
      throw FieldError{path, "expected an integer, got " + ShortDump(value)};
    }
    if (v < static_cast<double>(min)) throw too_small(ShortDump(value));
    // 2^63 does not fit in int64 even when max is INT64_MAX.
    if (v > static_cast<double>(max) || v >= 9223372036854775808.0) throw too_large(ShortDump(value));
    return static_cast<std::int64_t>(v);
  }
  throw FieldError{path, "expected an integer, got " + Describe(value)};
}

int ReadSize(const Json& value, const std::string& path, int min) {
  return static_cast<int>(ReadInteger(value, path, min, kMaxDimension));
}

// kernel, stride, padding, dilation: 3 (square) or [3, 2] (height x width).
Pair ReadPair(const Json& value, const std::string& path, int min) {
  if (value.is_array()) {
    if (value.size() != 2) {
      throw FieldError{path, "expected an integer or [height, width], got an array of " +
                                 std::to_string(value.size())};
    }
    return Pair{ReadSize(value[0], At(path, 0), min), ReadSize(value[1], At(path, 1), min)};
  }
  if (!value.is_number()) {
    throw FieldError{path, "expected an integer or [height, width], got " + Describe(value)};
  }
  const int both = ReadSize(value, path, min);
  return Pair{both, both};
}

Shape ReadShape(const Json& value, const std::string& path) {
  RequireObject(value, path);
  RejectUnknownKeys(value, path, {"batch", "channels", "height", "width", "filters", "kernel", "stride",
                                  "padding", "dilation", "groups", "op", "output_padding"});
  Shape shape;
  const auto size_field = [&](const char* key, int& field) {
    if (value.contains(key)) field = ReadSize(value[key], Join(path, key), 1);
  };
  const auto pair_field = [&](const char* key, Pair& field, int min) {
    if (value.contains(key)) field = ReadPair(value[key], Join(path, key), min);
  };
  size_field("batch", shape.batch);
  size_field("channels", shape.channels);
  size_field("height", shape.height);
  size_field("width", shape.width);
  size_field("filters", shape.filters);
  pair_field("kernel", shape.kernel, 1);
  pair_field("stride", shape.stride, 1);
  pair_field("padding", shape.padding, 0);
  pair_field("dilation", shape.dilation, 1);
  size_field("groups", shape.groups);
  if (value.contains("op")) {
    const std::string text = ReadString(value["op"], Join(path, "op"));
    const auto op = ParseOp(text);
    if (!op) throw FieldError{Join(path, "op"), "expected \"conv\" or \"transposed\", got \"" + text + "\""};
    shape.op = *op;
  }
  pair_field("output_padding", shape.output_padding, 0);

  const auto problems = shape.Validate();
  if (!problems.empty()) throw FieldError{path, JoinMessages(problems)};
  return shape;
}

double ReadValue(const Json& value, const std::string& path) {
  if (!value.is_number()) throw FieldError{path, "expected a number, got " + Describe(value)};
  const double v = value.get<double>();
  if (!std::isfinite(v) || std::fabs(v) > kMaxAbsValue) {
    throw FieldError{path, "must be a finite number with magnitude <= 1e12, got " + ShortDump(value)};
  }
  return v;
}

std::string Count(Index n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::string DimensionsText(const std::vector<Index>& dims) {
  std::string text;
  for (Index d : dims) text += (text.empty() ? "" : "x") + std::to_string(d);
  return text;
}

// Appends the numbers of a nested array whose level `level` has dims[level] entries.
void ReadNested(const Json& value, const std::string& path, const std::vector<Index>& dims,
                const std::vector<std::string>& names, std::size_t level, std::vector<double>& out) {
  if (!value.is_array()) {
    throw FieldError{path, "expected an array of " + std::to_string(dims[level]) + " (" + names[level] +
                               "), got " + Describe(value)};
  }
  if (static_cast<Index>(value.size()) != dims[level]) {
    throw FieldError{path, "expected " + Count(dims[level], "entry", "entries") + " (" + names[level] + "), got " +
                               std::to_string(value.size())};
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (level + 1 == dims.size()) {
      out.push_back(ReadValue(value[i], At(path, i)));
    } else {
      ReadNested(value[i], At(path, i), dims, names, level + 1, out);
    }
  }
}

std::vector<double> ReadValues(const Json& value, const std::string& path, const Shape& shape, TensorRole role) {
  const auto dims = ValueDimensions(shape, role);
  const auto names = ValueDimensionNames(role);
  Index total = 1;
  for (Index d : dims) total *= d;
  if (!value.is_array()) throw FieldError{path, "expected an array of numbers, got " + Describe(value)};

  std::vector<double> values;
  const bool nested = dims.size() > 1 && !value.empty() && value[0].is_array();
  if (nested) {
    values.reserve(static_cast<std::size_t>(total));
    ReadNested(value, path, dims, names, 0, values);
    return values;
  }
  if (static_cast<Index>(value.size()) != total) {
    throw FieldError{path, "expected " + Count(total, "number", "numbers") + " (" + DimensionsText(dims) +
                               ", flat or nested), got " + std::to_string(value.size())};
  }
  values.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) values.push_back(ReadValue(value[i], At(path, i)));
  return values;
}

TensorSource ReadTensorSource(const Json& value, const std::string& path, const Shape& shape, TensorRole role) {
  RequireObject(value, path);
  RejectUnknownKeys(value, path, {"fill", "values"});
  const bool has_fill = value.contains("fill"), has_values = value.contains("values");
  if (has_fill == has_values) {
    throw FieldError{path, "expected exactly one of {\"fill\": ...} or {\"values\": [...]}"};
  }
  // Start from the role's default so a tensor with values compares equal to one
  // built in code (Scenario's == also compares the unused fill).
  TensorSource source = Scenario{}.Source(role);
  if (has_fill) {
    const std::string name = ReadString(value["fill"], Join(path, "fill"));
    const auto fill = ParseFill(name);
    if (!fill) {
      throw FieldError{Join(path, "fill"), "unknown fill '" + name + "'; expected ramp, random, ones or zeros"};
    }
    source.fill = *fill;
  } else {
    source.values = ReadValues(value["values"], Join(path, "values"), shape, role);
  }
  return source;
}

ScenarioDocument ReadDocument(const Json& root, const std::string& source_name) {
  RequireObject(root, "");
  RejectUnknownKeys(root, "", {"format", "version", "title", "description", "shape", "layout", "order", "seed",
                               "input", "weights", "bias", "grad_output"});
  if (root.contains("format")) {
    const std::string format = ReadString(root["format"], "format");
    if (format != kScenarioFormatName) {
      throw FieldError{"format", std::string("expected \"") + kScenarioFormatName + "\", got \"" + format + "\""};
    }
  }
  if (root.contains("version")) {
    const auto version = ReadInteger(root["version"], "version", 1, std::numeric_limits<std::int64_t>::max());
    if (version != kScenarioFormatVersion) {
      throw FieldError{"version", "this program reads version " + std::to_string(kScenarioFormatVersion) +
                                      ", got " + std::to_string(version)};
    }
  }

  ScenarioDocument doc;
  Scenario& sc = doc.scenario;
  sc.title = root.contains("title") ? ReadString(root["title"], "title")
                                    : std::filesystem::path(source_name).stem().string();
  if (root.contains("description")) doc.description = ReadString(root["description"], "description");
  if (root.contains("shape")) sc.shape = ReadShape(root["shape"], "shape");
  if (root.contains("layout")) {
    const std::string text = ReadString(root["layout"], "layout");
    const auto layout = ParseLayout(text);
    if (!layout) throw FieldError{"layout", "unknown layout '" + text + "'; expected columns or rows"};
    sc.layout = *layout;
  }
  if (root.contains("order")) {
    const std::string text = ReadString(root["order"], "order");
    const auto order = ParseOrder(text);
    if (!order) throw FieldError{"order", "unknown order '" + text + "'; expected row-major or column-major"};
    sc.order = *order;
  }
  if (root.contains("seed")) {
    const Json& seed = root["seed"];
    if (seed.is_number_unsigned()) {
      sc.seed = seed.get<std::uint64_t>();
    } else {
      sc.seed = static_cast<std::uint64_t>(
          ReadInteger(seed, "seed", 0, std::numeric_limits<std::int64_t>::max()));
    }
  }
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
    const std::string key = ToString(role);
    if (root.contains(key)) sc.Source(role) = ReadTensorSource(root[key], key, sc.shape, role);
  }

  const auto problems = sc.Validate();
  if (!problems.empty()) throw FieldError{"", JoinMessages(problems)};
  return doc;
}

// [SECTION] Writing ----------------------------------------------------------

// Integer-valued numbers are stored as integers, so files read "47", not "47.0".
OrderedJson NumberJson(double v) {
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9007199254740992.0) {
    return OrderedJson(static_cast<std::int64_t>(v));
  }
  return OrderedJson(v);
}

OrderedJson PairJson(const Pair& p) {
  if (p.h == p.w) return OrderedJson(p.h);
  return OrderedJson::array({p.h, p.w});
}

OrderedJson NestedValues(const std::vector<double>& values, const std::vector<Index>& dims, std::size_t level,
                         std::size_t& next) {
  OrderedJson array = OrderedJson::array();
  for (Index i = 0; i < dims[level]; ++i) {
    if (level + 1 == dims.size()) {
      array.push_back(NumberJson(values[next++]));
    } else {
      array.push_back(NestedValues(values, dims, level + 1, next));
    }
  }
  return array;
}

OrderedJson TensorSourceJson(const Scenario& sc, TensorRole role) {
  const TensorSource& source = sc.Source(role);
  OrderedJson out = OrderedJson::object();
  const auto dims = ValueDimensions(sc.shape, role);
  Index total = 1;
  for (Index d : dims) total *= d;
  if (source.HasValues() && static_cast<Index>(source.values.size()) == total) {
    std::size_t next = 0;
    out["values"] = NestedValues(source.values, dims, 0, next);
  } else if (source.HasValues()) {
    // Not valid for this shape (the caller skipped Validate): keep the numbers flat.
    OrderedJson flat = OrderedJson::array();
    for (double v : source.values) flat.push_back(NumberJson(v));
    out["values"] = std::move(flat);
  } else {
    out["fill"] = ToString(source.fill);
  }
  return out;
}

}  // namespace

// [SECTION] Public API ---------------------------------------------------------

std::vector<Index> ValueDimensions(const Shape& s, TensorRole role) {
  switch (role) {
    case TensorRole::Input: return {s.batch, s.channels, s.height, s.width};
    case TensorRole::Weights: {
      const WeightDims d = WeightDimsOf(s);
      return {d.outer, d.inner, s.kernel.h, s.kernel.w};
    }
    case TensorRole::Bias: return {s.filters};
    case TensorRole::GradOutput: return {s.batch, s.filters, s.OutHeight(), s.OutWidth()};
  }
  return {};
}

std::vector<std::string> ValueDimensionNames(TensorRole role) {
  switch (role) {
    case TensorRole::Input: return {"batch", "channels", "height", "width"};
    case TensorRole::Weights: return {"filters", "channels", "kernel height", "kernel width"};
    case TensorRole::Bias: return {"filters"};
    case TensorRole::GradOutput: return {"batch", "filters", "output height", "output width"};
  }
  return {};
}

ScenarioReadResult ParseScenarioJson(const std::string& text, const std::string& source_name) {
  ScenarioReadResult result;
  try {
    const Json root = ParseJsonOrThrow(text);
    result.document = ReadDocument(root, source_name);
  } catch (const FieldError& e) {
    result.error =
        EscapeControlCharacters(source_name + ": " + (e.path.empty() ? "" : "field " + e.path + ": ") + e.problem);
  } catch (const std::exception& e) {
    // Allocation failures and the like: still one line, still no partial scenario.
    result.error = EscapeControlCharacters(source_name + ": " + e.what());
  }
  return result;
}

ScenarioReadResult ReadScenarioFile(const std::string& path) {
  std::string error;
  const auto text = ReadWholeFile(path, error, kMaxScenarioFileBytes);
  if (!text) return ScenarioReadResult{std::nullopt, error};
  return ParseScenarioJson(*text, path);
}

std::string ScenarioToJson(const Scenario& sc, const std::string& description) {
  OrderedJson root = OrderedJson::object();
  root["format"] = kScenarioFormatName;
  root["version"] = kScenarioFormatVersion;
  root["title"] = sc.title;
  if (!description.empty()) root["description"] = description;
  OrderedJson shape = OrderedJson::object();
  shape["batch"] = sc.shape.batch;
  shape["channels"] = sc.shape.channels;
  shape["height"] = sc.shape.height;
  shape["width"] = sc.shape.width;
  shape["filters"] = sc.shape.filters;
  shape["kernel"] = PairJson(sc.shape.kernel);
  shape["stride"] = PairJson(sc.shape.stride);
  shape["padding"] = PairJson(sc.shape.padding);
  shape["dilation"] = PairJson(sc.shape.dilation);
  // Only what differs from an ordinary convolution, so older files keep their bytes.
  if (sc.shape.groups != 1) shape["groups"] = sc.shape.groups;
  if (sc.shape.op != Op::Conv) {
    shape["op"] = ToString(sc.shape.op);
    shape["output_padding"] = PairJson(sc.shape.output_padding);
  }
  root["shape"] = std::move(shape);
  root["layout"] = ToString(sc.layout);
  root["order"] = ToString(sc.order);
  root["seed"] = sc.seed;
  for (TensorRole role : {TensorRole::Input, TensorRole::Weights, TensorRole::Bias, TensorRole::GradOutput}) {
    root[ToString(role)] = TensorSourceJson(sc, role);
  }
  return DumpReadableJson(root) + "\n";
}

std::string WriteScenarioFile(const std::string& path, const Scenario& scenario, const std::string& description) {
  return WriteFileAtomically(path, ScenarioToJson(scenario, description));
}

}  // namespace im2col::io
