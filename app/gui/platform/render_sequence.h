// A range of timeline steps as an animated GIF or numbered PNGs, drawn offscreen by
// the same code as the window (`render --steps A:B --gif F | --out-dir D`, Export).
// No ImGui or GL types, so the command line can include it.
#pragma once

#include <string>
#include <vector>

#include "gui/state/render_request.h"

namespace im2col::gui {

struct SequenceRequest {
  RenderRequest frame;          // scenario, size, theme, font scale, overwrite (step/out unused)
  Index first_step = 0;         // inclusive
  Index last_step = 0;          // inclusive
  std::string gif_path;         // optional
  std::string png_dir;          // optional: step_00014.png per frame
  int gif_delay_centiseconds = 40;
};

// The steps drawn for first..last: all of them when at most `max_frames`, otherwise
// `max_frames` evenly spaced ones that always include both ends.
std::vector<Index> SequenceSteps(Index first, Index last, Index max_frames);

// Most frames a GIF of width x height may hold (memory budget and frame cap).
Index MaxGifFrames(int width, int height);

// "" when the request is acceptable (range inside the timeline, an output named).
std::string ValidateSequenceRequest(const SequenceRequest& request);

// Renders and writes the files (atomically; the GIF only when every frame rendered).
// *note tells when the range was subsampled ("" otherwise).
RenderResult RenderSequenceToFiles(const SequenceRequest& request, std::string* note);

class Platform;
struct AppState;
// The drawing part, for the window's Export: renders `steps` of `state` (moving its
// step) with an existing platform. "" or a one-line error.
std::string RenderStepsWith(Platform& platform, AppState& state, const std::vector<Index>& steps, int width,
                            int height, const std::string& gif_path, const std::string& png_dir,
                            int delay_centiseconds);

// Name of the numbered PNG of a step: "step_00014.png".
std::string SequencePngName(Index step);

}  // namespace im2col::gui
