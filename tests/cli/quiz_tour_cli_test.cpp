// `im2col-lab quiz` and `im2col-lab tour`, and `render --tour`, run as real processes:
// quiz answers agree with `compute --format json`, seeds repeat and vary, the
// worksheet has its answers at the end, bad flags exit 2 with one line; every step of
// every shipped tour renders with each pointed id in its layout JSON and outlined.
// The renders need a display (xvfb-run); they skip without one.
#include <gtest/gtest.h>
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "run_program.h"

namespace {
namespace fs = std::filesystem;
using im2col::testing::ProgramResult;
using im2col::testing::ReadFileText;
using Json = nlohmann::json;

ProgramResult RunLab(const std::vector<std::string>& args) { return im2col::testing::RunProgram(IM2COL_LAB_EXE, args); }

bool HaveDisplay() { return std::getenv("DISPLAY") != nullptr || std::getenv("WAYLAND_DISPLAY") != nullptr; }

Json RunJson(const std::vector<std::string>& args) {
  const ProgramResult r = RunLab(args);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return Json::parse(r.out);
}

// [SECTION] quiz

// Every answer checked against the numbers `compute` prints for the same scenario.
void ExpectAnswersAgreeWithCompute(const std::vector<std::string>& selectors) {
  std::vector<std::string> quiz_args = {"quiz", "--count", "40", "--question-seed", "9"};
  std::vector<std::string> compute_args = {"compute", "--format", "json"};
  quiz_args.insert(quiz_args.end(), selectors.begin(), selectors.end());
  compute_args.insert(compute_args.end(), selectors.begin(), selectors.end());
  const Json quiz = RunJson(quiz_args);
  const Json c = RunJson(compute_args);
  ASSERT_EQ(quiz["questions"].size(), 40u);
  for (const Json& q : quiz["questions"]) {
    const std::string kind = q["kind"];
    const Json& g = q["given"];
    const Json& a = q["answer"];
    EXPECT_FALSE(q["prompt"].get<std::string>().empty());
    EXPECT_TRUE(q.contains("explanation") && q.contains("reveal_step"));
    if (kind == "output-size") {
      EXPECT_EQ(a, Json::array({c["shape"]["out_height"], c["shape"]["out_width"]}));
    } else if (kind == "matrix-shape") {
      const Json& m = c[g["matrix"].get<std::string>()];
      EXPECT_EQ(a, Json::array({m.size(), m[0].size()})) << g;
    } else if (kind == "x-col-source") {
      const double cell = c["x_col"][g["row"].get<int>()][g["col"].get<int>()];
      if (a == "padding") {
        EXPECT_EQ(cell, 0.0) << q;
      } else {  // ramp input: every pixel's value is unique, so the cell names its source
        EXPECT_EQ(cell, c["input"][a["n"].get<int>()][a["c"].get<int>()][a["y"].get<int>()][a["x"].get<int>()].get<double>()) << q;
      }
    } else if (kind == "pixel-copies") {
      const double value = c["input"][g["n"].get<int>()][g["c"].get<int>()][g["y"].get<int>()][g["x"].get<int>()];
      for (const Json& cell : a) EXPECT_EQ(c["x_col"][cell[0].get<int>()][cell[1].get<int>()].get<double>(), value) << q;
    } else if (kind == "overlap-count") {
      EXPECT_EQ(a, c["overlap"][g["y"].get<int>()][g["x"].get<int>()]) << q;
    } else if (kind == "y-value") {
      EXPECT_EQ(a.get<double>(), c["output"][g["n"].get<int>()][g["f"].get<int>()][g["y"].get<int>()][g["x"].get<int>()].get<double>()) << q;
    } else if (kind == "dx-value") {
      EXPECT_EQ(a.get<double>(), c["grad_input"][g["n"].get<int>()][g["c"].get<int>()][g["y"].get<int>()][g["x"].get<int>()].get<double>()) << q;
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
    }
  }
}

TEST(CliQuiz, AnswersAgreeWithComputeInBothLayoutsAndOrders) {
  ExpectAnswersAgreeWithCompute({});
  ExpectAnswersAgreeWithCompute({"--preset", "padding1", "--layout", "rows"});
  ExpectAnswersAgreeWithCompute({"--preset", "batch2", "--order", "column-major", "--grad-fill", "ramp"});
  ExpectAnswersAgreeWithCompute({"--preset", "dilation2", "--layout", "rows", "--order", "column-major"});
}

TEST(CliQuiz, SameSeedSameQuestionsOtherSeedOthers) {
  const ProgramResult a = RunLab({"quiz", "--question-seed", "4"});
  const ProgramResult b = RunLab({"quiz", "--question-seed", "4"});
  const ProgramResult c = RunLab({"quiz", "--question-seed", "5"});
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_EQ(Json::parse(a.out)["questions"].size(), 7u);  // the default count: one of each kind
}

TEST(CliQuiz, LevelAndKindChooseTheKinds) {
  const Json backward = RunJson({"quiz", "--level", "3", "--count", "9"});
  for (const Json& q : backward["questions"]) {
    const std::string kind = q["kind"];
    EXPECT_TRUE(kind == "dx-value" || kind == "overlap-count" || kind == "pixel-copies") << kind;
  }
  EXPECT_EQ(backward["questions"].size(), 9u);
  const Json values = RunJson({"quiz", "--kind", "y-value,dx-value", "--count", "6"});
  ASSERT_EQ(values["questions"].size(), 6u);
  for (const Json& q : values["questions"]) {
    const std::string kind = q["kind"];
    EXPECT_TRUE(kind == "y-value" || kind == "dx-value") << kind;
  }
}

TEST(CliQuiz, MarkdownWorksheetNumbersTheQuestionsAndPutsAnswersAtTheEnd) {
  const ProgramResult r = RunLab({"quiz", "--format", "markdown", "--count", "4", "--preset", "smaller-3x3-by-2x2"});
  ASSERT_EQ(r.status, 0) << r.err;
  const size_t answers = r.out.find("\n## Answers\n");
  ASSERT_NE(answers, std::string::npos) << r.out;
  EXPECT_EQ(r.out.rfind("# Practice: Smaller: 3x3 input, 2x2 kernel", 0), 0u) << r.out;
  for (const char* number : {"\n1. ", "\n2. ", "\n3. ", "\n4. "}) {
    const size_t question = r.out.find(number);
    ASSERT_LT(question, answers) << number;
    EXPECT_NE(r.out.find(number, answers), std::string::npos) << "answer " << number;
  }
  EXPECT_EQ(r.out.find("\n5. "), std::string::npos);
}

TEST(CliQuiz, BadFlagsExitTwoWithOneLineNamingTheFlag) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"quiz", "--count", "0"}, "error: --count: must be >= 1, got 0"},
      {{"quiz", "--count", "1001"}, "error: --count: must be <= 1000, got 1001"},
      {{"quiz", "--count", "many"}, "error: --count: expected an integer, got 'many'"},
      {{"quiz", "--question-seed", "-1"}, "error: --question-seed: expected an integer from 0 to"},
      {{"quiz", "--format", "xml"}, "error: --format: expected json or markdown, got 'xml'"},
      {{"quiz", "--kind", "size"}, "error: --kind: expected one or more of output-size, matrix-shape"},
      {{"quiz", "--level", "4"}, "error: --level: expected 0..3 or all, got '4'"},
      {{"quiz", "--level", "1", "--kind", "y-value"}, "error: --level: give --level or --kind, not both"},
      {{"quiz", "--kernel", "0"}, "error: --kernel: must be >= 1, got 0"},
      {{"tour"}, "error: tour: give --list, or a tour name or file to show"},
      {{"tour", "--list", "--format", "yaml"}, "error: --format: expected json or text, got 'yaml'"},
      {{"tour", "no-such-tour"}, "error: unknown tour 'no-such-tour'; available: chapter-in-ten-minutes"},
      {{"render", "--tour", "nope", "--tour-step", "0", "--out", "x.png"}, "error: --tour: unknown tour 'nope'"},
      {{"render", "--tour", "why-col2im-must-add", "--tour-step", "5", "--out", "x.png"},
       "error: --tour-step: must be 0..4 (tour 'why-col2im-must-add' has 5 steps), got '5'"},
      {{"render", "--tour", "why-col2im-must-add", "--out", "x.png"}, "error: --tour-step: required with --tour"},
      {{"render", "--tour", "why-col2im-must-add", "--tour-step", "0", "--kernel", "3", "--out", "x.png"},
       "error: --tour: the tour step chooses the scenario and the step"},
      {{"render", "--tour-step", "1", "--out", "x.png"}, "error: --tour-step: give the tour with --tour NAME"},
  };
  for (const auto& [args, expected] : cases) {
    const ProgramResult r = RunLab(args);
    EXPECT_EQ(r.status, 2) << expected;
    EXPECT_EQ(r.out, "") << expected;
    EXPECT_EQ(r.err.rfind(expected, 0), 0u) << "expected '" << expected << "', got: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_FALSE(fs::exists("x.png"));
}

// [SECTION] tour

TEST(CliTour, ListNamesTheShippedToursWithTheirStepCounts) {
  const Json list = RunJson({"tour", "--list", "--format", "json"});
  ASSERT_GE(list["tours"].size(), 3u);
  EXPECT_EQ(list["tours"][0]["name"], "chapter-in-ten-minutes");
  EXPECT_EQ(list["tours"][1]["name"], "why-col2im-must-add");
  EXPECT_EQ(list["tours"][2]["name"], "padding-stride-dilation");
  for (const Json& t : list["tours"]) {
    EXPECT_FALSE(t["title"].get<std::string>().empty());
    const Json shown = RunJson({"tour", t["name"], "--format", "json"});
    EXPECT_EQ(shown["steps"].size(), t["steps"].get<size_t>());
  }
  const ProgramResult text = RunLab({"tour", "--list"});
  EXPECT_NE(text.out.find("why-col2im-must-add  (5 steps)  Why col2im must add"), std::string::npos) << text.out;
}

// Is the pixel at (x, y) the focus orange (#E69F00) of the light theme?
bool IsFocusOrange(const unsigned char* rgb, int width, int x, int y) {
  const unsigned char* p = rgb + (static_cast<size_t>(y) * width + x) * 3;
  return std::abs(p[0] - 0xE6) < 24 && std::abs(p[1] - 0x9F) < 24 && p[2] < 40;
}

TEST(CliTourRender, EveryStepOfEveryShippedTourDrawsAndOutlinesWhatItPointsAt) {
  if (!HaveDisplay()) GTEST_SKIP() << "no display";
  const fs::path dir = fs::temp_directory_path() / ("im2col_tour_render_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  int rendered = 0;
  const Json list = RunJson({"tour", "--list", "--format", "json"});
  for (const Json& info : list["tours"]) {
    const std::string name = info["name"];
    const Json tour = RunJson({"tour", name, "--format", "json"});
    for (const Json& step : tour["steps"]) {
      const std::string k = std::to_string(step["index"].get<int>());
      const fs::path png = dir / (name + "-" + k + ".png"), layout = dir / (name + "-" + k + ".json");
      const ProgramResult r = RunLab({"render", "--tour", name, "--tour-step", k, "--out", png.string(),
                                      "--layout-json", layout.string()});  // the default 1920x1080
      ASSERT_EQ(r.status, 0) << name << " step " << k << ": " << r.err;
      ++rendered;
      const Json items = Json::parse(ReadFileText(layout))["items"];
      int width = 0, height = 0, channels = 0;
      unsigned char* rgb = stbi_load(png.c_str(), &width, &height, &channels, 3);
      ASSERT_NE(rgb, nullptr) << png;
      EXPECT_EQ(width, 1920);
      for (const Json& id : step["point_at"]) {
        const auto item = std::find_if(items.begin(), items.end(), [&](const Json& i) { return i["id"] == id; });
        ASSERT_NE(item, items.end()) << name << " step " << k << " points at " << id << ", which was not drawn";
        // The outline runs 3 px outside the item, 4 px wide: the middle of its left edge.
        const int x = static_cast<int>((*item)["x"].get<double>()) - 4;
        const int y = static_cast<int>((*item)["y"].get<double>() + (*item)["h"].get<double>() / 2);
        if (x >= 0 && y >= 0 && x < width && y < height) {
          EXPECT_TRUE(IsFocusOrange(rgb, width, x, y)) << name << " step " << k << ": no outline left of " << id;
        }
      }
      stbi_image_free(rgb);
    }
  }
  int listed = 0;
  for (const Json& info : list["tours"]) listed += info["steps"].get<int>();
  EXPECT_GE(listed, 21);  // the first three tours alone have 21 steps
  EXPECT_EQ(rendered, listed);
  fs::remove_all(dir);
}

TEST(CliTourRender, TourFilePathsWorkToo) {
  if (!HaveDisplay()) GTEST_SKIP() << "no display";
  const fs::path png = fs::temp_directory_path() / ("im2col_tour_file_" + std::to_string(::getpid()) + ".png");
  const std::string tour = (fs::path(IM2COL_LAB_SOURCE_DIR) / "assets" / "tours" / "why-col2im-must-add.json").string();
  const ProgramResult r = RunLab({"render", "--tour", tour, "--tour-step", "4", "--out", png.string(), "--size", "800x600"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(png));
  fs::remove(png);
}

}  // namespace
