// The optimised im2col + GEMM convolution and its timing harness. See
// im2col/fast_conv.h for the memory layout of every argument.
//
// [SECTION] Worker pool        fixed threads, one task per part, no allocation per run
// [SECTION] Geometry           one description of both orders: an outer and an inner axis
// [SECTION] Kernels            im2col rows, col2im bands, Y_mat <-> N x F x HO x WO
// [SECTION] FastConvolution    forward, backward
// [SECTION] Timing             MeasureLoopsVsIm2col
#include "im2col/fast_conv.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "im2col/convolution.h"
#include "im2col/im2col.h"

#if defined(IM2COL_LAB_OPENBLAS)
extern "C" void openblas_set_num_threads(int num_threads);  // OpenBLAS's cblas.h
#endif

namespace im2col {

// ============================================================================
// [SECTION] Worker pool
// ============================================================================

// threads-1 workers wait on a condition variable; Run() hands them a part index
// each and runs part 0 itself. The task is passed as (function, pointer) so no
// std::function is allocated per run.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) : size_(threads) {
    for (int index = 1; index < threads; ++index) workers_.emplace_back([this, index] { WorkerLoop(index); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    start_cv_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int size() const { return size_; }

  // Calls task(part) for every part in [0, parts) and returns when all are done.
  template <typename Task>
  void Run(int parts, Task& task) {
    parts = std::clamp(parts, 1, size_);
    if (parts == 1) {
      task(0);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      call_ = [](void* context, int part) { (*static_cast<Task*>(context))(part); };
      context_ = &task;
      parts_ = parts;
      pending_ = parts - 1;
      ++generation_;
    }
    start_cv_.notify_all();
    task(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  void WorkerLoop(int index) {
    std::uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (index >= parts_) continue;
      void (*call)(void*, int) = call_;
      void* context = context_;
      lock.unlock();
      call(context, index);
      lock.lock();
      if (--pending_ == 0) done_cv_.notify_one();
    }
  }

  int size_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_cv_;
  std::condition_variable done_cv_;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
  int parts_ = 0;
  int pending_ = 0;
  void (*call_)(void*, int) = nullptr;
  void* context_ = nullptr;
};

namespace {

struct Range {
  Index begin = 0;
  Index end = 0;
  Index size() const { return end - begin; }
};

// Part `part` of [0, total) cut into `parts` nearly equal contiguous ranges.
Range PartOf(Index total, int parts, int part) {
  return {total * part / parts, total * (part + 1) / parts};
}

// How many parts a phase of `work` scalar operations is worth splitting into.
int PartsFor(Index work, int threads, Index min_work_per_thread) {
  const Index worth = work / std::max<Index>(1, min_work_per_thread);
  return static_cast<int>(std::clamp<Index>(worth, 1, threads));
}

// ceil(a / b) for b > 0, clamped below at 0.
Index CeilDivAtLeastZero(Index a, Index b) { return a <= 0 ? 0 : (a + b - 1) / b; }

// ============================================================================
// [SECTION] Geometry
// ============================================================================

// One spatial axis of the convolution. Output index o with kernel offset k reads
// input coordinate o*stride - pad + k*dilation.
struct Axis {
  Index in = 0;     // H or W
  Index out = 0;    // HO or WO
  Index stride = 1, pad = 0, dilation = 1;
  Index step = 1;   // distance in memory between neighbouring input pixels on this axis

  Index Coord(Index o, Index k) const { return o * stride - pad + k * dilation; }
  // Output indices o in [First(k, lo), End(k, lo, hi)) read a coordinate inside [lo, hi).
  Index First(Index k, Index lo) const { return std::min(out, CeilDivAtLeastZero(lo + pad - k * dilation, stride)); }
  Index End(Index k, Index lo, Index hi) const {
    return std::max(First(k, lo), std::min(out, CeilDivAtLeastZero(hi + pad - k * dilation, stride)));
  }
};

// Both orders as one loop nest. Row-major: l = oy*WO + ox and r = (c*KH + ky)*KW + kx,
// so the outer axis is y. Column-major: l = ox*HO + oy and r = (c*KW + kx)*KH + ky,
// so the outer axis is x. Either way l = o_outer*inner.out + o_inner and
// r = (c*k_outer + k_o)*k_inner + k_i.
struct Geometry {
  Axis outer, inner;
  Index k_outer = 1, k_inner = 1;
  Index batch = 1, channels = 1, plane = 1;  // plane = H*W
  Index patches = 1;                          // L
  Index columns = 1;                          // N*L

  Geometry(const Shape& s, Order order) {
    const Axis y{s.height, s.OutHeight(), s.stride.h, s.padding.h, s.dilation.h, s.width};
    const Axis x{s.width, s.OutWidth(), s.stride.w, s.padding.w, s.dilation.w, 1};
    const bool row_major = order == Order::RowMajor;
    outer = row_major ? y : x;
    inner = row_major ? x : y;
    k_outer = row_major ? s.kernel.h : s.kernel.w;
    k_inner = row_major ? s.kernel.w : s.kernel.h;
    batch = s.batch;
    channels = s.channels;
    plane = Index{s.height} * s.width;
    patches = s.PatchCount();
    columns = s.ColumnCount();
  }
  struct RowOffsets {
    Index c, k_o, k_i;
  };
  RowOffsets Decode(Index r) const { return {r / (k_outer * k_inner), (r / k_inner) % k_outer, r % k_inner}; }
};

// ============================================================================
// [SECTION] Kernels
// ============================================================================

// X_col columns of output lines [lines.begin, lines.end), every row. Line
// n*outer.out + o holds the inner.out columns j = n*L + o*inner.out + i; the part of
// a line inside the image is a strided copy (memcpy for stride 1), the rest zeros.
template <typename T>
void Im2ColLines(const T* input, const Geometry& g, Range lines, T* x_col) {
  const Index line = g.inner.out;
  const Index source_step = g.inner.stride * g.inner.step;
  const Index rows = g.channels * g.k_outer * g.k_inner;
  for (Index r = 0; r < rows; ++r) {
    const Geometry::RowOffsets k = g.Decode(r);
    const Index first = g.inner.First(k.k_i, 0);
    const Index end = g.inner.End(k.k_i, 0, g.inner.in);
    for (Index l = lines.begin; l < lines.end; ++l) {
      const Index n = l / g.outer.out, o = l % g.outer.out;
      T* dst = x_col + r * g.columns + l * line;
      const Index coord = g.outer.Coord(o, k.k_o);
      if (coord < 0 || coord >= g.outer.in) {  // a whole line of padding
        std::fill(dst, dst + line, T(0));
        continue;
      }
      std::fill(dst, dst + first, T(0));
      std::fill(dst + end, dst + line, T(0));
      const T* src = input + (n * g.channels + k.c) * g.plane + coord * g.outer.step +
                     g.inner.Coord(first, k.k_i) * g.inner.step;
      if (source_step == 1) {
        if (end > first) std::memcpy(dst + first, src, static_cast<size_t>(end - first) * sizeof(T));
      } else {
        for (Index i = first; i < end; ++i, src += source_step) dst[i] = *src;
      }
    }
  }
}

// col2im restricted to input coordinates [band.begin, band.end) on the outer axis:
// zero that band of every plane, then add every X_col cell whose source lies in it.
// Bands are disjoint, so parts never write the same pixel.
template <typename T>
void Col2ImBand(const T* grad_x_col, const Geometry& g, Range band, T* grad_input) {
  for (Index p = 0; p < g.batch * g.channels; ++p) {
    for (Index o = band.begin; o < band.end; ++o) {
      T* line = grad_input + p * g.plane + o * g.outer.step;
      for (Index i = 0; i < g.inner.in; ++i) line[i * g.inner.step] = T(0);
    }
  }
  const Index line = g.inner.out;
  const Index target_step = g.inner.stride * g.inner.step;
  const Index rows = g.channels * g.k_outer * g.k_inner;
  for (Index r = 0; r < rows; ++r) {
    const Geometry::RowOffsets k = g.Decode(r);
    const Index first = g.inner.First(k.k_i, 0);
    const Index end = g.inner.End(k.k_i, 0, g.inner.in);
    const Index outer_first = g.outer.First(k.k_o, band.begin);
    const Index outer_end = g.outer.End(k.k_o, band.begin, band.end);
    for (Index n = 0; n < g.batch; ++n) {
      T* plane = grad_input + (n * g.channels + k.c) * g.plane;
      const T* row = grad_x_col + r * g.columns + n * g.patches;
      for (Index o = outer_first; o < outer_end; ++o) {
        const T* src = row + o * line;
        T* dst = plane + g.outer.Coord(o, k.k_o) * g.outer.step + g.inner.Coord(first, k.k_i) * g.inner.step;
        for (Index i = first; i < end; ++i, dst += target_step) *dst += src[i];
      }
    }
  }
}

// Between Y_mat-shaped (F x N*L) and tensor-shaped (N x F x HO x WO) memory, for
// items [items.begin, items.end) of the N*F (n, f) pairs. Row-major order: l is
// already oy*WO + ox, a copy. Column-major: l = ox*HO + oy, so each item is a transpose.
template <typename T>
void Reshape(const T* from, const Geometry& g, Order order, Index filters, Range items, bool to_tensor, T* to) {
  for (Index item = items.begin; item < items.end; ++item) {
    const Index in_matrix = (item % filters) * g.columns + (item / filters) * g.patches;
    const Index in_tensor = item * g.patches;
    const T* src = from + (to_tensor ? in_matrix : in_tensor);
    T* dst = to + (to_tensor ? in_tensor : in_matrix);
    if (order == Order::RowMajor) {
      std::memcpy(dst, src, static_cast<size_t>(g.patches) * sizeof(T));
      continue;
    }
    for (Index o = 0; o < g.outer.out; ++o) {
      for (Index i = 0; i < g.inner.out; ++i) {
        const Index m = o * g.inner.out + i, t = i * g.outer.out + o;
        dst[to_tensor ? t : m] = src[to_tensor ? m : t];
      }
    }
  }
}

// Our parts already use every thread: OpenBLAS's own threads would only fight them
// (and spin after each call on a 2-core machine), so each GEMM runs single-threaded.
void UseOneBlasThreadPerPart() { LimitBlasThreads(1); }

std::string JoinRules(const std::vector<std::string>& rules) {
  std::string text;
  for (const std::string& rule : rules) text += (text.empty() ? "" : "; ") + rule;
  return text;
}

void CheckThreads(int threads) {
  if (threads < kMinThreads || threads > kMaxThreads)
    throw std::invalid_argument("threads must be in [" + std::to_string(kMinThreads) + ", " +
                                std::to_string(kMaxThreads) + "], got " + std::to_string(threads));
}

}  // namespace

// ============================================================================
// [SECTION] FastConvolution
// ============================================================================

template <typename T>
FastConvolution<T>::FastConvolution(const Shape& shape, Order order, int threads, Index min_work_per_thread)
    : shape_(shape), order_(order), min_work_per_thread_(min_work_per_thread) {
  const std::vector<std::string> rules = shape.Validate();
  if (!rules.empty()) throw std::invalid_argument("shape: " + JoinRules(rules));
  CheckThreads(threads);
  rows_ = shape.PatchSize();
  columns_ = shape.ColumnCount();
  const Index filters = shape.filters;
  x_col_.resize(rows_, columns_);
  grad_x_col_.resize(rows_, columns_);
  // With one image in row-major order, Y_mat *is* the output tensor's memory.
  if (shape.batch > 1 || order != Order::RowMajor) {
    y_mat_.resize(filters, columns_);
    dy_mat_.resize(filters, columns_);
  }
  weight_offset_of_row_.resize(static_cast<size_t>(rows_));
  for (Index r = 0; r < rows_; ++r) {
    const PatchOffset p = PatchOffsetOf(shape, order, r);
    weight_offset_of_row_[static_cast<size_t>(r)] = (Index{p.c} * shape.kernel.h + p.ky) * shape.kernel.w + p.kx;
  }
  if (order != Order::RowMajor) {
    w_row_.resize(filters, rows_);
    grad_w_row_.resize(filters, rows_);
  }
  pool_ = std::make_unique<WorkerPool>(threads);
}

template <typename T>
FastConvolution<T>::~FastConvolution() = default;
template <typename T>
FastConvolution<T>::FastConvolution(FastConvolution&&) noexcept = default;
template <typename T>
FastConvolution<T>& FastConvolution<T>::operator=(FastConvolution&&) noexcept = default;

template <typename T>
int FastConvolution<T>::threads() const {
  return pool_->size();
}

template <typename T>
void FastConvolution<T>::Im2Col(const T* input) {
  const Geometry g(shape_, order_);
  const int parts = PartsFor(rows_ * columns_, pool_->size(), min_work_per_thread_);
  const Index lines = g.batch * g.outer.out;
  auto task = [&](int part) { Im2ColLines(input, g, PartOf(lines, parts, part), x_col_.data()); };
  pool_->Run(parts, task);
}

template <typename T>
const T* FastConvolution<T>::WeightRows(const T* weights) {
  if (order_ == Order::RowMajor) return weights;  // (c, ky, kx) memory order is already r
  for (Index f = 0; f < shape_.filters; ++f)
    for (Index r = 0; r < rows_; ++r) w_row_(f, r) = weights[f * rows_ + weight_offset_of_row_[static_cast<size_t>(r)]];
  return w_row_.data();
}

template <typename T>
void FastConvolution<T>::Multiply(const T* weights, const T* bias, T* output) {
  RunForward(nullptr, weights, bias, output);
}

template <typename T>
void FastConvolution<T>::Forward(const T* input, const T* weights, const T* bias, T* output) {
  RunForward(input, weights, bias, output);
}

// Each part owns a block of whole output lines, i.e. a block of X_col columns: it
// im2cols them (when `input` is given) and then multiplies the same columns while
// they are still in its cache, Y[:, cols] = bias + W_row * X_col[:, cols]. One
// hand-off to the workers per forward pass instead of two.
template <typename T>
void FastConvolution<T>::RunForward(const T* input, const T* weights, const T* bias, T* output) {
  using ConstMap = Eigen::Map<const RowMatrix<T>>;
  using Map = Eigen::Map<RowMatrix<T>>;
  UseOneBlasThreadPerPart();
  const Geometry g(shape_, order_);
  const Index filters = shape_.filters;
  const ConstMap w_row(WeightRows(weights), filters, rows_);
  const bool direct = y_mat_.size() == 0;
  Map y_mat(direct ? output : y_mat_.data(), filters, columns_);
  const Index lines = g.batch * g.outer.out;
  const int parts = PartsFor(filters * rows_ * columns_, pool_->size(), min_work_per_thread_);
  auto forward = [&](int part) {
    const Range own = PartOf(lines, parts, part);
    if (own.size() == 0) return;
    if (input) Im2ColLines(input, g, own, x_col_.data());
    const Range cols{own.begin * g.inner.out, own.end * g.inner.out};
    auto block = y_mat.middleCols(cols.begin, cols.size());
    // Eigen's `=` product is setZero then `+=`, so starting from the bias is free.
    for (Index f = 0; f < filters; ++f) block.row(f).setConstant(bias ? bias[f] : T(0));
    block.noalias() += w_row * x_col_.middleCols(cols.begin, cols.size());
  };
  pool_->Run(parts, forward);
  if (direct) return;
  const Index items = shape_.batch * filters;
  const int reshape_parts = PartsFor(items * g.patches, pool_->size(), min_work_per_thread_);
  auto reshape = [&](int part) {
    Reshape(y_mat_.data(), g, order_, filters, PartOf(items, reshape_parts, part), true, output);
  };
  pool_->Run(reshape_parts, reshape);
}

template <typename T>
void FastConvolution<T>::GatherGradOutput(const T* grad_output) {
  const Geometry g(shape_, order_);
  const Index items = shape_.batch * shape_.filters;
  const int parts = PartsFor(items * g.patches, pool_->size(), min_work_per_thread_);
  auto gather = [&](int part) {
    Reshape(grad_output, g, order_, Index{shape_.filters}, PartOf(items, parts, part), false, dy_mat_.data());
  };
  pool_->Run(parts, gather);
}

template <typename T>
void FastConvolution<T>::Backward(const T* weights, const T* grad_output, T* grad_input, T* grad_weights,
                                  T* grad_bias) {
  using ConstMap = Eigen::Map<const RowMatrix<T>>;
  using Map = Eigen::Map<RowMatrix<T>>;
  UseOneBlasThreadPerPart();
  const Index filters = shape_.filters;
  const bool direct = dy_mat_.size() == 0;
  if (!direct) GatherGradOutput(grad_output);
  const ConstMap dy_mat(direct ? grad_output : dy_mat_.data(), filters, columns_);

  // One hand-off for both products: each part computes its slice of
  // dW_row = dY_mat * X_col^T (F x R, split along the longer of F and R), of db, and
  // of dX_col = W_row^T * dY_mat (R x N*L, split by columns).
  const ConstMap w_row(WeightRows(weights), filters, rows_);
  const bool split_filters = filters >= rows_;
  const int parts = PartsFor(filters * rows_ * columns_, pool_->size(), min_work_per_thread_);
  Map grad_w_row(order_ == Order::RowMajor ? grad_weights : grad_w_row_.data(), filters, rows_);
  auto products = [&](int part) {
    const Range slice = PartOf(split_filters ? filters : rows_, parts, part);
    if (grad_weights && slice.size() > 0) {
      if (split_filters)
        grad_w_row.middleRows(slice.begin, slice.size()).noalias() =
            dy_mat.middleRows(slice.begin, slice.size()) * x_col_.transpose();
      else
        grad_w_row.middleCols(slice.begin, slice.size()).noalias() =
            dy_mat * x_col_.middleRows(slice.begin, slice.size()).transpose();
    }
    if (grad_bias) {
      const Range fs = PartOf(filters, parts, part);
      for (Index f = fs.begin; f < fs.end; ++f) grad_bias[f] = dy_mat.row(f).sum();
    }
    const Range cols = PartOf(columns_, parts, part);
    if (cols.size() > 0)
      grad_x_col_.middleCols(cols.begin, cols.size()).noalias() =
          w_row.transpose() * dy_mat.middleCols(cols.begin, cols.size());
  };
  pool_->Run(parts, products);
  if (grad_weights && order_ != Order::RowMajor) {
    for (Index f = 0; f < filters; ++f)
      for (Index r = 0; r < rows_; ++r)
        grad_weights[f * rows_ + weight_offset_of_row_[static_cast<size_t>(r)]] = grad_w_row_(f, r);
  }
  Col2Im(grad_input);
}

template <typename T>
void FastConvolution<T>::Col2Im(T* grad_input) {
  const Geometry g(shape_, order_);
  const int parts = PartsFor(rows_ * columns_, pool_->size(), min_work_per_thread_);
  auto task = [&](int part) { Col2ImBand(grad_x_col_.data(), g, PartOf(g.outer.in, parts, part), grad_input); };
  pool_->Run(parts, task);
}

template class FastConvolution<float>;
template class FastConvolution<double>;

// ============================================================================
// [SECTION] Timing
// ============================================================================

const TimingEntry* TimingReport::Find(const std::string& name) const {
  for (const TimingEntry& entry : entries)
    if (entry.name == name) return &entry;
  return nullptr;
}

void LimitBlasThreads(int threads) {
#if defined(IM2COL_LAB_OPENBLAS)
  openblas_set_num_threads(std::max(threads, 1));
#else
  (void)threads;
#endif
}

std::string GemmBackendName() {
#if defined(EIGEN_USE_BLAS)
  return "OpenBLAS via Eigen";
#else
  return "Eigen";
#endif
}

namespace {

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

// max |a - b| / max(max |b|, tiny): how far the fast result is from the loops'.
double RelativeDifference(const std::vector<float>& fast, const std::vector<float>& loops) {
  double largest = 0.0, difference = 0.0;
  for (size_t i = 0; i < loops.size(); ++i) {
    largest = std::max(largest, std::fabs(static_cast<double>(loops[i])));
    difference = std::max(difference, std::fabs(static_cast<double>(fast[i]) - loops[i]));
  }
  return difference / std::max(largest, 1e-30);
}

}  // namespace

TimingReport MeasureLoopsVsIm2col(const Shape& shape, int repeats, int threads, Order order,
                                  const std::atomic<bool>* cancel) {
  if (repeats < 1 || repeats > 1000)
    throw std::invalid_argument("repeat must be in [1, 1000], got " + std::to_string(repeats));
  CheckThreads(threads);
  const std::vector<std::string> rules = shape.Validate();
  if (!rules.empty()) throw std::invalid_argument("shape: " + JoinRules(rules));

  TimingReport report;
  report.shape = shape;
  report.order = order;
  report.threads = threads;
  report.repeats = repeats;
  report.x_col_bytes = XColBytes(shape, sizeof(float));
  report.input_bytes = InputBytes(shape, sizeof(float));
  const double macs = static_cast<double>(ForwardMacs(shape));
  report.forward_flops = 2.0 * macs;
  report.backward_flops = 4.0 * macs;

  std::mt19937 generator(20240611u);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  auto random_values = [&](Index count) {
    std::vector<float> values(static_cast<size_t>(count));
    for (float& v : values) v = uniform(generator);
    return values;
  };
  const Index filters = shape.filters;
  const Index output_size = Index{shape.batch} * filters * shape.OutHeight() * shape.OutWidth();
  const Index input_size = Index{shape.batch} * shape.channels * shape.height * shape.width;
  const Index weights_size = filters * shape.PatchSize();
  const std::vector<float> input = random_values(input_size), weights = random_values(weights_size),
                           bias = random_values(filters), grad_output = random_values(output_size);
  std::vector<float> loops_out(output_size), fast_out(output_size);
  std::vector<float> loops_grad_in(input_size), fast_grad_in(input_size);
  std::vector<float> loops_grad_w(weights_size), fast_grad_w(weights_size);
  std::vector<float> loops_grad_b(filters), fast_grad_b(filters);
  FastConvolution<float> fast(shape, order, threads);

  std::vector<double> samples(static_cast<size_t>(repeats));
  // One warm-up run (first touch, caches, worker wake-up), then the median of `repeats`.
  auto time_ms = [&](auto&& run) {
    if (cancel && cancel->load()) return 0.0;
    run();
    for (double& sample : samples) {
      if (cancel && cancel->load()) return 0.0;
      const auto start = std::chrono::steady_clock::now();
      run();
      sample = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    return Median(samples);
  };
  auto add = [&](const char* name, double ms, double flops, double loops_ms) {
    if (cancel && cancel->load()) {
      report.cancelled = true;
      return false;
    }
    TimingEntry entry;
    entry.name = name;
    entry.ms = ms;
    entry.gflops = ms > 0.0 ? flops / (ms * 1e6) : 0.0;
    entry.speedup_vs_loops = ms > 0.0 ? loops_ms / ms : 0.0;
    report.entries.push_back(entry);
    return true;
  };

  const double loops_forward =
      time_ms([&] { DirectConvolution(input.data(), weights.data(), bias.data(), shape, loops_out.data()); });
  if (!add("loops-forward", loops_forward, report.forward_flops, loops_forward)) return report;
  if (!add("im2col", time_ms([&] { fast.Im2Col(input.data()); }), 0.0, loops_forward)) return report;
  const double gemm = time_ms([&] { fast.Multiply(weights.data(), bias.data(), fast_out.data()); });
  if (!add("gemm", gemm, report.forward_flops, loops_forward)) return report;
  const double forward =
      time_ms([&] { fast.Forward(input.data(), weights.data(), bias.data(), fast_out.data()); });
  if (!add("im2col-gemm-forward", forward, report.forward_flops, loops_forward)) return report;
  const double loops_backward = time_ms([&] {
    DirectConvolutionBackward(input.data(), weights.data(), grad_output.data(), shape, loops_grad_in.data(),
                              loops_grad_w.data(), loops_grad_b.data());
  });
  if (!add("loops-backward", loops_backward, report.backward_flops, loops_backward)) return report;
  const double backward = time_ms([&] {
    fast.Backward(weights.data(), grad_output.data(), fast_grad_in.data(), fast_grad_w.data(), fast_grad_b.data());
  });
  if (!add("im2col-gemm-backward", backward, report.backward_flops, loops_backward)) return report;

  report.max_relative_difference =
      std::max({RelativeDifference(fast_out, loops_out), RelativeDifference(fast_grad_in, loops_grad_in),
                RelativeDifference(fast_grad_w, loops_grad_w), RelativeDifference(fast_grad_b, loops_grad_b)});
  return report;
}

}  // namespace im2col
