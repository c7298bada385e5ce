// The fast im2col + GEMM building blocks, shared by FastConvolution (fast_conv.cpp),
// Compute (convolution.cpp) and the im2col / col2im kernels (im2col.cpp). Internal to
// core: the public interfaces are im2col/fast_conv.h, im2col/convolution.h and
// im2col/im2col.h, which document the memory order of every argument (all row-major,
// X_col R x N*L with indices as in im2col/indexing.h).
//
// [SECTION] Worker pool   fixed threads, one task per part, no allocation per run
// [SECTION] Geometry      one description of both orders: an outer and an inner axis
// [SECTION] Kernels       im2col lines, col2im bands, Y_mat <-> N x F x HO x WO
// [SECTION] Passes        the kernels and GEMMs split over a pool (fast_conv.cpp)
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "im2col/indexing.h"
#include "im2col/shape.h"

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

namespace kernels {

struct Range {
  Index begin = 0;
  Index end = 0;
  Index size() const { return end - begin; }
};

// Part `part` of [0, total) cut into `parts` nearly equal contiguous ranges.
inline Range PartOf(Index total, int parts, int part) { return {total * part / parts, total * (part + 1) / parts}; }

// How many parts a phase of `work` scalar operations is worth splitting into.
inline int PartsFor(Index work, int threads, Index min_work_per_thread) {
  const Index worth = work / std::max<Index>(1, min_work_per_thread);
  return static_cast<int>(std::clamp<Index>(worth, 1, threads));
}

// ceil(a / b) for b > 0, clamped below at 0.
inline Index CeilDivAtLeastZero(Index a, Index b) { return a <= 0 ? 0 : (a + b - 1) / b; }

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
  Index groups = 1;                           // G: W_row is block-diagonal with G blocks

  // For op transposed the "input" of these kernels is its output image (HO x WO, F
  // channels) and the lines are its input pixels: Shape::ImageHeight / GridHeight.
  Geometry(const Shape& s, Order order) {
    const Axis y{s.ImageHeight(), s.GridHeight(), s.stride.h, s.padding.h, s.dilation.h, s.ImageWidth()};
    const Axis x{s.ImageWidth(), s.GridWidth(), s.stride.w, s.padding.w, s.dilation.w, 1};
    const bool row_major = order == Order::RowMajor;
    outer = row_major ? y : x;
    inner = row_major ? x : y;
    k_outer = row_major ? s.kernel.h : s.kernel.w;
    k_inner = row_major ? s.kernel.w : s.kernel.h;
    batch = s.batch;
    channels = s.PatchChannels();
    plane = Index{s.ImageHeight()} * s.ImageWidth();
    patches = s.PatchCount();
    columns = s.ColumnCount();
    groups = std::max(1, s.groups);
  }
  Index rows() const { return channels * k_outer * k_inner; }  // R
  Index lines() const { return batch * outer.out; }            // output lines, inner.out columns each
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
  const Index rows = g.rows();
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
  const Index rows = g.rows();
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

// ============================================================================
// [SECTION] Passes (defined in fast_conv.cpp for float and double)
// ============================================================================
// Each splits its work over `pool` when it is worth min_work_per_thread scalar
// operations per part, and allocates nothing (Eigen's or OpenBLAS's GEMM may use
// their own packing buffers).

// x_col (R x N*L) = im2col(input).
template <typename T>
void Im2ColPass(WorkerPool& pool, const Geometry& g, Index min_work_per_thread, const T* input, T* x_col);

// y_mat (F x N*L) = bias + w_row (F x R) * x_col, bias per row (null: zeros). With
// `input` given, each part first im2cols its own block of output lines into x_col
// and multiplies the same columns while they are still in its cache. With g.groups > 1
// w_row is block-diagonal (F/G x R/G blocks) and only the G diagonal blocks are multiplied.
template <typename T>
void ForwardPass(WorkerPool& pool, const Geometry& g, Index filters, Index min_work_per_thread, const T* input_or_null,
                 const T* w_row, const T* bias, T* x_col, T* y_mat);

// grad_w_row (F x R) = dy_mat * x_col^T, grad_bias (F) = row sums of dy_mat,
// grad_x_col (R x N*L) = w_row^T * dy_mat. grad_w_row, grad_bias or grad_x_col may be
// null to skip it (then x_col, resp. w_row, is not read and may be null). With
// g.groups > 1 only the diagonal blocks are computed; grad_w_row is 0 off them.
template <typename T>
void BackwardProducts(WorkerPool& pool, const Geometry& g, Index filters, Index min_work_per_thread, const T* x_col,
                      const T* w_row, const T* dy_mat, T* grad_w_row, T* grad_bias, T* grad_x_col);

// grad_input (N x C x H x W, overwritten) = col2im(grad_x_col), summed where patches overlap.
template <typename T>
void Col2ImPass(WorkerPool& pool, const Geometry& g, Index min_work_per_thread, const T* grad_x_col, T* grad_input);

// Y_mat-shaped <-> tensor-shaped memory for all N*F maps (see Reshape).
template <typename T>
void ReshapePass(WorkerPool& pool, const Geometry& g, Order order, Index filters, Index min_work_per_thread,
                 const T* from, bool to_tensor, T* to);

}  // namespace kernels
}  // namespace im2col
