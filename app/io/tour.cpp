#include "io/tour.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include "im2col/timeline.h"
#include "io/assets.h"
#include "io/atomic_file.h"
#include "io/json_text.h"
#include "io/message_text.h"
#include "io/presets.h"
#include "io/scenario_args.h"
#include "io/scenario_json.h"

namespace im2col::io {
// Helpers live in a named namespace: the io library is built as unity files, where
// another file's anonymous-namespace helpers (Shorten, ...) would clash.
namespace tour_internal {
namespace fs = std::filesystem;


using Json = nlohmann::json;

// Teaching order of the shipped tours; others follow alphabetically.
const char* const kTourOrder[] = {"chapter-in-ten-minutes", "why-col2im-must-add", "padding-stride-dilation",
                                   "reading-x-col"};

// A failure while reading one field: the path ("steps[2].step") and the problem.
struct TourError {
  std::string path;
  std::string problem;
};

std::string TypeName(const Json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "true/false";
  if (v.is_number()) return "a number";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

std::string Shorten(const std::string& text) { return text.size() > 40 ? text.substr(0, 37) + "..." : text; }

int CountSentences(const std::string& text) {
  int sentences = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if ((ch == '.' || ch == '!' || ch == '?') && (i + 1 == text.size() || text[i + 1] == ' ')) ++sentences;
  }
  const size_t last = text.find_last_not_of(' ');
  if (last != std::string::npos && text[last] != '.' && text[last] != '!' && text[last] != '?') ++sentences;
  return sentences;
}

std::optional<Phase> ParsePhase(const std::string& text) {
  for (Phase phase : kAllPhases) {
    if (ToString(phase) == text) return phase;
  }
  return std::nullopt;
}

std::string PhaseNames() {
  std::string names;
  for (Phase phase : kAllPhases) names += (names.empty() ? "" : ", ") + ToString(phase);
  return names;
}

// [SECTION] Pointed ids

// Displayed size of a cell target, outermost first.
std::vector<Index> DisplayedDims(const Scenario& sc, const std::string& name) {
  const Shape& s = sc.shape;
  const Index R = s.PatchSize(), NL = s.ColumnCount(), HO = s.OutHeight(), WO = s.OutWidth();
  const bool rows = sc.layout == Layout::Rows;
  if (name == "input" || name == "grad_input") return {s.batch, s.channels, s.height, s.width};
  if (name == "output" || name == "grad_output") return {s.batch, s.filters, HO, WO};
  if (name == "weights" || name == "grad_weights") return {s.filters, s.channels, s.kernel.h, s.kernel.w};
  if (name == "w_row" || name == "grad_w_row") return {s.filters, R};
  if (name == "x_col" || name == "grad_x_col") return rows ? std::vector<Index>{NL, R} : std::vector<Index>{R, NL};
  if (name == "y_mat" || name == "dy_mat") return rows ? std::vector<Index>{NL, s.filters} : std::vector<Index>{s.filters, NL};
  return {};
}

const char* const kCellNames[] = {"input",  "output", "grad_input", "grad_output", "weights", "grad_weights",
                                  "w_row",  "grad_w_row", "x_col", "grad_x_col", "y_mat",   "dy_mat"};

std::string CheckPointIdImpl(const Scenario& scenario, const std::string& id) {
  for (const char* prefix : {"panel:", "picture:", "control:"}) {
    const std::string p = prefix;
    if (id.compare(0, p.size(), p) == 0) {
      if (id.size() == p.size()) return "'" + Shorten(id) + "' needs a name after '" + p + "'";
      return "";
    }
  }
  const size_t open = id.find('[');
  const std::string name = id.substr(0, open);
  std::string known;
  for (const char* n : kCellNames) known += (known.empty() ? "" : ", ") + std::string(n);
  if (open == std::string::npos || id.back() != ']') {
    return "expected an id like x_col[0,0], input[0,0,1,2], panel:stage or picture:x_col, got '" + Shorten(id) + "'";
  }
  const std::vector<Index> dims = DisplayedDims(scenario, name);
  if (dims.empty()) return "unknown name '" + Shorten(name) + "' in '" + Shorten(id) + "'; expected " + known + ", panel: or picture:";
  std::vector<Index> indices;
  std::stringstream list(id.substr(open + 1, id.size() - open - 2));
  std::string part;
  while (std::getline(list, part, ',')) {
    if (part.empty() || part.size() > 12 || part.find_first_not_of("0123456789") != std::string::npos) {
      return "'" + Shorten(id) + "': indices must be whole numbers >= 0";
    }
    indices.push_back(std::stoll(part));
  }
  if (indices.size() != dims.size()) {
    return "'" + Shorten(id) + "': " + name + " takes " + std::to_string(dims.size()) + " indices, got " +
           std::to_string(indices.size());
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    if (indices[i] >= dims[i]) {
      std::string size;
      for (Index d : dims) size += (size.empty() ? "" : " x ") + std::to_string(d);
      return "'" + Shorten(id) + "' is outside " + name + ", which is " + size + " as displayed";
    }
  }
  return "";
}

// [SECTION] Reading one step

const char* const kStepKeys[] = {"preset", "scenario", "set", "step", "phase", "phase_step", "overwrite",
                                 "narration", "point_at"};
const char* const kSetKeys[] = {"batch", "channels", "height", "width", "filters", "kernel", "stride", "padding",
                                "dilation", "layout", "order", "fill", "grad-fill", "seed"};

std::optional<std::string>* SetField(ScenarioOptions& o, const std::string& key) {
  if (key == "batch") return &o.batch;
  if (key == "channels") return &o.channels;
  if (key == "height") return &o.height;
  if (key == "width") return &o.width;
  if (key == "filters") return &o.filters;
  if (key == "kernel") return &o.kernel;
  if (key == "stride") return &o.stride;
  if (key == "padding") return &o.padding;
  if (key == "dilation") return &o.dilation;
  if (key == "layout") return &o.layout;
  if (key == "order") return &o.order;
  if (key == "fill") return &o.fill;
  if (key == "grad-fill") return &o.grad_fill;
  if (key == "seed") return &o.seed;
  return nullptr;
}

std::string JoinNames(const char* const* begin, const char* const* end) {
  std::string names;
  for (auto it = begin; it != end; ++it) names += (names.empty() ? "" : ", ") + std::string(*it);
  return names;
}

// Reads an integer field; nullopt (and `error`) when it is not a whole number.
std::optional<long long> IntegerField(const Json& v, const std::string& path, std::optional<TourError>& error) {
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<long long>::max())) {
    error = TourError{path, "too large"};
    return std::nullopt;
  }
  if (!v.is_number_integer()) {
    error = TourError{path, "expected a whole number, got " + (v.is_number() ? Shorten(v.dump()) : TypeName(v))};
    return std::nullopt;
  }
  return v.get<long long>();
}

std::optional<TourStep> ReadStep(const Json& v, const std::string& path, const std::string& source,
                                 std::optional<TourError>& error, std::vector<std::string>& warnings) {
  if (!v.is_object()) {
    error = TourError{path, "expected an object, got " + TypeName(v)};
    return std::nullopt;
  }
  for (const auto& item : v.items()) {
    if (std::find(std::begin(kStepKeys), std::end(kStepKeys), item.key()) == std::end(kStepKeys)) {
      error = TourError{JsonPathKey(path, item.key()), "unknown field; expected " +
                                                           JoinNames(std::begin(kStepKeys), std::end(kStepKeys))};
      return std::nullopt;
    }
  }
  // The scenario: a preset or an inline scenario object, then the "set" overrides.
  const bool has_preset = v.contains("preset"), has_scenario = v.contains("scenario");
  if (has_preset == has_scenario) {
    error = TourError{path, has_preset ? "give \"preset\" or \"scenario\", not both" : "missing \"preset\" or \"scenario\""};
    return std::nullopt;
  }
  Scenario base;
  if (has_preset) {
    const Json& preset = v["preset"];
    if (!preset.is_string()) {
      error = TourError{path + ".preset", "expected a preset name, got " + TypeName(preset)};
      return std::nullopt;
    }
    const ScenarioReadResult loaded = LoadPreset(preset.get<std::string>());
    if (!loaded.ok()) {
      error = TourError{path + ".preset", loaded.error};
      return std::nullopt;
    }
    base = loaded.document->scenario;
  } else {
    const Json& object = v["scenario"];
    if (!object.is_object()) {
      error = TourError{path + ".scenario", "expected a scenario object, got " + TypeName(object)};
      return std::nullopt;
    }
    // The scenario reader names its own fields: "FILE: steps[1].scenario: field shape.kernel: ...".
    const ScenarioReadResult parsed = ParseScenarioJson(object.dump(), source + ": " + path + ".scenario");
    if (!parsed.ok()) {
      error = TourError{"", parsed.error};
      return std::nullopt;
    }
    base = parsed.document->scenario;
  }
  ScenarioOptions flags;
  if (v.contains("set")) {
    const Json& set = v["set"];
    if (!set.is_object()) {
      error = TourError{path + ".set", "expected an object of shape flags, got " + TypeName(set)};
      return std::nullopt;
    }
    for (const auto& item : set.items()) {
      std::optional<std::string>* field = SetField(flags, item.key());
      const std::string key_path = path + ".set." + item.key();
      if (field == nullptr) {
        error = TourError{key_path, "unknown flag; expected " + JoinNames(std::begin(kSetKeys), std::end(kSetKeys))};
        return std::nullopt;
      }
      if (item.value().is_string()) {
        *field = item.value().get<std::string>();
      } else if (item.value().is_number_integer()) {
        *field = item.value().dump();
      } else {
        error = TourError{key_path, "expected a string like \"3x2\" or a whole number, got " + TypeName(item.value())};
        return std::nullopt;
      }
    }
  }
  ScenarioResolution resolved = ApplyScenarioFlags(std::move(base), flags);
  if (!resolved.ok()) {
    std::string message = resolved.error;
    if (message.compare(0, 2, "--") == 0) {  // "--kernel: must be ..." -> "steps[1].set.kernel: must be ..."
      error = TourError{path + ".set." + message.substr(2, message.find(':') - 2), message.substr(message.find(':') + 2)};
    } else {
      error = TourError{path, message};
    }
    return std::nullopt;
  }
  TourStep step;
  if (has_preset && !v.contains("set")) step.preset = v["preset"].get<std::string>();
  step.scenario = std::move(*resolved.scenario);  // titled "Custom: ..." when shape flags changed it

  // The timeline step: "step" (global) or "phase" with an optional "phase_step".
  const Timeline timeline(step.scenario.shape);
  const Index steps = timeline.StepCount();
  const std::string range = "must be 0.." + std::to_string(steps - 1) + " (this scenario has " + std::to_string(steps) + " steps)";
  if (v.contains("step") && v.contains("phase")) {
    error = TourError{path, "give \"step\" or \"phase\", not both"};
    return std::nullopt;
  }
  if (v.contains("phase_step") && !v.contains("phase")) {
    error = TourError{path + ".phase_step", "needs \"phase\""};
    return std::nullopt;
  }
  if (v.contains("step")) {
    const auto value = IntegerField(v["step"], path + ".step", error);
    if (!value) return std::nullopt;
    if (*value < 0 || *value >= steps) {
      error = TourError{path + ".step", range + ", got " + std::to_string(*value)};
      return std::nullopt;
    }
    step.step = *value;
  } else if (v.contains("phase")) {
    const Json& name = v["phase"];
    const auto phase = name.is_string() ? ParsePhase(name.get<std::string>()) : std::nullopt;
    if (!phase) {
      error = TourError{path + ".phase", "expected one of " + PhaseNames() + ", got " +
                                             (name.is_string() ? "'" + Shorten(name.get<std::string>()) + "'" : TypeName(name))};
      return std::nullopt;
    }
    const Index length = timeline.PhaseLength(*phase);
    Index within = 0;
    if (v.contains("phase_step")) {
      const auto value = IntegerField(v["phase_step"], path + ".phase_step", error);
      if (!value) return std::nullopt;
      if (*value < -length || *value >= length) {
        error = TourError{path + ".phase_step", "must be " + std::to_string(-length) + ".." + std::to_string(length - 1) +
                                                    " (" + ToString(*phase) + " has " + std::to_string(length) +
                                                    " steps; negative counts from the end), got " + std::to_string(*value)};
        return std::nullopt;
      }
      within = *value < 0 ? length + *value : *value;
    }
    step.step = timeline.PhaseBegin(*phase) + within;
  }
  if (v.contains("overwrite")) {
    if (!v["overwrite"].is_boolean()) {
      error = TourError{path + ".overwrite", "expected true or false, got " + TypeName(v["overwrite"])};
      return std::nullopt;
    }
    step.overwrite = v["overwrite"].get<bool>();
  }

  // What the teacher says and points at.
  if (!v.contains("narration") || !v["narration"].is_string()) {
    error = TourError{path + ".narration", v.contains("narration") ? "expected a string, got " + TypeName(v["narration"])
                                                                   : "missing; every step says something"};
    return std::nullopt;
  }
  step.narration = v["narration"].get<std::string>();
  if (step.narration.find_first_not_of(" \t\r\n") == std::string::npos) {
    error = TourError{path + ".narration", "is empty; every step says something"};
    return std::nullopt;
  }
  const int sentences = CountSentences(step.narration);
  if (sentences > kMaxNarrationSentences) {
    warnings.push_back(source + ": " + path + ".narration: " + std::to_string(sentences) + " sentences; keep it to " +
                       std::to_string(kMaxNarrationSentences) + " so it fits the panel");
  }
  if (v.contains("point_at")) {
    const Json& list = v["point_at"];
    if (!list.is_array()) {
      error = TourError{path + ".point_at", "expected an array of ids, got " + TypeName(list)};
      return std::nullopt;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string item_path = JsonPathIndex(path + ".point_at", i);
      if (!list[i].is_string()) {
        error = TourError{item_path, "expected an id string, got " + TypeName(list[i])};
        return std::nullopt;
      }
      const std::string id = list[i].get<std::string>();
      const std::string problem = CheckPointIdImpl(step.scenario, id);
      if (!problem.empty()) {
        error = TourError{item_path, problem};
        return std::nullopt;
      }
      step.point_at.push_back(id);
    }
  }
  return step;
}

std::string Message(const std::string& source, const TourError& e) {
  if (e.path.empty()) return EscapeControlCharacters(e.problem);  // already names the file
  return EscapeControlCharacters(source + ": " + e.path + ": " + e.problem);
}

std::vector<std::pair<std::string, std::string>> TourFiles() {  // (name, path) in teaching order
  std::vector<std::pair<std::string, std::string>> files;
  const auto directory = FindAsset("tours");
  if (!directory) return files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(*directory, error)) {
    if (entry.path().extension() == ".json") files.emplace_back(entry.path().stem().string(), entry.path().string());
  }
  const auto rank = [](const std::string& name) {
    return static_cast<int>(std::find(std::begin(kTourOrder), std::end(kTourOrder), name) - std::begin(kTourOrder));
  };
  std::sort(files.begin(), files.end(), [&](const auto& a, const auto& b) {
    return rank(a.first) != rank(b.first) ? rank(a.first) < rank(b.first) : a.first < b.first;
  });
  return files;
}

// [SECTION] Whole files

TourReadResult ParseTourJsonImpl(const std::string& text, const std::string& source) {
  JsonSyntaxError syntax;
  const std::optional<Json> root = ParseJsonWithPaths(text, syntax);
  if (!root) {
    return {std::nullopt, Message(source, {syntax.path.empty() ? "json" : syntax.path, syntax.problem})};
  }
  const auto fail = [&](const std::string& path, const std::string& problem) {
    return TourReadResult{std::nullopt, Message(source, {path, problem})};
  };
  if (!root->is_object()) return fail("json", "expected an object, got " + TypeName(*root));
  for (const auto& item : root->items()) {
    static const char* const kKeys[] = {"format", "version", "title", "description", "steps"};
    if (std::find(std::begin(kKeys), std::end(kKeys), item.key()) == std::end(kKeys)) {
      return fail(item.key(), "unknown field; expected format, version, title, description, steps");
    }
  }
  if (!root->contains("format") || (*root)["format"] != kTourFormatName) {
    return fail("format", std::string("expected \"") + kTourFormatName + "\"");
  }
  if (!root->contains("version") || (*root)["version"] != kTourFormatVersion) {
    return fail("version", "expected " + std::to_string(kTourFormatVersion));
  }
  Tour tour;
  tour.name = fs::path(source).stem().string();
  if (!root->contains("title") || !(*root)["title"].is_string() || (*root)["title"].get<std::string>().empty()) {
    return fail("title", "expected a non-empty string");
  }
  tour.title = (*root)["title"].get<std::string>();
  if (root->contains("description")) {
    if (!(*root)["description"].is_string()) return fail("description", "expected a string");
    tour.description = (*root)["description"].get<std::string>();
  }
  if (!root->contains("steps") || !(*root)["steps"].is_array() || (*root)["steps"].empty()) {
    return fail("steps", "expected a non-empty array of steps");
  }
  const Json& steps = (*root)["steps"];
  if (steps.size() > static_cast<size_t>(kMaxTourSteps)) {
    return fail("steps", "at most " + std::to_string(kMaxTourSteps) + " steps, got " + std::to_string(steps.size()));
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    std::optional<TourError> error;
    auto step = ReadStep(steps[i], JsonPathIndex("steps", i), source, error, tour.warnings);
    if (!step) return {std::nullopt, Message(source, error.value_or(TourError{JsonPathIndex("steps", i), "unreadable"}))};
    tour.steps.push_back(std::move(*step));
  }
  return {std::move(tour), {}};
}

TourReadResult ReadTourFileImpl(const std::string& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) return {std::nullopt, EscapeControlCharacters(path + ": is a directory, not a tour file")};
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, EscapeControlCharacters(path + ": cannot open the file")};
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().size() > (8u << 20)) return {std::nullopt, EscapeControlCharacters(path + ": larger than 8 MB, not a tour")};
  return ParseTourJsonImpl(text.str(), path);
}

std::vector<TourInfo> ListToursImpl() {
  std::vector<TourInfo> tours;
  for (const auto& [name, path] : TourFiles()) {
    const TourReadResult read = ReadTourFileImpl(path);
    if (!read.ok()) continue;
    tours.push_back({name, read.tour->title, static_cast<int>(read.tour->steps.size()), path});
  }
  return tours;
}

TourReadResult LoadTourImpl(const std::string& name_or_path) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".json") == 0);
  if (is_path) return ReadTourFileImpl(name_or_path);
  const bool plain = !name_or_path.empty() && name_or_path.size() <= 100 &&
                     name_or_path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
                         std::string::npos;
  if (plain) {
    if (const auto path = FindAsset("tours/" + name_or_path + ".json")) return ReadTourFileImpl(*path);
  }
  std::string available;
  for (const auto& file : TourFiles()) available += (available.empty() ? "" : ", ") + file.first;
  return {std::nullopt, EscapeControlCharacters("unknown tour '" + Shorten(name_or_path) + "'; available: " +
                                                (available.empty() ? "none (searched " + AssetSearchPathDescription() + ")"
                                                                   : available))};
}

std::string TourToJsonImpl(const Tour& tour) {
  nlohmann::ordered_json root;
  root["format"] = kTourFormatName;
  root["version"] = kTourFormatVersion;
  root["title"] = tour.title;
  if (!tour.description.empty()) root["description"] = tour.description;
  root["steps"] = nlohmann::ordered_json::array();
  for (const TourStep& step : tour.steps) {
    nlohmann::ordered_json item;
    const ScenarioReadResult preset = step.preset.empty() ? ScenarioReadResult{} : LoadPreset(step.preset);
    if (preset.ok() && preset.document->scenario == step.scenario) {
      item["preset"] = step.preset;
    } else {
      item["scenario"] = nlohmann::ordered_json::parse(ScenarioToJson(step.scenario));
    }
    item["step"] = step.step;
    if (step.overwrite) item["overwrite"] = true;
    item["narration"] = step.narration;
    if (!step.point_at.empty()) item["point_at"] = step.point_at;
    root["steps"].push_back(std::move(item));
  }
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

bool IsTourFileImpl(const std::string& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error) || fs::file_size(path, error) > (8u << 20)) return false;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  JsonSyntaxError syntax;
  const std::optional<Json> root = ParseJsonWithPaths(text.str(), syntax);
  return root && root->is_object() && root->contains("format") && (*root)["format"] == kTourFormatName;
}

}  // namespace tour_internal

std::string TourToJson(const Tour& tour) { return tour_internal::TourToJsonImpl(tour); }
std::string WriteTourFile(const std::string& path, const Tour& tour) {
  const std::string text = tour_internal::TourToJsonImpl(tour);
  const TourReadResult back = tour_internal::ParseTourJsonImpl(text, path);
  if (!back.ok()) return back.error;
  return WriteFileAtomically(path, text);
}
bool IsTourFile(const std::string& path) { return tour_internal::IsTourFileImpl(path); }

std::string CheckPointId(const Scenario& scenario, const std::string& id) {
  return tour_internal::CheckPointIdImpl(scenario, id);
}
TourReadResult ParseTourJson(const std::string& text, const std::string& source_name) {
  return tour_internal::ParseTourJsonImpl(text, source_name);
}
TourReadResult ReadTourFile(const std::string& path) { return tour_internal::ReadTourFileImpl(path); }
std::vector<TourInfo> ListTours() { return tour_internal::ListToursImpl(); }
TourReadResult LoadTour(const std::string& name_or_path) { return tour_internal::LoadTourImpl(name_or_path); }

}  // namespace im2col::io
