// COST: what im2col + GEMM costs for the shown shape (FLOPs, X_col memory and its
// blow-up over the input) and, on request, a measurement of the direct loops against
// im2col + GEMM in float32 on a worker thread (core's MeasureLoopsVsIm2col, the same
// numbers `im2col-lab bench` prints). The chapter claims the speed-up; this measures it.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>

#include "gui/state/app_state.h"
#include "gui/widgets/fonts.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/panels/panel_cost.h"
#include "gui/widgets/theme.h"
#include "gui/widgets/ui_helpers.h"
#include "im2col/convolution.h"

namespace im2col::gui {
namespace {

// "210.8 MFLOP", "1.2 GFLOP".
std::string FormatFlops(double flops) {
  const char* units[] = {"FLOP", "kFLOP", "MFLOP", "GFLOP", "TFLOP"};
  int unit = 0;
  while (flops >= 1000.0 && unit < 4) {
    flops /= 1000.0;
    ++unit;
  }
  char text[48];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", flops, units[unit]);
  return text;
}

std::string ShapeName(const Shape& s) {
  char text[160];
  std::snprintf(text, sizeof text, "%dx%dx%dx%d, %d filters %dx%d, stride %dx%d, padding %dx%d", s.batch, s.channels,
                s.height, s.width, s.filters, s.kernel.h, s.kernel.w, s.stride.h, s.stride.w, s.padding.h,
                s.padding.w);
  return text;
}

const char* EntryTitle(const std::string& name) {
  if (name == "loops-forward") return "loops, forward";
  if (name == "im2col") return "im2col alone";
  if (name == "gemm") return "GEMM alone";
  if (name == "im2col-gemm-forward") return "im2col + GEMM";
  if (name == "loops-backward") return "loops, backward";
  if (name == "im2col-gemm-backward") return "GEMM + col2im";
  return name.c_str();
}

void DrawReport(const TimingReport& report, const Shape& shown) {
  if (!(report.shape == shown)) {
    WrappedText("measured for " + ShapeName(report.shape) + "; measure again for this shape",
                ActivePalette().text_muted);
  }
  // Name, then time and speed-up beside it when they fit, else on the next line: a
  // narrow panel (large text) must not cut "×0.5" to "×0.".
  const float indent = ImGui::GetFontSize();
  float name_width = 0.0f;
  for (const TimingEntry& entry : report.entries) name_width = std::max(name_width, ImGui::CalcTextSize(EntryTitle(entry.name)).x);
  for (const TimingEntry& entry : report.entries) {
    const float row_x = ImGui::GetCursorPosX();
    ImGui::TextUnformatted(EntryTitle(entry.name));
    std::string value = FormatDuration(entry.ms);
    char ratio[32] = "";
    if (entry.speedup_vs_loops > 0.0 && entry.name.rfind("loops", 0) != 0) {
      std::snprintf(ratio, sizeof ratio, "  \u00d7%.1f", entry.speedup_vs_loops);
    }
    value += ratio;
    ImGui::PushFont(NumberFont());
    const float value_width = ImGui::CalcTextSize(value.c_str()).x;
    ImGui::PopFont();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    if (row_x + name_width + spacing + value_width <= ImGui::GetContentRegionMax().x) {
      ImGui::SameLine(row_x + name_width + spacing);
    } else {
      ImGui::SetCursorPosX(row_x + indent);
    }
    ImGui::PushFont(NumberFont());
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
    if (IsRecordingLayout()) RecordItem("text:cost:" + entry.name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (ratio[0] != '\0' && ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%.1f GFLOP/s; speed-up over the loops", entry.gflops);
    }
  }
  char detail[224];
  std::snprintf(detail, sizeof detail,
                "median of %d samples (each %.0f ms or more), %d thread%s for GEMM (%s), loops on one; results agree to %.1e",
                report.repeats, kMinSampleMs, report.threads, report.threads == 1 ? "" : "s", GemmBackendName().c_str(),
                report.max_relative_difference);
  WrappedText(detail, ActivePalette().text_muted);
}

}  // namespace

void DrawCostSection(AppState& state) {
  const Shape& s = state.scenario.shape;
  const double nl = static_cast<double>(s.ColumnCount()), r = static_cast<double>(s.PatchSize());
  const double forward = 2.0 * static_cast<double>(ForwardMacs(s));  // the diagonal blocks only
  SectionLabel("Cost");
  ImGui::PushFont(NumberFont());
  ImGui::PushTextWrapPos(0.0f);
  const char* rows_name = s.op == Op::Transposed ? "C" : "F";
  ImGui::Text("forward  2\u00b7%s\u00b7R\u00b7NL%s = %s", rows_name, s.groups > 1 ? "/G" : "", FormatFlops(forward).c_str());
  ImGui::Text("backward 2\u00d7 forward = %s", FormatFlops(2.0 * forward).c_str());
  // Per GEMM (one per group): M x K times K x N, float32 operands read and result written once.
  auto intensity = [nl](double m, double k) { return 2.0 * m * k * nl / (4.0 * (m * k + k * nl + m * nl)); };
  const double m = static_cast<double>(s.WeightRows()) / s.groups, k = r / s.groups;
  ImGui::Text("%d GEMM%s of %.0f\u00d7%.0f \u00b7 %.0f\u00d7%.0f: %s each, %.2f FLOP/byte", s.groups,
              s.groups > 1 ? "s" : "", m, k, k, nl, FormatFlops(2.0 * m * k * nl).c_str(), intensity(m, k));
  if (s.groups > 1) {
    ImGui::Text("G = 1 would be %.2f FLOP/byte%s", intensity(static_cast<double>(s.WeightRows()), r),
                s.groups == s.channels ? " (depthwise: less reuse per byte)" : "");
  }
  const double x_col = r * nl * 4.0, input = static_cast<double>(s.batch) * s.channels * s.height * s.width * 4.0;
  ImGui::Text("X_col %s in float32, \u00d7%.3g the input", FormatBytes(static_cast<Index>(x_col)).c_str(),
              input > 0 ? x_col / input : 0.0);
  ImGui::PopTextWrapPos();
  ImGui::PopFont();

  CostState& cost = state.cost;
  if (cost.measuring) {
    const double seconds = cost.task ? cost.task->SecondsSinceStart() : 0.0;
    char label[64];
    std::snprintf(label, sizeof label, "timing... %.1f s", seconds);
    // No known length: a bar that sweeps once a second shows the work is alive.
    ImGui::ProgressBar(static_cast<float>(std::fmod(seconds, 1.0)), ImVec2(-1, 0), label);
    if (ImGui::Button("Cancel##cost")) PushIntent(state, intent::CancelCost{});
  } else {
    if (ImGui::Button("Measure loops vs im2col##cost")) PushIntent(state, intent::MeasureCost{state.ui.cost_threads});
    if (IsRecordingLayout() && ImGui::IsItemVisible()) RecordItem("control:measure-cost", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("times the direct nested loops and im2col + GEMM in float32 on this shape (a few seconds at AlexNet size)");
    }
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    // The browser build has no threads: one GEMM thread, and the page waits for the timing.
    state.ui.cost_threads = 1;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.0f);
    ImGui::BeginDisabled();
    ImGui::SliderInt("GEMM threads##cost", &state.ui.cost_threads, 1, 2);
    ImGui::EndDisabled();
    ImGui::TextDisabled("1 thread: a browser page has no worker threads");
#else
    const int most = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 64u));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.0f);
    state.ui.cost_threads = std::clamp(state.ui.cost_threads, 1, std::max(most, 2));  // a UI field, like the path box
    ImGui::SliderInt("GEMM threads##cost", &state.ui.cost_threads, 1, std::max(most, 2));
#endif
  }
  if (!cost.error.empty()) ErrorBox(cost.error);
  if (cost.report) DrawReport(*cost.report, s);
}

}  // namespace im2col::gui
