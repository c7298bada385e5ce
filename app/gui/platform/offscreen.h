// Drawing the window's frame into an offscreen framebuffer and reading it back: the
// `render` subcommand, "Export PNG" in the window, and the screenshot tests. The
// same DrawAppFrame as the window, so a PNG is exactly what the window shows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gui/state/app_state.h"
#include "gui/widgets/layout_recorder.h"
#include "gui/platform/platform.h"  // OffscreenPointer
#include "gui/state/render_request.h"

namespace im2col::gui {

class Platform;

// An RGB image, rows top to bottom, 3 bytes per pixel.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

// Draws `state` as it stands (after ApplyIntents) at width x height into an FBO and
// reads it back. Draws a few frames so ImGui's layout settles; with `layout` set,
// records where everything was drawn in the last one. Needs a current GL context
// (the platform's). False with *error when the FBO cannot be made. `pointer` is where the
// mouse is in every frame (none by default; tests hover cells with it).
bool RenderStateToImage(Platform& platform, AppState& state, int width, int height, RgbImage* image,
                        std::vector<LayoutItem>* layout, std::string* error,
                        const OffscreenPointer& pointer = OffscreenPointer());

// A hidden window with a GL context for offscreen renders, at `font_scale`.
bool OpenRenderPlatform(Platform& platform, float font_scale, std::string* error);
// The state a render request shows (before its step is set): scenario, theme, text size,
// overwrite and presentation modes, a tour step's narration and pointed ids.
AppState StateForRender(const RenderRequest& request);

// PNG bytes of an image (deterministic: the same pixels give the same bytes).
std::string EncodePng(const RgbImage& image);

}  // namespace im2col::gui
