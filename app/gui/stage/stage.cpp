// The stage: chooses a density that fits, places the forward band above the
// backward band (same columns, so dX sits under x and dX_col under X_col), keeps
// the current step's band in view, draws blocks, arrows, moving values and hover
// links, and reports the hovered cell as a SetHover intent.
#include "gui/stage/stage.h"

#include <imgui.h>
#include <imgui_internal.h>  // SetNextWindowScroll: scroll applied in the same frame

#include <algorithm>
#include <array>
#include <cfloat>
#include <climits>
#include <cmath>

#include "gui/widgets/fonts.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/gpu/matrix_picture.h"
#include "gui/stage/stage_camera.h"
#include "gui/stage/stage_layout.h"
#include "gui/widgets/ui_context.h"
#include "gui/stage/arrows.h"
#include "gui/stage/hover_badge.h"
#include "gui/stage/stage_transposed.h"

namespace im2col::gui {

namespace {

using namespace stage;

enum class Density { Large, Normal, Compact };

ImFont* Or(ImFont* font) { return font != nullptr ? font : ImGui::GetFont(); }

GridStyle StyleFor(Density density, ImVec2 view) {
  GridStyle s;
  ImFont* number = Or(NumberFont());
  ImFont* small = Or(SmallNumberFont());
  ImFont* body = Or(BodyFont());
  ImFont* title = Or(TitleFont());
  const float scale = number->FontSize / kNumberPixels;  // the font scale the atlas was built at
  s.label_font = small;
  s.label_size = small->FontSize;
  // Summarised matrices take at most about a third of the view (up to 300 px tall).
  s.summary_box = std::clamp(std::min(view.x * 0.25f, view.y * 0.35f), 100.0f, 300.0f * scale);
  if (density == Density::Large) {
    // Small scenarios on a big stage: numbers in the title face (DejaVu Sans Bold, whose
    // digits all have one width, so columns still align).
    s.number_font = title;
    s.number_size = title->FontSize;
    s.title_font = title;
    s.title_size = title->FontSize;
    s.caption_font = body;
    s.caption_size = body->FontSize;
    s.cell_pad = std::round(9.0f * scale);
    s.gap = std::round(10.0f * scale);
  } else if (density == Density::Normal) {
    s.number_font = number;
    s.number_size = number->FontSize;
    s.title_font = title;
    s.title_size = title->FontSize;
    s.caption_font = body;
    s.caption_size = body->FontSize;
    s.cell_pad = std::round(7.0f * scale);
    s.gap = std::round(8.0f * scale);
  } else {
    s.number_font = small;
    s.number_size = small->FontSize;
    s.title_font = body;
    s.title_size = body->FontSize;
    s.caption_font = small;
    s.caption_size = small->FontSize;
    s.cell_pad = std::round(4.0f * scale);
    s.gap = std::round(6.0f * scale);
  }
  s.min_cell = s.number_size + 2.0f * s.cell_pad;
  return s;
}

// Presentation mode's digits are never smaller than this (the back row of a 720p projector).
constexpr float kPresentationMinDigits = 24.0f;

// `s` with every size times `factor` (the fonts drawn scaled): cells between the densities'
// fixed steps, so a phase's blocks fill the screen exactly.
// At the digits' floor, cells may still lose padding (`tight` px a side, 0 = scaled).
GridStyle Scaled(GridStyle s, float factor, float tight = 0.0f) {
  s.number_size *= factor;
  s.label_size *= factor;
  s.title_size *= factor;
  s.caption_size *= factor;
  s.cell_pad = tight > 0.0f ? tight : std::max(2.0f, std::round(s.cell_pad * factor));
  s.gap = std::max(3.0f, std::round(s.gap * factor));
  s.min_cell = s.number_size + 2.0f * s.cell_pad;
  return s;
}

// [SECTION] the frame's context

Context::Longest LongestNumbers(const Computation& c) {
  Context::Longest l;
  l.input = LongestNumber(c.input.data.data(), c.input.Size());
  l.weights = LongestNumber(c.weights.data.data(), c.weights.Size());
  l.output = LongestNumber(c.output.data.data(), c.output.Size());
  l.grad_output = LongestNumber(c.grad_output.data.data(), c.grad_output.Size());
  l.grad_weights = LongestNumber(c.grad_weights.data.data(), c.grad_weights.Size());
  l.x_col = LongestNumber(c.x_col.data(), c.x_col.size());
  l.w_row = LongestNumber(c.w_row.data(), c.w_row.size());
  l.y_mat = LongestNumber(c.y_mat.data(), c.y_mat.size());
  l.grad_x_col = LongestNumber(c.grad_x_col.data(), c.grad_x_col.size());
  l.dy_mat = LongestNumber(c.dy_mat.data(), c.dy_mat.size());
  l.grad_w_row = LongestNumber(c.grad_w_row.data(), c.grad_w_row.size());
  // Running sums and overwritten values pass through dX_col's numbers on their way.
  l.grad_input = std::max({LongestNumber(c.grad_input.data.data(), c.grad_input.Size()), l.grad_x_col,
                           LongestNumber(c.grad_input_overwrite.data.data(), c.grad_input_overwrite.Size())});
  const double largest = c.overlap.size() > 0 ? c.overlap.maxCoeff() : 1.0;
  l.overlap = LongestNumber(&largest, 1);
  return l;
}

// Once per computation, not per frame: at AlexNet size this formats ~13,000 sampled
// numbers. The UI thread is the only caller.
const NumberWidths& CachedLongestNumbers(StageMemory& memory, const std::shared_ptr<const Computation>& computation) {
  if (memory.widths_of.lock() != computation) {
    memory.widths = LongestNumbers(*computation);
    memory.widths_of = computation;
  }
  return memory.widths;
}

float Ease(float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  return t * t * (3.0f - 2.0f * t);
}

void DrawHeader(ImDrawList* draw, const GridStyle& st, const Palette& pal, ImVec2 pos, float width, const std::string& title,
                const std::string& equation, const std::string& note, bool active) {
  draw->AddText(st.title_font, st.title_size, pos, active ? pal.text : pal.text_muted, title.c_str());
  const float tw = st.title_font->CalcTextSizeA(st.title_size, FLT_MAX, 0.0f, title.c_str()).x;
  const float dy = st.title_size - st.caption_size;
  draw->AddText(st.caption_font, st.caption_size, ImVec2(pos.x + tw + st.gap * 3.0f, pos.y + dy), pal.text, equation.c_str());
  draw->AddText(st.caption_font, st.caption_size, ImVec2(pos.x, pos.y + st.title_size + st.gap * 0.5f), pal.text_muted,
                note.c_str(), nullptr, width);
  if (active) {  // a bar marks the band the step is in
    draw->AddRectFilled(ImVec2(pos.x - st.gap * 1.5f, pos.y), ImVec2(pos.x - st.gap * 0.75f, pos.y + st.title_size), pal.focus);
  }
}

// While the camera does not follow (the user moved the view) or shows only the phase's
// blocks, a button at the visible canvas's top right says so and undoes it (F, Z). A
// following camera shows no button: nothing covers the lesson.
void DrawCameraButtons(AppState& state, ImVec2 view_min, ImVec2 view, const GridStyle& st) {
  StageMemory& memory = state.stage;
  if (state.classroom.presentation || (memory.follow && !memory.fit_phase)) return;
  std::vector<std::pair<const char*, bool*>> buttons;
  if (!memory.follow) buttons.push_back({"Follow the step (F)", &memory.follow});
  if (memory.fit_phase) buttons.push_back({"All blocks (Z)", &memory.fit_phase});
  const ImGuiStyle& style = ImGui::GetStyle();
  float x = view_min.x + view.x - st.gap;
  for (const auto& [label, flag] : buttons) {
    x -= ImGui::CalcTextSize(label).x + style.FramePadding.x * 2.0f;
    ImGui::SetCursorScreenPos(ImVec2(x, view_min.y + st.gap));
    if (ImGui::Button(label)) *flag = !*flag;
    RecordItem(flag == &memory.follow ? "control:follow" : "control:fit_phase", ImGui::GetItemRectMin(),
               ImGui::GetItemRectMax());
    x -= style.ItemSpacing.x;
  }
}

}  // namespace

void DrawStage(AppState& state, GpuContext* gpu) {
  const Palette& pal = ActivePalette();
  if (!state.computation || !state.timeline) {
    ImGui::TextUnformatted("No valid scenario to show yet.");
    return;
  }
  const Computation& comp = *state.computation;
  FrameState local;
  const FrameState* frame = &state.frame;
  if (state.frame_step != state.playback.step || state.frame.rows != comp.shape.PatchSize()) {
    local = StateAt(comp, *state.timeline, state.playback.step);  // the shell's frame is stale: ask core
    frame = &local;
  }
  Context ctx(state, comp, *frame, LinksOf(comp, state.hover));
  const Playback& pb = state.playback;
  ctx.animating = pb.transition < 1.0f && pb.previous_step + 1 == pb.step;  // only forward single steps move
  ctx.transition = ctx.animating ? Ease(pb.transition) : 1.0f;
  if (frame->focus_column) {
    for (Index r = 0; r < comp.shape.PatchSize(); ++r)
      ctx.focus_window.push_back(SourceOf(comp.shape, ctx.order, r, *frame->focus_column));
    ctx.window_y0 = ctx.window_x0 = INT_MAX;
    ctx.window_y1 = ctx.window_x1 = INT_MIN;
    for (const SourceCoord& s : ctx.focus_window) {
      ctx.window_y0 = std::min(ctx.window_y0, s.y);
      ctx.window_y1 = std::max(ctx.window_y1, s.y);
      ctx.window_x0 = std::min(ctx.window_x0, s.x);
      ctx.window_x1 = std::max(ctx.window_x1, s.x);
    }
  }
  if (ctx.phase == Phase::Extract && frame->focus_cell) {
    ctx.extract_source = SourceOf(comp.shape, ctx.order, frame->focus_cell->r, frame->focus_cell->j);
  }
  const Index map = ctx.phase == Phase::Reshape ? frame->output_maps - 1 : ctx.phase == Phase::GradOutput ? frame->dy_maps - 1 : -1;
  if (map >= 0) {
    ctx.focus_map_n = static_cast<int>(map / comp.shape.filters);
    ctx.focus_map_f = static_cast<int>(map % comp.shape.filters);
  }
  ctx.longest = CachedLongestNumbers(state.stage, state.computation);
  ctx.large = comp.shape.PatchSize() * comp.shape.ColumnCount() > kMaxDrawnCells;
  ctx.gpu = gpu;
  ctx.memory = &state.stage;
  ctx.pictures = gpu != nullptr && GpuMatrixDrawingAvailable();
  if (ctx.pictures) BeginPictureFrame(*gpu, state.stage, state.computation);

  // Density: the normal size if everything (or at least the current band) fits, else compact.
  // The shell's bordered child counts its border against the room it reports: leave
  // that much, or it grows scrollbars of its own around the canvas.
  const float border = 2.0f * ImGui::GetStyle().ChildBorderSize + 1.0f;
  const ImVec2 avail(std::max(ImGui::GetContentRegionAvail().x - border, 50.0f),
                     std::max(ImGui::GetContentRegionAvail().y - border, 50.0f));
  // Presentation mode has no scrollbars: the camera alone moves the view there.
  const float bar = state.classroom.presentation ? 0.0f : ImGui::GetStyle().ScrollbarSize;
  const bool backward = IsBackward(ctx.phase, comp.shape.op);
  StageMemory& memory = state.stage;
  // Presentation mode and "Fit phase" show only the blocks the step uses, side by side.
  bool focused = state.classroom.presentation || memory.fit_phase;
  // The room the canvas shows of content of `content` size (a scrollbar takes its share).
  auto view_of = [&](ImVec2 content) {
    const bool scroll_y = content.y > avail.y, scroll_x = content.x > avail.x - (scroll_y ? bar : 0.0f);
    return ImVec2(avail.x - (scroll_y ? bar : 0.0f), avail.y - (scroll_x ? bar : 0.0f));
  };
  auto fits = [](const Rect& r, ImVec2 view) {
    return r.second.x - r.first.x <= view.x && r.second.y - r.first.y <= view.y;
  };
  // Density: the largest at which the blocks of this step fit the view with both bands
  // around them (the camera then centres them); when no density does, the blocks alone,
  // side by side (as "Fit phase"); failing that, of the densities at which their focus
  // (cell, row, column, window) fits, the one that shows the largest share of them. Bigger first: reading from the back row beats seeing
  // everything at once.
  const Density densities[] = {Density::Large, Density::Normal, Density::Compact};
  Placed placed;
  std::vector<ActivePart> parts;
  auto build = [&](Density d, bool only_active, float factor = 1.0f, float tight = 0.0f, bool folded = false) {
    ctx.style = StyleFor(d, avail);
    if (factor < 1.0f || tight > 0.0f) ctx.style = Scaled(ctx.style, factor, tight);
    // The phase's pictures side by side (two or three, each about twice as wide as tall).
    if (only_active && ctx.large) {
      ctx.style.summary_box = std::min(ctx.style.summary_box, std::max(100.0f, (avail.x - bar - 30.0f * ctx.style.gap) / 6.0f));
    }
    placed = BuildAndPlace(ctx, avail.x - bar, /*line_up=*/!only_active);
    parts = ActiveParts(ctx, placed);
    if (only_active) PlaceFocused(ctx, placed, parts, folded);
    // Pictures side by side that are still too wide (three of them, their titles and the
    // arrows between): smaller pictures, so the operands and the result are all in sight.
    for (int shrink = 0; only_active && ctx.large && shrink < 3; ++shrink) {
      const Rect all = UnionOfBlocks(parts);
      const float wide = all.second.x - all.first.x, room = avail.x - bar - 2.0f * ctx.style.gap;
      if (wide <= room || ctx.style.summary_box <= 60.0f) break;
      ctx.style.summary_box = std::max(60.0f, ctx.style.summary_box * std::min(0.95f, room / wide));
      placed = BuildAndPlace(ctx, avail.x - bar, /*line_up=*/false);
      parts = ActiveParts(ctx, placed);
      PlaceFocused(ctx, placed, parts);
    }
  };
  // Large scenarios keep both bands: their matrices are pictures that zoom, and a row of
  // three small pictures would say less than the bands do.
  // The transposed bands and a tour's pointed blocks keep their arrangement too.
  const bool may_focus = focused || (!ctx.large && comp.shape.op == Op::Conv && state.pointed_ids.empty());
  // Among the densities at which the focus fits, the one that shows most of the blocks.
  std::optional<Density> focus_fits;
  float best_shown = -1.0f;
  bool chosen = false;
  for (const bool only_active : {focused, may_focus}) {
    for (const Density d : densities) {
      build(d, only_active);
      const ImVec2 view = view_of(placed.content);
      const Rect all = UnionOfBlocks(parts);
      if (fits(all, view)) {
        chosen = true;
        focused = only_active;
        break;
      }
      if (only_active == may_focus && fits(UnionOfFocus(parts), view)) {
        const float w = std::max(all.second.x - all.first.x, 1.0f), h = std::max(all.second.y - all.first.y, 1.0f);
        const float shown = std::min(view.x / w, 1.0f) * std::min(view.y / h, 1.0f);
        if (shown > best_shown + 0.05f) {  // a clearly larger share is worth smaller cells
          best_shown = shown;
          focus_fits = d;
        }
      }
    }
    if (chosen) break;
  }
  // Presentation mode: the compact cells shrunk just enough for the phase's blocks to fit
  // side by side (or, when the row is too wide, folded into two columns), the digits never
  // under the back row's floor; at the floor, thinner padding around them.
  if (!chosen && state.classroom.presentation && !ctx.large) {
    const GridStyle compact = StyleFor(Density::Compact, avail);
    const float floor = std::min(1.0f, kPresentationMinDigits / compact.number_size);
    float factor = 1.0f, tight = 0.0f;
    while (!chosen) {
      if (factor > floor) {
        factor = std::max(floor, factor * 0.95f);
      } else {
        const float pad = tight > 0.0f ? tight : std::round(compact.cell_pad * factor);
        if (pad <= 2.0f) break;
        tight = pad - 1.0f;
      }
      for (const bool folded : {false, true}) {
        build(Density::Compact, true, factor, tight, folded);
        chosen = fits(UnionOfBlocks(parts), view_of(placed.content));
        if (chosen) break;
      }
    }
    if (chosen) focused = true;
  }
  if (!chosen) {
    focused = may_focus;
    build(focus_fits.value_or(Density::Compact), focused);
  }

  // The camera: centre the step's blocks (or their focus) unless the user has scrolled,
  // panned or zoomed by hand. A forward single step glides there with the transition;
  // any other change of step shows the new view at once.
  if (AppKeyPressed(AppKey::F) && !ImGui::GetIO().WantTextInput) memory.follow = !memory.follow;
  if (AppKeyPressed(AppKey::Z) && !ImGui::GetIO().WantTextInput) memory.fit_phase = !memory.fit_phase;
  const ImVec2 view = view_of(placed.content);
  Rect camera_target = UnionOfBlocks(parts);
  // Side by side, the phase's title line above the blocks is in sight too, as far as every
  // block stays whole in sight (the blocks come first).
  if (focused && camera_target.second.y - camera_target.first.y <= view.y) {
    camera_target.first.y = std::max(std::min(camera_target.first.y, placed.fwd_top), camera_target.second.y - view.y);
  }
  const ImVec2 want = CameraScroll(camera_target, UnionOfFocus(parts), ResultFocus(parts), view, placed.content);
  if (memory.camera_step != pb.step || memory.camera_generation != state.scenario_generation) {
    memory.camera_from = memory.camera_at;
    memory.camera_step = pb.step;
    memory.camera_generation = state.scenario_generation;
  }
  if (memory.follow) {
    const ImVec2 from(memory.camera_from.x, memory.camera_from.y);
    const float t = ctx.animating ? ctx.transition : 1.0f;
    const ImVec2 at(from.x + (want.x - from.x) * t, from.y + (want.y - from.y) * t);
    ImGui::SetNextWindowScroll(at);
    memory.camera_at = ZoomArea{at.x, at.y};
  }

  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(pal.background));
  ImGui::SetNextWindowContentSize(placed.content);
  const ImGuiWindowFlags scrolling =
      state.classroom.presentation ? ImGuiWindowFlags_NoScrollbar : ImGuiWindowFlags_HorizontalScrollbar;
  ImGui::BeginChild("##stage-canvas", avail, false, scrolling | ImGuiWindowFlags_NoSavedSettings);
  const float scroll_x = ImGui::GetScrollX(), scroll_y = ImGui::GetScrollY();
  const ImVec2 origin = ImGui::GetCursorScreenPos();  // content (0, 0) on screen, scroll included
  // What of the canvas is on screen (scrollbars excluded): the tests' "in view".
  RecordItem("panel:stage_view", ImGui::GetCurrentWindow()->InnerClipRect.Min, ImGui::GetCurrentWindow()->InnerClipRect.Max);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const bool hover_enabled = ImGui::IsWindowHovered();

  // A user's scroll (wheel, scrollbar) or a picture's zoom or pan stops the camera.
  ImGuiWindow* canvas = ImGui::GetCurrentWindow();
  const ImGuiID active_id = ImGui::GetActiveID();
  const ImGuiIO& io = ImGui::GetIO();
  if ((hover_enabled && (io.MouseWheel != 0.0f || io.MouseWheelH != 0.0f)) ||
      (active_id != 0 && (active_id == ImGui::GetWindowScrollbarID(canvas, ImGuiAxis_X) ||
                          active_id == ImGui::GetWindowScrollbarID(canvas, ImGuiAxis_Y)))) {
    memory.follow = false;
  }
  memory.camera_at = ZoomArea{scroll_x, scroll_y};

  std::vector<Block*> blocks;
  if (focused) {
    for (const ActivePart& a : parts) blocks.push_back(a.block);
  } else {
    blocks = AllBlocks(placed);
  }
  for (Block* b : blocks) PlaceBlock(*b, ImVec2(origin.x + b->origin.x, origin.y + b->origin.y));
  const GridStyle& st = ctx.style;
  if (focused) {
    DrawHeader(draw, st, pal, ImVec2(origin.x + st.gap * 2.0f, origin.y + placed.fwd_top), placed.note_wrap,
               PhaseTitle(ctx.phase), backward ? placed.bwd_equation : placed.fwd_equation, "", true);
    RecordItem("stage:title", ImVec2(origin.x + st.gap * 2.0f, origin.y + placed.fwd_top),
               ImVec2(origin.x + st.gap * 2.0f + st.title_size, origin.y + placed.fwd_top + st.title_size));
  } else {
    DrawHeader(draw, st, pal, ImVec2(origin.x + st.gap * 2.0f, origin.y + placed.fwd_top), placed.note_wrap, "Forward",
               placed.fwd_equation, placed.fwd_note, !backward);
    const float sep_y = origin.y + (placed.fwd_bottom + placed.bwd_top) * 0.5f;
    draw->AddLine(ImVec2(origin.x + st.gap, sep_y), ImVec2(origin.x + placed.content.x - st.gap, sep_y), pal.grid_line, 2.0f);
    DrawHeader(draw, st, pal, ImVec2(origin.x + st.gap * 2.0f, origin.y + placed.bwd_top), placed.note_wrap, "Backward",
               placed.bwd_equation, placed.bwd_note, backward);
  }

  std::optional<HoverTarget> hovered;
  Rect hovered_cell;
  std::vector<Rect> linked_cells;  // outlined as linked to the hovered cell: the badge keeps off them
  for (Block* b : blocks) {
    RecordItem("panel:" + b->name, b->origin, ImVec2(b->origin.x + b->size.x, b->origin.y + b->size.y));
    for (const StageGrid& g : b->grids) {
      const auto hit = DrawGrid(draw, g.spec, st, g.geo, hover_enabled, &linked_cells);
      if (hit && g.target) {
        hovered = g.target(hit->first, hit->second);
        // A picture's cells may be smaller than the pointer: keep clear of the pointer then.
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        hovered_cell = g.geo.summarised
                           ? Rect{ImVec2(mouse.x - 12.0f, mouse.y - 12.0f), ImVec2(mouse.x + 12.0f, mouse.y + 12.0f)}
                           : Rect{g.geo.CellMin(hit->first, hit->second), g.geo.CellMax(hit->first, hit->second)};
      }
    }
    float ny = b->origin.y + b->size.y - static_cast<float>(b->notes.size()) * (st.caption_size + 2.0f);
    for (const std::string& note : b->notes) {
      draw->AddText(st.caption_font, st.caption_size, ImVec2(b->origin.x, ny), pal.text_muted, note.c_str());
      ny += st.caption_size + 2.0f;
    }
  }
  for (const Arrow& a : placed.arrows) {
    const ImU32 color = a.active ? pal.focus : pal.text_muted;
    if (a.vertical) DrawVerticalArrow(draw, st, origin.y + a.x0, origin.y + a.x1, origin.x + a.y, a.label, color);
    else DrawArrow(draw, st, origin.x + a.x0, origin.x + a.x1, origin.y + a.y, a.label, color);
  }
  if (comp.shape.op == Op::Transposed) {
    DrawTransposedFlights(ctx, draw, placed);
  } else {
    DrawForwardFlights(ctx, draw, placed.fwd);
    DrawBackwardFlights(ctx, draw, placed.bwd);
  }
  DrawCameraButtons(state, ImVec2(origin.x + scroll_x, origin.y + scroll_y), view, st);
  if (focused) RecordItem("stage:focused", ImVec2(origin.x + scroll_x, origin.y + scroll_y), ImVec2(origin.x + scroll_x + view.x, origin.y + scroll_y + view.y));
  // The digits' pixel height, for the readability tests (render --layout-json).
  RecordItem("metric:number_px", ImVec2(0, 0), ImVec2(st.number_size, st.number_size));
  if (hovered && hover_enabled) DrawHoverBadge(draw, st, HoverBadgeText(comp, *hovered), hovered_cell, linked_cells);
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();

  // Hover: report what the pointer is over; leaving the stage clears it.
  const HoverTarget target = hovered.value_or(HoverTarget{});
  const bool moved = ImGui::GetIO().MouseDelta.x != 0.0f || ImGui::GetIO().MouseDelta.y != 0.0f;
  if (hover_enabled ? target != state.hover : (moved && !state.hover.IsNone())) {
    PushIntent(state, intent::SetHover{hover_enabled ? target : HoverTarget{}});
  }
}

}  // namespace im2col::gui
