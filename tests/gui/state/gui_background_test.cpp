// Work off the UI thread: LatestTask's latest-wins rule, large scenarios computed on
// the worker while the views keep the last result, and the Cost section's timing
// measurement. No display needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <thread>

#include "gui/state/app_state.h"
#include "gui/state/background_task.h"
#include "gui/gpu/matrix_texture.h"
#include "im2col/im2col.h"

namespace {

using namespace im2col;
using namespace im2col::gui;
using namespace std::chrono_literals;

// Polls like the window loop does, until `done` or ~20 s.
template <typename Done>
bool PollUntil(AppState& state, Done done) {
  for (int i = 0; i < 4000; ++i) {
    PollBackgroundWork(state);
    if (done()) {
      PollBackgroundWork(state);  // a result that landed just now is handled too
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

template <typename Result>
std::optional<Result> WaitFor(LatestTask<Result>& task) {
  for (int i = 0; i < 4000 && task.Busy(); ++i) std::this_thread::sleep_for(5ms);
  return task.Take();
}

Scenario Large() {  // X_col 75 x 3600 = 270,000 cells: above the worker threshold
  Scenario s;
  s.shape.height = s.shape.width = 64;
  s.shape.kernel = {5, 5};
  s.shape.filters = 2;
  return s;
}

TEST(LatestTask, ReturnsTheResultOnceAndIsIdleAfterwards) {
  LatestTask<int> task;
  EXPECT_FALSE(task.Busy());
  EXPECT_FALSE(task.Take().has_value());
  task.Start([](const std::atomic<bool>&) { return 42; });
  const std::optional<int> result = WaitFor(task);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(*result, 42);
  EXPECT_FALSE(task.Busy());
  EXPECT_FALSE(task.Take().has_value()) << "a result is handed over once";
}

TEST(LatestTask, OnlyTheNewestRequestsResultIsKept) {
  LatestTask<int> task;
  std::atomic<bool> first_saw_cancel{false};
  std::atomic<bool> first_running{false};
  task.Start([&](const std::atomic<bool>& cancelled) {
    first_running = true;
    for (int i = 0; i < 2000 && !cancelled.load(); ++i) std::this_thread::sleep_for(1ms);
    first_saw_cancel = cancelled.load();
    return 1;
  });
  while (!first_running) std::this_thread::sleep_for(1ms);
  task.Start([](const std::atomic<bool>&) { return 2; });
  task.Start([](const std::atomic<bool>&) { return 3; });  // replaces the queued 2
  const std::optional<int> result = WaitFor(task);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(*result, 3);
  EXPECT_TRUE(first_saw_cancel) << "the running task is told it is stale";
  EXPECT_FALSE(task.Busy());
}

TEST(LatestTask, CancelDropsTheResultAndEndsBusy) {
  LatestTask<int> task;
  task.Start([](const std::atomic<bool>& cancelled) {
    for (int i = 0; i < 2000 && !cancelled.load(); ++i) std::this_thread::sleep_for(1ms);
    return 7;
  });
  task.Cancel();
  for (int i = 0; i < 4000 && task.Busy(); ++i) std::this_thread::sleep_for(1ms);
  EXPECT_FALSE(task.Busy());
  EXPECT_FALSE(task.Take().has_value());
  task.Cancel();  // cancelling when idle is harmless
  EXPECT_FALSE(task.Busy());
}

TEST(LatestTask, AThrowingTaskEndsWithoutAResultAndTheWorkerLives) {
  LatestTask<int> task;
  task.Start([](const std::atomic<bool>&) -> int { throw std::runtime_error("boom"); });
  EXPECT_FALSE(WaitFor(task).has_value());
  EXPECT_FALSE(task.Busy());
  task.Start([](const std::atomic<bool>&) { return 5; });
  EXPECT_EQ(WaitFor(task).value_or(0), 5);
}

TEST(LatestTask, DestroyingWhileBusyJoinsCleanly) {
  auto task = std::make_unique<LatestTask<int>>();
  task->Start([](const std::atomic<bool>& cancelled) {
    while (!cancelled.load()) std::this_thread::sleep_for(1ms);
    return 0;
  });
  task.reset();  // must cancel and join, not hang or crash
  SUCCEED();
}

TEST(LatestTask, DisposedGarbageIsFreedOnTheWorkerThread) {
  LatestTask<int> task;
  std::atomic<bool> freed{false};
  std::thread::id freed_on;
  std::shared_ptr<int> garbage(new int(3), [&](int* p) {
    freed_on = std::this_thread::get_id();
    delete p;
    freed = true;
  });
  task.Dispose(std::move(garbage));
  for (int i = 0; i < 4000 && !freed; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(freed);
  EXPECT_NE(freed_on, std::this_thread::get_id());
  EXPECT_FALSE(task.Busy()) << "disposing is not a request";
  task.Start([](const std::atomic<bool>&) { return 9; });
  EXPECT_EQ(WaitFor(task).value_or(0), 9);
}

TEST(BackgroundCompute, LargeScenarioIsComputedOnTheWorkerWhileTheOldOneStaysShown) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  const Index generation = state.scenario_generation;
  PushIntent(state, intent::SetScenario{Large()});
  ApplyIntents(state);
  // Right after the edit the views still show the last result, consistently.
  EXPECT_TRUE(state.edited == Large());
  EXPECT_TRUE(state.scenario == Scenario{});
  EXPECT_EQ(state.computation->shape, Scenario{}.shape);
  EXPECT_EQ(state.scenario_generation, generation);
  ASSERT_TRUE(PollUntil(state, [&] { return state.scenario == Large(); }));
  EXPECT_FALSE(IsComputing(state));
  EXPECT_EQ(state.computation->shape, Large().shape);
  EXPECT_EQ(state.timeline->StepCount(), Timeline(Large().shape).StepCount());
  EXPECT_GT(state.scenario_generation, generation);
  EXPECT_TRUE(state.errors.empty());
}

TEST(BackgroundCompute, SmallScenariosAreAdoptedAtOnceEvenWithAWorker) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  PushIntent(state, intent::SetShapeField{ShapeField::Filters, 3});
  ApplyIntents(state);
  EXPECT_EQ(state.scenario.shape.filters, 3);
  EXPECT_FALSE(IsComputing(state));
}

TEST(BackgroundCompute, ASmallEditOvertakesAPendingLargeOne) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  PushIntent(state, intent::SetScenario{Large()});
  ApplyIntents(state);
  Scenario small;
  small.shape.filters = 2;
  PushIntent(state, intent::SetScenario{small});
  ApplyIntents(state);
  EXPECT_TRUE(state.scenario == small);
  // The large result, if it still arrives, must not replace what the controls ask for.
  EXPECT_TRUE(PollUntil(state, [&] { return !IsComputing(state); }));
  EXPECT_TRUE(state.scenario == small);
  EXPECT_TRUE(state.edited == small);
}

TEST(BackgroundCompute, GoingBackToTheShownScenarioCancelsThePendingOne) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  PushIntent(state, intent::SetScenario{Large()});
  PushIntent(state, intent::SetScenario{Scenario{}});
  ApplyIntents(state);
  EXPECT_TRUE(PollUntil(state, [&] { return !IsComputing(state); }));
  EXPECT_TRUE(state.scenario == Scenario{});
  EXPECT_FALSE(IsComputing(state));
}

TEST(BackgroundCompute, AnInvalidEditWhileComputingKeepsItsErrorsAndTheOldResult) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  PushIntent(state, intent::SetScenario{Large()});
  ApplyIntents(state);
  PushIntent(state, intent::SetShapeField{ShapeField::StrideH, 0});
  ApplyIntents(state);
  EXPECT_FALSE(state.errors.empty());
  EXPECT_TRUE(PollUntil(state, [&] { return !IsComputing(state); }));
  EXPECT_FALSE(state.errors.empty()) << "the stride error must stay visible";
  EXPECT_TRUE(state.scenario == Scenario{}) << "a result the controls no longer ask for is not shown";
}

TEST(BackgroundCompute, TheWorkerPacksTheMatricesInFocusForTheGpu) {
  AppState state = MakeAppState(Scenario{});  // step 0: extract
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  Scenario padded = Large();
  padded.shape.padding = {2, 1};
  padded.input.fill = Fill::Random;
  PushIntent(state, intent::SetScenario{padded});
  ApplyIntents(state);
  ASSERT_TRUE(PollUntil(state, [&] { return state.scenario == padded; }));
  ASSERT_NE(state.packed, nullptr);
  EXPECT_EQ(state.packed->computation, state.computation);
  EXPECT_EQ(state.packed->Find(MatrixId::GradXCol), nullptr) << "not in focus while extracting: packed when shown";
  const PackedCells* x_col = state.packed->Find(MatrixId::XCol);
  ASSERT_NE(x_col, nullptr);
  const Matrix& values = state.computation->x_col;
  ASSERT_EQ(x_col->rows, values.rows());
  ASSERT_EQ(x_col->cols, values.cols());
  ASSERT_GE(static_cast<Index>(x_col->texels.size()), values.size());
  // Every cell: its value as float, or a NaN for a padding zero (from core, not from the packer).
  const std::vector<std::uint8_t> padding = PaddingCells(padded.shape, padded.order);
  ASSERT_EQ(state.packed->x_col_padding, padding);
  double max_abs = 0.0;
  long long padding_cells = 0;
  for (Index i = 0; i < values.size(); ++i) {
    const size_t k = static_cast<size_t>(i);
    ASSERT_EQ(IsPaddingTexel(x_col->texels[k]), padding[k] != 0) << "cell " << i;
    if (!padding[k]) ASSERT_EQ(x_col->texels[k], static_cast<float>(values.data()[i])) << "cell " << i;
    if (!padding[k]) max_abs = std::max(max_abs, std::abs(values.data()[i]));
    padding_cells += padding[k];
  }
  EXPECT_GT(padding_cells, 0);
  EXPECT_EQ(x_col->max_abs, max_abs);
  // What the stage uploads for X_col: the packed texels, and no copy of the values.
  const MatrixUpload upload = PackedMatrices::UploadFor(state.packed, MatrixId::XCol, false, 5);
  EXPECT_EQ(upload.packed, x_col);
  EXPECT_EQ(upload.values, values.data());
  EXPECT_EQ(upload.padding, state.packed->x_col_padding.data());
  EXPECT_NE(upload.owner, nullptr);
}

TEST(BackgroundCompute, AResultForAnOlderRequestIsNeverShown) {
  Scenario older = Large(), newer = Large();
  newer.shape.filters = 3;
  for (const bool older_finished_first : {false, true}) {
    SCOPED_TRACE(older_finished_first ? "older result ready but not taken" : "older still computing");
    AppState state = MakeAppState(Scenario{});
    state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
    PushIntent(state, intent::SetScenario{older});
    ApplyIntents(state);
    if (older_finished_first) {
      for (int i = 0; i < 4000 && state.compute_task->Busy(); ++i) std::this_thread::sleep_for(1ms);
    }
    PushIntent(state, intent::SetScenario{newer});
    ApplyIntents(state);
    bool older_shown = false;
    for (int i = 0; i < 20000 && !(state.scenario == newer); ++i) {
      PollBackgroundWork(state);
      older_shown |= state.scenario == older || state.computation->shape == older.shape;
      std::this_thread::sleep_for(1ms);
    }
    EXPECT_FALSE(older_shown);
    EXPECT_TRUE(state.scenario == newer);
    EXPECT_EQ(state.computation->shape, newer.shape);
    ASSERT_NE(state.packed, nullptr);
    EXPECT_EQ(state.packed->computation, state.computation) << "the packed matrices belong to the shown result";
  }
}

TEST(BackgroundCompute, TheReplacedResultIsFreedOnTheWorker) {
  AppState state = MakeAppState(Scenario{});
  state.compute_task = std::make_shared<LatestTask<ComputedScenario>>();
  PushIntent(state, intent::SetScenario{Large()});
  ApplyIntents(state);
  ASSERT_TRUE(PollUntil(state, [&] { return state.scenario == Large(); }));
  const std::weak_ptr<const Computation> first = state.computation;
  const std::weak_ptr<const PackedMatrices> first_packed = state.packed;
  Scenario next = Large();
  next.seed = 7;
  PushIntent(state, intent::SetScenario{next});
  ApplyIntents(state);
  ASSERT_TRUE(PollUntil(state, [&] { return state.scenario == next; }));
  // The next polls hand it to the worker, which frees it.
  EXPECT_TRUE(PollUntil(state, [&] { return first.expired() && first_packed.expired(); }));
  EXPECT_TRUE(state.retired.empty());
}

TEST(CostMeasurement, MeasuresTheShownShapeOnAWorker) {
  AppState state = MakeAppState(Scenario{});
  PushIntent(state, intent::MeasureCost{1});
  ApplyIntents(state);
  EXPECT_TRUE(state.cost.measuring);
  ASSERT_TRUE(PollUntil(state, [&] { return !state.cost.measuring; }));
  ASSERT_TRUE(state.cost.report.has_value()) << state.cost.error;
  const TimingReport& report = *state.cost.report;
  EXPECT_EQ(report.shape, Scenario{}.shape);
  EXPECT_EQ(report.threads, 1);
  ASSERT_NE(report.Find("loops-forward"), nullptr);
  ASSERT_NE(report.Find("im2col-gemm-forward"), nullptr);
  EXPECT_GT(report.Find("loops-forward")->ms, 0.0);
  EXPECT_LT(report.max_relative_difference, 1e-4);
  EXPECT_EQ(report.x_col_bytes, 12 * 9 * 4);
}

TEST(CostMeasurement, CancelStopsIt) {
  AppState state = MakeAppState(Large());
  PushIntent(state, intent::MeasureCost{1});
  ApplyIntents(state);
  PushIntent(state, intent::CancelCost{});
  ApplyIntents(state);
  EXPECT_FALSE(state.cost.measuring);
  ASSERT_TRUE(PollUntil(state, [&] { return !HasBackgroundWork(state); }));
  EXPECT_FALSE(state.cost.report.has_value());
}

}  // namespace
