// One labelled matrix or 2-D slice of a tensor, drawn with ImDrawList: a title,
// row labels at the left, column labels (one line per index component) on top,
// tinted cells with their numbers, padding hatching, the 3 px focus outline, the
// hover-link outline, the overlap heat and the wrong-value mark. Grids with too
// many cells to draw one by one are drawn summarised (downsampled blocks) unless
// GridSpec::picture draws them (the stage's GPU texture path).
#pragma once

#include <imgui.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gui/widgets/number_format.h"

namespace im2col::gui {

// Integers as integers, otherwise at most 3 decimals (trailing zeros dropped).


// Above this many cells a grid is drawn summarised.
inline constexpr long long kMaxDrawnCells = 6000;

enum class CellKind {
  Empty,    // not computed yet at this step: outline only
  Value,    // a number on a tint
  Padding,  // a padding zero: grey with hatching, "0"
  Heat,     // overlap count: cividis fill, the count written
  Structural,  // a zero by construction (another group's weight): grey, sparse hatching, no number
};

struct CellVisual {
  CellKind kind = CellKind::Empty;
  double value = 0.0;
  ImU32 fill = 0;          // tint (Value) or cividis colour (Heat)
  float alpha = 1.0f;      // < 1 while a value fades in during a transition
  bool focus = false;      // 3 px focus outline on this cell alone
  bool focus_source = false;  // the value being moved at this step: a second, inner outline
  bool linked = false;     // linked to the hovered cell
  bool linked_source = false;  // the one pixel a hovered X_col cell copies: solid link outline
  bool wrong = false;      // overwrite (=) gave a wrong value here: black outline + cross
  bool muted = false;      // value shown muted (e.g. a summand not yet added)
  bool hatch = false;      // a value that belongs to a padding position (hatched)
};

// An inclusive block of cells [row0..row1] x [col0..col1], outlined as one rectangle.
struct CellRange {
  int row0 = 0, col0 = 0, row1 = 0, col1 = 0;
};

// Fonts and spacing shared by every grid on the stage (chosen by the stage to fit).
struct GridStyle {
  ImFont* number_font = nullptr;
  float number_size = 20.0f;
  ImFont* label_font = nullptr;  // row / column labels
  float label_size = 18.0f;
  ImFont* title_font = nullptr;
  float title_size = 24.0f;
  ImFont* caption_font = nullptr;  // slice captions ("c = 1") and notes
  float caption_size = 20.0f;
  float cell_pad = 6.0f;           // horizontal padding inside a cell
  float min_cell = 30.0f;          // cells are at least this wide and high
  float summary_box = 320.0f;      // largest side of a summarised grid, pixels
  float gap = 8.0f;                // between title and cells, labels and cells
};

struct GridSpec {
  std::string title;        // drawn above, e.g. "X_col  12 × 9"; empty = none
  bool small_title = false; // caption font instead of title font (tensor slices)
  ImU32 title_color = 0;
  std::string panel_id;     // recorded as is, e.g. "panel:x_col"; empty = none
  // Per-cell layout ids: id(row, col) -> "x_col[3,4]"; empty function = none.
  std::function<std::string(int row, int col)> cell_id;
  int rows = 0, cols = 0;
  // Column labels: one line per name (e.g. {"oy","ox"}), line k of column c from col_label(k, c).
  std::vector<std::string> col_line_names;
  std::function<std::string(int line, int col)> col_label;
  // Row labels at the left, e.g. "(0,1,1)", with an optional heading above them.
  std::function<std::string(int row)> row_label;
  std::string row_label_heading;
  std::function<CellVisual(int row, int col)> cell;
  ImU32 summary_tint = 0;   // summarised view: colour of the largest magnitude
  std::vector<CellRange> focus_ranges;  // drawn with the focus outline
  std::vector<CellRange> link_ranges;   // drawn with the hover-link outline
  long long max_cells = kMaxDrawnCells;  // above this the grid is drawn summarised
  float summary_box = 0.0f; // summarised height (width up to twice it); 0: the style's
  bool summary_note = true; // write "R × C cells, summarised" under a summarised grid
  float cell_w = 0.0f;      // forced cell width (0: from the widest number)
  float label_w = 0.0f;     // forced row-label column width (0: measured)
  // A summarised grid's cells drawn another way inside [cells_min, cells_max] (the stage's
  // zoomable GPU pictures, stage_gpu.cpp: into the current window, with their own
  // outlines and hover): sets *hovered (displayed row, col) and returns true, or returns
  // false to fall back to the blocks.
  std::function<bool(ImVec2 cells_min, ImVec2 cells_max, bool hover_enabled, std::optional<std::pair<int, int>>* hovered)>
      picture;
};

// Where a grid goes: everything needed to find a cell's rectangle.
struct GridGeometry {
  ImVec2 origin{0, 0};     // top-left of the whole block (title included)
  ImVec2 size{0, 0};       // whole block
  ImVec2 cells_min{0, 0};  // top-left of cell (0, 0)
  float cell_w = 0, cell_h = 0;
  float label_w = 0;       // width of the row-label column
  int rows = 0, cols = 0;
  bool summarised = false;

  ImVec2 CellMin(int row, int col) const {
    return ImVec2(cells_min.x + cell_w * static_cast<float>(col), cells_min.y + cell_h * static_cast<float>(row));
  }
  ImVec2 CellMax(int row, int col) const { return CellMin(row + 1, col + 1); }
  ImVec2 CellsMax() const { return CellMin(rows, cols); }
  // The cell under `point`, if any.
  std::optional<std::pair<int, int>> CellAt(ImVec2 point) const;
};

// Whether a grid of that many cells is drawn summarised.
bool IsSummarised(const GridSpec& spec);
// Cell width that fits every number of the grid (visits every cell: small grids only).
float MeasureCellWidth(const GridSpec& spec, const GridStyle& style);
// Row-label column width of a grid (0 without labels).
float MeasureLabelWidth(const GridSpec& spec, const GridStyle& style);
// Height of one cell for the style.
float CellHeight(const GridStyle& style);
// Places a grid at `origin`: computes sizes without drawing.
GridGeometry LayoutGrid(const GridSpec& spec, const GridStyle& style, ImVec2 origin);

// Draws the grid placed at `geometry` and records its layout ids. Returns the cell
// under the mouse when `hover_enabled` (the stage window is hovered). With `linked`, adds
// the rectangles of the cells it outlined as linked to the hovered one (the hover badge
// keeps off them).
std::optional<std::pair<int, int>> DrawGrid(ImDrawList* draw, const GridSpec& spec, const GridStyle& style,
                                            const GridGeometry& geometry, bool hover_enabled,
                                            std::vector<std::pair<ImVec2, ImVec2>>* linked = nullptr);

// Cell decorations the stage also uses for flying values and overlays.
void DrawHatch(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 color, float spacing);
void DrawFocusOutline(ImDrawList* draw, ImVec2 min, ImVec2 max);
void DrawLinkOutline(ImDrawList* draw, ImVec2 min, ImVec2 max);
// A wrong value: inset black outline and a cross in a strip of `mark_w` at the right
// (grids that can hold wrong values are WrongMarkWidth wider, so the number stays clear).
void DrawWrongMark(ImDrawList* draw, ImVec2 min, ImVec2 max, float mark_w);
float WrongMarkWidth(const GridStyle& style);
// A number centred in a rectangle, in `color`.
void DrawCenteredText(ImDrawList* draw, ImFont* font, float size, ImVec2 min, ImVec2 max, ImU32 color,
                      const std::string& text);
// Colour with its alpha scaled by `alpha`.
ImU32 WithAlpha(ImU32 color, float alpha);
// Linear blend of two opaque colours.
ImU32 Blend(ImU32 a, ImU32 b, float t);

}  // namespace im2col::gui
