// The stage's building blocks (stage_blocks.cpp): a titled box of grids (a matrix, or a
// tensor's slices), the specs the bands fill in to make them, and small shared helpers.
#pragma once

#include <imgui.h>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gui/stage/grid_view.h"
#include "gui/stage/stage_context.h"
#include "gui/stage/stage_gpu.h"

namespace im2col::gui::stage {

// A grid on the stage and how its cells map to hover targets.
struct StageGrid {
  GridSpec spec;
  GridGeometry geo;
  std::function<HoverTarget(int row, int col)> target;
  std::string picture_view;  // drawn as this GPU picture (stage_gpu.h) when set
  const StageMemory* memory = nullptr;  // where that picture's zoom and pan live
  // The picture is zoomed or panned away from its fit: its cells are not where the
  // grid's layout puts them.
  bool PictureMoved() const { return !picture_view.empty() && memory != nullptr && stage::PictureMoved(*memory, picture_view); }
};

// A 4-D tensor drawn as slices: slice (o, i) of `outer x inner`, cells offset so
// that displayed row 0 is coordinate `row_offset` (negative inside padding).
struct TensorInfo {
  int outer = 0, inner = 0;              // e.g. N x C
  int shown_outer = 0, shown_inner = 0;  // slices actually drawn
  int row_offset = 0, col_offset = 0;    // -PH, -PW for the padded input
  std::vector<int> grid_of;              // (o * shown_inner + i) -> grid index, shown slices only
};

// A matrix whose display may be the transpose of core's canonical indices.
struct MatrixInfo {
  bool transposed = false;  // display (a, b) = canonical (b, a)
};

// One titled box of the stage (a matrix, or a tensor's slices) with its notes.
struct Block {
  std::string name;  // "x_col" -> panel:x_col
  std::vector<StageGrid> grids;
  std::vector<std::string> notes;  // lines under the grids (caption font)
  ImVec2 origin{0, 0}, size{0, 0};
  std::optional<TensorInfo> tensor;
  std::optional<MatrixInfo> matrix;

  // Rectangles (after placement) of a tensor cell / canonical matrix cell, if drawn where
  // the layout puts it (not in a zoomed picture).
  std::optional<std::pair<ImVec2, ImVec2>> TensorCell(int o, int i, int y, int x) const;
  std::optional<std::pair<ImVec2, ImVec2>> MatrixCell(Index r, Index j) const;
  // The whole slice (o, i) of a tensor as a cell range of its grid.
  const StageGrid* Slice(int o, int i) const;
};

struct MatrixSpec {
  std::string name, title;
  ImU32 title_color = 0;
  std::string id_prefix;  // per-cell layout ids "<prefix>[a,b]" in displayed indices; "" = none
  Index rows = 0, cols = 0;  // canonical
  bool transposed = false;
  // Canonical row labels / column labels (each a set of lines).
  std::function<std::string(Index r)> row_label;
  std::string row_heading;
  std::vector<std::string> col_line_names;
  std::function<std::string(int line, Index j)> col_label;
  // Canonical labels swap sides when the display is transposed:
  std::function<std::string(Index j)> col_as_row_label;  // used for rows when transposed
  std::vector<std::string> row_line_names;                 // used for columns when transposed
  std::function<std::string(int line, Index r)> row_as_col_label;
  std::function<CellVisual(Index r, Index j)> cell;
  std::function<HoverTarget(Index r, Index j)> target;
  std::vector<CellRange> focus, links;  // canonical ranges
  ImU32 summary_tint = 0;
  // When summarised: core's matrix drawn as a GPU picture from light_tint (0) to summary_tint.
  std::optional<MatrixId> picture;
  ImU32 light_tint = 0;
  float cell_w = 0.0f, label_w = 0.0f;  // forced sizes (0: measured)
};
Block MakeMatrixBlock(const Context& ctx, const MatrixSpec& spec);
std::string RowLine(const Context& ctx, int line, Index r);
std::string ColumnLine(const Context& ctx, int line, Index j);
// The common frame of an F x R matrix (W_row, dW_row): "f n" rows, (c, ky, kx) columns,
// cells shared with the rows layout's other matrices when transposed.
MatrixSpec FilterByPatchSpec(const Context& ctx, const std::string& name, const std::string& title, ImU32 tint,
                             float shared_cell_w, float own_cell_w);

struct TensorSpec {
  std::string name, title;
  ImU32 title_color = 0;
  std::string id_prefix;  // "input" -> input[o,i,y,x]; "" = none
  int outer = 0, inner = 0, rows = 0, cols = 0;  // displayed slice size
  int row_offset = 0, col_offset = 0;
  bool inner_stacked = true;  // inner slices stacked vertically (else side by side)
  std::function<std::string(int o, int i)> caption;
  std::string outer_noun = "groups", inner_noun = "slices";  // for "+ 94 more filters"
  std::function<CellVisual(int o, int i, int y, int x)> cell;  // y, x as coordinates
  std::function<HoverTarget(int o, int i, int y, int x)> target;
  // Whole slices outlined as focus / linked.
  std::function<bool(int o, int i)> slice_focus;
  // Focus as cell ranges (displayed slice indices), used when a slice is summarised
  // and its cells are not drawn one by one.
  std::function<std::vector<CellRange>(int o, int i)> summary_focus;
  ImU32 summary_tint = 0;
  // When a slice is summarised: slice (o, i) as a GPU picture (its focus and link ranges
  // are added to the mask); nullopt keeps the summary.
  std::function<std::optional<PictureSpec>(int o, int i)> picture;
  float cell_w = 0.0f;
  int max_outer = 4, max_inner = 4;
  long long max_cells = 400;  // slices bigger than 20 x 20 are summarised
};
Block MakeTensorBlock(const Context& ctx, const TensorSpec& spec);

// The geometry, captions and nouns each kind of tensor shares; the blocks add values,
// focus and colours. Filter-shaped: F x C x KH x KW, a filter's channels side by side.
// Image-shaped: N x `inner` x H x W (inner = C, or 1 for the overlap map). Output-shaped:
// N x F x HO x WO. `name` is also the layout id prefix (change it after when it differs).
TensorSpec FilterTensor(const Context& ctx, const std::string& name, const std::string& label);
TensorSpec ImageTensor(const Context& ctx, const std::string& name, const std::string& title, int inner);
TensorSpec OutputTensor(const Context& ctx, const std::string& name, const std::string& label);

// Cell ranges (rows and columns of a canonical matrix, both ends included).
inline CellRange RowSpan(Index row, Index first, Index last) {
  return CellRange{static_cast<int>(row), static_cast<int>(first), static_cast<int>(row), static_cast<int>(last)};
}
inline CellRange RowRange(Index row, Index cols) { return RowSpan(row, 0, cols - 1); }
inline CellRange ColRange(Index col, Index rows) {
  return CellRange{0, static_cast<int>(col), static_cast<int>(rows - 1), static_cast<int>(col)};
}
inline CellRange CellAt(Index row, Index col) { return RowSpan(row, col, col); }

// Moves a block laid out at (0, 0) to `origin`.
void PlaceBlock(Block& block, ImVec2 origin);

// Characters of the longest number among `values` (sampled when there are many).
// Cell width that fits a number of `chars` characters in the style's number font.
float CellWidthFor(const GridStyle& style, size_t chars);

// Value cell with the tint of its meaning.
CellVisual ValueCell(double value, ImU32 tint);
// Groups: W_row's cell (row, r) is a structural zero when weight row `row` and the patch
// channel of column r belong to different groups (always false for G = 1).
bool StructuralZero(const Shape& s, Order order, Index row, Index r);
// Alternate groups alternate two light tints of one meaning (G = 1: the tint itself).
ImU32 GroupTint(const Context& ctx, ImU32 tint, int group);
CellVisual StructuralCell();
bool WindowContains(const Context& ctx, int n, int c, int y, int x);
// The focus window's bounding box on slice (n, c), in displayed indices of a slice
// whose row 0 / column 0 is coordinate row_offset / col_offset (empty if none).
std::vector<CellRange> WindowRanges(const Context& ctx, int n, int c, int row_offset, int col_offset);
// Title "name  rows × cols" with the size as displayed.
std::string SizedTitle(const std::string& name, Index rows, Index cols);
std::string TensorTitle(const std::string& name, const std::array<int, 4>& dims);

}  // namespace im2col::gui::stage
