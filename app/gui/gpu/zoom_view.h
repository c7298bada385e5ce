// Zoom and pan over a matrix drawn in a screen rectangle ("area"), for matrices too
// big to show every cell readably (AlexNet's X_col is 363 x 3025). Plain data: one
// ZoomView per drawn matrix, kept by whoever draws it; nothing here is global.
//
// Interaction (HandleZoomInput): mouse wheel zooms about the pointer; '+' / '-' zoom
// about the area's centre and '0' fits, while the pointer is over the area; dragging
// with the left or middle button pans; the "Fit" button (top right, shown once the
// view has left the fit) returns to the whole matrix; the minimap (bottom right,
// shown while part of the matrix is off screen) shows where the view is, and a click
// or drag on it moves the view there.
//
// Coordinates: "cell coordinates" are (column, row) of the matrix AS DISPLAYED,
// continuous: cell (r, c) covers [c, c+1) x [r, r+1). Screen coordinates are Dear
// ImGui's (pixels, origin top-left).
#pragma once

#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <optional>

#include "gui/state/zoom_state.h"
#include "im2col/shape.h"  // Index

namespace im2col::gui {

// The geometry of a view (free functions over the plain data in state/zoom_state.h).
ImVec2 CellToScreen(const ZoomView& view, CellPoint cell, const ImRect& area);
CellPoint ScreenToCell(const ZoomView& view, ImVec2 screen, const ImRect& area);
// Screen rectangle of displayed cell (row, col).
ImRect CellRect(const ZoomView& view, Index row, Index col, const ImRect& area);
// Screen rectangle of the whole matrix (may extend beyond the area).
ImRect MatrixRect(const ZoomView& view, const ImRect& area);
// Displayed cells at least partly visible in `area` (clamped to the matrix).
CellSpan VisibleCells(const ZoomView& view, const ImRect& area);

// Call once per frame before drawing: records the matrix size and area, re-fits while
// follow_fit, and clamps zoom and pan (a new scenario with a smaller matrix stays visible).
void SyncZoomView(ZoomView& view, const ImRect& area, Index rows, Index cols);
// Shows the whole matrix (per view.fit_mode) and sets follow_fit.
void FitZoomView(ZoomView& view, const ImRect& area, Index rows, Index cols);
// Multiplies the cell size by `factor` keeping the cell under `screen_anchor` fixed.
void ZoomAbout(ZoomView& view, ImVec2 screen_anchor, float factor, const ImRect& area);
// Moves the picture by `delta` screen pixels (drag direction).
void PanBy(ZoomView& view, ImVec2 delta, const ImRect& area);
// Centres the view on a cell.
void CentreOn(ZoomView& view, CellPoint cell, const ImRect& area);

// Overlay controls, shared by input handling and drawing. They sit in ControlsArea: the
// part of the area the current ImGui window shows (a scrolled stage may show a picture
// only in part; a Fit button beyond the window's edge would be out of reach), else the area.
ImRect ControlsArea(const ImRect& area);
bool FitButtonVisible(const ZoomView& view);
// ... and room for it in the area's visible part (a picture scrolled nearly out of sight
// has none: scrolling the stage brings the picture, and its button, back).
bool FitButtonVisible(const ZoomView& view, const ImRect& area);
ImRect FitButtonRect(const ImRect& area);
bool MinimapVisible(const ZoomView& view, const ImRect& area);
ImRect MinimapRect(const ZoomView& view, const ImRect& area);
// The minimap's own view (the whole matrix stretched over MinimapRect).
ZoomView MinimapView(const ZoomView& view, const ImRect& area);

struct ZoomInput {
  bool hovered = false;  // the pointer is over the area (and no other item took it)
  bool changed = false;  // zoom or pan changed this frame
};
// Submits one ImGui item (an invisible button named `id`) over `area` and applies
// wheel, keys, drags, the Fit button and minimap clicks to `view`; calls SyncZoomView.
// Call inside an ImGui window, before drawing. Like any item it moves the layout cursor
// (set it again if you lay out by cursor), and a canvas-wide item submitted earlier
// takes the hover unless it called ImGui::SetItemAllowOverlap(). While the pointer is
// over the area the wheel zooms instead of scrolling the window.
ZoomInput HandleZoomInput(const char* id, ZoomView& view, const ImRect& area, Index rows, Index cols);

// The displayed cell under `screen`, if it lies on the matrix inside `area` and not on
// an overlay control (Fit button, minimap).

std::optional<CellRef> DisplayedCellAt(const ZoomView& view, const ImRect& area, ImVec2 screen);

// Draws the Fit button and the minimap frame with the view's rectangle (the minimap
// picture itself is drawn by DrawMatrixTexture, which has the texture).
void DrawZoomControls(ImDrawList* draw, const ZoomView& view, const ImRect& area);

}  // namespace im2col::gui
