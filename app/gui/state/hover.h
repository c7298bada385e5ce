// What the pointer is over on the stage, and which cells in the other views are
// linked to it (the pixel's copies in X_col, a column's receptive field, ...).
// The links are asked of core's indexing functions (SourcePixel, CopiesOf,
// WindowOf, RowOf/PatchOffsetOf); nothing here re-derives convolution indices.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "im2col/convolution.h"
#include "im2col/indexing.h"

namespace im2col::gui {

// One hovered cell. Matrix cells are in CANONICAL "columns" indices (as core
// stores them: X_col is R x N*L, W_row is F x R), whatever the layout displays;
// tensor cells are 4-D indices.
struct HoverTarget {
  enum class Kind {
    None,
    InputPixel,      // tensor: input[n, c, y, x]; y/x may lie in the padding ring
    WeightCell,      // tensor: weights[f, c, ky, kx] stored as (n=f, c, y=ky, x=kx)
    XColCell,        // matrix: X_col(r, j)
    WRowCell,        // matrix: W_row(f, r) stored as (r=f, j=r)
    YCell,           // matrix: Y_mat(f, j) stored as (r=f, j)
    OutputCell,      // tensor: output[n, f, oy, ox] stored as (n, c=f, y=oy, x=ox)
    GradOutputCell,  // tensor: dY[n, f, oy, ox], same storage as OutputCell
    DyCell,          // matrix: dY_mat(f, j)
    GradWRowCell,    // matrix: dW_row(f, r)
    GradXColCell,    // matrix: dX_col(r, j)
    GradInputPixel,  // tensor: dX[n, c, y, x]
  };
  Kind kind = Kind::None;
  int n = 0, c = 0, y = 0, x = 0;  // tensor kinds
  Index r = 0, j = 0;              // matrix kinds (canonical row, column)

  bool IsNone() const { return kind == Kind::None; }
  static HoverTarget Tensor(Kind kind, int n, int c, int y, int x);
  static HoverTarget Matrix(Kind kind, Index r, Index j);
  friend bool operator==(const HoverTarget& a, const HoverTarget& b);
  friend bool operator!=(const HoverTarget& a, const HoverTarget& b) { return !(a == b); }
};

// Short name of the hovered cell, e.g. "x[0,1,2,3]" or "X_col[4,7]" (indices as
// displayed for the scenario's layout), for the hover inspector.
std::string Describe(const Computation& c, const HoverTarget& target);

// The value the hovered cell holds once the computation is done (what the stage writes
// there when its step comes); nullopt outside the array, a padding position included.
std::optional<double> ValueOf(const Computation& c, const HoverTarget& target);

// Everything linked to a hover target, so every view can outline its share.
// Canonical indices throughout. Empty for HoverTarget::Kind::None.
struct HoverLinks {
  // Input / dX pixels: the hovered pixel, the source of an X_col cell, or the
  // receptive field of a column (padding positions included, in_image false).
  std::vector<SourceCoord> input_coords;
  // XColCell / GradXColCell: the one coordinate the cell copies (may be padding).
  std::optional<SourceCoord> source;
  // Matrix cells of X_col (and dX_col, whose cells sit in the same places).
  std::vector<Cell> x_col_cells;
  std::optional<Index> column;       // a whole column j of X_col / Y / dY / dX_col
  std::optional<Index> patch_row;    // a whole row r of X_col / column r of W_row
  std::optional<Index> filter;       // a whole row f of W_row / Y / dY
  std::optional<Cell> w_row_cell;    // W_row(f, r) (canonical f, r)
  std::optional<Pixel> weight;       // weights[f, c, ky, kx] as (n=f, c, y=ky, x=kx)
  std::optional<Pixel> output;       // output / dY[n, f, oy, ox] as (n, c=f, y=oy, x=ox)
  Index copy_count = 0;              // InputPixel: how many X_col cells copy it

  bool InputLinked(int n, int c, int y, int x) const;
  bool XColLinked(Index r, Index j) const;  // canonical indices
  bool WRowLinked(Index f, Index r) const;
  bool YLinked(Index f, Index j) const;
  bool WeightLinked(int f, int c, int ky, int kx) const;
  bool OutputLinked(int n, int f, int oy, int ox) const;
  bool Empty() const;
};

// The links of `target` in computation `c` (an out-of-range target gives no links).
HoverLinks LinksOf(const Computation& c, const HoverTarget& target);

}  // namespace im2col::gui
