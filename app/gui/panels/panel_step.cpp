// THIS STEP: what happens now (core's Explain), the arithmetic written out with
// numbers (a dot product, or col2im's running sum), the hover inspector and the
// colour legend. Text only: every number comes from the computation and frame state.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/widgets/fonts.h"
#include "gui/state/hover.h"
#include "gui/panels/panel_step.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"
#include "im2col/convolution.h"
#include "im2col/timeline.h"

namespace im2col::gui {
namespace {

constexpr size_t kMaxDotTermsShown = 12;

std::string Operand(double value) {
  const std::string text = FormatNumber(value);
  return value < 0 ? "(" + text + ")" : text;
}

// "1·2 + 3·4 + … + 7·8 (+ bias 0) = 57", long sums shortened in the middle.
std::string DotProductText(const DotProduct& dot) {
  const size_t count = std::min(dot.a.size(), dot.b.size());
  std::string text;
  auto term = [&](size_t i) { return Operand(dot.a[i]) + "\u00b7" + Operand(dot.b[i]); };
  const bool shorten = count > kMaxDotTermsShown;
  for (size_t i = 0; i < count; ++i) {
    if (shorten && i == kMaxDotTermsShown - 3) {
      text += " + \u2026";
      i = count - 3;
    }
    text += (text.empty() ? "" : " + ") + term(i);
  }
  if (text.empty()) text = "0";
  if (dot.has_bias) text += " + " + Operand(dot.bias);
  text += " = " + FormatNumber(dot.result);
  if (shorten) text += "   (" + std::to_string(count) + " products)";
  return text;
}


// The pixel whose running sum the col2im step shows: the hovered one, else the pixel
// of the current window that has received the most terms so far.
std::optional<Pixel> RunningSumPixel(const AppState& state) {
  const Computation& c = *state.computation;
  const Shape& s = c.shape;
  // The image col2im adds into: the input for conv, the output for the transposed conv.
  const int channels = s.PatchChannels(), height = s.ImageHeight(), width = s.ImageWidth();
  const HoverTarget& hover = state.hover;
  if ((hover.kind == HoverTarget::Kind::GradInputPixel || hover.kind == HoverTarget::Kind::InputPixel) &&
      hover.n >= 0 && hover.n < s.batch && hover.c >= 0 && hover.c < channels && hover.y >= 0 &&
      hover.y < height && hover.x >= 0 && hover.x < width) {
    return Pixel{hover.n, hover.c, hover.y, hover.x};
  }
  if (!state.frame.focus_window) return std::nullopt;
  const Window& w = *state.frame.focus_window;
  std::optional<Pixel> best;
  size_t best_terms = 0;
  for (int ch = 0; ch < channels; ++ch) {
    for (int ky = 0; ky < s.kernel.h; ++ky) {
      for (int kx = 0; kx < s.kernel.w; ++kx) {
        const Pixel p{w.n, ch, w.top + ky * s.dilation.h, w.left + kx * s.dilation.w};
        if (p.y < 0 || p.y >= height || p.x < 0 || p.x >= width) continue;
        const size_t terms = Col2ImContributions(c, p, state.frame.col2im_columns).size();
        if (!best || terms > best_terms) {
          best = p;
          best_terms = terms;
        }
      }
    }
  }
  return best;
}

void DrawRunningSum(const AppState& state) {
  const std::optional<Pixel> pixel = RunningSumPixel(state);
  if (!pixel) return;
  const Computation& c = *state.computation;
  const std::vector<Contribution> terms = Col2ImContributions(c, *pixel, state.frame.col2im_columns);
  std::string text = Col2ImTargetName(c.shape, *pixel) + " = ";
  if (terms.empty()) {
    text += "0 (nothing added yet)";
  } else {
    for (size_t i = 0; i < terms.size(); ++i) {
      if (terms.size() > kMaxDotTermsShown && i == kMaxDotTermsShown - 2) {
        text += " + \u2026";
        i = terms.size() - 2;
      }
      text += (i ? " + " : "") + Operand(terms[i].value);
    }
    double sum = 0.0;
    for (const Contribution& t : terms) sum += t.value;
    text += " = " + FormatNumber(sum);
  }
  SectionLabel("Running sum (+=)");
  ImGui::PushFont(NumberFont());
  WrappedText(text, ActivePalette().text);
  ImGui::PopFont();
  const Tensor4& partial = state.frame.partial_grad_input;
  const Tensor4& overwrite = state.frame.partial_grad_input_overwrite;
  if (state.overwrite_mode && !terms.empty() && overwrite.Size() == partial.Size() && partial.Size() > 0) {
    const double kept = overwrite(pixel->n, pixel->c, pixel->y, pixel->x);
    const double right = partial(pixel->n, pixel->c, pixel->y, pixel->x);
    std::string line = "overwrite (=) keeps only the last write: " + FormatNumber(kept);
    line += kept == right ? " (same here)" : "  \u2717 should be " + FormatNumber(right);
    WrappedText(line, ActivePalette().text);
  }
}

void DrawArithmetic(const AppState& state) {
  const FrameState& frame = state.frame;
  if (frame.dot) {
    SectionLabel(frame.step.phase == Phase::Multiply ? "Dot product" : "Sum over patches");
    ImGui::PushFont(NumberFont());
    WrappedText(DotProductText(*frame.dot), ActivePalette().text);
    ImGui::PopFont();
  }
  if (frame.step.phase == Phase::Col2im) DrawRunningSum(state);
}

// The hovered cell's full value and what it is linked to.
void DrawInspector(const AppState& state) {
  SectionLabel("Under the pointer");
  const HoverTarget& h = state.hover;
  if (h.IsNone()) {
    WrappedText("Point at any cell to see its full value and where it comes from.", ActivePalette().text_muted);
    return;
  }
  const Computation& c = *state.computation;
  const Shape& s = c.shape;
  const std::optional<double> full = ValueOf(c, h);
  std::string value = full ? FormatFull(*full) : std::string();
  std::string extra;
  using Kind = HoverTarget::Kind;
  if (h.kind == Kind::InputPixel && !full) value = "0 (padding: outside the image)";
  if (h.kind == Kind::XColCell && full) {
    const std::optional<Pixel> source = SourcePixel(s, c.scenario.order, h.r, h.j);
    extra = source ? "copy of " + PixelName("x", *source) : "a padding zero";
  }
  if (h.kind == Kind::GradInputPixel && full && h.y < c.overlap.rows() && h.x < c.overlap.cols()) {
    extra = "sum of " + std::to_string(c.overlap(h.y, h.x)) + " copies' gradients";
  }
  ImGui::PushFont(NumberFont());
  WrappedText(Describe(c, h) + " = " + (value.empty() ? "(outside the matrix)" : value), ActivePalette().text);
  ImGui::PopFont();
  if (!extra.empty()) WrappedText(extra, ActivePalette().text_muted);
  const HoverLinks links = LinksOf(c, h);
  if (h.kind == Kind::InputPixel && links.copy_count > 0) {
    WrappedText("copied into " + std::to_string(links.copy_count) + " cell" + (links.copy_count == 1 ? "" : "s") +
                    " of " + (c.scenario.layout == Layout::Rows ? "X_row" : "X_col"),
                ActivePalette().text_muted);
  }
}

void DrawLegend(const AppState& state) {
  const Palette& p = ActivePalette();
  SectionLabel("Colours");
  LegendSwatch({p.input_tint, p.input, 2.0f, 0, false}, "input and its copies");
  LegendSwatch({p.padding, p.grid_line, 1.0f, p.padding_hatch, false}, "padding zero");
  LegendSwatch({0, p.focus, 3.0f, 0, false}, "this step");
  LegendSwatch({p.weights_tint, p.weights, 2.0f, 0, false}, "weights");
  LegendSwatch({p.output_tint, p.output, 2.0f, 0, false}, "output");
  LegendSwatch({p.gradient_tint, p.gradient, 2.0f, 0, false}, "gradients");
  if (state.overwrite_mode) LegendSwatch({p.background, p.wrong, 2.0f, 0, true}, "wrong value (overwrite =)");
  // Overlap heat: a small cividis ramp labelled with its range.
  const int max_count = state.computation->overlap.size() > 0 ? state.computation->overlap.maxCoeff() : 1;
  const float side = ImGui::GetTextLineHeight();
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const float width = side * 1.4f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  constexpr int kSlices = 8;
  for (int i = 0; i < kSlices; ++i) {
    const float x0 = min.x + width * static_cast<float>(i) / kSlices;
    const float x1 = min.x + width * static_cast<float>(i + 1) / kSlices;
    draw->AddRectFilled(ImVec2(x0, min.y), ImVec2(x1, min.y + side), CividisColor((i + 0.5f) / kSlices));
  }
  ImGui::Dummy(ImVec2(width, side));
  ImGui::SameLine();
  ImGui::Text("overlap count 1 \u2192 %d", std::max(max_count, 1));
}

}  // namespace

void DrawStepPanel(AppState& state) {
  PanelTitle("THIS STEP");
  if (!state.computation || !state.timeline) return;
  if (!state.tour_narration.empty()) {  // a tour step: the teacher's words come first
    WrappedText(state.tour_narration, ActivePalette().text);
    ImGui::Separator();
  }
  const FrameState& frame = state.frame;
  const Computation& c = *state.computation;
  ImGui::PushFont(TitleFont());
  WrappedText(PhaseTitle(frame.step.phase), ActivePalette().text);  // narrow panels at large text
  ImGui::PopFont();
  const char* direction = IsBackward(frame.step.phase, c.shape.op) ? "backward pass" : "forward pass";
  SameLineIfFits(ImGui::CalcTextSize(direction).x);
  ImGui::TextDisabled("%s", direction);
  ImGui::PushFont(NumberFont());
  WrappedText(StepLabel(c, frame.step), ActivePalette().text);
  ImGui::PopFont();
  ImGui::Spacing();
  WrappedText(Explain(c, frame), ActivePalette().text);
  DrawArithmetic(state);
  DrawInspector(state);
  DrawLegend(state);
}

std::string PixelName(const char* tensor, const Pixel& p) {
  return std::string(tensor) + "[" + std::to_string(p.n) + "," + std::to_string(p.c) + "," + std::to_string(p.y) +
         "," + std::to_string(p.x) + "]";
}

std::string Col2ImTargetName(const Shape& s, const Pixel& p) {
  return PixelName(s.op == Op::Transposed ? "out" : "dX", p);
}

}  // namespace im2col::gui
