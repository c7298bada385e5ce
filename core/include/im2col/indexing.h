// How index triples are flattened into X_col rows and columns (DESIGN "Orders").
//   row-major:    r = (c*KH + ky)*KW + kx,  l = oy*WO + ox
//   column-major: r = (c*KW + kx)*KH + ky,  l = ox*HO + oy
// Column j = n*L + l in both orders. Cell (r, j) copies X[n, c, y, x] with
// y = oy*SH - PH + ky*DH, x = ox*SW - PW + kx*DW, or is a padding zero.
// For op transposed the same functions describe its X_col (R = F*KH*KW rows, one
// column per input pixel (iy, ix), which PatchIndex's oy, ox then hold, and
// PatchOffset's c is the output channel f): a "source" pixel is the output pixel the
// cell scatters into, and "padding" a cell that lands outside the output and is dropped.
// See Shape::GridHeight / ImageHeight.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "im2col/shape.h"

namespace im2col {

enum class Layout { Columns, Rows };          // X_col is R x NL, or X_row = X_col^T
enum class Order { RowMajor, ColumnMajor };   // flattening of (c,ky,kx) and (oy,ox)

std::string ToString(Layout layout);  // "columns" | "rows"
std::string ToString(Order order);    // "row-major" | "column-major"
std::optional<Layout> ParseLayout(const std::string& text);
std::optional<Order> ParseOrder(const std::string& text);

struct PatchOffset {  // one row of X_col
  int c = 0, ky = 0, kx = 0;
  friend bool operator==(const PatchOffset& a, const PatchOffset& b) {
    return a.c == b.c && a.ky == b.ky && a.kx == b.kx;
  }
};
struct PatchIndex {  // one column of X_col
  int n = 0, oy = 0, ox = 0;
  friend bool operator==(const PatchIndex& a, const PatchIndex& b) {
    return a.n == b.n && a.oy == b.oy && a.ox == b.ox;
  }
};
struct Pixel {  // one input element
  int n = 0, c = 0, y = 0, x = 0;
  friend bool operator==(const Pixel& a, const Pixel& b) {
    return a.n == b.n && a.c == b.c && a.y == b.y && a.x == b.x;
  }
};
struct Cell {  // (row, column) of a matrix in canonical columns-layout indices
  Index r = 0, j = 0;
  friend bool operator==(const Cell& a, const Cell& b) { return a.r == b.r && a.j == b.j; }
};

// Row index r of X_col (and column of W_row) for (c, ky, kx), and back.
Index RowOf(const Shape& s, Order order, const PatchOffset& p);
PatchOffset PatchOffsetOf(const Shape& s, Order order, Index r);
// Column index j of X_col for (n, oy, ox), and back.
Index ColumnOf(const Shape& s, Order order, const PatchIndex& p);
PatchIndex PatchIndexOf(const Shape& s, Order order, Index j);

// Input coordinate sampled by (row, column); may lie in the padding.
struct SourceCoord {
  int n, c, y, x;
  bool in_image;
};
SourceCoord SourceOf(const Shape& s, Order order, Index r, Index j);
// The pixel copied into X_col(r, j), or nullopt for a padding zero.
std::optional<Pixel> SourcePixel(const Shape& s, Order order, Index r, Index j);
// Every X_col cell that copies `pixel`, ordered by column then row.
std::vector<Cell> CopiesOf(const Shape& s, Order order, const Pixel& pixel);

// The receptive field of column j: for each (ky, kx) the input coordinate (may be padding).
struct Window {
  int n, oy, ox;
  int top, left;  // coordinate of (ky, kx) = (0, 0), may be negative
};
Window WindowOf(const Shape& s, Order order, Index j);

// Display helpers for matrix labels: "(c,ky,kx)" and "(n,oy,ox)".
std::string RowLabel(const Shape& s, Order order, Index r);
std::string ColumnLabel(const Shape& s, Order order, Index j);

}  // namespace im2col
