// The optimised im2col + GEMM convolution and its timing harness. See
// im2col/fast_conv.h for the memory layout of every argument.
//
// [SECTION] Passes             the kernels of conv_kernels.h and the GEMMs, split over a pool
// [SECTION] FastConvolution    forward, backward on its own buffers
// [SECTION] Timing             MeasureLoopsVsIm2col
#include "im2col/fast_conv.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>

#include "im2col/convolution.h"
#include "im2col/im2col.h"
#include "conv_kernels.h"

#if defined(IM2COL_LAB_OPENBLAS)
extern "C" void openblas_set_num_threads(int num_threads);  // OpenBLAS's cblas.h
#endif

namespace im2col {

namespace {

using kernels::Geometry;
using kernels::PartOf;
using kernels::PartsFor;
using kernels::Range;

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
// [SECTION] Passes
// ============================================================================

namespace kernels {

template <typename T>
void Im2ColPass(WorkerPool& pool, const Geometry& g, Index min_work_per_thread, const T* input, T* x_col) {
  const int parts = PartsFor(g.rows() * g.columns, pool.size(), min_work_per_thread);
  const Index lines = g.lines();
  auto task = [&](int part) { Im2ColLines(input, g, PartOf(lines, parts, part), x_col); };
  pool.Run(parts, task);
}

// Each part owns a block of whole output lines, i.e. a block of X_col columns: it
// im2cols them (when `input` is given) and then multiplies the same columns while
// they are still in its cache, Y[:, cols] = bias + W_row * X_col[:, cols]. One
// hand-off to the workers per forward pass instead of two.
template <typename T>
void ForwardPass(WorkerPool& pool, const Geometry& g, Index filters, Index min_work_per_thread, const T* input,
                 const T* w_row_data, const T* bias, T* x_col_data, T* y_mat_data) {
  using ConstMap = Eigen::Map<const RowMatrix<T>>;
  using Map = Eigen::Map<RowMatrix<T>>;
  const Index rows = g.rows();
  const ConstMap w_row(w_row_data, filters, rows);
  const Map x_col(x_col_data, rows, g.columns);
  Map y_mat(y_mat_data, filters, g.columns);
  const Index lines = g.lines();
  const int parts = PartsFor(filters * rows * g.columns, pool.size(), min_work_per_thread);
  auto forward = [&](int part) {
    const Range own = PartOf(lines, parts, part);
    if (own.size() == 0) return;
    if (input) Im2ColLines(input, g, own, x_col_data);
    const Range cols{own.begin * g.inner.out, own.end * g.inner.out};
    auto block = y_mat.middleCols(cols.begin, cols.size());
    // Eigen's `=` product is setZero then `+=`, so starting from the bias is free.
    for (Index f = 0; f < filters; ++f) block.row(f).setConstant(bias ? bias[f] : T(0));
    if (g.groups == 1) {
      block.noalias() += w_row * x_col.middleCols(cols.begin, cols.size());
      return;
    }
    // Grouped: the structural zeros of W_row are skipped, G small GEMMs instead of one.
    const Index fg = filters / g.groups, rg = rows / g.groups;
    for (Index group = 0; group < g.groups; ++group)
      block.middleRows(group * fg, fg).noalias() +=
          w_row.block(group * fg, group * rg, fg, rg) *
          x_col.middleRows(group * rg, rg).middleCols(cols.begin, cols.size());
  };
  pool.Run(parts, forward);
}

// One hand-off for both products: each part computes its slice of
// dW_row = dY_mat * X_col^T (F x R, split along the longer of F and R), of db, and
// of dX_col = W_row^T * dY_mat (R x N*L, split by columns).
template <typename T>
void BackwardProducts(WorkerPool& pool, const Geometry& g, Index filters, Index min_work_per_thread,
                      const T* x_col_data, const T* w_row_data, const T* dy_mat_data, T* grad_w_row_data,
                      T* grad_bias, T* grad_x_col_data) {
  using ConstMap = Eigen::Map<const RowMatrix<T>>;
  using Map = Eigen::Map<RowMatrix<T>>;
  const Index rows = g.rows(), columns = g.columns;
  const ConstMap x_col(x_col_data, rows, columns);
  const ConstMap w_row(w_row_data, filters, rows);
  const ConstMap dy_mat(dy_mat_data, filters, columns);
  Map grad_x_col(grad_x_col_data, rows, columns);
  const bool split_filters = filters >= rows;
  const int parts = PartsFor(filters * rows * columns, pool.size(), min_work_per_thread);
  const Index fg = filters / g.groups, rg = rows / g.groups;
  auto products = [&](int part) {
    if (grad_w_row_data && g.groups > 1) {
      // Each part owns whole groups: their rows of dW_row, zero off the diagonal block.
      Map grad_w_row(grad_w_row_data, filters, rows);
      const Range own = PartOf(g.groups, parts, part);
      for (Index group = own.begin; group < own.end; ++group) {
        grad_w_row.middleRows(group * fg, fg).setZero();
        grad_w_row.block(group * fg, group * rg, fg, rg).noalias() =
            dy_mat.middleRows(group * fg, fg) * x_col.middleRows(group * rg, rg).transpose();
      }
    } else if (grad_w_row_data) {
      const Range slice = PartOf(split_filters ? filters : rows, parts, part);
      Map grad_w_row(grad_w_row_data, filters, rows);
      if (slice.size() > 0) {
        if (split_filters)
          grad_w_row.middleRows(slice.begin, slice.size()).noalias() =
              dy_mat.middleRows(slice.begin, slice.size()) * x_col.transpose();
        else
          grad_w_row.middleCols(slice.begin, slice.size()).noalias() =
              dy_mat * x_col.middleRows(slice.begin, slice.size()).transpose();
      }
    }
    if (grad_bias) {
      const Range fs = PartOf(filters, parts, part);
      for (Index f = fs.begin; f < fs.end; ++f) grad_bias[f] = dy_mat.row(f).sum();
    }
    const Range cols = PartOf(columns, parts, part);
    if (!grad_x_col_data || cols.size() == 0) return;
    if (g.groups == 1) {
      grad_x_col.middleCols(cols.begin, cols.size()).noalias() =
          w_row.transpose() * dy_mat.middleCols(cols.begin, cols.size());
      return;
    }
    for (Index group = 0; group < g.groups; ++group)
      grad_x_col.middleRows(group * rg, rg).middleCols(cols.begin, cols.size()).noalias() =
          w_row.block(group * fg, group * rg, fg, rg).transpose() *
          dy_mat.middleRows(group * fg, fg).middleCols(cols.begin, cols.size());
  };
  pool.Run(parts, products);
}

template <typename T>
void Col2ImPass(WorkerPool& pool, const Geometry& g, Index min_work_per_thread, const T* grad_x_col, T* grad_input) {
  const int parts = PartsFor(g.rows() * g.columns, pool.size(), min_work_per_thread);
  auto task = [&](int part) { Col2ImBand(grad_x_col, g, PartOf(g.outer.in, parts, part), grad_input); };
  pool.Run(parts, task);
}

template <typename T>
void ReshapePass(WorkerPool& pool, const Geometry& g, Order order, Index filters, Index min_work_per_thread,
                 const T* from, bool to_tensor, T* to) {
  const Index items = g.batch * filters;
  const int parts = PartsFor(items * g.patches, pool.size(), min_work_per_thread);
  auto task = [&](int part) { Reshape(from, g, order, filters, PartOf(items, parts, part), to_tensor, to); };
  pool.Run(parts, task);
}

#define IM2COL_LAB_INSTANTIATE_PASSES(T)                                                                        \
  template void Im2ColPass<T>(WorkerPool&, const Geometry&, Index, const T*, T*);                              \
  template void ForwardPass<T>(WorkerPool&, const Geometry&, Index, Index, const T*, const T*, const T*, T*,   \
                               T*);                                                                            \
  template void BackwardProducts<T>(WorkerPool&, const Geometry&, Index, Index, const T*, const T*, const T*,  \
                                    T*, T*, T*);                                                               \
  template void Col2ImPass<T>(WorkerPool&, const Geometry&, Index, const T*, T*);                              \
  template void ReshapePass<T>(WorkerPool&, const Geometry&, Order, Index, Index, const T*, bool, T*);
IM2COL_LAB_INSTANTIATE_PASSES(float)
IM2COL_LAB_INSTANTIATE_PASSES(double)
#undef IM2COL_LAB_INSTANTIATE_PASSES

}  // namespace kernels

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
  const Index weight_rows = shape.WeightRows();
  const bool transposed = shape.op == Op::Transposed;
  x_col_.resize(rows_, columns_);
  grad_x_col_.resize(rows_, columns_);
  // With one image in row-major order, Y_mat *is* the output tensor's memory (conv);
  // transposed always needs x_mat and the C x N*L matrix of dX.
  if (transposed || shape.batch > 1 || order != Order::RowMajor) {
    y_mat_.resize(weight_rows, columns_);
    dy_mat_.resize(weight_rows, columns_);
  }
  // Column r of W_row holds weight (row, patch channel c, ky, kx) at this offset inside
  // the row's C/G*KH*KW (transposed: F/G*KH*KW) weights, when c is in the row's group.
  const Index per_group = shape.PatchChannels() / shape.groups;
  weight_offset_of_row_.resize(static_cast<size_t>(rows_));
  for (Index r = 0; r < rows_; ++r) {
    const PatchOffset p = PatchOffsetOf(shape, order, r);
    weight_offset_of_row_[static_cast<size_t>(r)] =
        (Index{p.c % per_group} * shape.kernel.h + p.ky) * shape.kernel.w + p.kx;
  }
  if (order != Order::RowMajor || shape.groups > 1 || transposed) {
    w_row_ = RowMatrix<T>::Zero(weight_rows, rows_);
    grad_w_row_.resize(weight_rows, rows_);
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
  if (shape_.op == Op::Transposed) {  // its forward starts by laying the input out as x_mat
    kernels::ReshapePass(*pool_, g, order_, Index{shape_.channels}, min_work_per_thread_, input,
                         /*to_tensor=*/false, y_mat_.data());
    return;
  }
  kernels::Im2ColPass(*pool_, g, min_work_per_thread_, input, x_col_.data());
}

template <typename T>
const T* FastConvolution<T>::WeightRows(const T* weights) {
  if (w_row_.size() == 0) return weights;  // (c, ky, kx) memory order is already r
  const Index weight_rows = shape_.WeightRows();
  const Index per_row = rows_ / shape_.groups;  // weights per W_row row
  const Index block = per_row, rows_per_group = weight_rows / shape_.groups;
  for (Index w = 0; w < weight_rows; ++w) {
    // Only the diagonal block of the row's group is written; the rest stays 0.
    const Index group = w / rows_per_group;
    for (Index r = group * block; r < (group + 1) * block; ++r)
      w_row_(w, r) = weights[w * per_row + weight_offset_of_row_[static_cast<size_t>(r)]];
  }
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

template <typename T>
void FastConvolution<T>::RunForward(const T* input, const T* weights, const T* bias, T* output) {
  UseOneBlasThreadPerPart();
  const Geometry g(shape_, order_);
  const Index filters = shape_.filters;
  if (shape_.op == Op::Transposed) {
    // x_col = W_row^T * x_mat (the GEMM), then col2im scatter-adds it into the output.
    if (input) Im2Col(input);
    const Index channels = shape_.channels;
    kernels::BackwardProducts<T>(*pool_, g, channels, min_work_per_thread_, nullptr, WeightRows(weights),
                                 y_mat_.data(), nullptr, nullptr, x_col_.data());
    kernels::Col2ImPass(*pool_, g, min_work_per_thread_, x_col_.data(), output);
    if (bias) {
      const Index plane = Index{shape_.OutHeight()} * shape_.OutWidth();
      for (Index map = 0; map < Index{shape_.batch} * filters; ++map)
        for (T* v = output + map * plane; v != output + (map + 1) * plane; ++v) *v += bias[map % filters];
    }
    return;
  }
  const bool direct = y_mat_.size() == 0;
  kernels::ForwardPass(*pool_, g, filters, min_work_per_thread_, input, WeightRows(weights), bias, x_col_.data(),
                       direct ? output : y_mat_.data());
  if (direct) return;
  kernels::ReshapePass(*pool_, g, order_, filters, min_work_per_thread_, y_mat_.data(), /*to_tensor=*/true, output);
}

template <typename T>
void FastConvolution<T>::GatherGradOutput(const T* grad_output) {
  kernels::ReshapePass(*pool_, Geometry(shape_, order_), order_, Index{shape_.filters}, min_work_per_thread_,
                       grad_output, /*to_tensor=*/false, dy_mat_.data());
}

template <typename T>
void FastConvolution<T>::BackwardTransposed(const T* weights, const T* grad_output, T* grad_input, T* grad_weights,
                                            T* grad_bias) {
  // grad_x_col = im2col(dY); dX_mat = W_row * grad_x_col; dW_row = x_mat * grad_x_col^T.
  const Geometry g(shape_, order_);
  const Index channels = shape_.channels, filters = shape_.filters;
  kernels::Im2ColPass(*pool_, g, min_work_per_thread_, grad_output, grad_x_col_.data());
  const T* w_row = WeightRows(weights);
  kernels::ForwardPass<T>(*pool_, g, channels, min_work_per_thread_, nullptr, w_row, nullptr, grad_x_col_.data(),
                          dy_mat_.data());
  kernels::ReshapePass(*pool_, g, order_, channels, min_work_per_thread_, dy_mat_.data(), /*to_tensor=*/true,
                       grad_input);
  if (grad_weights) {
    kernels::BackwardProducts<T>(*pool_, g, channels, min_work_per_thread_, grad_x_col_.data(), nullptr,
                                 y_mat_.data(), grad_w_row_.data(), nullptr, nullptr);
    const Index per_row = rows_ / shape_.groups, rows_per_group = channels / shape_.groups;
    for (Index c = 0; c < channels; ++c) {
      const Index group = c / rows_per_group;
      for (Index r = group * per_row; r < (group + 1) * per_row; ++r)
        grad_weights[c * per_row + weight_offset_of_row_[static_cast<size_t>(r)]] = grad_w_row_(c, r);
    }
  }
  if (grad_bias) {
    const Index plane = Index{shape_.OutHeight()} * shape_.OutWidth();
    std::fill(grad_bias, grad_bias + filters, T(0));
    for (Index map = 0; map < Index{shape_.batch} * filters; ++map) {
      T sum = 0;
      for (const T* v = grad_output + map * plane; v != grad_output + (map + 1) * plane; ++v) sum += *v;
      grad_bias[map % filters] += sum;
    }
  }
}

template <typename T>
void FastConvolution<T>::Backward(const T* weights, const T* grad_output, T* grad_input, T* grad_weights,
                                  T* grad_bias) {
  UseOneBlasThreadPerPart();
  if (shape_.op == Op::Transposed) return BackwardTransposed(weights, grad_output, grad_input, grad_weights, grad_bias);
  const Index filters = shape_.filters;
  const bool direct = dy_mat_.size() == 0;
  if (!direct) GatherGradOutput(grad_output);
  const bool weights_are_w_row = grad_w_row_.size() == 0;
  T* grad_w_row = grad_weights == nullptr ? nullptr : weights_are_w_row ? grad_weights : grad_w_row_.data();
  kernels::BackwardProducts(*pool_, Geometry(shape_, order_), filters, min_work_per_thread_, x_col_.data(),
                            WeightRows(weights), direct ? grad_output : dy_mat_.data(), grad_w_row, grad_bias,
                            grad_x_col_.data());
  if (grad_weights && !weights_are_w_row) {
    const Index per_row = rows_ / shape_.groups, rows_per_group = filters / shape_.groups;
    for (Index f = 0; f < filters; ++f) {
      const Index group = f / rows_per_group;
      for (Index r = group * per_row; r < (group + 1) * per_row; ++r)
        grad_weights[f * per_row + weight_offset_of_row_[static_cast<size_t>(r)]] = grad_w_row_(f, r);
    }
  }
  Col2Im(grad_input);
}

template <typename T>
void FastConvolution<T>::Col2Im(T* grad_input) {
  kernels::Col2ImPass(*pool_, Geometry(shape_, order_), min_work_per_thread_, grad_x_col_.data(), grad_input);
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
  const Index weights_size = shape.WeightRows() * shape.PatchSize() / shape.groups;  // W_row's diagonal blocks
  const std::vector<float> input = random_values(input_size), weights = random_values(weights_size),
                           bias = random_values(filters), grad_output = random_values(output_size);
  std::vector<float> loops_out(output_size), fast_out(output_size);
  std::vector<float> loops_grad_in(input_size), fast_grad_in(input_size);
  std::vector<float> loops_grad_w(weights_size), fast_grad_w(weights_size);
  std::vector<float> loops_grad_b(filters), fast_grad_b(filters);
  FastConvolution<float> fast(shape, order, threads);

  std::vector<double> samples(static_cast<size_t>(repeats));
  // One warm-up run (first touch, caches, worker wake-up) that also sizes the samples:
  // runs repeated until a sample lasts kMinSampleMs, then the median of `repeats`.
  Index runs = 1;
  auto elapsed_ms = [](auto&& run, Index count) {
    const auto start = std::chrono::steady_clock::now();
    for (Index k = 0; k < count; ++k) run();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  auto time_ms = [&](auto&& run) {
    if (cancel && cancel->load()) return 0.0;
    run();  // warm-up
    runs = 1;
    constexpr Index kMaxRuns = Index{1} << 20;
    for (double took = elapsed_ms(run, runs); took < kMinSampleMs && runs < kMaxRuns; took = elapsed_ms(run, runs)) {
      if (cancel && cancel->load()) return 0.0;
      const double scale = std::clamp(kMinSampleMs * 1.25 / std::max(took, 1e-6), 2.0, 1024.0);
      runs = std::min(kMaxRuns, static_cast<Index>(std::ceil(static_cast<double>(runs) * scale)));
    }
    for (double& sample : samples) {
      if (cancel && cancel->load()) return 0.0;
      sample = elapsed_ms(run, runs) / static_cast<double>(runs);
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
    entry.runs_per_sample = runs;
    entry.gflops = ms > 0.0 ? flops / (ms * 1e6) : 0.0;
    entry.speedup_vs_loops = ms > 0.0 ? loops_ms / ms : 0.0;
    report.entries.push_back(entry);
    return true;
  };

  const double loops_forward =
      time_ms([&] { DirectConvolution(input.data(), weights.data(), bias.data(), shape, loops_out.data()); });
  if (!add("loops-forward", loops_forward, report.forward_flops, loops_forward)) return report;
  // A transposed convolution's forward pass is x_mat, one GEMM and a col2im (its
  // backward is im2col of dY and GEMMs): its entries are named for what they time.
  const bool transposed = shape.op == Op::Transposed;
  if (!add(transposed ? "x-mat" : "im2col", time_ms([&] { fast.Im2Col(input.data()); }), 0.0, loops_forward))
    return report;
  const double gemm = time_ms([&] { fast.Multiply(weights.data(), bias.data(), fast_out.data()); });
  if (!add(transposed ? "gemm-col2im" : "gemm", gemm, report.forward_flops, loops_forward)) return report;
  const double forward =
      time_ms([&] { fast.Forward(input.data(), weights.data(), bias.data(), fast_out.data()); });
  if (!add(transposed ? "gemm-col2im-forward" : "im2col-gemm-forward", forward, report.forward_flops, loops_forward))
    return report;
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
