// Offscreen frames: a hidden GLFW window provides the GL context, an FBO of the
// requested size receives exactly the draw calls the window would make.
#include "gui/platform/offscreen.h"

#include "gui/gpu/gl_api.h"
#include <imgui.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>

#include "gui/panels/frame.h"
#include "gui/platform/platform.h"
#include "gui/widgets/theme.h"
#include "io/atomic_file.h"

namespace im2col::gui {
namespace {

// Frames drawn before the captured one so ImGui's layout (column widths, wrapped
// text, combo previews) has settled.
constexpr int kSettleFrames = 3;

// An RGBA8 framebuffer object, deleted when it goes out of scope.
class OffscreenTarget {
 public:
  OffscreenTarget(int width, int height) {
    glGenFramebuffers(1, &fbo_);
    glGenRenderbuffers(1, &colour_);
    glBindRenderbuffer(GL_RENDERBUFFER, colour_);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
    complete_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  }
  ~OffscreenTarget() {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteRenderbuffers(1, &colour_);
    glDeleteFramebuffers(1, &fbo_);
  }
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  bool complete() const { return complete_; }

 private:
  GLuint fbo_ = 0;
  GLuint colour_ = 0;
  bool complete_ = false;
};

void AppendBytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

}  // namespace

std::string EncodePng(const RgbImage& image) {
  std::string bytes;
  if (image.width <= 0 || image.height <= 0 ||
      image.rgb.size() != static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 3) {
    return bytes;
  }
  stbi_write_png_to_func(AppendBytes, &bytes, image.width, image.height, 3, image.rgb.data(), image.width * 3);
  return bytes;
}

bool RenderStateToImage(Platform& platform, AppState& state, int width, int height, RgbImage* image,
                        std::vector<LayoutItem>* layout, std::string* error, const OffscreenPointer& pointer) {
  OffscreenTarget target(width, height);
  if (!target.complete()) {
    if (error) *error = "could not create a " + std::to_string(width) + "x" + std::to_string(height) + " framebuffer";
    return false;
  }
  if (!platform.EnsureStyle(state.theme, EffectiveFontScale(state), error)) return false;
  state.width = width;
  state.height = height;
  // A tour's pointed ids are outlined by DrawAppFrame from the frame before's layout:
  // the layout has settled by then, so its rectangles are where the last frame draws.
  for (int frame = 0; frame < kSettleFrames; ++frame) {
    const bool last = frame == kSettleFrames - 1;
    const bool record = last && layout;
    if (record) BeginLayoutRecording();
    platform.BeginFrame(/*offscreen=*/true, width, height, pointer);
    DrawAppFrame(state, &platform.gpu());
    platform.RenderFrame(ActivePalette().panel, width, height);  // the main window has no background of its own
    if (record) *layout = EndLayoutRecording();
    // Intents pushed while drawing (e.g. a hover from a stale pointer) must not
    // change the captured frame: drop them.
    state.intents.clear();
  }
  image->width = width;
  image->height = height;
  image->rgb.assign(static_cast<size_t>(width) * static_cast<size_t>(height) * 3, 0);
  std::vector<std::uint8_t> upside_down(image->rgb.size());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
#ifdef IM2COL_LAB_GLES
  // OpenGL ES (WebGL2) reads an RGBA8 framebuffer only as RGBA: read that, keep RGB.
  std::vector<std::uint8_t> rgba(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  for (size_t i = 0, n = static_cast<size_t>(width) * static_cast<size_t>(height); i < n; ++i) {
    std::copy_n(rgba.begin() + static_cast<std::ptrdiff_t>(4 * i), 3, upside_down.begin() + static_cast<std::ptrdiff_t>(3 * i));
  }
#else
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, upside_down.data());
#endif
  // GL's rows go bottom to top; images go top to bottom.
  const size_t row = static_cast<size_t>(width) * 3;
  for (int y = 0; y < height; ++y) {
    std::copy_n(upside_down.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(height - 1 - y) * row), row,
                image->rgb.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(y) * row));
  }
  return true;
}

std::string ValidateRenderRequest(const RenderRequest& request) {
  const std::vector<std::string> problems = request.scenario.Validate();
  if (!problems.empty()) return problems.front();
  if (request.out_png.empty()) return "--out: a PNG file name is required";
  if (request.width < kMinRenderSide || request.width > kMaxRenderSide || request.height < kMinRenderSide ||
      request.height > kMaxRenderSide) {
    return "--size: each side must be " + std::to_string(kMinRenderSide) + ".." + std::to_string(kMaxRenderSide) +
           ", got " + std::to_string(request.width) + "x" + std::to_string(request.height);
  }
  if (!std::isfinite(request.font_scale) || request.font_scale < 0.5f || request.font_scale > 3.0f) {
    return "--font-scale: must be 0.5..3, got " + std::to_string(request.font_scale);
  }
  const Timeline timeline(request.scenario.shape);
  if (request.step < 0 || request.step >= timeline.StepCount()) {
    return "--step: must be 0.." + std::to_string(timeline.StepCount() - 1) + " (this scenario has " +
           std::to_string(timeline.StepCount()) + " steps), got " + std::to_string(request.step);
  }
  // The layout JSON written over the PNG would leave no picture, silently.
  return io::SameOutputFileError("--out", request.out_png, "--layout-json", request.layout_json);
}

bool OpenRenderPlatform(Platform& platform, float font_scale, std::string* error) {
  PlatformOptions options;
  options.visible = false;
  options.font_scale = font_scale;
  return platform.Init(options, error);
}

AppState StateForRender(const RenderRequest& request) {
  AppState state = MakeAppState(request.scenario);
  state.theme = request.theme;
  state.font_scale = request.font_scale;
  state.overwrite_mode = request.overwrite_mode;
  state.classroom.presentation = request.presentation;
  state.tour_narration = request.narration;
  state.pointed_ids = request.pointed_ids;
  return state;
}

RenderResult RenderToFiles(const RenderRequest& request) {
  RenderResult result;
  result.error = ValidateRenderRequest(request);
  if (!result.error.empty()) {
    result.status = RenderStatus::BadInput;
    return result;
  }
  Platform platform;
  if (!OpenRenderPlatform(platform, request.font_scale, &result.error)) {
    result.status = RenderStatus::Failed;
    return result;
  }
  AppState state = StateForRender(request);
  PushIntent(state, intent::SetStep{request.step});
  PushIntent(state, intent::SetHover{request.hover});
  ApplyIntents(state);
  state.playback.transition = 1.0f;  // the frame exactly at the step, no transition
  state.playback.previous_step = state.playback.step;

  RgbImage image;
  std::vector<LayoutItem> layout;
  if (!RenderStateToImage(platform, state, request.width, request.height, &image,
                          request.layout_json.empty() ? nullptr : &layout, &result.error)) {
    result.status = RenderStatus::Failed;
    return result;
  }
  const std::string png = EncodePng(image);
  if (png.empty()) {
    result.status = RenderStatus::Failed;
    result.error = "could not encode the PNG";
    return result;
  }
  std::string error = io::WriteFileAtomically(request.out_png, png);
  if (error.empty() && !request.layout_json.empty()) {
    error = io::WriteFileAtomically(request.layout_json, LayoutJson(request.width, request.height, layout));
  }
  if (!error.empty()) {
    result.status = RenderStatus::Failed;
    result.error = error;
  }
  return result;
}

}  // namespace im2col::gui
