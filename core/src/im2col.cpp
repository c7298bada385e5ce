#include "im2col/im2col.h"

#include <algorithm>

#include "conv_kernels.h"

namespace im2col {

template <typename T>
void Im2Col(const T* input, const Shape& s, Order order, RowMatrix<T>& x_col) {
  const kernels::Geometry g(s, order);
  x_col.resize(g.rows(), g.columns);
  kernels::Im2ColLines(input, g, kernels::Range{0, g.lines()}, x_col.data());
}

template <typename T>
void Col2Im(const RowMatrix<T>& x_col, const Shape& s, Order order, T* grad_input) {
  const kernels::Geometry g(s, order);
  kernels::Col2ImBand(x_col.data(), g, kernels::Range{0, g.outer.in}, grad_input);
}

std::vector<std::uint8_t> PaddingCells(const Shape& s, Order order) {
  // im2col of an all-ones image marks every copied pixel; the rest are padding zeros.
  const kernels::Geometry g(s, order);
  const std::vector<std::uint8_t> ones(static_cast<size_t>(g.batch * g.channels * g.plane), 1);
  std::vector<std::uint8_t> padding(static_cast<size_t>(g.rows() * g.columns));
  kernels::Im2ColLines(ones.data(), g, kernels::Range{0, g.lines()}, padding.data());
  for (std::uint8_t& cell : padding) cell ^= 1;
  return padding;
}

void Col2ImPrefix(const Matrix& x_col, const Shape& s, Order order, Index columns, double* sum,
                  double* overwrite, double* counts) {
  const int height = s.ImageHeight(), width = s.ImageWidth();
  const Index size = Index{s.batch} * s.PatchChannels() * height * width;
  for (double* out : {sum, overwrite, counts}) {
    if (out) std::fill(out, out + size, 0.0);
  }
  columns = std::clamp<Index>(columns, 0, x_col.cols());
  std::vector<Window> windows(static_cast<size_t>(columns));
  for (Index j = 0; j < columns; ++j) windows[static_cast<size_t>(j)] = WindowOf(s, order, j);
  // Which column last wrote each pixel: rows ascend in the outer loop, so within one
  // column a later row already wins; across columns the larger column wins.
  std::vector<Index> last_column(overwrite ? static_cast<size_t>(size) : 0, -1);
  const Index plane = Index{height} * width, image = plane * s.PatchChannels();
  for (Index r = 0; r < x_col.rows(); ++r) {
    const PatchOffset o = PatchOffsetOf(s, order, r);
    const int dy = o.ky * s.dilation.h, dx = o.kx * s.dilation.w;
    const double* values = x_col.row(r).data();
    for (Index j = 0; j < columns; ++j) {
      const Window& w = windows[static_cast<size_t>(j)];
      const int y = w.top + dy, x = w.left + dx;
      if (y < 0 || y >= height || x < 0 || x >= width) continue;
      const Index at = w.n * image + o.c * plane + Index{y} * width + x;
      if (sum) sum[at] += values[j];
      if (counts) counts[at] += 1.0;
      if (overwrite && j >= last_column[static_cast<size_t>(at)]) {
        overwrite[at] = values[j];
        last_column[static_cast<size_t>(at)] = j;
      }
    }
  }
}

namespace {

// For every input coordinate on one axis, the last output index o (and its kernel
// offset k) that reads it, or o = -1 when none does: coordinate = o*stride - pad + k*dilation.
struct LastReader {
  int o = -1, k = 0;
};
std::vector<LastReader> LastReaders(int in, int out, int kernel, int stride, int pad, int dilation) {
  std::vector<LastReader> last(static_cast<size_t>(in));
  for (int o = 0; o < out; ++o) {  // ascending: a later o replaces an earlier one
    for (int k = 0; k < kernel; ++k) {
      const long long coord = static_cast<long long>(o) * stride - pad + static_cast<long long>(k) * dilation;
      if (coord >= 0 && coord < in) last[static_cast<size_t>(coord)] = LastReader{o, k};
    }
  }
  return last;
}

}  // namespace

void Col2ImOverwrite(const Matrix& x_col, const Shape& s, Order order, double* grad_input) {
  // The last write to a pixel comes from the last column that reads it, and one column
  // reads a pixel through one row only. The columns reading pixel (y, x) of image n are
  // every (oy, ox) pair of the oy that read y and the ox that read x, so in either order
  // the last is (largest oy, largest ox): one look-up per pixel instead of a scatter.
  const int height = s.ImageHeight(), width = s.ImageWidth(), channels = s.PatchChannels();
  const std::vector<LastReader> last_y =
      LastReaders(height, s.GridHeight(), s.kernel.h, s.stride.h, s.padding.h, s.dilation.h);
  const std::vector<LastReader> last_x =
      LastReaders(width, s.GridWidth(), s.kernel.w, s.stride.w, s.padding.w, s.dilation.w);
  for (int n = 0; n < s.batch; ++n) {
    for (int c = 0; c < channels; ++c) {
      for (int y = 0; y < height; ++y) {
        const LastReader ry = last_y[static_cast<size_t>(y)];
        double* out = grad_input + ((Index{n} * channels + c) * height + y) * width;
        for (int x = 0; x < width; ++x) {
          const LastReader rx = last_x[static_cast<size_t>(x)];
          if (ry.o < 0 || rx.o < 0) {
            out[x] = 0.0;  // no cell copies this pixel
            continue;
          }
          const Index r = RowOf(s, order, PatchOffset{c, ry.k, rx.k});
          const Index j = ColumnOf(s, order, PatchIndex{n, ry.o, rx.o});
          out[x] = x_col(r, j);
        }
      }
    }
  }
}

Eigen::MatrixXi OverlapCounts(const Shape& s) {
  const int height = s.ImageHeight(), width = s.ImageWidth();
  Eigen::MatrixXi counts = Eigen::MatrixXi::Zero(height, width);
  const int ho = s.GridHeight(), wo = s.GridWidth();
  for (int ky = 0; ky < s.kernel.h; ++ky) {
    for (int kx = 0; kx < s.kernel.w; ++kx) {
      for (int oy = 0; oy < ho; ++oy) {
        const int y = oy * s.stride.h - s.padding.h + ky * s.dilation.h;
        if (y < 0 || y >= height) continue;
        for (int ox = 0; ox < wo; ++ox) {
          const int x = ox * s.stride.w - s.padding.w + kx * s.dilation.w;
          if (x >= 0 && x < width) ++counts(y, x);
        }
      }
    }
  }
  return counts;
}

namespace {

// Direct transposed convolution: every input pixel (n, c, iy, ix) scatters its value
// times the kernel W[c, f', ky, kx] into output[n, f, iy*SH - PH + ky*DH, ...] for the
// F/G output channels f of c's group; cells outside the output are dropped.
template <typename T>
void DirectTransposed(const T* input, const T* weights, const T* bias, const Shape& s, T* out) {
  const int ho = s.OutHeight(), wo = s.OutWidth();
  const Index in_plane = Index{s.height} * s.width, out_plane = Index{ho} * wo;
  const int per_group_in = s.channels / s.groups, per_group_out = s.filters / s.groups;
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      std::fill(out + (Index{n} * s.filters + f) * out_plane, out + (Index{n} * s.filters + f + 1) * out_plane,
                bias ? bias[f] : T(0));
  for (int n = 0; n < s.batch; ++n) {
    for (int c = 0; c < s.channels; ++c) {
      const int g = c / per_group_in;
      const T* x = input + (Index{n} * s.channels + c) * in_plane;
      for (int fi = 0; fi < per_group_out; ++fi) {
        const int f = g * per_group_out + fi;
        T* o = out + (Index{n} * s.filters + f) * out_plane;
        for (int ky = 0; ky < s.kernel.h; ++ky) {
          for (int kx = 0; kx < s.kernel.w; ++kx) {
            const T w = weights[((Index{c} * per_group_out + fi) * s.kernel.h + ky) * s.kernel.w + kx];
            for (int iy = 0; iy < s.height; ++iy) {
              const int y = iy * s.stride.h - s.padding.h + ky * s.dilation.h;
              if (y < 0 || y >= ho) continue;
              for (int ix = 0; ix < s.width; ++ix) {
                const int xx = ix * s.stride.w - s.padding.w + kx * s.dilation.w;
                if (xx >= 0 && xx < wo) o[Index{y} * wo + xx] += w * x[Index{iy} * s.width + ix];
              }
            }
          }
        }
      }
    }
  }
}

// The transposed convolution's gradients, read off the same scatter: every (input
// pixel, kernel offset) pair that lands inside the output links x, W and dY.
template <typename T>
void DirectTransposedBackward(const T* input, const T* weights, const T* grad_output, const Shape& s,
                              T* grad_input, T* grad_weights, T* grad_bias) {
  const int ho = s.OutHeight(), wo = s.OutWidth();
  const Index in_plane = Index{s.height} * s.width, out_plane = Index{ho} * wo;
  const int per_group_in = s.channels / s.groups, per_group_out = s.filters / s.groups;
  std::fill(grad_input, grad_input + in_plane * s.channels * s.batch, T(0));
  std::fill(grad_weights, grad_weights + Index{s.channels} * per_group_out * s.kernel.h * s.kernel.w, T(0));
  std::fill(grad_bias, grad_bias + s.filters, T(0));
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f) {
      const T* g = grad_output + (Index{n} * s.filters + f) * out_plane;
      for (Index i = 0; i < out_plane; ++i) grad_bias[f] += g[i];
    }
  for (int n = 0; n < s.batch; ++n) {
    for (int c = 0; c < s.channels; ++c) {
      const int group = c / per_group_in;
      const T* x = input + (Index{n} * s.channels + c) * in_plane;
      T* gx = grad_input + (Index{n} * s.channels + c) * in_plane;
      for (int fi = 0; fi < per_group_out; ++fi) {
        const int f = group * per_group_out + fi;
        const T* g = grad_output + (Index{n} * s.filters + f) * out_plane;
        for (int ky = 0; ky < s.kernel.h; ++ky) {
          for (int kx = 0; kx < s.kernel.w; ++kx) {
            const Index wi = ((Index{c} * per_group_out + fi) * s.kernel.h + ky) * s.kernel.w + kx;
            const T w = weights[wi];
            T dw = 0;
            for (int iy = 0; iy < s.height; ++iy) {
              const int y = iy * s.stride.h - s.padding.h + ky * s.dilation.h;
              if (y < 0 || y >= ho) continue;
              for (int ix = 0; ix < s.width; ++ix) {
                const int xx = ix * s.stride.w - s.padding.w + kx * s.dilation.w;
                if (xx < 0 || xx >= wo) continue;
                const T go = g[Index{y} * wo + xx];
                dw += x[Index{iy} * s.width + ix] * go;
                gx[Index{iy} * s.width + ix] += w * go;
              }
            }
            grad_weights[wi] += dw;
          }
        }
      }
    }
  }
}

}  // namespace

template <typename T>
void DirectConvolution(const T* input, const T* weights, const T* bias, const Shape& s, T* out) {
  if (s.op == Op::Transposed) return DirectTransposed(input, weights, bias, s, out);
  const int ho = s.OutHeight(), wo = s.OutWidth();
  const Index in_plane = Index{s.height} * s.width, out_plane = Index{ho} * wo;
  // Filter f sees only the C/G channels of its group g = f / (F/G).
  const int per_group_in = s.channels / s.groups, per_group_out = s.filters / s.groups;
  for (int n = 0; n < s.batch; ++n) {
    for (int f = 0; f < s.filters; ++f) {
      T* o = out + (Index{n} * s.filters + f) * out_plane;
      std::fill(o, o + out_plane, bias ? bias[f] : T(0));
      const int first_channel = (f / per_group_out) * per_group_in;
      for (int ci = 0; ci < per_group_in; ++ci) {
        const int c = first_channel + ci;
        const T* x = input + (Index{n} * s.channels + c) * in_plane;
        for (int ky = 0; ky < s.kernel.h; ++ky) {
          for (int kx = 0; kx < s.kernel.w; ++kx) {
            const T w = weights[((Index{f} * per_group_in + ci) * s.kernel.h + ky) * s.kernel.w + kx];
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
  if (s.op == Op::Transposed)
    return DirectTransposedBackward(input, weights, grad_output, s, grad_input, grad_weights, grad_bias);
  const int ho = s.OutHeight(), wo = s.OutWidth();
  const Index in_plane = Index{s.height} * s.width, out_plane = Index{ho} * wo;
  const int per_group_in = s.channels / s.groups, per_group_out = s.filters / s.groups;
  std::fill(grad_input, grad_input + in_plane * s.channels * s.batch, T(0));
  std::fill(grad_weights, grad_weights + Index{s.filters} * per_group_in * s.kernel.h * s.kernel.w, T(0));
  std::fill(grad_bias, grad_bias + s.filters, T(0));
  for (int n = 0; n < s.batch; ++n) {
    for (int f = 0; f < s.filters; ++f) {
      const T* g = grad_output + (Index{n} * s.filters + f) * out_plane;
      for (Index i = 0; i < out_plane; ++i) grad_bias[f] += g[i];
      const int first_channel = (f / per_group_out) * per_group_in;
      for (int ci = 0; ci < per_group_in; ++ci) {
        const int c = first_channel + ci;
        const T* x = input + (Index{n} * s.channels + c) * in_plane;
        T* gx = grad_input + (Index{n} * s.channels + c) * in_plane;
        for (int ky = 0; ky < s.kernel.h; ++ky) {
          for (int kx = 0; kx < s.kernel.w; ++kx) {
            const Index wi = ((Index{f} * per_group_in + ci) * s.kernel.h + ky) * s.kernel.w + kx;
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
