// What `im2col-lab render` asks of the GUI: one frame at a step, as a PNG (and
// optionally where everything was drawn). No ImGui or GL types, so the command line
// can include it.
#pragma once

#include <string>
#include <vector>

#include "gui/state/hover.h"
#include "gui/state/theme_id.h"
#include "im2col/scenario.h"

namespace im2col::gui {

inline constexpr int kMinRenderSide = 320;
inline constexpr int kMaxRenderSide = 8192;

struct RenderRequest {
  Scenario scenario;
  Index step = 0;
  int width = 1920;
  int height = 1080;
  ThemeId theme = ThemeId::Light;
  float font_scale = 1.0f;
  bool overwrite_mode = false;
  bool presentation = false;             // presentation mode (F5): the phase's blocks, large
  HoverTarget hover;
  std::string narration;                 // a tour step's words, shown in THIS STEP
  std::vector<std::string> pointed_ids;  // layout ids to outline (render --layout-json names)
  std::string out_png;      // required
  std::string layout_json;  // optional
};

enum class RenderStatus { Ok, BadInput, Failed };
struct RenderResult {
  RenderStatus status = RenderStatus::Ok;
  std::string error;  // one line: names the option and the rule, or the failure
};

// Checks the request (step range, size, font scale), opens a hidden window, draws
// the frame at `step` exactly as the window would and writes the PNG (and layout
// JSON) atomically. Nothing is written unless everything succeeded.
RenderResult RenderToFiles(const RenderRequest& request);

// The same checks RenderToFiles makes before opening a window: "" when fine.
std::string ValidateRenderRequest(const RenderRequest& request);

}  // namespace im2col::gui
