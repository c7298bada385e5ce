// Tours: every shipped tour reads cleanly (valid scenarios, steps inside their
// timelines, pointed ids inside their matrices, narration of at most three
// sentences) and says true things; a malformed tour gives one line naming the file,
// the step and the field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "im2col/convolution.h"
#include "im2col/timeline.h"
#include "io/tour.h"

namespace {

using namespace im2col;

TEST(ShippedTours, AllThreeAreListedInTeachingOrderAndReadWithoutWarnings) {
  const std::vector<io::TourInfo> tours = io::ListTours();
  ASSERT_GE(tours.size(), 3u);
  EXPECT_EQ(tours[0].name, "chapter-in-ten-minutes");
  EXPECT_EQ(tours[1].name, "why-col2im-must-add");
  EXPECT_EQ(tours[2].name, "padding-stride-dilation");
  for (const io::TourInfo& info : tours) {
    const io::TourReadResult read = io::ReadTourFile(info.path);
    ASSERT_TRUE(read.ok()) << read.error;
    EXPECT_TRUE(read.tour->warnings.empty()) << read.tour->warnings.front();
    EXPECT_EQ(static_cast<int>(read.tour->steps.size()), info.steps);
    for (const io::TourStep& step : read.tour->steps) {
      EXPECT_TRUE(step.scenario.Validate().empty()) << info.name;
      EXPECT_LT(step.step, Timeline(step.scenario.shape).StepCount()) << info.name;
      EXPECT_FALSE(step.narration.empty());
      EXPECT_FALSE(step.point_at.empty()) << info.name << ": every step points at something";
      for (const std::string& id : step.point_at) EXPECT_EQ(io::CheckPointId(step.scenario, id), "") << id;
    }
  }
}

const io::Tour LoadShipped(const std::string& name) {
  const io::TourReadResult read = io::LoadTour(name);
  EXPECT_TRUE(read.ok()) << read.error;
  return read.ok() ? *read.tour : io::Tour{};
}

TEST(ShippedTours, ChapterTourNumbersAreTheScenariosOwn) {
  const io::Tour tour = LoadShipped("chapter-in-ten-minutes");
  ASSERT_EQ(tour.steps.size(), 10u);
  const Shape& alexnet = tour.steps[0].scenario.shape;  // "X_col is 363 x 3025", "W_row is 96 x 363"
  EXPECT_EQ(alexnet.height, 227);
  EXPECT_EQ(alexnet.OutHeight(), 55);
  EXPECT_EQ(alexnet.PatchSize(), 363);
  EXPECT_EQ(alexnet.ColumnCount(), 3025);
  EXPECT_EQ(alexnet.filters, 96);
  const Shape& chapter = tour.steps[4].scenario.shape;  // "X_col is 12 x 9"
  EXPECT_EQ(chapter.PatchSize(), 12);
  EXPECT_EQ(chapter.ColumnCount(), 9);
  const Computation centre = Compute(tour.steps[8].scenario);  // "4 gradients add up there"
  EXPECT_EQ(centre.overlap(1, 1), 4);
  const Computation smallest = Compute(tour.steps[9].scenario);  // "Y = [37, 47, 67, 77]"
  EXPECT_EQ(std::vector<double>(smallest.y_mat.data(), smallest.y_mat.data() + smallest.y_mat.size()),
            (std::vector<double>{37, 47, 67, 77}));
}

TEST(ShippedTours, Col2imTourSumAndOverwriteAreTheComputedOnes) {
  const io::Tour tour = LoadShipped("why-col2im-must-add");
  ASSERT_EQ(tour.steps.size(), 5u);
  EXPECT_FALSE(Compute(tour.steps[0].scenario).PatchesOverlap());
  const Computation overlapping = Compute(tour.steps[3].scenario);
  EXPECT_EQ(overlapping.shape.ColumnCount(), 9);             // "X_col is 4 x 9"
  EXPECT_EQ(overlapping.overlap(1, 1), 4);                   // "copied 4 times"
  EXPECT_EQ(overlapping.grad_input(0, 0, 1, 1), 10.0);       // "4 + 3 + 2 + 1 = 10"
  EXPECT_EQ(overlapping.grad_input_overwrite(0, 0, 1, 1), 1.0);  // "shows 1 instead of 10"
  EXPECT_TRUE(tour.steps[4].overwrite);
  EXPECT_EQ(tour.steps[4].step, Timeline(tour.steps[4].scenario.shape).StepCount() - 1);
}

TEST(ShippedTours, PaddingTourOutputSizesMatchItsFormulas) {
  const io::Tour tour = LoadShipped("padding-stride-dilation");
  ASSERT_EQ(tour.steps.size(), 6u);
  const int expected[] = {3, 5, 2, 2, 3, 2};
  for (size_t i = 0; i < tour.steps.size(); ++i) EXPECT_EQ(tour.steps[i].scenario.shape.OutHeight(), expected[i]) << i;
  EXPECT_EQ(tour.steps[5].scenario.shape.UnvisitedRows(), 1);  // "the last row ... never visited"
}

// [SECTION] Malformed tours

std::string Wrap(const std::string& step) {
  return R"({"format": "im2col-lab-tour", "version": 1, "title": "T", "steps": [)" + step + "]}";
}

std::string ErrorOf(const std::string& text) {
  const io::TourReadResult read = io::ParseTourJson(text, "lesson.json");
  EXPECT_FALSE(read.ok()) << text;
  EXPECT_EQ(read.error.find('\n'), std::string::npos) << read.error;
  return read.error;
}

TEST(MalformedTours, EveryProblemNamesTheFileTheStepAndTheField) {
  const std::string ok_tail = R"(, "narration": "Look.")";
  const std::pair<std::string, std::string> cases[] = {
      {"{", "lesson.json: "},
      {R"({"format": "other", "version": 1, "title": "T", "steps": []})", "lesson.json: format: expected \"im2col-lab-tour\""},
      {R"({"format": "im2col-lab-tour", "version": 2, "title": "T", "steps": []})", "lesson.json: version: expected 1"},
      {R"({"format": "im2col-lab-tour", "version": 1, "steps": []})", "lesson.json: title: expected a non-empty string"},
      {R"({"format": "im2col-lab-tour", "version": 1, "title": "T", "steps": []})", "lesson.json: steps: expected a non-empty array"},
      {Wrap(R"({"preset": "nope")" + ok_tail + "}"), "lesson.json: steps[0].preset: unknown preset 'nope'; available: "},
      {Wrap(R"({"preset": "chapter-4x4x3", "scenario": {})" + ok_tail + "}"), "lesson.json: steps[0]: give \"preset\" or \"scenario\", not both"},
      {Wrap(R"({"narration": "Look."})"), "lesson.json: steps[0]: missing \"preset\" or \"scenario\""},
      {Wrap(R"({"preset": "chapter-4x4x3", "step": 150)" + ok_tail + "}"),
       "lesson.json: steps[0].step: must be 0..149 (this scenario has 150 steps), got 150"},
      {Wrap(R"({"preset": "chapter-4x4x3", "step": -1)" + ok_tail + "}"), "lesson.json: steps[0].step: must be 0..149"},
      {Wrap(R"({"preset": "chapter-4x4x3", "step": "3")" + ok_tail + "}"), "lesson.json: steps[0].step: expected a whole number"},
      {Wrap(R"({"preset": "chapter-4x4x3", "phase": "gemm")" + ok_tail + "}"), "lesson.json: steps[0].phase: expected one of extract, flatten"},
      {Wrap(R"({"preset": "chapter-4x4x3", "phase": "col2im", "phase_step": 9)" + ok_tail + "}"),
       "lesson.json: steps[0].phase_step: must be -9..8 (col2im has 9 steps"},
      {Wrap(R"({"preset": "chapter-4x4x3", "step": 1, "phase": "col2im")" + ok_tail + "}"), "lesson.json: steps[0]: give \"step\" or \"phase\""},
      {Wrap(R"({"preset": "chapter-4x4x3", "narration": "  "})"), "lesson.json: steps[0].narration: is empty"},
      {Wrap(R"({"preset": "chapter-4x4x3"})"), "lesson.json: steps[0].narration: missing"},
      {Wrap(R"({"preset": "chapter-4x4x3", "narate": "x"})"), "lesson.json: steps[0].narate: unknown field"},
      {Wrap(R"({"preset": "chapter-4x4x3", "point_at": ["panel:stage", "x_col<0,0>"])" + ok_tail + "}"),
       "lesson.json: steps[0].point_at[1]: expected an id like x_col[0,0]"},
      {Wrap(R"({"preset": "chapter-4x4x3", "point_at": ["x_col[12,0]"])" + ok_tail + "}"),
       "lesson.json: steps[0].point_at[0]: 'x_col[12,0]' is outside x_col, which is 12 x 9 as displayed"},
      {Wrap(R"({"preset": "chapter-4x4x3", "point_at": ["input[0,0,1]"])" + ok_tail + "}"),
       "lesson.json: steps[0].point_at[0]: 'input[0,0,1]': input takes 4 indices, got 3"},
      {Wrap(R"({"preset": "chapter-4x4x3", "point_at": ["xcol[0,0]"])" + ok_tail + "}"), "steps[0].point_at[0]: unknown name 'xcol'"},
      {Wrap(R"({"preset": "chapter-4x4x3", "point_at": ["panel:"])" + ok_tail + "}"), "steps[0].point_at[0]: 'panel:' needs a name"},
      {Wrap(R"({"preset": "chapter-4x4x3", "set": {"kernel": 0})" + ok_tail + "}"), "lesson.json: steps[0].set.kernel: must be >= 1, got 0"},
      {Wrap(R"({"preset": "chapter-4x4x3", "set": {"colour": "red"})" + ok_tail + "}"), "lesson.json: steps[0].set.colour: unknown flag"},
      {Wrap(R"({"preset": "chapter-4x4x3", "set": {"kernel": 9})" + ok_tail + "}"), "lesson.json: steps[0]: kernel"},
      {Wrap(R"({"preset": "chapter-4x4x3", "set": {"layout": "diagonal"})" + ok_tail + "}"), "lesson.json: steps[0].set.layout: expected columns or rows"},
      {Wrap(R"({"scenario": {"shape": {"kernel": "big"}})" + ok_tail + "}"), "lesson.json: steps[0].scenario"},
      {Wrap(R"({"preset": "chapter-4x4x3", "overwrite": "yes")" + ok_tail + "}"), "lesson.json: steps[1].overwrite"},
  };
  for (const auto& [text, expected] : cases) {
    if (expected == "lesson.json: steps[1].overwrite") {  // the same check one step later
      const std::string two = Wrap(R"({"preset": "chapter-4x4x3")" + ok_tail + R"(}, {"preset": "chapter-4x4x3", "overwrite": "yes")" + ok_tail + "}");
      EXPECT_NE(ErrorOf(two).find(expected), std::string::npos) << ErrorOf(two);
      continue;
    }
    const std::string error = ErrorOf(text);
    EXPECT_NE(error.find(expected), std::string::npos) << "expected '" << expected << "' in: " << error;
  }
}

TEST(MalformedTours, PointedCellsFollowTheDisplayedLayout) {
  // Rows layout shows X_row = X_col^T, 9 x 12: [8,11] exists, [11,8] does not.
  const std::string rows = Wrap(R"({"preset": "chapter-4x4x3", "set": {"layout": "rows"}, "narration": "Look.", "point_at": ["x_col[8,11]"]})");
  EXPECT_TRUE(io::ParseTourJson(rows, "rows.json").ok()) << io::ParseTourJson(rows, "rows.json").error;
  const std::string wrong = Wrap(R"({"preset": "chapter-4x4x3", "set": {"layout": "rows"}, "narration": "Look.", "point_at": ["x_col[11,8]"]})");
  EXPECT_NE(ErrorOf(wrong).find("is outside x_col, which is 9 x 12"), std::string::npos);
}

TEST(MalformedTours, LongNarrationIsAWarningNotAnError) {
  const io::TourReadResult read = io::ParseTourJson(
      Wrap(R"({"preset": "chapter-4x4x3", "narration": "One. Two. Three. Four."})"), "long.json");
  ASSERT_TRUE(read.ok()) << read.error;
  ASSERT_EQ(read.tour->warnings.size(), 1u);
  EXPECT_EQ(read.tour->warnings[0], "long.json: steps[0].narration: 4 sentences; keep it to 3 so it fits the panel");
  EXPECT_EQ(read.tour->name, "long");
}

TEST(MalformedTours, PhaseStepsCountFromEitherEnd) {
  const io::TourReadResult read = io::ParseTourJson(
      Wrap(R"({"preset": "chapter-4x4x3", "phase": "col2im", "narration": "a"}, {"preset": "chapter-4x4x3", "phase": "col2im", "phase_step": -1, "narration": "b"}, {"preset": "chapter-4x4x3", "phase": "multiply", "phase_step": 2, "narration": "c"})"),
      "phases.json");
  ASSERT_TRUE(read.ok()) << read.error;
  const Timeline t(read.tour->steps[0].scenario.shape);
  EXPECT_EQ(read.tour->steps[0].step, t.PhaseBegin(Phase::Col2im));
  EXPECT_EQ(read.tour->steps[1].step, t.StepCount() - 1);
  EXPECT_EQ(read.tour->steps[2].step, t.PhaseBegin(Phase::Multiply) + 2);
}

TEST(TourLookup, ByNameByPathAndUnknownNamesListTheTours) {
  EXPECT_TRUE(io::LoadTour("why-col2im-must-add").ok());
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / ("im2col_tour_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << Wrap(R"({"preset": "smaller-3x3-by-2x2", "narration": "Small."})");
  const io::TourReadResult by_path = io::LoadTour(path.string());
  EXPECT_TRUE(by_path.ok()) << by_path.error;
  fs::remove(path);
  const io::TourReadResult missing = io::LoadTour(path.string());
  EXPECT_NE(missing.error.find("cannot open"), std::string::npos) << missing.error;
  const io::TourReadResult unknown = io::LoadTour("nope");
  EXPECT_EQ(unknown.error.rfind("unknown tour 'nope'; available: chapter-in-ten-minutes, why-col2im-must-add", 0), 0u)
      << unknown.error;
  EXPECT_FALSE(io::LoadTour("../presets/x").ok());
}

}  // namespace
