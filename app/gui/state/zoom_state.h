// Zoom and pan over a matrix picture, as plain data: where the view is and how big its
// cells are. AppState keeps one per picture (the user's zoom survives frames and is the
// same in every render); gpu/zoom_view.h has the geometry and the interaction.
//
// Coordinates: "cell coordinates" are (column, row) of the matrix AS DISPLAYED,
// continuous: cell (r, c) covers [c, c+1) x [r, r+1). Screen coordinates are Dear
// ImGui's (pixels, origin top-left).
#pragma once

#include "im2col/shape.h"  // Index

namespace im2col::gui {

// A size in screen pixels.
struct ZoomArea {
  float x = 0.0f;
  float y = 0.0f;
};

// A point in continuous cell coordinates (doubles: a 1 x 10^7 matrix still pans smoothly).
struct CellPoint {
  double col = 0.0;
  double row = 0.0;
};

// The half-open block of displayed cells [row0, row1) x [col0, col1) that is on screen.
struct CellSpan {
  Index row0 = 0, row1 = 0, col0 = 0, col1 = 0;
  bool Empty() const { return row0 >= row1 || col0 >= col1; }
  Index Count() const { return Empty() ? 0 : (row1 - row0) * (col1 - col0); }
};

enum class FitMode {
  KeepAspect,  // square cells, the whole matrix visible, centred (default)
  Stretch,     // cells stretched to fill the area in both directions
};

// Cell size limits while zooming, in screen pixels.
inline constexpr float kMaxCellPixels = 160.0f;
inline constexpr float kZoomStep = 1.25f;  // one wheel notch or one '+'

struct ZoomView {
  // The displayed cell coordinate shown at the area's top-left corner.
  CellPoint first{0.0, 0.0};
  // Screen pixels per cell along columns (x) and rows (y).
  float cell_w = 1.0f;
  float cell_h = 1.0f;
  // While true the view re-fits whenever the area or the matrix size changes; zooming
  // or panning clears it, the Fit button sets it again.
  bool follow_fit = true;
  FitMode fit_mode = FitMode::KeepAspect;

  // Interaction state between frames.
  bool panning = false;
  bool dragging_minimap = false;
  // What the view was last synchronised with (SyncZoomView).
  Index rows = 0, cols = 0;
  ZoomArea area_size;
};

// A displayed cell (row, col): MatrixTexture::Canonical converts to core's indices.
struct CellRef {
  Index row = 0, col = 0;  // as displayed (MatrixTexture::Canonical converts)
  friend bool operator==(const CellRef& a, const CellRef& b) { return a.row == b.row && a.col == b.col; }
};

}  // namespace im2col::gui
