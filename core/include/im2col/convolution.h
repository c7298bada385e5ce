// The whole forward and backward pass of one scenario, as the app shows it.
// Every matrix is kept in canonical "columns" indices (X_col is R x N*L); the
// `rows` layout is a transposed *display* of the same numbers, see DisplayMatrix.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "im2col/indexing.h"
#include "im2col/scenario.h"
#include "im2col/tensor.h"

namespace im2col {

// For op conv (groups G): weights F x C/G x KH x KW and W_row F x R block-diagonal.
// For op transposed the fields mean: weights C x F/G x KH x KW, w_row C x R
// (R = F*KH*KW), x_mat C x N*L (L = H*W), x_col = w_row^T * x_mat, output = col2im(x_col)
// + bias (N x F x HO x WO); y_mat and dy_mat stay empty; grad_x_col = im2col(grad_output),
// grad_w_row C x R = x_mat * grad_x_col^T, grad_input = w_row * grad_x_col reshaped;
// grad_input_overwrite is the forward col2im overwriting (N x F x HO x WO); overlap HO x WO.
struct Computation {
  Scenario scenario;  // valid, as computed
  Shape shape;        // == scenario.shape

  Tensor4 input;        // N x C x H x W
  Tensor4 weights;      // F x C x KH x KW
  std::vector<double> bias;  // F
  Tensor4 grad_output;  // N x F x HO x WO

  Matrix x_mat;   // transposed only: C x N*L, the input as a matrix
  Matrix x_col;   // R x N*L
  Matrix w_row;   // F x R, w_row(f, r) = W[f, c, ky, kx]
  Matrix y_mat;   // F x N*L = w_row * x_col + bias
  Tensor4 output; // N x F x HO x WO, reshape of y_mat

  Matrix dy_mat;        // F x N*L, reshape of grad_output
  Matrix grad_w_row;    // F x R = dy_mat * x_col^T
  std::vector<double> grad_bias;  // F, row sums of dy_mat
  Tensor4 grad_weights; // F x C x KH x KW
  Matrix grad_x_col;    // R x N*L = w_row^T * dy_mat
  Tensor4 grad_input;   // N x C x H x W = col2im(grad_x_col), summed
  Tensor4 grad_input_overwrite;  // what col2im gives if it overwrote instead of summing
  Eigen::MatrixXi overlap;       // H x W

  // True when no two X_col cells copy the same pixel (stride >= dilated kernel):
  // then summing and overwriting agree.
  bool PatchesOverlap() const;
};

// Computes everything with the fast im2col + GEMM paths (fast_conv.h), split over
// `threads` threads (1..64; clamped) when a product is large enough to be worth it;
// more than one also limits the BLAS to one thread per product (LimitBlasThreads).
// Throws std::invalid_argument listing the broken rules when the scenario is not
// valid (callers check Scenario::Validate first).
Computation Compute(const Scenario& scenario, int threads = 1);

// Compute in two halves, for a caller that uses the forward results (e.g. prepares
// X_col for display) while the backward half runs. ComputeForward fills the scenario's
// tensors and x_col, w_row, y_mat, output, and throws like Compute; the backward fields
// stay empty until ComputeBackward(c) fills them, which reads only those fields (other
// threads may read them meanwhile) and throws std::invalid_argument for a computation
// ComputeForward did not make.
Computation ComputeForward(const Scenario& scenario, int threads = 1);
void ComputeBackward(Computation& c, int threads = 1);
// ComputeBackward in two halves, for a caller that spreads the work over time (the
// browser page, one half a frame): the weight gradients (dy_mat, grad_w_row, grad_bias,
// grad_weights), then the input gradients (grad_x_col, grad_input, grad_input_overwrite,
// overlap), which need the first half's dy_mat and throw std::invalid_argument without it.
// For op transposed the first half computes all of it and the second does nothing.
void ComputeWeightGradients(Computation& c, int threads = 1);
void ComputeInputGradients(Computation& c, int threads = 1);

// The matrices as displayed: identity for `columns`, transposed for `rows`.
enum class MatrixId { XCol, WRow, YMat, GradXCol, GradWRow, DyMat, XMat };
std::string ToString(MatrixId id);  // "x_col", "w_row", "y_mat", "grad_x_col", ..., "x_mat"
// X_col and dX_col: R x N*L with rows (c, ky, kx), and padding zeros among their cells.
inline bool HasPatchRows(MatrixId id) { return id == MatrixId::XCol || id == MatrixId::GradXCol; }
const Matrix& CanonicalMatrix(const Computation& c, MatrixId id);
// Rows layout transposes x_col, y_mat, grad_x_col, dy_mat and x_mat; w_row is always F x R
// (transposed: C x R).
bool IsTransposedInLayout(MatrixId id, Layout layout);
Matrix DisplayMatrix(const Computation& c, MatrixId id);

// Bytes of X_col and of the input tensor, at the given element size.
Index XColBytes(const Shape& s, Index element_bytes = sizeof(double));
Index InputBytes(const Shape& s, Index element_bytes = sizeof(double));
// Multiply-adds of the forward GEMM on W_row's diagonal blocks: F * R/G * N*L for conv,
// C * R/G * N*L for transposed (FLOPs = 2x this).
Index ForwardMacs(const Shape& s);

}  // namespace im2col
