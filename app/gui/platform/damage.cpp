#include "gui/platform/damage.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace im2col::gui {
namespace {

// Order-dependent: folding a, b and b, a gives different hashes, as the pixels would be.
inline std::uint64_t Fold(std::uint64_t h, std::uint64_t v) {
  h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 29);
}

inline std::uint64_t VertexHash(const ImDrawVert& v) {
  std::uint64_t pos = 0, uv = 0;
  std::memcpy(&pos, &v.pos, sizeof(pos));
  std::memcpy(&uv, &v.uv, sizeof(uv));
  return Fold(Fold(pos, uv), v.col);
}

// Framebuffer pixels of a rectangle in ImGui units, grown to whole pixels.
PixelRect ToPixels(const ImVec2& min, const ImVec2& max, const ImDrawData& draw) {
  const ImVec2 s = draw.FramebufferScale, o = draw.DisplayPos;
  return {static_cast<int>(std::floor((min.x - o.x) * s.x)), static_cast<int>(std::floor((min.y - o.y) * s.y)),
          static_cast<int>(std::ceil((max.x - o.x) * s.x)), static_cast<int>(std::ceil((max.y - o.y) * s.y))};
}

}  // namespace

PixelRect Intersect(const PixelRect& a, const PixelRect& b) {
  return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

PixelRect Union(const PixelRect& a, const PixelRect& b) {
  if (a.Empty()) return b;
  if (b.Empty()) return a;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

PixelRect ScissorOf(const ImDrawCmd& cmd, const ImDrawData& draw) {
  // As imgui_impl_opengl3.cpp (1.86): glScissor((int)min.x, (int)(fb_h - max.y),
  // (int)(max.x - min.x), (int)(max.y - min.y)), in GL's bottom-left origin.
  const ImVec2 s = draw.FramebufferScale, o = draw.DisplayPos;
  const int fb_h = static_cast<int>(draw.DisplaySize.y * s.y);
  const float min_x = (cmd.ClipRect.x - o.x) * s.x, min_y = (cmd.ClipRect.y - o.y) * s.y;
  const float max_x = (cmd.ClipRect.z - o.x) * s.x, max_y = (cmd.ClipRect.w - o.y) * s.y;
  if (max_x <= min_x || max_y <= min_y) return {};
  const int x = static_cast<int>(min_x), gl_y = static_cast<int>(static_cast<float>(fb_h) - max_y);
  const int w = static_cast<int>(max_x - min_x), h = static_cast<int>(max_y - min_y);
  return {x, fb_h - gl_y - h, x + w, fb_h - gl_y};
}

void SetScissor(ImDrawCmd* cmd, const ImDrawData& draw, const PixelRect& box) {
  if (box.Empty()) {
    cmd->ClipRect = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
    return;
  }
  // Values a quarter pixel inside the truncation steps, so the backend's (int) casts
  // land exactly on the box whatever the float rounding of the unit conversion.
  const ImVec2 s = draw.FramebufferScale, o = draw.DisplayPos;
  const float fb_h = static_cast<float>(static_cast<int>(draw.DisplaySize.y * s.y));
  const float gl_y = fb_h - static_cast<float>(box.y1);
  const float min_x = static_cast<float>(box.x0) + 0.25f;
  const float max_x = static_cast<float>(box.x1) + 0.5f;
  const float max_y = fb_h - gl_y - 0.25f;
  const float min_y = max_y - static_cast<float>(box.y1 - box.y0) - 0.25f;
  cmd->ClipRect = ImVec4(min_x / s.x + o.x, min_y / s.y + o.y, max_x / s.x + o.x, max_y / s.y + o.y);
}

PixelRect DamageTracker::ListBounds(int list_index) const {
  if (list_index < 0 || list_index >= static_cast<int>(list_bounds_.size())) return {};
  return list_bounds_[static_cast<size_t>(list_index)];
}

std::vector<PixelRect> DamageTracker::Update(const ImDrawData& draw, std::uint32_t clear_colour,
                                             const std::vector<ImRect>& reported) {
  const int width = static_cast<int>(draw.DisplaySize.x * draw.FramebufferScale.x);
  const int height = static_cast<int>(draw.DisplaySize.y * draw.FramebufferScale.y);
  if (width <= 0 || height <= 0) {
    valid_ = false;
    return {};
  }
  const PixelRect screen{0, 0, width, height};
  if (width != width_ || height != height_ || clear_colour != clear_colour_) valid_ = false;
  width_ = width;
  height_ = height;
  clear_colour_ = clear_colour;
  tiles_x_ = (width + kTile - 1) / kTile;
  tiles_y_ = (height + kTile - 1) / kTile;
  const size_t tile_count = static_cast<size_t>(tiles_x_) * static_cast<size_t>(tiles_y_);
  current_.assign(tile_count, 0x51ED270B27A9F3C1ULL);
  std::vector<bool> forced(tile_count, false);  // callbacks and reported damage
  auto mark = [&](const PixelRect& box) {
    const PixelRect b = Intersect(box, screen);
    if (b.Empty()) return;
    for (int ty = b.y0 / kTile; ty <= (b.y1 - 1) / kTile; ++ty) {
      for (int tx = b.x0 / kTile; tx <= (b.x1 - 1) / kTile; ++tx) forced[static_cast<size_t>(ty * tiles_x_ + tx)] = true;
    }
  };

  const ImVec2 s = draw.FramebufferScale, o = draw.DisplayPos;
  list_bounds_.assign(static_cast<size_t>(std::max(draw.CmdListsCount, 0)), PixelRect{});
  for (int n = 0; n < draw.CmdListsCount; ++n) {
    const ImDrawList* list = draw.CmdLists[n];
    PixelRect& bounds = list_bounds_[static_cast<size_t>(n)];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      const PixelRect scissor = Intersect(ScissorOf(cmd, draw), screen);
      if (cmd.UserCallback != nullptr) {
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState) continue;  // state only, no pixels
        mark(scissor);  // arbitrary GL drawing: redraw its area every frame
        bounds = Union(bounds, scissor);
        continue;
      }
      if (scissor.Empty() || cmd.ElemCount == 0) continue;
      std::uint64_t command_key = Fold(reinterpret_cast<std::uintptr_t>(cmd.TextureId),
                                       (static_cast<std::uint64_t>(scissor.x0) << 48) ^
                                           (static_cast<std::uint64_t>(scissor.y0) << 32) ^
                                           (static_cast<std::uint64_t>(scissor.x1) << 16) ^
                                           static_cast<std::uint64_t>(scissor.y1));
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawVert& a = vtx[idx[i]];
        const ImDrawVert& b = vtx[idx[i + 1]];
        const ImDrawVert& c = vtx[idx[i + 2]];
        const float min_x = (std::min({a.pos.x, b.pos.x, c.pos.x}) - o.x) * s.x;
        const float max_x = (std::max({a.pos.x, b.pos.x, c.pos.x}) - o.x) * s.x;
        const float min_y = (std::min({a.pos.y, b.pos.y, c.pos.y}) - o.y) * s.y;
        const float max_y = (std::max({a.pos.y, b.pos.y, c.pos.y}) - o.y) * s.y;
        if (!(min_x <= max_x && min_y <= max_y)) continue;  // NaN positions draw nothing
        // Pixel columns whose centres can lie inside, one extra pixel each side for the
        // rasteriser's rounding; then the scissor.
        const PixelRect box = Intersect(
            {static_cast<int>(std::max(std::floor(min_x) - 1.0f, -1.0f)),
             static_cast<int>(std::max(std::floor(min_y) - 1.0f, -1.0f)),
             static_cast<int>(std::min(std::floor(max_x) + 2.0f, static_cast<float>(width) + 1.0f)),
             static_cast<int>(std::min(std::floor(max_y) + 2.0f, static_cast<float>(height) + 1.0f))},
            scissor);
        if (box.Empty()) continue;
        bounds = Union(bounds, box);
        const std::uint64_t h = Fold(Fold(Fold(command_key, VertexHash(a)), VertexHash(b)), VertexHash(c));
        for (int ty = box.y0 / kTile; ty <= (box.y1 - 1) / kTile; ++ty) {
          std::uint64_t* row = current_.data() + static_cast<size_t>(ty) * static_cast<size_t>(tiles_x_);
          for (int tx = box.x0 / kTile; tx <= (box.x1 - 1) / kTile; ++tx) row[tx] = Fold(row[tx], h);
        }
      }
    }
  }
  for (const ImRect& r : reported) mark(ToPixels(r.Min, r.Max, draw));

  std::vector<PixelRect> rects;
  if (!valid_ || previous_.size() != tile_count) {
    rects.push_back(screen);
  } else {
    std::vector<bool> dirty(tile_count, false);
    bool any = false;
    for (size_t t = 0; t < tile_count; ++t) {
      dirty[t] = forced[t] || current_[t] != previous_[t];
      any = any || dirty[t];
    }
    if (any) rects = MergeDirtyTiles(dirty, tiles_x_, tiles_y_, kTile, width, height, kMaxRects);
  }
  previous_.swap(current_);
  valid_ = true;
  return rects;
}

std::vector<PixelRect> MergeDirtyTiles(const std::vector<bool>& dirty, int tiles_x, int tiles_y, int tile, int width,
                                       int height, int max_rects) {
  // Runs of dirty tiles in each tile row; a run continues the rectangle above it when
  // both span the same columns.
  std::vector<PixelRect> rects;
  std::vector<int> open;  // indices into rects of the rectangles ending at the previous row
  for (int ty = 0; ty < tiles_y; ++ty) {
    std::vector<int> next_open;
    for (int tx = 0; tx < tiles_x;) {
      if (!dirty[static_cast<size_t>(ty * tiles_x + tx)]) {
        ++tx;
        continue;
      }
      int end = tx;
      while (end < tiles_x && dirty[static_cast<size_t>(ty * tiles_x + end)]) ++end;
      const PixelRect run{tx * tile, ty * tile, end * tile, (ty + 1) * tile};
      int joined = -1;
      for (int index : open) {
        PixelRect& above = rects[static_cast<size_t>(index)];
        if (above.x0 == run.x0 && above.x1 == run.x1 && above.y1 == run.y0) {
          above.y1 = run.y1;
          joined = index;
          break;
        }
      }
      if (joined < 0) {
        rects.push_back(run);
        joined = static_cast<int>(rects.size()) - 1;
      }
      next_open.push_back(joined);
      tx = end;
    }
    open.swap(next_open);
  }
  // Scattered changes can make hundreds of runs: first join neighbours in reading
  // order, which keeps the greedy search below cheap.
  constexpr size_t kGreedyLimit = 48;
  while (rects.size() > kGreedyLimit) {
    std::sort(rects.begin(), rects.end(),
              [](const PixelRect& a, const PixelRect& b) { return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0; });
    std::vector<PixelRect> joined;
    for (size_t i = 0; i < rects.size(); i += 2) {
      joined.push_back(i + 1 < rects.size() ? Union(rects[i], rects[i + 1]) : rects[i]);
    }
    rects.swap(joined);
  }
  // Greedy: join the pair whose bounding box adds the least area, while there are too
  // many rectangles or the join costs less than a few tiles (a pass has a fixed cost).
  // Each rectangle costs a pass over all of the draw data (~1 ms on llvmpipe), worth
  // about 64 K pixels of fill: joins that add less than that are cheaper.
  constexpr long long cheap = 64LL * 1024;
  while (rects.size() > 1) {
    size_t best_a = 0, best_b = 1;
    long long best_extra = -1;
    for (size_t a = 0; a < rects.size(); ++a) {
      for (size_t b = a + 1; b < rects.size(); ++b) {
        const long long extra = Union(rects[a], rects[b]).Area() - rects[a].Area() - rects[b].Area();
        if (best_extra < 0 || extra < best_extra) {
          best_extra = extra;
          best_a = a;
          best_b = b;
        }
      }
    }
    if (static_cast<int>(rects.size()) <= max_rects && best_extra > cheap) break;
    rects[best_a] = Union(rects[best_a], rects[best_b]);
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(best_b));
  }
  // Mostly covering their bounding box (a new scenario, a scroll): one pass over the box
  // beats several overlapping ones.
  PixelRect box;
  long long area = 0;
  for (const PixelRect& r : rects) {
    box = Union(box, r);
    area += r.Area();
  }
  if (rects.size() > 1 && area * 10 >= box.Area() * 6) rects.assign(1, box);
  const PixelRect screen{0, 0, width, height};
  for (PixelRect& r : rects) r = Intersect(r, screen);
  rects.erase(std::remove_if(rects.begin(), rects.end(), [](const PixelRect& r) { return r.Empty(); }), rects.end());
  return rects;
}

}  // namespace im2col::gui
