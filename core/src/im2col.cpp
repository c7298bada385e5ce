#include "im2col/im2col.h"

#include <algorithm>

namespace im2col {
namespace {

// Calls visit(j, y, x_in_range, x) for every column of one X_col row, i.e. for every
// output position (n, oy, ox), where (y, x) is the sampled input coordinate. The
// visiting order makes j increase by one each call, so writes are sequential.
template <typename Visit>
void ForEachColumn(const Shape& s, Order order, const PatchOffset& o, Visit&& visit) {
  const int ho = s.OutHeight(), wo = s.OutWidth();
  const Index patches = Index{ho} * wo;
  for (int n = 0; n < s.batch; ++n) {
    Index j = n * patches;
    if (order == Order::RowMajor) {
      for (int oy = 0; oy < ho; ++oy) {
        const int y = oy * s.stride.h - s.padding.h + o.ky * s.dilation.h;
        for (int ox = 0; ox < wo; ++ox, ++j) {
          visit(j, n, y, ox * s.stride.w - s.padding.w + o.kx * s.dilation.w);
        }
      }
    } else {
      for (int ox = 0; ox < wo; ++ox) {
        const int x = ox * s.stride.w - s.padding.w + o.kx * s.dilation.w;
        for (int oy = 0; oy < ho; ++oy, ++j) {
          visit(j, n, oy * s.stride.h - s.padding.h + o.ky * s.dilation.h, x);
        }
      }
    }
  }
}

}  // namespace

template <typename T>
void Im2Col(const T* input, const Shape& s, Order order, RowMatrix<T>& x_col) {
  const Index rows = s.PatchSize(), cols = s.ColumnCount();
  x_col.resize(rows, cols);
  const Index plane = Index{s.height} * s.width, image = plane * s.channels;
  for (Index r = 0; r < rows; ++r) {
    const PatchOffset o = PatchOffsetOf(s, order, r);
    T* out = x_col.row(r).data();
    ForEachColumn(s, order, o, [&](Index j, int n, int y, int x) {
      const bool inside = y >= 0 && y < s.height && x >= 0 && x < s.width;
      out[j] = inside ? input[n * image + o.c * plane + Index{y} * s.width + x] : T(0);
    });
  }
}

template <typename T>
void Col2Im(const RowMatrix<T>& x_col, const Shape& s, Order order, T* grad_input) {
  const Index plane = Index{s.height} * s.width, image = plane * s.channels;
  std::fill(grad_input, grad_input + image * s.batch, T(0));
  for (Index r = 0; r < x_col.rows(); ++r) {
    const PatchOffset o = PatchOffsetOf(s, order, r);
    const T* in = x_col.row(r).data();
    ForEachColumn(s, order, o, [&](Index j, int n, int y, int x) {
      if (y >= 0 && y < s.height && x >= 0 && x < s.width) {
        grad_input[n * image + o.c * plane + Index{y} * s.width + x] += in[j];
      }
    });
  }
}

void Col2ImPrefix(const Matrix& x_col, const Shape& s, Order order, Index columns, double* sum,
                  double* overwrite, double* counts) {
  const Index size = Index{s.batch} * s.channels * s.height * s.width;
  for (double* out : {sum, overwrite, counts}) {
    if (out) std::fill(out, out + size, 0.0);
  }
  columns = std::clamp<Index>(columns, 0, x_col.cols());
  std::vector<Window> windows(static_cast<size_t>(columns));
  for (Index j = 0; j < columns; ++j) windows[static_cast<size_t>(j)] = WindowOf(s, order, j);
  // Which column last wrote each pixel: rows ascend in the outer loop, so within one
  // column a later row already wins; across columns the larger column wins.
  std::vector<Index> last_column(overwrite ? static_cast<size_t>(size) : 0, -1);
  const Index plane = Index{s.height} * s.width, image = plane * s.channels;
  for (Index r = 0; r < x_col.rows(); ++r) {
    const PatchOffset o = PatchOffsetOf(s, order, r);
    const int dy = o.ky * s.dilation.h, dx = o.kx * s.dilation.w;
    const double* values = x_col.row(r).data();
    for (Index j = 0; j < columns; ++j) {
      const Window& w = windows[static_cast<size_t>(j)];
      const int y = w.top + dy, x = w.left + dx;
      if (y < 0 || y >= s.height || x < 0 || x >= s.width) continue;
      const Index at = w.n * image + o.c * plane + Index{y} * s.width + x;
      if (sum) sum[at] += values[j];
      if (counts) counts[at] += 1.0;
      if (overwrite && j >= last_column[static_cast<size_t>(at)]) {
        overwrite[at] = values[j];
        last_column[static_cast<size_t>(at)] = j;
      }
    }
  }
}

void Col2ImOverwrite(const Matrix& x_col, const Shape& s, Order order, double* grad_input) {
  Col2ImPrefix(x_col, s, order, x_col.cols(), nullptr, grad_input, nullptr);
}

Eigen::MatrixXi OverlapCounts(const Shape& s) {
  Eigen::MatrixXi counts = Eigen::MatrixXi::Zero(s.height, s.width);
  const int ho = s.OutHeight(), wo = s.OutWidth();
  for (int ky = 0; ky < s.kernel.h; ++ky) {
    for (int kx = 0; kx < s.kernel.w; ++kx) {
      for (int oy = 0; oy < ho; ++oy) {
        const int y = oy * s.stride.h - s.padding.h + ky * s.dilation.h;
        if (y < 0 || y >= s.height) continue;
        for (int ox = 0; ox < wo; ++ox) {
          const int x = ox * s.stride.w - s.padding.w + kx * s.dilation.w;
          if (x >= 0 && x < s.width) ++counts(y, x);
        }
      }
    }
  }
  return counts;
}

template <typename T>
void DirectConvolution(const T* input, const T* weights, const T* bias, const Shape& s, T* out) {
  const int ho = s.OutHeight(), wo = s.OutWidth();
  const Index in_plane = Index{s.height} * s.width, out_plane = Index{ho} * wo;
  for (int n = 0; n < s.batch; ++n) {
    for (int f = 0; f < s.filters; ++f) {
      T* o = out + (Index{n} * s.filters + f) * out_plane;
      std::fill(o, o + out_plane, bias ? bias[f] : T(0));
      for (int c = 0; c < s.channels; ++c) {
        const T* x = input + (Index{n} * s.channels + c) * in_plane;
        for (int ky = 0; ky < s.kernel.h; ++ky) {
          for (int kx = 0; kx < s.kernel.w; ++kx) {
            const T w = weights[((Index{f} * s.channels + c) * s.kernel.h + ky) * s.kernel.w + kx];
            for (int oy = 0; oy < ho; ++oy) {
              const int y = oy * s.stride.h - s.padding.h + ky * s.dilation.h;
              if (y < 0 || y >= s.height) continue;
              const T* row = x + Index{y} * s.width;
              T* orow = o + Index{oy} * wo;
              for (int ox = 0; ox < wo; ++ox) {
                const int xx = ox * s.stride.w - s.padding.w + kx * s.dilation.w;
                if (xx >= 0 && xx < s.width) orow[ox] += w * row[xx];
              }
            }
          }
        }
      }
    }
  }
}

template <typename T>
void DirectConvolutionBackward(const T* input, const T* weights, const T* grad_output, const Shape& s,
                               T* grad_input, T* grad_weights, T* grad_bias) {
  const int ho = s.OutHeight(), wo = s.OutWidth();
  const Index in_plane = Index{s.height} * s.width, out_plane = Index{ho} * wo;
  std::fill(grad_input, grad_input + in_plane * s.channels * s.batch, T(0));
  std::fill(grad_weights, grad_weights + Index{s.filters} * s.channels * s.kernel.h * s.kernel.w, T(0));
  std::fill(grad_bias, grad_bias + s.filters, T(0));
  for (int n = 0; n < s.batch; ++n) {
    for (int f = 0; f < s.filters; ++f) {
      const T* g = grad_output + (Index{n} * s.filters + f) * out_plane;
      for (Index i = 0; i < out_plane; ++i) grad_bias[f] += g[i];
      for (int c = 0; c < s.channels; ++c) {
        const T* x = input + (Index{n} * s.channels + c) * in_plane;
        T* gx = grad_input + (Index{n} * s.channels + c) * in_plane;
        for (int ky = 0; ky < s.kernel.h; ++ky) {
          for (int kx = 0; kx < s.kernel.w; ++kx) {
            const Index wi = ((Index{f} * s.channels + c) * s.kernel.h + ky) * s.kernel.w + kx;
            const T w = weights[wi];
            T dw = 0;
            for (int oy = 0; oy < ho; ++oy) {
              const int y = oy * s.stride.h - s.padding.h + ky * s.dilation.h;
              if (y < 0 || y >= s.height) continue;
              for (int ox = 0; ox < wo; ++ox) {
                const int xx = ox * s.stride.w - s.padding.w + kx * s.dilation.w;
                if (xx < 0 || xx >= s.width) continue;
                const T go = g[Index{oy} * wo + ox];
                dw += x[Index{y} * s.width + xx] * go;
                gx[Index{y} * s.width + xx] += w * go;
              }
            }
            grad_weights[wi] += dw;
          }
        }
      }
    }
  }
}

template void Im2Col<float>(const float*, const Shape&, Order, RowMatrix<float>&);
template void Im2Col<double>(const double*, const Shape&, Order, RowMatrix<double>&);
template void Col2Im<float>(const RowMatrix<float>&, const Shape&, Order, float*);
template void Col2Im<double>(const RowMatrix<double>&, const Shape&, Order, double*);
template void DirectConvolution<float>(const float*, const float*, const float*, const Shape&, float*);
template void DirectConvolution<double>(const double*, const double*, const double*, const Shape&, double*);
template void DirectConvolutionBackward<float>(const float*, const float*, const float*, const Shape&, float*,
                                               float*, float*);
template void DirectConvolutionBackward<double>(const double*, const double*, const double*, const Shape&,
                                                double*, double*, double*);

}  // namespace im2col
