// One frame of the whole window: toolbar, SHAPE panel, the stage, THIS STEP panel
// and the playback bar. The interactive window and `render` both call this, so a
// rendered PNG is exactly what the window shows.
#pragma once

namespace im2col::gui {

struct AppState;
class GpuContext;

// Between ImGui::NewFrame() and ImGui::Render(). Fills the main viewport. `gpu` is the
// current GL context's (platform/platform.h), or null without GL (summaries instead).
void DrawAppFrame(AppState& state, GpuContext* gpu);

// Panel widths for a framebuffer width and font scale (also used by tests).
struct ShellLayout {
  float left_width;
  float right_width;
};
ShellLayout ComputeShellLayout(float width, float font_scale);

}  // namespace im2col::gui
