// What a matrix picture shows besides its values: which cells the timeline has filled,
// the focus and hover outlines (MaskState, canonical indices) and the looks
// (MatrixStyle: tint or heat, padding hatch, grid lines, numbers), plus the CPU twin of
// the shader's cell colour for text contrast and tests.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "gui/gpu/matrix_texture.h"
#include "im2col/convolution.h"
#include "im2col/timeline.h"

namespace im2col::gui {

// [SECTION] What the timeline says about the cells
// ---------------------------------------------------------------------------------

// Order in which the timeline fills a matrix (canonical r, j; R rows, C columns):
enum class FillOrder {
  RowMajor,     // index r*C + j   (Y in multiply, dW_row, W_row by rows)
  ColumnMajor,  // index j*R + r   (X_col in extract, dX_col by columns)
  ImageMaps,    // index (j / block)*R + r: dY_mat, map (n, f) = row f, columns of image n
};

inline constexpr Index kAllFilled = INT32_MAX;

// Canonical cells [first.r, last.r] x [first.j, last.j], inclusive.
struct CellBlock {
  Cell first, last;
};

struct MaskState {
  // Cells whose index in `fill_order` is < filled_count are filled; the rest are grey.
  Index filled_count = kAllFilled;
  FillOrder fill_order = FillOrder::RowMajor;
  Index fill_block = 1;          // ImageMaps: columns per image (L)
  float newest_alpha = 1.0f;     // the last filled cell fades in (playback transition 0..1)
  // Focus (orange, 3 px) and hover (dashed text colour) in canonical indices.
  std::optional<Index> focus_row, focus_column;
  std::optional<Cell> focus_cell;
  std::optional<Index> hover_row, hover_column;
  std::optional<Cell> hover_cell;
  // More linked cells (e.g. the copies of a hovered input pixel), outlined like hover.
  std::vector<Cell> linked_cells;
  // Blocks outlined like focus / hover, e.g. a receptive field on an input plane.
  std::vector<CellBlock> focus_blocks, hover_blocks;
};

// Position of canonical cell `c` in the mask's fill order, and whether it is filled.
Index FillOrderIndex(const MaskState& mask, Index rows, Index cols, const Cell& c);
bool IsFilled(const MatrixTexture& texture, const MaskState& mask, const Cell& c);

// The mask of one of core's matrices at a frame, following the timeline's phases
// (extract fills X_col column by column, multiply fills Y row by row, ...).
// `transition` (0..1) fades in the newest cell.
MaskState MaskFor(MatrixId id, const FrameState& frame, const Shape& shape, float transition = 1.0f);

// Adds what a hover links to in matrix `id` (LinksOf in hover.h): whole rows / columns
// (dashed outlines) and single cells, e.g. the X_col copies of a hovered input pixel.
struct HoverLinks;
void AddHoverLinks(MaskState& mask, MatrixId id, const HoverLinks& links);

// ---------------------------------------------------------------------------------
// [SECTION] Looks
// ---------------------------------------------------------------------------------

enum class ColourMode {
  Tint,  // mix(tint_low, tint_high, |value| / value_max): the meaning's colour
  Heat,  // cividis((value - heat_min) / (value_max - heat_min)); below heat_min: empty
};

inline constexpr float kNumberMinCellPixels = 28.0f;  // numbers appear from this cell size
inline constexpr float kGridMinCellPixels = 6.0f;     // grid lines appear from this cell size

struct MatrixStyle {
  ColourMode mode = ColourMode::Tint;
  ImU32 tint_low = 0, tint_high = 0;  // value 0 and |value| = value_max
  ImU32 empty = 0;                    // not filled yet
  ImU32 padding = 0, padding_hatch = 0;
  ImU32 grid_line = 0;
  ImU32 focus = 0, hover = 0;
  ImU32 text = 0, background = 0;
  float focus_width = 3.0f, hover_width = 2.5f;
  float value_max = 0.0f;  // 0: the texture's max |value| (Tint) or max value (Heat)
  float heat_min = 1.0f;   // overlap counts start at 1
  float grid_min_cell = kGridMinCellPixels;
  float number_min_cell = kNumberMinCellPixels;
  bool show_numbers = true;
  ImFont* number_font = nullptr;        // nullptr: NumberFont(), else ImGui's current font
  ImFont* small_number_font = nullptr;  // when a number is too wide: SmallNumberFont()

  // Everything from ActivePalette(): `low`/`high` tint (e.g. p.input_tint, p.input).
  static MatrixStyle Tinted(ImU32 low, ImU32 high);
  static MatrixStyle Heat();
};

// The value that gets the full colour: style.value_max, else the texture's max |value|
// (Tint) or max value (Heat).
float ColourScaleMax(const MatrixTexture& texture, const MatrixStyle& style);

// The fill colour of displayed cell (row, col) without grid, hatching or outlines:
// the CPU twin of matrix.frag, for text contrast and tests.
ImU32 CellFillColour(const MatrixTexture& texture, const MaskState& mask, const MatrixStyle& style,
                     const CellRef& displayed);

}  // namespace im2col::gui
