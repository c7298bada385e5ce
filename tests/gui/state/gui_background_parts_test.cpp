// Background work in parts, for a page without worker threads (the browser build): a
// LatestTask whose caller runs one part per frame, and a large scenario computed in
// parts (forward, weight gradients, input gradients, packing) that match core's
// all-at-once Compute.
// No display needed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/state/background_task.h"
#include "gui/state/scenario_compute.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
using namespace std::chrono_literals;

// Work of `parts` parts that logs "<tag><part>" as each runs and returns `tag` at the end.
LatestTask<int>::PartedWork Counted(int tag, int parts, std::vector<int>* log) {
  auto next = std::make_shared<int>(0);
  return [=](const std::atomic<bool>&) -> std::optional<int> {
    log->push_back(tag * 10 + *next);
    if (++*next < parts) return std::nullopt;
    return tag;
  };
}

Scenario Large() {  // X_col 75 x 3600 = 270,000 cells: above the background threshold
  Scenario s;
  s.shape.height = s.shape.width = 64;
  s.shape.kernel = {5, 5};
  s.shape.filters = 2;
  s.shape.padding = {1, 2};
  s.input.fill = Fill::Random;
  return s;
}

TEST(LatestTaskInParts, TheCallerRunsOnePartPerCallAndGetsTheResultAfterTheLast) {
  LatestTask<int> task(TaskRunner::CallerInParts);
  std::vector<int> log;
  task.StartInParts(Counted(1, 3, &log));
  EXPECT_TRUE(log.empty()) << "nothing runs inside Start: the page's frame must not block";
  EXPECT_TRUE(task.Busy());
  EXPECT_TRUE(task.RunPart());
  EXPECT_TRUE(task.RunPart());
  EXPECT_TRUE(task.Busy());
  EXPECT_FALSE(task.Take().has_value());
  EXPECT_FALSE(task.RunPart()) << "the last part";
  EXPECT_EQ(log, (std::vector<int>{10, 11, 12}));
  EXPECT_FALSE(task.Busy());
  EXPECT_EQ(task.Take().value_or(0), 1);
  EXPECT_FALSE(task.RunPart()) << "nothing left to run";
  EXPECT_EQ(log.size(), 3u);
}

TEST(LatestTaskInParts, ANewerRequestReplacesTheRestOfTheOlderOne) {
  LatestTask<int> task(TaskRunner::CallerInParts);
  std::vector<int> log;
  task.StartInParts(Counted(1, 3, &log));
  task.RunPart();
  task.StartInParts(Counted(2, 2, &log));
  while (task.RunPart()) {
  }
  EXPECT_EQ(log, (std::vector<int>{10, 20, 21})) << "the older request's later parts never run";
  EXPECT_EQ(task.Take().value_or(0), 2);
}

TEST(LatestTaskInParts, CancelAndAThrowingPartEndTheRequestWithoutAResult) {
  LatestTask<int> task(TaskRunner::CallerInParts);
  std::vector<int> log;
  task.StartInParts(Counted(1, 3, &log));
  task.RunPart();
  task.Cancel();
  EXPECT_FALSE(task.Busy());
  EXPECT_FALSE(task.RunPart());
  EXPECT_EQ(log.size(), 1u);
  task.Start([](const std::atomic<bool>&) -> int { throw std::runtime_error("boom"); });
  EXPECT_FALSE(task.RunPart());
  EXPECT_FALSE(task.Busy());
  EXPECT_FALSE(task.Take().has_value());
  task.Start([](const std::atomic<bool>&) { return 5; });  // one-part work, as natively
  EXPECT_FALSE(task.RunPart());
  EXPECT_EQ(task.Take().value_or(0), 5);
}

TEST(LatestTaskInParts, AWorkerRunsThePartsBackToBackAndRunPartLeavesThemAlone) {
  LatestTask<int> task;  // a worker thread here
  std::vector<int> log;  // written by the worker only, read after Busy() ends
  task.StartInParts(Counted(3, 4, &log));
  EXPECT_FALSE(task.RunPart()) << "a worker's parts are not the caller's to run";
  for (int i = 0; i < 4000 && task.Busy(); ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(task.Take().value_or(0), 3);
  EXPECT_EQ(log, (std::vector<int>{30, 31, 32, 33}));
}

void ExpectSameMatrix(const Matrix& a, const Matrix& b, const char* name) {
  ASSERT_EQ(a.rows(), b.rows()) << name;
  ASSERT_EQ(a.cols(), b.cols()) << name;
  EXPECT_TRUE(a == b) << name;
}

TEST(ScenarioComputeJob, FourPartsGiveCoresComputationAndThePackedMatrices) {
  for (const bool beside : {false, true}) {
    SCOPED_TRACE(beside ? "packed beside the backward half" : "packed in a part of its own");
    ScenarioComputeJob job(Large(), 1, Phase::Multiply, nullptr, beside);
    EXPECT_FALSE(job.RunNextPart().has_value()) << "the forward pass";
    EXPECT_FALSE(job.RunNextPart().has_value()) << "the weight gradients";
    EXPECT_FALSE(job.RunNextPart().has_value()) << "the input gradients";
    const std::optional<ComputedScenario> done = job.RunNextPart();
    ASSERT_TRUE(done.has_value());
    ASSERT_TRUE(done->error.empty()) << done->error;
    EXPECT_TRUE(done->scenario == Large());
    const Computation whole = Compute(Large());
    ExpectSameMatrix(done->computation->x_col, whole.x_col, "x_col");
    ExpectSameMatrix(done->computation->y_mat, whole.y_mat, "y_mat");
    ExpectSameMatrix(done->computation->grad_x_col, whole.grad_x_col, "grad_x_col");
    ExpectSameMatrix(done->computation->grad_w_row, whole.grad_w_row, "grad_w_row");
    EXPECT_EQ(done->computation->grad_input.data, whole.grad_input.data);
    EXPECT_EQ(done->computation->grad_bias, whole.grad_bias);
    EXPECT_EQ(done->timeline->StepCount(), Timeline(Large().shape).StepCount());
    ASSERT_NE(done->packed, nullptr);
    EXPECT_EQ(done->packed->computation, done->computation);
    for (const MatrixId id : {MatrixId::XCol, MatrixId::WRow, MatrixId::YMat}) {
      EXPECT_NE(done->packed->Find(id), nullptr) << ToString(id) << " is in focus while multiplying";
    }
    EXPECT_EQ(done->packed->Find(MatrixId::GradXCol), nullptr);
    EXPECT_FALSE(done->packed->x_col_padding.empty());
  }
}

TEST(ScenarioComputeJob, CoresRefusalEndsTheFirstPartWithTheReason) {
  Scenario broken = Large();
  broken.shape.kernel = {99, 99};  // larger than the padded input
  ScenarioComputeJob job(broken, 1, Phase::Extract, nullptr, false);
  const std::optional<ComputedScenario> done = job.RunNextPart();
  ASSERT_TRUE(done.has_value());
  EXPECT_NE(done->error.find("could not compute this scenario"), std::string::npos) << done->error;
  EXPECT_EQ(done->computation, nullptr);
}

TEST(BackgroundComputeInParts, ALargeEditIsComputedOverFourFramesWhileTheOldOneStaysShown) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>(TaskRunner::CallerInParts);
  PushIntent(state, intent::SetScenario{Large()});
  ApplyIntents(state);
  int frames = 0;
  while (true) {
    ASSERT_TRUE(state.scenario == Scenario{}) << "frame " << frames << ": the old result stays shown";
    ASSERT_TRUE(IsComputing(state));
    ++frames;
    const bool more = RunBackgroundParts(state);
    PollBackgroundWork(state);  // what AdvancePlayback does next in the frame
    if (!more) break;
    ASSERT_LT(frames, 10);
  }
  EXPECT_EQ(frames, 4);
  EXPECT_FALSE(IsComputing(state));
  EXPECT_TRUE(state.scenario == Large());
  EXPECT_EQ(state.computation->shape, Large().shape);
  ASSERT_NE(state.packed, nullptr);
  EXPECT_NE(state.packed->Find(MatrixId::XCol), nullptr);
}

TEST(BackgroundComputeInParts, ACostMeasurementWaitsWhileTheComputeRunsItsParts) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>(TaskRunner::CallerInParts);
  state.cost.task = std::make_shared<LatestTask<CostMeasurement>>(TaskRunner::CallerInParts);
  PushIntent(state, intent::SetScenario{Large()});
  PushIntent(state, intent::MeasureCost{1});
  ApplyIntents(state);
  ASSERT_TRUE(state.cost.task->Busy());
  EXPECT_TRUE(RunBackgroundParts(state));  // forward
  EXPECT_TRUE(RunBackgroundParts(state));  // weight gradients
  EXPECT_TRUE(RunBackgroundParts(state));  // input gradients
  EXPECT_TRUE(state.cost.task->HasPartToRun()) << "one part a frame in all";
  EXPECT_TRUE(RunBackgroundParts(state));  // packing; the measurement is still to run
  EXPECT_FALSE(IsComputing(state));
  EXPECT_FALSE(RunBackgroundParts(state));  // the measurement, in one part
  PollBackgroundWork(state);
  EXPECT_FALSE(state.cost.task->Busy());
  EXPECT_FALSE(state.cost.measuring);
}

}  // namespace
