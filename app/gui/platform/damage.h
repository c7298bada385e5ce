// Damage tracking for the window on a software renderer: which pixels a frame can
// change, from ImGui's draw data alone.
//
// Why: on Mesa llvmpipe every pixel drawn costs CPU, and a playback step changes a few
// cells, a slider and a line of text, while a full redraw at 1920x1080 costs ~12 ms.
// The tracker cuts the framebuffer into tiles and gives each tile a hash of the
// ordered list of primitives (triangles with their vertices, texture and scissor box)
// that touch it. A tile whose list is the same as last frame shows the same pixels, so
// only tiles whose hash changed need drawing (and presenting). Texture contents are
// not in the draw data: code that changes a texture on screen reports the screen
// rectangle to the GpuContext (GpuContext::ReportDamage), and the tracker is handed them.
#pragma once

#include <cstdint>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>  // ImRect

namespace im2col::gui {

// Framebuffer pixels, origin top-left, half-open: [x0, x1) x [y0, y1).
struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool Empty() const { return x1 <= x0 || y1 <= y0; }
  long long Area() const { return Empty() ? 0 : static_cast<long long>(x1 - x0) * (y1 - y0); }
  bool operator==(const PixelRect& o) const { return x0 == o.x0 && y0 == o.y0 && x1 == o.x1 && y1 == o.y1; }
};

PixelRect Intersect(const PixelRect& a, const PixelRect& b);
PixelRect Union(const PixelRect& a, const PixelRect& b);

// The scissor box ImGui's OpenGL3 backend sets for `cmd`, as it computes it (truncating
// to whole pixels), converted to top-left origin. Partial redraws must reproduce it.
PixelRect ScissorOf(const ImDrawCmd& cmd, const ImDrawData& draw);

// Sets `cmd`'s clip rectangle so that the backend's scissor is exactly `box`
// (empty box: the backend skips the command).
void SetScissor(ImDrawCmd* cmd, const ImDrawData& draw, const PixelRect& box);

class DamageTracker {
 public:
  static constexpr int kTile = 32;      // pixels per tile side
  static constexpr int kMaxRects = 8;  // each rectangle is one more pass over the draw data

  // Compares the frame in `draw` (cleared to `clear_colour` first) with the frame
  // passed last time and returns the rectangles that must be redrawn: a few merged
  // boxes covering every changed tile, or the whole framebuffer after Invalidate(), on
  // the first frame and when the size or the clear colour changed.
  // `reported`: screen rectangles (ImGui units) whose pixels changed behind the draw
  // data's back this frame (GpuContext::TakeReportedDamage).
  std::vector<PixelRect> Update(const ImDrawData& draw, std::uint32_t clear_colour,
                                const std::vector<ImRect>& reported = {});

  // The next Update repaints everything (the back buffer was lost or overwritten).
  void Invalidate() { valid_ = false; }

  // The bounding box of everything `list` draws (scissored), from the last Update;
  // empty for lists it has not seen. Lets a partial pass skip untouched lists.
  PixelRect ListBounds(int list_index) const;

 private:
  std::vector<std::uint64_t> previous_, current_;
  std::vector<PixelRect> list_bounds_;
  int tiles_x_ = 0, tiles_y_ = 0;
  int width_ = 0, height_ = 0;
  std::uint32_t clear_colour_ = 0;
  bool valid_ = false;
};

// Merges tile-aligned dirty tiles (row-major flags, tiles_x by tiles_y) into at most
// `max_rects` rectangles that cover them all, clipped to width x height. Merging
// trades a little extra area for fewer passes.
std::vector<PixelRect> MergeDirtyTiles(const std::vector<bool>& dirty, int tiles_x, int tiles_y, int tile, int width,
                                       int height, int max_rects);

}  // namespace im2col::gui
