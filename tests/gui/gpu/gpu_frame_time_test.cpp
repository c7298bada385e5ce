// Frame time of AlexNet's X_col, W_row and Y drawn together at 1920x1080 on the GPU
// path (Mesa llvmpipe under Xvfb), for several views: fit, stretched, zoomed in with
// numbers; hovering (pictures reused) or stepping every frame (pictures redrawn where
// the step changed them); into an offscreen framebuffer or the window's own (swapped). Prints median / p95 of wall time and of the process's CPU
// time (ours + llvmpipe's threads: on a busy machine wall time misleads). No assertion
// on time: a loaded CI machine must not fail it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "gl_test_harness.h"
#include "gpu_test_scenarios.h"
#include "gui/gpu/gpu_context.h"
#include "gui/gpu/matrix_picture.h"
#include "gui/gpu/matrix_texture.h"
#include "gui/gpu/matrix_view.h"
#include "gui/widgets/theme.h"
#include "gui/gpu/zoom_view.h"
#include "im2col/timeline.h"

namespace im2col::gui {
namespace {

using gpu_test::AlexNet;
using gpu_test::Harness;
using gpu_test::Image;

std::string ScreenshotPath(const std::string& name) { return std::string(IM2COL_GPU_TEST_OUT) + "/" + name; }

void Upload(MatrixTexture& texture, const Matrix& m) {
  std::string error;
  ASSERT_TRUE(texture.Upload(Harness::Get().gpu(), MatrixUpload::FromMatrix(m, false, 1), &error)) << error;
}

struct Timing {
  double median_ms, p95_ms;
};
Timing Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)]};
}

TEST(GpuFrameTimeTest, XColWRowAndYAt1920x1080) {
  ASSERT_TRUE(Harness::Get().ok()) << Harness::Get().error();
  const Computation& c = AlexNet();
  MatrixTexture x_col, w_row, y_mat;
  Upload(x_col, c.x_col);
  Upload(w_row, c.w_row);
  Upload(y_mat, c.y_mat);
  const Timeline timeline(c.shape);
  const Palette& p = ActivePalette();
  const MatrixStyle x_style = MatrixStyle::Tinted(p.input_tint, p.input);
  const MatrixStyle w_style = MatrixStyle::Tinted(p.weights_tint, p.weights);
  const MatrixStyle y_style = MatrixStyle::Tinted(p.output_tint, p.output);
  const ImRect w_area(20, 40, 620, 440), x_area(640, 40, 1900, 520), y_area(640, 560, 1900, 1060);

  struct Variant {
    const char* name;
    bool draw = true;            // false: ImGui's window alone (the baseline)
    FitMode fit = FitMode::KeepAspect;
    float zoom = 0.0f;           // > 0: cells of this many pixels (numbers on)
    bool step_each_frame = false;  // playback: a new multiply step every frame (re-renders)
    Harness::Target target = Harness::Target::Offscreen;  // Window: the window's framebuffer + swap
  };
  const Variant variants[] = {
      {"empty-frame", false},
      {"fit-hover", true},
      {"fit-step-each-frame", true, FitMode::KeepAspect, 0.0f, true},
      {"stretch-hover", true, FitMode::Stretch},
      {"stretch-step-each-frame", true, FitMode::Stretch, 0.0f, true},
      {"zoomed-numbers-hover", true, FitMode::KeepAspect, 36.0f},
      {"zoomed-numbers-step-each-frame", true, FitMode::KeepAspect, 36.0f, true},
      {"window-empty-frame", false, FitMode::KeepAspect, 0.0f, false, Harness::Target::Window},
      {"window-fit-step-each-frame", true, FitMode::KeepAspect, 0.0f, true, Harness::Target::Window},
      {"window-stretch-hover", true, FitMode::Stretch, 0.0f, false, Harness::Target::Window},
      {"window-zoomed-numbers-step", true, FitMode::KeepAspect, 36.0f, true, Harness::Target::Window},
  };
  // IM2COL_GPU_TIMING_VARIANT=name runs one variant, IM2COL_GPU_TIMING_FRAMES=n fewer frames.
  const char* only = std::getenv("IM2COL_GPU_TIMING_VARIANT");
  const char* frames_env = std::getenv("IM2COL_GPU_TIMING_FRAMES");
  const int frames = frames_env != nullptr ? std::max(10, std::atoi(frames_env)) : 300;
  for (const Variant& variant : variants) {
    if (only != nullptr && std::string(only) != variant.name) continue;
    Harness::Get().SetTarget(variant.target);
    ASSERT_TRUE(Harness::Get().ok()) << Harness::Get().error();
    ZoomView x_view, w_view, y_view;
    for (ZoomView* v : {&x_view, &w_view, &y_view}) v->fit_mode = variant.fit;
    std::vector<double> ms, cpu_ms;
    Image last;
    const Index multiply_begin = timeline.PhaseBegin(Phase::Multiply);
    for (int frame = 0; frame < frames; ++frame) {
      // Playback advances one Y cell per frame; otherwise the pointer moves along X_col.
      const Index step = multiply_begin + 1000 + (variant.step_each_frame ? frame : 0);
      const FrameState state = StateAt(c, timeline, step);
      MaskState xm = MaskFor(MatrixId::XCol, state, c.shape), wm = MaskFor(MatrixId::WRow, state, c.shape),
                ym = MaskFor(MatrixId::YMat, state, c.shape);
      xm.hover_column = (frame * 7) % 3025;
      ym.hover_column = xm.hover_column;
      const bool keep = frame == frames - 1;
      const Image image = Harness::Get().Frame(
          [&] {
            ImDrawList* draw = ImGui::GetWindowDrawList();
            draw->AddText(ImVec2(20, 8), p.text, "W_row 96 x 363    X_col 363 x 3025    Y 96 x 3025");
            if (!variant.draw) return;
            for (auto [view, texture, area] : {std::tuple{&x_view, &x_col, x_area}, std::tuple{&w_view, &w_row, w_area},
                                               std::tuple{&y_view, &y_mat, y_area}}) {
              SyncZoomView(*view, area, texture->display_rows(), texture->display_cols());
              if (variant.zoom > 0.0f && view->follow_fit) {
                view->follow_fit = false;
                view->cell_w = view->cell_h = variant.zoom;
              }
            }
            DrawMatrixTexture(Harness::Get().gpu(), draw, w_row, w_view, w_area, wm, w_style, "w_row");
            DrawMatrixTexture(Harness::Get().gpu(), draw, x_col, x_view, x_area, xm, x_style, "x_col");
            DrawMatrixTexture(Harness::Get().gpu(), draw, y_mat, y_view, y_area, ym, y_style, "y_mat");
          },
          {}, keep);
      if (frame >= 5) {  // skip warm-up (shader JIT, first pictures)
        ms.push_back(Harness::Get().last_frame_ms());
        cpu_ms.push_back(Harness::Get().last_frame_cpu_ms());
      }
      if (keep) last = image;
    }
    const Timing t = Summarise(ms), cpu = Summarise(cpu_ms);
    std::printf("[gpu-timing] %-31s %zu frames at %dx%d on %s: wall median %6.2f ms, p95 %6.2f ms; "
                "process CPU median %6.2f ms, p95 %6.2f ms\n",
                variant.name, ms.size(), Harness::kWidth, Harness::kHeight, Harness::Get().renderer().c_str(),
                t.median_ms, t.p95_ms, cpu.median_ms, cpu.p95_ms);
    EXPECT_TRUE(gpu_test::WritePng(ScreenshotPath(std::string("alexnet_three_") + variant.name + ".png"), last));
    EXPECT_GT(t.median_ms, 0.0);
  }
  Harness::Get().SetTarget(Harness::Target::Offscreen);
}

}  // namespace
}  // namespace im2col::gui
