// Zoom, pan, fit and the minimap for large matrices; see zoom_view.h.
#include "gui/gpu/zoom_view.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "gui/widgets/fonts.h"
#include "gui/widgets/theme.h"

namespace im2col::gui {
namespace {

constexpr float kMinimapMargin = 10.0f;
constexpr float kMinimapMinSide = 12.0f;
constexpr float kFitButtonMargin = 8.0f;
constexpr const char* kFitLabel = "Fit";

// Cell size that shows the whole matrix with square cells (capped, so a tiny matrix
// is not blown up to giant cells).
float KeepAspectFit(ZoomArea area_size, Index rows, Index cols) {
  const float fit = std::min(area_size.x / static_cast<float>(std::max<Index>(cols, 1)),
                             area_size.y / static_cast<float>(std::max<Index>(rows, 1)));
  return std::min(fit, kMaxCellPixels);
}

// The smallest cell sizes zooming out may reach: the fit itself.
void MinimumCellSize(const ZoomView& view, float* min_w, float* min_h) {
  if (view.fit_mode == FitMode::Stretch) {
    *min_w = std::min(view.area_size.x / static_cast<float>(std::max<Index>(view.cols, 1)), kMaxCellPixels);
    *min_h = std::min(view.area_size.y / static_cast<float>(std::max<Index>(view.rows, 1)), kMaxCellPixels);
  } else {
    *min_w = *min_h = KeepAspectFit(view.area_size, view.rows, view.cols);
  }
  *min_w = std::max(*min_w, 1e-4f);
  *min_h = std::max(*min_h, 1e-4f);
}

// Pan limits along one axis: a matrix narrower than the area is centred; a wider one
// always covers the whole area (no empty margins to get lost in).
double ClampAxis(double first, double cells, float cell_size, float area_extent) {
  const double visible = static_cast<double>(area_extent) / cell_size;
  if (visible >= cells) return -(visible - cells) * 0.5;
  return std::clamp(first, 0.0, cells - visible);
}

void ClampView(ZoomView& view) {
  float min_w = 0.0f, min_h = 0.0f;
  MinimumCellSize(view, &min_w, &min_h);
  const float max_cell = std::max({kMaxCellPixels, min_w, min_h});
  view.cell_w = std::clamp(view.cell_w, min_w, max_cell);
  view.cell_h = std::clamp(view.cell_h, min_h, max_cell);
  view.first.col = ClampAxis(view.first.col, static_cast<double>(view.cols), view.cell_w, view.area_size.x);
  view.first.row = ClampAxis(view.first.row, static_cast<double>(view.rows), view.cell_h, view.area_size.y);
}

// The Fit button's font: the body font (also usable between frames), else ImGui's current one.
ImFont* ControlFont() {
  if (ImFont* body = BodyFont()) return body;
  return ImGui::GetCurrentContext() != nullptr ? ImGui::GetFont() : nullptr;
}

ImVec2 FitLabelSize() {
  ImFont* font = ControlFont();
  if (font == nullptr) return ImVec2(30.0f, 20.0f);
  return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, kFitLabel);
}

bool AtFit(const ZoomView& view) {
  float min_w = 0.0f, min_h = 0.0f;
  MinimumCellSize(view, &min_w, &min_h);
  return view.cell_w <= min_w * 1.0001f && view.cell_h <= min_h * 1.0001f;
}

}  // namespace

ImVec2 CellToScreen(const ZoomView& view, CellPoint cell, const ImRect& area) {
  return ImVec2(area.Min.x + static_cast<float>((cell.col - view.first.col) * view.cell_w),
                area.Min.y + static_cast<float>((cell.row - view.first.row) * view.cell_h));
}

CellPoint ScreenToCell(const ZoomView& view, ImVec2 screen, const ImRect& area) {
  return {view.first.col + static_cast<double>(screen.x - area.Min.x) / view.cell_w,
          view.first.row + static_cast<double>(screen.y - area.Min.y) / view.cell_h};
}

ImRect CellRect(const ZoomView& view, Index row, Index col, const ImRect& area) {
  const ImVec2 min = CellToScreen(view, {static_cast<double>(col), static_cast<double>(row)}, area);
  return ImRect(min, ImVec2(min.x + view.cell_w, min.y + view.cell_h));
}

ImRect MatrixRect(const ZoomView& view, const ImRect& area) {
  return ImRect(CellToScreen(view, {0.0, 0.0}, area),
                CellToScreen(view, {static_cast<double>(view.cols), static_cast<double>(view.rows)}, area));
}

CellSpan VisibleCells(const ZoomView& view, const ImRect& area) {
  const CellPoint a = ScreenToCell(view, area.Min, area);
  const CellPoint b = ScreenToCell(view, area.Max, area);
  CellSpan span;
  span.col0 = std::clamp<Index>(static_cast<Index>(std::floor(a.col)), 0, view.cols);
  span.row0 = std::clamp<Index>(static_cast<Index>(std::floor(a.row)), 0, view.rows);
  span.col1 = std::clamp<Index>(static_cast<Index>(std::ceil(b.col)), 0, view.cols);
  span.row1 = std::clamp<Index>(static_cast<Index>(std::ceil(b.row)), 0, view.rows);
  return span;
}

void FitZoomView(ZoomView& view, const ImRect& area, Index rows, Index cols) {
  view.rows = rows;
  view.cols = cols;
  view.area_size = ZoomArea{area.GetWidth(), area.GetHeight()};
  if (view.fit_mode == FitMode::Stretch) {
    view.cell_w = std::min(view.area_size.x / static_cast<float>(std::max<Index>(cols, 1)), kMaxCellPixels);
    view.cell_h = std::min(view.area_size.y / static_cast<float>(std::max<Index>(rows, 1)), kMaxCellPixels);
  } else {
    view.cell_w = view.cell_h = KeepAspectFit(view.area_size, rows, cols);
  }
  view.cell_w = std::max(view.cell_w, 1e-4f);
  view.cell_h = std::max(view.cell_h, 1e-4f);
  view.first = {0.0, 0.0};
  view.follow_fit = true;
  ClampView(view);  // centres the matrix
}

void SyncZoomView(ZoomView& view, const ImRect& area, Index rows, Index cols) {
  const ImVec2 size = area.GetSize();
  const bool changed = rows != view.rows || cols != view.cols || size.x != view.area_size.x ||
                       size.y != view.area_size.y;
  if (view.follow_fit) {
    if (changed) FitZoomView(view, area, rows, cols);
    return;
  }
  view.rows = rows;
  view.cols = cols;
  view.area_size = ZoomArea{size.x, size.y};
  ClampView(view);
}

void ZoomAbout(ZoomView& view, ImVec2 screen_anchor, float factor, const ImRect& area) {
  if (!(factor > 0.0f) || view.rows <= 0 || view.cols <= 0) return;
  const CellPoint anchor = ScreenToCell(view, screen_anchor, area);
  view.cell_w *= factor;
  view.cell_h *= factor;
  view.follow_fit = false;
  ClampView(view);
  if (AtFit(view)) {  // zoomed all the way out: that is the fit, keep following it
    FitZoomView(view, area, view.rows, view.cols);
    return;
  }
  view.first.col = anchor.col - static_cast<double>(screen_anchor.x - area.Min.x) / view.cell_w;
  view.first.row = anchor.row - static_cast<double>(screen_anchor.y - area.Min.y) / view.cell_h;
  ClampView(view);
}

void PanBy(ZoomView& view, ImVec2 delta, const ImRect& area) {
  (void)area;
  view.first.col -= static_cast<double>(delta.x) / view.cell_w;
  view.first.row -= static_cast<double>(delta.y) / view.cell_h;
  view.follow_fit = false;
  ClampView(view);
}

void CentreOn(ZoomView& view, CellPoint cell, const ImRect& area) {
  const ImVec2 size = area.GetSize();
  view.first.col = cell.col - static_cast<double>(size.x) * 0.5 / view.cell_w;
  view.first.row = cell.row - static_cast<double>(size.y) * 0.5 / view.cell_h;
  view.follow_fit = false;
  ClampView(view);
}

bool FitButtonVisible(const ZoomView& view) { return !view.follow_fit; }

ImRect ControlsArea(const ImRect& area) {
  const ImGuiContext* context = ImGui::GetCurrentContext();
  if (context == nullptr || context->CurrentWindow == nullptr) return area;
  ImRect visible = area;
  visible.ClipWithFull(context->CurrentWindow->InnerClipRect);
  return visible.GetWidth() > 0.0f && visible.GetHeight() > 0.0f ? visible : area;
}

bool FitButtonVisible(const ZoomView& view, const ImRect& area) {
  return FitButtonVisible(view) && ControlsArea(area).Contains(FitButtonRect(area));
}

ImRect FitButtonRect(const ImRect& picture_area) {
  const ImRect area = ControlsArea(picture_area);
  const ImVec2 text = FitLabelSize();
  const ImVec2 size(text.x + 20.0f, text.y + 10.0f);
  const ImVec2 max(area.Max.x - kFitButtonMargin, area.Min.y + kFitButtonMargin + size.y);
  return ImRect(ImVec2(max.x - size.x, max.y - size.y), max);
}

bool MinimapVisible(const ZoomView& view, const ImRect& area) {
  if (view.follow_fit || view.rows <= 0 || view.cols <= 0) return false;
  const ImRect room = ControlsArea(area);
  if (room.GetWidth() < 240.0f || room.GetHeight() < 140.0f) return false;
  const CellSpan span = VisibleCells(view, area);
  return span.row0 > 0 || span.col0 > 0 || span.row1 < view.rows || span.col1 < view.cols;
}

ImRect MinimapRect(const ZoomView& view, const ImRect& picture_area) {
  const ImRect area = ControlsArea(picture_area);
  const float box_w = area.GetWidth() * 0.28f, box_h = area.GetHeight() * 0.3f;
  const float aspect = static_cast<float>(view.rows) / static_cast<float>(std::max<Index>(view.cols, 1));
  float w = box_w, h = box_w * aspect;
  if (h > box_h) {
    h = box_h;
    w = h / std::max(aspect, 1e-6f);
  }
  w = std::max(w, kMinimapMinSide);
  h = std::max(h, kMinimapMinSide);
  const ImVec2 max(area.Max.x - kMinimapMargin, area.Max.y - kMinimapMargin);
  return ImRect(ImVec2(max.x - w, max.y - h), max);
}

ZoomView MinimapView(const ZoomView& view, const ImRect& area) {
  const ImRect box = MinimapRect(view, area);
  ZoomView mini;
  mini.rows = view.rows;
  mini.cols = view.cols;
  mini.area_size = ZoomArea{box.GetWidth(), box.GetHeight()};
  mini.fit_mode = FitMode::Stretch;
  mini.cell_w = box.GetWidth() / static_cast<float>(std::max<Index>(view.cols, 1));
  mini.cell_h = box.GetHeight() / static_cast<float>(std::max<Index>(view.rows, 1));
  mini.first = {0.0, 0.0};
  mini.follow_fit = true;
  return mini;
}

ZoomInput HandleZoomInput(const char* id, ZoomView& view, const ImRect& area, Index rows, Index cols) {
  ZoomInput result;
  SyncZoomView(view, area, rows, cols);
  if (area.GetWidth() < 1.0f || area.GetHeight() < 1.0f) return result;
  const ZoomView before = view;

  ImGui::SetCursorScreenPos(area.Min);
  ImGui::InvisibleButton(id, area.GetSize(), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonMiddle);
  result.hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  ImGuiIO& io = ImGui::GetIO();
  if (result.hovered) ImGui::SetItemUsingMouseWheel();  // the wheel zooms here, it does not scroll the window

  if (ImGui::IsItemActivated()) {
    if (FitButtonVisible(view, area) && FitButtonRect(area).Contains(io.MousePos)) {
      FitZoomView(view, area, rows, cols);
    } else if (MinimapVisible(view, area) && MinimapRect(view, area).Contains(io.MousePos)) {
      view.dragging_minimap = true;
    } else {
      view.panning = true;
    }
  }
  if (active && view.dragging_minimap) {
    const ImRect box = MinimapRect(view, area);
    const ZoomView mini = MinimapView(view, area);
    CentreOn(view, ScreenToCell(mini, ImClamp(io.MousePos, box.Min, box.Max), box), area);
  } else if (active && view.panning && (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f)) {
    PanBy(view, io.MouseDelta, area);
  }
  if (!active) {
    view.panning = false;
    view.dragging_minimap = false;
  }

  if (result.hovered) {
    if (io.MouseWheel != 0.0f) ZoomAbout(view, io.MousePos, std::pow(kZoomStep, io.MouseWheel), area);
    for (const ImWchar c : io.InputQueueCharacters) {
      if (c == '+' || c == '=') ZoomAbout(view, area.GetCenter(), kZoomStep, area);
      if (c == '-' || c == '_') ZoomAbout(view, area.GetCenter(), 1.0f / kZoomStep, area);
      if (c == '0') FitZoomView(view, area, rows, cols);
    }
  }
  result.changed = before.cell_w != view.cell_w || before.cell_h != view.cell_h ||
                   before.first.col != view.first.col || before.first.row != view.first.row;
  return result;
}

std::optional<CellRef> DisplayedCellAt(const ZoomView& view, const ImRect& area, ImVec2 screen) {
  if (!area.Contains(screen)) return std::nullopt;
  if (FitButtonVisible(view, area) && FitButtonRect(area).Contains(screen)) return std::nullopt;
  if (MinimapVisible(view, area) && MinimapRect(view, area).Contains(screen)) return std::nullopt;
  const CellPoint p = ScreenToCell(view, screen, area);
  if (p.col < 0.0 || p.row < 0.0) return std::nullopt;
  const Index col = static_cast<Index>(std::floor(p.col)), row = static_cast<Index>(std::floor(p.row));
  if (row >= view.rows || col >= view.cols) return std::nullopt;
  return CellRef{row, col};
}

void DrawZoomControls(ImDrawList* draw, const ZoomView& view, const ImRect& area) {
  const Palette& palette = ActivePalette();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  draw->PushClipRect(area.Min, area.Max, true);
  if (MinimapVisible(view, area)) {
    const ImRect box = MinimapRect(view, area);
    const ZoomView mini = MinimapView(view, area);
    draw->AddRect(ImVec2(box.Min.x - 1.0f, box.Min.y - 1.0f), ImVec2(box.Max.x + 1.0f, box.Max.y + 1.0f),
                  palette.text_muted, 0.0f, 0, 2.0f);
    // The part of the matrix the main view shows, at least a few pixels so it is findable.
    const CellPoint a = ScreenToCell(view, area.Min, area), b = ScreenToCell(view, area.Max, area);
    ImVec2 min = CellToScreen(mini, a, box), max = CellToScreen(mini, b, box);
    min = ImClamp(min, box.Min, box.Max);
    max = ImClamp(max, box.Min, box.Max);
    const ImVec2 centre((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
    const ImVec2 half(std::max((max.x - min.x) * 0.5f, 3.0f), std::max((max.y - min.y) * 0.5f, 3.0f));
    draw->AddRect(ImVec2(centre.x - half.x, centre.y - half.y), ImVec2(centre.x + half.x, centre.y + half.y),
                  palette.text, 0.0f, 0, 2.0f);
  }
  if (FitButtonVisible(view, area)) {
    const ImRect button = FitButtonRect(area);
    const bool over = button.Contains(mouse);
    draw->AddRectFilled(button.Min, button.Max, over ? palette.background : palette.panel, 4.0f);
    draw->AddRect(button.Min, button.Max, palette.text_muted, 4.0f, 0, 1.5f);
    const ImVec2 text = FitLabelSize();
    ImFont* font = ControlFont();
    draw->AddText(font, font ? font->FontSize : 0.0f,
                  ImVec2(button.GetCenter().x - text.x * 0.5f, button.GetCenter().y - text.y * 0.5f), palette.text,
                  kFitLabel);
  }
  draw->PopClipRect();
}

}  // namespace im2col::gui
