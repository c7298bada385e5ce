// Rendering step ranges: each frame exactly StateAt(step) (no transition), drawn
// through RenderStateToImage like `render`, then encoded as one GIF or many PNGs.
#include "gui/platform/render_sequence.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "gui/state/classroom_state.h"
#include "gui/platform/offscreen.h"
#include "gui/platform/platform.h"
#include "io/atomic_file.h"
#include "io/gif_writer.h"

namespace im2col::gui {

std::vector<Index> SequenceSteps(Index first, Index last, Index max_frames) {
  std::vector<Index> steps;
  if (last < first || max_frames <= 0) return steps;
  const Index count = last - first + 1;
  if (count <= max_frames) {
    for (Index s = first; s <= last; ++s) steps.push_back(s);
    return steps;
  }
  if (max_frames == 1) return {first};
  for (Index i = 0; i < max_frames; ++i) {
    // Rounded even spacing; exact ends because i/(max-1) hits 0 and 1.
    const double t = static_cast<double>(i) / static_cast<double>(max_frames - 1);
    steps.push_back(first + static_cast<Index>(t * static_cast<double>(count - 1) + 0.5));
  }
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  return steps;
}

Index MaxGifFrames(int width, int height) {
  const double bytes = 4.0 * std::max(width, 1) * std::max(height, 1);
  return std::max<Index>(1, std::min<Index>(kMaxAnimationFrames, static_cast<Index>(kMaxGifFrameBytes / bytes)));
}

std::string SequencePngName(Index step) {
  char name[32];
  std::snprintf(name, sizeof name, "step_%05lld.png", static_cast<long long>(step));
  return name;
}

std::string ValidateSequenceRequest(const SequenceRequest& request) {
  RenderRequest frame = request.frame;
  frame.step = request.first_step;
  if (frame.out_png.empty()) frame.out_png = "-";  // the sequence names its own files
  std::string error = ValidateRenderRequest(frame);
  if (!error.empty()) return error;
  const Index count = Timeline(request.frame.scenario.shape).StepCount();
  if (request.first_step < 0 || request.last_step < request.first_step || request.last_step >= count) {
    return "--steps: expected A:B with 0 <= A <= B <= " + std::to_string(count - 1) + " (this scenario has " +
           std::to_string(count) + " steps), got " + std::to_string(request.first_step) + ":" +
           std::to_string(request.last_step);
  }
  if (request.gif_path.empty() && request.png_dir.empty()) return "--steps: also give --gif FILE or --out-dir DIR";
  return "";
}

std::string RenderStepsWith(Platform& platform, AppState& state, const std::vector<Index>& steps, int width,
                            int height, const std::string& gif_path, const std::string& png_dir, int delay_centiseconds) {
  std::string error;
  if (!png_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(png_dir, ec);
    if (ec) return "cannot create the folder " + png_dir + ": " + ec.message();
  }
  std::vector<io::RgbaFrame> frames;
  for (const Index step : steps) {
    PushIntent(state, intent::SetStep{step});
    ApplyIntents(state);
    state.playback.transition = 1.0f;  // exactly StateAt(step)
    state.playback.previous_step = state.playback.step;
    RgbImage image;
    if (!RenderStateToImage(platform, state, width, height, &image, nullptr, &error)) return error;
    if (!png_dir.empty()) {
      const std::string path = (std::filesystem::path(png_dir) / SequencePngName(step)).string();
      error = io::WriteFileAtomically(path, EncodePng(image));
      if (!error.empty()) return error;
    }
    if (!gif_path.empty()) {
      io::RgbaFrame frame{image.width, image.height, {}};
      frame.rgba.resize(static_cast<size_t>(image.width) * image.height * 4);
      for (size_t i = 0, n = static_cast<size_t>(image.width) * image.height; i < n; ++i) {
        frame.rgba[i * 4 + 0] = image.rgb[i * 3 + 0];
        frame.rgba[i * 4 + 1] = image.rgb[i * 3 + 1];
        frame.rgba[i * 4 + 2] = image.rgb[i * 3 + 2];
        frame.rgba[i * 4 + 3] = 255;
      }
      frames.push_back(std::move(frame));
    }
  }
  if (gif_path.empty()) return "";
  io::GifOptions gif;
  gif.delay_centiseconds = delay_centiseconds;
  return io::WriteGif(gif_path, frames, gif);
}

RenderResult RenderSequenceToFiles(const SequenceRequest& request, std::string* note) {
  RenderResult result;
  result.error = ValidateSequenceRequest(request);
  if (!result.error.empty()) {
    result.status = RenderStatus::BadInput;
    return result;
  }
  const RenderRequest& r = request.frame;
  const Index requested = request.last_step - request.first_step + 1;
  const Index cap = request.gif_path.empty() ? kMaxAnimationFrames : MaxGifFrames(r.width, r.height);
  const std::vector<Index> steps = SequenceSteps(request.first_step, request.last_step, cap);
  if (note) {
    note->clear();
    if (static_cast<Index>(steps.size()) < requested) {
      *note = "steps " + std::to_string(request.first_step) + ":" + std::to_string(request.last_step) + " are " +
              std::to_string(requested) + " frames; drew " + std::to_string(steps.size()) +
              " evenly spaced ones (at most " + std::to_string(cap) + " at this size)";
    }
  }
  Platform platform;
  if (!OpenRenderPlatform(platform, r.font_scale, &result.error)) {
    result.status = RenderStatus::Failed;
    return result;
  }
  AppState state = StateForRender(r);
  result.error = RenderStepsWith(platform, state, steps, r.width, r.height, request.gif_path, request.png_dir,
                                 request.gif_delay_centiseconds);
  if (!result.error.empty()) result.status = RenderStatus::Failed;
  return result;
}

}  // namespace im2col::gui
