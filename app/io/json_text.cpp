#include "io/json_text.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace im2col::io {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

namespace {

// [SECTION] Parsing JSON while tracking where we are ------------------------
//
// nlohmann's DOM parser reports number overflow (1e309) without saying where;
// this SAX handler builds the same DOM and remembers the path being parsed.

class PathTrackingSax {
 public:
  static constexpr std::size_t kMaxDepth = 64;

  Json root;
  std::string error_path;
  std::string error_text;
  std::size_t error_position = 0;
  bool failed = false;

  bool null() { return AddValue(Json(nullptr)) != nullptr; }
  bool boolean(bool v) { return AddValue(Json(v)) != nullptr; }
  bool number_integer(Json::number_integer_t v) { return AddValue(Json(v)) != nullptr; }
  bool number_unsigned(Json::number_unsigned_t v) { return AddValue(Json(v)) != nullptr; }
  bool number_float(Json::number_float_t v, const Json::string_t&) { return AddValue(Json(v)) != nullptr; }
  bool string(Json::string_t& v) { return AddValue(Json(std::move(v))) != nullptr; }
  bool binary(Json::binary_t&) { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) { return Open(Json::object()); }
  bool key(Json::string_t& k) {
    pending_key_ = k;
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(Json::array()); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t position, const std::string&, const Json::exception& ex) {
    failed = true;
    error_position = position;
    error_path = CurrentPath();
    error_text = ex.what();
    return false;
  }

 private:
  struct Frame {
    Json* value;
    std::string path;
  };
  std::vector<Frame> stack_;
  std::string pending_key_;

  // Path of the value about to be parsed.
  std::string CurrentPath() const {
    if (stack_.empty()) return {};
    const Frame& top = stack_.back();
    if (top.value->is_array()) return JsonPathIndex(top.path, top.value->size());
    return pending_key_.empty() ? top.path : JsonPathKey(top.path, pending_key_);
  }

  Json* AddValue(Json value) {
    if (stack_.empty()) {
      root = std::move(value);
      return &root;
    }
    Json& parent = *stack_.back().value;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    Json& slot = parent[pending_key_];
    slot = std::move(value);
    pending_key_.clear();  // an error before the next key belongs to the object itself
    return &slot;
  }

  bool Open(Json container) {
    if (stack_.size() >= kMaxDepth) return Fail("nested deeper than 64 levels");
    const std::string path = CurrentPath();
    Json* added = AddValue(std::move(container));
    stack_.push_back({added, path});
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  bool Fail(const std::string& text) {
    failed = true;
    error_path = CurrentPath();
    error_text = text;
    return false;
  }
};

std::string LineAndColumn(const std::string& text, std::size_t position) {
  position = std::min(position, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < position; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at
// line 1, column 4: "; keep only the explanation (we print our own position).
std::string StripLibraryPrefix(std::string message) {
  if (!message.empty() && message[0] == '[') {
    const auto close = message.find("] ");
    if (close != std::string::npos) message = message.substr(close + 2);
  }
  const std::string parse_error = "parse error at ";
  if (message.rfind(parse_error, 0) == 0) {
    const auto colon = message.find(": ");
    if (colon != std::string::npos) message = message.substr(colon + 2);
  }
  return message;
}

// True when the text broke on a word such as NaN, nan, Infinity or inf: nlohmann
// reports "invalid literal; last read: '[N'", and a hint helps more than the grammar.
bool LooksLikeNanOrInfinity(const std::string& message) {
  if (message.find("invalid literal") == std::string::npos) return false;
  const std::string marker = "last read: '";
  const auto start = message.find(marker);
  if (start == std::string::npos) return false;
  const auto end = message.find('\'', start + marker.size());
  const std::string token = message.substr(start + marker.size(), end - start - marker.size());
  auto word_begin = token.size();
  while (word_begin > 0 && std::isalpha(static_cast<unsigned char>(token[word_begin - 1]))) --word_begin;
  const char first = word_begin < token.size() ? token[word_begin] : '\0';
  return first == 'N' || first == 'n' || first == 'I' || first == 'i';
}

// [SECTION] Readable output ------------------------------------------------

std::string DumpScalar(const OrderedJson& value) {
  return value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

bool IsScalar(const OrderedJson& value) { return !value.is_array() && !value.is_object(); }

// One line, with a space after ':' and ','.
std::string DumpInline(const OrderedJson& value) {
  if (IsScalar(value)) return DumpScalar(value);
  std::string text = value.is_array() ? "[" : "{";
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) text += ", ";
    first = false;
    if (value.is_object()) text += DumpScalar(OrderedJson(it.key())) + ": ";
    text += DumpInline(*it);
  }
  return text + (value.is_array() ? "]" : "}");
}

// Arrays of numbers and small objects stay on one line; everything else gets one
// entry per line, so tensors read as rows.
bool FitsOnOneLine(const OrderedJson& value) {
  if (IsScalar(value)) return true;
  for (const auto& child : value) {
    if (value.is_array() && !IsScalar(child)) return false;
    if (value.is_object() && !IsScalar(child) && !(child.is_array() && child.size() <= 2)) return false;
  }
  return value.is_array() || DumpInline(value).size() <= 100;
}

void DumpPretty(const OrderedJson& value, int indent, std::string& out) {
  if (FitsOnOneLine(value)) {
    out += DumpInline(value);
    return;
  }
  const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
  out += value.is_array() ? "[\n" : "{\n";
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += inner;
    if (value.is_object()) out += DumpScalar(OrderedJson(it.key())) + ": ";
    DumpPretty(*it, indent + 2, out);
  }
  out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + (value.is_array() ? "]" : "}");
}

}  // namespace

// [SECTION] Public API ---------------------------------------------------------

std::string JsonPathKey(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string JsonPathIndex(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::optional<Json> ParseJsonWithPaths(const std::string& text, JsonSyntaxError& error) {
  PathTrackingSax sax;
  const bool parsed = Json::sax_parse(text, &sax, Json::input_format_t::json, true);
  if (parsed && !sax.failed) return std::move(sax.root);

  std::string problem = "malformed JSON at " + LineAndColumn(text, sax.error_position) + ": " +
                        StripLibraryPrefix(sax.error_text);
  if (sax.error_text.find("number overflow") != std::string::npos) {
    problem += " (too large for a double; values must be finite with magnitude <= 1e12)";
  } else if (LooksLikeNanOrInfinity(sax.error_text)) {
    problem += " (JSON has no NaN or Infinity; values must be finite numbers)";
  }
  error = JsonSyntaxError{sax.error_path, problem};
  return std::nullopt;
}

std::string DumpReadableJson(const OrderedJson& value) {
  std::string out;
  DumpPretty(value, 0, out);
  return out;
}

}  // namespace im2col::io
