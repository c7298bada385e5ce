// A dense 4-D tensor N x C x H x W stored row-major (x fastest), and the matrix
// type used for X_col, W_row, Y_mat and their gradients.
#pragma once

#include <Eigen/Core>
#include <cassert>
#include <vector>

#include "im2col/shape.h"

namespace im2col {

// Row-major dynamic matrix: row r is contiguous, matching how the JSON lists rows.
template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Matrix = RowMatrix<double>;

struct Tensor4 {
  int n = 0, c = 0, h = 0, w = 0;
  std::vector<double> data;  // size n*c*h*w, index ((i*c + ch)*h + y)*w + x

  Tensor4() = default;
  Tensor4(int n_, int c_, int h_, int w_, double fill = 0.0)
      : n(n_), c(c_), h(h_), w(w_), data(static_cast<size_t>(Index{n_} * c_ * h_ * w_), fill) {}

  Index Size() const { return static_cast<Index>(data.size()); }
  Index Offset(int i, int ch, int y, int x) const {
    return ((Index{i} * c + ch) * h + y) * w + x;
  }
  double& operator()(int i, int ch, int y, int x) { return data[static_cast<size_t>(Offset(i, ch, y, x))]; }
  double operator()(int i, int ch, int y, int x) const { return data[static_cast<size_t>(Offset(i, ch, y, x))]; }
  friend bool operator==(const Tensor4& a, const Tensor4& b) {
    return a.n == b.n && a.c == b.c && a.h == b.h && a.w == b.w && a.data == b.data;
  }
};

}  // namespace im2col
