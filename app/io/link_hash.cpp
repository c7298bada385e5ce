#include "io/link_hash.h"

#include <cctype>
#include <set>
#include <utility>
#include <vector>

#include "io/presets.h"
#include "io/scenario_args.h"

namespace im2col::io {
namespace {

// What the user typed, cut short and with control bytes shown as '?', for messages.
std::string Echo(const std::string& text) {
  std::string out;
  for (const char c : text.substr(0, 40)) out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  if (text.size() > 40) out += "...";
  return "'" + out + "'";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding ('+' is a plus: the kernel's "3x3" never needs a space). Only
// printable ASCII survives: no value of a shape flag needs more.
std::optional<std::string> Decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexDigit(text[i + 1]), lo = HexDigit(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (!std::isprint(static_cast<unsigned char>(c))) return std::nullopt;
    out += c;
  }
  return out;
}

// Keeps what a value may hold unescaped in a hash; the rest as %XX.
std::string Encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

std::optional<std::string>* Field(ScenarioOptions& o, const std::string& key) {
  const std::pair<const char*, std::optional<std::string>*> fields[] = {
      {"preset", &o.preset},     {"batch", &o.batch},       {"channels", &o.channels}, {"height", &o.height},
      {"width", &o.width},       {"filters", &o.filters},   {"kernel", &o.kernel},     {"stride", &o.stride},
      {"padding", &o.padding},   {"dilation", &o.dilation}, {"layout", &o.layout},     {"order", &o.order},
      {"fill", &o.fill},         {"grad-fill", &o.grad_fill}, {"seed", &o.seed}};
  for (const auto& [name, field] : fields) {
    if (key == name) return field;
  }
  return nullptr;
}

LinkView Fail(const std::string& message) {
  LinkView view;
  view.error = "link: " + message + "; showing the chapter's example";
  return view;
}

std::string PairText(const Pair& p) {
  return p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "x" + std::to_string(p.w);
}

// The one fill of input, weights and bias, when they share one and hold no values.
std::optional<Fill> SharedFill(const Scenario& s) {
  if (s.input.HasValues() || s.weights.HasValues() || s.bias.HasValues()) return std::nullopt;
  if (s.input.fill != s.weights.fill || s.input.fill != s.bias.fill) return std::nullopt;
  return s.input.fill;
}

}  // namespace

LinkView ParseLinkHash(const std::string& raw) {
  if (raw.size() > kMaxLinkHashBytes) {
    return Fail("longer than " + std::to_string(kMaxLinkHashBytes) + " bytes (" + std::to_string(raw.size()) + ")");
  }
  std::string hash = raw;
  if (!hash.empty() && hash[0] == '#') hash.erase(0, 1);
  ScenarioOptions options;
  std::optional<long long> step;
  std::set<std::string> seen;
  std::size_t start = 0;
  while (start <= hash.size() && !hash.empty()) {
    const std::size_t end = std::min(hash.find('&', start), hash.size());
    const std::string part = hash.substr(start, end - start);
    start = end + 1;
    if (part.empty()) {
      if (end == hash.size()) break;
      continue;
    }
    const std::size_t eq = part.find('=');
    const auto key = Decode(part.substr(0, eq));
    if (!key) return Fail("bad %-encoding in key " + Echo(part.substr(0, eq)));
    if (eq == std::string::npos) return Fail("'" + *key + "' has no value (write " + *key + "=...)");
    const auto value = Decode(part.substr(eq + 1));
    if (!value) return Fail(*key + ": bad %-encoding or a control character in " + Echo(part.substr(eq + 1)));
    if (!seen.insert(*key).second) return Fail(*key + ": given twice");
    if (*key == "step") {
      long long n = 0;
      bool digits = !value->empty() && value->size() <= 12;
      for (const char c : *value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      if (!digits) return Fail("step: expected a whole number >= 0, got " + Echo(*value));
      for (const char c : *value) n = n * 10 + (c - '0');
      step = n;
      continue;
    }
    std::optional<std::string>* field = Field(options, *key);
    if (field == nullptr) {
      return Fail("unknown key " + Echo(*key) +
                  " (keys: preset, batch, channels, height, width, filters, kernel, stride, padding, dilation, "
                  "layout, order, fill, grad-fill, seed, step)");
    }
    *field = *value;
    if (end == hash.size()) break;
  }
  const ScenarioResolution resolved = ResolveScenario(options);
  if (!resolved.ok()) {
    std::string message = resolved.error;
    if (message.rfind("--", 0) == 0) message.erase(0, 2);  // "kernel: must be >= 1", the hash's own key
    // A status line, not a report: the first of core's problems (the rest follow from it).
    const std::size_t more = message.find("; ");
    if (message.size() > 200 && more != std::string::npos) message = message.substr(0, more) + " (and more)";
    return Fail(message);
  }
  LinkView view;
  view.scenario = *resolved.scenario;
  view.preset = options.preset.value_or(std::string());
  view.step = step;
  return view;
}

std::string LinkHashFor(const Scenario& s, const std::string& preset, long long step, std::string* note) {
  Scenario base;
  std::vector<std::string> parts;
  if (!preset.empty()) {
    const ScenarioReadResult loaded = LoadPreset(preset);
    if (loaded.ok()) {
      base = loaded.document->scenario;
      parts.push_back("preset=" + Encode(preset));
    }
  }
  const auto add = [&](const char* key, const std::string& value, const std::string& base_value) {
    if (value != base_value) parts.push_back(std::string(key) + "=" + Encode(value));
  };
  const Shape& a = s.shape;
  const Shape& b = base.shape;
  add("batch", std::to_string(a.batch), std::to_string(b.batch));
  add("channels", std::to_string(a.channels), std::to_string(b.channels));
  add("height", std::to_string(a.height), std::to_string(b.height));
  add("width", std::to_string(a.width), std::to_string(b.width));
  add("filters", std::to_string(a.filters), std::to_string(b.filters));
  add("kernel", PairText(a.kernel), PairText(b.kernel));
  add("stride", PairText(a.stride), PairText(b.stride));
  add("padding", PairText(a.padding), PairText(b.padding));
  add("dilation", PairText(a.dilation), PairText(b.dilation));
  add("layout", ToString(s.layout), ToString(base.layout));
  add("order", ToString(s.order), ToString(base.order));
  std::string lost;
  const bool same_values = s.input == base.input && s.weights == base.weights && s.bias == base.bias;
  if (!same_values) {
    if (const auto fill = SharedFill(s)) {
      parts.push_back(std::string("fill=") + ToString(*fill));
    } else {
      lost = "the link carries the shape and fills, not this scenario's own input, weight or bias values";
    }
  }
  if (!(s.grad_output == base.grad_output)) {
    if (!s.grad_output.HasValues()) {
      parts.push_back("grad-fill=" + ToString(s.grad_output.fill));
    } else if (lost.empty()) {
      lost = "the link carries the shape and fills, not this scenario's own output-gradient values";
    }
  }
  add("seed", std::to_string(s.seed), std::to_string(base.seed));
  parts.push_back("step=" + std::to_string(step < 0 ? 0 : step));
  std::string hash = "#";
  for (std::size_t i = 0; i < parts.size(); ++i) hash += (i ? "&" : "") + parts[i];
  if (note) *note = lost;
  return hash;
}

}  // namespace im2col::io
