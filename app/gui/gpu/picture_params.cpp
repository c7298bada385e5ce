// The key of a cached GPU picture and the pixels a playback step changes; see
// picture_params.h.
#include "gui/gpu/picture_params.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

namespace im2col::gui {
namespace {

bool Same(const ImVec2& a, const ImVec2& b) { return a.x == b.x && a.y == b.y; }
bool Same(const ImVec4& a, const ImVec4& b) { return a.x == b.x && a.y == b.y && a.z == b.z && a.w == b.w; }

}  // namespace

bool SamePicture(const RenderParams& a, const RenderParams& b) {
  if (std::tie(a.serial, a.texture, a.texture_shift, a.rows, a.cols, a.transposed, a.pixel_w, a.pixel_h, a.units_w,
               a.units_h, a.first_col, a.first_row, a.first_frac_col, a.first_frac_row, a.cell_w, a.cell_h,
               a.order_coef_r, a.order_coef_block, a.fill_block, a.filled_count, a.newest_alpha, a.use_abs,
               a.t_offset, a.t_scale, a.empty_below, a.grid_min_cell) !=
      std::tie(b.serial, b.texture, b.texture_shift, b.rows, b.cols, b.transposed, b.pixel_w, b.pixel_h, b.units_w,
               b.units_h, b.first_col, b.first_row, b.first_frac_col, b.first_frac_row, b.cell_w, b.cell_h,
               b.order_coef_r, b.order_coef_block, b.fill_block, b.filled_count, b.newest_alpha, b.use_abs,
               b.t_offset, b.t_scale, b.empty_below, b.grid_min_cell)) {
    return false;
  }
  for (int i = 0; i < 5; ++i) {
    if (!Same(a.ramp[i], b.ramp[i])) return false;
  }
  return Same(a.area_min, b.area_min) && Same(a.quad.Min, b.quad.Min) && Same(a.quad.Max, b.quad.Max) &&
         Same(a.empty, b.empty) && Same(a.padding, b.padding) && Same(a.padding_hatch, b.padding_hatch) &&
         Same(a.grid, b.grid);
}

bool OnlyFillChanged(const RenderParams& a, RenderParams b) {
  b.filled_count = a.filled_count;
  b.newest_alpha = a.newest_alpha;
  return SamePicture(a, b);
}

bool ChangedPixels(const RenderParams& p, int before, int after, int out[4]) {
  const Index rows = p.rows, cols = p.cols, cells = rows * cols;
  const Index lo = std::clamp<Index>(std::min(before, after) - 1, 0, cells);
  const Index hi = std::clamp<Index>(std::max(before, after), 0, cells);  // exclusive
  if (lo >= hi) return false;
  Index r0 = 0, r1 = rows - 1, j0 = 0, j1 = cols - 1;  // canonical, inclusive
  if (p.order_coef_r == p.cols && p.order_coef_block == 1) {  // row-major
    r0 = lo / cols;
    r1 = (hi - 1) / cols;
    if (r0 == r1) {  // within one row: just those columns
      j0 = lo % cols;
      j1 = (hi - 1) % cols;
    }
  } else {  // column-major, or image maps (blocks of fill_block columns)
    const Index block = p.fill_block, first = lo / rows, last = (hi - 1) / rows;
    j0 = first * block;
    j1 = std::min(cols - 1, (last + 1) * block - 1);
    if (first == last) {  // within one column (block): just those rows
      r0 = lo % rows;
      r1 = (hi - 1) % rows;
    }
  }
  // Displayed cells, then picture coordinates (ImGui units), then pixels.
  double c0 = static_cast<double>(j0), c1 = static_cast<double>(j1 + 1);
  double d0 = static_cast<double>(r0), d1 = static_cast<double>(r1 + 1);
  if (p.transposed) {
    std::swap(c0, d0);
    std::swap(c1, d1);
  }
  const double fc = p.first_col + static_cast<double>(p.first_frac_col);
  const double fr = p.first_row + static_cast<double>(p.first_frac_row);
  const double sx = p.pixel_w / static_cast<double>(p.units_w), sy = p.pixel_h / static_cast<double>(p.units_h);
  const double x0 = (p.area_min.x + (c0 - fc) * p.cell_w) * sx, x1 = (p.area_min.x + (c1 - fc) * p.cell_w) * sx;
  const double y0 = (p.area_min.y + (d0 - fr) * p.cell_h) * sy, y1 = (p.area_min.y + (d1 - fr) * p.cell_h) * sy;
  out[0] = static_cast<int>(std::clamp(std::floor(x0) - 1.0, 0.0, static_cast<double>(p.pixel_w)));
  out[1] = static_cast<int>(std::clamp(std::floor(y0) - 1.0, 0.0, static_cast<double>(p.pixel_h)));
  out[2] = static_cast<int>(std::clamp(std::ceil(x1) + 1.0, 0.0, static_cast<double>(p.pixel_w)));
  out[3] = static_cast<int>(std::clamp(std::ceil(y1) + 1.0, 0.0, static_cast<double>(p.pixel_h)));
  return out[0] < out[2] && out[1] < out[3];
}

}  // namespace im2col::gui
