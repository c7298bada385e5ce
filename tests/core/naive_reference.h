// An independent reference for the core tests, written from docs/cli.md "Index
// semantics" with plain nested loops. It deliberately uses none of core's index
// helpers (RowOf, ColumnOf, SourcePixel...) so that a mistake in core cannot
// hide in the expected values too. Only the im2col::Shape/Order data types are shared.
#pragma once

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <gtest/gtest.h>

#include "im2col/indexing.h"
#include "im2col/shape.h"

namespace naive {

using im2col::Order;
using im2col::Shape;
using I64 = std::int64_t;

// [SECTION] Geometry, straight from the DESIGN formulas

// HO = floor((H + 2P - D(K-1) - 1) / S) + 1, for a valid axis (numerator >= 0).
inline int OutExtent(int size, int pad, int dil, int k, int stride) {
  return (size + 2 * pad - dil * (k - 1) - 1) / stride + 1;
}
inline int HO(const Shape& s) {
  return OutExtent(s.height, s.padding.h, s.dilation.h, s.kernel.h, s.stride.h);
}
inline int WO(const Shape& s) {
  return OutExtent(s.width, s.padding.w, s.dilation.w, s.kernel.w, s.stride.w);
}
inline I64 L(const Shape& s) { return I64{HO(s)} * WO(s); }
inline I64 R(const Shape& s) { return I64{s.channels} * s.kernel.h * s.kernel.w; }
inline I64 NL(const Shape& s) { return I64{s.batch} * L(s); }

// The DESIGN validity rule (without the memory cap), in 64-bit so INT_MAX cannot overflow.
inline bool DesignRuleHolds(const Shape& s) {
  if (s.batch < 1 || s.channels < 1 || s.height < 1 || s.width < 1 || s.filters < 1) return false;
  if (s.kernel.h < 1 || s.kernel.w < 1) return false;
  if (s.stride.h < 1 || s.stride.w < 1 || s.dilation.h < 1 || s.dilation.w < 1) return false;
  if (s.padding.h < 0 || s.padding.w < 0) return false;
  const I64 span_h = I64{s.dilation.h} * (s.kernel.h - I64{1}) + 1;
  const I64 span_w = I64{s.dilation.w} * (s.kernel.w - I64{1}) + 1;
  return s.height + 2 * I64{s.padding.h} >= span_h && s.width + 2 * I64{s.padding.w} >= span_w;
}

// r for (c, ky, kx) and l for (oy, ox), as listed under "Orders".
inline I64 Row(const Shape& s, Order o, int c, int ky, int kx) {
  if (o == Order::RowMajor) return (I64{c} * s.kernel.h + ky) * s.kernel.w + kx;
  return (I64{c} * s.kernel.w + kx) * s.kernel.h + ky;
}
inline I64 Col(const Shape& s, Order o, int n, int oy, int ox) {
  const I64 l = (o == Order::RowMajor) ? I64{oy} * WO(s) + ox : I64{ox} * HO(s) + oy;
  return I64{n} * L(s) + l;
}
inline int SourceY(const Shape& s, int oy, int ky) { return oy * s.stride.h - s.padding.h + ky * s.dilation.h; }
inline int SourceX(const Shape& s, int ox, int kx) { return ox * s.stride.w - s.padding.w + kx * s.dilation.w; }
inline bool Inside(const Shape& s, int y, int x) { return y >= 0 && y < s.height && x >= 0 && x < s.width; }

inline I64 InputAt(const Shape& s, int n, int c, int y, int x) {
  return ((I64{n} * s.channels + c) * s.height + y) * s.width + x;
}
inline I64 WeightAt(const Shape& s, int f, int c, int ky, int kx) {
  return ((I64{f} * s.channels + c) * s.kernel.h + ky) * s.kernel.w + kx;
}
inline I64 OutputAt(const Shape& s, int n, int f, int oy, int ox) {
  return ((I64{n} * s.filters + f) * HO(s) + oy) * WO(s) + ox;
}

// Calls visit(n, c, ky, kx, oy, ox, r, j, y, x, inside) for every X_col cell.
template <typename Visit>
void ForEachCell(const Shape& s, Order o, Visit visit) {
  for (int n = 0; n < s.batch; ++n)
    for (int c = 0; c < s.channels; ++c)
      for (int ky = 0; ky < s.kernel.h; ++ky)
        for (int kx = 0; kx < s.kernel.w; ++kx)
          for (int oy = 0; oy < HO(s); ++oy)
            for (int ox = 0; ox < WO(s); ++ox) {
              const int y = SourceY(s, oy, ky), x = SourceX(s, ox, kx);
              visit(n, c, ky, kx, oy, ox, Row(s, o, c, ky, kx), Col(s, o, n, oy, ox), y, x, Inside(s, y, x));
            }
}

// (c, ky, kx) of every row r, by enumerating the formula (not by core's PatchOffsetOf).
struct Offset {
  int c, ky, kx;
};
inline std::vector<Offset> RowOffsets(const Shape& s, Order o) {
  std::vector<Offset> offsets(static_cast<size_t>(R(s)));
  for (int c = 0; c < s.channels; ++c)
    for (int ky = 0; ky < s.kernel.h; ++ky)
      for (int kx = 0; kx < s.kernel.w; ++kx) offsets[static_cast<size_t>(Row(s, o, c, ky, kx))] = {c, ky, kx};
  return offsets;
}

// Every (r, j) that copies input pixel (n, c, y, x), ordered by column then row.
inline std::vector<im2col::Cell> Copies(const Shape& s, Order o, int pn, int pc, int py, int px) {
  std::vector<std::pair<I64, I64>> jr;
  ForEachCell(s, o, [&](int n, int c, int, int, int, int, I64 r, I64 j, int y, int x, bool inside) {
    if (inside && n == pn && c == pc && y == py && x == px) jr.push_back({j, r});
  });
  std::sort(jr.begin(), jr.end());
  std::vector<im2col::Cell> cells;
  for (const auto& [j, r] : jr) cells.push_back(im2col::Cell{r, j});
  return cells;
}

// [SECTION] Matrices (row-major flat vectors, R x NL unless said otherwise)

inline std::vector<double> XCol(const Shape& s, Order o, const std::vector<double>& input) {
  std::vector<double> out(static_cast<size_t>(R(s) * NL(s)), -12345.0);  // sentinel: every cell must be written
  ForEachCell(s, o, [&](int n, int c, int, int, int, int, I64 r, I64 j, int y, int x, bool inside) {
    out[static_cast<size_t>(r * NL(s) + j)] = inside ? input[static_cast<size_t>(InputAt(s, n, c, y, x))] : 0.0;
  });
  return out;
}

// F x R: W_row[f, r(c, ky, kx)] = W[f, c, ky, kx].
inline std::vector<double> WRow(const Shape& s, Order o, const std::vector<double>& weights) {
  std::vector<double> out(static_cast<size_t>(s.filters * R(s)));
  for (int f = 0; f < s.filters; ++f)
    for (int c = 0; c < s.channels; ++c)
      for (int ky = 0; ky < s.kernel.h; ++ky)
        for (int kx = 0; kx < s.kernel.w; ++kx)
          out[static_cast<size_t>(f * R(s) + Row(s, o, c, ky, kx))] =
              weights[static_cast<size_t>(WeightAt(s, f, c, ky, kx))];
  return out;
}

// F x NL: M[f, j(n, oy, ox)] = T[n, f, oy, ox] (output and dY as matrices).
inline std::vector<double> MapsToMatrix(const Shape& s, Order o, const std::vector<double>& maps) {
  std::vector<double> out(static_cast<size_t>(s.filters * NL(s)));
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int oy = 0; oy < HO(s); ++oy)
        for (int ox = 0; ox < WO(s); ++ox)
          out[static_cast<size_t>(f * NL(s) + Col(s, o, n, oy, ox))] =
              maps[static_cast<size_t>(OutputAt(s, n, f, oy, ox))];
  return out;
}

// Direct convolution: out[n,f,oy,ox] = b[f] + sum W[f,c,ky,kx] * X[n,c,y,x] over in-image taps.
inline std::vector<double> Forward(const Shape& s, const std::vector<double>& input,
                                   const std::vector<double>& weights, const std::vector<double>& bias) {
  std::vector<double> out(static_cast<size_t>(I64{s.batch} * s.filters * L(s)));
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int oy = 0; oy < HO(s); ++oy)
        for (int ox = 0; ox < WO(s); ++ox) {
          double sum = bias[static_cast<size_t>(f)];
          for (int c = 0; c < s.channels; ++c)
            for (int ky = 0; ky < s.kernel.h; ++ky)
              for (int kx = 0; kx < s.kernel.w; ++kx) {
                const int y = SourceY(s, oy, ky), x = SourceX(s, ox, kx);
                if (!Inside(s, y, x)) continue;
                sum += weights[static_cast<size_t>(WeightAt(s, f, c, ky, kx))] *
                       input[static_cast<size_t>(InputAt(s, n, c, y, x))];
              }
          out[static_cast<size_t>(OutputAt(s, n, f, oy, ox))] = sum;
        }
  return out;
}

struct Gradients {
  std::vector<double> input, weights, bias;
};

// Direct backward pass of Forward for loss = sum(dy * out).
inline Gradients Backward(const Shape& s, const std::vector<double>& input, const std::vector<double>& weights,
                          const std::vector<double>& dy) {
  Gradients g;
  g.input.assign(static_cast<size_t>(I64{s.batch} * s.channels * s.height * s.width), 0.0);
  g.weights.assign(static_cast<size_t>(s.filters * R(s)), 0.0);
  g.bias.assign(static_cast<size_t>(s.filters), 0.0);
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int oy = 0; oy < HO(s); ++oy)
        for (int ox = 0; ox < WO(s); ++ox) {
          const double d = dy[static_cast<size_t>(OutputAt(s, n, f, oy, ox))];
          g.bias[static_cast<size_t>(f)] += d;
          for (int c = 0; c < s.channels; ++c)
            for (int ky = 0; ky < s.kernel.h; ++ky)
              for (int kx = 0; kx < s.kernel.w; ++kx) {
                const int y = SourceY(s, oy, ky), x = SourceX(s, ox, kx);
                if (!Inside(s, y, x)) continue;
                const auto wi = static_cast<size_t>(WeightAt(s, f, c, ky, kx));
                const auto xi = static_cast<size_t>(InputAt(s, n, c, y, x));
                g.input[xi] += weights[wi] * d;
                g.weights[wi] += input[xi] * d;
              }
        }
  return g;
}

// dX_col = W_row^T dY_mat, by loops (R x NL).
inline std::vector<double> GradXCol(const Shape& s, const std::vector<double>& w_row,
                                    const std::vector<double>& dy_mat) {
  std::vector<double> out(static_cast<size_t>(R(s) * NL(s)), 0.0);
  for (I64 r = 0; r < R(s); ++r)
    for (I64 j = 0; j < NL(s); ++j)
      for (int f = 0; f < s.filters; ++f)
        out[static_cast<size_t>(r * NL(s) + j)] +=
            w_row[static_cast<size_t>(f * R(s) + r)] * dy_mat[static_cast<size_t>(f * NL(s) + j)];
  return out;
}

// col2im over the columns j < columns_done: summed, and "last write wins" in
// timeline order (column by column, rows in order).
struct Col2ImResult {
  std::vector<double> summed, overwritten;
  std::vector<double> counts;  // N x C x H x W scatter-adds received
};
inline Col2ImResult Col2Im(const Shape& s, Order o, const std::vector<double>& x_col, I64 columns_done) {
  const auto size = static_cast<size_t>(I64{s.batch} * s.channels * s.height * s.width);
  Col2ImResult res{std::vector<double>(size, 0.0), std::vector<double>(size, 0.0), std::vector<double>(size, 0.0)};
  // Gather (j, r) -> pixel first so the overwrite can follow timeline order.
  std::vector<I64> pixel_of(static_cast<size_t>(R(s) * NL(s)), -1);
  ForEachCell(s, o, [&](int n, int c, int, int, int, int, I64 r, I64 j, int y, int x, bool inside) {
    if (inside) pixel_of[static_cast<size_t>(r * NL(s) + j)] = InputAt(s, n, c, y, x);
  });
  for (I64 j = 0; j < columns_done && j < NL(s); ++j)
    for (I64 r = 0; r < R(s); ++r) {
      const I64 p = pixel_of[static_cast<size_t>(r * NL(s) + j)];
      if (p < 0) continue;
      const double v = x_col[static_cast<size_t>(r * NL(s) + j)];
      res.summed[static_cast<size_t>(p)] += v;
      res.overwritten[static_cast<size_t>(p)] = v;
      res.counts[static_cast<size_t>(p)] += 1.0;
    }
  return res;
}

// overlap[y][x] for one channel of one image (H x W, row-major).
inline std::vector<int> Overlap(const Shape& s) {
  std::vector<int> counts(static_cast<size_t>(s.height * s.width), 0);
  for (int ky = 0; ky < s.kernel.h; ++ky)
    for (int kx = 0; kx < s.kernel.w; ++kx)
      for (int oy = 0; oy < HO(s); ++oy)
        for (int ox = 0; ox < WO(s); ++ox) {
          const int y = SourceY(s, oy, ky), x = SourceX(s, ox, kx);
          if (Inside(s, y, x)) ++counts[static_cast<size_t>(y * s.width + x)];
        }
  return counts;
}

// [SECTION] The operator family: grouped and transposed convolution, by definition

// Grouped convolution: filter f (group g = f / (F/G)) sees channels g*C/G .. (g+1)*C/G - 1;
// weights are F x C/G x KH x KW. out[n,f,oy,ox] = b[f] + sum W[f,ci,ky,kx] * X[n,g*C/G+ci,y,x].
inline std::vector<double> GroupedForward(const Shape& s, const std::vector<double>& input,
                                          const std::vector<double>& weights, const std::vector<double>& bias) {
  const int cg = s.channels / s.groups, fg = s.filters / s.groups;
  std::vector<double> out(static_cast<size_t>(I64{s.batch} * s.filters * L(s)));
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int oy = 0; oy < HO(s); ++oy)
        for (int ox = 0; ox < WO(s); ++ox) {
          double sum = bias[static_cast<size_t>(f)];
          for (int ci = 0; ci < cg; ++ci)
            for (int ky = 0; ky < s.kernel.h; ++ky)
              for (int kx = 0; kx < s.kernel.w; ++kx) {
                const int y = SourceY(s, oy, ky), x = SourceX(s, ox, kx);
                if (!Inside(s, y, x)) continue;
                const int c = (f / fg) * cg + ci;
                sum += weights[static_cast<size_t>(((I64{f} * cg + ci) * s.kernel.h + ky) * s.kernel.w + kx)] *
                       input[static_cast<size_t>(InputAt(s, n, c, y, x))];
              }
          out[static_cast<size_t>(OutputAt(s, n, f, oy, ox))] = sum;
        }
  return out;
}

// The gradients of GroupedForward for loss = sum(dy * out); weights F x C/G x KH x KW.
inline Gradients GroupedBackward(const Shape& s, const std::vector<double>& input, const std::vector<double>& weights,
                                 const std::vector<double>& dy) {
  const int cg = s.channels / s.groups, fg = s.filters / s.groups;
  Gradients g;
  g.input.assign(static_cast<size_t>(I64{s.batch} * s.channels * s.height * s.width), 0.0);
  g.weights.assign(static_cast<size_t>(I64{s.filters} * cg * s.kernel.h * s.kernel.w), 0.0);
  g.bias.assign(static_cast<size_t>(s.filters), 0.0);
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int oy = 0; oy < HO(s); ++oy)
        for (int ox = 0; ox < WO(s); ++ox) {
          const double d = dy[static_cast<size_t>(OutputAt(s, n, f, oy, ox))];
          g.bias[static_cast<size_t>(f)] += d;
          for (int ci = 0; ci < cg; ++ci)
            for (int ky = 0; ky < s.kernel.h; ++ky)
              for (int kx = 0; kx < s.kernel.w; ++kx) {
                const int y = SourceY(s, oy, ky), x = SourceX(s, ox, kx);
                if (!Inside(s, y, x)) continue;
                const auto wi = static_cast<size_t>(((I64{f} * cg + ci) * s.kernel.h + ky) * s.kernel.w + kx);
                const auto xi = static_cast<size_t>(InputAt(s, n, (f / fg) * cg + ci, y, x));
                g.input[xi] += weights[wi] * d;
                g.weights[wi] += input[xi] * d;
              }
        }
  return g;
}

// Transposed convolution (PyTorch ConvTranspose2d), written from its definition: every
// input pixel X[n,c,iy,ix] scatters X * W[c,fi,ky,kx] onto output pixel
// (iy*SH - PH + ky*DH, ix*SW - PW + kx*DW) of output channel f = g*F/G + fi, g = c / (C/G);
// pixels landing outside the HO x WO output are dropped. Weights C x F/G x KH x KW.
inline int TransposedHO(const Shape& s) {
  return (s.height - 1) * s.stride.h - 2 * s.padding.h + s.dilation.h * (s.kernel.h - 1) + s.output_padding.h + 1;
}
inline int TransposedWO(const Shape& s) {
  return (s.width - 1) * s.stride.w - 2 * s.padding.w + s.dilation.w * (s.kernel.w - 1) + s.output_padding.w + 1;
}
inline I64 TransposedOutputAt(const Shape& s, int n, int f, int y, int x) {
  return ((I64{n} * s.filters + f) * TransposedHO(s) + y) * TransposedWO(s) + x;
}
inline I64 TransposedWeightAt(const Shape& s, int c, int fi, int ky, int kx) {
  return ((I64{c} * (s.filters / s.groups) + fi) * s.kernel.h + ky) * s.kernel.w + kx;
}

// Calls visit(n, c, f, fi, ky, kx, iy, ix, y, x) for every scatter that lands inside.
template <typename Visit>
void ForEachScatter(const Shape& s, Visit visit) {
  const int cg = s.channels / s.groups, fg = s.filters / s.groups;
  for (int n = 0; n < s.batch; ++n)
    for (int c = 0; c < s.channels; ++c)
      for (int iy = 0; iy < s.height; ++iy)
        for (int ix = 0; ix < s.width; ++ix)
          for (int fi = 0; fi < fg; ++fi)
            for (int ky = 0; ky < s.kernel.h; ++ky)
              for (int kx = 0; kx < s.kernel.w; ++kx) {
                const int y = iy * s.stride.h - s.padding.h + ky * s.dilation.h;
                const int x = ix * s.stride.w - s.padding.w + kx * s.dilation.w;
                if (y < 0 || y >= TransposedHO(s) || x < 0 || x >= TransposedWO(s)) continue;
                visit(n, c, (c / cg) * fg + fi, fi, ky, kx, iy, ix, y, x);
              }
}

inline std::vector<double> TransposedForward(const Shape& s, const std::vector<double>& input,
                                             const std::vector<double>& weights, const std::vector<double>& bias) {
  std::vector<double> out(static_cast<size_t>(I64{s.batch} * s.filters * TransposedHO(s) * TransposedWO(s)));
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int y = 0; y < TransposedHO(s); ++y)
        for (int x = 0; x < TransposedWO(s); ++x)
          out[static_cast<size_t>(TransposedOutputAt(s, n, f, y, x))] = bias[static_cast<size_t>(f)];
  ForEachScatter(s, [&](int n, int c, int f, int fi, int ky, int kx, int iy, int ix, int y, int x) {
    out[static_cast<size_t>(TransposedOutputAt(s, n, f, y, x))] +=
        input[static_cast<size_t>(InputAt(s, n, c, iy, ix))] *
        weights[static_cast<size_t>(TransposedWeightAt(s, c, fi, ky, kx))];
  });
  return out;
}

// The gradients of TransposedForward for loss = sum(dy * out).
inline Gradients TransposedBackward(const Shape& s, const std::vector<double>& input,
                                    const std::vector<double>& weights, const std::vector<double>& dy) {
  Gradients g;
  g.input.assign(static_cast<size_t>(I64{s.batch} * s.channels * s.height * s.width), 0.0);
  g.weights.assign(static_cast<size_t>(I64{s.channels} * (s.filters / s.groups) * s.kernel.h * s.kernel.w), 0.0);
  g.bias.assign(static_cast<size_t>(s.filters), 0.0);
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int y = 0; y < TransposedHO(s); ++y)
        for (int x = 0; x < TransposedWO(s); ++x)
          g.bias[static_cast<size_t>(f)] += dy[static_cast<size_t>(TransposedOutputAt(s, n, f, y, x))];
  ForEachScatter(s, [&](int n, int c, int f, int fi, int ky, int kx, int iy, int ix, int y, int x) {
    const double d = dy[static_cast<size_t>(TransposedOutputAt(s, n, f, y, x))];
    const auto xi = static_cast<size_t>(InputAt(s, n, c, iy, ix));
    const auto wi = static_cast<size_t>(TransposedWeightAt(s, c, fi, ky, kx));
    g.input[xi] += weights[wi] * d;
    g.weights[wi] += input[xi] * d;
  });
  return g;
}

// The transposed operator's matrices (R = F*KH*KW rows (f,ky,kx), NL = N*H*W columns
// (n,iy,ix), flattened by the same Row / Col rules with the grid H x W).
inline I64 TransposedRows(const Shape& s) { return I64{s.filters} * s.kernel.h * s.kernel.w; }
inline I64 TransposedColumns(const Shape& s) { return I64{s.batch} * s.height * s.width; }
inline I64 TransposedCol(const Shape& s, Order o, int n, int iy, int ix) {
  const I64 l = (o == Order::RowMajor) ? I64{iy} * s.width + ix : I64{ix} * s.height + iy;
  return I64{n} * s.height * s.width + l;
}
// x_col[r(f,ky,kx), j(n,iy,ix)] = sum over c in f's group of X[n,c,iy,ix] * W[c, fi, ky, kx]:
// the value pixel (n, iy, ix) sends towards output channel f through kernel tap (ky, kx).
inline std::vector<double> TransposedXCol(const Shape& s, Order o, const std::vector<double>& input,
                                          const std::vector<double>& weights) {
  const int cg = s.channels / s.groups, fg = s.filters / s.groups;
  std::vector<double> out(static_cast<size_t>(TransposedRows(s) * TransposedColumns(s)), 0.0);
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int ky = 0; ky < s.kernel.h; ++ky)
        for (int kx = 0; kx < s.kernel.w; ++kx)
          for (int iy = 0; iy < s.height; ++iy)
            for (int ix = 0; ix < s.width; ++ix) {
              double sum = 0.0;
              for (int ci = 0; ci < cg; ++ci) {
                const int c = (f / fg) * cg + ci;
                sum += input[static_cast<size_t>(InputAt(s, n, c, iy, ix))] *
                       weights[static_cast<size_t>(TransposedWeightAt(s, c, f % fg, ky, kx))];
              }
              out[static_cast<size_t>(Row(s, o, f, ky, kx) * TransposedColumns(s) + TransposedCol(s, o, n, iy, ix))] =
                  sum;
            }
  return out;
}
// grad_x_col[r(f,ky,kx), j(n,iy,ix)] = dY at the output pixel that cell landed on, or 0.
inline std::vector<double> TransposedGradXCol(const Shape& s, Order o, const std::vector<double>& dy) {
  std::vector<double> out(static_cast<size_t>(TransposedRows(s) * TransposedColumns(s)), 0.0);
  for (int n = 0; n < s.batch; ++n)
    for (int f = 0; f < s.filters; ++f)
      for (int ky = 0; ky < s.kernel.h; ++ky)
        for (int kx = 0; kx < s.kernel.w; ++kx)
          for (int iy = 0; iy < s.height; ++iy)
            for (int ix = 0; ix < s.width; ++ix) {
              const int y = iy * s.stride.h - s.padding.h + ky * s.dilation.h;
              const int x = ix * s.stride.w - s.padding.w + kx * s.dilation.w;
              if (y < 0 || y >= TransposedHO(s) || x < 0 || x >= TransposedWO(s)) continue;
              out[static_cast<size_t>(Row(s, o, f, ky, kx) * TransposedColumns(s) + TransposedCol(s, o, n, iy, ix))] =
                  dy[static_cast<size_t>(TransposedOutputAt(s, n, f, y, x))];
            }
  return out;
}
// overlap of the transposed output: how many scatters land on (y, x) of one channel.
inline std::vector<int> TransposedOverlap(const Shape& s) {
  std::vector<int> counts(static_cast<size_t>(TransposedHO(s) * TransposedWO(s)), 0);
  for (int iy = 0; iy < s.height; ++iy)
    for (int ix = 0; ix < s.width; ++ix)
      for (int ky = 0; ky < s.kernel.h; ++ky)
        for (int kx = 0; kx < s.kernel.w; ++kx) {
          const int y = iy * s.stride.h - s.padding.h + ky * s.dilation.h;
          const int x = ix * s.stride.w - s.padding.w + kx * s.dilation.w;
          if (y >= 0 && y < TransposedHO(s) && x >= 0 && x < TransposedWO(s)) ++counts[static_cast<size_t>(y * TransposedWO(s) + x)];
        }
  return counts;
}

// [SECTION] Random inputs and shapes

// Integers in [lo, hi], so every product and sum in the tests is exact.
inline std::vector<double> RandomIntegers(std::mt19937_64& rng, I64 count, int lo = -4, int hi = 4) {
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<double> v(static_cast<size_t>(count));
  for (auto& x : v) x = dist(rng);
  return v;
}

// The ranges: N 1-3, C 1-4, H/W 1-12, K 1-5 (non-square), S 1-4, P 0-3, D 1-3, F 1-4.
inline Shape RandomShape(std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Shape s;
  s.batch = pick(1, 3);
  s.channels = pick(1, 4);
  s.height = pick(1, 12);
  s.width = pick(1, 12);
  s.filters = pick(1, 4);
  s.kernel = {pick(1, 5), pick(1, 5)};
  s.stride = {pick(1, 4), pick(1, 4)};
  s.padding = {pick(0, 3), pick(0, 3)};
  s.dilation = {pick(1, 3), pick(1, 3)};
  return s;
}

// `count` valid shapes drawn with RandomShape (invalid draws are skipped).
inline std::vector<Shape> ValidRandomShapes(int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Shape> shapes;
  while (static_cast<int>(shapes.size()) < count) {
    Shape s = RandomShape(rng);
    if (DesignRuleHolds(s)) shapes.push_back(s);
  }
  return shapes;
}

inline std::string Describe(const Shape& s) {
  std::ostringstream out;
  out << "N" << s.batch << " C" << s.channels << " H" << s.height << " W" << s.width << " F" << s.filters
      << " K" << s.kernel.h << "x" << s.kernel.w << " S" << s.stride.h << "x" << s.stride.w << " P" << s.padding.h
      << "x" << s.padding.w << " D" << s.dilation.h << "x" << s.dilation.w;
  return out.str();
}

// Random shapes of the family: groups dividing C and F, and for transposed an output
// padding below stride or dilation and an output of at least one pixel.
inline Shape RandomFamilyShape(std::mt19937_64& rng, bool transposed) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (;;) {
    Shape s = RandomShape(rng);
    s.groups = pick(1, 3);
    s.channels = s.groups * pick(1, 2);
    s.filters = s.groups * pick(1, 2);
    if (!transposed) {
      if (DesignRuleHolds(s)) return s;
      continue;
    }
    s.op = im2col::Op::Transposed;
    s.height = pick(1, 6);
    s.width = pick(1, 6);
    s.output_padding = {pick(0, std::max(s.stride.h, s.dilation.h) - 1), pick(0, std::max(s.stride.w, s.dilation.w) - 1)};
    if (TransposedHO(s) >= 1 && TransposedWO(s) >= 1) return s;
  }
}

inline std::string DescribeFamily(const Shape& s) {
  std::ostringstream out;
  out << Describe(s) << " G" << s.groups;
  if (s.op == im2col::Op::Transposed) out << " transposed OP" << s.output_padding.h << "x" << s.output_padding.w;
  return out.str();
}

// [SECTION] Comparison that names the first mismatch, for readable failures

template <typename A, typename B>
::testing::AssertionResult SameValues(const std::string& what, const A& expected, const B& got) {
  const auto n_expected = static_cast<size_t>(expected.size());
  const auto n_got = static_cast<size_t>(got.size());
  if (n_expected != n_got)
    return ::testing::AssertionFailure() << what << ": size " << n_got << ", expected " << n_expected;
  size_t mismatches = 0, first = 0;
  for (size_t i = 0; i < n_expected; ++i)
    if (static_cast<double>(expected[i]) != static_cast<double>(got[i]) && mismatches++ == 0) first = i;
  if (mismatches == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": " << mismatches << " of " << n_expected
                                       << " values differ; first at flat index " << first << ": expected "
                                       << static_cast<double>(expected[first]) << ", got "
                                       << static_cast<double>(got[first]);
}

// Flattens a row-major Eigen matrix (any scalar) into a vector of doubles, row by row.
template <typename M>
std::vector<double> Flatten(const M& m) {
  std::vector<double> v;
  v.reserve(static_cast<size_t>(m.rows() * m.cols()));
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) v.push_back(static_cast<double>(m(r, c)));
  return v;
}

}  // namespace naive

// Readable names in gtest failure messages and parameterized test names
// (found by argument-dependent lookup, so they live in im2col's namespace).
namespace im2col {
inline void PrintTo(Order o, std::ostream* os) { *os << ToString(o); }
inline void PrintTo(Layout l, std::ostream* os) { *os << ToString(l); }
inline void PrintTo(const Cell& c, std::ostream* os) { *os << "(r=" << c.r << ", j=" << c.j << ")"; }
inline void PrintTo(const Pixel& p, std::ostream* os) {
  *os << "x[" << p.n << "," << p.c << "," << p.y << "," << p.x << "]";
}
inline void PrintTo(const PatchOffset& p, std::ostream* os) { *os << "(c,ky,kx)=(" << p.c << "," << p.ky << "," << p.kx << ")"; }
inline void PrintTo(const PatchIndex& p, std::ostream* os) { *os << "(n,oy,ox)=(" << p.n << "," << p.oy << "," << p.ox << ")"; }
}  // namespace im2col
