// Work too slow for the UI thread (computing an AlexNet-size scenario, timing loops
// against im2col) runs on one worker thread per task kind. Latest wins: starting a
// task while another runs tells the running one to cancel and drops its result, so
// dragging a slider never queues up stale work and the UI only ever adopts the
// result of the newest request. The UI polls with Take() between frames, and can hand
// replaced results back to be freed off the UI thread (Dispose).
//
// Work may come in parts (StartInParts): a function called again and again until it
// returns its result. A worker runs the parts back to back; a page without threads
// (the browser build) runs one part per frame through RunPart(), so a long compute
// never blocks the page for longer than its largest part.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace im2col::gui {

// Who runs the work: a worker thread, or the caller, one part per RunPart() call.
enum class TaskRunner { WorkerThread, CallerInParts };

// The browser build has no threads; everywhere else a worker runs the work.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
inline constexpr TaskRunner kDefaultTaskRunner = TaskRunner::CallerInParts;
#else
inline constexpr TaskRunner kDefaultTaskRunner = TaskRunner::WorkerThread;
#endif

template <typename Result>
class LatestTask {
 public:
  TaskRunner runner() const { return runner_; }

  // Gets a flag that turns true when the result is no longer wanted.
  using Work = std::function<Result(const std::atomic<bool>& cancelled)>;
  // Does the next part of the work: nullopt while parts remain, the result after the last.
  using PartedWork = std::function<std::optional<Result>(const std::atomic<bool>& cancelled)>;

  explicit LatestTask(TaskRunner runner = kDefaultTaskRunner) : runner_(runner) {}
  LatestTask(const LatestTask&) = delete;
  LatestTask& operator=(const LatestTask&) = delete;
  ~LatestTask() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      cancelled_.store(true);
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

  // Called on the worker thread after each finished task (e.g. glfwPostEmptyEvent,
  // so a window waiting for events draws the result at once). Set before Start.
  void SetOnFinished(std::function<void()> on_finished) {
    std::lock_guard<std::mutex> lock(mutex_);
    on_finished_ = std::move(on_finished);
  }

  // Runs `work` next; a queued task is replaced and the running one cancelled.
  void Start(Work work) {
    StartInParts([work = std::move(work)](const std::atomic<bool>& cancelled) -> std::optional<Result> {
      return work(cancelled);
    });
  }

  // Like Start, for work in parts. Between parts a newer request stops it.
  void StartInParts(PartedWork work) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queued_ = std::move(work);
      ++latest_;
      result_.reset();
      cancelled_.store(true);  // the running task (if any) is now stale
      started_ = std::chrono::steady_clock::now();
      if (runner_ == TaskRunner::CallerInParts) {
        cancelled_.store(false);  // nothing runs meanwhile: the queued work is the latest
        return;
      }
      if (!worker_.joinable()) worker_ = std::thread([this] { Loop(); });
    }
    wake_.notify_all();
  }

  // CallerInParts: a part of the latest work waits for RunPart.
  bool HasPartToRun() const { return runner_ == TaskRunner::CallerInParts && queued_ != nullptr; }

  // CallerInParts: runs the next part of the latest work here (once a frame). True while
  // parts remain. A worker's task returns false at once.
  bool RunPart() {
    if (!HasPartToRun()) return false;
    std::optional<Result> result;
    bool over = true;
    try {
      result = queued_(cancelled_);
      over = result.has_value();
    } catch (...) {  // the work reports its own errors in Result; never kill the app
      result.reset();
    }
    if (!over) return true;
    queued_ = nullptr;
    result_ = std::move(result);
    finished_ = latest_;
    if (on_finished_) on_finished_();
    return false;
  }

  // Drops `garbage` on the worker thread, between tasks: freeing a replaced result (tens
  // of MB at AlexNet size) would otherwise cost the frame that lets go of it.
  void Dispose(std::shared_ptr<const void> garbage) {
    if (!garbage || runner_ == TaskRunner::CallerInParts) return;  // no worker: `garbage` goes here
    {
      std::lock_guard<std::mutex> lock(mutex_);
      garbage_.push_back(std::move(garbage));
      if (!worker_.joinable()) worker_ = std::thread([this] { Loop(); });
    }
    wake_.notify_all();
  }

  // Forgets the latest request: nothing will be returned for it.
  void Cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    queued_ = nullptr;
    ++latest_;
    result_.reset();
    cancelled_.store(true);
    if (!running_) finished_ = latest_;
  }

  // The latest request's result, once, when it is ready.
  std::optional<Result> Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<Result> out = std::move(result_);
    result_.reset();
    return out;
  }

  // True from Start until the latest request's result is ready (or cancelled).
  bool Busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_ != latest_;
  }

  // Seconds since the latest Start (for "computing... 0.3 s").
  double SecondsSinceStart() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stop_ || queued_ || !garbage_.empty(); });
      if (stop_) return;
      if (!garbage_.empty()) {
        std::vector<std::shared_ptr<const void>> garbage;
        garbage.swap(garbage_);
        lock.unlock();
        garbage.clear();  // the last references usually: the memory is freed here
        lock.lock();
        continue;
      }
      PartedWork work = std::move(queued_);
      queued_ = nullptr;
      const std::uint64_t id = latest_;
      cancelled_.store(false);
      running_ = true;
      lock.unlock();
      std::optional<Result> result;
      try {
        while (!result && !cancelled_.load()) result = work(cancelled_);
      } catch (...) {  // the work reports its own errors in Result; never kill the app
        result.reset();
      }
      lock.lock();
      running_ = false;
      if (id == latest_) {  // still the newest request: hand it over
        result_ = std::move(result);
        finished_ = id;
      }
      if (!queued_ && finished_ != latest_) finished_ = latest_;  // cancelled with nothing queued
      if (on_finished_) {
        const std::function<void()> notify = on_finished_;
        lock.unlock();
        notify();
        lock.lock();
      }
    }
  }

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  const TaskRunner runner_;
  std::thread worker_;
  PartedWork queued_;  // CallerInParts: the latest work, until its last part ran
  std::function<void()> on_finished_;
  std::vector<std::shared_ptr<const void>> garbage_;
  std::optional<Result> result_;
  std::atomic<bool> cancelled_{false};
  std::uint64_t latest_ = 0;    // id of the newest request
  std::uint64_t finished_ = 0;  // id of the newest request whose work is over
  bool stop_ = false;
  bool running_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace im2col::gui
