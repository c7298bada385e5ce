// Work too slow for the UI thread (computing an AlexNet-size scenario, timing loops
// against im2col) runs on one worker thread per task kind. Latest wins: starting a
// task while another runs tells the running one to cancel and drops its result, so
// dragging a slider never queues up stale work and the UI only ever adopts the
// result of the newest request. The UI polls with Take() between frames, and can hand
// replaced results back to be freed off the UI thread (Dispose). The browser build has
// no threads: there a task runs inside Start.
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

template <typename Result>
class LatestTask {
 public:
  // Gets a flag that turns true when the result is no longer wanted.
  using Work = std::function<Result(const std::atomic<bool>& cancelled)>;

  LatestTask() = default;
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
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    // The browser build has no threads: the work runs here and now, and the next Take()
    // hands its result over exactly as a worker's would be.
    ++latest_;
    started_ = std::chrono::steady_clock::now();
    cancelled_.store(false);
    result_.reset();
    try {
      result_.emplace(work(cancelled_));
    } catch (...) {  // the work reports its own errors in Result; never kill the app
      result_.reset();
    }
    finished_ = latest_;
    if (on_finished_) on_finished_();
    return;
#endif
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queued_ = std::move(work);
      ++latest_;
      result_.reset();
      cancelled_.store(true);  // the running task (if any) is now stale
      started_ = std::chrono::steady_clock::now();
      if (!worker_.joinable()) worker_ = std::thread([this] { Loop(); });
    }
    wake_.notify_all();
  }

  // Drops `garbage` on the worker thread, between tasks: freeing a replaced result (tens
  // of MB at AlexNet size) would otherwise cost the frame that lets go of it.
  void Dispose(std::shared_ptr<const void> garbage) {
    if (!garbage) return;
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    return;  // no worker to free it on: `garbage` goes here
#endif
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
      Work work = std::move(queued_);
      queued_ = nullptr;
      const std::uint64_t id = latest_;
      cancelled_.store(false);
      running_ = true;
      lock.unlock();
      std::optional<Result> result;
      try {
        result.emplace(work(cancelled_));
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
  std::thread worker_;
  Work queued_;
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
