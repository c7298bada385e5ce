#include "im2col/indexing.h"

#include <algorithm>

namespace im2col {

std::string ToString(Layout layout) { return layout == Layout::Columns ? "columns" : "rows"; }
std::string ToString(Order order) { return order == Order::RowMajor ? "row-major" : "column-major"; }

std::optional<Layout> ParseLayout(const std::string& text) {
  if (text == "columns") return Layout::Columns;
  if (text == "rows") return Layout::Rows;
  return std::nullopt;
}

std::optional<Order> ParseOrder(const std::string& text) {
  if (text == "row-major") return Order::RowMajor;
  if (text == "column-major") return Order::ColumnMajor;
  return std::nullopt;
}

Index RowOf(const Shape& s, Order order, const PatchOffset& p) {
  if (order == Order::RowMajor) return (Index{p.c} * s.kernel.h + p.ky) * s.kernel.w + p.kx;
  return (Index{p.c} * s.kernel.w + p.kx) * s.kernel.h + p.ky;
}

PatchOffset PatchOffsetOf(const Shape& s, Order order, Index r) {
  PatchOffset p;
  if (order == Order::RowMajor) {
    p.kx = static_cast<int>(r % s.kernel.w);
    p.ky = static_cast<int>((r / s.kernel.w) % s.kernel.h);
    p.c = static_cast<int>(r / (Index{s.kernel.w} * s.kernel.h));
  } else {
    p.ky = static_cast<int>(r % s.kernel.h);
    p.kx = static_cast<int>((r / s.kernel.h) % s.kernel.w);
    p.c = static_cast<int>(r / (Index{s.kernel.w} * s.kernel.h));
  }
  return p;
}

Index ColumnOf(const Shape& s, Order order, const PatchIndex& p) {
  const Index ho = s.GridHeight(), wo = s.GridWidth();
  const Index l = order == Order::RowMajor ? Index{p.oy} * wo + p.ox : Index{p.ox} * ho + p.oy;
  return Index{p.n} * ho * wo + l;
}

PatchIndex PatchIndexOf(const Shape& s, Order order, Index j) {
  const Index ho = s.GridHeight(), wo = s.GridWidth(), patches = ho * wo;
  PatchIndex p;
  p.n = static_cast<int>(j / patches);
  const Index l = j % patches;
  if (order == Order::RowMajor) {
    p.oy = static_cast<int>(l / wo);
    p.ox = static_cast<int>(l % wo);
  } else {
    p.ox = static_cast<int>(l / ho);
    p.oy = static_cast<int>(l % ho);
  }
  return p;
}

SourceCoord SourceOf(const Shape& s, Order order, Index r, Index j) {
  const PatchOffset o = PatchOffsetOf(s, order, r);
  const PatchIndex p = PatchIndexOf(s, order, j);
  SourceCoord src;
  src.n = p.n;
  src.c = o.c;
  src.y = p.oy * s.stride.h - s.padding.h + o.ky * s.dilation.h;
  src.x = p.ox * s.stride.w - s.padding.w + o.kx * s.dilation.w;
  src.in_image = src.y >= 0 && src.y < s.ImageHeight() && src.x >= 0 && src.x < s.ImageWidth();
  return src;
}

std::optional<Pixel> SourcePixel(const Shape& s, Order order, Index r, Index j) {
  const SourceCoord src = SourceOf(s, order, r, j);
  if (!src.in_image) return std::nullopt;
  return Pixel{src.n, src.c, src.y, src.x};
}

std::vector<Cell> CopiesOf(const Shape& s, Order order, const Pixel& pixel) {
  std::vector<Cell> cells;
  const int ho = s.GridHeight(), wo = s.GridWidth();
  // Solve y = oy*SH - PH + ky*DH for every ky (and likewise x), keeping whole oy in range.
  for (int ky = 0; ky < s.kernel.h; ++ky) {
    const long long ny = static_cast<long long>(pixel.y) + s.padding.h - static_cast<long long>(ky) * s.dilation.h;
    if (ny < 0 || ny % s.stride.h != 0 || ny / s.stride.h >= ho) continue;
    const int oy = static_cast<int>(ny / s.stride.h);
    for (int kx = 0; kx < s.kernel.w; ++kx) {
      const long long nx =
          static_cast<long long>(pixel.x) + s.padding.w - static_cast<long long>(kx) * s.dilation.w;
      if (nx < 0 || nx % s.stride.w != 0 || nx / s.stride.w >= wo) continue;
      const int ox = static_cast<int>(nx / s.stride.w);
      cells.push_back(Cell{RowOf(s, order, PatchOffset{pixel.c, ky, kx}),
                           ColumnOf(s, order, PatchIndex{pixel.n, oy, ox})});
    }
  }
  std::sort(cells.begin(), cells.end(),
            [](const Cell& a, const Cell& b) { return a.j != b.j ? a.j < b.j : a.r < b.r; });
  return cells;
}

Window WindowOf(const Shape& s, Order order, Index j) {
  const PatchIndex p = PatchIndexOf(s, order, j);
  return Window{p.n, p.oy, p.ox, p.oy * s.stride.h - s.padding.h, p.ox * s.stride.w - s.padding.w};
}

std::string RowLabel(const Shape& s, Order order, Index r) {
  const PatchOffset o = PatchOffsetOf(s, order, r);
  return "(" + std::to_string(o.c) + "," + std::to_string(o.ky) + "," + std::to_string(o.kx) + ")";
}

std::string ColumnLabel(const Shape& s, Order order, Index j) {
  const PatchIndex p = PatchIndexOf(s, order, j);
  return "(" + std::to_string(p.n) + "," + std::to_string(p.oy) + "," + std::to_string(p.ox) + ")";
}

}  // namespace im2col
