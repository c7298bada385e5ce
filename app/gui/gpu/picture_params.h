// What one render of a matrix view needs, and when two renders draw the same pixels:
// the key of a cached GPU picture (matrix_picture.cpp) and the pixels a playback step
// changes in it.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <cfloat>
#include <cstdint>

#include "gui/gpu/matrix_mask.h"

namespace im2col::gui {

// Everything the shader needs, in coordinates relative to the cached picture's top-left
// corner, so a view that only moves on screen (scrolling) keeps its picture.
struct RenderParams {
  std::uint64_t serial = 0;  // MatrixTexture::serial(): which values
  unsigned int texture = 0;
  int texture_shift = 0;
  int rows = 0, cols = 0;  // canonical
  bool transposed = false;
  int pixel_w = 0, pixel_h = 0;  // size of the picture in framebuffer pixels
  float units_w = 0.0f, units_h = 0.0f;  // the same in ImGui units
  ImVec2 area_min;  // the view's area, relative to the picture
  ImRect quad;      // what is drawn: the visible part of the matrix, relative to the picture
  int first_col = 0, first_row = 0;  // integer part of the view's first cell
  float first_frac_col = 0.0f, first_frac_row = 0.0f;
  float cell_w = 1.0f, cell_h = 1.0f;
  int order_coef_r = 1, order_coef_block = 1, fill_block = 1;
  int filled_count = 0;
  float newest_alpha = 1.0f;
  bool use_abs = true;
  float t_offset = 0.0f, t_scale = 1.0f, empty_below = -FLT_MAX;
  ImVec4 ramp[5];
  ImVec4 empty, padding, padding_hatch, grid;
  float grid_min_cell = kGridMinCellPixels;
};

// Equal parameters draw equal pixels: the cached picture can be shown again.
bool SamePicture(const RenderParams& a, const RenderParams& b);
// True when `b` differs from `a` only in how many cells are filled (a playback step):
// then only the cells between the two counts need drawing again.
bool OnlyFillChanged(const RenderParams& a, RenderParams b);
// The picture pixels (x0, y0, x1, y1; origin top-left) covering the cells whose state
// differs between fill counts `before` and `after` (the newest cell of each included).
bool ChangedPixels(const RenderParams& p, int before, int after, int out[4]);

}  // namespace im2col::gui
