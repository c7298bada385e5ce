// Masks from the timeline and the looks of a matrix picture (matrix_mask.h).
#include "gui/gpu/matrix_mask.h"

#include <algorithm>
#include <cmath>

#include "gui/state/hover.h"
#include "gui/widgets/theme.h"

namespace im2col::gui {
namespace {

ImU32 MixColour(ImU32 a, ImU32 b, float t) {
  const ImVec4 x = ImGui::ColorConvertU32ToFloat4(a), y = ImGui::ColorConvertU32ToFloat4(b);
  return ImGui::ColorConvertFloat4ToU32(
      ImVec4(x.x + (y.x - x.x) * t, x.y + (y.y - x.y) * t, x.z + (y.z - x.z) * t, x.w + (y.w - x.w) * t));
}


}  // namespace

// ---------------------------------------------------------------------------------
// [SECTION] Masks from the timeline
// ---------------------------------------------------------------------------------

MaskState MaskFor(MatrixId id, const FrameState& f, const Shape& shape, float transition) {
  MaskState m;
  m.newest_alpha = transition;
  const Phase phase = f.step.phase;
  const Index R = shape.PatchSize();
  switch (id) {
    case MatrixId::XCol:
      m.fill_order = FillOrder::ColumnMajor;
      m.filled_count = f.x_col_cells;
      if (phase == Phase::Extract) m.focus_cell = f.focus_cell;
      if (phase == Phase::Extract || phase == Phase::Multiply) m.focus_column = f.focus_column;
      if (phase == Phase::GradWeights) m.focus_row = f.focus_patch_row;
      break;
    case MatrixId::WRow:
      m.fill_order = FillOrder::RowMajor;
      m.filled_count = f.w_row_rows * R;
      if (phase == Phase::Flatten || phase == Phase::Multiply) m.focus_row = f.focus_filter;
      break;
    case MatrixId::YMat:
      m.fill_order = FillOrder::RowMajor;
      m.filled_count = f.y_cells;
      if (phase == Phase::Multiply) m.focus_cell = f.focus_cell;
      if (phase == Phase::Reshape) m.focus_row = f.focus_filter;
      break;
    case MatrixId::DyMat:
      m.fill_order = FillOrder::ImageMaps;
      m.fill_block = std::max<Index>(shape.PatchCount(), 1);
      m.filled_count = f.dy_maps;
      if (phase == Phase::GradOutput || phase == Phase::GradWeights) m.focus_row = f.focus_filter;
      if (phase == Phase::GradXCol) m.focus_column = f.focus_column;
      break;
    case MatrixId::GradWRow:
      m.fill_order = FillOrder::RowMajor;
      m.filled_count = f.grad_w_cells;
      if (phase == Phase::GradWeights) m.focus_cell = f.focus_cell;
      break;
    case MatrixId::GradXCol:
      m.fill_order = FillOrder::ColumnMajor;
      // Transposed: grad_x_col = im2col(dY) fills cell by cell.
      m.filled_count = shape.op == Op::Transposed ? f.grad_x_col_cells : f.grad_x_col_columns * R;
      if (phase == Phase::GradXCol || phase == Phase::Col2im) m.focus_column = f.focus_column;
      break;
    case MatrixId::XMat: break;  // op transposed only: its input as a matrix, always full
  }
  // A whole map or column arrives at once: only single-cell steps fade in.
  if (id == MatrixId::DyMat || id == MatrixId::GradXCol || id == MatrixId::WRow) m.newest_alpha = 1.0f;
  return m;
}

void AddHoverLinks(MaskState& mask, MatrixId id, const HoverLinks& links) {
  switch (id) {
    case MatrixId::XCol:
    case MatrixId::GradXCol:  // dX_col's cells sit where X_col's do
      mask.hover_column = links.column;
      mask.hover_row = links.patch_row;
      mask.linked_cells.insert(mask.linked_cells.end(), links.x_col_cells.begin(), links.x_col_cells.end());
      break;
    case MatrixId::WRow:
    case MatrixId::GradWRow:
      mask.hover_row = links.filter;
      mask.hover_column = links.patch_row;  // row r of X_col is column r of W_row
      if (links.w_row_cell) mask.hover_cell = *links.w_row_cell;
      break;
    case MatrixId::YMat:
    case MatrixId::DyMat:
      mask.hover_row = links.filter;
      mask.hover_column = links.column;
      break;
    case MatrixId::XMat: break;  // op transposed only
  }
}

// ---------------------------------------------------------------------------------
// [SECTION] Styles and the CPU twin of the shader's colours
// ---------------------------------------------------------------------------------

MatrixStyle MatrixStyle::Tinted(ImU32 low, ImU32 high) {
  const Palette& p = ActivePalette();
  MatrixStyle s;
  s.mode = ColourMode::Tint;
  s.tint_low = low;
  s.tint_high = high;
  // Not filled yet: a faint grey, distinct from padding (darker grey + hatching).
  s.empty = MixColour(p.background, p.grid_line, 0.25f);
  s.padding = p.padding;
  s.padding_hatch = p.padding_hatch;
  s.grid_line = p.grid_line;
  s.focus = p.focus;
  s.hover = p.text;
  s.text = p.text;
  s.background = p.background;
  return s;
}

MatrixStyle MatrixStyle::Heat() {
  MatrixStyle s = Tinted(ActivePalette().background, ActivePalette().text);
  s.mode = ColourMode::Heat;
  s.heat_min = 1.0f;
  return s;
}

Index FillOrderIndex(const MaskState& m, Index rows, Index cols, const Cell& c) {
  switch (m.fill_order) {
    case FillOrder::RowMajor: return c.r * cols + c.j;
    case FillOrder::ColumnMajor: return c.j * rows + c.r;
    case FillOrder::ImageMaps: return (c.j / std::max<Index>(m.fill_block, 1)) * rows + c.r;
  }
  return 0;
}

bool IsFilled(const MatrixTexture& t, const MaskState& m, const Cell& c) {
  return FillOrderIndex(m, t.rows(), t.cols(), c) < std::clamp<Index>(m.filled_count, 0, kAllFilled);
}

float ColourScaleMax(const MatrixTexture& t, const MatrixStyle& s) {
  if (s.value_max > 0.0f) return s.value_max;
  return static_cast<float>(s.mode == ColourMode::Heat ? t.max_value() : t.max_abs());
}

ImU32 CellFillColour(const MatrixTexture& t, const MaskState& m, const MatrixStyle& s, const CellRef& displayed) {
  const Cell c = t.Canonical(displayed);
  const Index order = FillOrderIndex(m, t.rows(), t.cols(), c);
  const Index filled = std::clamp<Index>(m.filled_count, 0, kAllFilled);
  if (order >= filled) return s.empty;
  ImU32 colour;
  if (t.IsPadding(c.r, c.j)) {
    colour = s.padding;
  } else {
    const float value = static_cast<float>(t.Value(c.r, c.j));
    const float top = ColourScaleMax(t, s);
    if (s.mode == ColourMode::Heat) {
      if (value < s.heat_min) return s.empty;
      colour = CividisColor((value - s.heat_min) / std::max(top - s.heat_min, 1e-30f));
    } else {
      colour = MixColour(s.tint_low, s.tint_high, std::clamp(std::abs(value) / std::max(top, 1e-30f), 0.0f, 1.0f));
    }
  }
  if (order == filled - 1) colour = MixColour(s.empty, colour, std::clamp(m.newest_alpha, 0.0f, 1.0f));
  return colour;
}

}  // namespace im2col::gui
