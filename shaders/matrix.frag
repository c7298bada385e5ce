#version 330 core
// Colours one matrix cell per fragment from the value texture (value, NaN for padding):
// grey when the timeline has not filled the cell yet, hatched grey for a padding zero,
// otherwise a colour ramp of the value (the meaning's tint, or cividis heat), plus grid
// lines once cells are big enough. Focus and hover outlines are ImGui rectangles drawn
// over it. Keep in step with CellFillColour() in app/gui/matrix_texture.cpp, the CPU
// twin used for text contrast and by the tests.
//
// The result is rendered into a cached picture of the view (matrix_draw.cpp) only when
// the view, the timeline's mask or the values change. Written for Mesa llvmpipe, which
// runs every branch of an 8-pixel batch under a mask: selects instead of branches, no
// divisions by non-constants, one texelFetch.
in vec2 v_screen;
out vec4 frag_colour;

uniform sampler2D u_values;      // R32F: the value, a NaN for a padding zero
uniform int u_texture_shift;     // cells are packed row-major, 2^shift per texel row
uniform ivec2 u_matrix_size;     // canonical (rows, cols)
uniform int u_transposed;        // 1: displayed (row, col) = canonical (col, row)

// Screen p shows displayed cell (col, row) = first_cell + floor(first_cell_frac + (p - area_min) / cell_size).
// The view offset is split into integer and fraction so huge matrices keep precision.
uniform vec2 u_area_min;
uniform ivec2 u_first_cell;      // (col, row)
uniform vec2 u_first_cell_frac;
uniform vec2 u_cell_size;        // screen pixels per displayed cell (x: columns, y: rows)

// Fill order index = r * u_order_coef.x + (j / u_fill_block) * u_order_coef.y:
//   row-major (C, 1, block 1), column-major (1, R, block 1), image maps (1, R, block L).
uniform ivec2 u_order_coef;
uniform int u_fill_block;
uniform float u_fill_block_inverse;
uniform int u_filled_count;      // cells with order index < count are filled
uniform float u_newest_alpha;    // opacity of the most recently filled cell (fade-in)

// Colour ramp: t = clamp((x - t_offset) * t_scale, 0, 1) with x = |value| (tint) or value
// (heat); piecewise linear through 5 anchors (tint: evenly spaced from low to high).
uniform int u_use_abs;
uniform float u_t_offset;
uniform float u_t_scale;
uniform float u_empty_below;     // x below this draws as empty (heat: counts < 1)
uniform vec4 u_ramp0, u_ramp1, u_ramp2, u_ramp3, u_ramp4;
uniform vec4 u_empty;
uniform vec4 u_padding;
uniform vec4 u_padding_hatch;
uniform vec4 u_grid;
uniform float u_grid_min_cell;   // grid lines only when cells are at least this many pixels
uniform float u_hatch_spacing;   // pixels between hatch lines

void main() {
  vec2 local = u_first_cell_frac + (v_screen - u_area_min) / u_cell_size;  // cells from u_first_cell
  vec2 local_floor = floor(local);
  ivec2 cell = u_first_cell + ivec2(local_floor);  // (col, row) as displayed
  int r = u_transposed == 1 ? cell.x : cell.y;
  int j = u_transposed == 1 ? cell.y : cell.x;
  if (r < 0 || j < 0 || r >= u_matrix_size.x || j >= u_matrix_size.y) discard;

  int linear = r * u_matrix_size.y + j;
  int row_mask = (1 << u_texture_shift) - 1;
  float value = texelFetch(u_values, ivec2(linear & row_mask, linear >> u_texture_shift), 0).r;
  // NaN tested on the bits (all exponent bits, some mantissa bit): compilers may fold isnan.
  uint bits = floatBitsToUint(value);
  bool is_padding = (bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu) != 0u;

  // Which block (image) column j belongs to, exactly: a float estimate, then corrected.
  int block = int(float(j) * u_fill_block_inverse);
  block -= int(block * u_fill_block > j);
  block += int((block + 1) * u_fill_block <= j);
  int order_index = r * u_order_coef.x + block * u_order_coef.y;

  float x = is_padding ? 0.0 : (u_use_abs == 1 ? abs(value) : value);
  float s = 4.0 * clamp((x - u_t_offset) * u_t_scale, 0.0, 1.0);
  vec4 colour = u_ramp0 + (u_ramp1 - u_ramp0) * clamp(s, 0.0, 1.0) + (u_ramp2 - u_ramp1) * clamp(s - 1.0, 0.0, 1.0) +
                (u_ramp3 - u_ramp2) * clamp(s - 2.0, 0.0, 1.0) + (u_ramp4 - u_ramp3) * clamp(s - 3.0, 0.0, 1.0);
  colour = x < u_empty_below ? u_empty : colour;
  // Diagonal hatching in screen space: padding is never shown by colour alone (UI.md).
  vec4 padding = mod(v_screen.x + v_screen.y, u_hatch_spacing) < 1.25 ? u_padding_hatch : u_padding;
  colour = is_padding ? padding : colour;
  colour = order_index == u_filled_count - 1 ? mix(u_empty, colour, u_newest_alpha) : colour;
  colour = order_index >= u_filled_count ? u_empty : colour;
  // Grid lines along the left and top edge of each cell, when cells are big enough.
  vec2 in_cell = (local - local_floor) * u_cell_size;
  bool grid = min(u_cell_size.x, u_cell_size.y) >= u_grid_min_cell && min(in_cell.x, in_cell.y) < 1.0;
  frag_colour = grid ? u_grid : colour;
}
