// The optimised im2col + GEMM convolution, forward and backward, in float32 or
// double: what the benchmark (`im2col-lab bench`, bench/*.cpp) and the GUI's
// "Cost" panel time against the direct nested loops of im2col/im2col.h.
//
// Memory (all row-major, x fastest, exactly as im2col/im2col.h):
//   input        N x C x H x W          weights      F x C/G x KH x KW (transposed: C x F/G x KH x KW)
//   bias         F (may be null: zeros) output       N x F x HO x WO
//   grad_output  N x F x HO x WO        grad_input   N x C x H x W
//   grad_weights shape of the weights   grad_bias    F
// With groups G > 1 the products are G small GEMMs on W_row's diagonal blocks. For op
// transposed, X_col is W_row^T * x_mat (R = F*KH*KW, one column per input pixel),
// col2im scatters it into the output, and the backward pass im2cols dY.
//   X_col, dX_col  R x (N*L), R = C*KH*KW, L = HO*WO, indices as in
//                  im2col/indexing.h for the chosen Order (column j = n*L + l).
// Padding PH x PW zeros on both sides, stride SH x SW, dilation DH x DW.
//
// Speed comes from: one GEMM per product (Eigen, or OpenBLAS behind Eigen when
// built with IM2COL_LAB_USE_BLAS), im2col/col2im written as contiguous row
// segments (memcpy when the stride is 1), and the work split over a fixed pool of
// `threads` threads created once. Nothing allocates after construction: every
// buffer lives in the FastConvolution object (Eigen's or OpenBLAS's GEMM may still
// use their own packing buffers).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "im2col/indexing.h"
#include "im2col/shape.h"
#include "im2col/tensor.h"

namespace im2col {

class WorkerPool;  // fixed threads, created once (core/src/conv_kernels.h)

// Limits on the `threads` argument everywhere in this header.
inline constexpr int kMinThreads = 1;
inline constexpr int kMaxThreads = 64;
// Below this many scalar operations per thread a phase runs on one thread: waking
// a worker costs more than it saves. Tests pass 1 to force every split.
inline constexpr Index kDefaultMinWorkPerThread = Index{1} << 15;

template <typename T>
class FastConvolution {
 public:
  // Allocates every buffer and starts threads-1 workers. Throws
  // std::invalid_argument naming the rule when the shape is invalid or threads is
  // outside [kMinThreads, kMaxThreads].
  FastConvolution(const Shape& shape, Order order, int threads,
                  Index min_work_per_thread = kDefaultMinWorkPerThread);
  ~FastConvolution();
  FastConvolution(FastConvolution&&) noexcept;
  FastConvolution& operator=(FastConvolution&&) noexcept;
  FastConvolution(const FastConvolution&) = delete;
  FastConvolution& operator=(const FastConvolution&) = delete;

  const Shape& shape() const { return shape_; }
  Order order() const { return order_; }
  int threads() const;

  // ---- forward ----
  // X_col = im2col(input).
  void Im2Col(const T* input);
  // output = reshape(W_row * X_col + bias), using the X_col of the last Im2Col.
  void Multiply(const T* weights, const T* bias, T* output);
  // Im2Col then Multiply.
  void Forward(const T* input, const T* weights, const T* bias, T* output);

  // ---- backward (uses the X_col of the last Im2Col / Forward) ----
  // dW_row = dY_mat * X_col^T, db = row sums of dY_mat, dX_col = W_row^T * dY_mat,
  // grad_input = col2im(dX_col) (summed where patches overlap). Any of
  // grad_weights, grad_bias may be null to skip it.
  void Backward(const T* weights, const T* grad_output, T* grad_input, T* grad_weights, T* grad_bias);
  // grad_input = col2im(dX_col of the last Backward); exposed for timing alone.
  void Col2Im(T* grad_input);

  // R x N*L in canonical columns-layout indices, as core's Compute keeps them.
  const RowMatrix<T>& XCol() const { return x_col_; }
  const RowMatrix<T>& GradXCol() const { return grad_x_col_; }

 private:
  void RunForward(const T* input_or_null, const T* weights, const T* bias, T* output);
  void GatherGradOutput(const T* grad_output);
  const T* WeightRows(const T* weights);  // F x R (transposed: C x R) row-major W_row for this order
  void BackwardTransposed(const T* weights, const T* grad_output, T* grad_input, T* grad_weights, T* grad_bias);

  Shape shape_;
  Order order_;
  Index rows_ = 0;     // R
  Index columns_ = 0;  // N*L
  Index min_work_per_thread_;
  std::unique_ptr<WorkerPool> pool_;
  RowMatrix<T> x_col_;       // R x N*L
  RowMatrix<T> grad_x_col_;  // R x N*L
  // Only used when output memory is not already Y_mat (N > 1 or column-major). For
  // op transposed: x_mat (C x N*L) and the matrix of dX (C x N*L).
  RowMatrix<T> y_mat_;       // F x N*L
  RowMatrix<T> dy_mat_;      // F x N*L
  // Only used in column-major order, with groups or transposed, where W_row is not the
  // weights' memory: its columns are a permutation of (c, ky, kx), or it is block-diagonal.
  RowMatrix<T> w_row_;       // F x R (transposed: C x R)
  RowMatrix<T> grad_w_row_;  // F x R (transposed: C x R)
  std::vector<Index> weight_offset_of_row_;  // r -> (c mod C/G, ky, kx) offset inside one W_row row's weights
};

extern template class FastConvolution<float>;
extern template class FastConvolution<double>;

// ---- timing: loops vs im2col + GEMM, for `bench` and the GUI's Cost panel ----

inline constexpr double kMinSampleMs = 2.0;

struct TimingEntry {
  std::string name;   // "loops-forward", "im2col", "gemm", "im2col-gemm-forward",
                      // "loops-backward", "im2col-gemm-backward"; op transposed has
                      // "x-mat", "gemm-col2im", "gemm-col2im-forward" for the middle three
  double ms = 0.0;    // median wall time of one run over the repeats
  // Runs timed together in each sample: a run shorter than kMinSampleMs is repeated
  // until a sample lasts that long (a 4x4x3 convolution takes well under a microsecond,
  // below what one clock reading resolves), and the sample divided by the count.
  Index runs_per_sample = 1;
  double gflops = 0.0;            // useful FLOPs / time; 0 for pure data movement (im2col)
  double speedup_vs_loops = 0.0;  // loops time of the same direction / ms
};

struct TimingReport {
  Shape shape;
  Order order = Order::RowMajor;
  int threads = 1;   // threads used by the im2col + GEMM path; the loops use one
  int repeats = 1;
  std::vector<TimingEntry> entries;  // in the order of the names above
  Index x_col_bytes = 0;  // float32
  Index input_bytes = 0;  // float32
  double forward_flops = 0.0;   // 2*F*R*N*L
  double backward_flops = 0.0;  // 4*F*R*N*L (dW and dX_col)
  // Largest |fast - loops| over output, grad_input and grad_weights, relative to
  // the largest |loops| value: the timed paths computed the same thing.
  double max_relative_difference = 0.0;
  bool cancelled = false;  // `cancel` was set: entries are incomplete

  const TimingEntry* Find(const std::string& name) const;
};

// Times, in float32 on random values in [-1, 1] (fixed seed), each phase `repeats`
// times after one warm-up run and keeps the median. The direct loops run on the
// calling thread (core's DirectConvolution / DirectConvolutionBackward); the
// im2col + GEMM path uses `threads` threads. Safe to call from a worker thread;
// set *cancel to stop early. Throws std::invalid_argument naming the field when the
// shape is invalid, repeats is outside [1, 1000] or threads outside [1, 64].
TimingReport MeasureLoopsVsIm2col(const Shape& shape, int repeats, int threads,
                                  Order order = Order::RowMajor,
                                  const std::atomic<bool>* cancel = nullptr);

// Caps the threads the BLAS behind Eigen may use for one product (process-wide; no-op
// without OpenBLAS). The window computes on one worker while the software renderer
// draws on the other cores: OpenBLAS's spinning helpers would take those cores.
void LimitBlasThreads(int threads);

// Which GEMM is behind Eigen in this build: "OpenBLAS" or "Eigen".
std::string GemmBackendName();

}  // namespace im2col
