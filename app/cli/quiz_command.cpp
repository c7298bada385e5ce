// `im2col-lab quiz [selectors] [--count N] [--question-seed S] [--level L] [--kind K,...]
// [--format json|markdown]`: practice questions about a scenario with their answers,
// the same ones the window's practice mode asks (im2col/quiz.h). JSON for programs,
// Markdown for a printable worksheet whose answers come at the end.
#include <CLI/CLI.hpp>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "im2col/quiz.h"
#include "io/json_text.h"

namespace im2col::cli {

namespace {

struct QuizOptions {
  io::ScenarioOptions scenario;
  std::string count = "7";
  std::string question_seed = "1";
  std::string level = "all";
  std::string kinds;  // comma-separated kind names
  std::string format = "json";
};

inline constexpr int kMaxQuestions = 1000;

nlohmann::ordered_json AnswerJson(const quiz::Answer& a) {
  switch (a.kind) {
    case quiz::Kind::OutputSize:
    case quiz::Kind::MatrixShape: return nlohmann::ordered_json::array({a.pair[0], a.pair[1]});
    case quiz::Kind::XColSource:
      if (!a.pixel) return "padding";
      return {{"n", a.pixel->n}, {"c", a.pixel->c}, {"y", a.pixel->y}, {"x", a.pixel->x}};
    case quiz::Kind::PixelCopies: {
      nlohmann::ordered_json cells = nlohmann::ordered_json::array();
      for (const auto& cell : a.cells) cells.push_back({cell[0], cell[1]});
      return cells;
    }
    case quiz::Kind::OverlapCount: return a.count;
    case quiz::Kind::YValue:
    case quiz::Kind::DxValue:
      // Whole values as integers ("37", not "37.0"), as a student would write them.
      if (a.value == static_cast<double>(static_cast<long long>(a.value)) && std::abs(a.value) < 1e15) {
        return static_cast<long long>(a.value);
      }
      return a.value;
  }
  return nullptr;
}

nlohmann::ordered_json QuestionJson(const quiz::Question& q) {
  nlohmann::ordered_json given = nlohmann::ordered_json::object();
  for (const auto& field : q.given) {
    if (field.IsText()) {
      given[field.key] = field.text;
    } else {
      given[field.key] = field.number;
    }
  }
  nlohmann::ordered_json out;
  out["kind"] = quiz::ToString(q.kind);
  out["prompt"] = q.prompt;
  out["given"] = given;
  out["answer"] = AnswerJson(q.answer);
  out["explanation"] = q.explanation;
  out["reveal_step"] = q.reveal_step;
  return out;
}

std::string Worksheet(const Scenario& scenario, const std::vector<quiz::Question>& questions) {
  const Shape& s = scenario.shape;
  std::ostringstream out;
  out << "# Practice: " << scenario.title << "\n\n";
  out << "Input " << s.batch << " x " << s.channels << " x " << s.height << " x " << s.width << " (N x C x H x W), "
      << s.filters << (s.filters == 1 ? " filter" : " filters") << " of " << s.kernel.h << "x" << s.kernel.w
      << ", stride " << FormatPair(s.stride) << ", padding " << FormatPair(s.padding) << ", dilation "
      << FormatPair(s.dilation) << "; layout " << ToString(scenario.layout) << ", order " << ToString(scenario.order)
      << ". Indices start at 0 and are as displayed for this layout and order.\n\n";
  for (size_t i = 0; i < questions.size(); ++i) {
    out << i + 1 << ". " << questions[i].prompt << "\n\n   Answer: ______________________\n\n";
  }
  out << "## Answers\n\n";
  for (size_t i = 0; i < questions.size(); ++i) {
    out << i + 1 << ". `" << quiz::FormatAnswer(questions[i].answer) << "` - " << questions[i].explanation
        << " (timeline step " << questions[i].reveal_step << ")\n";
  }
  return out.str();
}

// "--kind a,b": every name must be a kind; empty means every kind.
std::optional<std::string> ParseKinds(const std::string& text, std::vector<quiz::Kind>& kinds) {
  std::string names;
  for (quiz::Kind kind : quiz::kAllKinds) names += (names.empty() ? "" : ", ") + quiz::ToString(kind);
  std::stringstream list(text);
  std::string name;
  while (std::getline(list, name, ',')) {
    const auto kind = quiz::ParseKind(name);
    if (!kind) return "--kind: expected one or more of " + names + " (comma-separated), got '" + name + "'";
    kinds.push_back(*kind);
  }
  if (!text.empty() && kinds.empty()) return "--kind: expected one or more of " + names + ", got '" + text + "'";
  return std::nullopt;
}

int RunQuiz(const QuizOptions& options, CommandStreams& io) {
  const bool json = options.format == "json";
  if (!json && options.format != "markdown") {
    return UsageError(io, "--format: expected json or markdown, got '" + options.format + "'");
  }
  int count = 0;
  if (auto error = io::ParseSizeFlag("--count", options.count, 1, count)) return UsageError(io, *error);
  if (count > kMaxQuestions) {
    return UsageError(io, "--count: must be <= " + std::to_string(kMaxQuestions) + ", got " + options.count);
  }
  std::uint64_t seed = 0;
  if (auto error = io::ParseSeedFlag("--question-seed", options.question_seed, seed)) return UsageError(io, *error);
  std::vector<quiz::Kind> kinds;
  if (auto error = ParseKinds(options.kinds, kinds)) return UsageError(io, *error);
  if (options.level != "all") {
    int level = 0;
    if (io::ParseSizeFlag("--level", options.level, 0, level) || level >= quiz::kLevelCount) {
      return UsageError(io, "--level: expected 0.." + std::to_string(quiz::kLevelCount - 1) + " or all, got '" +
                                options.level + "'");
    }
    if (!kinds.empty()) return UsageError(io, "--level: give --level or --kind, not both");
    kinds = quiz::KindsForLevel(level);
  }
  const auto scenario = ResolveOrReport(options.scenario, io);
  if (!scenario) return kExitUsage;

  const Computation computation = Compute(*scenario);
  const std::vector<quiz::Question> questions = quiz::MakeQuestions(computation, kinds, count, seed);
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& q : questions) list.push_back(QuestionJson(q));
    nlohmann::ordered_json root;
    root["questions"] = list;
    io.out << io::DumpReadableJson(root) << "\n";
  } else {
    io.out << Worksheet(*scenario, questions);
  }
  return kExitOk;
}

}  // namespace

void AddQuizCommand(CLI::App& app, CommandSink& sink) {
  auto options = std::make_shared<QuizOptions>();
  CLI::App* command = app.add_subcommand(
      "quiz", "Practice questions about a scenario with their answers: output size, matrix shapes, where an "
              "X_col cell comes from, values of Y and dX");
  io::AddScenarioOptions(*command, options->scenario);
  command->add_option("--count", options->count, "how many questions, 1..1000 (default 7)")->type_name("N");
  command->add_option("--question-seed", options->question_seed, "which questions; the same seed asks the same (default 1)")
      ->type_name("S");
  command->add_option("--level", options->level, "difficulty 0..3 picks the kinds (3 = backward), or all (default)")
      ->type_name("L");
  command->add_option("--kind", options->kinds, "only these kinds, comma-separated, e.g. x-col-source,y-value")
      ->type_name("K,...");
  command->add_option("--format", options->format, "json or markdown (a worksheet with answers at the end; default json)")
      ->type_name("FORMAT");
  sink.Add(command, [options](CommandStreams& io) { return RunQuiz(*options, io); });
}

}  // namespace im2col::cli
