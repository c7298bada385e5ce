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
#include "gui/stage/stage_layout.h"
#include "gui/stage/arrows.h"
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
  const float bar = ImGui::GetStyle().ScrollbarSize;
  const bool backward = IsBackward(ctx.phase, comp.shape.op);
  struct Candidate {
    Density density;
    bool whole;  // both bands fit (else: the current band fits)
  };
  // Bigger first: reading from the back row beats seeing both bands at once.
  const Candidate candidates[] = {{Density::Large, true},   {Density::Large, false},  {Density::Normal, true},
                                  {Density::Normal, false}, {Density::Compact, true}, {Density::Compact, false}};
  Placed placed;
  std::optional<Density> built;
  for (const Candidate& c : candidates) {
    if (built != c.density) {
      ctx.style = StyleFor(c.density, avail);
      placed = BuildAndPlace(ctx, avail.x - bar);
      built = c.density;
    }
    const float band = backward ? placed.bwd_bottom - placed.bwd_top : placed.fwd_bottom;
    const float need_h = c.whole ? placed.content.y : band + ctx.style.gap * 4.0f;
    const float width_room = avail.x - (placed.content.y > avail.y ? bar : 0.0f);
    if (placed.content.x <= width_room && need_h <= avail.y) break;
  }

  // Keep the step's band (or at least its focus) in view when the step or scenario changes.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID key_step = ImGui::GetID("stage-followed-step"), key_gen = ImGui::GetID("stage-followed-generation");
  const ImGuiID key_sx = ImGui::GetID("stage-scroll-x"), key_sy = ImGui::GetID("stage-scroll-y");
  const ImGuiID key_frames = ImGui::GetID("stage-follow-frames");
  if (storage->GetInt(key_step, -1) != static_cast<int>(pb.step) ||
      storage->GetInt(key_gen, -1) != static_cast<int>(state.scenario_generation)) {
    // Enforce the scroll for a few frames: scrollbars appearing change how far it can go.
    storage->SetInt(key_frames, 3);
  }
  const int follow_frames = storage->GetInt(key_frames, 0);
  const bool follow = follow_frames > 0;
  storage->SetInt(key_frames, std::max(0, follow_frames - 1));
  if (follow) {
    const float view_w = avail.x - (placed.content.y > avail.y ? bar : 0.0f);
    const float view_h = avail.y - (placed.content.x > avail.x ? bar : 0.0f);
    float sx = storage->GetFloat(key_sx, 0.0f), sy = storage->GetFloat(key_sy, 0.0f);
    const auto focus = FocusRect(ctx, placed);
    const float top = backward ? placed.bwd_top : 0.0f, bottom = backward ? placed.bwd_bottom : placed.fwd_bottom;
    if (bottom - top <= view_h) {
      if (top < sy || bottom > sy + view_h) sy = top;
    } else if (focus.first.y < sy || focus.second.y > sy + view_h) {
      sy = (focus.first.y + focus.second.y - view_h) * 0.5f;
    }
    // Sideways, move only as far as needed (plus a margin): the inputs on the left stay in view.
    // When the focus is wider than the view, its left end (the source tensor) wins.
    const float margin_x = view_w / 6.0f;
    if (focus.second.x - focus.first.x > view_w - margin_x) {
      if (focus.first.x < sx || focus.first.x > sx + view_w - margin_x) sx = focus.first.x - ctx.style.gap;
    } else {
      if (focus.first.x < sx) sx = focus.first.x - margin_x;
      if (focus.second.x > sx + view_w) sx = focus.second.x - view_w + margin_x;
    }
    ImGui::SetNextWindowScroll(ImVec2(std::max(0.0f, sx), std::max(0.0f, sy)));
    storage->SetInt(key_step, static_cast<int>(pb.step));
    storage->SetInt(key_gen, static_cast<int>(state.scenario_generation));
  }

  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(pal.background));
  ImGui::SetNextWindowContentSize(placed.content);
  ImGui::BeginChild("##stage-canvas", avail, false, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoSavedSettings);
  const float scroll_x = ImGui::GetScrollX(), scroll_y = ImGui::GetScrollY();
  const ImVec2 origin = ImGui::GetCursorScreenPos();  // content (0, 0) on screen, scroll included
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const bool hover_enabled = ImGui::IsWindowHovered();

  std::vector<Block*> blocks = AllBlocks(placed);
  for (Block* b : blocks) PlaceBlock(*b, ImVec2(origin.x + b->origin.x, origin.y + b->origin.y));
  const GridStyle& st = ctx.style;
  DrawHeader(draw, st, pal, ImVec2(origin.x + st.gap * 2.0f, origin.y + placed.fwd_top), placed.note_wrap, "Forward",
             placed.fwd_equation, placed.fwd_note, !backward);
  const float sep_y = origin.y + (placed.fwd_bottom + placed.bwd_top) * 0.5f;
  draw->AddLine(ImVec2(origin.x + st.gap, sep_y), ImVec2(origin.x + placed.content.x - st.gap, sep_y), pal.grid_line, 2.0f);
  DrawHeader(draw, st, pal, ImVec2(origin.x + st.gap * 2.0f, origin.y + placed.bwd_top), placed.note_wrap, "Backward",
             placed.bwd_equation, placed.bwd_note, backward);

  std::optional<HoverTarget> hovered;
  for (Block* b : blocks) {
    RecordItem("panel:" + b->name, b->origin, ImVec2(b->origin.x + b->size.x, b->origin.y + b->size.y));
    for (const StageGrid& g : b->grids) {
      const auto hit = DrawGrid(draw, g.spec, st, g.geo, hover_enabled);
      if (hit && g.target) hovered = g.target(hit->first, hit->second);
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
  if (hovered && hover_enabled) {
    std::string text = Describe(comp, *hovered);
    const HoverLinks links = LinksOf(comp, *hovered);
    if (comp.shape.op == Op::Conv &&  // transposed: an input pixel is a column of x_mat, not copied
        (hovered->kind == HoverTarget::Kind::InputPixel || hovered->kind == HoverTarget::Kind::GradInputPixel)) {
      text += links.copy_count > 0 ? "  \xE2\x86\x92 " + std::to_string(links.copy_count) + " X_col cell(s)" : "  (padding zero)";
    }
    DrawBadge(draw, st, ImGui::GetIO().MousePos, text);
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  storage->SetFloat(key_sx, scroll_x);
  storage->SetFloat(key_sy, scroll_y);

  // Hover: report what the pointer is over; leaving the stage clears it.
  const HoverTarget target = hovered.value_or(HoverTarget{});
  const bool moved = ImGui::GetIO().MouseDelta.x != 0.0f || ImGui::GetIO().MouseDelta.y != 0.0f;
  if (hover_enabled ? target != state.hover : (moved && !state.hover.IsNone())) {
    PushIntent(state, intent::SetHover{hover_enabled ? target : HoverTarget{}});
  }
}

}  // namespace im2col::gui
