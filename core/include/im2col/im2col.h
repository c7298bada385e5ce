// The im2col / col2im kernels, templated on the scalar type so the benchmark can
// run them in float32 while the app computes in double.
//
// Memory: `input` is N x C x H x W, row-major (x fastest). `x_col` is R x (N*L),
// R = C*KH*KW, L = HO*WO, stored row-major, indices as in im2col/indexing.h for
// the given Order. Padding is PH x PW zeros on both sides; stride SH x SW;
// dilation DH x DW. The shape must be valid. For op transposed the same kernels work on
// its geometry (Shape::ImageHeight / GridHeight): "input" is then its output image
// (N x F x HO x WO) and X_col has one column per input pixel.
#pragma once

#include <cstdint>
#include <vector>

#include "im2col/indexing.h"
#include "im2col/shape.h"
#include "im2col/tensor.h"

namespace im2col {

// Fills x_col (resized to R x N*L) from input. Padding cells become 0.
template <typename T>
void Im2Col(const T* input, const Shape& s, Order order, RowMatrix<T>& x_col);

// Adjoint of Im2Col: grad_input (N*C*H*W, overwritten) = sum over every
// non-padding cell (r, j) of x_col(r, j) into its source pixel.
template <typename T>
void Col2Im(const RowMatrix<T>& x_col, const Shape& s, Order order, T* grad_input);

// What a buggy col2im that *overwrites* instead of summing gives: cells are visited
// in timeline order (column by column, rows in order) and the last write wins.
// Pixels no cell reaches stay 0.
void Col2ImOverwrite(const Matrix& x_col, const Shape& s, Order order, double* grad_input);

// Padding flags of X_col (R x N*L, row-major, indices as above): 1 where cell (r, j)
// is a padding zero, 0 where it copies an input pixel.
std::vector<std::uint8_t> PaddingCells(const Shape& s, Order order);

// col2im of only the first `columns` columns, as the animation shows it part-way.
// Each output (N*C*H*W, any may be null) is overwritten: `sum` accumulates (+=),
// `overwrite` keeps the last write in timeline order, `counts` counts the writes.
void Col2ImPrefix(const Matrix& x_col, const Shape& s, Order order, Index columns, double* sum,
                  double* overwrite, double* counts);

// overlap(y, x) = how many X_col cells copy pixel (y, x) of one channel of one image.
Eigen::MatrixXi OverlapCounts(const Shape& s);

// The reference: a direct nested-loop convolution, out = N x F x HO x WO,
// weights F x C/G x KH x KW (op transposed: C x F/G x KH x KW), bias F. Used by tests
// and the benchmark's baseline. Handles groups, and op transposed by scattering every
// input pixel times the kernel into the output.
template <typename T>
void DirectConvolution(const T* input, const T* weights, const T* bias, const Shape& s, T* out);

// Direct nested-loop backward pass: given dY (N x F x HO x WO) computes dX
// (N x C x H x W), dW (shape of the weights above) and db (F), all overwritten.
template <typename T>
void DirectConvolutionBackward(const T* input, const T* weights, const T* grad_output,
                               const Shape& s, T* grad_input, T* grad_weights, T* grad_bias);

extern template void Im2Col<float>(const float*, const Shape&, Order, RowMatrix<float>&);
extern template void Im2Col<double>(const double*, const Shape&, Order, RowMatrix<double>&);
extern template void Col2Im<float>(const RowMatrix<float>&, const Shape&, Order, float*);
extern template void Col2Im<double>(const RowMatrix<double>&, const Shape&, Order, double*);
extern template void DirectConvolution<float>(const float*, const float*, const float*, const Shape&, float*);
extern template void DirectConvolution<double>(const double*, const double*, const double*, const Shape&, double*);
extern template void DirectConvolutionBackward<float>(const float*, const float*, const float*, const Shape&,
                                                      float*, float*, float*);
extern template void DirectConvolutionBackward<double>(const double*, const double*, const double*,
                                                       const Shape&, double*, double*, double*);

}  // namespace im2col
